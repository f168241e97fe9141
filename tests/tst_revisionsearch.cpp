// SPDX-License-Identifier: MIT
#include "graph/revisionmap.h"
#include "revisions/graphlayout.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisiongraphview.h"
#include "revisions/revisionlistmodel.h"
#include "revisions/revisionlistview.h"
#include "revisions/revisionsearch.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include "graphfixture.h"

#include <memory>

using namespace Qt::StringLiterals;
using qmigrate::GraphLayout;
using qmigrate::RevisionGraphPanel;
using qmigrate::RevisionGraphView;
using qmigrate::RevisionListView;
using qmigrate::RevisionMap;
using qmigrate::RevisionSearch;

// The revision search: its rules (RevisionSearch), and the graph panel's search field, match count, stepping
// and filter driving the real widgets.
class TestRevisionSearch : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rules_data();
    void rules();
    void countAndStepping();
    void labelAtHeadAndPrefix();
    void escapeClearsAndReturnsToTheGraph();
    void filterShowsOnlyMatchesInTheList();
    void highlightIsPainted();

private:
    QStringList matchingIds(const QString &text) const;

    std::shared_ptr<const RevisionMap> m_map;
};

namespace {

// Two branches on a shared trunk: billing (labelled, three revisions) and audit (labelled, two).
const QString graph = uR"(a1b2c3d4e5f6 -- create accounts
b0000001 a1b2c3d4e5f6 -- add email to accounts
c0000001 b0000001 label:billing -- billing tables
c0000002 c0000001 -- invoices
c0000003 c0000002 -- Invoice numbers
d0000001 b0000001 label:audit -- audit log
d0000002 d0000001 -- audit retention
)"_s;

// The ids of the matching rows, top to bottom.
QStringList idsOfRows(const RevisionGraphView &view, const std::vector<int> &rows)
{
    QStringList ids;
    for (const int row : rows)
        ids.append(view.map().idOf(view.layout().rows()[size_t(row)].revision));
    return ids;
}

void showPanel(RevisionGraphPanel &panel, const std::shared_ptr<const RevisionMap> &map)
{
    panel.view()->setGraph(map, GraphLayout::compute(*map));
    panel.resize(1000, 500);
    panel.show();
    panel.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
}

} // namespace

void TestRevisionSearch::initTestCase()
{
    auto map = RevisionMap::build(parseGraph(u"search"_s, graph));
    QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
    m_map = std::make_shared<const RevisionMap>(*map);
}

QStringList TestRevisionSearch::matchingIds(const QString &text) const
{
    const std::vector<char> found = RevisionSearch::match(*m_map, text);
    QStringList ids;
    for (size_t index = 0; index < found.size(); ++index) {
        if (found[index])
            ids.append(m_map->idOf(int(index)));
    }
    ids.sort();
    return ids;
}

void TestRevisionSearch::rules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("ids");
    QTest::newRow("exact id") << u"c0000002"_s << QStringList{u"c0000002"_s};
    QTest::newRow("prefix, any case") << u"A1B2"_s << QStringList{u"a1b2c3d4e5f6"_s};
    QTest::newRow("short prefix") << u"d0"_s << QStringList{u"d0000001"_s, u"d0000002"_s};
    QTest::newRow("message, any case") << u"INVOICE"_s << QStringList{u"c0000002"_s, u"c0000003"_s};
    QTest::newRow("label, carried down the branch")
        << u"billing"_s << QStringList{u"c0000001"_s, u"c0000002"_s, u"c0000003"_s};
    QTest::newRow("label@head") << u"billing@head"_s << QStringList{u"c0000003"_s};
    QTest::newRow("label@base is nothing, not an error") << u"audit@base"_s << QStringList();
    QTest::newRow("heads") << u"heads"_s << QStringList{u"c0000003"_s, u"d0000002"_s};
    QTest::newRow("surrounding blanks") << u"  retention "_s << QStringList{u"d0000002"_s};
    QTest::newRow("relative steps are text") << u"-1"_s << QStringList();
    QTest::newRow("nothing") << u"no such thing"_s << QStringList();
}

void TestRevisionSearch::rules()
{
    QFETCH(QString, text);
    QFETCH(QStringList, ids);
    QCOMPARE(matchingIds(text), ids);
    // The kept search (case folded once) finds the same.
    const RevisionSearch search(m_map);
    for (int pass = 0; pass < 2; ++pass)
        QCOMPARE(search.match(text), RevisionSearch::match(*m_map, text));
    QVERIFY(RevisionSearch::match(*m_map, u"   "_s).empty());
}

