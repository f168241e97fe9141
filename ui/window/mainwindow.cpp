// SPDX-License-Identifier: MIT
#include "window/mainwindow.h"

#include "common/icons.h"
#include "connections/connectionprofilestore.h"
#include "connections/connectionselector.h"
#include "connections/passwordstore.h"
#include "dialogs/aboutdialog.h"
#include "dialogs/gettingstarteddialog.h"
#include "dialogs/migrationerrordialog.h"
#include "dialogs/projectchooser.h"
#include "dialogs/pythoninterpreterdialog.h"
#include "dialogs/revisionauthoring.h"
#include "dialogs/runpresenter.h"
#include "editor/scripteditor.h"
#include "editor/scriptnavigator.h"
#include "project/project.h"
#include "revisions/revisiondetails.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisiongraphview.h"
#include "revisions/revisionlistmodel.h"
#include "revisions/revisionlistview.h"
#include "run/historytable.h"
#include "run/logpanel.h"
#include "run/runprogresswidget.h"
#include "window/windowactions.h"
#include "workspace/liveproject.h"
#include "workspace/projectbanner.h"
#include "workspace/projectsession.h"
#include "workspace/welcomepage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QCursor>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// Settings keys with their meaning, in one place (ProjectSession keeps the project ones).
const auto geometryKey = u"mainWindow/geometry"_s;
const auto windowStateKey = u"mainWindow/state"_s;

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_projects(new ProjectSession(this))
    , m_session(new DatabaseSession(this))
    , m_revisions(new RevisionBrowser(this))
    , m_log(new LogPanel(this))
    , m_historyTable(new HistoryTable(this))
    , m_profiles(new ConnectionProfileStore(this))
    , m_passwords(new PasswordStore(this))
    , m_connection(new ConnectionSelector(m_profiles, m_passwords, m_session->controller(), this))
    , m_editor(new ScriptEditor(this))
    , m_scripts(new ScriptNavigator(m_editor, this))
    , m_tabs(new QTabWidget(this))
    , m_runs(new RunPresenter(m_session, this))
    , m_chooser(new ProjectChooser(this))
    , m_authoring(new RevisionAuthoring(m_session->controller(), this))
    , m_status(new QLabel(this))
    , m_databaseStatus(new QLabel(this))
    , m_projectBanner(new ProjectBanner(this))
    , m_welcome(new WelcomePage(this))
    , m_pages(new QStackedWidget(this))
{
    m_projects->setJobQueue(m_session->controller()); // constructed before the session: given it here
    // A timer rather than a queued call: queued calls run before the timers and input still waiting, so the
    // page would be shown and painted in the same stretch as the delivery that filled it.
    m_showProjectPage.setSingleShot(true);
    m_showProjectPage.setInterval(0);
    connect(&m_showProjectPage, &QTimer::timeout, this, &MainWindow::showProjectPage);
    setWindowTitle(tr("qmigrate"));
    setWindowIcon(themedIcon(u"qmigrate"_s));
    m_tabs->addTab(revisionDetails(), tr("Details"));
    m_tabs->addTab(m_editor, tr("Script"));
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(graphPanel());
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({700, 700});
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_projectBanner);
    centralLayout->addWidget(splitter, 1);
    m_projectPage = central;
    m_pages->addWidget(m_welcome);
    m_pages->addWidget(central);
    m_welcome->setExampleAvailable(false);
    setCentralWidget(m_pages);
    QDockWidget *logDock = addDock(tr("Log"), u"logDock"_s, m_log);
    m_runDock = addDock(tr("Run"), u"runDock"_s, m_runs->progress());
    addDock(tr("History"), u"historyDock"_s, m_historyTable);
    addDock(tr("Revisions"), u"revisionsDock"_s, m_revisions->list());
    logDock->raise();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_databaseStatus);
    m_actions = new WindowActions(this, {.projects = m_projects,
                                         .session = m_session,
                                         .chooser = m_chooser,
                                         .editor = m_editor,
                                         .connection = m_connection,
                                         .authoring = m_authoring,
                                         .graph = graphPanel(),
                                         .revisionList = m_revisions->list()});
    connect(m_actions, &WindowActions::adoptionRequested, this, &MainWindow::confirmAdoption);
    connect(m_actions, &WindowActions::newRevisionRequested, this, &MainWindow::newRevision);
    connect(m_actions, &WindowActions::pythonInterpreterRequested, this,
            &MainWindow::choosePythonInterpreter);
    connect(m_actions, &WindowActions::statusMessage, this, &MainWindow::showStatus);
    connect(m_actions, &WindowActions::gettingStartedRequested, this, &MainWindow::showGettingStarted);
    connect(m_actions, &WindowActions::aboutRequested, this, &MainWindow::showAbout);
    connect(m_actions, &WindowActions::downgradeOneRequested, this, &MainWindow::downgradeOneStep);
    connect(m_welcome, &WelcomePage::openExampleRequested, this, [this] { openProject(m_exampleProject); });
    connect(m_welcome, &WelcomePage::openProjectRequested, m_chooser, &ProjectChooser::chooseProject);
    connect(m_welcome, &WelcomePage::newProjectRequested, m_chooser, &ProjectChooser::chooseNewProjectFolder);
    connect(m_welcome, &WelcomePage::adoptRequested, this, &MainWindow::confirmAdoption);

    // Selection: the graph, the list and the details follow one revision, the editor its script.
    RevisionGraphView *graph = graphView();
    connect(m_revisions, &RevisionBrowser::scriptSelected, this,
            [this](const QString &path) { m_scripts->open(path, 0); });
    connect(graph, &RevisionGraphView::openScriptRequested, this, [this](const QString &id) {
        m_revisions->selectRevision(id);
        m_tabs->setCurrentWidget(m_editor);
    });
    connect(revisionDetails(), &RevisionDetails::openFile, this,
            [this](const QString &path) { m_scripts->open(path, 1); });
    connect(m_historyTable, &HistoryTable::revisionActivated, m_revisions, &RevisionBrowser::selectRevision);
    connect(m_scripts, &ScriptNavigator::keptRevision, m_revisions, &RevisionBrowser::selectRevision);
    connect(m_scripts, &ScriptNavigator::lineRequested, this, [this] { m_tabs->setCurrentWidget(m_editor); });
    connect(m_scripts, &ScriptNavigator::failed, this, &MainWindow::showStatus);
    connect(m_log, &LogPanel::openLocation, m_scripts, &ScriptNavigator::open);
    connect(m_runs->errorDialog(), &MigrationErrorDialog::openLocation, m_scripts, &ScriptNavigator::open);
    connect(m_projectBanner, &ProjectBanner::openLocation, m_scripts, &ScriptNavigator::open);

    // Changes: from the graph's context menu, planned, shown, run (RunPresenter).
    const auto plan = [this](DatabaseSession::Action action) {
        return [this, action](const QString &id) { m_session->preparePlan(action, id); };
    };
    connect(graph, &RevisionGraphView::upgradeRequested, this, plan(DatabaseSession::Action::Upgrade));
    connect(graph, &RevisionGraphView::downgradeRequested, this, plan(DatabaseSession::Action::Downgrade));
    connect(graph, &RevisionGraphView::stampRequested, this, plan(DatabaseSession::Action::Stamp));
    connect(graph, &RevisionGraphView::newRevisionRequested, this, &MainWindow::newRevision);
    connect(graph, &RevisionGraphView::mergeRequested, m_authoring, &RevisionAuthoring::mergeHeads);
    connect(m_authoring, &RevisionAuthoring::logLine, this, &MainWindow::logLine);
    connect(m_authoring, &RevisionAuthoring::written, this, [this](const QString &, const QString &id) {
        m_selectAfterLoad = id;
        m_projects->reload();
    });
    connect(m_runs, &RunPresenter::started, this, &MainWindow::onRunStarted);
    connect(m_runs, &RunPresenter::finished, this, &MainWindow::onRunFinished);

    // The database: picked in the toolbar, its state and messages from the DatabaseSession.
    connect(m_connection, &ConnectionSelector::databaseSelected, this,
            [this](const DatabaseUrl &url, const QString &name) {
                m_log->appendLine(tr("Database: %1").arg(name));
                m_session->setDatabase(url);
                if (std::exchange(m_adoptWhenConnected, false))
                    m_chooser->confirmAdoption(m_session->databaseName());
            });
    connect(m_connection, &ConnectionSelector::noDatabase, this, [this](const QString &reason) {
        m_session->clearDatabase();
        m_historyTable->clear(reason);
        showStatus(reason);
    });
    connect(m_connection, &ConnectionSelector::message, this, &MainWindow::logWarning);
    connect(m_session, &DatabaseSession::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_session, &DatabaseSession::logLine, this, &MainWindow::logLine);
    connect(m_session, &DatabaseSession::warning, this, &MainWindow::logWarning);
    connect(m_session, &DatabaseSession::failed, this, [this](const EngineError &error) {
        m_log->appendDiagnostic(error);
        showStatus(error.toString());
    });
    connect(m_session->controller(), &MigrationController::busyChanged, this, &MainWindow::updateActions);

    // The project: which one (ProjectChooser), read by the ProjectSession.
    connect(m_chooser, &ProjectChooser::openRequested, this, &MainWindow::openProject);
    connect(m_chooser, &ProjectChooser::createRequested, this, &MainWindow::createProject);
    connect(m_chooser, &ProjectChooser::adoptRequested, this, &MainWindow::adoptDatabase);
    connect(m_projects, &ProjectSession::loading, this,
            [this](const QString &path) { showStatus(tr("Loading %1…").arg(path)); });
    connect(m_projects, &ProjectSession::projectChanged, this, &MainWindow::applyProject);
    connect(m_projects, &ProjectSession::opened, this, &MainWindow::onProjectOpened);
    connect(
        m_projects, &ProjectSession::openFailed, this, [this](const QString &path, const EngineError &error) {
            showStatus(tr("Could not open %1").arg(path));
            showProblem(tr("Could not open the project"), tr("Could not open %1.").arg(path),
                        error.toString(),
                        tr("Fix what the message names and open the project again (File > Open Recent), or "
                           "open another project."));
            emit projectFailed(error.toString());
        });
    connect(m_projects, &ProjectSession::problemChanged, this,
            [this] { m_projectBanner->setProblem(liveProject()->problem()); });
    connect(m_projects, &ProjectSession::recentProjectsChanged, m_actions, &WindowActions::updateRecentMenu);
    connect(m_projects, &ProjectSession::adoptionFinished, this,
            [this](bool ok, const QString &iniPath, const EngineError &error) {
                if (!ok) {
                    showStatus(tr("The adoption failed."));
                    showProblem(
                        tr("Adoption failed"), tr("The database was not adopted."), error.toString(),
                        tr("Nothing was written to the database. Fix what the message names and adopt "
                           "again."));
                }
                emit adoptionFinished(ok, ok ? iniPath : error.toString());
            });
    connect(m_projects, &ProjectSession::pythonInterpreterChanged, this, &MainWindow::applyPythonInterpreter);
    connect(m_projects, &ProjectSession::logLine, this, &MainWindow::logLine);
    connect(m_projects, &ProjectSession::logWarning, this, [this](const EngineError &warning) {
        m_log->appendDiagnostic(warning, LogPanel::Severity::Warning);
    });
    connect(m_projects, &ProjectSession::logError, this,
            [this](const EngineError &error) { m_log->appendDiagnostic(error); });
    // A save in the editor is read at once; the file watcher would also see it, a moment later.
    connect(m_editor, &ScriptEditor::saved, m_projects, &ProjectSession::reload);

    resize(1400, 900);
    const QSettings settings;
    restoreGeometry(settings.value(geometryKey).toByteArray());
    if (!restoreState(settings.value(windowStateKey).toByteArray())) {
        // First start: the panels below take a strip; the graph and the editor are what the window is for.
        resizeDocks({logDock}, {170}, Qt::Vertical);
    }
    keepFloatingDocksOnScreen();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::keepFloatingDocksOnScreen()
{
    // A dock floated on a screen that is gone, or saved at an odd size, comes back as a normal window: on a
    // screen, no larger than it, and large enough to use.
    for (QDockWidget *dock : findChildren<QDockWidget *>()) {
        if (!dock->isFloating())
            continue;
        QScreen *screen = QGuiApplication::screenAt(dock->geometry().center());
        if (!screen)
            screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
        const QRect available = screen->availableGeometry();
        const QSize size = dock->size()
                               .boundedTo(available.size() * 0.8)
                               .expandedTo(QSize(360, 220).boundedTo(available.size()));
        QRect placed(dock->geometry().topLeft(), size);
        if (!available.contains(placed))
            placed.moveCenter(available.center());
        dock->setGeometry(placed);
    }
}

