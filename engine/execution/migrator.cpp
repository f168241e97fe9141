// SPDX-License-Identifier: MIT
#include "execution/migrator.h"

#include "audit/audithistory.h"
#include "config/projectconfig.h"
#include "database/databaseconnection.h"
#include "database/sqliteapi.h"
#include "database/versiontable.h"
#include "execution/clusterrunlock.h"
#include "execution/plannedscripts.h"
#include "execution/runlockfile.h"
#include "execution/runplanner.h"
#include "scripts/scriptchecksum.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

MigratorOptions MigratorOptions::fromConfig(const ProjectConfig &config)
{
    MigratorOptions options;
    options.baseDirectory = config.here();
    options.versionTable = config.versionTable();
    options.versionTableSchema = config.versionTableSchema();
    options.transactionPerMigration = config.transactionPerMigration();
    if (config.lockWaitTimeout() >= 0)
        options.lockWaitSeconds = config.lockWaitTimeout();
    if (config.statementTimeout() >= 0)
        options.statementTimeoutSeconds = config.statementTimeout();
    if (config.lockRetries() >= 0)
        options.lockRetries = config.lockRetries();
    return options;
}

namespace {

using Backend = DatabaseUrl::Backend;

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// One online run: the connection, the lock and the transaction state.
class Run
{
public:
    Run(const RevisionMap &map, const DatabaseUrl &url, const MigratorOptions &options,
        const MigratorCallbacks &callbacks, MigrationObserver *observer, const std::atomic_bool *cancel,
        Dialect dialect)
        : m_map(map)
        , m_url(url)
        , m_options(options)
        , m_callbacks(callbacks)
        , m_observer(observer)
        , m_cancel(cancel)
        , m_dialect(std::move(dialect))
    {}

    ~Run()
    {
        if (!m_connection)
            return;
        if (m_inTransaction) {
            exec(u"ROLLBACK"_s);
            if (m_observer)
                m_observer->transactionRolledBack();
        }
        releaseLock();
        if (m_observer)
            m_observer->connectionClosing();
    }

    Expected<Migrator::Result> run(const Migrator::Request &request);

private:
    void log(const QString &line) const
    {
        if (m_callbacks.log)
            m_callbacks.log(line);
    }
    QSqlDatabase &db() { return m_connection->database(); }
    // Runs one statement; the server's message on failure.
    std::optional<QString> exec(const QString &sql, QString *errorCode = nullptr)
    {
        return execParts(sql, nullptr, errorCode);
    }
    // Runs a text of one or more statements (a step's savepoint, one of its statements, its version writes),
    // sent as one message; the server's message on failure. *affected, when given, gets the rows each
    // statement affected, up to the one that failed: its size is that statement's position.
    std::optional<QString> execParts(const QString &sql, QList<int> *affected, QString *errorCode = nullptr)
    {
        // A query on a closed connection only makes Qt warn on stderr; the caller gets the reason instead.
        if (!db().isOpen())
            return u"the connection to the database is closed"_s;
        if (m_sqlite) {
            if (sqlite3 *handle = SqliteApi::handle(db())) {
                int code = 0;
                std::optional<QString> message = m_sqlite->execute(handle, sql.toUtf8(), affected, &code);
                if (!message)
                    return std::nullopt;
                if (errorCode)
                    *errorCode = QString::number(code);
                return message->simplified();
            }
        }
        QSqlQuery query(db());
        bool ok = query.exec(sql);
        // Each statement gives a result of its own; the driver reports only the first unless asked for the
        // next.
        while (ok) {
            if (affected)
                affected->append(query.numRowsAffected());
            if (!query.nextResult())
                break;
        }
        ok = ok && query.lastError().type() == QSqlError::NoError;
        if (!ok) {
            if (errorCode)
                *errorCode = query.lastError().nativeErrorCode();
            return DatabaseConnection::serverMessage(query.lastError());
        }
        query.finish();
        return std::nullopt;
    }
    Expected<void> databaseError(const QString &what, const std::optional<QString> &message) const
    {
        if (!message)
            return {};
        return EngineError(u"%1 on %2 failed: %3"_s.arg(what, m_url.toDisplayString(), *message),
                           EngineError::Kind::Database);
    }
    Expected<void> begin();
    Expected<void> commit(QString *errorCode = nullptr);
    // Has the observer write the records it kept back for the open transaction's steps. When that fails,
    // the step whose record it was fails (stepFailure: rolled back, reported, recorded) and its error is
    // returned; `step` (the one being run) stands for it when the observer names no earlier step.
    Expected<void> writeKeptRecords(const MigrationStep &step);
    // Commits the open transaction after writeKeptRecords(). When that fails, *failed is set and its error,
    // already reported, is returned for the caller to pass on as it is; a failing COMMIT is the caller's to
    // report, as with commit().
    Expected<void> commitSteps(const MigrationStep &step, QString *errorCode, bool *failed);
    void rollback();
    Expected<void> acquireLock();
    // Says, before the wait, that another run holds the lock and whom this run waits for.
    void reportWaiting(const QString &holder) const;
    void releaseLock();
    QString lockHolder();
    EngineError lockTimeout(const QString &holder) const;
    // Galera, before each step: the lock is still this run's and the version table is where the plan says
    // this step starts (read causally under the lock).
    Expected<void> checkClusterBeforeStep(int index);
    // Galera: a step without DDL that lost a conflict with another node (1213) nothing of which committed.
    bool conflictRetryable(const QList<SqlStatement> &statements, const QString &errorCode) const;
    // Both give the index of the step to run next: the one after, or the first of the steps a lock-wait
    // retry runs again.
    Expected<int> retryAfterConflict(int index, const MigrationStep &step, const QString &message);
    Expected<int> runStep(int index, const MigrationStep &step);
    // Before a step that may set a savepoint: the savepoint prefix of its first statement, empty when the
    // one set before an earlier step still serves (set less than savepointIntervalMs ago).
    QString savepointPrefixFor(int index);
    // After going back to the savepoint set before step `first`: the steps from there on are not done, and
    // the records kept back for them go.
    void stepsTakenBack(int first);
    // Request::resume: the one step of the interrupted journal row, planned from the rows now.
    Expected<MigrationPlan> resumePlan(const Migrator::Request &request,
                                       const QList<HistoryEntry> &interrupted, const QStringList &rows,
                                       QStringList *warnings);
    // Request::resume, once the step's file is read and split: the file is the one the step started with and
    // the number of statements to skip is one the journal allows.
    Expected<void> checkResume(const Migrator::Request &request);
    // The journal text (JournalProgress::text) of the step being run: m_executed committed, `started` (when
    // not null) started after them.
    QString journalText(int total, const SqlStatement *started) const;
    EngineError stepFailure(const MigrationStep &step, const QString &message, const SqlStatement *statement);
    QStringList committedRows() const;
    QString rowsReadBack(); // the version rows as the database has them now, as text for messages
    // After a failure: true when the run's connection still answers or a new one could be opened (why
    // not, otherwise).
    bool reconnectIfLost(QString *why);

