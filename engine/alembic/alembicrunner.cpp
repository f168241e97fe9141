// SPDX-License-Identifier: MIT
#include "alembic/alembicrunner.h"

#include "audit/audithistory.h"
#include "database/databaseconnection.h"
#include "execution/auditobserver.h"
#include "execution/runlockfile.h"
#include "execution/runplanner.h"
#include "project/project.h"
#include "project/pythoninterpreter.h"
#include "scripts/sqlstatementsplitter.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <csignal>
#include <optional>
#include <utility>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

using Backend = DatabaseUrl::Backend;

constexpr int ProtocolVersion = 1;

QJsonArray toJsonArray(const QStringList &list)
{
    QJsonArray array;
    for (const QString &item : list)
        array.append(item);
    return array;
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

QString directionName(MigrationStep::Direction direction)
{
    switch (direction) {
    case MigrationStep::Direction::Upgrade:
        return u"upgrade"_s;
    case MigrationStep::Direction::Downgrade:
        return u"downgrade"_s;
    case MigrationStep::Direction::Stamp:
        break;
    }
    return u"stamp"_s;
}

QString sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
}

// The child process and its two channels: JSON events on stdout, the project's own output on stderr (handed
// on line by line), replies on stdin.
class DriverProcess
{
public:
    DriverProcess(const AlembicRunnerOptions &options, const MigratorCallbacks &callbacks,
                  const std::atomic_bool *cancel)
        : m_options(options)
        , m_callbacks(callbacks)
        , m_cancel(cancel)
    {}

    ~DriverProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    Expected<void> start(const QProcessEnvironment &environment, const QString &workingDirectory)
    {
        if (m_options.driverPath.isEmpty() || !QFileInfo::exists(m_options.driverPath))
            return EngineError(u"qmigrate's Alembic driver (qmigrate_alembic_driver.py) is missing from this "
                               u"installation (looked in share/qmigrate next to the program); reinstall "
                               u"qmigrate"_s);
        m_process.setProcessEnvironment(environment);
        m_process.setWorkingDirectory(workingDirectory);
        m_process.setReadChannel(QProcess::StandardOutput);
#ifdef Q_OS_LINUX
        // The driver must not outlive qmigrate: after a kill -9 or a crash it would go on running revisions
        // nobody watches or records. Killed with it, its connection closes and the server rolls back what
        // was open (SQLite: its journal, on the next open), so the database stays at the rows last
        // committed.
        const pid_t parent = ::getpid();
        m_process.setChildProcessModifier([parent] {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) // qmigrate died before the line above took effect
                ::_exit(1);
        });
#endif
        m_process.start(m_options.python, {m_options.driverPath});
        if (!m_process.waitForStarted(30000))
            return EngineError(u"Cannot start the Python interpreter %1: %2"_s.arg(
                QDir::toNativeSeparators(m_options.python), m_process.errorString()));
        return {};
    }

    // The next event; nullopt once the process has ended and all it wrote is read.
    std::optional<QJsonObject> next()
    {
        for (;;) {
            if (!m_events.isEmpty())
                return m_events.takeFirst();
            if (m_process.state() == QProcess::NotRunning) {
                readAvailable();
                flushOutput(true);
                if (!m_events.isEmpty())
                    continue;
                return std::nullopt;
            }
            checkCancel();
            m_process.waitForReadyRead(50);
            readAvailable();
        }
    }

    void send(const QJsonObject &reply)
    {
        m_process.write(QJsonDocument(reply).toJson(QJsonDocument::Compact) + '\n');
        m_process.waitForBytesWritten(30000);
    }

    bool cancelRequested() const
    {
        return m_interruptSent;
    }
    int exitCode() const
    {
        return m_process.exitCode();
    }
    bool crashed() const
    {
        return m_process.exitStatus() == QProcess::CrashExit;
    }
    // The last lines the child wrote to stderr: what explains a death without an error event.
    QString stderrTail() const
    {
        return m_stderrTail.join(u'\n');
    }

