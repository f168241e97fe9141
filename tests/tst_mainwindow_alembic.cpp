// The main window on an Alembic Python project made by the real `alembic init`: the plan preview shows each
// step's SQL as the project's Alembic writes it offline, Upgrade runs it through that Alembic, New Revision
// and Merge write .py files, a revision that raises opens at its line, and a missing interpreter says what
// to do. The real widgets, offscreen.

#include "alembicproject.h"
#include "databasesession.h"
#include "logpanel.h"
#include "mainwindow.h"
#include "migrationerrordialog.h"
#include "newrevisiondialog.h"
#include "planpreviewdialog.h"
#include "revisiongraphview.h"
#include "revisionlistmodel.h"
#include "runprogresswidget.h"
#include "scripteditor.h"
#include "testfiles.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QString alembicCurrent(const AlembicProject &project)
{
    return project.alembic({u"current"_s}).out.trimmed();
}

} // namespace

class TstMainWindowAlembic : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"qmigrate"_s);
    }
    void init() { QSettings().clear(); }

    void previewRunCreateMergeAndFail()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, project.iniPath()));
        QCOMPARE(window.revisionModel()->rowCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(!window.pythonStatus().isEmpty(), 20000);
        QVERIFY2(window.pythonStatus().contains(u"Alembic "_s), qPrintable(window.pythonStatus()));

        // The preview: each step's SQL as Alembic's offline mode writes it.
        window.upgradeHeadAction()->trigger();
        PlanPreviewDialog *preview = window.planPreview();
        QTRY_VERIFY_WITH_TIMEOUT(preview->isVisible(), 20000);
        QCOMPARE(preview->stepCount(), 3);
        preview->setCurrentStep(1);
        QTRY_VERIFY_WITH_TIMEOUT(preview->editorText().contains(u"CREATE TABLE t_b2"_s), 20000);
        QVERIFY2(preview->editorText().contains(u"UPDATE alembic_version SET version_num='b2'"_s),
                 qPrintable(preview->editorText()));
        QSignalSpy finished(window.session(), &DatabaseSession::runFinished);
        QTest::mouseClick(preview->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().at(0).toBool(),
                 qPrintable(finished.first().at(1).value<EngineError>().toString()));
        QCOMPARE(alembicCurrent(project), u"c3 (head)"_s);
        QTRY_COMPARE(window.graphView()->nodeState(u"c3"_s), DatabaseState::Node::Current);

        // New Revision writes a .py through the project's own template.
        window.newRevisionAction()->trigger();
        NewRevisionDialog *dialog = window.newRevisionDialog();
        QTRY_VERIFY(dialog->isVisible());
        QTest::keyClicks(dialog->messageEdit(), u"add prices"_s);
        QVERIFY2(dialog->fileNamePreview().endsWith(u"_add_prices.py"_s),
                 qPrintable(dialog->fileNamePreview()));
        const QString newId = dialog->revisionId();
        QSignalSpy reloaded(&window, &MainWindow::projectLoaded);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY2(reloaded.wait(30000), qPrintable(dialog->errorText()));
        QTRY_VERIFY(window.session()->map().indexOf(newId) >= 0);
        const QString created = project.versionsPath() + u'/' + newId + u"_add_prices.py"_s;
        QVERIFY2(QString::fromUtf8(readAll(created)).contains(u"down_revision = 'c3'"_s),
                 qPrintable(created));
        QCOMPARE(project.alembic({u"heads"_s}).out.trimmed(), newId + u" (head)"_s);

        // A revision that raises: the error dialog names the file and line and opens it there.
        const QString broken = project.addRevision(u"d9"_s, {newId}, u"broken"_s,
                                                   u"op.add_column('t_a1', sa.Column('price', sa.Integer))\n"
                                                   u"raise RuntimeError('price feed unavailable')"_s,
                                                   u"pass"_s);
        const int raiseLine = int(QString::fromUtf8(readAll(broken))
                                      .split(u'\n')
                                      .indexOf(u"    raise RuntimeError('price feed unavailable')"_s)) +
                              1;
        QVERIFY(raiseLine > 0);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->map().indexOf(u"d9"_s) >= 0, 20000);
        window.upgradeHeadAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(preview->isVisible(), 20000);
        QCOMPARE(preview->stepCount(), 2);
        finished.clear();
        QTest::mouseClick(preview->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.first().at(0).toBool());
        MigrationErrorDialog *error = window.errorDialog();
        QTRY_VERIFY(error->isVisible());
        QVERIFY2(error->locationText().contains(u"d9_broken.py"_s) &&
                     error->locationText().contains(u"line %1"_s.arg(raiseLine)),
                 qPrintable(error->locationText()));
        QVERIFY2(error->messageText().contains(u"RuntimeError: price feed unavailable"_s),
                 qPrintable(error->messageText()));
        QTest::mouseClick(error->openButton(), Qt::LeftButton);
        QTRY_COMPARE(window.scriptEditor()->filePath(), QFileInfo(broken).absoluteFilePath());
        // One transaction: the new revision went back with the broken one.
        QCOMPARE(alembicCurrent(project), u"c3"_s);
    }

    // The interpreter setting points at nothing: the graph still shows; running says what to do.
    void missingInterpreterSaysWhatToDo()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, project.iniPath()));
        const QString missing = tmp.filePath(u"venv/bin/python"_s);
        window.setPythonInterpreter(missing);
        QCOMPARE(window.pythonInterpreter(), missing);
        QTRY_VERIFY_WITH_TIMEOUT(window.pythonStatus().contains(missing), 20000);
        QCOMPARE(window.revisionModel()->rowCount(), 3);

        window.upgradeHeadAction()->trigger();
        PlanPreviewDialog *preview = window.planPreview();
        QTRY_VERIFY_WITH_TIMEOUT(preview->isVisible(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(preview->editorText().contains(missing), 20000);
        QSignalSpy finished(window.session(), &DatabaseSession::runFinished);
        QTest::mouseClick(preview->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY(!finished.first().at(0).toBool());
        QTRY_VERIFY(window.errorDialog()->isVisible());
        QVERIFY2(window.errorDialog()->messageText().contains(missing) &&
                     window.errorDialog()->messageText().contains(u"setting"_s),
                 qPrintable(window.errorDialog()->messageText()));
        QVERIFY(alembicCurrent(project).isEmpty());
    }

private:
    bool openAndWait(MainWindow &window, const QString &iniPath)
    {
        QSignalSpy loaded(&window, &MainWindow::projectLoaded);
        QSignalSpy graphShown(window.graphView(), &RevisionGraphView::graphChanged);
        window.openProject(iniPath);
        if (!loaded.wait(20000))
            return false;
        if (graphShown.isEmpty() && !graphShown.wait(20000))
            return false;
        return QTest::qWaitFor([&] { return window.session()->state().isKnown(); }, 20000);
    }
};

QTEST_MAIN(TstMainWindowAlembic)
#include "tst_mainwindow_alembic.moc"
