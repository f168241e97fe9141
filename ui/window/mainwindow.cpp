#include "window/mainwindow.h"

#include "common/icons.h"
#include "connections/connectionprofilestore.h"
#include "connections/connectionselector.h"
#include "connections/passwordstore.h"
#include "dialogs/migrationerrordialog.h"
#include "dialogs/newrevisiondialog.h"
#include "dialogs/planpreviewdialog.h"
#include "editor/scripteditor.h"
#include "graph/revisionformatter.h"
#include "project/project.h"
#include "revisions/revisiondetails.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisiongraphview.h"
#include "revisions/revisionlistmodel.h"
#include "run/historytable.h"
#include "run/logpanel.h"
#include "run/runprogresswidget.h"
#include "window/actiontable.h"
#include "workspace/liveproject.h"
#include "workspace/projectsession.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using qmigrate::ActionTable;
using qmigrate::DatabaseSession;
using qmigrate::ProjectSession;
using qmigrate::themedIcon;

namespace {

// Settings keys with their meaning, in one place (ProjectSession keeps the project ones).
const auto geometryKey = u"mainWindow/geometry"_s;
const auto windowStateKey = u"mainWindow/state"_s;

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_projects(new ProjectSession(this))
    , m_session(new DatabaseSession(this))
    , m_model(new RevisionListModel(this))
    , m_view(new QTreeView(this))
    , m_revisionDetails(new qmigrate::RevisionDetails(this))
    , m_log(new qmigrate::LogPanel(this))
    , m_historyTable(new qmigrate::HistoryTable(this))
    , m_profiles(new qmigrate::ConnectionProfileStore(this))
    , m_passwords(new qmigrate::PasswordStore(this))
    , m_connection(new qmigrate::ConnectionSelector(m_profiles, m_passwords, this))
    , m_graphPanel(new qmigrate::RevisionGraphPanel(this))
    , m_editor(new qmigrate::ScriptEditor(this))
    , m_tabs(new QTabWidget(this))
    , m_planPreview(new qmigrate::PlanPreviewDialog(m_session->controller(), this))
    , m_runProgress(new qmigrate::RunProgressWidget(this))
    , m_errorDialog(new qmigrate::MigrationErrorDialog(this))
    , m_status(new QLabel(this))
    , m_databaseStatus(new QLabel(this))
    , m_projectBanner(new QLabel(this))
{
    setWindowTitle(tr("qmigrate"));
    setWindowIcon(themedIcon(u"qmigrate"_s));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true); // keeps 100k rows cheap to lay out
    m_view->setAlternatingRowColors(true);
    m_view->header()->setStretchLastSection(true);