private:
    void checkCancel()
    {
        if (!m_cancel || !m_cancel->load())
            return;
        if (!m_interruptSent) {
            // Alembic and SQLAlchemy roll back the open transaction on KeyboardInterrupt.
            ::kill(pid_t(m_process.processId()), SIGINT);
            m_interruptSent = true;
            m_sinceInterrupt.start();
        } else if (!m_terminateSent && m_sinceInterrupt.elapsed() > m_options.cancelGraceMilliseconds) {
            m_process.terminate();
            m_terminateSent = true;
        } else if (m_terminateSent && m_sinceInterrupt.elapsed() > m_options.cancelGraceMilliseconds + 5000) {
            m_process.kill();
        }
    }

    void readAvailable()
    {
        m_stdout.append(m_process.readAllStandardOutput());
        qsizetype newline;
        while ((newline = m_stdout.indexOf('\n')) >= 0) {
            const QByteArray line = m_stdout.left(newline);
            m_stdout.remove(0, newline + 1);
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            if (document.isObject())
                m_events.append(document.object());
        }
        m_stderr.append(m_process.readAllStandardError());
        flushOutput(false);
    }

    void flushOutput(bool all)
    {
        qsizetype newline;
        while ((newline = m_stderr.indexOf('\n')) >= 0 || (all && !m_stderr.isEmpty())) {
            const qsizetype end = newline >= 0 ? newline : m_stderr.size();
            QString line = QString::fromUtf8(m_stderr.left(end));
            m_stderr.remove(0, qMin(end + 1, m_stderr.size()));
            if (line.endsWith(u'\r'))
                line.chop(1);
            m_stderrTail.append(line);
            if (m_stderrTail.size() > 20)
                m_stderrTail.removeFirst();
            if (m_callbacks.output)
                m_callbacks.output(line);
            else if (m_callbacks.log)
                m_callbacks.log(line);
        }
    }

    const AlembicRunnerOptions &m_options;
    const MigratorCallbacks &m_callbacks;
    const std::atomic_bool *m_cancel;
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QList<QJsonObject> m_events;
    QStringList m_stderrTail;
    bool m_interruptSent = false;
    bool m_terminateSent = false;
    QElapsedTimer m_sinceInterrupt;
};

// The driver ended without its "error" or "done" event: what its standard error said last explains it.
EngineError driverDiedError(const DriverProcess &process, const QString &python)
{
    QString message =
        process.crashed() || process.cancelRequested()
            ? u"The project's Alembic (%1) was stopped before it finished"_s.arg(python)
            : u"The project's Alembic (%1) ended with exit code %2 without saying why"_s.arg(python).arg(
                  process.exitCode());
    if (!process.stderrTail().isEmpty())
        message += u":\n"_s + process.stderrTail();
    return EngineError(message);
}

// The driver's "error" event for an action that is not a run: its message, file and line.
EngineError errorFromEvent(const QJsonObject &event)
{
    return EngineError(event.value(u"message"_s).toString(), event.value(u"file"_s).toString(),
                       event.value(u"line"_s).toInt());
}

bool isLocalHost(const QString &host)
{
    return host.isEmpty() || host == u"localhost"_s || host == u"127.0.0.1"_s || host == u"::1"_s;
}

} // namespace

AlembicRunner::AlembicRunner(const Project &project, DatabaseUrl url, AlembicRunnerOptions options)
    : m_project(project)
    , m_url(std::move(url))
    , m_options(std::move(options))
{}

Expected<AlembicRunnerOptions> AlembicRunner::optionsFor(const Project &project,
                                                         const std::optional<DatabaseUrl> &url,
                                                         const QString &explicitProgram,
                                                         const QString &explicitSource)
{
    PythonInterpreter::Request request;
    request.explicitProgram = explicitProgram;
    request.explicitSource = explicitSource;
    request.iniPath = project.config().iniPath();
    if (url)
        request.databaseUrl = url->toUrlStringWithPassword();
    Expected<PythonInterpreter::Info> interpreter = PythonInterpreter::resolve(request);
    if (!interpreter)
        return interpreter.error();
    if (!interpreter->canRunAlembic())
        return EngineError(
            u"This is an Alembic project: its revisions are Python scripts that its own Alembic "
            u"runs. "_s +
            interpreter->installAdvice());
    AlembicRunnerOptions options;
    options.python = interpreter->program;
    options.driverPath = PythonInterpreter::driverPath();
    return options;
}

AlembicRunner::AlembicRunner(const Project &project, AlembicRunnerOptions options)
    : m_project(project)
    , m_options(std::move(options))
{}

