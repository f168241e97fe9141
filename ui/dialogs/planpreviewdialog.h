#pragma once

#include "config/databaseurl.h"
#include "core/engineerror.h"
#include "plan/migrationplan.h"
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
// version-table writes, and the warnings (PlanReview's and the controller's), destructive ones in red.
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

    // The version table the plan writes, as the project configures it (version_table,
    // version_table_schema); alembic_version without a schema unless set. Call before setPlan().
    void setVersionTable(const QString &table, const QString &schema = {});

    // Replaces what the dialog shows. map must be the map the plan was made from; it is read here and not
    // kept. controllerWarnings: planReady's warnings, shown with PlanReview's. url: the database the plan is
    // for (only its display form, without the password, is shown). title: "Upgrade to 3f2a9c1b7d4e".
    void setPlan(const RevisionMap &map, const MigrationPlan &plan, const QStringList &controllerWarnings,
                 const DatabaseUrl &url, const QString &title);
    // The same, keeping the map for "Copy as SQL script" and "Save as SQL…", so the script is rendered from
    // the map the plan was made from even when the project was read again since.
    void setPlan(std::shared_ptr<const RevisionMap> map, const MigrationPlan &plan,
                 const QStringList &controllerWarnings, const DatabaseUrl &url, const QString &title);

    const MigrationPlan &plan() const { return m_plan; }
    const DatabaseUrl &url() const { return m_url; }
    const QList<PlanWarning> &planWarnings() const { return m_planWarnings; }

    // For tests and callers: what the dialog shows.
    int stepCount() const;
    QStringList stepTexts() const;       // "1. upgrade cf60bc0183a4 → 83ca92fed024, create devices table"
    QStringList warningTexts() const;    // as listed, PlanReview's first, then the controller's
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
    enum class ScriptAction { None, Copy, Save };
    void fitWarningList();

    // What one step shows, computed once in setPlan().
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
    MigrationPlan m_plan;
    std::shared_ptr<const RevisionMap> m_planMap; // null: the controller's current map
    DatabaseUrl m_url;
    QString m_title;
    QString m_versionTable = QStringLiteral("alembic_version");
    QString m_versionTableSchema;
    QString m_qualifiedVersionTable;
    QList<StepView> m_steps;
    QList<PlanWarning> m_planWarnings;
    QStringList m_controllerWarnings;
    // The warnings list's rows: index into m_planWarnings, or -1 for a controller warning.
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
