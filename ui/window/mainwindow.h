// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"
#include "dialogs/aboutdialog.h"
#include "dialogs/gettingstarteddialog.h"
#include "dialogs/revisionauthoring.h"
#include "dialogs/runpresenter.h"
#include "editor/scriptnavigator.h"
#include "revisions/revisionbrowser.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisionlistview.h"
#include "run/databasesession.h"
#include "window/windowactions.h"
#include "workspace/projectbanner.h"
#include "workspace/projectsession.h"

#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>

#include <memory>

class QDockWidget;
class QLabel;
class QTabWidget;
class QTreeView;
class RevisionListModel;

class QStackedWidget;

namespace qmigrate {
class ConnectionProfileStore;
class WelcomePage;
class ConnectionSelector;
class HistoryTable;
class LiveProject;
class LogPanel;
class MigrationErrorDialog;
class NewRevisionDialog;
class PasswordStore;
class PlanPreviewDialog;
class Project;
class ProjectChooser;
class RevisionDetails;
class RevisionGraphView;
class RunProgressWidget;
class ScriptEditor;
} // namespace qmigrate

// The application frame: the revision graph in the middle, the selected revision's details and script beside
// it, the revision list and the other panels in docks, the menus and toolbar from one ActionTable. It places
// the panels and routes between them, the ProjectSession (which project) and the DatabaseSession (which
// database, and the work on it); no SQL and no engine calls inline.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads the project (an alembic.ini, or a folder holding one) off the UI thread; projectLoaded() or
    // projectFailed() follows. The project's own database URL becomes the selected database.
    void openProject(const QString &path) { m_projects->open(path); }
    // What to open at start: the last project opened when it still exists; empty on first start.
    static QString startupProject() { return qmigrate::ProjectSession::startupProject(); }
    // The bundled example, which the welcome page offers (empty: none).
    void setExampleProject(const QString &iniPath);
    // Until a project is open the window shows the welcome page: open the example, open a project, adopt a
    // database, make a new project.
    bool isShowingWelcome() const;
    qmigrate::WelcomePage *welcomePage() const { return m_welcome; }
    // Help > Getting Started and Help > About (null until first shown).
    qmigrate::GettingStartedDialog *gettingStartedDialog() const { return m_gettingStarted; }
    qmigrate::AboutDialog *aboutDialog() const { return m_about; }
    // The message box of the last problem shown (a project that did not open, a failed adoption); null when
    // none is open.
    QMessageBox *problemMessage() const { return m_problem; }
    // The choice Downgrade One Step offers at a merge or several heads, while it is open.
    QMenu *downgradeChoices() const { return m_downgradeChoices; }
    // Makes a new native SQL project in directory (ProjectInitializer: refuses one that holds a project) and
    // opens it; the error is shown and logged otherwise. False when nothing was created.
    bool createProject(const QString &directory);
    // Puts the selected database under migrations in a new project in directory (DatabaseAdopter, off the
    // UI thread), then opens that project; adoptionFinished() follows either way.
    void adoptDatabase(const QString &directory);
    QStringList recentProjects() const { return m_projects->rememberedProjects(); }

    qmigrate::DatabaseSession *session() const { return m_session; }
    qmigrate::ProjectSession *projectSession() const { return m_projects; }
    // The one project every panel shows, re-read when its files change.
    qmigrate::LiveProject *liveProject() const { return m_projects->liveProject(); }
    // The strip above the graph saying why the files on disk do not read as a project (hidden otherwise).
    QLabel *projectBanner() const { return m_projectBanner; }
    // The status bar's message.
    QString statusText() const;
    // The Save / Discard / Cancel question asked when another revision is selected while the editor has
    // unsaved edits; null while none is asked.
    QMessageBox *unsavedEditsQuestion() const { return m_scripts->unsavedEditsQuestion(); }
    RevisionListModel *revisionModel() const { return m_revisions->list()->revisionModel(); }
    QTreeView *revisionView() const { return m_revisions->list(); }
    qmigrate::RevisionGraphPanel *graphPanel() const { return m_revisions->graphPanel(); }
    qmigrate::RevisionGraphView *graphView() const { return m_revisions->graph(); }
    qmigrate::ScriptEditor *scriptEditor() const { return m_editor; }
    qmigrate::RevisionDetails *revisionDetails() const { return m_revisions->details(); }
    qmigrate::LogPanel *logPanel() const { return m_log; }
    qmigrate::HistoryTable *historyTable() const { return m_historyTable; }
    qmigrate::ConnectionSelector *connectionSelector() const { return m_connection; }
    qmigrate::ConnectionProfileStore *profileStore() const { return m_profiles; }
    qmigrate::PasswordStore *passwordStore() const { return m_passwords; }
    qmigrate::PlanPreviewDialog *planPreview() const { return m_runs->planPreview(); }
    qmigrate::RunProgressWidget *runProgress() const { return m_runs->progress(); }
    qmigrate::MigrationErrorDialog *errorDialog() const { return m_runs->errorDialog(); }
    // Null until a project is open.
    qmigrate::NewRevisionDialog *newRevisionDialog() const { return m_authoring->dialog(); }
    QAction *newRevisionAction() const { return m_actions->newRevision(); }
    QAction *mergeHeadsAction() const { return m_actions->mergeHeads(); }
    QAction *upgradeHeadAction() const { return m_actions->upgradeHead(); }
    QAction *downgradeOneAction() const { return m_actions->downgradeOne(); }
    QAction *pythonInterpreterAction() const { return m_actions->pythonInterpreter(); }

    // An Alembic Python project's interpreter, remembered per project (its alembic.ini); empty: detected.
    QString pythonInterpreter() const { return m_projects->pythonInterpreter(); }
    void setPythonInterpreter(const QString &program) { m_projects->setPythonInterpreter(program); }
    // What the last check of the interpreter found: its summary, or what to install (empty before a check).
    QString pythonStatus() const { return m_projects->pythonStatus(); }