    m_tabs->addTab(m_revisionDetails, tr("Details"));
    m_tabs->addTab(m_editor, tr("Script"));
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_graphPanel);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({700, 700});
    m_projectBanner->setObjectName(u"projectBanner"_s);
    m_projectBanner->setWordWrap(true);
    m_projectBanner->setContentsMargins(8, 4, 8, 4);
    m_projectBanner->setStyleSheet(
        u"QLabel { background: #fff3cd; color: #664d03; border-bottom: 1px solid #e6cf86; }"_s);
    m_projectBanner->setTextFormat(Qt::RichText);
    m_projectBanner->hide();
    connect(m_projectBanner, &QLabel::linkActivated, this, [this] {
        if (const auto &problem = liveProject()->problem())
            openScriptAt(problem->file(), std::max(1, problem->line()));
    });
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_projectBanner);
    centralLayout->addWidget(splitter, 1);
    setCentralWidget(central);

    QDockWidget *logDock = addDock(tr("Log"), u"logDock"_s, m_log);
    m_runDock = addDock(tr("Run"), u"runDock"_s, m_runProgress);
    addDock(tr("History"), u"historyDock"_s, m_historyTable);
    addDock(tr("Revisions"), u"revisionsDock"_s, m_view);
    logDock->raise();

    qmigrate::RevisionGraphView *graph = graphView();
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const QString id = current.data(RevisionListModel::RevisionIdRole).toString();
                if (!id.isEmpty())
                    selectRevisionById(id);
            });
    connect(graph, &qmigrate::RevisionGraphView::revisionSelected, this, &MainWindow::selectRevisionById);
    // The graph is laid out off the UI thread and arrives after the list: give it the list's selection then.
    connect(graph, &qmigrate::RevisionGraphView::graphChanged, this, [this] {
        const QString id = m_view->currentIndex().data(RevisionListModel::RevisionIdRole).toString();
        if (!id.isEmpty())
            graphView()->selectRevision(id);
        graphView()->setDatabaseState(m_session->state(), m_session->databaseName());
    });
    connect(graph, &qmigrate::RevisionGraphView::openScriptRequested, this, [this](const QString &id) {
        selectRevisionById(id);
        m_tabs->setCurrentWidget(m_editor);
    });
    connect(graph, &qmigrate::RevisionGraphView::upgradeRequested, this,
            [this](const QString &id) { m_session->preparePlan(DatabaseSession::Action::Upgrade, id); });
    connect(graph, &qmigrate::RevisionGraphView::downgradeRequested, this,
            [this](const QString &id) { m_session->preparePlan(DatabaseSession::Action::Downgrade, id); });
    connect(graph, &qmigrate::RevisionGraphView::newRevisionRequested, this, &MainWindow::newRevision);
    connect(graph, &qmigrate::RevisionGraphView::mergeRequested, this, &MainWindow::mergeHeads);
    connect(graph, &qmigrate::RevisionGraphView::stampRequested, this,
            [this](const QString &id) { m_session->preparePlan(DatabaseSession::Action::Stamp, id); });

    connect(m_session, &DatabaseSession::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_connection, &qmigrate::ConnectionSelector::databaseSelected, this,
            [this](const qmigrate::DatabaseUrl &url, const QString &name) {
                m_log->appendLine(tr("Database: %1").arg(name));
                m_session->setDatabase(url);
            });
    connect(m_connection, &qmigrate::ConnectionSelector::noDatabase, this, [this](const QString &reason) {
        m_session->clearDatabase();
        m_historyTable->clear(reason);
    });
    connect(m_connection, &qmigrate::ConnectionSelector::message, this,
            [this](const QString &text) { m_log->appendLine(text, qmigrate::LogPanel::Severity::Warning); });
    connect(m_session, &DatabaseSession::logLine, m_log,
            [this](const QString &text) { m_log->appendLine(text); });
    connect(m_session, &DatabaseSession::warning, m_log,
            [this](const QString &text) { m_log->appendLine(text, qmigrate::LogPanel::Severity::Warning); });
    connect(m_session, &DatabaseSession::failed, m_log,
            [this](const qmigrate::EngineError &error) { m_log->appendDiagnostic(error); });
    connect(m_log, &qmigrate::LogPanel::openLocation, this, &MainWindow::openScriptAt);
    connect(m_revisionDetails, &qmigrate::RevisionDetails::revisionActivated, this,
            &MainWindow::selectRevisionById);
    connect(m_revisionDetails, &qmigrate::RevisionDetails::openFile, this,
            [this](const QString &path) { openScriptAt(path, 1); });
    connect(m_historyTable, &qmigrate::HistoryTable::revisionActivated, this,
            &MainWindow::selectRevisionById);
    // Plan, show, run what was shown.
    connect(m_session, &DatabaseSession::planReady, this, &MainWindow::showPlan);
    connect(m_planPreview, &QDialog::accepted, m_session, &DatabaseSession::runPreparedPlan);
    connect(m_planPreview, &QDialog::rejected, m_session, &DatabaseSession::discardPreparedPlan);
    connect(m_session, &DatabaseSession::runStarted, this, &MainWindow::onRunStarted);
    connect(m_session, &DatabaseSession::stepStarted, m_runProgress,
            &qmigrate::RunProgressWidget::onStepStarted);
    connect(m_session, &DatabaseSession::statementStarted, m_runProgress,
            &qmigrate::RunProgressWidget::onStatementStarted);
    connect(m_session, &DatabaseSession::stepFinished, m_runProgress,
            &qmigrate::RunProgressWidget::onStepFinished);
    connect(m_runProgress, &qmigrate::RunProgressWidget::cancelRequested, m_session,
            &DatabaseSession::cancel);
    connect(m_session, &DatabaseSession::runFinished, this, &MainWindow::onRunFinished);
    connect(m_errorDialog, &qmigrate::MigrationErrorDialog::openLocation, this, &MainWindow::openScriptAt);
    connect(m_session, &DatabaseSession::failed, this,
            [this](const qmigrate::EngineError &error) { showStatus(error.toString()); });
    connect(m_session->controller(), &qmigrate::MigrationController::busyChanged, this,
            &MainWindow::updateActions);

    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_databaseStatus);
    createActions();

    connect(m_projects, &ProjectSession::loading, this,
            [this](const QString &path) { m_status->setText(tr("Loading %1…").arg(path)); });
    connect(m_projects, &ProjectSession::projectChanged, this, &MainWindow::applyProject);
    connect(m_projects, &ProjectSession::opened, this, &MainWindow::onProjectOpened);
    connect(m_projects, &ProjectSession::openFailed, this, &MainWindow::onProjectOpenFailed);
    connect(m_projects, &ProjectSession::problemChanged, this, &MainWindow::updateProjectBanner);
    connect(m_projects, &ProjectSession::recentProjectsChanged, this, &MainWindow::updateRecentMenu);
    connect(m_projects, &ProjectSession::adoptionFinished, this, &MainWindow::onAdoptionFinished);
    connect(m_projects, &ProjectSession::pythonInterpreterChanged, this, &MainWindow::applyPythonInterpreter);
    connect(m_projects, &ProjectSession::notice, m_log,
            [this](const QString &text) { m_log->appendLine(text); });
    connect(m_projects, &ProjectSession::pythonChecked, this, [this](const QString &status) {
        m_pythonStatus = status;
        m_log->appendLine(tr("Python for this Alembic project: %1").arg(m_pythonStatus));
    });
    // A save in the editor is read at once; the file watcher would also see it, a moment later.
    connect(m_editor, &qmigrate::ScriptEditor::saved, m_projects, &ProjectSession::reload);
    resize(1400, 900);
    const QSettings settings;
    restoreGeometry(settings.value(geometryKey).toByteArray());
    restoreState(settings.value(windowStateKey).toByteArray());
    updateActions();
}

