// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"
#include "run/databasesession.h"

#include <QObject>

class QWidget;

namespace qmigrate {

class MigrationErrorDialog;
class PlanPreviewDialog;
class RunProgressWidget;

// Shows the one way a database is changed, around the DatabaseSession that does it: the plan preview when
// a plan is ready (Run runs exactly that plan, Cancel drops it), the progress while it runs (with Cancel),
// and the error dialog when it fails. It owns those three widgets; the window only places them.
class RunPresenter : public QObject
{
    Q_OBJECT

public:
    // The widgets are children of window (the dialogs are window-modal to it).
    RunPresenter(DatabaseSession *session, QWidget *window);

    PlanPreviewDialog *planPreview() const { return m_preview; }
    RunProgressWidget *progress() const { return m_progress; }
    MigrationErrorDialog *errorDialog() const { return m_errorDialog; }

signals:
    // A run started (the progress shows it now).
    void started();
    // After the progress and, on failure, the error dialog show the outcome.
    void finished(bool ok, const qmigrate::EngineError &error);

private:
    void showPlan(DatabaseSession::Action action, const QString &target, const PlanDetails &details);
    void onRunStarted(DatabaseSession::Action action, const QString &target, int stepCount);
    void onRunFinished(bool ok, const EngineError &error);

    DatabaseSession *m_session;
    PlanPreviewDialog *m_preview;
    RunProgressWidget *m_progress;
    MigrationErrorDialog *m_errorDialog;
};

} // namespace qmigrate
