// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"
#include "config/databaseurl.h"
#include "core/expected.h"
#include "database/dialect.h"
#include "project/project.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace qmigrate {

class DatabaseConnection;

// Where one database stands for a project, read without a lock and without creating anything: the version
// table's rows, the steps killed runs left half done, the audit history and the applied scripts edited since
// they were applied. Every read goes over one connection, opened by the first read and closed with the
// object, so a front end that shows several of them (the CLI's current, log and check; the GUI's status)
// connects once. Reads run on the calling thread.
class DatabaseStatus
{
public:
    // project must outlive this object; applicationName is what PostgreSQL's pg_stat_activity shows.
    DatabaseStatus(const Project &project, DatabaseUrl url,
                   const QString &applicationName = QStringLiteral("qmigrate"));
    ~DatabaseStatus();
    DatabaseStatus(const DatabaseStatus &) = delete;
    DatabaseStatus &operator=(const DatabaseStatus &) = delete;

    const DatabaseUrl &url() const { return m_url; }
    // The dialect of the URL with the project's version table (known before anything connects).
    const Dialect &dialect() const { return m_dialect; }
    QString qualifiedHistoryTable() const;

    // The version table's rows as stored; empty when the table is missing.
    Expected<QStringList> versionRows();
    // versionRows() checked against the project's revisions: a row naming a revision the scripts lack, or
    // rows that overlap, is an error rather than a guess.
    Expected<QStringList> checkedVersionRows();
    // checkedVersionRows() as the project's revisions, duplicates dropped.
    Expected<QList<int>> currentRevisions();
    // Rows already read, checked as checkedVersionRows() does, as the project's revisions.
    Expected<QList<int>> revisionsOf(const QStringList &rows) const;
    // Whether the audit history table (qmigrate_history) exists.
    Expected<bool> hasAuditHistory();
    // The journal rows of steps a killed run left half done, oldest first; empty without the table.
    Expected<QList<HistoryEntry>> interruptedSteps();
    // The audit history, newest first; empty without the table. A filter revision that is a prefix or label
    // of one of the project's revisions means that revision; anything else is taken as an exact id (the
    // history may name revisions whose files are gone).
    Expected<QList<HistoryEntry>> history(HistoryFilter filter = {});
    // The project's revisions applied at `rows` (with their ancestors) whose files differ from the text the
    // audit history kept when they were applied, oldest first. Empty when rows is empty or the database has
    // no audit history; revisions applied without it (e.g. by Alembic) are skipped.
    Expected<QList<ChangedScript>> editedSinceApplied(const QStringList &rows);

private:
    // The one connection, opened on first use.
    Expected<QSqlDatabase> database();

    const Project &m_project;
    DatabaseUrl m_url;
    Dialect m_dialect;
    QString m_applicationName;
    std::shared_ptr<DatabaseConnection> m_connection;
};

} // namespace qmigrate