MainWindow::~MainWindow() = default;

qmigrate::LiveProject *MainWindow::liveProject() const
{
    return m_projects->liveProject();
}

qmigrate::RevisionGraphView *MainWindow::graphView() const
{
    return m_graphPanel->view();
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

void MainWindow::createActions()
{
    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(u"mainToolBar"_s);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_actions = new ActionTable(this, toolBar);
    using Button = ActionTable::ToolBarButton;
    const auto running = [this] { return m_session->isRunning(); };
    const auto ready = [this] {
        return m_session->hasDatabase() && m_session->state().isKnown() && !m_session->isRunning();
    };
    const QString file = tr("&File"), database = tr("&Database"), revision = tr("&Revision"),
                  view = tr("&View");

    m_actions->add({.menu = file,
                    .text = tr("&Open Project…"),
                    .icon = u"document-open"_s,
                    .shortcut = QKeySequence::Open,
                    .trigger = [this] { chooseProject(); },
                    .toolBar = Button::TextBesideIcon});
    m_actions->add({.menu = file, .text = tr("&New Project…"), .icon = u"document-new"_s, .trigger = [this] {
                        chooseNewProjectDirectory();
                    }});
    m_actions->add(
        {.menu = file, .text = tr("&Adopt Existing Database…"), .icon = u"database"_s, .trigger = [this] {
             confirmAdoption();
         }});
    m_recentMenu = m_actions->menu(file)->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    m_actions->add({.menu = file,
                    .text = tr("&Save Script"),
                    .shortcut = QKeySequence::Save,
                    .trigger =
                        [this] {
                            QString error;
                            if (!m_editor->save(&error))
                                showStatus(error);
                        },
                    .separatorBefore = true});
    m_actions->add({.menu = file,
                    .text = tr("&Quit"),
                    .shortcut = QKeySequence::Quit,
                    .trigger = [] { QApplication::closeAllWindows(); },
                    .separatorBefore = true});

    toolBar->addSeparator();
    toolBar->addWidget(m_connection);
    m_actions->add({.menu = database, .text = tr("&Connections…"), .icon = u"database"_s, .trigger = [this] {
                        m_connection->editConnections();
                    }});
    // Files and database both: a revision written outside the app shows up, and so does another run.
    m_actions->add(
        {.menu = database,
         .text = tr("&Refresh"),
         .icon = u"view-refresh"_s,
         .shortcut = QKeySequence::Refresh,
         .toolTip = tr("Read the project's files and the database's state again"),
         .trigger =
             [this] {
                 m_projects->reload();
                 m_session->refresh();
             },
         .enabledWhen = [this] { return (m_project || m_session->hasDatabase()) && !m_session->isRunning(); },
         .toolBar = Button::IconOnly});
    m_upgradeHead = m_actions->add(
        {.menu = database,
         .objectName = u"upgradeHead"_s,
         .text = tr("&Upgrade to Head…"),
         .icon = u"go-up"_s,
         .toolTip = tr("Upgrade the selected database to the newest revision (shows the plan first)"),
         .trigger = [this] { m_session->preparePlan(DatabaseSession::Action::Upgrade, u"heads"_s); },
         .enabledWhen = ready,
         .toolBar = Button::TextBesideIcon,
         .separatorBefore = true});
    m_downgradeOne = m_actions->add(
        {.menu = database,
         .objectName = u"downgradeOne"_s,
         .text = tr("&Downgrade One Step…"),
         .icon = u"go-down"_s,
         .toolTip = tr("Revert the newest applied revision (shows the plan first)"),
         .trigger = [this] { m_session->preparePlan(DatabaseSession::Action::Downgrade, u"-1"_s); },
         .enabledWhen = [this, ready] { return ready() && !m_session->state().isAtBase(); },
         .toolBar = Button::TextBesideIcon});
    m_actions->add({.menu = database,
                    .text = tr("&Cancel Run"),
                    .icon = u"process-stop"_s,
                    .toolTip = tr("Stop the run before its next statement; the running step rolls back"),
                    .trigger = [this] { m_session->cancel(); },
                    .enabledWhen = running,
                    .toolBar = Button::IconOnly});
    m_pythonAction = m_actions->add(
        {.menu = database,
         .objectName = u"pythonInterpreter"_s,
         .text = tr("&Python Interpreter…"),
         .toolTip = tr("The Python that runs this Alembic project's own Alembic"),
         .trigger = [this] { choosePythonInterpreter(); },
         .enabledWhen =
             [this] { return m_project && m_project->isAlembicPython() && !m_session->isRunning(); },
         .separatorBefore = true});

    m_newRevisionAction = m_actions->add({.menu = revision,
                                          .text = tr("&New Revision…"),
                                          .icon = u"document-new"_s,
                                          .shortcut = QKeySequence::New,
                                          .trigger = [this] { newRevision({}); },
                                          .enabledWhen = [this] { return m_project != nullptr; },
                                          .toolBar = Button::TextBesideIcon,
                                          .toolBarSeparatorBefore = true});
    m_mergeHeads = m_actions->add(
        {.menu = revision,
         .text = tr("&Merge Heads…"),
         .icon = u"merge"_s,
         .trigger =
             [this] {
                 QStringList heads;
                 for (const int head : m_session->map().realHeads())
                     heads.append(m_session->map().idOf(head));
                 mergeHeads(heads);
             },
         .enabledWhen = [this] { return m_project && m_project->map().realHeads().size() > 1; },
         .toolBar = Button::TextBesideIcon});

    m_actions->add({.menu = view,
                    .text = tr("&Find Revision…"),
                    .icon = u"edit-find"_s,
                    .shortcut = QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
                    .trigger = [this] { m_graphPanel->startSearch(); }});
    m_actions->add({.menu = view, .text = tr("&Fit Graph"), .icon = u"zoom-fit-best"_s, .trigger = [this] {
                        graphView()->fitToView();
                    }});
    m_actions->menu(view)->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        m_actions->menu(view)->addAction(dock->toggleViewAction());
}

void MainWindow::openProject(const QString &path)
{
    m_projects->open(path);
}

void MainWindow::onProjectOpenFailed(const QString &iniPath, const qmigrate::EngineError &error)
{
    const QString message = error.toString();
    m_log->appendDiagnostic(error);
    m_status->setText(tr("Could not open %1: %2").arg(iniPath, message));
    emit projectFailed(message);
}

void MainWindow::onProjectOpened(const QString &iniPath)
{
    // The project's own URL (sqlalchemy.url, or the DB_* environment), or the connection picked last.
    const qmigrate::Expected<qmigrate::DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url && !m_project->config().urlText().isEmpty())
        m_log->appendDiagnostic(url.error(), qmigrate::LogPanel::Severity::Warning);
    m_connection->setProject(m_project->config().here(),
                             url ? std::optional<qmigrate::DatabaseUrl>(*url) : std::nullopt);
    applyPythonInterpreter();
    emit projectLoaded(iniPath);
}

