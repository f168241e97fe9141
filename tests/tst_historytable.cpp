// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "execution/auditobserver.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "run/historyfilterproxymodel.h"
#include "run/historymodel.h"
#include "run/historytable.h"

#include "testfiles.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <atomic>
#include <memory>

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

const QString failingId = u"ffff00000001"_s;
const QString exampleHead = u"9abc688b6311"_s;

// "revision direction outcome", newest first.
QStringList shape(const QList<HistoryEntry> &entries)
{
    QStringList lines;
    for (const HistoryEntry &entry : entries)
        lines.append(u"%1 %2 %3"_s.arg(entry.revision, HistoryEntry::directionName(entry.direction),
                                       HistoryEntry::outcomeName(entry.outcome)));
    return lines;
}

// The full revision of each proxy row, top to bottom.
QStringList proxyRevisions(const QAbstractItemModel *proxy)
{
    QStringList ids;
    for (int row = 0; row < proxy->rowCount(); ++row)
        ids.append(proxy->index(row, 0).data(HistoryModel::RevisionIdRole).toString());
    return ids;
}

QStringList proxyColumn(const QAbstractItemModel *proxy, int column, int role = Qt::DisplayRole)
{
    QStringList values;
    for (int row = 0; row < proxy->rowCount(); ++row)
        values.append(proxy->index(row, column).data(role).toString());
    return values;
}

} // namespace

