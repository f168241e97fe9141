#include "mainwindow.h"
#include "revisionlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
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

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