QString MainWindow::pythonInterpreter() const
{
    return m_projects->pythonInterpreter();
}

void MainWindow::setPythonInterpreter(const QString &program)
{
    m_projects->setPythonInterpreter(program);
}

void MainWindow::applyPythonInterpreter()
{
    const QString program = pythonInterpreter();
    m_session->controller()->setPythonInterpreter(program);
    if (m_newRevision)
        m_newRevision->setPythonInterpreter(program);
    m_pythonStatus.clear();
    m_projects->checkPythonInterpreter();
}

void MainWindow::choosePythonInterpreter()
{
    if (!m_project)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(u"pythonInterpreterDialog"_s);
    dialog->setWindowTitle(tr("Python Interpreter"));
    dialog->setLabelText(tr("The Python that runs this project's Alembic (a path, or a command on PATH).\n"
                            "Leave it empty to detect it: $VIRTUAL_ENV, a .venv, venv or env folder next to "
                            "alembic.ini, then the first python3 that has Alembic.\n\nNow: %1")
                             .arg(m_pythonStatus.isEmpty() ? tr("not checked yet") : m_pythonStatus));
    dialog->setTextValue(pythonInterpreter());
    connect(dialog, &QInputDialog::textValueSelected, this, &MainWindow::setPythonInterpreter);
    dialog->open();
}

