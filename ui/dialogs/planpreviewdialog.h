// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/engineerror.h"
#include "plan/migrationplan.h"
#include "plan/plandetails.h"
#include "plan/planreview.h"

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QsciLexerSQL;
class QsciScintilla;

namespace qmigrate {

class MigrationController;
class RevisionMap;

// Shows what an upgrade, downgrade or stamp will do before it runs: the database, its version rows before
// and after, the steps in order, the SQL of the selected step with its file's line numbers and the exact
// version-table writes, and the warnings (the review's findings and the planner's), destructive ones in red.
// All of it comes from the PlanDetails the dry run made on the controller's worker thread: nothing is split,
// reviewed or rendered on the GUI thread.
//
// "Run" (labelled "Upgrade", "Downgrade" or "Stamp") accepts the dialog; the caller then starts the run.
// "Copy as SQL script" and "Save as SQL…" ask the controller for the offline script (renderScript) and act
// on its answer; nothing here blocks: the file dialog is opened with open() and the file written with
// QSaveFile once the script arrives. Show the dialog with open().
class PlanPreviewDialog : public QDialog
{
    Q_OBJECT

public:
    // controller is not owned; it should outlive the dialog (if it does not, copying and saving stop
    // working).
    explicit PlanPreviewDialog(MigrationController *controller, QWidget *parent = nullptr);
    ~PlanPreviewDialog() override;

    // Replaces what the dialog shows with details, as MigrationController::planReady delivers them (the
    // version table they name is the run's, as the project configures it). map: the map the plan was made
    // with, handed back to the controller with the details for "Copy as SQL script" and "Save as SQL…", so
    // a project read again since changes nothing; null: the controller's current map. url: the database the
    // plan is for (only its display form, without the password, is shown). title: "Upgrade to 3f2a9c1b7d4e".
    void setPlan(const PlanDetails &details, const DatabaseUrl &url, const QString &title,
                 std::shared_ptr<const RevisionMap> map = nullptr);

    const MigrationPlan &plan() const { return m_details.plan(); }
    const DatabaseUrl &url() const { return m_url; }
    const QList<PlanWarning> &planWarnings() const { return m_details.findings(); }

    // For tests and callers: what the dialog shows.
    int stepCount() const;
    QStringList stepTexts() const;       // "1. upgrade cf60bc0183a4 → 83ca92fed024, create devices table"
    QStringList warningTexts() const;    // as listed, the review's findings first, then the planner's
    QString headerText() const;          // title, database and rows, one per line
    QString sqlOfStep(int step) const;   // the section the step runs, as in its file; empty for stamps
    int firstLineOfStep(int step) const; // the file line of sqlOfStep's first line; 0 for stamps
    QString fileOfStep(int step) const;  // empty for stamps
    QStringList versionSqlOfStep(int step) const; // the INSERT/UPDATE/DELETE statements, without ";"
    QString editorText() const;                   // what the SQL view shows for the current step
    int currentStep() const;
    void setCurrentStep(int step);
    QString statusText() const;
    QPushButton *runButton() const { return m_runButton; }
    QPushButton *copyButton() const { return m_copyButton; }
    QPushButton *saveButton() const { return m_saveButton; }
    QPushButton *cancelButton() const { return m_cancelButton; }
    QsciScintilla *sqlView() const { return m_sqlView; }

public Q_SLOTS:
    // Requests the script and puts it on the clipboard when it arrives.
    void copyScript();
    // Asks for a file name (non-blocking QFileDialog), then saveScriptTo().
    void saveScriptAs();
    // Requests the script and writes it to path (QSaveFile) when it arrives.
    void saveScriptTo(const QString &path);

Q_SIGNALS:
    void scriptCopied(const QString &script);
    void scriptSaved(const QString &path);
    // Rendering or writing failed; message names the file or the revision.
    void scriptFailed(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // The reds and ambers of warnings, readable on this dialog's palette (light or dark).
    QColor destructiveInk() const;
    QColor warningInk() const;
    enum class ScriptAction { None, Copy, Save };
    void fitWarningList();

    // What one step shows: its details, until Alembic's offline rendering of a Python step arrives.
    struct StepView
    {
        QString text;
        QString file;
        int firstLine = 0;
        QString sql;
        QStringList versionSql;
        bool python = false;
        bool stamp = false;
        bool rendered = false; // python: sql holds what Alembic's offline mode wrote for the step
        QString notRendered;   // python: why there is no SQL (yet)
    };

    void showStep(int step);
    void requestScript(ScriptAction action, const QString &path = {});
    void onScriptReady(quint64 token, const QString &script);
    void onStepScriptsReady(quint64 token, const QStringList &stepScripts, int failedStep,
                            const QString &failure);
    void onFinished(quint64 token, bool ok, const EngineError &error);
    void onWarningActivated(int row);
    void setStatus(const QString &text, bool error);
    QString runLabel() const;

    // Cleared if the controller goes first; then the script buttons do nothing.
    QPointer<MigrationController> m_controller;
    PlanDetails m_details;
    std::shared_ptr<const RevisionMap> m_planMap; // null: the controller's current map
    DatabaseUrl m_url;
    QString m_title;
    QList<StepView> m_steps;
    // The warnings list's rows: index into m_details.findings(), or -1 for a planner warning.
    QList<int> m_warningRows;

    quint64 m_scriptToken = 0;
    quint64 m_stepScriptsToken = 0;
    ScriptAction m_scriptAction = ScriptAction::None;
    QString m_savePath;

    QLabel *m_titleLabel;
    QLabel *m_databaseLabel;
    QLabel *m_rowsLabel;
    QLabel *m_warningsTitle;
    QListWidget *m_warningList;
    QStackedWidget *m_body;
    QLabel *m_nothingLabel;
    QListWidget *m_stepList;
    QLabel *m_stepLocation;
    QsciScintilla *m_sqlView;
    QsciLexerSQL *m_lexer;
    QLabel *m_statusLabel;
    QDialogButtonBox *m_buttons;
    QPushButton *m_runButton;
    QPushButton *m_cancelButton;
    QPushButton *m_copyButton;
    QPushButton *m_saveButton;
};

} // namespace qmigrate
