// SPDX-License-Identifier: MIT
#pragma once

#include "alembic/alembicrunner.h"
#include "execution/migrator.h"
#include "project/project.h"

#include <QStringList>

#include <atomic>
#include <optional>

namespace qmigrate {

// One online run of an opened project (upgrade, downgrade or stamp, or its dry run), whichever kind the
// project is: a native SQL project through the Migrator with the audit history written (AuditObserver), an
// Alembic Python project through its own Alembic (AlembicRunner). A dry run is always the Migrator's (it
// reads the rows and plans; no Python runs); for an Alembic project its steps are then rendered as the
// project's Alembic writes them offline, so that the preview shows their SQL.
class ProjectRun
{
public:
    struct Result
    {
        Migrator::Result run;
        // A dry run of an Alembic Python project with steps: their SQL as its Alembic writes it offline, or
        // why it could not be rendered (notRendered; the dry run itself still succeeded).
        std::optional<AlembicRunner::RenderedPlan> rendered;
        QString notRendered;
    };

    // project must outlive the run. python and pythonSource choose the interpreter of an Alembic project
    // (AlembicRunner::optionsFor); options.lockTimeoutSeconds applies to both kinds of run.
    ProjectRun(const Project &project, DatabaseUrl url, MigratorOptions options, QString python = {},
               QString pythonSource = {});

    // Whether run(request) goes through the project's own Alembic: its output then arrives in
    // MigratorCallbacks::output, the Migrator's progress in MigratorCallbacks::log.
    bool usesAlembic(const Migrator::Request &request) const;
    void setCallbacks(MigratorCallbacks callbacks) { m_callbacks = std::move(callbacks); }
    void setCancelToken(const std::atomic_bool *cancel) { m_cancel = cancel; }
    // The dialect of the run's database with the project's version table.
    Dialect dialect() const;

    Expected<Result> run(const Migrator::Request &request);
    // What the audit history could not record during the last run (a failure's row, say), whether the run
    // succeeded or not.
    const QStringList &auditErrors() const { return m_auditErrors; }

private:
    Expected<AlembicRunnerOptions> alembicOptions() const;

    const Project &m_project;
    DatabaseUrl m_url;
    MigratorOptions m_options;
    QString m_python;
    QString m_pythonSource;
    MigratorCallbacks m_callbacks;
    const std::atomic_bool *m_cancel = nullptr;
    QStringList m_auditErrors;
};

} // namespace qmigrate
