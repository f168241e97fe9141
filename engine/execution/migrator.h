// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"
#include "config/databaseurl.h"
#include "core/expected.h"
#include "database/dialect.h"
#include "graph/revisionmap.h"
#include "plan/migrationaction.h"
#include "plan/migrationplan.h"
#include "plan/plandetails.h"
#include "scripts/sqlstatementsplitter.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace qmigrate {

class ProjectConfig;

struct MigratorOptions
{
    QString baseDirectory; // resolves relative SQLite paths: the ini's directory
    QString versionTable = QStringLiteral("alembic_version");
    QString versionTableSchema;
    bool transactionPerMigration = false;
    // How long a run waits for another run's lock before failing (0 = try once).
    int lockTimeoutSeconds = 60;
    // How long one statement waits for a table or row lock another session holds before it fails
    // (PostgreSQL lock_timeout; MariaDB lock_wait_timeout and innodb_lock_wait_timeout): a DDL statement
    // queued behind a long query blocks every query queued behind it, so it gives up early and tries
    // again. 0 = wait as long as the server's own setting says.
    int lockWaitSeconds = 10;
    // How long one statement may run (PostgreSQL statement_timeout, MariaDB max_statement_time); 0 = no
    // limit. SQLite has neither.
    int statementTimeoutSeconds = 0;
    // How often a step whose statement timed out waiting for a lock is run again (after 1, 2, 4 ... s),
    // where nothing of it has committed yet.
    int lockRetries = 3;
    // Inside a transaction of many steps (PostgreSQL): a step sets a new savepoint, the point such a retry
    // goes back to, only once this long has passed since the last one was set; a retry then runs the steps
    // since that savepoint again too. One savepoint per step costs the server a subtransaction per step
    // (about 6% of a run of 1,000 one-table steps); this bounds that cost and what a retry runs again.
    // 0: a savepoint before every step.
    int savepointIntervalMs = 25;
    QString applicationName = QStringLiteral("qmigrate"); // PostgreSQL application_name
    // Galera: run even when the node's wsrep_OSU_method is RSU (DDL on this node only); refused otherwise.
    bool allowRsu = false;
    // Galera: a run lock whose heartbeat stopped this long ago belongs to a dead run and is taken over.
    int clusterLockExpirySeconds = 60;
    // Galera: how often a step without DDL whose commit lost a conflict with another node (1213) is run
    // again, after the version table is read once more.
    int conflictRetries = 3;

    static MigratorOptions fromConfig(const ProjectConfig &config);
};

// Progress, called on the thread that runs the Migrator. Every member may be empty.
struct MigratorCallbacks
{
    // Alembic-style log lines without a prefix: "Context impl SQLiteImpl.", "Running upgrade  -> a35…, …".
    std::function<void(const QString &line)> log;
    // What a Python project's own code and Alembic print (the child's standard error), line by line and as
    // printed; falls back to log when empty.
    std::function<void(const QString &line)> output;
    // Plan warnings as soon as the plan is made, e.g. Alembic's "downgrade -1 from multiple heads is
    // ambiguous" (also in Result::warnings).
    std::function<void(const QString &warning)> warning;
    std::function<void(int index, int count, const MigrationStep &step)> stepStarted;
    std::function<void(int index, int count, const MigrationStep &step)> stepFinished;
    std::function<void(int index, const SqlStatement &statement)> statementStarted;
};

// What an observer learns about one step.
struct MigrationStepReport
{
    int index = 0;
    int count = 0;
    const MigrationStep *step = nullptr;
    const Revision *revision = nullptr; // null for stamp steps
    QString script;                     // the section that ran (upgradeSql or downgradeSql); empty for stamps
    // The revision's whole file, normalised (ScriptChecksum), as read when the run started and checked
    // against the plan's checksum: the text that ran, for the audit history. Empty for stamps.
    QString fileText;
    QString fileChecksum;
    QDateTime started;
    QDateTime finished;
    bool cancelled = false; // stepFailed: the failure is the cancel token's
    // A resumed step: the statements an interrupted run committed before this run went on (-1: not a resume).
    int resumedAfter = -1;
};