    const RevisionMap &m_map;
    const DatabaseUrl &m_url;
    const MigratorOptions &m_options;
    const MigratorCallbacks &m_callbacks;
    MigrationObserver *m_observer;
    const std::atomic_bool *m_cancel;
    Dialect m_dialect;
    // SQLite: statements go straight through SQLite's API on the driver's connection (null when it cannot:
    // then through QSqlQuery, which runs only the first statement of a text).
    const SqliteApi *m_sqlite = nullptr;
    std::shared_ptr<DatabaseConnection> m_connection;
    std::unique_ptr<VersionTable> m_table;
    std::unique_ptr<RunLockFile> m_lockFile;       // SQLite files: the run lock that survives commits
    std::unique_ptr<ClusterRunLock> m_clusterLock; // Galera: the run lock is a replicated row
    ClusterInfo m_cluster;                         // Galera: what the node said when the run connected
    int m_conflictAttempt = 0;                     // Galera: runs of the current step lost to a conflict
    QString m_lockCommand; // what this run is, for the message of a run that waits in vain
    MigrationPlan m_plan;
    QList<QList<SqlStatement>> m_statements; // per step, split before the run starts
    QList<ScriptChecksum::Script> m_scripts; // per step, the file as read and checked before the run starts
    QStringList m_sectionSql;                // per step, the section that runs, from that same read
    MigrationStepReport m_report;            // the step being run
    // The steps the open transaction holds whose records the observer may still have to write.
    QList<MigrationStepReport> m_uncommittedSteps;
    bool m_inTransaction = false;
    // A savepoint is set in the open transaction, before step m_savepointStep, m_savepointAge ago (released
    // when a later step sets the next one, so a long run does not pile up subtransactions).
    bool m_savepointSet = false;
    int m_savepointStep = -1;
    QElapsedTimer m_savepointAge;
    // The step whose statement last gave up waiting for a lock, and how often it has been run again.
    int m_lockRetryStep = -1;
    int m_lockRetryAttempt = 0;
    bool m_locked = false;
    bool m_resolveInterrupted = false; // a stamp that settles steps a killed run left half done
    bool m_journaled = false;          // the step being run commits as it goes and has a journal row
    struct Resume
    {
        HistoryEntry journal;     // the interrupted step's row
        JournalProgress progress; // what the row says
        int after = 0;            // statements of the step already committed, which this run skips
    };
    std::optional<Resume> m_resume; // a run that continues an interrupted step (its plan's only step)
    // Steps whose version writes are committed; -1 while even the purge is not.
    int m_committedSteps = -1;
    int m_completedSteps = 0;
    // The failing step's statements that ran before the failure, and whether one of them committed
    // implicitly (MySQL DDL) or outside a transaction (no-transaction marker).
    QList<const SqlStatement *> m_executed;
    QString m_partialCommitReason; // empty while nothing of the failing step is committed
};

Expected<void> Run::begin()
{
    if (m_inTransaction)
        return {};
    // SQLite: IMMEDIATE takes the write lock at once, which is the run lock.
    const QString sql = m_dialect.backend() == Backend::SQLite  ? u"BEGIN IMMEDIATE"_s
                        : m_dialect.backend() == Backend::MySQL ? u"START TRANSACTION"_s
                                                                : u"BEGIN"_s;
    if (auto started = databaseError(u"Starting a transaction"_s, exec(sql)); !started)
        return started;
    m_inTransaction = true;
    return {};
}

Expected<void> Run::commit(QString *errorCode)
{
    if (!m_inTransaction)
        return {};
    m_inTransaction = false;
    m_savepointSet = false;
    return databaseError(u"Committing"_s, exec(u"COMMIT"_s, errorCode));
}

void Run::rollback()
{
    if (!m_inTransaction)
        return;
    m_inTransaction = false;
    m_savepointSet = false;
    exec(u"ROLLBACK"_s);
    m_uncommittedSteps.clear();
    if (m_observer)
        m_observer->transactionRolledBack();
}

Expected<void> Run::writeKeptRecords(const MigrationStep &step)
{
    if (!m_observer || !m_inTransaction)
        return {};
    int failedStep = -1;
    if (auto written = m_observer->writeKeptRecords(db(), &failedStep); !written) {
        // The failure is the step's whose record could not be written; everything of the transaction rolls
        // back with it, as when that step itself fails.
        const auto reported =
            std::find_if(m_uncommittedSteps.cbegin(), m_uncommittedSteps.cend(),
                         [&](const MigrationStepReport &report) { return report.index == failedStep; });
        if (reported != m_uncommittedSteps.cend() && reported->index != m_report.index) {
            // An earlier step: none of its statements is committed.
            m_report = *reported;
            m_executed.clear();
            m_partialCommitReason.clear();
            return stepFailure(*m_report.step, written.error().message(), nullptr);
        }
        return stepFailure(step, written.error().message(), nullptr);
    }
    m_uncommittedSteps.clear();
    return {};
}

Expected<void> Run::commitSteps(const MigrationStep &step, QString *errorCode, bool *failed)
{
    *failed = false;
    if (auto written = writeKeptRecords(step); !written) {
        *failed = true;
        return written;
    }
    return commit(errorCode);
}

bool Run::reconnectIfLost(QString *why)
{
    if (db().isOpen()) {
        QSqlQuery probe(db());
        if (probe.exec(u"SELECT 1"_s))
            return true;
    }
    // The session is gone (server restarted, session terminated): its transaction went with it and so did
    // its lock. A new connection reads the state back and records the failure. A restarting server refuses
    // connections for a few seconds ("the database system is shutting down", "... is starting up"), so
    // connecting is retried for a while before the state is declared unknown.
    constexpr qint64 reconnectWindowMs = 15000;
    QDeadlineTimer deadline(reconnectWindowMs);
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(m_url, m_options.baseDirectory, m_options.applicationName);
    if (!connection)
        log(u"The connection to the database was lost during the run; trying to reconnect for up to %1 s to "
            u"read the state back."_s.arg(reconnectWindowMs / 1000));
    while (!connection && !deadline.hasExpired()) {
        QThread::msleep(qMin<qint64>(500, qMax<qint64>(1, deadline.remainingTime())));
        connection = DatabaseConnection::open(m_url, m_options.baseDirectory, m_options.applicationName);
    }
    if (!connection) {
        *why = connection.error().message();
        return false;
    }
    if (m_observer)
        m_observer->connectionClosing();
    m_connection = *connection;
    m_table = std::make_unique<VersionTable>(db(), m_dialect);
    m_inTransaction = false;
    m_uncommittedSteps.clear();
    m_savepointSet = false;
    m_locked = false;
    log(u"The connection to the database was lost during the run; a new one reads the state back."_s);
    return true;
}

QString Run::lockHolder()
{
    const QString sql = m_dialect.lockHolderSql();
    if (sql.isEmpty())
        return QString();
    QSqlQuery query(db());
    if (!query.exec(sql) || !query.next())
        return QString();
    QStringList values;
    for (int column = 0; column < query.record().count(); ++column) {
        const QVariant value = query.value(column);
        values.append(value.metaType().id() == QMetaType::QDateTime
                          ? value.toDateTime().toUTC().toString(Qt::ISODate)
                          : value.toString());
    }
    return Migrator::lockHolderText(m_dialect.backend(), values);
}

void Run::reportWaiting(const QString &holder) const
{
    QString line = u"Waiting up to %1 s for the migration lock on %2: another migration is running"_s.arg(
        qMax(0, m_options.lockTimeoutSeconds));
    line = line.arg(m_dialect.qualifiedVersionTable());
    if (!holder.isEmpty())
        line += u" (held by "_s + holder + u')';
    log(line + u'.');
}

EngineError Run::lockTimeout(const QString &holder) const
{
    return Migrator::lockTimeoutError(m_url, m_dialect, m_options.lockTimeoutSeconds, holder);
}

Expected<void> Run::acquireLock()
{
    const int timeout = qMax(0, m_options.lockTimeoutSeconds);
    switch (m_dialect.backend()) {
    case Backend::SQLite: {
        // The file lock holds for the whole run, across its commits; the write transaction below is
        // SQLite's own lock against every other writer while a transaction is open.
        if (!m_url.isSqliteMemory()) {
            m_lockFile = std::make_unique<RunLockFile>(
                RunLockFile::pathFor(m_url.sqliteFilePath(m_options.baseDirectory)));
            Expected<bool> taken = m_lockFile->acquire(0, m_lockCommand, m_cancel);
            if (taken && !*taken && timeout > 0) {
                reportWaiting(m_lockFile->holder());
                taken = m_lockFile->acquire(timeout, m_lockCommand, m_cancel);
            }
            if (!taken)
                return taken.error();
            if (!*taken) {
                const QString holder = m_lockFile->holder();
                m_lockFile.reset();
                return lockTimeout(holder);
            }
        }
        if (auto set =
                databaseError(u"Setting the busy timeout"_s, exec(m_dialect.busyTimeoutSql(timeout * 1000)));
            !set)
            return set;
        QSqlQuery query(db());
        if (!query.exec(m_dialect.acquireLockSql(timeout))) {
            const QString message = DatabaseConnection::serverMessage(query.lastError());
            if (message.contains(u"locked"_s) || message.contains(u"busy"_s))
                return lockTimeout(QString());
            return databaseError(u"Taking the write lock"_s, message);
        }
        query.finish();
        m_inTransaction = true;
        m_locked = true;
        return {};
    }
    case Backend::PostgreSQL: {
        // pg_advisory_lock would wait forever; a loop over the try form gives a timeout and the holder.
        const QDeadlineTimer deadline(qint64(timeout) * 1000);
        bool waiting = false;
        for (;;) {
            QSqlQuery query(db());
            if (!query.exec(m_dialect.tryLockSql()) || !query.next())
                return databaseError(u"Taking the advisory lock"_s,
                                     DatabaseConnection::serverMessage(query.lastError()));
            if (query.value(0).toBool()) {
                m_locked = true;
                return {};
            }
            query.finish();
            if (deadline.hasExpired())
                return lockTimeout(lockHolder());
            if (!waiting) {
                waiting = true;
                reportWaiting(lockHolder());
            }
            QThread::msleep(qMin<qint64>(100, qMax<qint64>(1, deadline.remainingTime())));
        }
    }
    case Backend::MySQL: {
        if (m_cluster.galera) {
            // GET_LOCK is granted per node; the lock row is replicated to all of them.
            m_clusterLock =
                std::make_unique<ClusterRunLock>(m_connection, m_url, m_options.baseDirectory, m_dialect,
                                                 m_lockCommand, m_options.clusterLockExpirySeconds);
            Expected<bool> taken =
                m_clusterLock->acquire(timeout, m_cancel, [this](const QString &line) { log(line); });
            if (!taken)
                return taken.error();
            if (!*taken) {
                const QString holder = m_clusterLock->holder();
                m_clusterLock.reset();
                return lockTimeout(holder);
            }
            return {};
        }
        // A first GET_LOCK that does not wait tells whether to say that this run waits, and for whom.
        for (const int wait : {0, timeout}) {
            QSqlQuery query(db());
            if (!query.exec(m_dialect.acquireLockSql(wait)) || !query.next())
                return databaseError(u"Taking the lock"_s,
                                     DatabaseConnection::serverMessage(query.lastError()));
            if (query.value(0).isNull())
                return databaseError(u"Taking the lock"_s, u"GET_LOCK returned NULL"_s);
            if (query.value(0).toInt() == 1) {
                m_locked = true;
                return {};
            }
            query.finish();
            if (wait == timeout)
                break;
            reportWaiting(lockHolder());
        }
        return lockTimeout(lockHolder());
    }
    }
    return {};
}

void Run::releaseLock()
{
    m_lockFile.reset();
    m_clusterLock.reset();
    if (!m_locked)
        return;
    m_locked = false;
    const QString sql = m_dialect.releaseLockSql();
    if (!sql.isEmpty())
        exec(sql);
}

QString Run::rowsReadBack()
{
    Expected<QStringList> rows = m_table ? m_table->readRows() : Expected<QStringList>(QStringList());
    if (rows)
        return RunPlanner::rowsText(*rows);
    return u"unknown: it could not be read back (%1); the last step committed left it at %2"_s.arg(
        rows.error().message(), RunPlanner::rowsText(committedRows()));
}

QStringList Run::committedRows() const
{
    if (m_committedSteps < 0)
        return m_plan.rowsBefore();
    if (m_committedSteps == 0)
        return m_plan.rowsAtStart();
    return m_plan.rowsAfterStep(m_committedSteps - 1);
}

EngineError Run::stepFailure(const MigrationStep &step, const QString &message, const SqlStatement *statement)
{
    const Revision *revision = step.revision >= 0 ? &m_map.revision(step.revision) : nullptr;
    QString text = u"%1 failed"_s.arg(step.shortLog());
    if (statement)
        text += u" at line %1 (%2)"_s.arg(statement->line).arg(statement->summary());
    text += u": "_s + message;
    // MySQL commits the open transaction before it even tries a DDL statement, so earlier statements of the
    // step are permanent when a DDL statement fails too.
    if (m_partialCommitReason.isEmpty() && m_dialect.backend() == Backend::MySQL && statement &&
        statement->kind == SqlStatement::Kind::Ddl && !m_executed.isEmpty())
        m_partialCommitReason =
            u"MySQL/MariaDB commits implicitly before a DDL statement, even a failing one"_s;
    rollback();
    QString unreachable;
    const bool reachable = reconnectIfLost(&unreachable);
    // What the version table says now, read back rather than inferred from the plan: after a partial commit
    // or another writer the inference could be wrong, and the user acts on this sentence.
    const QString rowsNow =
        reachable ? rowsReadBack()
                  : u"unknown: the database cannot be reached to read it back (%1); run `current` when it is "
                    u"back"_s.arg(unreachable);
    if (!m_partialCommitReason.isEmpty()) {
        QStringList committed;
        for (const SqlStatement *done : std::as_const(m_executed))
            committed.append(u"line %1 %2"_s.arg(done->line).arg(done->summary()));
        text += u"\nAlready committed before the failure (%1): %2.\nThe database is "
                u"between "
                u"%3 and %4: alembic_version still says %5. Fix by hand (undo the committed statements or "
                u"finish the step), then run again or stamp."_s.arg(
                    m_partialCommitReason, committed.join(u"; "_s),
                    step.fromRevisions.isEmpty() ? u"base"_s : step.fromRevisions.join(u", "_s),
                    step.toRevisions.isEmpty() ? u"base"_s : step.toRevisions.join(u", "_s), rowsNow);
    } else {
        text += u"\nRolled back; alembic_version is at %1."_s.arg(rowsNow);
    }
    if (!reachable)
        text += u"\nThis failure is not recorded in the audit history: the database cannot be reached."_s;
    EngineError error(text, revision ? revision->path : QString(), statement ? statement->line : 0,
                      revision ? revision->id : QString(), EngineError::Kind::Database);
    if (m_observer && reachable) {
        MigrationStepReport report = m_report;
        report.finished = QDateTime::currentDateTimeUtc();
        m_observer->stepFailed(db(), report, error);
    }
    return error;
}

Expected<void> Run::checkClusterBeforeStep(int index)
{
    const MigrationStep &step = m_plan.steps().at(index);
    const QStringList expected = index == 0 ? m_plan.rowsAtStart() : m_plan.rowsAfterStep(index - 1);
    if (const QString lost = m_clusterLock ? m_clusterLock->lostReason() : QString(); !lost.isEmpty())
        return EngineError(
            u"Stopped before %1: %2. Nothing of that step ran; alembic_version is at %3."_s.arg(
                step.shortLog(), lost, RunPlanner::rowsText(expected)),
            EngineError::Kind::Database);
    Expected<QStringList> rows = m_table->readRows();
    if (!rows)
        return rows.error();
    QStringList now = *rows;
    QStringList wanted = expected;
    now.sort();
    wanted.sort();
    if (now == wanted)
        return {};
    return EngineError(
        u"Another node changed the version table while this run was at %1: %2 now says %3. "
        u"Stopped before %4; nothing of it ran. Another migration (one that does not take "
        u"qmigrate's lock, or a stamp by hand) wrote to %2; run `current` and plan again."_s.arg(
            RunPlanner::rowsText(expected), m_dialect.qualifiedVersionTable(), RunPlanner::rowsText(*rows),
            step.shortLog()),
        EngineError::Kind::Database);
}

bool Run::conflictRetryable(const QList<SqlStatement> &statements, const QString &errorCode) const
{
    if (!m_cluster.galera || !ClusterInfo::isConflict(errorCode) ||
        m_conflictAttempt >= m_options.conflictRetries || !m_partialCommitReason.isEmpty())
        return false;
    // A DDL statement has committed the moment it ran: running the step again would run it twice.
    return std::none_of(statements.cbegin(), statements.cend(), [](const SqlStatement &statement) {
        return statement.noTransaction || statement.kind == SqlStatement::Kind::Ddl;
    });
}

Expected<int> Run::retryAfterConflict(int index, const MigrationStep &step, const QString &message)
{
    rollback();
    ++m_conflictAttempt;
    const QString warning =
        u"%1 lost a conflict with a write committed on another node (%2); nothing of it committed. The "
        u"version table is read again and the step runs again (retry %3 of %4)."_s
            .arg(step.shortLog(), message)
            .arg(m_conflictAttempt)
            .arg(m_options.conflictRetries);
    if (m_callbacks.warning)
        m_callbacks.warning(warning);
    else
        log(warning);
    if (auto unchanged = checkClusterBeforeStep(index); !unchanged)
        return unchanged.error();
    return runStep(index, step);
}

QString Run::savepointPrefixFor(int index)
{
    if (m_savepointSet &&
        (m_savepointStep == index || m_savepointAge.elapsed() < qMax(0, m_options.savepointIntervalMs)))
        return QString();
    const QString prefix = m_savepointSet ? u"RELEASE SAVEPOINT qmigrate_step; SAVEPOINT qmigrate_step; "_s
                                          : u"SAVEPOINT qmigrate_step; "_s;
    m_savepointSet = true;
    m_savepointStep = index;
    m_savepointAge.start();
    return prefix;
}

void Run::stepsTakenBack(int first)
{
    m_completedSteps = first;
    m_uncommittedSteps.removeIf([first](const MigrationStepReport &report) { return report.index >= first; });
    if (m_observer)
        m_observer->rolledBackToStep(first);
}

Expected<int> Run::runStep(int index, const MigrationStep &step)
{
    const int count = int(m_plan.steps().size());
    const bool transactional = m_dialect.transactionalDdl();
    m_executed.clear();
    m_partialCommitReason.clear();
    m_report = MigrationStepReport();
    MigrationStepReport &report = m_report;
    report.index = index;
    report.count = count;
    report.step = &step;
    report.started = QDateTime::currentDateTimeUtc();
    if (step.direction != MigrationStep::Direction::Stamp) {
        const Revision &revision = m_map.revision(step.revision);
        report.revision = &revision;
        report.script = m_sectionSql.at(index);
        report.fileText = m_scripts.at(index).text;
        report.fileChecksum = m_scripts.at(index).checksum;
    }
    const QList<SqlStatement> &statements = m_statements.at(index);
    // A step that commits as it goes cannot roll back: its journal row is committed before any of it runs.
    m_journaled =
        m_observer && std::any_of(statements.cbegin(), statements.cend(), [&](const SqlStatement &s) {
            return s.noTransaction || (!transactional && s.kind == SqlStatement::Kind::Ddl);
        });
    // A resumed step starts after the statements the interrupted run committed, which count as this step's.
    const int skipped = (m_resume && index == 0) ? m_resume->after : 0;
    const auto restartStatements = [&] {
        m_executed.clear();
        m_partialCommitReason.clear();
        for (int position = 0; position < skipped; ++position)
            m_executed.append(&statements.at(position));
        if (skipped > 0)
            m_partialCommitReason = u"committed by the interrupted run this one resumed"_s;
    };
    restartStatements();
    if (m_resume && index == 0)
        report.resumedAfter = skipped;
    if (m_journaled) {
        // The records of the steps before go first, so the history keeps the order of the steps.
        if (auto written = writeKeptRecords(step); !written)
            return written.error();
        if (auto journaled = (m_resume && index == 0)
                                 ? m_observer->stepJournalResumed(db(), report, m_resume->journal.id)
                                 : m_observer->stepJournalStarted(db(), report);
            !journaled)
            return stepFailure(step, journaled.error().message(), nullptr);
    }
    if (!transactional || m_options.transactionPerMigration) {
        if (auto started = begin(); !started)
            return stepFailure(step, started.error().message(), nullptr);
    }
    log(step.logLine());
    if (m_callbacks.stepStarted)
        m_callbacks.stepStarted(index, count, step);

    // A statement that gave up waiting for a lock can be tried again with its whole step, as long as nothing
    // of the step has committed: inside a transaction a savepoint takes the step back (and the steps since
    // the savepoint, which run again too); on MySQL, where DDL commits, only while no statement of the step
    // has run.
    const bool commitsAsItGoes = std::any_of(statements.cbegin(), statements.cend(),
                                             [](const SqlStatement &s) { return s.noTransaction; });
    // (SQLite statements never wait for another session's lock during a run: it holds the write lock.)
    const bool savepoint = transactional && m_dialect.backend() != Backend::SQLite && !commitsAsItGoes &&
                           m_inTransaction && m_options.lockRetries > 0;
    // The savepoint travels with the step's first statement (one round trip less per step); a step without
    // statements sets it on its own.
    QString savepointPrefix = savepoint ? savepointPrefixFor(index) : QString();
    if (!savepointPrefix.isEmpty() && skipped >= statements.size()) {
        if (auto saved = databaseError(u"Setting a savepoint"_s, exec(savepointPrefix.chopped(2))); !saved)
            return stepFailure(step, saved.error().message(), nullptr);
        savepointPrefix.clear();
    }
    // Steps a retry runs again keep counting the retries of the step that gave up.
    if (index > m_lockRetryStep) {
        m_lockRetryStep = index;
        m_lockRetryAttempt = 0;
    }
    // In a transaction of many steps, the step's version writes travel with its last statement: on
    // PostgreSQL one round trip less per step, on SQLite one statement object less. (A step that commits on
    // its own sends its audit row with them, after its statements; one that commits as it goes writes them
    // after its last commit.)
    const bool versionAlong = (m_dialect.backend() == Backend::PostgreSQL || m_sqlite) && transactional &&
                              !m_options.transactionPerMigration && !m_journaled &&
                              skipped < statements.size() && !statements.last().noTransaction &&
                              !step.versionChanges.isEmpty();
    QList<int> versionAffected; // the rows each of those writes affected
    for (qsizetype position = skipped; position < statements.size(); ++position) {
        const SqlStatement &statement = statements.at(position);
        if (m_cancel && m_cancel->load()) {
            m_report.cancelled = true;
            return stepFailure(step, u"cancelled by the user (before this statement ran)"_s, &statement);
        }
        const bool commits =
            statement.noTransaction || (!transactional && statement.kind == SqlStatement::Kind::Ddl);
        if (m_journaled && commits) {
            // Written where it commits together with everything before this statement (MySQL commits before
            // DDL; the commit below), so after a kill the journal tells a statement that may have committed
            // from one that never started.
            if (auto journaled = m_observer->stepJournalProgress(
                    db(), m_report, journalText(int(statements.size()), &statement));
                !journaled)
                return stepFailure(step, journaled.error().message(), &statement);
        }
        if (statement.noTransaction && m_inTransaction) {
            // Everything before, earlier steps included, becomes permanent here.
            bool recordFailed = false;
            if (auto committed = commitSteps(step, nullptr, &recordFailed); !committed)
                return recordFailed ? committed.error()
                                    : stepFailure(step, committed.error().message(), &statement);
            m_committedSteps = index;
        }
        if (m_callbacks.statementStarted)
            m_callbacks.statementStarted(index, statement);
        const QString prefix = std::exchange(savepointPrefix, QString());
        QString text = prefix + statement.text;
        if (versionAlong && position == statements.size() - 1) {
            for (const VersionChange &change : step.versionChanges)
                text += u";\n"_s + m_table->changeSql(change);
        }
        // The prefix's statements, then this one, then the version writes: one result each.
        const qsizetype statementResult = prefix.count(u';');
        QList<int> affected;
        QString errorCode;
        std::optional<QString> message = execParts(text, &affected, &errorCode);
        if (message && affected.size() > statementResult) {
            // The statement ran; a version write failed.
            m_executed.append(&statement);
            const VersionChange &change = step.versionChanges.at(affected.size() - statementResult - 1);
            return stepFailure(step, m_table->changeFailed(change, *message).message(), nullptr);
        }
        if (message) {
            const bool retry = m_dialect.isLockTimeout(errorCode) &&
                               m_lockRetryAttempt < m_options.lockRetries &&
                               (savepoint || (!transactional && m_executed.isEmpty()));
            if (!retry && conflictRetryable(statements, errorCode))
                return retryAfterConflict(index, step, *message);
            if (!retry && m_cluster.galera && ClusterInfo::isConflict(errorCode))
                return stepFailure(step,
                                   *message +
                                       u" (on a Galera cluster: a conflicting write or DDL committed on "
                                       u"another node first; this step is not run again because "
                                       u"MariaDB commits its DDL as it goes)"_s,
                                   &statement);
            if (!retry)
                return stepFailure(step, *message, &statement);
            const int attempt = ++m_lockRetryAttempt;
            // The steps between the savepoint and this one are taken back with it, and run again first.
            const int replayFrom = savepoint ? m_savepointStep : index;
            if (savepoint) {
                if (auto restored = databaseError(u"Going back to the savepoint"_s,
                                                  exec(u"ROLLBACK TO SAVEPOINT qmigrate_step"_s));
                    !restored)
                    return stepFailure(step, restored.error().message(), &statement);
                m_savepointAge.start();
                if (replayFrom < index)
                    stepsTakenBack(replayFrom);
            } else {
                // MySQL ended the step's transaction before the failed DDL; nothing of the step ran.
                m_inTransaction = false;
                if (auto started = begin(); !started)
                    return stepFailure(step, started.error().message(), &statement);
            }
            const int delaySeconds = 1 << (attempt - 1);
            const QString again =
                replayFrom < index
                    ? u"the step runs again, after the %1 step(s) before it since the last savepoint, in"_s
                          .arg(index - replayFrom)
                    : u"the step runs again in"_s;
            const QString warning = u"%1: line %2 (%3) gave up waiting for a lock another session holds "
                                    u"(%4); %5 %6 s (retry %7 of %8)"_s.arg(step.shortLog())
                                        .arg(statement.line)
                                        .arg(statement.summary(), *message, again)
                                        .arg(delaySeconds)
                                        .arg(attempt)
                                        .arg(m_options.lockRetries);
            if (m_callbacks.warning)
                m_callbacks.warning(warning);
            else
                log(warning);
            const QDeadlineTimer wait(qint64(delaySeconds) * 1000);
            while (!wait.hasExpired() && !(m_cancel && m_cancel->load()))
                QThread::msleep(qMin<qint64>(100, qMax<qint64>(1, wait.remainingTime())));
            if (replayFrom < index)
                return replayFrom;
            restartStatements();
            position = skipped - 1;
            continue;
        }
        versionAffected = affected.mid(statementResult + 1);
        m_executed.append(&statement);
        if (m_partialCommitReason.isEmpty()) {
            if (!m_inTransaction)
                m_partialCommitReason = u"committed around a \"-- migrate:no-transaction\" statement"_s;
            else if (!transactional && statement.kind == SqlStatement::Kind::Ddl)
                m_partialCommitReason = u"MySQL/MariaDB commits DDL implicitly"_s;
        }
        if (m_journaled && commits) {
            // Still outside any transaction here: the progress is committed as the statement was.
            if (auto journaled = m_observer->stepJournalProgress(
                    db(), m_report, journalText(int(statements.size()), nullptr));
                !journaled)
                return stepFailure(step, journaled.error().message(), &statement);
        }
        if (statement.noTransaction) {
            if (auto started = begin(); !started)
                return stepFailure(step, started.error().message(), &statement);
        } else if (!transactional && statement.kind == SqlStatement::Kind::Ddl && m_inTransaction) {
            // MySQL ended the transaction at this statement (implicit commit) and would run what follows in
            // autocommit: a new one holds it, so the step's version write and its audit row commit together
            // and a kill between them cannot leave one without the other.
            m_inTransaction = false;
            if (auto started = begin(); !started)
                return stepFailure(step, started.error().message(), &statement);
        }
    }
    if (m_cancel && m_cancel->load()) {
        m_report.cancelled = true;
        return stepFailure(step, u"cancelled by the user"_s, nullptr);
    }
    report.finished = QDateTime::currentDateTimeUtc();
    // On PostgreSQL a step that commits on its own has its audit row ride in its last version write: one
    // round trip for both. In a transaction of many steps the rows are kept back and written together just
    // before it commits (writeKeptRecords), which costs the server less than a row per statement.
    QString recordAlong;
    if (m_observer && m_dialect.backend() == Backend::PostgreSQL && m_options.transactionPerMigration &&
        !step.versionChanges.isEmpty())
        recordAlong = m_observer->stepAppliedStatement(db(), report);
    for (qsizetype change = 0; change < step.versionChanges.size(); ++change) {
        const bool last = change == step.versionChanges.size() - 1;
        if (auto written =
                versionAlong
                    ? m_table->checkAffected(step.versionChanges.at(change), versionAffected.value(change))
                    : m_table->apply(step.versionChanges.at(change), last ? recordAlong : QString());
            !written)
            return stepFailure(step, written.error().message(), nullptr);
    }
    if (m_observer && recordAlong.isEmpty()) {
        if (auto recorded = m_observer->stepApplied(db(), report); !recorded)
            return stepFailure(step, recorded.error().message(), nullptr);
    }
    if (m_observer)
        m_uncommittedSteps.append(report);
    if (!transactional || m_options.transactionPerMigration) {
        QString errorCode;
        bool recordFailed = false;
        if (auto committed = commitSteps(step, &errorCode, &recordFailed); !committed) {
            if (recordFailed)
                return committed.error();
            if (conflictRetryable(statements, errorCode))
                return retryAfterConflict(index, step, committed.error().message());
            return stepFailure(step, committed.error().message(), nullptr);
        }
        m_committedSteps = index + 1;
    }
    m_completedSteps = index + 1;
    if (m_callbacks.stepFinished)
        m_callbacks.stepFinished(index, count, step);
    return index + 1;
}

QString Run::journalText(int total, const SqlStatement *started) const
{
    const auto summary = [](const SqlStatement &statement) {
        return u"line %1 %2"_s.arg(statement.line).arg(statement.summary());
    };
    QStringList committed;
    for (const SqlStatement *executed : std::as_const(m_executed))
        committed.append(summary(*executed));
    return JournalProgress::text(committed, total, started ? summary(*started) : QString());
}

Expected<MigrationPlan> Run::resumePlan(const Migrator::Request &request,
                                        const QList<HistoryEntry> &interrupted, const QStringList &rows,
                                        QStringList *warnings)
{
    const bool up = request.kind == Migrator::Request::Kind::Upgrade;
    const QString command = up ? u"upgrade"_s : u"downgrade"_s;
    if (request.kind == Migrator::Request::Kind::Stamp)
        return EngineError(u"A stamp cannot resume a step; upgrade or downgrade resumes it"_s,
                           EngineError::Kind::Usage);
    if (!request.targets.isEmpty())
        return EngineError(u"A resume continues the interrupted step and takes no target (%1 given)"_s.arg(
                               request.targets.join(u' ')),
                           EngineError::Kind::Usage);
    if (interrupted.isEmpty())
        return EngineError(u"Nothing to resume: no step of %1 was interrupted; alembic_version says %2"_s.arg(
                               m_url.toDisplayString(), RunPlanner::rowsText(rows)),
                           EngineError::Kind::Usage);
    if (interrupted.size() > 1)
        return EngineError(
            u"%1 steps were interrupted, so none can be resumed: settle them by hand and stamp.\n"_s.arg(
                interrupted.size()) +
                Migrator::interruptedStepsMessage(m_map, interrupted, rows),
            EngineError::Kind::Database);
    const HistoryEntry &journal = interrupted.first();
    const HistoryEntry::Direction direction =
        up ? HistoryEntry::Direction::Upgrade : HistoryEntry::Direction::Downgrade;
    if (journal.direction != direction)
        return EngineError(u"The interrupted step is the %1 of %2; %3 cannot resume it, %1 can"_s.arg(
                               HistoryEntry::directionName(journal.direction), journal.revision, command),
                           EngineError::Kind::Usage);
    const int index = m_map.indexOf(journal.revision);
    if (index < 0)
        return EngineError(
            u"The interrupted step's revision %1 is not in this project's scripts; it cannot be "
            u"resumed"_s.arg(journal.revision),
            EngineError::Kind::Project);
    const Revision &revision = m_map.revision(index);
    // The plan to just past (or just before) the revision must be that one step and nothing else: then the
    // version rows are where the interrupted run left them and its version write is the one to make.
    Migrator::Request single;
    single.kind = request.kind;
    single.targets = {up ? revision.id
                         : (revision.downRevisions.isEmpty() ? u"base"_s : revision.downRevisions.first())};
    Expected<MigrationPlan> plan = RunPlanner::plan(m_map, single, rows, warnings);
    if (!plan)
        return plan.error();
    const QList<MigrationStep> &steps = plan->steps();
    const MigrationStep::Direction stepDirection =
        up ? MigrationStep::Direction::Upgrade : MigrationStep::Direction::Downgrade;
    if (steps.size() != 1 || steps.first().revision != index || steps.first().direction != stepDirection) {
        QStringList planned;
        for (const MigrationStep &step : steps)
            planned.append(step.shortLog());
        return EngineError(u"The interrupted %1 of %2 is not the next step from alembic_version's rows (%3): "
                           u"%4 %5 would run %6. Settle it by hand and stamp instead."_s.arg(
                               command, revision.id, RunPlanner::rowsText(rows), command,
                               single.targets.first(),
                               planned.isEmpty() ? u"nothing"_s : planned.join(u", "_s)),
                           revision.path, 0, revision.id, EngineError::Kind::Database);
    }
    m_resume = Resume{journal, JournalProgress::read(journal.errorText), 0};
    return plan;
}

Expected<void> Run::checkResume(const Migrator::Request &request)
{
    const MigrationStep &step = m_plan.steps().first();
    const Revision &revision = m_map.revision(step.revision);
    const HistoryEntry &journal = m_resume->journal;
    const JournalProgress &progress = m_resume->progress;
    const qsizetype total = m_statements.first().size();
    const auto refuse = [&](const QString &why) {
        return EngineError(u"Cannot resume the %1 of %2: %3; nothing was run"_s.arg(
                               HistoryEntry::directionName(journal.direction), revision.id, why),
                           revision.path, 0, revision.id, EngineError::Kind::Database);
    };
    if (revision.kind != Revision::Kind::Sql)
        return refuse(u"it is an Alembic Python revision, which only the project's own Alembic runs"_s);
    if (m_scripts.first().checksum != journal.checksum)
        return refuse(
            u"%1 changed since the interrupted run started the step (checksum %2 then, %3 now), so "
            u"its statements are not the ones that ran. Put the file back as it was (its text then is "
            u"in the audit history: log -v), or settle the step by hand and stamp"_s.arg(
                nativePath(revision.path), journal.checksum, m_scripts.first().checksum));
    if (progress.total != 0 && progress.total != total)
        return refuse(
            u"the journal counts %1 statements and the file has %2"_s.arg(progress.total).arg(total));
    const int after = request.resumeAfter;
    if (after < 0) {
        if (progress.nextStarted && progress.committed < total) {
            const SqlStatement &next = m_statements.first().at(progress.committed);
            return refuse(u"statement %1 (line %2 %3) had started when the run ended and may or may not have "
                          u"committed. Check the database, then resume after %1 if it did, or after %4 if it "
                          u"did not"_s.arg(progress.committed + 1)
                              .arg(next.line)
                              .arg(next.summary())
                              .arg(progress.committed));
        }
        m_resume->after = progress.committed;
    } else {
        const bool allowed =
            after == progress.committed || (progress.nextStarted && after == progress.committed + 1);
        if (!allowed)
            return refuse(
                progress.nextStarted
                    ? u"the journal says %1 statements committed and statement %2 had started, so only %1 or "
                      u"%2 "
                      u"can be resumed after, not %3"_s.arg(progress.committed)
                          .arg(progress.committed + 1)
                          .arg(after)
                    : u"the journal says %1 statements committed, so only %1 can be resumed after, not %2"_s
                          .arg(progress.committed)
                          .arg(after));
        m_resume->after = after;
    }
    if (m_resume->after > total)
        return refuse(u"the file has only %1 statements"_s.arg(total));
    return {};
}

Expected<Migrator::Result> Run::run(const Migrator::Request &request)
{
    if (const QString problem = m_dialect.versionTableNameProblem(); !problem.isEmpty())
        return EngineError(problem + u"; nothing was run"_s, EngineError::Kind::Usage);
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(m_url, m_options.baseDirectory, m_options.applicationName);
    if (!connection)
        return connection.error();
    m_connection = *connection;
    m_table = std::make_unique<VersionTable>(db(), m_dialect);
    if (m_dialect.backend() == Backend::SQLite && SqliteApi::handle(db()))
        m_sqlite = SqliteApi::instance();
    for (const Dialect::SessionSetting &setting :
         m_dialect.sessionTimeoutSql(m_options.lockWaitSeconds, m_options.statementTimeoutSeconds)) {
        if (auto message = exec(setting.sql); message && !setting.optional)
            return EngineError(u"Cannot set the run's timeouts on %1 (%2): %3"_s.arg(m_url.toDisplayString(),
                                                                                     setting.sql, *message),
                               EngineError::Kind::Database);
    }

    m_cluster = m_connection->cluster();
    if (m_cluster.galera) {
        log(m_cluster.summary() + u", node "_s + m_cluster.nodeName + u'.');
        if (const QString reason = m_cluster.notReadyReason(); !reason.isEmpty())
            return EngineError(
                u"Cannot run on %1: %2; nothing was run"_s.arg(m_url.toDisplayString(), reason),
                EngineError::Kind::Database);
        if (const QString reason = m_cluster.rsuReason(); !reason.isEmpty() && !request.dryRun) {
            if (!m_options.allowRsu)
                return EngineError(
                    u"Refusing to run on %1: %2; nothing was run"_s.arg(m_url.toDisplayString(), reason),
                    EngineError::Kind::Database);
            log(u"Running under wsrep_OSU_method=%1 as asked (--allow-rsu): DDL changes this node only."_s
                    .arg(m_cluster.osuMethod));
        }
    }
    log(u"Context impl %1."_s.arg(m_dialect.alembicImplName()));
    log(m_dialect.transactionalDdl() ? u"Will assume transactional DDL."_s
                                     : u"Will assume non-transactional DDL."_s);

    Migrator::Result result;
    m_lockCommand = QCoreApplication::applicationName() + u' ' +
                    (request.kind == Migrator::Request::Kind::Upgrade     ? u"upgrade"_s
                     : request.kind == Migrator::Request::Kind::Downgrade ? u"downgrade"_s
                                                                          : u"stamp"_s);
    // A dry run changes nothing, so it needs no lock (and SQLite's would block writers).
    if (!request.dryRun) {
        if (auto locked = acquireLock(); !locked)
            return locked.error();
    }
    Expected<QStringList> rows = m_table->readRows();
    if (!rows)
        return rows.error();
    result.rowsBefore = *rows;
    // A step a killed run left half done comes first: nothing else runs until the user settles it, and a
    // stamp is how they record what they decided.
    Expected<QList<HistoryEntry>> interrupted = AuditHistory(db(), m_dialect).interruptedSteps();
    if (!interrupted)
        return interrupted.error();
    if (!interrupted->isEmpty() && !request.resume) {
        if (request.kind != Migrator::Request::Kind::Stamp)
            return EngineError(Migrator::interruptedStepsMessage(m_map, *interrupted, *rows),
                               EngineError::Kind::Database);
        m_resolveInterrupted = true;
    }
    Expected<MigrationPlan> plan = request.resume ? resumePlan(request, *interrupted, *rows, &result.warnings)
                                                  : RunPlanner::plan(m_map, request, *rows, &result.warnings);
    if (!plan)
        return plan.error();
    m_plan = *plan;
    result.plan = m_plan;
    if (m_callbacks.warning) {
        for (const QString &warning : std::as_const(result.warnings))
            m_callbacks.warning(warning);
    }

    Expected<QList<PlannedScripts::Step>> scripts = PlannedScripts::read(
        m_map, m_plan, m_dialect.backend(), request.previewedPlan.has_value(), request.dryRun);
    if (!scripts)
        return scripts.error();
    for (PlannedScripts::Step &step : *scripts) {
        m_scripts.append(std::move(step.script));
        m_sectionSql.append(std::move(step.sectionSql));
        m_statements.append(std::move(step.statements));
    }
    if (m_resume) {
        if (auto resumable = checkResume(request); !resumable)
            return resumable.error();
        result.skippedStatements = m_resume->after;
    }

    if (request.dryRun) {
        result.rowsAfter = m_plan.rowsAfter();
        result.statements = m_statements;
        result.details = PlanDetails::fromStatements(m_map, m_plan, m_statements, m_dialect, result.warnings,
                                                     &m_sectionSql);
        result.details.setServerSummary(m_cluster.summary());
        return result;
    }

    if (m_dialect.transactionalDdl()) {
        if (auto started = begin(); !started)
            return started.error();
    }
    Expected<bool> created = m_table->createIfMissing();
    if (!created)
        return created.error();
    if (m_observer) {
        if (auto observed = m_observer->runStarted(db(), m_dialect); !observed)
            return observed.error();
    }
    if (m_plan.purge()) {
        if (auto emptied = m_table->deleteAll(); !emptied)
            return emptied.error();
    }
    if (!m_dialect.transactionalDdl())
        m_committedSteps = 0;

    for (int i = 0; i < m_plan.steps().size();) {
        m_conflictAttempt = 0;
        if (m_cluster.galera) {
            if (auto unchanged = checkClusterBeforeStep(i); !unchanged)
                return unchanged.error();
        }
        Expected<int> next = runStep(i, m_plan.steps().at(i));
        if (!next)
            return next.error();
        i = *next;
    }
    if (m_resolveInterrupted) {
        const QStringList after = m_plan.rowsAfter();
        if (auto resolved = AuditHistory(db(), m_dialect)
                                .resolveInterrupted(u"Settled by a stamp to %1 at %2 by %3@%4."_s.arg(
                                    RunPlanner::rowsText(after),
                                    QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd hh:mm:ss 'UTC'"_s),
                                    AuditHistory::currentOsUser(), AuditHistory::currentHost()));
            !resolved)
            return resolved.error();
    }
    if (!m_plan.steps().isEmpty()) {
        bool recordFailed = false;
        if (auto committed = commitSteps(m_plan.steps().last(), nullptr, &recordFailed); !committed)
            return committed.error();
    } else if (auto committed = commit(); !committed)
        return committed.error();
    m_committedSteps = int(m_plan.steps().size());
    // What the table holds now, read under the lock: what the caller reports is the database's word.
    Expected<QStringList> rowsAfter = m_table->readRows();
    releaseLock();
    result.completedSteps = m_completedSteps;
    result.rowsAfter = rowsAfter ? *rowsAfter : m_plan.rowsAfter();
    return result;
}

} // namespace

