#pragma once

#include "alembic/alembicrunner.h"
#include "audit/audithistory.h"
#include "config/databaseurl.h"
#include "core/engineerror.h"
#include "execution/migrator.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "plan/plandetails.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace qmigrate {

class Project;

// Every database action of the GUI as a job on one worker thread. The controller lives on the GUI thread;
// its worker object lives on a QThread the controller owns, and each job opens its own connection there
// (the Migrator opens and closes one in the thread that runs it), so the GUI thread never waits on a server.
//
// Each request returns a token (one generation counter for all requests). Results come back as queued
// signals carrying that token and plain values, delivered on the GUI thread. There are four kinds of
// request, state (readState), plan (plan*), script (renderScript) and run (run); a result whose token is
// older than the latest request of its kind is dropped, so a slow answer for an old selection never
// overwrites a newer one. A request other than a run that is already stale when the worker reaches it is
// skipped.
//
// Every job ends with finished(token, ok, error); stateRead/planReady/scriptReady come just before a
// successful finish.
// Jobs run one at a time in the order they were requested. The map snapshot is shared and immutable: a
// job keeps the snapshot that was current when it was requested, so setProject() may swap it at any time.
class MigrationController : public QObject
{
    Q_OBJECT

public:
    enum class RunKind { Upgrade, Downgrade, Stamp };

    explicit MigrationController(QObject *parent = nullptr);
    // Requests cancellation of the running job, stops the thread and waits for it: a running step is rolled
    // back by its Migrator before this returns (cancel is checked between statements).
    ~MigrationController() override;

    void setProject(std::shared_ptr<const RevisionMap> map, MigratorOptions options);
    // The project itself, shared (the GUI's one live project): its map and its options.
    void setProject(const std::shared_ptr<const Project> &project);
    void setProject(const Project &project); // a copy of it
    std::shared_ptr<const RevisionMap> map() const { return m_map; }
    // The Python interpreter for an Alembic Python project's runs (the project's setting); empty:
    // auto-detected (PythonInterpreter). Runs and scripts of such a project go through its own Alembic.
    void setPythonInterpreter(const QString &program) { m_python = program; }
    QString pythonInterpreter() const { return m_python; }
    const MigratorOptions &options() const { return m_options; }

    // alembic_version's rows and the audit history (newest first; empty when qmigrate_history is missing).
    quint64 readState(const DatabaseUrl &url);
    // Dry runs: the rows are read and the plan made; nothing is changed.
    quint64 planUpgrade(const DatabaseUrl &url, const QString &target);
    quint64 planDowngrade(const DatabaseUrl &url, const QString &target);
    quint64 planStamp(const DatabaseUrl &url, const QString &target);
    // The plan as the SQL script `--sql` prints (OfflineRenderer, in the URL's dialect), for "Copy as SQL
    // script" and "Save as SQL". Uses no connection; starts with the version table's CREATE TABLE when the
    // plan starts from no rows.
    // map is the one the plan was made with (its step indices point into it); the current map when null.
    quint64 renderScript(const DatabaseUrl &url, const MigrationPlan &plan,
                         std::shared_ptr<const RevisionMap> map = nullptr);
    // The same for the plan of details (planReady's), from the statements split when it was made.
    quint64 renderScript(const DatabaseUrl &url, const PlanDetails &details,
                         std::shared_ptr<const RevisionMap> map = nullptr);
    // An Alembic Python project's plan rendered step by step by its own Alembic in offline mode, for the
    // preview: stepScriptsReady() follows (also when a step cannot be rendered offline). Uses no connection.
    quint64 renderStepScripts(const DatabaseUrl &url, const MigrationPlan &plan,
                              std::shared_ptr<const RevisionMap> map = nullptr);
    // Whether runs and scripts go through the project's own Alembic (an Alembic Python project).
    bool runsAlembic() const;

