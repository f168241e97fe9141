// SPDX-License-Identifier: MIT
#include "run/databasesession.h"

#include "project/project.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

DatabaseSession::DatabaseSession(QObject *parent)
    : QObject(parent)
    , m_controller(new MigrationController(this))
    , m_progress(new RunProgressThrottle(std::chrono::milliseconds(33), this)) // about one frame at 30 Hz
{
    qRegisterMetaType<Action>();
    connect(m_controller, &MigrationController::stateReady, this,
            [this](quint64 token, const DatabaseState &state, const QList<HistoryEntry> &entries,
                   const std::shared_ptr<const RevisionMap> &map) {
                if (token != m_stateToken || !m_controller->map())
                    return;
                m_history = entries;
                // Worked out by the worker, unless the project was read again since the state was asked for.
                setState(map == m_controller->map() ? state
                                                    : DatabaseState(*m_controller->map(), state.rows()));
                emit stateChanged();
                deliverRunResult();
            });
    connect(m_controller, &MigrationController::planReady, this,
            [this](quint64 token, const MigrationPlan &plan, const QStringList &warnings,
                   const PlanDetails &details) {
                if (token != m_planToken)
                    return;
                m_planToken = 0; // answered: a project read again from now on does not ask again
                m_prepared = PreparedPlan{m_planAction, m_planTarget, plan, m_planProject};
                emit planReady(m_planAction, m_planTarget, plan, warnings, details);
            });
    connect(m_controller, &MigrationController::stepStarted, this,
            [this](quint64 token, int index, int count, const QString &line) {
                if (token == m_runToken)
                    m_progress->addStepStarted(index, count, line);
            });
    connect(m_controller, &MigrationController::statementStarted, this,
            [this](quint64 token, int line, const QString &text) {
                if (token == m_runToken)
                    m_progress->addStatementStarted(line, text);
            });
    connect(m_controller, &MigrationController::stepFinished, this,
            [this](quint64 token, int index, int count, const QStringList &rowsAfter) {
                if (token == m_runToken)
                    m_progress->addStepFinished(index, count, rowsAfter);
            });
    connect(m_progress, &RunProgressThrottle::stepStarted, this, &DatabaseSession::stepStarted);
    connect(m_progress, &RunProgressThrottle::statementStarted, this, &DatabaseSession::statementStarted);
    connect(m_progress, &RunProgressThrottle::stepFinished, this,
            [this](int index, int count, const QStringList &rowsAfter) {
                if (!m_controller->map())
                    return;
                // The step has committed (or will with the run's transaction): show it now. The edited
                // marks wait for the state read after the run, which brings the history rows it wrote.
                m_state = DatabaseState(*m_controller->map(), rowsAfter);
                emit stateChanged();
                emit stepFinished(index, count);
            });
    connect(m_controller, &MigrationController::logLine, this, [this](quint64 token, const QString &text) {
        if (token == m_runToken)
            emit logLine(text);
    });
    connect(m_controller, &MigrationController::warning, this, [this](quint64 token, const QString &text) {
        if (token == m_runToken || token == m_planToken)
            emit warning(text);
    });
    connect(m_controller, &MigrationController::finished, this, &DatabaseSession::onFinished);
}

void DatabaseSession::setProject(const Project &project)
{
    setProject(std::make_shared<const Project>(project));
}

void DatabaseSession::setProject(std::shared_ptr<const Project> project)
{
    const bool reread = m_project && project &&
                        m_project->config().iniPath() == project->config().iniPath() &&
                        m_project->config().section() == project->config().section();
    m_project = std::move(project);
    m_controller->setProject(m_project);
    if (reread) {
        // The same database and the rows known of it, seen through the new scripts; a prepared plan stays
        // valid as a preview (its run is refused if the scripts it shows changed), a pending one is asked
        // for again from the new scripts.
        if (m_planToken != 0 && !m_prepared)
            preparePlan(m_planAction, m_planTarget);
        setState(m_state.isKnown() ? DatabaseState(*m_controller->map(), m_state.rows()) : DatabaseState());
        emit stateChanged();
    } else {
        m_prepared.reset();
        m_planToken = 0;
        m_history.clear();
        setState(DatabaseState());
        emit stateChanged();
    }
    if (m_url)
        refresh();
}

void DatabaseSession::setState(DatabaseState state)
{
    m_state = std::move(state);
    m_edited.clear();
    if (!m_state.isKnown() || m_history.isEmpty() || !m_controller->map())
        return;
    const RevisionMap &scripts = *m_controller->map();
    QList<const Revision *> applied;
    QList<int> order = scripts.history();
    std::reverse(order.begin(), order.end()); // oldest first, the order the scripts ran in
    for (const int index : std::as_const(order)) {
        if (m_state.isApplied(index))
            applied.append(&scripts.revision(index));
    }
    m_edited = AuditHistory::changedScripts(m_history, applied);
}

