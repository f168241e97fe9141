// SPDX-License-Identifier: MIT
#include "mainwindowdriver.h"

#include "dialogs/planpreviewdialog.h"
#include "project/project.h"
#include "revisions/revisiongraphview.h"
#include "run/databasesession.h"
#include "run/runprogresswidget.h"
#include "window/mainwindow.h"
#include "workspace/liveproject.h"

#include <QAction>
#include <QFile>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

bool openAndWait(MainWindow &window, const QString &iniPath)
{
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QSignalSpy graphShown(window.graphView(), &RevisionGraphView::graphChanged);
    window.openProject(iniPath);
    if (!loaded.wait(20000))
        return false;
    if (graphShown.isEmpty() && !graphShown.wait(20000))
        return false;
    // The files are watched from another thread, a moment after the load: a test that edits a file next must
    // know its edit is seen.
    const QString ini = window.liveProject()->project()->config().iniPath();
    if (!QTest::qWaitFor([&] { return window.liveProject()->watchedPaths().contains(ini); }, 20000))
        return false;
    return QTest::qWaitFor([&] { return window.session()->state().isKnown(); }, 20000);
}

QString triggerRevisionAction(MainWindow &window, const QString &id, const QString &action)
{
    RevisionGraphView *graph = window.graphView();
    graph->selectRevision(id);
    if (graph->selectedRevision() != id)
        return u"selecting %1 selected '%2'"_s.arg(id, graph->selectedRevision());
    const std::unique_ptr<QMenu> menu(graph->contextMenuForRow(graph->selectedRow()));
    if (!menu)
        return u"no right-click menu for %1"_s.arg(id);
    QAction *item = menu->findChild<QAction *>(action);
    if (!item)
        return u"no action %1 in the right-click menu of %2"_s.arg(action, id);
    if (!item->isEnabled())
        return action + u" is disabled: "_s + item->toolTip();
    item->trigger();
    return {};
}

QString runPreviewedPlan(MainWindow &window, int steps, bool expectOk)
{
    PlanPreviewDialog *preview = window.planPreview();
    if (!QTest::qWaitFor([&] { return preview->isVisible(); }, 20000))
        return u"the plan preview did not open"_s;
    if (preview->stepCount() != steps)
        return u"the plan has %1 steps, expected %2"_s.arg(preview->stepCount()).arg(steps);
    QSignalSpy finished(window.session(), &DatabaseSession::runFinished);
    QTest::mouseClick(preview->runButton(), Qt::LeftButton);
    if (preview->isVisible())
        return u"the plan preview is still open after Run"_s;
    if (!finished.wait(60000))
        return u"the run did not finish within 60 s"_s;
    const bool ok = finished.first().at(0).toBool();
    if (ok != expectOk) {
        return ok ? u"the run succeeded, expected it to fail"_s
                  : u"the run failed: "_s + finished.first().at(1).value<EngineError>().toString();
    }
    if (expectOk && window.runProgress()->isRunning())
        return u"the run progress still shows a run"_s;
    return {};
}

bool writeAndWaitForReread(MainWindow &window, const QString &path, const QString &text)
{
    QSignalSpy reread(&window, &MainWindow::projectLoaded);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text.toUtf8()) < 0)
        return false;
    file.close();
    return reread.wait(20000);
}
