// SPDX-License-Identifier: MIT
// The main window on an Alembic Python project made by the real `alembic init`: the plan preview shows each
// step's SQL as the project's Alembic writes it offline, Upgrade runs it through that Alembic, New Revision
// and Merge write .py files, a revision that raises opens at its line, and a missing interpreter says what
// to do. The real widgets, offscreen.

#include "alembicproject.h"
#include "dialogs/migrationerrordialog.h"
#include "dialogs/newrevisiondialog.h"
#include "dialogs/planpreviewdialog.h"
#include "editor/scripteditor.h"
#include "mainwindowdriver.h"
#include "revisions/revisiongraphview.h"
#include "revisions/revisionlistmodel.h"
#include "run/databasesession.h"
#include "run/logpanel.h"
#include "run/runprogresswidget.h"
#include "testfiles.h"
#include "testservers.h"
#include "window/mainwindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

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
        QCOMPARE(project.current(), u"c3 (head)"_s);
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
        QCOMPARE(project.current(), u"c3"_s);
    }

    void mergeAndAutogenerateFromTheDialog_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("sqlite") << QString();
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    // Merge Heads and Autogenerate in the dialog go through the project's own Alembic too, and the draft
    // runs from the GUI: the tables are then the models'.
    void mergeAndAutogenerateFromTheDialog()
    {
        QFETCH(QString, server);
        QTemporaryDir tmp;
        QString url = u"sqlite:///app.db"_s;
        TestServer fresh;
        if (!server.isEmpty()) {
            fresh = TestServers::freshDatabase(TestServers::server(server), u"mainwindow_alembic_dialog"_s);
            QMIGRATE_REQUIRE_SERVER(fresh);
            url = TestServers::sqlalchemyUrl(fresh);
        }
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addStandardGraph();
        // A second real head beside d4 (z1 is one only through depends_on).
        project.addRevision(u"e5"_s, {u"m3"_s}, u"hotfix"_s,
                            u"op.create_table('t_e5', sa.Column('id', sa.Integer, primary_key=True))"_s,
                            u"op.drop_table('t_e5')"_s);
        // The models: every table but t_m3, and a new one.
        QString env = QString::fromUtf8(readAll(project.scriptLocation() + u"/env.py"_s));
        QString models = u"import sqlalchemy as sa\ntarget_metadata = sa.MetaData()\n"_s;
        for (const QString &id : {u"a1"_s, u"b2"_s, u"x1"_s, u"z1"_s, u"d4"_s, u"e5"_s})
            models +=
                u"sa.Table('t_%1', target_metadata, sa.Column('id', sa.Integer, primary_key=True))\n"_s.arg(
                    id);
        models += u"sa.Table('accounts', target_metadata, sa.Column('id', sa.Integer, primary_key=True), "
                  u"sa.Column('email', sa.String(200), nullable=False))"_s;
        env.replace(u"target_metadata = None"_s, models);
        QVERIFY(project.writeEnvPy(env));

        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, project.iniPath()));
        QVERIFY(window.mergeHeadsAction()->isEnabled()); // d4 and e5
        window.mergeHeadsAction()->trigger();
        NewRevisionDialog *dialog = window.newRevisionDialog();
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->checkedMergeHeads().size(), 2);
        QTest::keyClicks(dialog->messageEdit(), u"join audit"_s);
        const QString mergeId = dialog->revisionId();
        QSignalSpy reloaded(&window, &MainWindow::projectLoaded);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY2(reloaded.wait(30000), qPrintable(dialog->errorText()));
        QTRY_COMPARE(window.session()->map().realHeads().size(), 1);
        const QString heads = project.alembic({u"heads"_s}).out;
        QVERIFY2(heads.contains(mergeId + u" (reports) (head)"_s), qPrintable(heads));

        // The database at head, then a draft from the models.
        window.upgradeHeadAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.planPreview()->isVisible(), 20000);
        QSignalSpy finished(window.session(), &DatabaseSession::runFinished);
        QTest::mouseClick(window.planPreview()->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().at(0).toBool());
        QVERIFY2(project.current().contains(mergeId + u" (head)"_s), qPrintable(project.current()));

        window.newRevisionAction()->trigger();
        QTRY_VERIFY(dialog->isVisible());
        // Two heads (the merge and the audit root): the draft goes on the merge.
        const int parent = dialog->parentCombo()->findData(mergeId);
        QVERIFY(parent >= 0);
        dialog->parentCombo()->setCurrentIndex(parent);
        QVERIFY2(dialog->autogenerateCheck()->isEnabled(),
                 qPrintable(dialog->autogenerateCheck()->toolTip()));
        dialog->autogenerateCheck()->setChecked(true);
        QTest::keyClicks(dialog->messageEdit(), u"accounts"_s);
        const QString draftId = dialog->revisionId();
        reloaded.clear();
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY2(reloaded.wait(30000), qPrintable(dialog->errorText()));
        const QString draft =
            QString::fromUtf8(readAll(project.versionsPath() + u'/' + draftId + u"_accounts.py"_s));
        QVERIFY2(draft.contains(u"op.create_table('accounts'"_s) &&
                     draft.contains(u"op.drop_table('t_m3')"_s) && !draft.contains(u"qmigrate_history"_s),
                 qPrintable(draft));
        // The dialog learns the notes when Alembic's answer reaches it, which may come after the file
        // watcher's reload of the new file.
        QTRY_VERIFY2_WITH_TIMEOUT(
            dialog->lastReviewNotes().contains(u"upgrade drops table t_m3 and its data"_s),
            qPrintable(dialog->lastReviewNotes().join(u'\n')), 30000);

        // The draft, run from the GUI: Alembic's rows, the models' tables.
        QTRY_COMPARE(window.session()->map().indexOf(draftId) >= 0, true);
        window.upgradeHeadAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.planPreview()->isVisible(), 20000);
        finished.clear();
        QTest::mouseClick(window.planPreview()->runButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().at(0).toBool(),
                 qPrintable(finished.first().at(1).value<qmigrate::EngineError>().message()));
        QStringList rows = project.current().split(u'\n');
        rows.sort();
        QCOMPARE(rows, (QStringList{draftId + u" (head)"_s, u"z1 (effective head)"_s}));
        QCOMPARE(
            TestServers::userTables(fresh, tmp.filePath(u"app.db"_s)),
            (QStringList{u"accounts"_s, u"t_a1"_s, u"t_b2"_s, u"t_d4"_s, u"t_e5"_s, u"t_x1"_s, u"t_z1"_s}));
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
        QVERIFY(project.current().isEmpty());
    }
};

QTEST_MAIN(TstMainWindowAlembic)
#include "tst_mainwindow_alembic.moc"