void MainWindow::applyProject(const std::shared_ptr<const qmigrate::Project> &project, bool reread)
{
    const QString selected = graphView()->selectedRevision();
    m_project = project;
    const std::shared_ptr<const qmigrate::RevisionMap> map(project, &project->map());
    const int heads = int(map->realHeads().size());
    m_session->setProject(project);
    m_model->setMap(map);
    graphView()->showMap(map); // laid out off the UI thread
    sizeListColumns();
    if (const QString written = std::exchange(m_selectAfterLoad, QString()); !written.isEmpty()) {
        selectRevisionById(written);
        m_tabs->setCurrentWidget(m_editor);
    } else if (reread && map->indexOf(selected) >= 0) {
        // The details are of the new text; the editor keeps its buffer.
        m_revisionDetails->setRevision(*map, map->indexOf(selected));
        selectRevisionById(selected);
    } else if (m_model->rowCount() > 0) {
        m_view->setCurrentIndex(m_model->index(0, 0));
    }
    if (!m_newRevision) {
        m_newRevision = new qmigrate::NewRevisionDialog(m_project, this);
        m_newRevision->setPythonInterpreter(pythonInterpreter());
        connect(m_newRevision, &qmigrate::NewRevisionDialog::revisionCreated, this,
                [this](const QString &path, const QString &id) {
                    m_log->appendLine(tr("Wrote %1").arg(path));
                    for (const QString &note : m_newRevision->lastReviewNotes())
                        m_log->appendLine(tr("Review %1: %2").arg(QFileInfo(path).fileName(), note));
                    m_selectAfterLoad = id;
                    m_projects->reload();
                });
    } else {
        m_newRevision->setProject(m_project);
    }
    const QString iniPath = m_project->config().iniPath();
    setWindowTitle(tr("%1 — qmigrate").arg(m_project->config().scriptLocation()));
    m_status->setText(
        tr("%n revision(s), %1 head(s) — %2", nullptr, int(map->size())).arg(heads).arg(iniPath));
    if (reread)
        m_log->appendLine(tr("Read %1 again: %n revision(s)", nullptr, int(map->size())).arg(iniPath));
    else
        m_log->appendLine(tr("Opened %1: %n revision(s)", nullptr, int(map->size())).arg(iniPath));
    for (const qmigrate::EngineError &warning : m_project->warnings())
        m_log->appendDiagnostic(warning, qmigrate::LogPanel::Severity::Warning);
    updateDiagnostics();
    updateAppliedBanner();
    updateEditedMarks();
    updateActions();
    if (reread)
        emit projectLoaded(iniPath);
}

