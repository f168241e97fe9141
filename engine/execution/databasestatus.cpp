// SPDX-License-Identifier: MIT
#include "execution/databasestatus.h"

#include "database/databaseconnection.h"
#include "database/versiontable.h"
#include "execution/migrator.h"
#include "plan/migrationplan.h"

#include <algorithm>

namespace qmigrate {

DatabaseStatus::DatabaseStatus(const Project &project, DatabaseUrl url, const QString &applicationName)
    : m_project(project)
    , m_url(std::move(url))
    , m_dialect(Migrator::dialectFor(m_url, MigratorOptions::fromConfig(project.config())))
    , m_applicationName(applicationName)
{}

DatabaseStatus::~DatabaseStatus() = default;

QString DatabaseStatus::qualifiedHistoryTable() const
{
    return AuditHistory(QSqlDatabase(), m_dialect).qualifiedTable();
}

Expected<QSqlDatabase> DatabaseStatus::database()
{
    if (!m_connection) {
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(m_url, m_project.config().here(), m_applicationName);
        if (!connection)
            return connection.error();
        m_connection = *connection;
    }
    return m_connection->database();
}

Expected<QStringList> DatabaseStatus::versionRows()
{
    Expected<QSqlDatabase> db = database();
    if (!db)
        return db.error();
    return VersionTable(*db, m_dialect).readRows();
}

Expected<QStringList> DatabaseStatus::checkedVersionRows()
{
    Expected<QStringList> rows = versionRows();
    if (!rows)
        return rows.error();
    Expected<QList<int>> checked = revisionsOf(*rows);
    if (!checked)
        return checked.error();
    return *rows;
}

Expected<QList<int>> DatabaseStatus::currentRevisions()
{
    Expected<QStringList> rows = versionRows();
    if (!rows)
        return rows.error();
    return revisionsOf(*rows);
}

Expected<QList<int>> DatabaseStatus::revisionsOf(const QStringList &rows) const
{
    return MigrationPlan::checkRows(m_project.map(), rows);
}

Expected<bool> DatabaseStatus::hasAuditHistory()
{
    Expected<QSqlDatabase> db = database();
    if (!db)
        return db.error();
    return AuditHistory(*db, m_dialect).tableExists();
}

Expected<QList<HistoryEntry>> DatabaseStatus::interruptedSteps()
{
    Expected<QSqlDatabase> db = database();
    if (!db)
        return db.error();
    return AuditHistory(*db, m_dialect).interruptedSteps();
}

Expected<QList<HistoryEntry>> DatabaseStatus::history(HistoryFilter filter)
{
    if (!filter.revision.isEmpty()) {
        const RevisionMap &map = m_project.map();
        Expected<QList<int>> resolved = map.resolve(filter.revision);
        if (resolved && resolved->size() == 1)
            filter.revision = map.idOf(resolved->first());
    }
    Expected<bool> exists = hasAuditHistory();
    if (!exists)
        return exists.error();
    if (!*exists)
        return QList<HistoryEntry>();
    return AuditHistory(*database(), m_dialect).entries(filter);
}

Expected<QList<ChangedScript>> DatabaseStatus::editedSinceApplied(const QStringList &rows)
{
    if (rows.isEmpty())
        return QList<ChangedScript>();
    Expected<bool> exists = hasAuditHistory();
    if (!exists)
        return exists.error();
    if (!*exists)
        return QList<ChangedScript>();
    const RevisionMap &map = m_project.map();
    Expected<QList<int>> indices = revisionsOf(rows);
    if (!indices)
        return indices.error();
    QStringList applied;
    for (int index : map.ancestors(*indices, true))
        applied.append(map.idOf(index));
    // Oldest first, so that a report reads in the order the scripts ran.
    QList<int> order = map.history();
    std::reverse(order.begin(), order.end());
    QList<Revision> revisions;
    for (int index : std::as_const(order))
        revisions.append(map.revision(index));
    return AuditHistory(*database(), m_dialect).changedScripts(revisions, applied);
}

} // namespace qmigrate
