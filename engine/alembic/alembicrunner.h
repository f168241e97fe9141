// SPDX-License-Identifier: MIT
#pragma once

#include "authoring/revisionwriter.h"
#include "config/databaseurl.h"
#include "core/expected.h"
#include "database/dialect.h"
#include "execution/migrator.h"

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace qmigrate {

class Project;

struct AlembicRunnerOptions
{
    QString python;     // the interpreter (PythonInterpreter::resolve)
    QString driverPath; // qmigrate_alembic_driver.py (PythonInterpreter::driverPath)
    // The environment the child starts from; the DB_* variables are set to the URL's parts on top of it,
    // since many env.py files build their URL from them.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    int lockTimeoutSeconds = 60;
    // After a cancel, how long Alembic gets to roll back after SIGINT before the process is terminated.
    int cancelGraceMilliseconds = 5000;
    bool recordAudit = true; // qmigrate_history rows, as for SQL projects
};

// Runs an upgrade, downgrade or stamp of an Alembic Python project through the project's own Alembic, in
// its own env.py, in a child process (the driver, qmigrate_alembic_driver.py, in the project's Python).
// The same requests, results and callbacks as Migrator, so the front ends treat both alike.
//
// The driver connects as env.py says and, on that connection, before Alembic reads anything: qmigrate's
// run lock (the same statements as Migrator's, so a run on a SQL project and one on a Python project
// exclude each other), then the version rows. This side makes the plan from those rows (RunPlanner: the
// preview's rows and steps, every file's checksum) and sends it back; the driver checks that Alembic's own
// plan has the same steps and that each file is still the bytes qmigrate read, then runs. Each step's
// audit row is written in its transaction (Alembic's on_version_apply); failed and cancelled steps are
// recorded here afterwards, and the version rows are then read again natively.
//
// env.py must connect to the database qmigrate resolved (it gets the URL as sqlalchemy.url and the DB_*
// variables): a run where it connects elsewhere is refused before anything runs.
//
// Runs in the calling thread (blocking; a GUI calls it on a worker thread). Cancel: SIGINT to the child,
// whose Alembic rolls back its transaction, then terminate after the grace period.
class AlembicRunner
{
public:
    // The options for running `project`'s Alembic: the interpreter (`explicitProgram`, from `explicitSource`
    // such as "--python" or "the project's Python setting", else auto-detected; see PythonInterpreter) and
    // the driver. An error naming the interpreter and what to install when it cannot run Alembic (on `url`,
    // when given: its database driver too).
    static Expected<AlembicRunnerOptions> optionsFor(const Project &project,
                                                     const std::optional<DatabaseUrl> &url,
                                                     const QString &explicitProgram = {},
                                                     const QString &explicitSource = {});

    AlembicRunner(const Project &project, DatabaseUrl url, AlembicRunnerOptions options);
    // Without a database: only for createRevision without autogenerate and merge (alembic.ini's URL, if
    // any, stays as it is; Alembic needs none to write a file).
    AlembicRunner(const Project &project, AlembicRunnerOptions options);

    void setCallbacks(MigratorCallbacks callbacks) { m_callbacks = std::move(callbacks); }
    void setCancelToken(const std::atomic_bool *cancel) { m_cancel = cancel; }

    // Online runs only: a dry run (request.dryRun) is the Migrator's, which reads the rows without Python.
    Expected<Migrator::Result> run(const Migrator::Request &request);

    // What the project's Alembic prints with --sql for `command` (upgrade, downgrade, stamp) and the
    // arguments as the user typed them (ranges "a:b" included): the script text, no connection made.
    Expected<QString> renderOffline(const QString &command, const QStringList &targets, bool purge);

    // A plan made by qmigrate rendered by the project's Alembic in offline mode (--sql), step by step: what
    // the preview shows and "Save as SQL" writes for an Alembic Python project.
    struct RenderedPlan
    {
        QString script;          // the whole script as --sql prints it (up to the failed step, if one failed)
        QStringList stepScripts; // each step's part of it (its statements and version-table write)
        int failedStep = -1;     // the step that cannot be rendered offline (it reads the database, say)
        QString failure;         // Alembic's message for it, with file and line
    };
    Expected<RenderedPlan> renderPlan(const MigrationPlan &plan);

    // What `revision` or `merge` wrote through the project's Alembic.
    struct Written
    {
        QStringList paths;     // the new files, as Alembic wrote them
        QStringList revisions; // their ids
        QStringList
            reviewNotes; // autogenerate: what the draft's upgrade drops ("drops table t and its data")
    };
    // `alembic revision` (create): the project's script.py.mako, file_template and post-write hooks apply.
    // With `autogenerate`, Alembic's own comparison of env.py's target_metadata with the database (this
    // runner's URL), qmigrate's audit table left out. request.upgradeSql/downgradeSql are not used.
    Expected<Written> createRevision(const NewRevision &request, bool autogenerate);
    // `alembic merge`.
    Expected<Written> merge(const QStringList &revisions, const QString &message,
                            const QStringList &branchLabels, const QString &revId);

    // The dialect of the version table as configured in alembic.ini (env.py may name another: the driver
    // reports it and the run uses that).
    Dialect dialect() const;

private:
    Expected<Written> author(const QString &action, const QJsonObject &options);
    // Runs the driver's `action` to its end, handing every event other than "warning" (to the callbacks),
    // "error" and "done" to `onEvent`. The driver's error event when it reported one, none when it finished;
    // an error when it could not start or died without saying why.
    using EventHandler = std::function<void(const QString &kind, const QJsonObject &event)>;
    Expected<std::optional<QJsonObject>> drive(const QString &action, const QStringList &targets,
                                               const QJsonObject &options, const EventHandler &onEvent);

    const Project &m_project;
    std::optional<DatabaseUrl> m_url;
    AlembicRunnerOptions m_options;
    MigratorCallbacks m_callbacks;
    const std::atomic_bool *m_cancel = nullptr;
};

} // namespace qmigrate