void TestRevisionSearch::countAndStepping()
{
    RevisionGraphPanel panel;
    showPanel(panel, m_map);
    RevisionGraphView *view = panel.view();
    panel.startSearch();
    QTest::keyClicks(panel.searchField(), u"billing"_s);
    // Typing waits for a pause, then goes to the first match from the top.
    QTRY_COMPARE(panel.matchLabel()->text(), u"1 of 3"_s);
    const QStringList order = idsOfRows(*view, view->matchRows());
    QCOMPARE(order.size(), 3);
    QCOMPARE(view->selectedRevision(), order.at(0));

    QTest::keyClick(panel.searchField(), Qt::Key_Return);
    QCOMPARE(view->selectedRevision(), order.at(1));
    QCOMPARE(panel.matchLabel()->text(), u"2 of 3"_s);
    QTest::keyClick(panel.searchField(), Qt::Key_Enter);
    QCOMPARE(view->selectedRevision(), order.at(2));
    QTest::keyClick(panel.searchField(), Qt::Key_Return); // wraps
    QCOMPARE(view->selectedRevision(), order.at(0));
    QCOMPARE(panel.matchLabel()->text(), u"1 of 3"_s);
    QTest::keyClick(panel.searchField(), Qt::Key_Return, Qt::ShiftModifier); // wraps back
    QCOMPARE(view->selectedRevision(), order.at(2));
    QCOMPARE(panel.matchLabel()->text(), u"3 of 3"_s);

    // F3 and Shift+F3 from the graph as well.
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    QTest::keyClick(view, Qt::Key_F3);
    QCOMPARE(view->selectedRevision(), order.at(0));
    QTest::keyClick(view, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(view->selectedRevision(), order.at(2));

    // A selection off the matches: the count without a position, and the next match from there.
    view->selectRevision(u"a1b2c3d4e5f6"_s);
    QCOMPARE(panel.matchLabel()->text(), u"3 matches"_s);
    QTest::keyClick(view, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(view->currentMatch(), 3);

    // Enter before typing paused: the new text's first match, not the one after it.
    panel.searchField()->selectAll();
    QTest::keyClicks(panel.searchField(), u"zzz"_s);
    QTest::keyClick(panel.searchField(), Qt::Key_Return);
    QCOMPARE(panel.matchLabel()->text(), u"No match"_s);
    QVERIFY(!panel.searchField()->styleSheet().isEmpty());
    panel.searchField()->selectAll();
    QTest::keyClicks(panel.searchField(), u"invoice"_s);
    view->selectRevision(u"a1b2c3d4e5f6"_s);
    QTest::keyClick(panel.searchField(), Qt::Key_Return);
    const QStringList invoices = idsOfRows(*view, view->matchRows());
    QCOMPARE(invoices.size(), 2);
    QCOMPARE(view->selectedRevision(), invoices.at(0));
    QCOMPARE(panel.matchLabel()->text(), u"1 of 2"_s);
    QVERIFY(panel.searchField()->styleSheet().isEmpty());
}

void TestRevisionSearch::labelAtHeadAndPrefix()
{
    RevisionGraphPanel panel;
    showPanel(panel, m_map);
    panel.startSearch();
    QTest::keyClicks(panel.searchField(), u"audit@head"_s);
    QTest::keyClick(panel.searchField(), Qt::Key_Return);
    QCOMPARE(panel.view()->selectedRevision(), u"d0000002"_s);
    QCOMPARE(panel.matchLabel()->text(), u"1 of 1"_s);

    panel.searchField()->clear();
    QTest::keyClicks(panel.searchField(), u"C00000"_s);
    QTRY_COMPARE(panel.matchLabel()->text(), u"1 of 3"_s);
    QCOMPARE(idsOfRows(*panel.view(), panel.view()->matchRows()).size(), 3);
    QVERIFY(panel.view()->selectedRevision().startsWith(u"c00000"_s));
}

void TestRevisionSearch::escapeClearsAndReturnsToTheGraph()
{
    RevisionGraphPanel panel;
    showPanel(panel, m_map);
    panel.startSearch();
    QTRY_VERIFY(panel.searchField()->hasFocus());
    QTest::keyClicks(panel.searchField(), u"audit"_s);
    QTRY_COMPARE(panel.view()->matchCount(), 2);
    const QString selected = panel.view()->selectedRevision();
    QTest::keyClick(panel.searchField(), Qt::Key_Escape);
    QCOMPARE(panel.searchField()->text(), QString());
    QCOMPARE(panel.view()->matchCount(), 0);
    QCOMPARE(panel.matchLabel()->text(), QString());
    QTRY_VERIFY(panel.view()->hasFocus());
    QCOMPARE(panel.view()->selectedRevision(), selected); // the match found stays selected
}

void TestRevisionSearch::filterShowsOnlyMatchesInTheList()
{
    RevisionGraphPanel panel;
    RevisionListView list;
    list.setMap(m_map);
    connect(&panel, &RevisionGraphPanel::searchChanged, &list, &RevisionListView::setSearch);
    showPanel(panel, m_map);
    list.show();
    const auto visibleIds = [&list] {
        QStringList ids;
        for (int row = 0; row < list.revisionModel()->rowCount(); ++row) {
            if (!list.isRowHidden(row, {}))
                ids.append(list.revisionModel()->index(row, 0).data().toString());
        }
        ids.sort();
        return ids;
    };
    const QStringList all = visibleIds();
    QCOMPARE(all.size(), 7);

    panel.startSearch();
    QTest::keyClicks(panel.searchField(), u"audit"_s);
    QTRY_COMPARE(list.searchText(), u"audit"_s);
    // Highlighted, not yet filtered.
    QCOMPARE(visibleIds(), all);
    RevisionListModel *model = list.revisionModel();
    const int auditRow = model->rowOf(m_map->indexOf(u"d0000001"_s));
    const int otherRow = model->rowOf(m_map->indexOf(u"c0000001"_s));
    QVERIFY(model->index(auditRow, 0).data(RevisionListModel::SearchMatchRole).toBool());
    QCOMPARE(model->index(auditRow, 4).data(Qt::BackgroundRole).value<QColor>(),
             RevisionSearch::highlightColour(false));
    QVERIFY(!model->index(otherRow, 0).data(RevisionListModel::SearchMatchRole).toBool());
    QVERIFY(!model->index(otherRow, 0).data(Qt::BackgroundRole).isValid());

    QVERIFY(!panel.view()->dimsNonMatches());
    panel.filterButton()->click();
    QVERIFY(panel.isFiltering());
    QVERIFY(list.isFiltered());
    // The graph keeps every row, the others greyed.
    QVERIFY(panel.view()->dimsNonMatches());
    QCOMPARE(panel.view()->layout().rows().size(), size_t(7));
    QCOMPARE(visibleIds(), (QStringList{u"d0000001"_s, u"d0000002"_s}));

    // A new search re-filters; a reloaded map keeps the filter.
    panel.searchField()->selectAll();
    QTest::keyClicks(panel.searchField(), u"heads"_s);
    QTRY_COMPARE(visibleIds(), (QStringList{u"c0000003"_s, u"d0000002"_s}));
    list.setMap(std::make_shared<const RevisionMap>(*m_map));
    QCOMPARE(visibleIds(), (QStringList{u"c0000003"_s, u"d0000002"_s}));

    panel.filterButton()->click();
    QVERIFY(!list.isFiltered());
    QVERIFY(!panel.view()->dimsNonMatches());
    QCOMPARE(visibleIds(), all);
    // Filtering with nothing searched hides nothing.
    panel.filterButton()->click();
    panel.searchField()->clear();
    QTRY_COMPARE(list.searchText(), QString());
    QCOMPARE(visibleIds(), all);
}

void TestRevisionSearch::highlightIsPainted()
{
    RevisionGraphPanel panel;
    showPanel(panel, m_map);
    RevisionGraphView *view = panel.view();
    view->setSearchText(u"retention"_s);
    QCOMPARE(view->matchCount(), 1);
    const int match = view->matchRows().front();
    const int other = match == 0 ? 1 : 0;
    // Right of the text, where only the band is.
    const auto pixel = [view](int row) {
        const QPointF at(view->viewport()->width() - 4, view->rowRect(row).center().y());
        const QPoint point = view->mapFromScene(QPointF(0, at.y()));
        return view->grab().toImage().pixelColor(QPoint(int(at.x()), point.y()) + view->viewport()->pos());
    };
    QCOMPARE(pixel(match), RevisionSearch::highlightColour(false));
    QVERIFY(pixel(other) != RevisionSearch::highlightColour(false));
    // The selected match: the selection's band, not blue over yellow (which reads as green).
    view->stepMatch();
    QCOMPARE(view->selectedRow(), match);
    const QColor selected = pixel(match);
    QVERIFY(selected != RevisionSearch::highlightColour(false));
    QVERIFY2(selected.blue() > selected.green() && selected.blue() > selected.red(),
             qPrintable(selected.name()));
    // A dark palette has a darker band, for light text.
    QPalette dark = view->palette();
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    view->setPalette(dark);
    view->selectRevision(u"a1b2c3d4e5f6"_s);
    QCOMPARE(pixel(match), RevisionSearch::highlightColour(true));
    QVERIFY(RevisionSearch::highlightColour(true).lightnessF() < 0.5);
    view->setSearchText({});
    QVERIFY(pixel(match) != RevisionSearch::highlightColour(true));
}

QTEST_MAIN(TestRevisionSearch)
#include "tst_revisionsearch.moc"
