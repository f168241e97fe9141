// SPDX-License-Identifier: MIT
#pragma once

#include "alembic/alembicrunner.h"
#include "alembic/revisionauthor.h"
#include "audit/audithistory.h"
#include "common/databasejobqueue.h"
#include "config/databaseurl.h"
#include "core/engineerror.h"
#include "execution/migrator.h"
#include "graph/databasestate.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "plan/plandetails.h"
#include "scripts/revision.h"

#include <QHash>
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
// signals carrying that token and plain values, delivered on the GUI thread. The kinds of request are state
// (readState), plan (plan*), script (renderScript, renderStepScripts), run (run*), and the jobs of the
// dialogs: adoption (adoptDatabase), connection test (testConnection) and new revision (writeRevision,
// autogenerate included); a result whose token is older than the latest request of its kind is dropped, so
// a slow answer for an old selection never overwrites a newer one. A request that is already stale when the
// worker reaches it is skipped, unless it changes something the user asked for (run, adoption, revision).
//
// Every job ends with finished(token, ok, error); stateRead/planReady/scriptReady come just before a
// successful finish, databaseAdopted/connectionTested/revisionWritten just before every finish of theirs.
// cancel() cancels every job queued or running, cancelJob() one: a queued adoption, connection test or
// revision is then skipped; how far a running one gets is said at its request.
// Jobs run one at a time in the order they were requested. The map snapshot is shared and immutable: a
// job keeps the snapshot that was current when it was requested, so setProject() may swap it at any time.
class MigrationController : public DatabaseJobQueue
{
    Q_OBJECT

public:
    using RunKind = MigrationAction;

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

    // alembic_version's rows and the audit history (newest first; empty when qmigrate_history is missing), as
    // DatabaseStatus reads them for the CLI, over one connection. Needs the project, not a map alone.
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
    // the user" and rolls back. Cancels the dialogs' jobs queued or running as well (see cancelJob()).
    void cancel();

    // The dialogs' jobs. They need no project of the controller's: the adoption makes one, the connection
    // test has none, and a revision is written to the project it is given.
    // Adoption: the cancel token goes to DatabaseAdopter, which stops before anything is written or before
    // the baseline is; once the baseline is being written the adoption completes and is answered as done.
    quint64 adoptDatabase(const QString &directory, const DatabaseUrl &url) override;
    // Connection test: ServerProbe cannot be interrupted (the driver's connect blocks), so a cancel drops its
    // answer: connectionTested() and finished() say "cancelled" once the attempt has ended.
    quint64 testConnection(const DatabaseUrl &url, const QString &baseDirectory,
                           int connectTimeoutSeconds) override;
    // A new revision or merge, written as RevisionAuthor would write it (request.python names an Alembic
    // project's interpreter), one step at a time so that a cancel can stop it: a native project's draft
    // (Autogenerator: the revisions' replay stops before its next statement) and the moment before its file
    // is written; an Alembic project's own Alembic gets SIGINT (AlembicRunner's cancel token). A write
    // already under way completes and is answered as done. revisionWritten() follows.
    quint64 writeRevision(std::shared_ptr<const Project> project, const RevisionAuthor::Request &request);
    void cancelJob(quint64 token) override;

    // Jobs requested whose finished() (delivered or dropped) has not come back yet; busyChanged() follows it.
    bool isBusy() const { return m_pending > 0; }
    QThread *workerThread() const { return m_thread; }

    // For tests: called on the worker thread at every engine callback, with the thread it runs on.
    void setCallbackProbe(std::function<void(QThread *)> probe) { m_probe = std::move(probe); }

signals:
    void stateRead(quint64 token, const QStringList &rows, const QList<qmigrate::HistoryEntry> &entries);
    // Right after stateRead(), the same answer with the rows as a DatabaseState of map (the controller's when
    // the job was asked for), worked out by the worker: that is linear in the revisions, which the UI thread
    // felt on a 10,000-revision project.
    void stateReady(quint64 token, const qmigrate::DatabaseState &state,
                    const QList<qmigrate::HistoryEntry> &entries,
                    const std::shared_ptr<const qmigrate::RevisionMap> &map);
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
    // ok: revision is the file written (path, id); reviewNotes say what an Alembic project's draft drops
    // (a native draft carries its notes as comments in the file).
    void revisionWritten(quint64 token, bool ok, const qmigrate::Revision &revision,
                         const QStringList &reviewNotes, const qmigrate::EngineError &error);
    // true when the first job is requested while none is pending; false right after the last one's
    // finished().
    void busyChanged(bool busy);

private:
    enum class RequestKind { State, Plan, Script, Run, StepScripts, Adoption, ConnectionTest, Revision };
    static constexpr int requestKindCount = 8;
    struct Job;
    // A job's own answer signal, emitted on the GUI thread just before its finished(), with the outcome.
    using Answer = std::function<void(quint64 token, bool ok, const EngineError &error)>;
    // The dialogs' jobs need no project of the controller's; the others work on its map.
    static bool needsProject(RequestKind kind);
    // Jobs that change something the user asked for run even when a newer request of their kind came.
    static bool runsWhenStale(RequestKind kind);

    quint64 plan(const DatabaseUrl &url, Migrator::Request::Kind kind, const QString &target);
    // renderScript's job; with details, rendered from their statements instead of splitting the plan's.
    quint64 submitScript(const DatabaseUrl &url, const MigrationPlan &plan,
                         std::optional<PlanDetails> details, std::shared_ptr<const RevisionMap> map);
    quint64 run(const DatabaseUrl &url, RunKind kind, const QString &target,
                std::optional<QStringList> expectedRows, std::optional<MigrationPlan> previewedPlan);
    quint64 submit(RequestKind kind, std::function<void(Job &)> work, Answer answer = {});
    static Expected<AlembicRunnerOptions> alembicOptions(const Job &job, const DatabaseUrl &url);
    // The plan as the project's Alembic writes it offline (--sql), step by step.
    static Expected<AlembicRunner::RenderedPlan> renderWithAlembic(const Job &job, const DatabaseUrl &url,
                                                                   const MigrationPlan &plan);
    // On the worker thread: a new revision or merge of a native project, or through an Alembic project's own
    // Alembic (its review notes into reviewNotes).
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
    std::array<std::atomic<quint64>, requestKindCount> m_latest{};
    // The cancel flag of each job whose finished() has not come back yet; each job has its own, so that a
    // cancel reaches the jobs pending then and none requested later.
    QHash<quint64, std::shared_ptr<std::atomic_bool>> m_cancelFlags;
    int m_pending = 0;
};

} // namespace qmigrate

Q_DECLARE_METATYPE(qmigrate::MigrationPlan)
Q_DECLARE_METATYPE(qmigrate::PlanDetails)
Q_DECLARE_METATYPE(qmigrate::HistoryEntry)