Dialect AlembicRunner::dialect() const
{
    if (!m_url)
        return Dialect::forBackend(Backend::SQLite);
    Dialect dialect = Dialect::forBackend(m_url->backend());
    dialect.setVersionTable(m_project.config().versionTable());
    dialect.setVersionTableSchema(m_project.config().versionTableSchema());
    if (m_url->backend() != Backend::SQLite)
        dialect.setDatabaseName(m_url->database());
    return dialect;
}

namespace {

// The environment of one driver run: the request, and the DB_* variables made to agree with the URL.
struct DriverRequest
{
    QString action;
    QStringList targets;
    QJsonObject options;
};

QProcessEnvironment driverEnvironment(const Project &project, const std::optional<DatabaseUrl> &databaseUrl,
                                      const AlembicRunnerOptions &options, const DriverRequest &request)
{
    QProcessEnvironment environment = options.environment;
    environment.insert(u"QMIGRATE_ACTION"_s, request.action);
    environment.insert(u"QMIGRATE_INI"_s, project.config().iniPath());
    environment.insert(u"QMIGRATE_SECTION"_s, project.config().section());
    environment.insert(
        u"QMIGRATE_TARGETS"_s,
        QString::fromUtf8(QJsonDocument(toJsonArray(request.targets)).toJson(QJsonDocument::Compact)));
    environment.insert(u"QMIGRATE_OPTIONS"_s,
                       QString::fromUtf8(QJsonDocument(request.options).toJson(QJsonDocument::Compact)));
    environment.insert(u"PYTHONUNBUFFERED"_s, u"1"_s);
    if (!databaseUrl) {
        environment.remove(u"QMIGRATE_URL"_s);
        return environment;
    }
    const DatabaseUrl &url = *databaseUrl;
    // SQLAlchemy resolves a relative SQLite path against the working directory; qmigrate against the ini's
    // folder. The child runs there, and gets the absolute path all the same.
    QString urlText = url.toUrlStringWithPassword();
    if (url.backend() == Backend::SQLite && !url.isSqliteMemory()) {
        QString scheme = url.dialectName();
        if (!url.driverSuffix().isEmpty())
            scheme += u'+' + url.driverSuffix();
        urlText = scheme + u":///"_s + url.sqliteFilePath(project.config().here());
    }
    environment.insert(u"QMIGRATE_URL"_s, urlText);
    // Many env.py files build their URL from DB_* (the seed's rule): make them name the same database.
    const QStringList seedVariables = {u"DB_HOST"_s, u"DB_PORT"_s, u"DB_NAME"_s, u"DB_USER"_s,
                                       u"DB_PASSWORD"_s};
    if (url.backend() == Backend::PostgreSQL) {
        environment.insert(u"DB_HOST"_s, url.host());
        environment.insert(u"DB_PORT"_s, QString::number(url.port() > 0 ? url.port() : 5432));
        environment.insert(u"DB_NAME"_s, url.database());
        environment.insert(u"DB_USER"_s, url.userName());
        environment.insert(u"DB_PASSWORD"_s, url.password());
    } else {
        for (const QString &name : seedVariables)
            environment.remove(name);
    }
    return environment;
}

// Whether the database env.py connected to (the driver's "connected" event) is the one qmigrate resolved.
std::optional<QString> otherDatabase(const QJsonObject &event, const DatabaseUrl &url, const QString &here)
{
    const QString dialect = event.value(u"dialect"_s).toString();
    const Backend backend = dialect == u"sqlite"_s       ? Backend::SQLite
                            : dialect == u"postgresql"_s ? Backend::PostgreSQL
                                                         : Backend::MySQL;
    const QString database = event.value(u"database"_s).toString();
    const QString where = event.value(u"url"_s).toString();
    if (dialect != u"sqlite"_s && dialect != u"postgresql"_s && dialect != u"mysql"_s &&
        dialect != u"mariadb"_s)
        return u"a %1 database (%2), which qmigrate does not support"_s.arg(dialect, where);
    if (backend != url.backend())
        return where;
    if (backend == Backend::SQLite) {
        const QString connected = QFileInfo(QDir(here).absoluteFilePath(database)).absoluteFilePath();
        const QString expected = url.sqliteFilePath(here);
        if (QFileInfo(connected).canonicalFilePath() != QFileInfo(expected).canonicalFilePath() &&
            QDir::cleanPath(connected) != QDir::cleanPath(expected))
            return where;
        return std::nullopt;
    }
    const QString host = event.value(u"host"_s).toString();
    const int defaultPort = backend == Backend::PostgreSQL ? 5432 : 3306;
    const int port = event.value(u"port"_s).toInt() > 0 ? event.value(u"port"_s).toInt() : defaultPort;
    const int expectedPort = url.port() > 0 ? url.port() : defaultPort;
    const bool sameHost =
        host.compare(url.host(), Qt::CaseInsensitive) == 0 || (isLocalHost(host) && isLocalHost(url.host()));
    if (database != url.database() || !sameHost || port != expectedPort)
        return where;
    return std::nullopt;
}

} // namespace

