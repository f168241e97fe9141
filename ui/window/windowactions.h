// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

class QAction;
class QMainWindow;
class QMenu;
class QToolBar;
class QWidget;

namespace qmigrate {

class ActionTable;
class ConnectionSelector;
class DatabaseSession;
class ProjectChooser;
class ProjectSession;
class RevisionAuthoring;
class RevisionGraphPanel;
class ScriptEditor;

// The window's menus and toolbar: every action declared once in an ActionTable, with the rule that says when
// it is enabled, over the sessions and panels it acts on. What only the window can do (ask before adopting,
// open a dialog on itself, show a status line) comes back as a signal.
class WindowActions : public QObject
{
    Q_OBJECT

public:
    // What the actions act on; all owned by the window.
    struct Targets
    {
        ProjectSession *projects;
        DatabaseSession *session;
        ProjectChooser *chooser;
        ScriptEditor *editor;
        ConnectionSelector *connection;
        RevisionAuthoring *authoring;
        RevisionGraphPanel *graph;
        QWidget *revisionList;
    };

    // Fills window's menu bar and a new toolbar; the View menu lists the window's docks, so add them first.
    WindowActions(QMainWindow *window, const Targets &targets);

    QAction *newRevision() const { return m_newRevision; }
    QAction *mergeHeads() const { return m_mergeHeads; }
    QAction *upgradeHead() const { return m_upgradeHead; }
    QAction *downgradeOne() const { return m_downgradeOne; }
    QAction *pythonInterpreter() const { return m_pythonInterpreter; }
    // The toolbar button of an action (null when it has none), to open a menu under it.
    QWidget *buttonOf(QAction *action) const;

    // Applies every action's enabled rule (after a change of project, database state or run).
    void updateEnabled();
    // The Open Recent menu, from the ProjectSession's list.
    void updateRecentMenu();

signals:
    void adoptionRequested();
    void newRevisionRequested(const QString &parentId);
    void pythonInterpreterRequested();
    void gettingStartedRequested();
    // Downgrade One Step: the window asks which branch when the step is not one (a merge, several heads).
    void downgradeOneRequested();
    void aboutRequested();
    void statusMessage(const QString &text);

private:
    bool hasProject() const;
    QStringList headIds() const;

    Targets m_targets;
    ActionTable *m_table;
    QMenu *m_recentMenu = nullptr;
    QToolBar *m_toolBar = nullptr;
    QAction *m_newRevision = nullptr;
    QAction *m_mergeHeads = nullptr;
    QAction *m_upgradeHead = nullptr;
    QAction *m_downgradeOne = nullptr;
    QAction *m_pythonInterpreter = nullptr;
};

} // namespace qmigrate
