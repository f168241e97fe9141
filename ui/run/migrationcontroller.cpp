#include "run/migrationcontroller.h"

#include "database/databaseconnection.h"
#include "execution/auditobserver.h"
#include "plan/offlinerenderer.h"
#include "project/project.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace qmigrate {

// What a job sees on the worker thread: values copied when it was requested, nothing of the controller's
// state except the atomics of m_latest (through isLatest) and post().
struct MigrationController::Job
{
    quint64 token = 0;
    RequestKind kind = RequestKind::State;
    std::shared_ptr<const RevisionMap> map;
    std::shared_ptr<const Project> project; // its Alembic runs the steps when it is an Alembic Python project
    QString python;
    MigratorOptions options;
    std::shared_ptr<std::atomic_bool> cancel;
    std::function<void(QThread *)> probe;
    bool ok = true;
    EngineError error;

    void probeThread() const
    {
        if (probe)
            probe(QThread::currentThread());
    }
};

MigrationController::MigrationController(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_worker(new QObject) // parentless: it is moved to m_thread and deleted there when the thread ends
    , m_cancel(std::make_shared<std::atomic_bool>(false))
{
    qRegisterMetaType<EngineError>();
    qRegisterMetaType<MigrationPlan>();
    qRegisterMetaType<PlanDetails>();
    qRegisterMetaType<HistoryEntry>();
    qRegisterMetaType<QList<HistoryEntry>>();
    m_thread->setObjectName(u"qmigrate-migration-worker"_s);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

MigrationController::~MigrationController()
{
    m_cancel->store(true);
    m_thread->quit();
    m_thread->wait();
}

void MigrationController::setProject(std::shared_ptr<const RevisionMap> map, MigratorOptions options)
{
    m_map = std::move(map);
    m_options = std::move(options);
    m_project.reset();
}

void MigrationController::setProject(const std::shared_ptr<const Project> &project)
{
    // Aliasing: the map stays alive as long as any job holds it, without a copy.
    setProject(std::shared_ptr<const RevisionMap>(project, &project->map()),
               MigratorOptions::fromConfig(project->config()));
    m_project = project;
}

void MigrationController::setProject(const Project &project)
{
    setProject(std::make_shared<const Project>(project));
}

bool MigrationController::isLatest(RequestKind kind, quint64 token) const
{
    return m_latest[static_cast<int>(kind)].load() == token;
}

void MigrationController::post(RequestKind kind, quint64 token, std::function<void()> emitter)
{
    // The controller outlives every job (its destructor waits for the thread), and a call queued to it is
    // discarded if it is deleted first.
    QMetaObject::invokeMethod(
        this,
        [this, kind, token, emitter = std::move(emitter)] {
            if (isLatest(kind, token))
                emitter();
        },
        Qt::QueuedConnection);
}

quint64 MigrationController::submit(RequestKind kind, std::function<void(Job &)> work)
{
    const quint64 token = ++m_generation;
    m_latest[static_cast<int>(kind)].store(token);
    if (m_pending++ == 0)
        emit busyChanged(true);
    if (kind == RequestKind::Run && m_cancel->load())
        m_cancel = std::make_shared<std::atomic_bool>(false);

    auto job = std::make_shared<Job>();
    job->token = token;
    job->kind = kind;
    job->map = m_map;
    job->project = m_project;
    job->python = m_python;
    job->options = m_options;
    job->cancel = m_cancel;
    job->probe = m_probe;

    QMetaObject::invokeMethod(
        m_worker,
        [this, job, work = std::move(work)] {
            job->probeThread();
            if (!job->map) {
                job->ok = false;
                job->error = EngineError(u"No project is open."_s, EngineError::Kind::Usage);
            } else if (job->kind != RequestKind::Run && !isLatest(job->kind, job->token)) {
                // Nobody waits for it any more; its finished() would be dropped anyway.
                job->ok = false;
                job->error = EngineError(u"Superseded by a newer request."_s, EngineError::Kind::Usage);
            } else {
                work(*job);
            }
            QMetaObject::invokeMethod(
                this,
                [this, kind = job->kind, token = job->token, ok = job->ok, error = job->error] {
                    --m_pending;
                    if (isLatest(kind, token))
                        emit finished(token, ok, error);
                    if (m_pending == 0)
                        emit busyChanged(false);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return token;
}

quint64 MigrationController::readState(const DatabaseUrl &url)
{
    return submit(RequestKind::State, [this, url](Job &job) {
        Migrator migrator(*job.map, url, job.options);
        Expected<QStringList> rows = migrator.currentRows();
        job.probeThread();
        if (!rows) {
            job.ok = false;
            job.error = rows.error();
            return;
        }
        QList<HistoryEntry> entries;
        {
            Expected<std::shared_ptr<DatabaseConnection>> connection =
                DatabaseConnection::open(url, job.options.baseDirectory, job.options.applicationName);
            if (!connection) {
                job.ok = false;
                job.error = connection.error();
                return;
            }
            const AuditHistory history((*connection)->database(), migrator.dialect());
            Expected<bool> exists = history.tableExists();
            if (!exists) {
                job.ok = false;
                job.error = exists.error();
                return;
            }
            if (*exists) {
                Expected<QList<HistoryEntry>> read = history.entries();
                if (!read) {
                    job.ok = false;
                    job.error = read.error();
                    return;
                }
                entries = std::move(*read);
            }
        }
        post(RequestKind::State, job.token,
             [this, token = job.token, rows = *rows, entries] { emit stateRead(token, rows, entries); });
    });
}

quint64 MigrationController::planUpgrade(const DatabaseUrl &url, const QString &target)
{
    return plan(url, Migrator::Request::Kind::Upgrade, target);
}

quint64 MigrationController::planDowngrade(const DatabaseUrl &url, const QString &target)
{
    return plan(url, Migrator::Request::Kind::Downgrade, target);
}

quint64 MigrationController::planStamp(const DatabaseUrl &url, const QString &target)
{
    return plan(url, Migrator::Request::Kind::Stamp, target);
}

quint64 MigrationController::plan(const DatabaseUrl &url, Migrator::Request::Kind kind, const QString &target)
{
    return submit(RequestKind::Plan, [this, url, kind, target](Job &job) {
        Migrator migrator(*job.map, url, job.options);
        Migrator::Request request;
        request.kind = kind;
        request.targets = {target};
        request.dryRun = true;
        Expected<Migrator::Result> result = migrator.run(request);
        job.probeThread();
        if (!result) {
            job.ok = false;
            job.error = result.error();
            return;
        }
        post(RequestKind::Plan, job.token, [this, token = job.token, details = result->details] {
            emit planReady(token, details.plan(), details.plannerWarnings(), details);
        });
    });
}

quint64 MigrationController::renderScript(const DatabaseUrl &url, const MigrationPlan &plan,
                                          std::shared_ptr<const RevisionMap> map)
{
    return submitScript(url, plan, std::nullopt, std::move(map));
}

quint64 MigrationController::renderScript(const DatabaseUrl &url, const PlanDetails &details,
                                          std::shared_ptr<const RevisionMap> map)
{
    return submitScript(url, details.plan(), details, std::move(map));
}

quint64 MigrationController::submitScript(const DatabaseUrl &url, const MigrationPlan &plan,
                                          std::optional<PlanDetails> details,
                                          std::shared_ptr<const RevisionMap> map)
{
    return submit(RequestKind::Script, [this, url, plan, details, map](Job &job) {
        if (map)
            job.map = map;
        if (job.project && job.project->isAlembicPython()) {
            Expected<AlembicRunner::RenderedPlan> rendered = renderWithAlembic(job, url, plan);
            if (!rendered || rendered->failedStep >= 0) {
                job.ok = false;
                job.error = rendered
                                ? EngineError(u"Step %1 cannot be written as SQL without the database (it "
                                              u"reads it): %2"_s.arg(rendered->failedStep + 1)
                                                  .arg(rendered->failure))
                                : rendered.error();
                return;
            }
            post(RequestKind::Script, job.token,
                 [this, token = job.token, text = rendered->script] { emit scriptReady(token, text); });
            return;
        }
        const Migrator migrator(*job.map, url, job.options);
        const OfflineRenderer renderer(*job.map, migrator.dialect(), job.options.transactionPerMigration);
        const bool startsEmpty = plan.rowsAtStart().isEmpty();
        Expected<QString> script =
            details ? renderer.render(*details, startsEmpty) : renderer.render(plan, startsEmpty);
        if (!script) {
            job.ok = false;
            job.error = script.error();
            return;
        }
        post(RequestKind::Script, job.token,
             [this, token = job.token, text = *script] { emit scriptReady(token, text); });
    });
}

bool MigrationController::runsAlembic() const
{
    return m_project && m_project->isAlembicPython();
}

quint64 MigrationController::renderStepScripts(const DatabaseUrl &url, const MigrationPlan &plan,
                                               std::shared_ptr<const RevisionMap> map)
{
    Q_UNUSED(map); // the steps name revisions by id through the plan's own project
    return submit(RequestKind::StepScripts, [this, url, plan](Job &job) {
        if (!job.project || !job.project->isAlembicPython()) {
            job.ok = false;
            job.error = EngineError(u"Only an Alembic Python project's steps are rendered by Alembic"_s,
                                    EngineError::Kind::Usage);
            return;
        }
        Expected<AlembicRunner::RenderedPlan> rendered = renderWithAlembic(job, url, plan);
        if (!rendered) {
            job.ok = false;
            job.error = rendered.error();
            return;
        }
        post(RequestKind::StepScripts, job.token, [this, token = job.token, rendered = *rendered] {
            emit stepScriptsReady(token, rendered.stepScripts, rendered.failedStep, rendered.failure);
        });
    });
}

quint64 MigrationController::run(const DatabaseUrl &url, RunKind kind, const QString &target,
                                 std::optional<QStringList> expectedRows)
{
    return run(url, kind, target, expectedRows, std::nullopt);
}

quint64 MigrationController::runPreviewed(const DatabaseUrl &url, RunKind kind, const QString &target,
                                          const MigrationPlan &previewedPlan)
{
    return run(url, kind, target, std::nullopt, previewedPlan);
}

quint64 MigrationController::run(const DatabaseUrl &url, RunKind kind, const QString &target,
                                 std::optional<QStringList> expectedRows,
                                 std::optional<MigrationPlan> previewedPlan)
{
    return submit(RequestKind::Run, [this, url, kind, target, expectedRows, previewedPlan](Job &job) {
        const quint64 token = job.token;
        MigratorCallbacks callbacks;
        callbacks.log = [this, &job, token](const QString &line) {
            job.probeThread();
            post(RequestKind::Run, token, [this, token, line] { emit logLine(token, line); });
        };
        callbacks.warning = [this, &job, token](const QString &text) {
            job.probeThread();
            post(RequestKind::Run, token, [this, token, text] { emit warning(token, text); });
        };
        callbacks.stepStarted = [this, &job, token](int index, int count, const MigrationStep &step) {
            job.probeThread();
            post(RequestKind::Run, token, [this, token, index, count, line = step.logLine()] {
                emit stepStarted(token, index, count, line);
            });
        };
        callbacks.stepFinished = [this, &job, token](int index, int count, const MigrationStep &step) {
            job.probeThread();
            post(RequestKind::Run, token, [this, token, index, count, rows = step.rowsAfter] {
                emit stepFinished(token, index, count, rows);
            });
        };
        callbacks.statementStarted = [this, &job, token](int index, const SqlStatement &statement) {
            Q_UNUSED(index);
            job.probeThread();
            post(RequestKind::Run, token, [this, token, line = statement.line, text = statement.text] {
                emit statementStarted(token, line, text);
            });
        };
        // The project's own output (print(), Alembic's log lines) goes to the log as it comes.
        callbacks.output = callbacks.log;

        Migrator::Request request;
        switch (kind) {
        case RunKind::Upgrade:
            request.kind = Migrator::Request::Kind::Upgrade;
            break;
        case RunKind::Downgrade:
            request.kind = Migrator::Request::Kind::Downgrade;
            break;
        case RunKind::Stamp:
            request.kind = Migrator::Request::Kind::Stamp;
            break;
        }
        request.targets = {target};
        request.expectedRows = expectedRows;
        request.previewedPlan = previewedPlan;

        if (job.project && job.project->isAlembicPython()) {
            Expected<AlembicRunnerOptions> options = alembicOptions(job, url);
            if (!options) {
                job.ok = false;
                job.error = options.error();
                return;
            }
            options->lockTimeoutSeconds = job.options.lockTimeoutSeconds;
            AlembicRunner runner(*job.project, url, *options);
            runner.setCallbacks(std::move(callbacks));
            runner.setCancelToken(job.cancel.get());
            Expected<Migrator::Result> result = runner.run(request);
            if (!result) {
                job.ok = false;
                job.error = result.error();
            }
            return;
        }

        Migrator migrator(*job.map, url, job.options);
        migrator.setCallbacks(std::move(callbacks));
        migrator.setCancelToken(job.cancel.get());
        AuditObserver observer;
        migrator.setObserver(&observer);
        Expected<Migrator::Result> result = migrator.run(request);
        for (const QString &problem : observer.recordingErrors()) {
            post(RequestKind::Run, token, [this, token, problem] {
                emit warning(token, u"The audit history could not record a step: "_s + problem);
            });
        }
        if (!result) {
            job.ok = false;
            job.error = result.error();
        }
    });
}

Expected<AlembicRunner::RenderedPlan>
MigrationController::renderWithAlembic(const Job &job, const DatabaseUrl &url, const MigrationPlan &plan)
{
    Expected<AlembicRunnerOptions> options = alembicOptions(job, url);
    if (!options)
        return options.error();
    AlembicRunner runner(*job.project, url, *options);
    return runner.renderPlan(plan);
}

Expected<AlembicRunnerOptions> MigrationController::alembicOptions(const Job &job, const DatabaseUrl &url)
{
    return AlembicRunner::optionsFor(*job.project, url, job.python,
                                     u"the project's Python interpreter setting"_s);
}

void MigrationController::cancel()
{
    m_cancel->store(true);
}

} // namespace qmigrate
