// SPDX-License-Identifier: MIT
#pragma once

#include <QDir>
#include <QString>

class QWidget;

// The pictures of docs/screenshots, taken of the real MainWindow on copies of the bundled example, brought to
// each state through its menus, dialogs and buttons as a user would (tests/mainwindowdriver.h, which
// tst_mainwindow checks the same states with). Whole-screen pictures need a real X server and a window
// manager, so that dialogs sit in frames over the window as on a desktop.
class ScreenshotSession
{
public:
    explicit ScreenshotSession(const QString &directory);

    // Writes every picture; empty when all were written, else what went wrong first.
    QString run();

private:
    // The example half applied (main-window.png), its History dock and a revision's details (history.png),
    // the plan preview of a downgrade with its warnings (plan-preview.png), the connection dialog after a
    // real "Test connection" to the PostgreSQL test server (connection-dialog.png), the New revision dialog
    // (new-revision-dialog.png).
    QString exampleWindow();
    // The window on first start, with no project (welcome.png), and Help > About over it (about.png).
    QString firstStart();
    // The example fully applied, then its head edited on disk (edited-since-applied.png), then another file
    // broken (project-banner.png).
    QString editedFiles();
    // A revision whose second statement fails: the error dialog (migration-error.png), then the script at
    // the failing line with the server's message on it (scripteditor.png).
    QString failedRun();
    // An Alembic project made by the real `alembic init`: its plan, each step's SQL from Alembic's offline
    // mode (alembic-plan-preview.png); after the run, a revision written through its Alembic from the New
    // revision dialog (alembic-new-revision.png).
    QString alembicProject();
    // A tangled graph of 40 revisions with several roots and heads, joins and crossings (revision-graph.png).
    QString tangledGraph();

    // The whole screen, or its top `height` pixels (-1: all of it).
    QString shootScreen(const QString &fileName, int height = -1) const;
    // The widget as drawn by Qt (no window frame).
    QString shootWidget(QWidget *widget, const QString &fileName) const;
    // The window with the frame the window manager gives it.
    QString shootFramed(QWidget *window, const QString &fileName) const;

    QDir m_directory;
};