void MainWindow::updateProjectBanner()
{
    const std::optional<qmigrate::EngineError> &problem = liveProject()->problem();
    if (!problem) {
        m_projectBanner->hide();
        return;
    }
    const QString where = problem->file().isEmpty()
                              ? QString()
                              : u"<a href=\"open\">%1%2</a>: "_s.arg(
                                    QDir::toNativeSeparators(problem->file()).toHtmlEscaped(),
                                    problem->line() > 0 ? u":%1"_s.arg(problem->line()) : QString());
    m_projectBanner->setText(
        tr("<b>The project's files do not read now</b> — %1%2<br>Showing the project as it was last read; "
           "it is read again when the files change.")
            .arg(where, problem->message().toHtmlEscaped()));
    m_projectBanner->show();
    m_log->appendDiagnostic(*problem, qmigrate::LogPanel::Severity::Warning);
}

// Widths from what the columns can hold rather than QTreeView::resizeColumnToContents, which lays out and
// measures every row: a quarter of a second of frozen window on 10,000 revisions.
void MainWindow::sizeListColumns()
{
    const QFontMetrics metrics = m_view->fontMetrics();
    const int id = metrics.horizontalAdvance(u"0123456789abc"_s) + 16;
    m_view->setColumnWidth(RevisionListModel::RevisionColumn, id);
    m_view->setColumnWidth(RevisionListModel::ParentsColumn, 2 * id + metrics.horizontalAdvance(u", "_s));
    m_view->setColumnWidth(RevisionListModel::LabelsColumn, metrics.horizontalAdvance(u"telemetry, label"_s));
    m_view->setColumnWidth(RevisionListModel::MarkersColumn,
                           metrics.horizontalAdvance(u"head, branch point, merge point"_s) + 16);
}

QString MainWindow::startupProject(const QString &bundledExample)
{
    return ProjectSession::startupProject(bundledExample);
}