const ChangedScript *DatabaseSession::editedScript(const QString &revisionId) const
{
    for (const ChangedScript &script : m_edited) {
        if (script.revision == revisionId)
            return &script;
    }
    return nullptr;
}

std::shared_ptr<const RevisionMap> DatabaseSession::preparedMap() const
{
    if (!m_prepared || !m_prepared->project)
        return nullptr;
    return std::shared_ptr<const RevisionMap>(m_prepared->project, &m_prepared->project->map());
}

const RevisionMap &DatabaseSession::map() const
{
    static const RevisionMap empty;
    return m_controller->map() ? *m_controller->map() : empty;
}

void DatabaseSession::setDatabase(const DatabaseUrl &url)
{
    m_progress->discard();
    deliverRunResult();
    m_url = url;
    m_prepared.reset();
    m_planToken = 0;
    m_history.clear();
    setState(DatabaseState());
    emit databaseChanged();
    emit stateChanged();
    refresh();
}

void DatabaseSession::clearDatabase()
{
    m_progress->discard();
    deliverRunResult();
    m_url.reset();
    m_prepared.reset();
    m_stateToken = m_planToken = 0;
    m_history.clear();
    setState(DatabaseState());
    emit databaseChanged();
    emit stateChanged();
}

QString DatabaseSession::databaseName() const
{
    return m_url ? m_url->toDisplayString() : QString();
}

QString DatabaseSession::statusText() const
{
    if (!hasDatabase())
        return tr("No database selected");
    if (!m_state.isKnown())
        return tr("%1 — reading…").arg(databaseName());
    QStringList current;
    for (const int index : m_state.effectiveCurrent())
        current.append(map().idOf(index).left(12));
    current += m_state.unknownRows();
    return tr("%1 — at %2")
        .arg(databaseName(), current.isEmpty() ? tr("base (empty)") : current.join(u", "_s));
}

bool DatabaseSession::refresh()
{
    if (!m_url || !m_controller->map())
        return false;
    m_stateToken = m_controller->readState(*m_url);
    return true;
}

void DatabaseSession::preparePlan(Action action, const QString &target)
{
    if (!m_url) {
        emit failed(EngineError(tr("Select a database connection first."), EngineError::Kind::Usage));
        return;
    }
    m_prepared.reset();
    m_planAction = action;
    m_planTarget = target;
    m_planProject = m_project;
    switch (action) {
    case Action::Upgrade:
        m_planToken = m_controller->planUpgrade(*m_url, target);
        break;
    case Action::Downgrade:
        m_planToken = m_controller->planDowngrade(*m_url, target);
        break;
    case Action::Stamp:
        m_planToken = m_controller->planStamp(*m_url, target);
        break;
    }
}

bool DatabaseSession::runPreparedPlan()
{
    if (!m_prepared || !m_url || isRunning())
        return false;
    const PreparedPlan prepared = *std::exchange(m_prepared, std::nullopt);
    m_progress->discard();
    m_runToken = m_controller->runPreviewed(*m_url, prepared.action, prepared.target, prepared.plan);
    emit runStarted(prepared.action, prepared.target, int(prepared.plan.steps().size()));
    return true;
}

void DatabaseSession::cancel()
{
    if (isRunning())
        m_controller->cancel();
}

void DatabaseSession::onFinished(quint64 token, bool ok, const EngineError &error)
{
    if (token == m_runToken) {
        // The last step shows before the state read after the run replaces it.
        m_progress->flush();
        m_runToken = 0;
        m_runResult.emplace(ok, error);
        // The rows as committed and the history rows the run wrote; runFinished() once they are read.
        if (!refresh())
            deliverRunResult();
        return;
    }
    if (!ok && (token == m_stateToken || token == m_planToken)) {
        if (token == m_stateToken) {
            m_history.clear();
            setState(DatabaseState());
            emit stateChanged();
        }
        if (token == m_planToken)
            m_planToken = 0;
        emit failed(error);
        if (token == m_stateToken)
            deliverRunResult();
    }
}

void DatabaseSession::deliverRunResult()
{
    if (!m_runResult)
        return;
    const auto [ok, error] = *std::exchange(m_runResult, std::nullopt);
    emit runFinished(ok, error);
}

QString DatabaseSession::actionName(Action action)
{
    switch (action) {
    case Action::Upgrade:
        return tr("Upgrade");
    case Action::Downgrade:
        return tr("Downgrade");
    case Action::Stamp:
        return tr("Stamp");
    }
    return {};
}

} // namespace qmigrate