signals:
    // A project was opened, or the open one was read again after its files changed.
    void projectLoaded(const QString &iniPath);
    void projectFailed(const QString &message);
    void adoptionFinished(bool ok, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QDockWidget *addDock(const QString &title, const QString &objectName, QWidget *widget);
    void keepFloatingDocksOnScreen();
    // Asks to confirm adopting the selected database (there must be one), then for the project's folder.
    void confirmAdoption();
    // "New revision" on top of parentId (empty: the head): the dialog writes the file, then the project is
    // read again and the new revision selected and opened. Merge heads goes the same way.
    void newRevision(const QString &parentId);
    // Every panel switches to project; reread: the same project read again after its files changed.
    void applyProject(const std::shared_ptr<const qmigrate::Project> &project, bool reread);
    void onProjectOpened(const QString &iniPath);
    // Replaces the welcome page with the project, then says the project is loaded if that was waiting on it;
    // called again, paints the page.
    void showProjectPage();
    // projectLoaded(), once the project page is the one shown.
    void announceLoaded(const QString &iniPath);
    void onStateChanged();
    void onRunStarted();
    void onRunFinished(bool ok, const qmigrate::EngineError &error);
    void updateActions();
    // Hands the project's interpreter to the runners and has it checked off the UI thread (logged: the
    // interpreter and Alembic version, or what to install).
    void applyPythonInterpreter();
    void choosePythonInterpreter();
    void showStatus(const QString &text);
    // A problem the user has to act on, in a message box over the window rather than a status line: what
    // happened, the error (file and line), and what to do.
    void showProblem(const QString &title, const QString &what, const QString &details,
                     const QString &whatToDo);
    // Plans "downgrade -1"; where that walk is ambiguous (the database at a merge, or at several heads) a
    // menu offers each revision one step down instead of failing with "Ambiguous walk".
    void downgradeOneStep();
    void showGettingStarted();
    void showAbout();
    void logLine(const QString &text);
    void logWarning(const QString &text);

    qmigrate::ProjectSession *m_projects;
    qmigrate::DatabaseSession *m_session;
    qmigrate::RevisionBrowser *m_revisions;
    qmigrate::LogPanel *m_log;
    qmigrate::HistoryTable *m_historyTable;
    qmigrate::ConnectionProfileStore *m_profiles;
    qmigrate::PasswordStore *m_passwords;
    qmigrate::ConnectionSelector *m_connection;
    qmigrate::ScriptEditor *m_editor;
    qmigrate::ScriptNavigator *m_scripts;
    QTabWidget *m_tabs;
    qmigrate::RunPresenter *m_runs;
    qmigrate::ProjectChooser *m_chooser;
    qmigrate::RevisionAuthoring *m_authoring;
    QLabel *m_status;
    QLabel *m_databaseStatus;
    qmigrate::ProjectBanner *m_projectBanner;
    qmigrate::WelcomePage *m_welcome;
    QStackedWidget *m_pages; // the welcome page, or the project
    QWidget *m_projectPage = nullptr;
    QTimer m_showProjectPage; // after the first project's delivery: shows its page, then paints it
    QString m_loadedOnShow;   // the project projectLoaded() announces once the page shows
    QString m_exampleProject;
    bool m_adoptWhenConnected = false; // Adopt was asked for with no database: continue once one is chosen
    QPointer<qmigrate::GettingStartedDialog> m_gettingStarted;
    QPointer<qmigrate::AboutDialog> m_about;
    QPointer<QMessageBox> m_problem;
    QPointer<QMenu> m_downgradeChoices;
    QDockWidget *m_runDock = nullptr;
    qmigrate::WindowActions *m_actions = nullptr;
    QString m_selectAfterLoad; // a revision just written, selected once the project is read again
    // The live project's current one, as every panel shows it.
    std::shared_ptr<const qmigrate::Project> m_project;
};
