// SPDX-License-Identifier: MIT
#include "alembic/projectrun.h"

#include "execution/auditobserver.h"

namespace qmigrate {

ProjectRun::ProjectRun(const Project &project, DatabaseUrl url, MigratorOptions options, QString python,
                       QString pythonSource)
    : m_project(project)
    , m_url(std::move(url))
    , m_options(std::move(options))
    , m_python(std::move(python))
    , m_pythonSource(std::move(pythonSource))
{}

bool ProjectRun::usesAlembic(const Migrator::Request &request) const
{
    return m_project.isAlembicPython() && !request.dryRun;
}

Dialect ProjectRun::dialect() const
{
    return Migrator::dialectFor(m_url, m_options);
}

Expected<AlembicRunnerOptions> ProjectRun::alembicOptions() const
{
    return AlembicRunner::optionsFor(m_project, m_url, m_python, m_pythonSource);
}

Expected<ProjectRun::Result> ProjectRun::run(const Migrator::Request &request)
{
    m_auditErrors.clear();
    Result result;
    if (usesAlembic(request)) {
        Expected<AlembicRunnerOptions> options = alembicOptions();
        if (!options)
            return options.error();
        options->lockTimeoutSeconds = m_options.lockTimeoutSeconds;
        AlembicRunner runner(m_project, m_url, *options);
        runner.setCallbacks(m_callbacks);
        runner.setCancelToken(m_cancel);
        Expected<Migrator::Result> run = runner.run(request);
        if (!run)
            return run.error();
        result.run = std::move(*run);
        return result;
    }

    Migrator migrator(m_project.map(), m_url, m_options);
    migrator.setCallbacks(m_callbacks);
    migrator.setCancelToken(m_cancel);
    // Every online run is recorded; a dry run never calls the observer.
    AuditObserver observer;
    migrator.setObserver(&observer);
    Expected<Migrator::Result> run = migrator.run(request);
    m_auditErrors = observer.recordingErrors();
    if (!run)
        return run.error();
    result.run = std::move(*run);
    if (request.dryRun && m_project.isAlembicPython() && !result.run.plan.steps().isEmpty()) {
        // One child process renders the whole plan.
        Expected<AlembicRunnerOptions> options = alembicOptions();
        Expected<AlembicRunner::RenderedPlan> rendered =
            options ? AlembicRunner(m_project, m_url, *options).renderPlan(result.run.plan)
                    : Expected<AlembicRunner::RenderedPlan>(options.error());
        if (rendered)
            result.rendered = std::move(*rendered);
        else
            result.notRendered = rendered.error().toString();
    }
    return result;
}

} // namespace qmigrate