    // Runs the upgrade, downgrade or stamp, recording the audit history. With expectedRows (the rows the
    // previewed plan started from) the run is refused before anything runs when the database has moved since.
    quint64 run(const DatabaseUrl &url, RunKind kind, const QString &target,
                std::optional<QStringList> expectedRows = std::nullopt);
    // Runs exactly the plan that was shown: refused before anything runs when the database moved, the plan
    // made now differs, or a script is no longer the text the preview was made from (Migrator::Request).
    quint64 runPreviewed(const DatabaseUrl &url, RunKind kind, const QString &target,
                         const MigrationPlan &previewedPlan);
    // Asks the running (or queued) run to stop before its next statement: its step fails as "cancelled by
    // the user" and rolls back.
    void cancel();

    // Jobs requested whose finished() (delivered or dropped) has not come back yet; busyChanged() follows it.
    bool isBusy() const { return m_pending > 0; }
    QThread *workerThread() const { return m_thread; }

    // For tests: called on the worker thread at every engine callback, with the thread it runs on.
    void setCallbackProbe(std::function<void(QThread *)> probe) { m_probe = std::move(probe); }

signals:
    void stateRead(quint64 token, const QStringList &rows, const QList<qmigrate::HistoryEntry> &entries);
    // details: the plan with its statements, version-table writes and review findings, made by the worker
    // (the plan and warnings again, for receivers that need no more).
    void planReady(quint64 token, const qmigrate::MigrationPlan &plan, const QStringList &warnings,
                   const qmigrate::PlanDetails &details);
    void scriptReady(quint64 token, const QString &script);
    // stepScripts[i]: step i's statements and version-table writes as Alembic's --sql writes them; from
    // failedStep on (when >= 0) there are none, and failure says why (the step reads the database, say).
    void stepScriptsReady(quint64 token, const QStringList &stepScripts, int failedStep,
                          const QString &failure);
    void stepStarted(quint64 token, int index, int count, const QString &logLine);
    void statementStarted(quint64 token, int line, const QString &text);
    void stepFinished(quint64 token, int index, int count, const QStringList &rowsAfter);
    void logLine(quint64 token, const QString &text);
    void warning(quint64 token, const QString &text);
    void finished(quint64 token, bool ok, const qmigrate::EngineError &error);
    // true when the first job is requested while none is pending; false right after the last one's
    // finished().
    void busyChanged(bool busy);

private:
    enum class RequestKind { State, Plan, Script, Run, StepScripts };
    struct Job;

    quint64 plan(const DatabaseUrl &url, Migrator::Request::Kind kind, const QString &target);
    // renderScript's job; with details, rendered from their statements instead of splitting the plan's.
    quint64 submitScript(const DatabaseUrl &url, const MigrationPlan &plan,
                         std::optional<PlanDetails> details, std::shared_ptr<const RevisionMap> map);
    quint64 run(const DatabaseUrl &url, RunKind kind, const QString &target,
                std::optional<QStringList> expectedRows, std::optional<MigrationPlan> previewedPlan);
    quint64 submit(RequestKind kind, std::function<void(Job &)> work);
    static Expected<AlembicRunnerOptions> alembicOptions(const Job &job, const DatabaseUrl &url);
    // The plan as the project's Alembic writes it offline (--sql), step by step.
    static Expected<AlembicRunner::RenderedPlan> renderWithAlembic(const Job &job, const DatabaseUrl &url,
                                                                   const MigrationPlan &plan);
    // Delivers on the GUI thread unless the token is stale by then. Called from the worker thread.
    void post(RequestKind kind, quint64 token, std::function<void()> emitter);
    bool isLatest(RequestKind kind, quint64 token) const;

    QThread *m_thread = nullptr;
    QObject *m_worker = nullptr;
    std::shared_ptr<const RevisionMap> m_map;
    std::shared_ptr<const Project> m_project; // null when set from a map alone
    MigratorOptions m_options;
    QString m_python;
    std::function<void(QThread *)> m_probe;
    quint64 m_generation = 0;
    // Read by the worker to skip stale jobs, written on the GUI thread.
    std::array<std::atomic<quint64>, 5> m_latest{};
    std::shared_ptr<std::atomic_bool> m_cancel;
    int m_pending = 0;
};

} // namespace qmigrate

Q_DECLARE_METATYPE(qmigrate::EngineError)
Q_DECLARE_METATYPE(qmigrate::MigrationPlan)
Q_DECLARE_METATYPE(qmigrate::PlanDetails)
Q_DECLARE_METATYPE(qmigrate::HistoryEntry)