Expected<Migrator::Result> AlembicRunner::run(const Migrator::Request &request)
{
    if (request.dryRun)
        return EngineError(u"AlembicRunner: a dry run is the Migrator's"_s);
    if (!m_url)
        return EngineError(u"AlembicRunner: no database to run on"_s);
    if (request.resume)
        return EngineError(u"Resuming an interrupted step is for qmigrate's own SQL revisions: the project's "
                           u"Alembic keeps no journal of a step's statements to resume from"_s,
                           EngineError::Kind::Usage);
    if (m_url->backend() == Backend::SQLite && m_url->isSqliteMemory())
        return EngineError(
            u"An in-memory SQLite database lives only inside one process, so the project's Alembic "
            u"(a child process) cannot migrate it; use a database file"_s);
    const RevisionMap &map = m_project.map();

    DriverRequest driverRequest;
    driverRequest.action = request.kind == Migrator::Request::Kind::Upgrade     ? u"upgrade"_s
                           : request.kind == Migrator::Request::Kind::Downgrade ? u"downgrade"_s
                                                                                : u"stamp"_s;
    driverRequest.targets = request.targets;
    if (driverRequest.targets.isEmpty())
        driverRequest.targets = {request.kind == Migrator::Request::Kind::Downgrade ? u"-1"_s : u"head"_s};
    driverRequest.options.insert(u"purge"_s, request.purge);

    DriverProcess process(m_options, m_callbacks, m_cancel);
    if (Expected<void> started = process.start(driverEnvironment(m_project, m_url, m_options, driverRequest),
                                               m_project.config().here());
        !started)
        return started.error();

    Migrator::Result result;
    Dialect dialect = this->dialect();
    MigratorOptions nativeOptions = MigratorOptions::fromConfig(m_project.config());
    std::optional<EngineError> refusal; // what this side decided, sent to the driver as "abort"
    QList<ScriptChecksum::Script> scripts;
    QList<QDateTime> stepStarts;
    int runningStep = -1;
    int finishedSteps = 0;
    bool done = false;
    std::optional<QJsonObject> errorEvent;
    QStringList holder;
    bool lockTimedOut = false;
    const auto abort = [&](const EngineError &error) {
        refusal = error;
        process.send(QJsonObject{{u"abort"_s, error.message()}});
    };

    while (std::optional<QJsonObject> event = process.next()) {
        const QString kind = event->value(u"e"_s).toString();
        if (kind == u"hello"_s) {
            if (event->value(u"protocol"_s).toInt() != ProtocolVersion)
                return EngineError(u"qmigrate's Alembic driver %1 speaks another protocol version than this "
                                   u"qmigrate; reinstall qmigrate"_s.arg(m_options.driverPath));
        } else if (kind == u"connected"_s) {
            if (const std::optional<QString> other =
                    otherDatabase(*event, *m_url, m_project.config().here())) {
                abort(EngineError(
                    u"The project's env.py connected to %1, not to the selected database %2. "
                    u"Nothing was run. env.py must take its URL from sqlalchemy.url (qmigrate sets "
                    u"it) or from the DB_* variables."_s.arg(*other, m_url->toDisplayString()),
                    m_project.config().scriptLocation() + u"/env.py"_s, 0));
                continue;
            }
            dialect.setVersionTable(event->value(u"version_table"_s).toString());
            dialect.setVersionTableSchema(event->value(u"version_table_schema"_s).toString());
            nativeOptions.versionTable = dialect.versionTable();
            nativeOptions.versionTableSchema = dialect.versionTableSchema();
            if (m_options.recordAudit) {
                // DDL before the run's transaction (MariaDB would commit the run's statements with it).
                Expected<std::shared_ptr<DatabaseConnection>> connection =
                    DatabaseConnection::open(*m_url, m_project.config().here(), u"qmigrate"_s);
                if (!connection) {
                    abort(connection.error());
                    continue;
                }
                if (Expected<void> created = AuditHistory((*connection)->database(), dialect).ensureTable();
                    !created) {
                    abort(created.error());
                    continue;
                }
            }
            const int timeout = qMax(0, m_options.lockTimeoutSeconds);
            QJsonObject lock;
            switch (dialect.backend()) {
            case Backend::SQLite:
                lock = {{u"before"_s, QJsonArray{dialect.busyTimeoutSql(timeout * 1000)}},
                        {u"try"_s, dialect.acquireLockSql(timeout)},
                        {u"busy_is_timeout"_s, true}};
                // The run lock that survives the run's commits, shared with native runs (RunLockFile).
                if (!m_url->isSqliteMemory()) {
                    lock.insert(u"file"_s,
                                RunLockFile::pathFor(m_url->sqliteFilePath(m_project.config().here())));
                    lock.insert(u"command"_s,
                                QCoreApplication::applicationName() + u' ' + driverRequest.action);
                }
                break;
            case Backend::PostgreSQL:
                lock = {{u"try"_s, dialect.tryLockSql()}, {u"check_result"_s, true}};
                break;
            case Backend::MySQL:
                lock = {{u"try"_s, dialect.acquireLockSql(timeout)}, {u"check_result"_s, true}};
                break;
            }
            lock.insert(u"timeout"_s, timeout);
            lock.insert(u"holder"_s, dialect.lockHolderSql());
            process.send({{u"lock"_s, lock},
                          {u"version_table_exists"_s, dialect.versionTableExistsSql()},
                          {u"select_versions"_s, dialect.selectVersionsSql()}});
        } else if (kind == u"lock_timeout"_s) {
            lockTimedOut = true;
            const QJsonArray rows = event->value(u"holder"_s).toArray();
            if (!rows.isEmpty())
                holder = toStringList(rows.first());
        } else if (kind == u"locked"_s) {
            result.rowsBefore = toStringList(event->value(u"rows"_s));
            Expected<MigrationPlan> plan =
                RunPlanner::plan(map, request, result.rowsBefore, &result.warnings);
            if (!plan) {
                abort(plan.error());
                continue;
            }
            result.plan = *plan;
            if (m_callbacks.warning) {
                for (const QString &warning : std::as_const(result.warnings))
                    m_callbacks.warning(warning);
            }
            QJsonArray steps;
            for (const MigrationStep &step : plan->steps()) {
                Expected<ScriptChecksum::Script> script =
                    RunPlanner::readPlannedScript(map, step, request.previewedPlan.has_value());
                if (!script) {
                    refusal = script.error();
                    break;
                }
                QJsonObject description{{u"direction"_s, directionName(step.direction)},
                                        {u"from"_s, toJsonArray(step.fromRevisions)},
                                        {u"to"_s, toJsonArray(step.toRevisions)},
                                        {u"checksum"_s, script->checksum},
                                        {u"text"_s, script->text}};
                if (step.direction == MigrationStep::Direction::Stamp) {
                    description.insert(u"revision"_s, QJsonValue::Null);
                    description.insert(u"audit_revision"_s, AuditObserver::stampRevision(step));
                } else {
                    const Revision &revision = map.revision(step.revision);
                    description.insert(u"revision"_s, revision.id);
                    description.insert(u"audit_revision"_s, revision.id);
                    description.insert(u"file_sha256"_s, sha256OfFile(revision.path));
                }
                steps.append(description);
                scripts.append(*script);
            }
            if (refusal) {
                process.send(QJsonObject{{u"abort"_s, refusal->message()}});
                continue;
            }
            QJsonObject reply{{u"steps"_s, steps}};
            if (m_options.recordAudit) {
                reply.insert(u"audit"_s,
                             QJsonObject{{u"insert"_s, AuditHistory::insertSqlWithNames(dialect)},
                                         {u"os_user"_s, AuditHistory::currentOsUser()},
                                         {u"host"_s, AuditHistory::currentHost()},
                                         {u"version"_s, QCoreApplication::applicationVersion()},
                                         {u"timestamp_format"_s,
                                          dialect.backend() == Backend::MySQL ? u"mysql"_s : u"iso"_s}});
            }
            stepStarts = QList<QDateTime>(plan->steps().size());
            process.send(reply);
        } else if (kind == u"step"_s) {
            runningStep = event->value(u"index"_s).toInt();
            if (runningStep >= 0 && runningStep < result.plan.steps().size()) {
                stepStarts[runningStep] = QDateTime::currentDateTimeUtc();
                const MigrationStep &step = result.plan.steps().at(runningStep);
                if (m_callbacks.log)
                    m_callbacks.log(step.logLine());
                if (m_callbacks.stepStarted)
                    m_callbacks.stepStarted(runningStep, int(result.plan.steps().size()), step);
            }
        } else if (kind == u"sql"_s) {
            if (m_callbacks.statementStarted && runningStep >= 0) {
                SqlStatement statement;
                statement.text = event->value(u"sql"_s).toString().trimmed();
                m_callbacks.statementStarted(runningStep, statement);
            }
        } else if (kind == u"step_done"_s) {
            const int index = event->value(u"index"_s).toInt();
            finishedSteps = qMax(finishedSteps, index + 1);
            if (index >= 0 && index < result.plan.steps().size() && m_callbacks.stepFinished)
                m_callbacks.stepFinished(index, int(result.plan.steps().size()),
                                         result.plan.steps().at(index));
        } else if (kind == u"warning"_s) {
            if (m_callbacks.warning)
                m_callbacks.warning(event->value(u"message"_s).toString());
        } else if (kind == u"error"_s) {
            errorEvent = *event;
        } else if (kind == u"done"_s) {
            done = true;
        }
    }

    // The state as the database has it now, read natively: never computed from what should have happened.
    Migrator reader(map, *m_url, nativeOptions);
    Expected<QStringList> rowsNow = reader.currentRows();
    const QString rowsNowText =
        rowsNow ? RunPlanner::rowsText(*rowsNow) : u"unknown (%1)"_s.arg(rowsNow.error().message());

    if (done && !errorEvent && !refusal) {
        result.completedSteps = finishedSteps;
        result.rowsAfter = rowsNow ? *rowsNow : result.plan.rowsAfter();
        return result;
    }
    if (lockTimedOut) {
        QString holderText;
        if (!holder.isEmpty())
            holderText = Migrator::lockHolderText(dialect.backend(), holder);
        else if (dialect.backend() == Backend::SQLite && !m_url->isSqliteMemory())
            holderText =
                RunLockFile(RunLockFile::pathFor(m_url->sqliteFilePath(m_project.config().here()))).holder();
        return Migrator::lockTimeoutError(*m_url, dialect, m_options.lockTimeoutSeconds, holderText);
    }
    if (refusal)
        return *refusal;
    if (!errorEvent) {
        EngineError died = driverDiedError(process, m_options.python);
        return EngineError(died.message() + u"\nalembic_version is at %1."_s.arg(rowsNowText),
                           EngineError::Kind::Database);
    }

    const bool cancelled = errorEvent->value(u"cancelled"_s).toBool();
    const bool refused = errorEvent->value(u"refused"_s).toBool();
    const int failedStep = errorEvent->value(u"step"_s).toInt(-1);
    const MigrationStep *step = failedStep >= 0 && failedStep < result.plan.steps().size()
                                    ? &result.plan.steps().at(failedStep)
                                    : nullptr;
    const Revision *revision = step && step->revision >= 0 ? &map.revision(step->revision) : nullptr;
    QString file = errorEvent->value(u"file"_s).toString();
    const int line = errorEvent->value(u"line"_s).toInt();
    QString message = errorEvent->value(u"message"_s).toString();
    if (revision) {
        message = u"Revision %1 (%2 %3) failed%4: %5"_s.arg(
            revision->id, directionName(step->direction),
            QDir::toNativeSeparators(file.isEmpty() ? revision->path : file),
            line > 0 ? u" at line %1"_s.arg(line) : QString(), message);
        if (file.isEmpty())
            file = revision->path;
    } else if (!refused && failedStep < 0) {
        message = u"The project's Alembic failed before any step ran: "_s + message;
    }
    if (!refused || failedStep >= 0)
        message += u"\nRolled back; alembic_version is at %1."_s.arg(rowsNowText);

    if (m_options.recordAudit && step && !refused) {
        HistoryEntry entry;
        entry.direction =
            step->direction == MigrationStep::Direction::Upgrade     ? HistoryEntry::Direction::Upgrade
            : step->direction == MigrationStep::Direction::Downgrade ? HistoryEntry::Direction::Downgrade
                                                                     : HistoryEntry::Direction::Stamp;
        entry.revision = revision ? revision->id : AuditObserver::stampRevision(*step);
        if (failedStep < scripts.size() && !scripts.at(failedStep).checksum.isEmpty()) {
            entry.checksum = scripts.at(failedStep).checksum;
            entry.scriptText = scripts.at(failedStep).text;
        }
        entry.startedAt = stepStarts.value(failedStep);
        entry.finishedAt = QDateTime::currentDateTimeUtc();
        entry.durationMs = entry.startedAt.isValid() ? entry.startedAt.msecsTo(entry.finishedAt) : 0;
        entry.outcome = cancelled ? HistoryEntry::Outcome::Cancelled : HistoryEntry::Outcome::Failed;
        entry.errorText = message;
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(*m_url, m_project.config().here(), u"qmigrate"_s);
        QString recordError;
        if (!connection) {
            recordError = connection.error().message();
        } else {
            const AuditHistory history((*connection)->database(), dialect);
            if (Expected<void> created = history.ensureTable(); !created)
                recordError = created.error().message();
            else if (Expected<qint64> id = history.record(entry); !id)
                recordError = id.error().message();
        }
        if (!recordError.isEmpty() && m_callbacks.warning)
            m_callbacks.warning(u"The audit history could not record the failure: "_s + recordError);
    }
    return EngineError(message, file, line, revision ? revision->id : QString(),
                       refused && failedStep < 0 ? EngineError::Kind::Project : EngineError::Kind::Database);
}

