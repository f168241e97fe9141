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
        return failed(context(), DatabaseConnection::serverMessage(query.lastError()));
    const int affected = query.numRowsAffected();
    query.finish();
    return affected;
}

EngineError VersionTable::failed(const QString &context, const QString &serverMessage) const
{
    return EngineError(u"%1 %2 failed: %3"_s.arg(context, m_dialect.qualifiedVersionTable(), serverMessage),
                       EngineError::Kind::Database);
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

namespace {

QString changeContext(const VersionChange &change)
{
    switch (change.kind) {
    case VersionChange::Kind::Insert:
        return u"Inserting '%1' into"_s.arg(change.to);
    case VersionChange::Kind::Update:
        return u"Updating '%1' to '%2' in"_s.arg(change.from, change.to);
    case VersionChange::Kind::Delete:
        return u"Deleting '%1' from"_s.arg(change.from);
    }
    return QString();
}

} // namespace

QString VersionTable::changeSql(const VersionChange &change, const QString &alongWith) const
{
    QString sql;
    switch (change.kind) {
    case VersionChange::Kind::Insert:
        sql = m_dialect.insertVersionSql(change.to);
        break;
    case VersionChange::Kind::Update:
        sql = m_dialect.updateVersionSql(change.from, change.to);
        break;
    case VersionChange::Kind::Delete:
        sql = m_dialect.deleteVersionSql(change.from);
        break;
    }
    return alongWith.isEmpty() ? sql : u"WITH qmigrate_along AS ("_s + alongWith + u") "_s + sql;
}

EngineError VersionTable::changeFailed(const VersionChange &change, const QString &serverMessage) const
{
    return failed(changeContext(change), serverMessage);
}

Expected<void> VersionTable::checkAffected(const VersionChange &change, int affected) const
{
    if (change.kind == VersionChange::Kind::Insert || affected == 1)
        return {};
    const QString table = m_dialect.versionTable();
    if (change.kind == VersionChange::Kind::Update)
        return EngineError(u"Online migration expected to match one row when updating '%1' to '%2' in '%3'; "
                           u"%4 found"_s.arg(change.from, change.to, table)
                               .arg(affected),
                           EngineError::Kind::Database);
    return EngineError(u"Online migration expected to match one row when deleting '%1' in '%2'; %3 found"_s
                           .arg(change.from, table)
                           .arg(affected),
                       EngineError::Kind::Database);
}

Expected<void> VersionTable::apply(const VersionChange &change, const QString &alongWith) const
{
    Expected<int> done = execute(changeSql(change, alongWith), [&change] { return changeContext(change); });
    if (!done)
        return done.error();
    return checkAffected(change, *done);
}

Expected<void> VersionTable::deleteAll() const
{
    Expected<int> done = execute(m_dialect.deleteAllVersionsSql(), [] { return u"Emptying"_s; });
    if (!done)
        return done.error();
    return {};
}

} // namespace qmigrate
