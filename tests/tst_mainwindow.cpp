#include "mainwindow.h"
#include "revisiongraphview.h"
#include "revisionlistmodel.h"
#include "scripteditor.h"

#include <Qsci/qsciscintilla.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;

class TstMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void opensBundledExample();
    void reportsBrokenProject();
    void graphListAndEditorFollowTheSelection();
};

void TstMainWindow::opensBundledExample()
{
    MainWindow window;
    QAbstractItemModelTester tester(window.revisionModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QSignalSpy failed(&window, &MainWindow::projectFailed);
    window.openProject(QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations/alembic.ini"_s);
    window.show();
    QVERIFY(loaded.wait(10000));
    QCOMPARE(failed.count(), 0);

    const RevisionListModel *model = window.revisionModel();
    QVERIFY(model->rowCount() >= 8);
    QCOMPARE(model->rowCount(), int(model->map().size()));
    // Newest first: the first row is a head, the last a base.
    QVERIFY(model->index(0, RevisionListModel::MarkersColumn).data().toString().contains(u"head"_s));
    QCOMPARE(model->index(model->rowCount() - 1, RevisionListModel::ParentsColumn).data().toString(),
             u"<base>"_s);
    QVERIFY(model->index(0, 0).data(RevisionListModel::FilePathRole).toString().endsWith(u".sql"_s));

    // The head is selected and its verbose entry and SQL are shown.
    const QString headId = model->index(0, RevisionListModel::RevisionColumn).data().toString();
    QVERIFY(window.detailsText().startsWith(u"Rev: "_s + headId + u" (head)\n"_s));
    QVERIFY(window.detailsText().contains(u"-- migrate:upgrade (line "_s));
    const QModelIndex base = model->index(model->rowCount() - 1, 0);
    window.revisionView()->setCurrentIndex(base);
    QVERIFY(window.detailsText().startsWith(u"Rev: "_s + base.data().toString() + u"\nParent: <base>\n"_s));
}

void TstMainWindow::reportsBrokenProject()
{
    MainWindow window;
    QSignalSpy failed(&window, &MainWindow::projectFailed);
    window.openProject(u"/nonexistent/alembic.ini"_s);
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().toString().contains(u"/nonexistent/alembic.ini"_s));
    QCOMPARE(window.revisionModel()->rowCount(), 0);
}

void TstMainWindow::graphListAndEditorFollowTheSelection()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A copy, so that editing a script never touches the bundled example.
    const QString source = QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations"_s;
    QVERIFY(QDir().mkpath(dir.filePath(u"versions"_s)));
    QVERIFY(QFile::copy(source + u"/alembic.ini"_s, dir.filePath(u"alembic.ini"_s)));
    for (const QString &name : QDir(source + u"/versions"_s).entryList({u"*.sql"_s}, QDir::Files))
        QVERIFY(QFile::copy(source + u"/versions/"_s + name, dir.filePath(u"versions/"_s + name)));

    MainWindow window;
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QSignalSpy graphShown(window.graphView(), &qmigrate::RevisionGraphView::graphChanged);
    window.openProject(dir.filePath(u"alembic.ini"_s));
    window.show();
    QVERIFY(loaded.wait(10000));
    QVERIFY(graphShown.count() > 0 || graphShown.wait(10000));

    // The head is selected everywhere and its script is open.
    const QString head = window.revisionModel()->index(0, 0).data().toString();
    QTRY_COMPARE(window.graphView()->selectedRevision(), head);
    QVERIFY(window.scriptEditor()->filePath().contains(head));

    // Selecting in the graph moves the list, the details and the editor.
    window.graphView()->setFocus();
    QTest::keyClick(window.graphView(), Qt::Key_Down);
    const QString second = window.revisionModel()->index(1, 0).data().toString();
    QCOMPARE(window.graphView()->selectedRevision(), second);
    QCOMPARE(window.revisionView()->currentIndex().row(), 1);
    QVERIFY(window.detailsText().startsWith(u"Rev: "_s + second));
    QVERIFY(window.scriptEditor()->filePath().contains(second));

    // Unsaved edits are never thrown away to follow the selection.
    QTest::keyClicks(window.scriptEditor()->textEdit(), u"-- note "_s);
    QVERIFY(window.scriptEditor()->isModified());
    QTest::keyClick(window.graphView(), Qt::Key_Down);
    QCOMPARE(window.graphView()->selectedRevision(), window.revisionModel()->index(2, 0).data().toString());
    QVERIFY(window.scriptEditor()->filePath().contains(second));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