Expected<QString> AlembicRunner::renderOffline(const QString &command, const QStringList &targets, bool purge)
{
    QString script;
    const Expected<std::optional<QJsonObject>> end =
        drive(command, targets, QJsonObject{{u"sql"_s, true}, {u"purge"_s, purge}},
              [&](const QString &kind, const QJsonObject &event) {
                  if (kind == u"output"_s)
                      script += event.value(u"text"_s).toString();
              });
    if (!end)
        return end.error();
    if (*end)
        return errorFromEvent(**end);
    return script;
}

Expected<std::optional<QJsonObject>> AlembicRunner::drive(const QString &action, const QStringList &targets,
                                                          const QJsonObject &options,
                                                          const EventHandler &onEvent)
{
    DriverRequest driverRequest{action, targets, options};
    DriverProcess process(m_options, m_callbacks, m_cancel);
    if (Expected<void> started = process.start(driverEnvironment(m_project, m_url, m_options, driverRequest),
                                               m_project.config().here());
        !started)
        return started.error();
    std::optional<QJsonObject> errorEvent;
    bool done = false;
    while (std::optional<QJsonObject> event = process.next()) {
        const QString kind = event->value(u"e"_s).toString();
        if (kind == u"warning"_s) {
            if (m_callbacks.warning)
                m_callbacks.warning(event->value(u"message"_s).toString());
        } else if (kind == u"error"_s) {
            errorEvent = *event;
        } else if (kind == u"done"_s) {
            done = true;
        } else {
            onEvent(kind, *event);
        }
    }
    if (errorEvent)
        return std::optional<QJsonObject>(errorEvent);
    if (!done)
        return driverDiedError(process, m_options.python);
    return std::optional<QJsonObject>();
}