// The hook for bookkeeping beyond alembic_version (the audit history). Called on the Migrator's connection,
// under its lock.
class MigrationObserver
{
public:
    virtual ~MigrationObserver() = default;
    // Once the rows are read and the plan is made, before any step runs (not for dry runs); inside the run's
    // transaction where there is one (on MySQL/MariaDB there is none, so DDL run here, such as creating a
    // bookkeeping table, commits nothing of the run). An error fails the run before anything is applied.
    virtual Expected<void> runStarted(QSqlDatabase &db, const Dialect &dialect)
    {
        Q_UNUSED(db);
        Q_UNUSED(dialect);
        return {};
    }
    // After the step's statements and version-table writes, before its transaction commits (Alembic's
    // on_version_apply). An error fails the step, which rolls back like any other failure.
    virtual Expected<void> stepApplied(QSqlDatabase &db, const MigrationStepReport &report)
    {
        Q_UNUSED(db);
        Q_UNUSED(report);
        return {};
    }
    // Before a step that commits part of its work as it goes (MySQL/MariaDB DDL, a "--
    // migrate:no-transaction" statement), outside its transaction: a journal entry that stays behind if the
    // run dies in the step. An error fails the step before any of it runs.
    virtual Expected<void> stepJournalStarted(QSqlDatabase &db, const MigrationStepReport &report)
    {
        Q_UNUSED(db);
        Q_UNUSED(report);
        return {};
    }
    // Instead of stepJournalStarted for a resumed step: the journal row the interrupted run left, which this
    // run goes on writing (AuditHistory::interruptedSteps() gave its id).
    virtual Expected<void> stepJournalResumed(QSqlDatabase &db, const MigrationStepReport &report,
                                              qint64 journalId)
    {
        Q_UNUSED(db);
        Q_UNUSED(report);
        Q_UNUSED(journalId);
        return {};
    }
    // Before each statement of such a step that commits (in the transaction that commits with it, or outside
    // any), and after it: `progress` (JournalProgress::text) says which are committed and which had started.
    virtual Expected<void> stepJournalProgress(QSqlDatabase &db, const MigrationStepReport &report,
                                               const QString &progress)
    {
        Q_UNUSED(db);
        Q_UNUSED(report);
        Q_UNUSED(progress);
        return {};
    }
    // After a failed step was rolled back (outside any transaction): record the failure.
    virtual void stepFailed(QSqlDatabase &db, const MigrationStepReport &report, const EngineError &error)
    {
        Q_UNUSED(db);
        Q_UNUSED(report);
        Q_UNUSED(error);
    }
    // Instead of stepApplied(), for an observer that records a step in the same statement as the step's last
    // version-table write: an INSERT with its values as SQL literals, which the Migrator sends as a
    // data-modifying WITH of that write, so both take one round trip and commit or roll back together
    // (asked on PostgreSQL only, where each step commits on its own: transaction_per_migration; the steps of
    // a transaction of many go through stepApplied() and writeKeptRecords()). Empty: stepApplied() is called
    // as usual. Asked after the step's statements.
    virtual QString stepAppliedStatement(const QSqlDatabase &db, const MigrationStepReport &report)
    {
        Q_UNUSED(db);
        Q_UNUSED(report);
        return {};
    }
    // Inside the run's transaction, before each COMMIT of it (a step's, the whole run's, or the one that ends
    // before a "-- migrate:no-transaction" statement) and before a step's journal row: what the observer kept
    // back for the steps that transaction holds is written here, so it commits with them and in their order.
    // On error *failedStep names the step (MigrationStepReport::index) whose record failed, which then fails
    // like any failing step: the transaction rolls back and stepFailed() follows.
    virtual Expected<void> writeKeptRecords(QSqlDatabase &db, int *failedStep)
    {
        Q_UNUSED(db);
        Q_UNUSED(failedStep);
        return {};
    }
    // After the run's transaction rolled back (or was abandoned with its connection): what was kept back for
    // it is dropped, as its steps were.
    virtual void transactionRolledBack() {}
    // After the open transaction went back to the savepoint set before step `stepIndex`
    // (MigrationStepReport::index): what was kept back for that step and the later ones is dropped, as they
    // were; they run again.
    virtual void rolledBackToStep(int stepIndex) { Q_UNUSED(stepIndex); }
    // Before the run's connection closes (the run ended, or the connection was lost and a new one replaces
    // it): anything that holds on to the connection lets go of it here.
    virtual void connectionClosing() {}
};

