// SPDX-License-Identifier: MIT
#include "audit/historywriter.h"

#include "database/databaseconnection.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace qmigrate {

HistoryWriter::HistoryWriter(QSqlDatabase db, Dialect dialect)
    : m_db(std::move(db))
    , m_dialect(std::move(dialect))
    , m_osUser(AuditHistory::currentOsUser())
    , m_host(AuditHistory::currentHost())
    , m_version(QCoreApplication::applicationVersion())
{}

HistoryEntry HistoryWriter::filled(const HistoryEntry &entry) const
{
    HistoryEntry result = entry;
    if (result.osUser.isEmpty())
        result.osUser = m_osUser;
    if (result.host.isEmpty())
        result.host = m_host;
    if (result.qmigrateVersion.isEmpty())
        result.qmigrateVersion = m_version;
    return result;
}

Expected<void> HistoryWriter::insert(const HistoryEntry &entry)
{
    const auto failure = [this](const QSqlQuery &query) {
        return EngineError(u"Cannot write to the audit history table %1: %2"_s.arg(
                               AuditHistory(m_db, m_dialect).qualifiedTable(),
                               DatabaseConnection::serverMessage(query.lastError())),
                           EngineError::Kind::Database);
    };
    if (!m_insert) {
        QSqlQuery query(m_db);
        if (!query.prepare(AuditHistory::insertSql(m_dialect)))
            return failure(query);
        m_insert.emplace(std::move(query));
    }
    const QVariantList values = AuditHistory::insertValues(filled(entry), m_dialect.backend());
    for (qsizetype position = 0; position < values.size(); ++position)
        m_insert->bindValue(int(position), values.at(position));
    if (!m_insert->exec()) {
        const EngineError error = failure(*m_insert);
        // A statement that failed may be unusable afterwards (its connection's transaction aborted): the next
        // row prepares it again.
        m_insert.reset();
        return error;
    }
    m_insert->finish();
    return {};
}

Expected<void> HistoryWriter::insertAll(const QList<HistoryEntry> &entries, qsizetype *failedAt)
{
    for (qsizetype position = 0; position < entries.size(); ++position) {
        if (Expected<void> written = insert(entries.at(position)); !written) {
            *failedAt = position;
            return written;
        }
    }
    return {};
}

QString HistoryWriter::insertStatement(const HistoryEntry &entry) const
{
    const QSqlDriver *driver = m_db.driver();
    const QVariantList values = AuditHistory::insertValues(filled(entry), m_dialect.backend());
    QStringList literals;
    literals.reserve(values.size());
    for (const QVariant &value : values) {
        QSqlField field(QString(), value.metaType());
        field.setValue(value);
        literals.append(driver->formatValue(field));
    }
    QString sql = AuditHistory::insertSql(m_dialect);
    sql.truncate(sql.lastIndexOf(u" VALUES ("_s));
    return sql + u" VALUES ("_s + literals.join(u", "_s) + u')';
}

} // namespace qmigrate
