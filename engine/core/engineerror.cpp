// SPDX-License-Identifier: MIT
#include "core/engineerror.h"

namespace qmigrate {

EngineError::EngineError(QString message, Kind kind)
    : m_message(std::move(message))
    , m_kind(kind)
{}

EngineError::EngineError(QString message, QString file, int line, QString revision, Kind kind)
    : m_message(std::move(message))
    , m_file(std::move(file))
    , m_line(line)
    , m_revision(std::move(revision))
    , m_kind(kind)
{}

EngineError &EngineError::setFile(const QString &file, int line)
{
    m_file = file;
    m_line = line;
    return *this;
}

EngineError &EngineError::setRevision(const QString &revision)
{
    m_revision = revision;
    return *this;
}

EngineError &EngineError::setKind(Kind kind)
{
    m_kind = kind;
    return *this;
}

QString EngineError::toString() const
{
    if (m_file.isEmpty())
        return m_message;
    if (m_line > 0)
        return QStringLiteral("%1:%2: %3").arg(m_file).arg(m_line).arg(m_message);
    return QStringLiteral("%1: %2").arg(m_file, m_message);
}

} // namespace qmigrate