QDockWidget *MainWindow::addDock(const QString &title, const QString &objectName, QWidget *widget)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    // Every panel below the graph shares one tab strip, so the graph and the editor keep their height.
    const QList<QDockWidget *> docks = findChildren<QDockWidget *>();
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    if (docks.size() > 1)
        tabifyDockWidget(docks.first(), dock);
    return dock;
}
bool MainWindow::createProject(const QString &directory)
{
    const Expected<ProjectInitializer::Result> created = m_projects->create(directory);
    if (!created)
        showStatus(created.error().toString());
    return bool(created);
}

void MainWindow::confirmAdoption()
{
    if (m_session->hasDatabase()) {
        m_chooser->confirmAdoption(m_session->databaseName());
        return;
    }
    // Which database first: the connections, and the adoption goes on once one is chosen.
    m_adoptWhenConnected = true;
    showStatus(tr("Choose the database to adopt, then OK."));
    m_connection->editConnections();
}

void MainWindow::showProblem(const QString &title, const QString &what, const QString &details,
                             const QString &whatToDo)
{
    if (m_problem)
        m_problem->close();
    auto *box = new QMessageBox(QMessageBox::Warning, title, what, QMessageBox::Ok, this);
    box->setObjectName(u"problemMessage"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(details + u"\n\n"_s + whatToDo);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem = box;
    box->open();
}

void MainWindow::setExampleProject(const QString &iniPath)
{
    m_exampleProject = iniPath;
    m_welcome->setExampleAvailable(!iniPath.isEmpty() && QFileInfo::exists(iniPath));
}

bool MainWindow::isShowingWelcome() const
{
    return m_pages->currentWidget() == m_welcome;
}

void MainWindow::downgradeOneStep()
{
    const RevisionMap &map = m_session->map();
    const QList<int> &current = m_session->state().effectiveCurrent();
    const bool oneWayDown = current.size() == 1 && map.parents(current.first()).size() <= 1;
    if (oneWayDown) {
        m_session->preparePlan(DatabaseSession::Action::Downgrade, u"-1"_s);
        return;
    }
    if (m_downgradeChoices)
        m_downgradeChoices->close();
    auto *menu = new QMenu(this);
    menu->setObjectName(u"downgradeChoices"_s);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setToolTipsVisible(true);
    auto shortText = [&map](int index) {
        return u"%1 (%2)"_s.arg(map.idOf(index).left(12), map.revision(index).message);
    };
    const QString why = current.size() > 1 ? tr("The database is at several heads: step down which one?")
                                           : tr("The database is at a merge: step down to which parent?");
    menu->addSection(why);
    for (const int revision : current) {
        const auto parents = map.parents(revision);
        if (parents.empty()) {
            QAction *action = menu->addAction(tr("Revert %1, back to base").arg(shortText(revision)));
            connect(action, &QAction::triggered, this, [this, id = map.idOf(revision)] {
                m_session->preparePlan(DatabaseSession::Action::Downgrade, id + u"-1"_s);
            });
            continue;
        }
        for (const int parent : parents) {
            QAction *action =
                menu->addAction(tr("Revert %1, down to %2").arg(shortText(revision), shortText(parent)));
            action->setToolTip(tr("Shows the plan first"));
            connect(action, &QAction::triggered, this, [this, id = map.idOf(parent)] {
                m_session->preparePlan(DatabaseSession::Action::Downgrade, id);
            });
        }
    }
    m_downgradeChoices = menu;
    QWidget *button = m_actions->buttonOf(m_actions->downgradeOne());
    menu->popup(button && button->isVisible() ? button->mapToGlobal(QPoint(0, button->height()))
                                              : QCursor::pos());
}

void MainWindow::showGettingStarted()
{
    if (!m_gettingStarted)
        m_gettingStarted = new GettingStartedDialog(this);
    m_gettingStarted->show();
    m_gettingStarted->raise();
    m_gettingStarted->activateWindow();
}

void MainWindow::showAbout()
{
    if (!m_about)
        m_about = new AboutDialog(this);
    m_about->open();
}

void MainWindow::adoptDatabase(const QString &directory)
{
    const std::optional<DatabaseUrl> url = m_session->url();
    if (!url) {
        emit adoptionFinished(false, tr("No database selected"));
        return;
    }
    showStatus(tr("Adopting %1…").arg(m_session->databaseName()));
    m_projects->adopt(directory, *url);
}

void MainWindow::onProjectOpened(const QString &iniPath)
{
    // The project's own database, or the connection picked last.
    m_connection->setProject(*m_project);
    applyPythonInterpreter();
    announceLoaded(iniPath);
}

void MainWindow::showProjectPage()
{
    if (m_pages->currentWidget() == m_projectPage) {
        m_pages->setUpdatesEnabled(true); // painted now, in a pass after its layout
        return;
    }
    // The page's first layout (the panels measured, the details' rich-text labels laid out) and the first
    // paint of everything on it each take milliseconds: laid out in this pass, painted in the next, the
    // window meanwhile keeps showing what it showed.
    m_pages->setUpdatesEnabled(false);
    m_pages->setCurrentWidget(m_projectPage);
    m_showProjectPage.start();
    if (const QString loaded = std::exchange(m_loadedOnShow, QString()); !loaded.isEmpty())
        emit projectLoaded(loaded);
}

void MainWindow::announceLoaded(const QString &iniPath)
{
    if (m_pages->currentWidget() == m_projectPage)
        emit projectLoaded(iniPath);
    else
        m_loadedOnShow = iniPath; // once the window shows it
}

void MainWindow::applyPythonInterpreter()
{
    const QString program = pythonInterpreter();
    m_session->controller()->setPythonInterpreter(program);
    m_authoring->setPythonInterpreter(program);
    m_projects->checkPythonInterpreter();
}

void MainWindow::choosePythonInterpreter()
{
    if (m_project)
        (new PythonInterpreterDialog(m_projects, this))->open();
}

void MainWindow::applyProject(const std::shared_ptr<const Project> &project, bool reread)
{
    m_project = project;
    const std::shared_ptr<const RevisionMap> map(project, &project->map());
    m_session->setProject(project);
    m_scripts->setProject(project, liveProject()->scriptIndex());
    if (!reread)
        m_runs->progress()->clear(); // the last run was on the project before
    const QString written = std::exchange(m_selectAfterLoad, QString());
    m_revisions->showMap(map, liveProject()->history(), reread, written);
    if (!written.isEmpty())
        m_tabs->setCurrentWidget(m_editor);
    m_authoring->setProject(project);
    const QString iniPath = m_project->config().iniPath();
    setWindowTitle(tr("%1 — qmigrate").arg(m_project->config().scriptLocation()));
    showStatus(tr("%n revision(s), %1 head(s) — %2", nullptr, int(map->size()))
                   .arg(map->realHeads().size())
                   .arg(iniPath));
    m_revisions->setEditedScripts(m_session->editedScripts());
    updateActions();
    // The first project replaces the welcome page in a pass of its own: showing the page lays out and paints
    // the whole window, which on top of handing 10,000 revisions to the panels kept the window from reacting
    // for longer than a frame. The panels are filled before, while hidden: the page shows up with the new
    // project's list, details and script, as before (the graph, laid out off the UI thread, may follow).
    if (m_pages->currentWidget() != m_projectPage)
        m_showProjectPage.start();
    if (reread)
        announceLoaded(iniPath);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_session->isRunning()) {
        // Closing would cancel the run mid-way; the user has to cancel it (and see it roll back) first.
        showStatus(tr("A migration is running: cancel it first, then close."));
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(geometryKey, saveGeometry());
    settings.setValue(windowStateKey, saveState());
    QMainWindow::closeEvent(event);
}

QString MainWindow::statusText() const
{
    return m_status->text();
}

void MainWindow::onStateChanged()
{
    m_revisions->setDatabase(m_session->state(), m_session->databaseName(), m_session->history());
    m_databaseStatus->setText(m_session->statusText());
    if (!m_session->hasDatabase())
        m_historyTable->clear();
    else if (m_session->state().isKnown())
        m_historyTable->setEntries(m_session->history());
    m_scripts->setDatabaseState(m_session->state(), m_session->databaseName());
    m_revisions->setEditedScripts(m_session->editedScripts());
    updateActions();
}

void MainWindow::onRunStarted()
{
    m_runDock->show();
    m_runDock->raise();
    m_scripts->setRunError(std::nullopt);
    updateActions();
}

void MainWindow::onRunFinished(bool ok, const EngineError &error)
{
    updateActions();
    if (ok) {
        showStatus(tr("Migration finished."));
        return;
    }
    m_log->appendDiagnostic(error);
    // The failing statement's line is marked in its script, now or when it is opened.
    m_scripts->setRunError(error);
}

void MainWindow::updateActions()
{
    m_actions->updateEnabled();
    m_editor->setReadOnly(m_session->isRunning());
}

void MainWindow::showStatus(const QString &text)
{
    m_status->setText(text);
}

void MainWindow::logLine(const QString &text)
{
    m_log->appendLine(text);
}

void MainWindow::logWarning(const QString &text)
{
    m_log->appendLine(text, LogPanel::Severity::Warning);
}

void MainWindow::newRevision(const QString &parentId)
{
    m_authoring->newRevision(parentId, m_session->url());
}
