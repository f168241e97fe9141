// SPDX-License-Identifier: MIT
#include "window/windowactions.h"

#include "connections/connectionselector.h"
#include "dialogs/projectchooser.h"
#include "dialogs/revisionauthoring.h"
#include "editor/scripteditor.h"
#include "project/project.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisiongraphview.h"
#include "run/databasesession.h"
#include "window/actiontable.h"
#include "workspace/projectsession.h"

#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace qmigrate {

WindowActions::WindowActions(QMainWindow *window, const Targets &targets)
    : QObject(window)
    , m_targets(targets)
{
    QToolBar *toolBar = m_toolBar = window->addToolBar(tr("Main"));
    toolBar->setObjectName(u"mainToolBar"_s);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_table = new ActionTable(window, toolBar);
    using enum ActionTable::ToolBarButton;
    DatabaseSession *session = m_targets.session;
    const auto running = [session] { return session->isRunning(); };
    const auto ready = [session, running] {
        return session->hasDatabase() && session->state().isKnown() && !running();
    };
    const auto hasProject = [this] { return this->hasProject(); };
    const auto isAlembicPython = [this, hasProject] {
        return hasProject() && m_targets.projects->project()->isAlembicPython();
    };
    const QString file = tr("&File"), database = tr("&Database"), revision = tr("&Revision"),
                  view = tr("&View"), help = tr("&Help");
    // Laid out as a table, a few lines an action; clang-format would give every field a line of its own.
    // clang-format off
    m_table->add({.menu = file, .text = tr("&Open Project…"), .icon = u"document-open"_s,
        .shortcut = QKeySequence::Open, .trigger = [this] { m_targets.chooser->chooseProject(); },
        .toolBar = IconOnly});
    m_table->add({.menu = file, .text = tr("&New Project…"), .icon = u"document-new"_s,
        .trigger = [this] { m_targets.chooser->chooseNewProjectFolder(); }});
    m_table->add({.menu = file, .text = tr("&Adopt Existing Database…"), .icon = u"database"_s,
        .trigger = [this] { emit adoptionRequested(); }});
    m_recentMenu = m_table->menu(file)->addMenu(tr("Open &Recent"));
    m_table->add({.menu = file, .text = tr("&Save Script"), .shortcut = QKeySequence::Save,
        .trigger = [this] { if (QString error; !m_targets.editor->save(&error)) emit statusMessage(error); },
        .separatorBefore = true});
    m_table->add({.menu = file, .text = tr("&Quit"), .shortcut = QKeySequence::Quit,
        .trigger = [] { QApplication::closeAllWindows(); }, .separatorBefore = true});
    toolBar->addSeparator();
    toolBar->addWidget(m_targets.connection);
    m_table->add({.menu = database, .text = tr("&Connections…"), .icon = u"database"_s,
        .trigger = [this] { m_targets.connection->editConnections(); }});
    // The toolbar's database list, for the keyboard: the menu opens it, arrows and Enter choose.
    m_table->add({.menu = database, .objectName = u"chooseDatabase"_s, .text = tr("C&hoose Database"),
        .toolTip = tr("Open the list of databases the window can work on"),
        .trigger = [this] { m_targets.connection->showDatabaseList(); },
        .enabledWhen = [=] { return !running(); }});
    // Files and database both: a revision written outside the app shows up, and so does another run.
    m_table->add({.menu = database, .objectName = u"refresh"_s, .text = tr("&Refresh"),
        .icon = u"view-refresh"_s, .shortcut = QKeySequence(Qt::Key_F5),
        .toolTip = tr("Read the project's files and the database's state again"),
        .trigger = [this, session] { m_targets.projects->reload(); session->refresh(); },
        .enabledWhen = [=] { return (hasProject() || session->hasDatabase()) && !running(); },
        .toolBar = IconOnly});
    m_upgradeHead = m_table->add({.menu = database, .objectName = u"upgradeHead"_s,
        .text = tr("&Upgrade to Head…"), .icon = u"go-up"_s,
        .shortcut = QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U),
        .toolTip = tr("Upgrade the selected database to the newest revision (shows the plan first)"),
        .trigger = [session] { session->preparePlan(DatabaseSession::Action::Upgrade, u"heads"_s); },
        .enabledWhen = ready, .toolBar = TextBesideIcon, .separatorBefore = true});
    m_downgradeOne = m_table->add({.menu = database, .objectName = u"downgradeOne"_s,
        .text = tr("&Downgrade One Step…"), .icon = u"go-down"_s,
        .shortcut = QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
        .toolTip = tr("Revert the newest applied revision (shows the plan first)"),
        .trigger = [this] { emit downgradeOneRequested(); },
        .enabledWhen = [=] { return ready() && !session->state().isAtBase(); },
        .toolBar = TextBesideIcon});
    m_table->add({.menu = database, .objectName = u"cancelRun"_s, .text = tr("Ca&ncel Run"),
        .icon = u"process-stop"_s,
        .toolTip = tr("Stop the run before its next statement; the running step rolls back"),
        .trigger = [session] { session->cancel(); }, .enabledWhen = running, .toolBar = IconOnly});
    m_pythonInterpreter = m_table->add({.menu = database, .objectName = u"pythonInterpreter"_s,
        .text = tr("&Python Interpreter…"),
        .toolTip = tr("The Python that runs this Alembic project's own Alembic"),
        .trigger = [this] { emit pythonInterpreterRequested(); },
        .enabledWhen = [=] { return isAlembicPython() && !running(); },
        .separatorBefore = true});
    m_newRevision = m_table->add({.menu = revision, .objectName = u"newRevision"_s,
        .text = tr("&New Revision…"), .icon = u"document-new"_s,
        .shortcut = QKeySequence(Qt::CTRL | Qt::Key_N),
        .trigger = [this] { emit newRevisionRequested({}); },
        .enabledWhen = hasProject, .toolBar = TextBesideIcon, .toolBarSeparatorBefore = true});
    m_mergeHeads = m_table->add({.menu = revision, .text = tr("&Merge Heads…"), .icon = u"merge"_s,
        .trigger = [this] { m_targets.authoring->mergeHeads(headIds()); },
        .enabledWhen = [=, this] {
            return hasProject() && m_targets.projects->project()->map().realHeads().size() > 1; },
        .toolBar = TextBesideIcon});
    // Ctrl+F finds text in the script editor; in the graph and the revision list it finds a revision.
    m_table->add({.menu = view, .objectName = u"findRevision"_s, .text = tr("&Find Revision…"),
        .icon = u"edit-find"_s, .shortcut = QKeySequence(Qt::CTRL | Qt::Key_F),
        .shortcutScope = {m_targets.graph, m_targets.revisionList},
        .trigger = [this] { m_targets.graph->startSearch(); }});
    m_table->add({.menu = view, .objectName = u"fitGraph"_s, .text = tr("F&it Graph"),
        .icon = u"zoom-fit-best"_s,
        .trigger = [this] { m_targets.graph->view()->fitToView(); }});
    // clang-format on
    m_table->menu(view)->addSeparator();
    // The dock's title bar shows its title as it is; the menu item gets a mnemonic the menu has free.
    for (QDockWidget *dock : window->findChildren<QDockWidget *>())
        m_table->addWithMnemonic(view, dock->toggleViewAction());
    // clang-format off
    m_table->add({.menu = help, .objectName = u"gettingStarted"_s, .text = tr("&Getting Started"),
        .shortcut = QKeySequence::HelpContents, .trigger = [this] { emit gettingStartedRequested(); }});
    m_table->add({.menu = help, .objectName = u"about"_s, .text = tr("&About qmigrate"),
        .trigger = [this] { emit aboutRequested(); }, .separatorBefore = true});
    // clang-format on
    updateRecentMenu();
}

void WindowActions::updateEnabled()
{
    m_table->updateEnabled();
}

void WindowActions::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = m_targets.projects->rememberedProjects();
    for (const QString &path : recent)
        m_recentMenu->addAction(path, this, [this, path] { m_targets.projects->open(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

QWidget *WindowActions::buttonOf(QAction *action) const
{
    return m_toolBar->widgetForAction(action);
}

bool WindowActions::hasProject() const
{
    return m_targets.projects->project() != nullptr;
}

QStringList WindowActions::headIds() const
{
    const RevisionMap &map = m_targets.session->map();
    return map.idsOf(map.realHeads());
}

} // namespace qmigrate
