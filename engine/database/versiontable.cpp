// SPDX-License-Identifier: MIT
#include "database/versiontable.h"

#include "database/databaseconnection.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace qmigrate {

VersionTable::VersionTable(QSqlDatabase db, Dialect dialect)
    : m_db(std::move(db))
    , m_dialect(std::move(dialect))
{}

Expected<int> VersionTable::execute(const QString &sql, const std::function<QString()> &context) const
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return EngineError(u"%1 %2 failed: %3"_s.arg(context(), m_dialect.qualifiedVersionTable(),
                                                     DatabaseConnection::serverMessage(query.lastError())),
                           EngineError::Kind::Database);
    const int affected = query.numRowsAffected();
    query.finish();
    return affected;
}

Expected<bool> VersionTable::exists() const
{
    QSqlQuery query(m_db);
    if (!query.exec(m_dialect.versionTableExistsSql()))
        return EngineError(
            u"Checking whether %1 exists failed: %2"_s.arg(
                m_dialect.qualifiedVersionTable(), DatabaseConnection::serverMessage(query.lastError())),
            EngineError::Kind::Database);
    const bool found = query.next();
    query.finish();
    return found;
}

Expected<QStringList> VersionTable::readRows() const
{
    Expected<bool> present = exists();
    if (!present)
        return present.error();
    if (!*present)
        return QStringList();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(m_dialect.selectVersionsSql()))
        return EngineError(
            u"Reading %1 failed: %2"_s.arg(m_dialect.qualifiedVersionTable(),
                                           DatabaseConnection::serverMessage(query.lastError())),
            EngineError::Kind::Database);
    QStringList rows;
    while (query.next())
        rows.append(query.value(0).toString());
    query.finish();
    return rows;
}

Expected<bool> VersionTable::createIfMissing() const
{
    Expected<bool> present = exists();
    if (!present)
        return present.error();
    if (*present)
        return false;
    // IF NOT EXISTS: a run that found the table missing may still meet it here, created meanwhile by a run
    // that took no lock (or, on a cluster, replicated from another node just after the check).
    QString sql = m_dialect.createVersionTableSql();
    if (sql.startsWith("CREATE TABLE "_L1, Qt::CaseInsensitive))
        sql.insert(13, "IF NOT EXISTS "_L1);
    Expected<int> created = execute(sql, [] { return u"Creating"_s; });
    if (!created)
        return created.error();
    return true;
}

Expected<void> VersionTable::apply(const VersionChange &change, const QString &alongWith) const
{
    const QString table = m_dialect.versionTable();
    const auto withAlong = [&alongWith](const QString &sql) {
        return alongWith.isEmpty() ? sql : u"WITH qmigrate_along AS ("_s + alongWith + u") "_s + sql;
    };
    switch (change.kind) {
    case VersionChange::Kind::Insert: {
        Expected<int> done = execute(withAlong(m_dialect.insertVersionSql(change.to)),
                                     [&change] { return u"Inserting '%1' into"_s.arg(change.to); });
        if (!done)
            return done.error();
        return {};
    }
    case VersionChange::Kind::Update: {
        Expected<int> done =
            execute(withAlong(m_dialect.updateVersionSql(change.from, change.to)),
                    [&change] { return u"Updating '%1' to '%2' in"_s.arg(change.from, change.to); });
        if (!done)
            return done.error();
        if (*done != 1)
            return EngineError(
                u"Online migration expected to match one row when updating '%1' to '%2' in '%3'; "
                u"%4 found"_s.arg(change.from, change.to, table)
                    .arg(*done),
                EngineError::Kind::Database);
        return {};
    }
    case VersionChange::Kind::Delete: {
        Expected<int> done = execute(withAlong(m_dialect.deleteVersionSql(change.from)),
                                     [&change] { return u"Deleting '%1' from"_s.arg(change.from); });
        if (!done)
            return done.error();
        if (*done != 1)
            return EngineError(
                u"Online migration expected to match one row when deleting '%1' in '%2'; %3 found"_s
                    .arg(change.from, table)
                    .arg(*done),
                EngineError::Kind::Database);
        return {};
    }
    }
    return {};
}

Expected<void> VersionTable::deleteAll() const
{
    Expected<int> done = execute(m_dialect.deleteAllVersionsSql(), [] { return u"Emptying"_s; });
    if (!done)
        return done.error();
    return {};
}

} // namespace qmigrate