Expected<AlembicRunner::RenderedPlan> AlembicRunner::renderPlan(const MigrationPlan &plan)
{
    if (plan.purge())
        return EngineError(u"Can't use --purge with --sql mode"_s);
    const RevisionMap &map = m_project.map();
    QString action;
    QStringList targets;
    QJsonObject options{{u"sql"_s, true}, {u"starting_rows"_s, toJsonArray(plan.rowsAtStart())}};
    const bool stamp =
        !plan.steps().isEmpty() && plan.steps().first().direction == MigrationStep::Direction::Stamp;
    if (stamp) {
        // Stamping to the rows the plan ends at writes what stamping to the user's targets writes.
        action = u"stamp"_s;
        targets = plan.rowsAfter().isEmpty() ? QStringList{u"base"_s} : plan.rowsAfter();
    } else {
        QJsonArray steps;
        for (const MigrationStep &step : plan.steps()) {
            steps.append(QJsonObject{
                {u"direction"_s, directionName(step.direction)},
                {u"revision"_s, step.revisionId.isEmpty() ? map.idOf(step.revision) : step.revisionId}});
        }
        action =
            !plan.steps().isEmpty() && plan.steps().first().direction == MigrationStep::Direction::Downgrade
                ? u"downgrade"_s
                : u"upgrade"_s;
        options.insert(u"plan"_s, steps);
    }
    RenderedPlan rendered;
    rendered.stepScripts = QStringList(plan.steps().size());
    int step = -1;
    QString announcement; // a "-- Running …" line waiting for the step it names
    const Expected<std::optional<QJsonObject>> end =
        drive(action, targets, options, [&](const QString &kind, const QJsonObject &event) {
            if (kind == u"output"_s) {
                const QString text = event.value(u"text"_s).toString();
                rendered.script += text;
                if (step >= 0 && step < rendered.stepScripts.size())
                    rendered.stepScripts[step] += std::exchange(announcement, QString());
                // Alembic writes "-- Running upgrade a -> b" before it calls the step: it heads the next
                // step.
                if (text.startsWith(u"-- Running "_s))
                    announcement = text;
                else if (step >= 0 && step < rendered.stepScripts.size())
                    rendered.stepScripts[step] += text;
            } else if (kind == u"step"_s) {
                step = event.value(u"index"_s).toInt();
                if (step >= 0 && step < rendered.stepScripts.size())
                    rendered.stepScripts[step] += std::exchange(announcement, QString());
            }
        });
    if (!end)
        return end.error();
    if (!*end)
        return rendered;
    const QJsonObject &errorEvent = **end;
    if (step < 0)
        return errorFromEvent(errorEvent);
    rendered.failedStep = step;
    const QString file = errorEvent.value(u"file"_s).toString();
    const int line = errorEvent.value(u"line"_s).toInt();
    rendered.failure = errorEvent.value(u"message"_s).toString();
    if (!file.isEmpty())
        rendered.failure = u"%1:%2: %3"_s.arg(QDir::toNativeSeparators(file)).arg(line).arg(rendered.failure);
    return rendered;
}

