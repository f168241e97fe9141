// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace qmigrate {

// One error or warning the engine reports. Every error that comes from a file carries the file and,
// where known, the 1-based line, so that the CLI can print "file:line: message" and the UI can jump there.
class EngineError
{
public:
    enum class Kind {
        Usage,    // bad arguments or an unresolvable identifier: CLI exit code 2
        Project,  // malformed project, script or graph: CLI exit code 2
        Database, // connection or migration failure: CLI exit code 1
    };

    EngineError() = default;
    explicit EngineError(QString message, Kind kind = Kind::Project);
    EngineError(QString message, QString file, int line, QString revision = {}, Kind kind = Kind::Project);

    QString message() const { return m_message; }
    QString file() const { return m_file; }
    int line() const { return m_line; }
    QString revision() const { return m_revision; }
    Kind kind() const { return m_kind; }

    EngineError &setFile(const QString &file, int line = 0);
    EngineError &setRevision(const QString &revision);
    EngineError &setKind(Kind kind);

    // "file:line: message" (or "file: message", or just "message").
    QString toString() const;

private:
    QString m_message;
    QString m_file;
    int m_line = 0;
    QString m_revision;
    Kind m_kind = Kind::Project;
};

} // namespace qmigrate