// Runs upgrades, downgrades and stamps online on one connection that it opens (and closes) in the calling
// thread, so a GUI runs it on a worker thread.
//
// A run: connect; take the lock (SQLite: the RunLockFile beside the database file, then BEGIN IMMEDIATE after
// PRAGMA busy_timeout; PostgreSQL: a loop over pg_try_advisory_lock; MySQL/MariaDB: GET_LOCK), which the
// system drops with the process or the server with the connection; read the rows
// under the lock; plan with MigrationPlan; refuse Alembic .py revisions before anything runs; create the
// version table when missing; read every script of the plan from disk once more and refuse the run when one
// is no longer the text the plan was made from (its checksum); run each step: its statements
// (SqlStatementSplitter, with file lines) and then its version-table writes, each UPDATE/DELETE checked to
// hit one row.
//
// Transactions: where DDL is transactional (SQLite, PostgreSQL) the whole run is one transaction, or one per
// step with transaction_per_migration. On MySQL/MariaDB every step is its own transaction, but each DDL
// statement commits implicitly, so a failed step may be half applied: the error lists the statements that
// were committed. A statement after a "-- migrate:no-transaction" marker runs outside any transaction: the
// open one (holding every earlier step) commits before it and a new one begins after it. Every script of the
// plan is split first: a splitting error or a transaction-control statement (BEGIN, COMMIT, …) in any of them
// fails the run before anything runs (Kind::Project, naming the file and line).
//
// On failure the open transaction rolls back, so the version table stays at the last committed step, and
// the error (Kind::Database) names the revision, its file, the statement's line and the server's message.
// SQLite's write lock ends with each commit inside a run (transaction_per_migration, no-transaction
// statements); the RunLockFile does not, so no other qmigrate run slips in between.
class Migrator
{
public:
    struct Request
    {
        using Kind = MigrationAction;
        Kind kind = Kind::Upgrade;
        QStringList targets; // one for upgrade and downgrade; one or more for stamp
        bool purge = false;  // stamp --purge
        bool dryRun = false; // read the rows and plan; change nothing
        // The rows a previewed plan started from. When set, a run whose rows (read under the lock) differ
        // is refused before anything runs: what runs is always what the user was shown.
        std::optional<QStringList> expectedRows;
        // The plan the user was shown. When set, the run is refused before anything runs unless the database
        // is still at its starting rows, the plan made now has the same steps, and every script is still
        // the text the preview was made from (checksums): what runs is exactly what was shown.
        std::optional<MigrationPlan> previewedPlan;
        // Instead of planning towards the targets (which must then be empty): continue the step a killed run
        // left half done (its journal row, AuditHistory::interruptedSteps()) with the statements after those
        // committed, then its version-table writes, in the same journal row. Refused, before anything runs,
        // unless exactly one step is interrupted, in this request's direction, it is the step the version
        // rows call for next, and its file is the text it started with (checksum).
        bool resume = false;
        // With resume: how many of the step's statements are committed. -1 takes the journal's count, which
        // is refused when the statement after them had started (its outcome is not known: the user checks the
        // database and says); otherwise that count, or one more when the next one had started.
        int resumeAfter = -1;
    };

    struct Result
    {
        MigrationPlan plan;
        QStringList rowsBefore;
        QStringList rowsAfter; // what alembic_version holds now
        QStringList warnings;  // e.g. Alembic's "downgrade -1 from multiple heads is ambiguous" warning
        int completedSteps = 0;
        // A resume: the statements of its step the interrupted run committed, which this run skips.
        int skippedStatements = 0;
        // Per step of the plan, its statements as split for the run, with their file lines (all of them, the
        // skipped ones too); empty for stamp steps and Python revisions. Set for dry runs, so that a preview
        // shows what was split once rather than splitting the scripts again.
        QList<QList<SqlStatement>> statements;
        // Dry runs: the plan with those statements, its version-table writes in this run's dialect and the
        // review's findings, made here (on the thread that runs the Migrator) for a preview to show as is.
        PlanDetails details;
    };

    Migrator(const RevisionMap &map, DatabaseUrl url, MigratorOptions options = {});

    void setCallbacks(MigratorCallbacks callbacks) { m_callbacks = std::move(callbacks); }
    void setObserver(MigrationObserver *observer) { m_observer = observer; }
    // Checked between statements; when set the current step fails as "cancelled by the user".
    void setCancelToken(const std::atomic_bool *cancel) { m_cancel = cancel; }

    Expected<Result> run(const Request &request);
    // The rows of the version table as they are, without a lock; empty when the table is missing (which is
    // never created here): what "current" shows.
    // With `interrupted`, also the steps killed runs left half done (AuditHistory::interruptedSteps()), read
    // on the same connection.
    Expected<QStringList> currentRows(QList<HistoryEntry> *interrupted = nullptr);

    Dialect dialect() const;
    // The dialect a run with these options uses on `url`: the version table's name and schema, and the
    // database's name where the server has several.
    static Dialect dialectFor(const DatabaseUrl &url, const MigratorOptions &options);
    const DatabaseUrl &url() const { return m_url; }

    // The lock holder as a sentence, from the columns of Dialect::lockHolderSql() as text (timestamps in
    // ISO UTC), and the error of a run that timed out waiting for the lock; shared with AlembicRunner.
    static QString lockHolderText(DatabaseUrl::Backend backend, const QStringList &values);
    // What a run refuses with when the audit history holds steps a killed run left half done
    // (AuditHistory::interruptedSteps()): each step, what of it committed, the version rows now, and the
    // ways to settle it. Shared with `current` and `check`.
    static QString interruptedStepsMessage(const RevisionMap &map, const QList<HistoryEntry> &interrupted,
                                           const QStringList &rows);
    static EngineError lockTimeoutError(const DatabaseUrl &url, const Dialect &dialect, int timeoutSeconds,
                                        const QString &holder);

private:
    const RevisionMap &m_map;
    DatabaseUrl m_url;
    MigratorOptions m_options;
    MigratorCallbacks m_callbacks;
    MigrationObserver *m_observer = nullptr;
    const std::atomic_bool *m_cancel = nullptr;
};

} // namespace qmigrate