Expected<AlembicRunner::Written> AlembicRunner::createRevision(const NewRevision &request, bool autogenerate)
{
    if (request.heads.size() > 1)
        return EngineError(u"An Alembic revision has one --head; to join heads use merge"_s);
    QJsonObject options{{u"message"_s, request.message},
                        {u"head"_s, request.heads.value(0, u"head"_s)},
                        {u"splice"_s, request.splice},
                        {u"branch_label"_s, toJsonArray(request.branchLabels)},
                        {u"depends_on"_s, toJsonArray(request.dependsOn)},
                        {u"rev_id"_s, request.revId},
                        {u"version_path"_s, request.versionPath},
                        {u"autogenerate"_s, autogenerate},
                        {u"history_table"_s, QString(AuditHistory::TableName)}};
    return author(u"revision"_s, options);
}

Expected<AlembicRunner::Written> AlembicRunner::merge(const QStringList &revisions, const QString &message,
                                                      const QStringList &branchLabels, const QString &revId)
{
    return author(u"merge"_s, QJsonObject{{u"revisions"_s, toJsonArray(revisions)},
                                          {u"message"_s, message},
                                          {u"branch_label"_s, toJsonArray(branchLabels)},
                                          {u"rev_id"_s, revId}});
}

Expected<AlembicRunner::Written> AlembicRunner::author(const QString &action, const QJsonObject &options)
{
    Written written;
    const Expected<std::optional<QJsonObject>> end =
        drive(action, {}, options, [&](const QString &kind, const QJsonObject &event) {
            if (kind == u"written"_s) {
                written.paths.append(event.value(u"path"_s).toString());
                written.revisions.append(event.value(u"revision"_s).toString());
            } else if (kind == u"review"_s) {
                written.reviewNotes.append(event.value(u"message"_s).toString());
            }
        });
    if (!end)
        return end.error();
    if (*end)
        return errorFromEvent(**end);
    return written;
}

} // namespace qmigrate