Migrator::Migrator(const RevisionMap &map, DatabaseUrl url, MigratorOptions options)
    : m_map(map)
    , m_url(std::move(url))
    , m_options(std::move(options))
{}

Dialect Migrator::dialect() const
{
    return dialectFor(m_url, m_options);
}

Dialect Migrator::dialectFor(const DatabaseUrl &url, const MigratorOptions &options)
{
    Dialect dialect = Dialect::forBackend(url.backend());
    dialect.setVersionTable(options.versionTable);
    dialect.setVersionTableSchema(options.versionTableSchema);
    if (url.backend() != Backend::SQLite)
        dialect.setDatabaseName(url.database());
    return dialect;
}

Expected<Migrator::Result> Migrator::run(const Request &request)
{
    Run run(m_map, m_url, m_options, m_callbacks, m_observer, m_cancel, dialect());
    return run.run(request);
}

QString Migrator::lockHolderText(DatabaseUrl::Backend backend, const QStringList &values)
{
    const auto value = [&values](int column) {
        const QString text = values.value(column);
        return text.isEmpty() ? u"?"_s : text;
    };
    if (backend == Backend::PostgreSQL) {
        const QString client = values.value(2).isEmpty() ? u"local socket"_s : values.value(2);
        return u"server process %1, application '%2', client %3, user %4, connected since %5, last query "
               u"since %6 (%7)"_s.arg(value(0), values.value(1), client, value(3), value(4), value(5),
                                      value(6));
    }
    return u"connection %1, user %2, host %3, database %4, %5 s in its current state"_s.arg(
        value(0), value(1), value(2), value(3), value(4));
}

