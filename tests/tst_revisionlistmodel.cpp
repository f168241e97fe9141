// SPDX-License-Identifier: MIT
#include "revisions/revisionlistmodel.h"

#include "graphfixture.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

RevisionMap mapOf(const QString &graph)
{
    const Expected<RevisionMap> map = RevisionMap::build(parseGraph(u"list"_s, graph));
    if (!map)
        qFatal("%s", qPrintable(map.error().toString()));
    return *map;
}

// A chain of revisions that each declare a label: the last inherits every label before it.
QString labelledChain(int length)
{
    QString graph;
    for (int n = 0; n < length; ++n)
        graph += u"r%1 %2 label:l%1\n"_s.arg(n).arg(n > 0 ? u"r%1"_s.arg(n - 1) : QString());
    return graph;
}

} // namespace

// RevisionListModel: rows in history order, cell texts built when asked, long label lists counted.
class TestRevisionListModel : public QObject
{
    Q_OBJECT

private slots:
    void rowsFollowTheHistory()
    {
        RevisionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMap(mapOf(u"a\nb a\nc a\nm b c -- merge\n"_s));
        QCOMPARE(model.rowCount(), 4);
        const QList<int> history = model.map().history();
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(model.revisionIndex(row), history.at(row));
            QCOMPARE(model.rowOf(history.at(row)), row);
        }
        QCOMPARE(model.revisionIndex(4), -1);
        QCOMPARE(model.rowOf(-1), -1);

        const int merge = model.rowOf(model.map().indexOf(u"m"_s));
        QCOMPARE(model.index(merge, RevisionListModel::RevisionColumn).data().toString(), u"m"_s);
        QCOMPARE(model.index(merge, RevisionListModel::ParentsColumn).data().toString(), u"b, c"_s);
        QCOMPARE(model.index(merge, RevisionListModel::MarkersColumn).data().toString(),
                 u"head, merge point"_s);
        QCOMPARE(model.index(merge, RevisionListModel::MessageColumn).data().toString(), u"merge"_s);
        const int base = model.rowOf(model.map().indexOf(u"a"_s));
        QCOMPARE(model.index(base, RevisionListModel::ParentsColumn).data().toString(), u"<base>"_s);
        QCOMPARE(model.index(base, RevisionListModel::MarkersColumn).data().toString(), u"branch point"_s);
        QCOMPARE(model.index(base, 0).data(RevisionListModel::FilePathRole).toString(),
                 u"list/versions/a.sql"_s);

        // An order worked out elsewhere (off the UI thread) is taken as given.
        const std::shared_ptr<const RevisionMap> shared = std::make_shared<const RevisionMap>(model.map());
        QList<int> reversed(history.crbegin(), history.crend());
        model.setMap(shared, reversed);
        QCOMPARE(model.rowCount(), 4);
        for (int row = 0; row < model.rowCount(); ++row) {
            QCOMPARE(model.revisionIndex(row), reversed.at(row));
            QCOMPARE(model.rowOf(reversed.at(row)), row);
        }

        // A new map replaces every row.
        model.setMap(mapOf(u"x\n"_s));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, RevisionListModel::RevisionColumn).data().toString(), u"x"_s);
    }

    void longLabelListsAreCounted()
    {
        RevisionListModel model;
        model.setMap(mapOf(labelledChain(40)));
        const int last = model.map().indexOf(u"r39"_s);
        const QStringList &labels = model.map().labels(last);
        QCOMPARE(labels.size(), 40);
        const QModelIndex cell = model.index(model.rowOf(last), RevisionListModel::LabelsColumn);
        const int shown = RevisionListModel::shownLabels;
        QCOMPARE(cell.data().toString(),
                 u"%1 and %2 more"_s.arg(labels.first(shown).join(u", "_s)).arg(40 - shown));
        // The tooltip lists more of them, and counts the rest too.
        const int inTip = RevisionListModel::shownLabelsInToolTip;
        QCOMPARE(cell.data(Qt::ToolTipRole).toString(),
                 u"%1 and %2 more"_s.arg(labels.first(inTip).join(u", "_s)).arg(40 - inTip));

        // One label over the limit is listed rather than counted as "and 1 more". (Labels propagate up a
        // chain as well as down: every revision of a chain has them all.)
        model.setMap(mapOf(labelledChain(shown + 1)));
        const int atLimit = model.map().indexOf(u"r%1"_s.arg(shown));
        QCOMPARE(model.map().labels(atLimit).size(), shown + 1);
        const QModelIndex full = model.index(model.rowOf(atLimit), RevisionListModel::LabelsColumn);
        QCOMPARE(full.data().toString(), model.map().labels(atLimit).join(u", "_s));
        QCOMPARE(full.data(Qt::ToolTipRole).toString(), u"list/versions/r%1.sql"_s.arg(shown));
    }
};

QTEST_GUILESS_MAIN(TestRevisionListModel)
#include "tst_revisionlistmodel.moc"
