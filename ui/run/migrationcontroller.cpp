// SPDX-License-Identifier: MIT
#include "run/migrationcontroller.h"

#include "alembic/projectrun.h"
#include "database/serverprobe.h"
#include "execution/databasestatus.h"
#include "plan/offlinerenderer.h"
#include "project/project.h"
#include "schema/databaseadopter.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

EngineError cancelledError()
{
    return EngineError(u"Cancelled by the user"_s, EngineError::Kind::Usage);
}

} // namespace

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
    // Set by a job whose engine call cannot be interrupted: a cancel that comes before its answer is
    // delivered drops the answer.
    bool dropAnswerOnCancel = false;

    void probeThread() const
    {
        if (probe)
            probe(QThread::currentThread());
    }

    void fail(const EngineError &failure)
    {
        ok = false;
        error = failure;
    }
};

MigrationController::MigrationController(QObject *parent)
    : DatabaseJobQueue(parent)
    , m_thread(new QThread(this))
    , m_worker(new QObject) // parentless: it is moved to m_thread and deleted there when the thread ends
{
    qRegisterMetaType<EngineError>();
    qRegisterMetaType<Revision>();
    qRegisterMetaType<ServerInfo>();
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
    cancel();
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

bool MigrationController::needsProject(RequestKind kind)
{
    return kind != RequestKind::Adoption && kind != RequestKind::ConnectionTest &&
           kind != RequestKind::Revision;
}

bool MigrationController::runsWhenStale(RequestKind kind)
{
    return kind == RequestKind::Run || kind == RequestKind::Adoption || kind == RequestKind::Revision;
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

quint64 MigrationController::submit(RequestKind kind, std::function<void(Job &)> work, Answer answer)
{
    const quint64 token = ++m_generation;
    m_latest[static_cast<int>(kind)].store(token);
    if (m_pending++ == 0)
        emit busyChanged(true);
    auto cancelFlag = std::make_shared<std::atomic_bool>(false);
    m_cancelFlags.insert(token, cancelFlag);

    auto job = std::make_shared<Job>();
    job->token = token;
    job->kind = kind;
    job->map = m_map;
    job->project = m_project;
    job->python = m_python;
    job->options = m_options;
    job->cancel = std::move(cancelFlag);
    job->probe = m_probe;

    QMetaObject::invokeMethod(
        m_worker,
        [this, job, work = std::move(work), answer = std::move(answer)] {
            job->probeThread();
            if (needsProject(job->kind) && !job->map) {
                job->fail(EngineError(u"No project is open."_s, EngineError::Kind::Usage));
            } else if (!runsWhenStale(job->kind) && !isLatest(job->kind, job->token)) {
                // Nobody waits for it any more; its finished() would be dropped anyway.
                job->fail(EngineError(u"Superseded by a newer request."_s, EngineError::Kind::Usage));
            } else if (!needsProject(job->kind) && job->cancel->load()) {
                // A dialog's job cancelled while it waited: nothing of it has started.
                job->fail(cancelledError());
            } else {
                work(*job);
            }
            QMetaObject::invokeMethod(
                this,
                [this, job, answer] {
                    --m_pending;
                    m_cancelFlags.remove(job->token);
                    if (job->dropAnswerOnCancel && job->cancel->load())
                        job->fail(cancelledError());
                    if (isLatest(job->kind, job->token)) {
                        if (answer)
                            answer(job->token, job->ok, job->error);
                        emit finished(job->token, job->ok, job->error);
                    }
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
        if (!job.project) {
            job.fail(EngineError(u"The state is read for a project: set the project, not a map alone."_s,
                                 EngineError::Kind::Usage));
            return;
        }
        // The engine's one status reader, as the CLI's current and log use it: one connection for both.
        DatabaseStatus status(*job.project, url, job.options.applicationName);
        Expected<QStringList> rows = status.versionRows();
        job.probeThread();
        if (!rows) {
            job.fail(rows.error());
            return;
        }
        Expected<QList<HistoryEntry>> entries = status.history();
        if (!entries) {
            job.fail(entries.error());
            return;
        }
        DatabaseState state = job.map ? DatabaseState(*job.map, *rows) : DatabaseState();
        post(RequestKind::State, job.token,
             [this, token = job.token, rows = *rows, entries = *entries, state = std::move(state),
              map = job.map] {
                 emit stateRead(token, rows, entries);
                 emit stateReady(token, state, entries, map);
             });
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
        const OfflineRenderer renderer(*job.map, Migrator::dialectFor(url, job.options),
                                       job.options.transactionPerMigration);
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

        if (!job.project) {
            job.fail(EngineError(u"No project is open."_s, EngineError::Kind::Usage));
            return;
        }
        Migrator::Request request;
        request.kind = kind;
        request.targets = {target};
        request.expectedRows = expectedRows;
        request.previewedPlan = previewedPlan;

        // The CLI's run too: the project's own Alembic for an Alembic Python project, else the Migrator
        // with the audit history.
        ProjectRun projectRun(*job.project, url, job.options, job.python,
                              u"the project's Python interpreter setting"_s);
        projectRun.setCallbacks(std::move(callbacks));
        projectRun.setCancelToken(job.cancel.get());
        const Expected<ProjectRun::Result> result = projectRun.run(request);
        for (const QString &problem : projectRun.auditErrors()) {
            post(RequestKind::Run, token, [this, token, problem] {
                emit warning(token, u"The audit history could not record a step: "_s + problem);
            });
        }
        if (!result)
            job.fail(result.error());
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
    for (const std::shared_ptr<std::atomic_bool> &flag : std::as_const(m_cancelFlags))
        flag->store(true);
}

void MigrationController::cancelJob(quint64 token)
{
    if (const std::shared_ptr<std::atomic_bool> flag = m_cancelFlags.value(token))
        flag->store(true);
}

quint64 MigrationController::adoptDatabase(const QString &directory, const DatabaseUrl &url)
{
    auto iniPath = std::make_shared<QString>();
    return submit(
        RequestKind::Adoption,
        [directory, url, iniPath](Job &job) {
            const Expected<DatabaseAdopter::Result> adopted =
                DatabaseAdopter::adopt(directory, url, {}, job.cancel.get());
            job.probeThread();
            if (!adopted) {
                job.fail(adopted.error());
                return;
            }
            *iniPath = adopted->iniPath;
        },
        [this, iniPath](quint64 token, bool ok, const EngineError &error) {
            emit databaseAdopted(token, ok, ok ? *iniPath : QString(), error);
        });
}

quint64 MigrationController::testConnection(const DatabaseUrl &url, const QString &baseDirectory,
                                            int connectTimeoutSeconds)
{
    auto server = std::make_shared<ServerInfo>();
    return submit(
        RequestKind::ConnectionTest,
        [url, baseDirectory, connectTimeoutSeconds, server](Job &job) {
            job.dropAnswerOnCancel = true;
            const Expected<ServerInfo> info = ServerProbe::probe(url, baseDirectory, connectTimeoutSeconds);
            job.probeThread();
            if (!info) {
                job.fail(info.error());
                return;
            }
            *server = *info;
        },
        [this, server](quint64 token, bool ok, const EngineError &error) {
            emit connectionTested(token, ok, ok ? *server : ServerInfo(), error);
        });
}

quint64 MigrationController::writeRevision(std::shared_ptr<const Project> project,
                                           const RevisionAuthor::Request &request)
{
    struct Written
    {
        Revision revision;
        QStringList reviewNotes;
    };
    auto written = std::make_shared<Written>();
    return submit(
        RequestKind::Revision,
        [project = std::move(project), request, written](Job &job) {
            if (!project) {
                job.fail(EngineError(u"No project is open."_s, EngineError::Kind::Usage));
                return;
            }
            RevisionAuthor::Request cancellable = request;
            cancellable.cancel = job.cancel.get();
            const Expected<RevisionAuthor::Result> result = RevisionAuthor::write(*project, cancellable);
            job.probeThread();
            if (!result) {
                job.fail(result.error());
                return;
            }
            if (result->written.isEmpty()) {
                job.fail(EngineError(
                    u"Nothing to autogenerate: %1 equals schema.sql"_s.arg(result->unchangedComparedWith),
                    EngineError::Kind::Usage));
                return;
            }
            written->revision = result->written.first();
            written->reviewNotes = result->reviewNotes;
        },
        [this, written](quint64 token, bool ok, const EngineError &error) {
            emit revisionWritten(token, ok, ok ? written->revision : Revision(),
                                 ok ? written->reviewNotes : QStringList(), error);
        });
}

} // namespace qmigrate