QStringList MainWindow::recentProjects() const
{
    return ProjectSession::recentProjects();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentProjects();
    for (const QString &path : recent)
        m_recentMenu->addAction(path, this, [this, path] { openProject(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
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

void MainWindow::selectRevisionById(const QString &id)
{
    if (graphView()->selectedRevision() != id)
        graphView()->selectRevision(id);
    const QModelIndex current = m_view->currentIndex();
    if (current.data(RevisionListModel::RevisionIdRole).toString() != id) {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const QModelIndex index = m_model->index(row, 0);
            if (index.data(RevisionListModel::RevisionIdRole).toString() == id) {
                m_view->setCurrentIndex(index);
                break;
            }
        }
    }
    const int revision = m_model->map().indexOf(id);
    if (revision < 0)
        return;
    if (m_revisionDetails->revisionId() != id)
        m_revisionDetails->setRevision(m_model->map(), revision);
    openScriptAt(m_model->map().revision(revision).path, 0);
}

void MainWindow::openScriptAt(const QString &path, int line)
{
    if (path.isEmpty())
        return;
    // Never throw away unsaved edits to follow the selection: the user decides.
    if (m_editor->filePath() != path) {
        if (m_editor->isModified()) {
            askAboutUnsavedEdits(path, line);
            return;
        }
        QString error;
        if (!m_editor->openFile(path, &error)) {
            showStatus(error);
            return;
        }
        updateAppliedBanner();
        updateDiagnostics();
    }
    if (line > 0) {
        m_tabs->setCurrentWidget(m_editor);
        m_editor->goToLine(line);
    }
}

void MainWindow::askAboutUnsavedEdits(const QString &path, int line)
{
    if (m_unsavedQuestion) {
        // One question at a time; the newest selection is the one to follow.
        m_unsavedQuestion->setProperty("path", path);
        m_unsavedQuestion->setProperty("line", line);
        return;
    }
    const QString editing = m_editor->filePath();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Unsaved changes"),
                                tr("%1 has unsaved changes.").arg(QFileInfo(editing).fileName()),
                                QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setObjectName(u"unsavedEditsQuestion"_s);
    box->setInformativeText(tr("Save them before opening %1?").arg(QFileInfo(path).fileName()));
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setProperty("path", path);
    box->setProperty("line", line);
    m_unsavedQuestion = box;
    connect(box, &QMessageBox::finished, this, [this, box, editing](int) {
        m_unsavedQuestion = nullptr;
        const QString next = box->property("path").toString();
        const int nextLine = box->property("line").toInt();
        const QMessageBox::StandardButton answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Save || answer == QMessageBox::Discard) {
            QString error;
            if (answer == QMessageBox::Save && !m_editor->save(&error)) {
                showStatus(error);
                return;
            }
            if (answer == QMessageBox::Discard) {
                // Opening the other file drops the buffer: the edits are gone, the file keeps its text.
                if (!m_editor->openFile(next, &error)) {
                    showStatus(error);
                    return;
                }
                updateAppliedBanner();
                updateDiagnostics();
            }
            openScriptAt(next, nextLine);
            return;
        }
        // Cancel (or closed): the selection goes back to the revision being edited.
        const qmigrate::RevisionMap &map = m_model->map();
        for (qsizetype index = 0; index < map.size(); ++index) {
            if (map.revision(int(index)).path == editing) {
                selectRevisionById(map.idOf(int(index)));
                break;
            }
        }
    });
    box->open();
}

void MainWindow::updateEditedMarks()
{
    QSet<QString> ids;
    for (const qmigrate::ChangedScript &script : m_session->editedScripts())
        ids.insert(script.revision);
    graphView()->setEditedRevisions(ids);
    m_revisionDetails->setEditedScripts(m_session->editedScripts());
}

void MainWindow::onStateChanged()
{
    graphView()->setDatabaseState(m_session->state(), m_session->databaseName());
    const qmigrate::DatabaseState &state = m_session->state();
    QString text;
    if (!m_session->hasDatabase()) {
        text = tr("No database selected");
    } else if (!state.isKnown()) {
        text = tr("%1 — reading…").arg(m_session->databaseName());
    } else {
        QStringList current;
        for (const int index : state.effectiveCurrent())
            current.append(m_session->map().idOf(index).left(12));
        current += state.unknownRows();
        text = tr("%1 — at %2")
                   .arg(m_session->databaseName(),
                        current.isEmpty() ? tr("base (empty)") : current.join(u", "_s));
    }
    m_databaseStatus->setText(text);
    if (!m_session->hasDatabase())
        m_historyTable->clear();
    else if (state.isKnown())
        m_historyTable->setEntries(m_session->history());
    m_revisionDetails->setHistory(m_session->history(), m_session->databaseName());
    updateEditedMarks();
    updateAppliedBanner();
    updateActions();
}

void MainWindow::showPlan(DatabaseSession::Action action, const QString &target,
                          const qmigrate::MigrationPlan &plan, const QStringList &warnings)
{
    const qmigrate::MigratorOptions &options = m_session->controller()->options();
    m_planPreview->setVersionTable(options.versionTable, options.versionTableSchema);
    // The map the plan was made with: the project may have been read again since.
    const std::shared_ptr<const qmigrate::RevisionMap> planMap = m_session->preparedMap();
    if (!planMap)
        return;
    m_planPreview->setPlan(planMap, plan, warnings, *m_session->url(),
                           tr("%1 to %2").arg(DatabaseSession::actionName(action), target));
    m_planPreview->open();
}

void MainWindow::onRunStarted(DatabaseSession::Action action, const QString &target, int stepCount)
{
    m_runDock->show();
    m_runDock->raise();
    m_runProgress->start(
        tr("%1 %2 to %3").arg(DatabaseSession::actionName(action), m_session->databaseName(), target),
        stepCount);
    m_lastRunError.reset();
    updateDiagnostics();
    updateActions();
}

void MainWindow::onRunFinished(bool ok, const qmigrate::EngineError &error)
{
    updateActions();
    if (ok) {
        m_runProgress->finish(true, tr("Done: %1").arg(m_databaseStatus->text()));
        showStatus(tr("Migration finished."));
        return;
    }
    m_runProgress->finish(false, error.message().section(u'\n', 0, 0));
    m_log->appendDiagnostic(error);
    // The failing statement's line is marked in its script, now or when it is opened.
    m_lastRunError = error;
    updateDiagnostics();
    m_errorDialog->setError(error, m_session->state().rows());
    m_errorDialog->open();
}

void MainWindow::updateDiagnostics()
{
    QList<qmigrate::ScriptDiagnostic> diagnostics;
    const QString path = m_editor->filePath();
    if (m_project && !path.isEmpty()) {
        for (const qmigrate::EngineError &warning : m_project->warnings()) {
            if (warning.file() == path)
                diagnostics.append({std::max(1, warning.line()), warning.message(),
                                    qmigrate::ScriptDiagnostic::Severity::Warning});
        }
    }
    if (m_lastRunError && m_lastRunError->file() == path && m_lastRunError->line() > 0)
        diagnostics.append(
            {m_lastRunError->line(), m_lastRunError->message(), qmigrate::ScriptDiagnostic::Severity::Error});
    m_editor->setDiagnostics(diagnostics);
}

void MainWindow::updateAppliedBanner()
{
    QString banner;
    const QString path = m_editor->filePath();
    const qmigrate::RevisionMap &map = m_session->map();
    for (qsizetype index = 0; index < map.size() && !path.isEmpty(); ++index) {
        if (map.revision(int(index)).path != path)
            continue;
        if (m_session->state().isApplied(int(index)))
            banner = tr("Applied on %1 — edits will not run there; add a new revision instead.")
                         .arg(m_session->databaseName());
        break;
    }
    m_editor->setAppliedBanner(banner);
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

void MainWindow::newRevision(const QString &parentId)
{
    if (!m_newRevision)
        return;
    m_newRevision->prepareNewRevision(parentId);
    m_newRevision->setDatabaseUrl(m_session->url());
    m_newRevision->open();
}

void MainWindow::mergeHeads(const QStringList &heads)
{
    if (!m_newRevision)
        return;
    m_newRevision->prepareMerge(heads);
    m_newRevision->setDatabaseUrl(std::nullopt); // a merge has nothing to draft
    m_newRevision->open();
}

void MainWindow::chooseNewProjectDirectory()
{
    auto *dialog = new QFileDialog(this, tr("New Project: choose an empty folder"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::createProject);
    dialog->open();
}

bool MainWindow::createProject(const QString &directory)
{
    // A handful of small files: quick enough for the UI thread, and the user waits for them anyway.
    const qmigrate::Expected<qmigrate::ProjectInitializer::Result> created = m_projects->create(directory);
    if (!created) {
        showStatus(created.error().toString());
        m_log->appendDiagnostic(created.error());
        return false;
    }
    for (const QString &file : created->writtenFiles)
        m_log->appendLine(tr("Created %1").arg(file));
    return true;
}

void MainWindow::confirmAdoption()
{
    if (!m_session->hasDatabase()) {
        showStatus(tr("Select the database to adopt as the connection first."));
        return;
    }
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Adopt existing database"),
        tr("Put %1 under migrations?\n\nA new project gets a baseline revision that recreates the "
           "database's tables, keys, indexes and views as they are now, and schema.sql starts as that "
           "schema. "
           "The database is then stamped at the baseline: only its version table is written, no other SQL "
           "runs.")
            .arg(m_session->databaseName()),
        QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *next = box->addButton(tr("Choose the project folder…"), QMessageBox::AcceptRole);
    connect(next, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Adopt existing database: folder of the new project"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::adoptDatabase);
        dialog->open();
    });
    box->open();
}

void MainWindow::adoptDatabase(const QString &directory)
{
    const std::optional<qmigrate::DatabaseUrl> url = m_session->url();
    if (!url) {
        emit adoptionFinished(false, tr("No database selected"));
        return;
    }
    showStatus(tr("Adopting %1…").arg(m_session->databaseName()));
    m_projects->adopt(directory, *url);
}

void MainWindow::onAdoptionFinished(bool ok, const QString &iniPath, const qmigrate::EngineError &error)
{
    if (!ok) {
        m_log->appendDiagnostic(error);
        showStatus(error.toString());
        emit adoptionFinished(false, error.toString());
        return;
    }
    m_log->appendLine(
        tr("Adopted %1 into %2: baseline written, database stamped").arg(m_session->databaseName(), iniPath));
    emit adoptionFinished(true, iniPath);
}

void MainWindow::chooseProject()
{
    // Non-modal: the window keeps working while the dialog is open.
    auto *dialog =
        new QFileDialog(this, tr("Open Project"), {}, tr("Alembic configuration (*.ini);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::openProject);
    dialog->open();
}
