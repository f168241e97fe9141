// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class MainWindow;

// The main window driven the way a user drives it, for tests/tst_mainwindow.cpp and the screenshot program
// (tools/screenshots), which must show the window in the states the tests reach. Each call waits for the
// window's answer; the QString ones return an empty string when it came as expected, else what went wrong.

// Opens the project and waits until the graph is laid out and the database state read.
bool openAndWait(MainWindow &window, const QString &iniPath);
// Selects the revision and triggers the action of its right-click menu with that object name.
QString triggerRevisionAction(MainWindow &window, const QString &id, const QString &action);
// Waits for the plan preview, checks its step count, clicks Run and waits for the run to end as expected.
QString runPreviewedPlan(MainWindow &window, int steps, bool expectOk = true);
// Writes the file and waits until the window has read the project again (its file watcher).
bool writeAndWaitForReread(MainWindow &window, const QString &path, const QString &text);