QString Migrator::interruptedStepsMessage(const RevisionMap &map, const QList<HistoryEntry> &interrupted,
                                          const QStringList &rows)
{
    const QString rowsNow = RunPlanner::rowsText(rows);
    const QString undone = rows.isEmpty() ? u"base"_s : rows.join(u' ');
    QStringList parts;
    for (const HistoryEntry &entry : interrupted) {
        QString finished = entry.revision;
        if (entry.direction == HistoryEntry::Direction::Downgrade) {
            const int index = map.indexOf(entry.revision);
            const QStringList parents = index >= 0 ? map.revision(index).downRevisions : QStringList();
            finished = parents.isEmpty() ? u"base"_s : parents.join(u' ');
        }
        const QString who = entry.osUser.isEmpty() ? entry.host : entry.osUser + u'@' + entry.host;
        const QString command = HistoryEntry::directionName(entry.direction);
        const JournalProgress progress = JournalProgress::read(entry.errorText);
        const int revisionIndex = map.indexOf(entry.revision);
        QString resume;
        if (interrupted.size() == 1 && entry.direction != HistoryEntry::Direction::Stamp &&
            revisionIndex >= 0 && map.revision(revisionIndex).kind == Revision::Kind::Sql) {
            resume =
                progress.nextStarted
                    ? u"  - check whether statement %1 committed, then resume: %2 --resume-after %1 if it "
                      u"did, %2 --resume-after %3 if it did not\n"_s.arg(progress.committed + 1)
                          .arg(command)
                          .arg(progress.committed)
                    : u"  - resume it (runs the statements after the %1 committed, then writes the version "
                      u"row): %2 --resume\n"_s.arg(progress.committed)
                          .arg(command);
        }
        parts.append(
            u"%1 %2 was interrupted: the run that started it at %3 (%4) ended before it finished. "
            u"So far: %5.\nalembic_version says %6. Settle it before anything else runs, one of:\n"_s.arg(
                command, entry.revision, entry.startedAt.toUTC().toString(u"yyyy-MM-dd hh:mm:ss 'UTC'"_s),
                who, entry.errorText, rowsNow) +
            resume +
            u"  - finish the step by hand (its remaining statements), then: stamp %1\n"
            u"  - undo its committed statements by hand, then: stamp %2\n"
            u"(the stamp records the decision and closes the interrupted step in the audit history)"_s.arg(
                finished, undone));
    }
    return parts.join(u"\n"_s);
}

EngineError Migrator::lockTimeoutError(const DatabaseUrl &url, const Dialect &dialect, int timeoutSeconds,
                                       const QString &holder)
{
    QString message = u"Timed out after %1 s waiting for the migration lock on %2 (%3): another migration is "
                      u"running"_s.arg(timeoutSeconds)
                          .arg(url.toDisplayString(), dialect.qualifiedVersionTable());
    if (!holder.isEmpty())
        message += u"; the lock is held by "_s + holder;
    else if (dialect.backend() == Backend::SQLite)
        message += u" (SQLite cannot tell which connection holds the database's write lock)"_s;
    return EngineError(message, EngineError::Kind::Database);
}

Expected<QStringList> Migrator::currentRows(QList<HistoryEntry> *interrupted)
{
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(m_url, m_options.baseDirectory, m_options.applicationName);
    if (!connection)
        return connection.error();
    VersionTable table((*connection)->database(), dialect());
    Expected<QStringList> rows = table.readRows();
    if (rows && interrupted) {
        Expected<QList<HistoryEntry>> steps =
            AuditHistory((*connection)->database(), dialect()).interruptedSteps();
        if (!steps)
            return steps.error();
        *interrupted = *steps;
    }
    return rows;
}

} // namespace qmigrate
