#include "databasesession.h"

#include "project.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

DatabaseSession::DatabaseSession(QObject *parent)
    : QObject(parent)
    , m_controller(new MigrationController(this))
{
    qRegisterMetaType<Action>();
    connect(m_controller, &MigrationController::stateRead, this,
            [this](quint64 token, const QStringList &rows, const QList<HistoryEntry> &entries) {
                if (token != m_stateToken || !m_controller->map())
                    return;
                m_state = DatabaseState(*m_controller->map(), rows);
                m_history = entries;
                emit stateChanged();
                deliverRunResult();
            });
    connect(m_controller, &MigrationController::planReady, this,
            [this](quint64 token, const MigrationPlan &plan, const QStringList &warnings) {
                if (token != m_planToken)
                    return;
                m_prepared = PreparedPlan{m_planAction, m_planTarget, plan};
                emit planReady(m_planAction, m_planTarget, plan, warnings);
            });
    connect(m_controller, &MigrationController::stepStarted, this,
            [this](quint64 token, int index, int count, const QString &line) {
                if (token == m_runToken)
                    emit stepStarted(index, count, line);
            });
    connect(m_controller, &MigrationController::statementStarted, this,
            [this](quint64 token, int line, const QString &text) {
                if (token == m_runToken)
                    emit statementStarted(line, text);
            });
    connect(m_controller, &MigrationController::stepFinished, this,
            [this](quint64 token, int index, int count, const QStringList &rowsAfter) {
                if (token != m_runToken || !m_controller->map())
                    return;
                // The step has committed (or will with the run's transaction): show it at once.
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
    m_controller->setProject(project);
    m_prepared.reset();
    m_planToken = 0;
    m_state = DatabaseState();
    m_history.clear();
    emit stateChanged();
    if (m_url)
        refresh();
}

const RevisionMap &DatabaseSession::map() const
{
    static const RevisionMap empty;
    return m_controller->map() ? *m_controller->map() : empty;
}

void DatabaseSession::setDatabase(const DatabaseUrl &url)
{
    deliverRunResult();
    m_url = url;
    m_prepared.reset();
    m_planToken = 0;
    m_state = DatabaseState();
    m_history.clear();
    emit databaseChanged();
    emit stateChanged();
    refresh();
}

void DatabaseSession::clearDatabase()
{
    deliverRunResult();
    m_url.reset();
    m_prepared.reset();
    m_stateToken = m_planToken = 0;
    m_state = DatabaseState();
    m_history.clear();
    emit databaseChanged();
    emit stateChanged();
}

QString DatabaseSession::databaseName() const
{
    return m_url ? m_url->toDisplayString() : QString();
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
    m_runToken = m_controller->run(*m_url, prepared.action, prepared.target, prepared.plan.rowsBefore());
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
        m_runToken = 0;
        m_runResult.emplace(ok, error);
        // The rows as committed and the history rows the run wrote; runFinished() once they are read.
        if (!refresh())
            deliverRunResult();
        return;
    }
    if (!ok && (token == m_stateToken || token == m_planToken)) {
        if (token == m_stateToken) {
            m_state = DatabaseState();
            m_history.clear();
            emit stateChanged();
        }
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
