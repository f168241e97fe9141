// SPDX-License-Identifier: MIT
#include "dialogs/runpresenter.h"

#include "dialogs/migrationerrordialog.h"
#include "dialogs/planpreviewdialog.h"
#include "run/runprogresswidget.h"

#include <QWidget>

namespace qmigrate {

RunPresenter::RunPresenter(DatabaseSession *session, QWidget *window)
    : QObject(window)
    , m_session(session)
    , m_preview(new PlanPreviewDialog(session->controller(), window))
    , m_progress(new RunProgressWidget(window))
    , m_errorDialog(new MigrationErrorDialog(window))
{
    // Plan, show, run what was shown.
    connect(session, &DatabaseSession::planReady, this,
            [this](DatabaseSession::Action action, const QString &target, const MigrationPlan &,
                   const QStringList &, const PlanDetails &details) { showPlan(action, target, details); });
    connect(m_preview, &QDialog::accepted, session, &DatabaseSession::runPreparedPlan);
    connect(m_preview, &QDialog::rejected, session, &DatabaseSession::discardPreparedPlan);
    connect(session, &DatabaseSession::runStarted, this, &RunPresenter::onRunStarted);
    connect(session, &DatabaseSession::stepStarted, m_progress, &RunProgressWidget::onStepStarted);
    connect(session, &DatabaseSession::statementStarted, m_progress, &RunProgressWidget::onStatementStarted);
    connect(session, &DatabaseSession::stepFinished, m_progress, &RunProgressWidget::onStepFinished);
    connect(m_progress, &RunProgressWidget::cancelRequested, session, &DatabaseSession::cancel);
    connect(session, &DatabaseSession::runFinished, this, &RunPresenter::onRunFinished);
}

void RunPresenter::showPlan(DatabaseSession::Action action, const QString &target, const PlanDetails &details)
{
    // The map the plan was made with: the project may have been read again since.
    const std::shared_ptr<const RevisionMap> planMap = m_session->preparedMap();
    if (!planMap)
        return;
    m_preview->setPlan(details, *m_session->url(),
                       tr("%1 to %2").arg(DatabaseSession::actionName(action), target), planMap);
    m_preview->open();
}

void RunPresenter::onRunStarted(DatabaseSession::Action action, const QString &target, int stepCount)
{
    m_progress->start(
        tr("%1 %2 to %3").arg(DatabaseSession::actionName(action), m_session->databaseName(), target),
        stepCount);
    emit started();
}

void RunPresenter::onRunFinished(bool ok, const EngineError &error)
{
    if (ok) {
        m_progress->finish(true, tr("Done: %1").arg(m_session->statusText()));
    } else {
        m_progress->finish(false, error.message().section(u'\n', 0, 0));
        m_errorDialog->setError(error, m_session->state().rows());
        m_errorDialog->open();
    }
    emit finished(ok, error);
}

} // namespace qmigrate