// HistoryModel, HistoryFilterProxyModel and HistoryTable over the qmigrate_history rows that real runs of
// the bundled example (plus one failing revision) wrote to a SQLite database.
class TestHistoryTable : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QList<HistoryEntry> m_entries; // newest first, as AuditHistory reads them

    // Copies the example, adds a revision whose upgrade fails, and runs: upgrade to the example's head,
    // downgrade -1, upgrade head (fails in the new revision and rolls the run back), upgrade head again
    // with the cancel token already set.
    void recordHistory()
    {
        QVERIFY(copyExample(m_dir.path()));
        QFile failing(m_dir.filePath(u"versions/%1_broken.sql"_s.arg(failingId)));
        QVERIFY(failing.open(QIODevice::WriteOnly));
        failing.write(
            u"-- broken\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Create Date: 2026-07-01 00:00:00\n\n"
            u"-- migrate:upgrade\nINSERT INTO no_such_table VALUES (1);\n\n-- migrate:downgrade\n"_s
                .arg(failingId, exampleHead)
                .toUtf8());
        failing.close();

        Expected<Project> project = Project::open(m_dir.filePath(u"alembic.ini"_s));
        QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
        const DatabaseUrl url = *DatabaseUrl::parse(u"sqlite:///"_s + m_dir.filePath(u"history.db"_s));
        Migrator migrator(project->map(), url, MigratorOptions::fromConfig(project->config()));
        AuditObserver observer;
        migrator.setObserver(&observer);
        auto request = [](Migrator::Request::Kind kind, const QString &target) {
            Migrator::Request result;
            result.kind = kind;
            result.targets = {target};
            return result;
        };
        using Kind = Migrator::Request::Kind;
        QVERIFY(migrator.run(request(Kind::Upgrade, exampleHead)));
        QVERIFY(migrator.run(request(Kind::Downgrade, u"-1"_s)));
        QVERIFY(!migrator.run(request(Kind::Upgrade, u"head"_s)));
        std::atomic_bool cancel = true;
        migrator.setCancelToken(&cancel);
        QVERIFY(!migrator.run(request(Kind::Upgrade, u"head"_s)));
        QVERIFY2(observer.recordingErrors().isEmpty(), qPrintable(observer.recordingErrors().join(u'\n')));

        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(url, QString());
        QVERIFY2(connection, qPrintable(connection ? QString() : connection.error().toString()));
        Expected<QList<HistoryEntry>> entries =
            AuditHistory((*connection)->database(), migrator.dialect()).entries();
        QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
        m_entries = *entries;
    }

    int rowOf(const QString &revision, HistoryEntry::Outcome outcome) const
    {
        for (int i = 0; i < m_entries.size(); ++i) {
            if (m_entries.at(i).revision == revision && m_entries.at(i).outcome == outcome)
                return i;
        }
        return -1;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        recordHistory();
        QCOMPARE(shape(m_entries), QStringList({
                                       exampleHead + u" upgrade cancelled"_s,
                                       failingId + u" upgrade failed"_s,
                                       exampleHead + u" downgrade success"_s,
                                       exampleHead + u" upgrade success"_s,
                                       u"2f2467916363 upgrade success"_s,
                                       u"32863478822d upgrade success"_s,
                                       u"bcddf3f8350c upgrade success"_s,
                                       u"696e23fe439e upgrade success"_s,
                                       u"6aa67ef48cab upgrade success"_s,
                                       u"575ce023861c upgrade success"_s,
                                       u"0169b51572d2 upgrade success"_s,
                                       u"83ca92fed024 upgrade success"_s,
                                       u"cf60bc0183a4 upgrade success"_s,
                                   }));
    }

    void durationsForPeople_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << u"0 ms"_s;
        QTest::newRow("ms") << qint64(35) << u"35 ms"_s;
        QTest::newRow("just under a second") << qint64(999) << u"999 ms"_s;
        QTest::newRow("a second") << qint64(1000) << u"1.0 s"_s;
        QTest::newRow("seconds") << qint64(2400) << u"2.4 s"_s;
        QTest::newRow("rounded tenths") << qint64(2449) << u"2.4 s"_s;
        QTest::newRow("rounded up to a minute") << qint64(59960) << u"1 min 0 s"_s;
        QTest::newRow("negative clock step") << qint64(-3) << u"0 ms"_s;
        QTest::newRow("a minute") << qint64(63000) << u"1 min 3 s"_s;
        QTest::newRow("hours") << qint64(2 * 3600000 + 5 * 60000 + 7000) << u"2 h 5 min"_s;
    }
    void durationsForPeople()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(HistoryModel::formatDuration(ms), text);
    }

    void modelShowsTheRows()
    {
        HistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setEntries(m_entries);
        QCOMPARE(model.rowCount(), m_entries.size());
        QCOMPARE(model.columnCount(), int(HistoryModel::ColumnCount));
        QCOMPARE(reset.count(), 1);

        const int failed = rowOf(failingId, HistoryEntry::Outcome::Failed);
        const HistoryEntry &entry = m_entries.at(failed);
        auto cell = [&](int column, int role = Qt::DisplayRole) {
            return model.index(failed, column).data(role);
        };
        QCOMPARE(cell(HistoryModel::WhenColumn).toString(),
                 entry.finishedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s));
        QCOMPARE(cell(HistoryModel::WhenColumn, HistoryModel::SortRole).toDateTime(), entry.finishedAt);
        QCOMPARE(cell(HistoryModel::RevisionColumn).toString(), failingId);
        QCOMPARE(cell(HistoryModel::DirectionColumn).toString(), u"upgrade"_s);
        QCOMPARE(cell(HistoryModel::OutcomeColumn).toString(), u"failed"_s);
        QCOMPARE(cell(HistoryModel::DurationColumn).toString(),
                 HistoryModel::formatDuration(entry.durationMs));
        QCOMPARE(cell(HistoryModel::DurationColumn, HistoryModel::SortRole).toLongLong(), entry.durationMs);
        QCOMPARE(cell(HistoryModel::UserColumn).toString(), AuditHistory::currentOsUser());
        QCOMPARE(cell(HistoryModel::HostColumn).toString(), AuditHistory::currentHost());
        QVERIFY2(entry.errorText.contains(u"no_such_table"_s), qPrintable(entry.errorText));
        // The first line, the file named without its directory.
        const QString firstLine = entry.errorText.section(u'\n', 0, 0);
        QVERIFY2(firstLine.startsWith(m_dir.filePath(u"versions/"_s)), qPrintable(firstLine));
        QCOMPARE(cell(HistoryModel::ErrorColumn).toString(),
                 firstLine.mid(m_dir.filePath(u"versions/"_s).size()));
        QVERIFY(
            cell(HistoryModel::ErrorColumn).toString().startsWith(failingId + u"_broken.sql:8: upgrade"_s));
        // The tooltip has the full id, the checksum and the whole error.
        const QString tip = cell(HistoryModel::ErrorColumn, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(failingId) && tip.contains(entry.checksum) && tip.contains(entry.errorText),
                 qPrintable(tip));
        QCOMPARE(entry.checksum.size(), 64);
        // Failed and cancelled rows stand out; successful ones keep the view's colours.
        QVERIFY(cell(HistoryModel::RevisionColumn, Qt::ForegroundRole).isValid());
        QVERIFY(cell(HistoryModel::OutcomeColumn, Qt::DecorationRole).isValid());
        const int cancelled = rowOf(exampleHead, HistoryEntry::Outcome::Cancelled);
        QVERIFY(model.index(cancelled, HistoryModel::UserColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY(model.index(cancelled, HistoryModel::OutcomeColumn).data(Qt::DecorationRole).isValid());
        QVERIFY(model.index(cancelled, HistoryModel::OutcomeColumn).data(Qt::DecorationRole) !=
                cell(HistoryModel::OutcomeColumn, Qt::DecorationRole));
        const int success = rowOf(u"cf60bc0183a4"_s, HistoryEntry::Outcome::Success);
        QVERIFY(!model.index(success, HistoryModel::UserColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY(!model.index(success, HistoryModel::OutcomeColumn).data(Qt::DecorationRole).isValid());
        QVERIFY(model.entry(success).revision == u"cf60bc0183a4"_s);

        // Long ids are cut to 12 in the column, never in the data.
        HistoryEntry stamp = m_entries.constFirst();
        stamp.revision = u"abcdef0123456789, 0123456789abcdef"_s;
        stamp.direction = HistoryEntry::Direction::Stamp;
        QList<HistoryEntry> second = m_entries.mid(0, 3);
        second.append(stamp);
        model.setEntries(second);
        QCOMPARE(reset.count(), 2);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(3, HistoryModel::RevisionColumn).data().toString(),
                 u"abcdef012345, 0123456789ab"_s);
        QCOMPARE(model.index(3, 0).data(HistoryModel::RevisionIdRole).toString(), stamp.revision);
        model.setEntries({});
        QCOMPARE(model.rowCount(), 0);
    }

    void sortsByEveryColumn()
    {
        HistoryTable table;
        QAbstractItemModelTester modelTester(table.model(),
                                             QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester proxyTester(table.proxyModel(),
                                             QAbstractItemModelTester::FailureReportingMode::Fatal);
        // Real rows with durations and times rewritten so that text order and value order differ: "10 ms"
        // sorts before "9 ms" as text, and the times are in different zones.
        QList<HistoryEntry> entries = m_entries.mid(2, 5);
        const QList<qint64> durations = {100, 9, 63000, 2500, 10};
        const QDateTime base(QDate(2026, 5, 1), QTime(10, 0), QTimeZone::utc());
        const QList<QDateTime> times = {
            base,                                                         // 10:00 UTC
            QDateTime(QDate(2026, 5, 1), QTime(11, 30), QTimeZone(7200)), // 09:30 UTC
            base.addSecs(-15 * 60),                                       // 09:45 UTC
            base.addDays(1),
            base.addSecs(-3600 * 24 * 40),
        };
        for (int i = 0; i < entries.size(); ++i) {
            entries[i].durationMs = durations.at(i);
            entries[i].finishedAt = times.at(i);
            entries[i].revision = u"rev%1"_s.arg(i);
        }
        table.setEntries(entries);
        QTableView *view = table.view();
        QCOMPARE(view->horizontalHeader()->sortIndicatorSection(), int(HistoryModel::WhenColumn));
        QCOMPARE(view->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        // Newest first to start with, chronologically whatever the zone.
        QCOMPARE(proxyRevisions(table.proxyModel()),
                 QStringList({u"rev3"_s, u"rev0"_s, u"rev2"_s, u"rev1"_s, u"rev4"_s}));

        view->sortByColumn(HistoryModel::DurationColumn, Qt::AscendingOrder);
        QCOMPARE(proxyColumn(table.proxyModel(), HistoryModel::DurationColumn),
                 QStringList({u"9 ms"_s, u"10 ms"_s, u"100 ms"_s, u"2.5 s"_s, u"1 min 3 s"_s}));
        view->sortByColumn(HistoryModel::DurationColumn, Qt::DescendingOrder);
        QCOMPARE(proxyColumn(table.proxyModel(), HistoryModel::DurationColumn),
                 QStringList({u"1 min 3 s"_s, u"2.5 s"_s, u"100 ms"_s, u"10 ms"_s, u"9 ms"_s}));
        view->sortByColumn(HistoryModel::WhenColumn, Qt::AscendingOrder);
        QCOMPARE(proxyRevisions(table.proxyModel()),
                 QStringList({u"rev4"_s, u"rev1"_s, u"rev2"_s, u"rev0"_s, u"rev3"_s}));

        // Every column sorts, both ways, by its raw value.
        table.setEntries(m_entries);
        for (int column = 0; column < HistoryModel::ColumnCount; ++column) {
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                view->sortByColumn(column, order);
                const QAbstractItemModel *proxy = table.proxyModel();
                QCOMPARE(proxy->rowCount(), m_entries.size());
                for (int row = 1; row < proxy->rowCount(); ++row) {
                    const QVariant before = proxy->index(row - 1, column).data(HistoryModel::SortRole);
                    const QVariant after = proxy->index(row, column).data(HistoryModel::SortRole);
                    int comparison = 0;
                    if (column == HistoryModel::WhenColumn)
                        comparison = before.toDateTime() < after.toDateTime()   ? -1
                                     : before.toDateTime() > after.toDateTime() ? 1
                                                                                : 0;
                    else if (column == HistoryModel::DurationColumn)
                        comparison = before.toLongLong() < after.toLongLong()   ? -1
                                     : before.toLongLong() > after.toLongLong() ? 1
                                                                                : 0;
                    else
                        comparison =
                            QString::compare(before.toString(), after.toString(), Qt::CaseInsensitive);
                    QVERIFY2(order == Qt::AscendingOrder ? comparison <= 0 : comparison >= 0,
                             qPrintable(u"column %1 row %2: %3 then %4"_s.arg(column).arg(row).arg(
                                 before.toString(), after.toString())));
                }
            }
        }
        // Outcome ascending: cancelled, failed, then the successes.
        view->sortByColumn(HistoryModel::OutcomeColumn, Qt::AscendingOrder);
        QCOMPARE(proxyColumn(table.proxyModel(), HistoryModel::OutcomeColumn).mid(0, 3),
                 QStringList({u"cancelled"_s, u"failed"_s, u"success"_s}));
    }

    void filtersByTextAndOutcome()
    {
        HistoryTable table;
        QAbstractItemModelTester proxyTester(table.proxyModel(),
                                             QAbstractItemModelTester::FailureReportingMode::Fatal);
        table.setEntries(m_entries);
        const QAbstractItemModel *proxy = table.proxyModel();
        QCOMPARE(proxy->rowCount(), 13);

        // Revision, case-insensitive: the example head's cancelled upgrade, downgrade and upgrade, and the
        // failed step whose error names it ("upgrade 9abc688b6311 -> ffff00000001 failed at line 8 …").
        table.filterEdit()->setText(u"9ABC688"_s);
        QCOMPARE(proxyRevisions(proxy), QStringList({exampleHead, failingId, exampleHead, exampleHead}));
        // Error text, direction, outcome.
        table.filterEdit()->setText(u"No_Such_Table"_s);
        QCOMPARE(proxyRevisions(proxy), QStringList({failingId}));
        table.filterEdit()->setText(u"downgrade"_s);
        QCOMPARE(proxyColumn(proxy, HistoryModel::DirectionColumn), QStringList({u"downgrade"_s}));
        table.filterEdit()->setText(u"cancelled by the user"_s);
        QCOMPARE(proxyColumn(proxy, HistoryModel::OutcomeColumn), QStringList({u"cancelled"_s}));
        // Host (and user, when the environment names one): every row.
        table.filterEdit()->setText(AuditHistory::currentHost().toUpper());
        QCOMPARE(proxy->rowCount(), 13);
        if (!AuditHistory::currentOsUser().isEmpty()) {
            table.filterEdit()->setText(AuditHistory::currentOsUser());
            QCOMPARE(proxy->rowCount(), 13);
        }
        table.filterEdit()->setText(u"nothing matches this"_s);
        QCOMPARE(proxy->rowCount(), 0);
        table.filterEdit()->clear();
        QCOMPARE(proxy->rowCount(), 13);

        QComboBox *outcome = table.outcomeCombo();
        QCOMPARE(outcome->count(), 4);
        outcome->setCurrentIndex(HistoryTable::FailedOutcome);
        QCOMPARE(proxyRevisions(proxy), QStringList({failingId}));
        outcome->setCurrentIndex(HistoryTable::CancelledOutcome);
        QCOMPARE(proxyRevisions(proxy), QStringList({exampleHead}));
        outcome->setCurrentIndex(HistoryTable::SuccessOutcome);
        QCOMPARE(proxy->rowCount(), 11);
        // Both filters at once.
        table.filterEdit()->setText(exampleHead);
        QCOMPARE(proxy->rowCount(), 2);
        QCOMPARE(proxyColumn(proxy, HistoryModel::DirectionColumn),
                 QStringList({u"downgrade"_s, u"upgrade"_s}));
        outcome->setCurrentIndex(HistoryTable::AllOutcomes);
        QCOMPARE(proxy->rowCount(), 4);
        // New entries keep the filters.
        table.setEntries(m_entries.mid(1));
        QCOMPARE(proxyRevisions(proxy), QStringList({failingId, exampleHead, exampleHead}));
    }

    void placeholders()
    {
        HistoryTable table;
        QVERIFY(table.isShowingPlaceholder());
        QCOMPARE(table.placeholderText(), u"No connection selected"_s);

        table.setEntries(m_entries);
        QVERIFY(!table.isShowingPlaceholder());
        QCOMPARE(table.model()->rowCount(), 13);

        table.setEntries({});
        QVERIFY(table.isShowingPlaceholder());
        QCOMPARE(table.placeholderText(), u"No qmigrate_history on this database yet"_s);

        table.setEntries(m_entries);
        table.clear(u"Cannot connect to staging: timeout"_s);
        QVERIFY(table.isShowingPlaceholder());
        QCOMPARE(table.placeholderText(), u"Cannot connect to staging: timeout"_s);
        QCOMPARE(table.model()->rowCount(), 0);
        table.clear();
        QCOMPARE(table.placeholderText(), u"No connection selected"_s);
    }

    void doubleClickEmitsTheRevision()
    {
        HistoryTable table;
        table.resize(1000, 600);
        table.setEntries(m_entries);
        table.show();
        QVERIFY(QTest::qWaitForWindowExposed(&table));
        QSignalSpy activated(&table, &HistoryTable::revisionActivated);

        table.outcomeCombo()->setCurrentIndex(HistoryTable::FailedOutcome);
        QCOMPARE(table.proxyModel()->rowCount(), 1);
        QTableView *view = table.view();
        const QModelIndex index = table.proxyModel()->index(0, HistoryModel::OutcomeColumn);
        view->scrollTo(index);
        doubleClick(view->viewport(), view->visualRect(index).center());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), failingId);

        // Another row, through the proxy's sort and filter.
        table.outcomeCombo()->setCurrentIndex(HistoryTable::AllOutcomes);
        view->sortByColumn(HistoryModel::RevisionColumn, Qt::AscendingOrder);
        const QModelIndex first = table.proxyModel()->index(0, HistoryModel::RevisionColumn);
        view->scrollTo(first);
        doubleClick(view->viewport(), view->visualRect(first).center());
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.at(1).at(0).toString(), u"0169b51572d2"_s);
    }
};

QTEST_MAIN(TestHistoryTable)
#include "tst_historytable.moc"
