// SPDX-License-Identifier: MIT
#include "core/engineerror.h"
#include "run/logmodel.h"
#include "run/logpanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QIcon>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// What a real double-click delivers: press, release, double-click, release (QTest::mouseDClick alone sends
// only the double-click event, and item views act on it only for the index the press hit).
void doubleClick(QWidget *widget, QPoint pos)
{
    QTest::mousePress(widget, Qt::LeftButton, {}, pos);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, pos);
    QTest::mouseDClick(widget, Qt::LeftButton, {}, pos);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, pos);
}

} // namespace

class TestLogPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void modelAppendsSplitsAndTrims()
    {
        LogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setMaximumLines(5);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        model.appendText(u"one"_s);
        model.appendText(u"two\nthree\n"_s, LogModel::Severity::Warning); // trailing newline adds no row
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1).data(LogModel::MessageRole).toString(), u"two"_s);
        QCOMPARE(model.index(2).data(LogModel::MessageRole).toString(), u"three"_s);
        QCOMPARE(model.index(2).data(LogModel::SeverityRole).toInt(), int(LogModel::Severity::Warning));
        QCOMPARE(model.index(0).data(LogModel::SeverityRole).toInt(), int(LogModel::Severity::Info));
        // Every row has an icon (a blank one for info, so texts line up); warnings have their own.
        QVERIFY(model.index(0).data(Qt::DecorationRole).isValid());
        QVERIFY(model.index(1).data(Qt::DecorationRole).isValid());
        QVERIFY(model.index(0).data(Qt::DecorationRole).value<QIcon>().cacheKey() !=
                model.index(1).data(Qt::DecorationRole).value<QIcon>().cacheKey());
        // "hh:mm:ss  message", the time of the append.
        const QDateTime time = model.index(0).data(LogModel::TimestampRole).toDateTime();
        QVERIFY(qAbs(time.secsTo(QDateTime::currentDateTime())) < 5);
        QCOMPARE(model.index(0).data().toString(), time.toString(u"HH:mm:ss"_s) + u"  one"_s);
        QCOMPARE(removed.count(), 0);

        for (int i = 4; i <= 9; ++i)
            model.appendText(u"line %1"_s.arg(i));
        // Bound kept: the oldest went, one removal per overflowing append.
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(removed.count(), 4);
        QCOMPARE(model.index(0).data(LogModel::MessageRole).toString(), u"line 5"_s);
        QCOMPARE(model.index(4).data(LogModel::MessageRole).toString(), u"line 9"_s);

        // Lowering the bound drops the oldest at once.
        model.setMaximumLines(2);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(LogModel::MessageRole).toString(), u"line 8"_s);
        QCOMPARE(model.copyText(1).section(u' ', 1), u"info line 9"_s);

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.appendText(QString());
        QCOMPARE(model.rowCount(), 1); // an empty line is still a line
    }

    void diagnosticsOpenTheirLocation()
    {
        LogPanel panel;
        QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
        panel.resize(600, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy open(&panel, &LogPanel::openLocation);

        panel.appendLine(u"Running upgrade"_s);
        const EngineError error(u"near \"SELEC\": syntax error"_s, u"/p/versions/ab_x.sql"_s, 12, u"ab"_s,
                                EngineError::Kind::Database);
        panel.appendDiagnostic(error);
        panel.appendDiagnostic(EngineError(u"no file here"_s), LogPanel::Severity::Warning);
        QCOMPARE(panel.model()->rowCount(), 3);
        const QModelIndex diagnostic = panel.model()->index(1);
        QCOMPARE(diagnostic.data(LogModel::MessageRole).toString(),
                 u"/p/versions/ab_x.sql:12: near \"SELEC\": syntax error"_s);
        QCOMPARE(diagnostic.data(LogModel::FileRole).toString(), u"/p/versions/ab_x.sql"_s);
        QCOMPARE(diagnostic.data(LogModel::LineRole).toInt(), 12);
        QCOMPARE(diagnostic.data(LogModel::SeverityRole).toInt(), int(LogModel::Severity::Error));

        // A double-click on the diagnostic opens it.
        QListView *view = panel.view();
        const QPoint centre = view->visualRect(diagnostic).center();
        doubleClick(view->viewport(), centre);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.at(0).at(0).toString(), u"/p/versions/ab_x.sql"_s);
        QCOMPARE(open.at(0).at(1).toInt(), 12);

        // Enter on it too; lines without a file open nothing.
        view->setFocus();
        view->setCurrentIndex(diagnostic);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(open.count(), 2);
        for (int row : {0, 2}) {
            const QModelIndex plain = panel.model()->index(row);
            doubleClick(view->viewport(), view->visualRect(plain).center());
        }
        QCOMPARE(open.count(), 2);
    }

    void copyAndClear()
    {
        LogPanel panel;
        panel.appendLine(u"first"_s);
        panel.appendLine(u"second"_s, LogPanel::Severity::Warning);
        panel.appendLine(u"third"_s, LogPanel::Severity::Error);

        // Nothing selected: everything, in log order, "hh:mm:ss severity message".
        const QStringList all = panel.copyText().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(all.size(), 3);
        QStringList rest;
        for (const QString &line : all)
            rest.append(line.section(u' ', 1));
        QCOMPARE(rest, QStringList({u"info first"_s, u"warning second"_s, u"error third"_s}));

        // Selected rows only, in log order whatever the selection order.
        QItemSelectionModel *selection = panel.view()->selectionModel();
        selection->select(panel.model()->index(2), QItemSelectionModel::Select);
        selection->select(panel.model()->index(0), QItemSelectionModel::Select);
        QStringList copied = panel.copyText().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(copied.size(), 2);
        QVERIFY(copied.at(0).endsWith(u"info first"_s));
        QVERIFY(copied.at(1).endsWith(u"error third"_s));

        QTest::mouseClick(panel.copyButton(), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), panel.copyText());

        QTest::mouseClick(panel.clearButton(), Qt::LeftButton);
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(panel.copyText(), QString());
    }

    void followsTheEndUnlessScrolledUp()
    {
        LogPanel panel;
        panel.resize(400, 200);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QScrollBar *bar = panel.view()->verticalScrollBar();
        for (int i = 0; i < 200; ++i)
            panel.appendLine(u"line %1"_s.arg(i));
        QTRY_VERIFY(bar->maximum() > 0);
        QTRY_COMPARE(bar->value(), bar->maximum());
        QVERIFY(panel.isFollowing());

        // The user scrolls up to read: new lines leave the view where it is.
        bar->setValue(0);
        QVERIFY(!panel.isFollowing());
        const int maximumBefore = bar->maximum();
        for (int i = 0; i < 50; ++i)
            panel.appendLine(u"later %1"_s.arg(i));
        QTRY_VERIFY(bar->maximum() > maximumBefore);
        QCOMPARE(bar->value(), 0);
        QCOMPARE(panel.view()->indexAt(QPoint(2, 2)).data(LogModel::MessageRole).toString(), u"line 0"_s);

        // Back at the end: following again.
        bar->setValue(bar->maximum());
        QVERIFY(panel.isFollowing());
        panel.appendLine(u"last"_s);
        QTRY_COMPARE(bar->value(), bar->maximum());
        // The newest line is in view.
        const QModelIndex last = panel.model()->index(panel.model()->rowCount() - 1);
        QCOMPARE(last.data(LogModel::MessageRole).toString(), u"last"_s);
        QTRY_VERIFY(panel.view()->viewport()->rect().contains(panel.view()->visualRect(last)));
        // and the first is not.
        QVERIFY(
            !panel.view()->viewport()->rect().intersects(panel.view()->visualRect(panel.model()->index(0))));
    }

    void tenThousandAppends()
    {
        LogPanel panel;
        panel.resize(800, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.appendLine(u"before"_s);

        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < LogModel::DefaultMaximumLines; ++i)
            panel.appendLine(u"statement %1 of the migration"_s.arg(i),
                             i % 100 == 0 ? LogPanel::Severity::Warning : LogPanel::Severity::Info);
        const qint64 appendMs = timer.elapsed();
        QCoreApplication::processEvents(); // the view lays out and paints the new rows
        const qint64 totalMs = timer.elapsed();
        qInfo("10000 appends: %lld ms; with layout and paint: %lld ms", appendMs, totalMs);

        // Bound reached exactly: "before" was trimmed, the last line is the newest.
        QCOMPARE(panel.model()->rowCount(), LogModel::DefaultMaximumLines);
        QCOMPARE(panel.model()->index(0).data(LogModel::MessageRole).toString(),
                 u"statement 0 of the migration"_s);
        panel.appendLine(u"one more"_s);
        QCOMPARE(panel.model()->rowCount(), LogModel::DefaultMaximumLines);
        QCOMPARE(panel.model()->index(0).data(LogModel::MessageRole).toString(),
                 u"statement 1 of the migration"_s);
        QTRY_COMPARE(panel.view()->verticalScrollBar()->value(),
                     panel.view()->verticalScrollBar()->maximum());
    }

    // Many trims in a row under the tester (which checks the whole model at every change, so the bound is
    // kept small here; tenThousandAppends covers the default bound).
    void trimmingUnderTheTester()
    {
        LogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setMaximumLines(200);
        for (int i = 0; i < 500; ++i)
            model.appendText(i % 50 == 0 ? u"%1\nmore"_s.arg(i) : u"%1"_s.arg(i));
        QCOMPARE(model.rowCount(), 200);
        QCOMPARE(model.index(199).data(LogModel::MessageRole).toString(), u"499"_s);
        QCOMPARE(model.index(0).data(LogModel::MessageRole).toString(),
                 u"303"_s); // 303..499 and three "more" rows
    }
};

QTEST_MAIN(TestLogPanel)
#include "tst_logpanel.moc"
