// SPDX-License-Identifier: MIT
#include "clicontext.h"

#include "execution/databasestatus.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

CliContext::CliContext(QTextStream &out, QTextStream &err)
    : m_out(out)
    , m_err(err)
{}

namespace {
// Where the loaded project goes when the command is done (a global, so leak checkers see it reachable).
const Project *projectLeftToExit = nullptr;
} // namespace

CliContext::~CliContext()
{
    // The process exits right after the command, and the system takes all of its memory back at once: freeing
    // a loaded project's revisions one by one was a tenth of what `heads` cost at 10,000 revisions. A project
    // holds plain data only (no connection, no open file), so nothing is lost by not destroying it.
    projectLeftToExit = m_project.release();
}

void CliContext::setOutputMode(bool json, bool verbose)
{
    m_json = json;
    m_verbose = verbose;
}

int CliContext::usageError(const QString &message, const QString &command)
{
    const QString who = command.isEmpty() ? m_program : m_program + u' ' + command;
    m_err << who << ": error: " << message << '\n' << "Try '" << who << " --help' for more information.\n";
    m_err.flush();
    m_exitCode = 2;
    return m_exitCode;
}

int CliContext::fail(const EngineError &error)
{
    m_out.flush();
    m_err << "FAILED: " << error.toString() << '\n';
    m_err.flush();
    m_exitCode = error.kind() == EngineError::Kind::Database ? 1 : 2;
    return m_exitCode;
}

void CliContext::printJson(const QJsonDocument &document)
{
    m_out << QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

Project::OpenOptions CliContext::projectOpenOptions(const QString &section) const
{
    Project::OpenOptions options;
    options.section = section;
    options.python = m_options.pythonOverride;
    options.pythonSource = m_options.pythonOverrideSource;
    return options;
}

bool CliContext::loadProject()
{
    Expected<Project> project = Project::open(m_options.configPath, projectOpenOptions(m_options.section));
    if (!project) {
        fail(project.error());
        return false;
    }
    for (const EngineError &warning : project->warnings())
        m_err << "WARNING: " << warning.toString() << '\n';
    m_err.flush();
    if (!m_options.urlOverride.isEmpty())
        project->config().setUrlOverride(m_options.urlOverride);
    if (!m_options.passwordOverride.isEmpty())
        project->config().setPasswordOverride(m_options.passwordOverride);
    m_project = std::make_unique<Project>(std::move(project.value()));
    return true;
}

Expected<AlembicRunnerOptions> CliContext::alembicRunnerOptions(const std::optional<DatabaseUrl> &url) const
{
    return AlembicRunner::optionsFor(*m_project, url, m_options.pythonOverride,
                                     m_options.pythonOverrideSource);
}

Expected<QStringList> CliContext::currentRows()
{
    Expected<DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url)
        return url.error();
    return DatabaseStatus(*m_project, *url, applicationName()).checkedVersionRows();
}

Expected<QList<int>> CliContext::revisionsNamed(const QString &symbol)
{
    if (symbol == u"current"_s)
        return currentRevisions();
    return m_project->map().resolve(symbol);
}

Expected<QList<int>> CliContext::currentRevisions()
{
    Expected<DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url)
        return url.error();
    return DatabaseStatus(*m_project, *url, applicationName()).currentRevisions();
}

void CliContext::logInfo(const QString &line)
{
    m_err << "INFO  [qmigrate] " << line << '\n';
    m_err.flush();
}

void CliContext::logWarning(const QString &line)
{
    m_err << "WARNING [qmigrate] " << line << '\n';
    m_err.flush();
}

MigratorCallbacks CliContext::alembicCallbacks()
{
    MigratorCallbacks callbacks;
    // The project's own output (Alembic's "Running upgrade" log lines among it) as Alembic prints it.
    callbacks.output = [this](const QString &line) {
        m_err << line << '\n';
        m_err.flush();
    };
    callbacks.warning = [this](const QString &warning) { logWarning(warning); };
    return callbacks;
}

} // namespace qmigrate
