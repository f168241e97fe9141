// SPDX-License-Identifier: MIT
#include "graph/databasestate.h"
#include "graph/revisionmap.h"
#include "revisions/graphlayout.h"
#include "revisions/graphoverview.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisiongraphview.h"

#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <memory>
#include <set>

using namespace Qt::StringLiterals;
using qmigrate::DatabaseState;
using qmigrate::GraphLayout;
using qmigrate::GraphOverview;
using qmigrate::Revision;
using qmigrate::RevisionGraphPanel;
using qmigrate::RevisionGraphView;
using qmigrate::RevisionMap;

// The overview strip beside the graph: its marks (heads, the database's current revisions, search matches)
// on the rows the graph draws, how they look, and scrolling the graph from it.
class TestGraphOverview : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void markers();
    void markerPixels();
    void clickAndDragScroll();

private:
    std::shared_ptr<const RevisionMap> m_map;
};

namespace {

using Kind = GraphOverview::MarkerKind;

QString idOf(int i)
{
    return u"%1"_s.arg(i, 12, 16, QLatin1Char('0'));
}

// The rows of the marks of one kind.
std::set<int> rowsOf(const std::vector<GraphOverview::Marker> &markers, Kind kind)
{
    std::set<int> rows;
    for (const GraphOverview::Marker &marker : markers) {
        if (marker.kind == kind)
            rows.insert(marker.row);
    }
    return rows;
}

} // namespace

void TestGraphOverview::initTestCase()
{
    // 600 revisions on a trunk, a side branch of 20 from revision 100 left unmerged (a second head).
    QList<Revision> revisions;
    for (int i = 0; i < 600; ++i) {
        Revision revision;
        revision.id = idOf(i);
        revision.message = u"step %1"_s.arg(i);
        if (i > 0)
            revision.downRevisions = {idOf(i - 1)};
        revisions.append(revision);
    }
    for (int i = 0; i < 20; ++i) {
        Revision side;
        side.id = u"5ide%1"_s.arg(i, 8, 10, QLatin1Char('0'));
        side.message = u"side %1"_s.arg(i);
        side.downRevisions = {i == 0 ? idOf(100) : u"5ide%1"_s.arg(i - 1, 8, 10, QLatin1Char('0'))};
        revisions.append(side);
    }
    auto map = RevisionMap::build(revisions);
    QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
    m_map = std::make_shared<const RevisionMap>(*map);
}

void TestGraphOverview::markers()
{
    RevisionGraphPanel panel;
    RevisionGraphView *view = panel.view();
    GraphOverview *overview = panel.overview();
    view->setGraph(m_map, GraphLayout::compute(*m_map));
    const auto drawnRow = [view](const QString &id) {
        return view->linearRuns().displayRowOf(view->layout().rowOf(view->map().indexOf(id)));
    };
    QCOMPARE(overview->rowCount(), view->displayRowCount());
    QVERIFY(view->displayRowCount() < 20); // collapsed
    QCOMPARE(rowsOf(overview->markers(), Kind::Head),
             (std::set<int>{drawnRow(idOf(599)), drawnRow(u"5ide00000019"_s)}));
    QVERIFY(rowsOf(overview->markers(), Kind::Current).empty());
    QVERIFY(rowsOf(overview->markers(), Kind::Match).empty());

    // The database at revision 300: its own row, in the middle of what was a run.
    view->setDatabaseState(DatabaseState(*m_map, {idOf(300)}), u"test"_s);
    QCOMPARE(overview->rowCount(), view->displayRowCount());
    QCOMPARE(rowsOf(overview->markers(), Kind::Current), (std::set<int>{drawnRow(idOf(300))}));
    QCOMPARE(rowsOf(overview->markers(), Kind::Head).size(), size_t(2));

    // Matches: one mark per drawn row, so the matches inside one collapsed run share one.
    view->setSearchText(u"side 1"_s); // side 1, side 10..19
    QCOMPARE(view->matchCount(), 11);
    std::set<int> expected;
    for (const int row : view->matchRows())
        expected.insert(view->linearRuns().displayRowOf(row));
    QCOMPARE(rowsOf(overview->markers(), Kind::Match), expected);
    QVERIFY(expected.size() < 11);
    QCOMPARE(size_t(std::count_if(overview->markers().begin(), overview->markers().end(),
                                  [](const auto &m) { return m.kind == Kind::Match; })),
             expected.size());

    // Without collapsing every match has its own row.
    panel.collapseButton()->click();
    QCOMPARE(overview->rowCount(), 620);
    QCOMPARE(rowsOf(overview->markers(), Kind::Match).size(), size_t(11));
    QCOMPARE(rowsOf(overview->markers(), Kind::Current),
             (std::set<int>{view->layout().rowOf(m_map->indexOf(idOf(300)))}));
    view->setSearchText({});
    QVERIFY(rowsOf(overview->markers(), Kind::Match).empty());
}

void TestGraphOverview::markerPixels()
{
    RevisionGraphPanel panel;
    RevisionGraphView *view = panel.view();
    GraphOverview *overview = panel.overview();
    panel.collapseButton()->click(); // 620 rows on a few hundred pixels
    view->setGraph(m_map, GraphLayout::compute(*m_map));
    view->setDatabaseState(DatabaseState(*m_map, {idOf(300)}), u"test"_s);
    view->setSearchText(u"step 450"_s);
    panel.resize(900, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QImage image = overview->grab().toImage();
    const auto colourAt = [&](int row, Kind kind) {
        return image.pixelColor(overview->markerRect(row, kind).center());
    };
    const int current = view->layout().rowOf(m_map->indexOf(idOf(300)));
    const int match = view->matchRows().front();
    QCOMPARE(colourAt(current, Kind::Current),
             GraphOverview::markerColour(Kind::Current, overview->palette()));
    QCOMPARE(colourAt(match, Kind::Match), GraphOverview::markerColour(Kind::Match, overview->palette()));
    QCOMPARE(colourAt(0, Kind::Head), GraphOverview::markerColour(Kind::Head, overview->palette()));
    // Rows without a mark of that kind show none.
    QVERIFY(colourAt(current, Kind::Match) != GraphOverview::markerColour(Kind::Match, overview->palette()));
    QVERIFY(colourAt(match, Kind::Current) !=
            GraphOverview::markerColour(Kind::Current, overview->palette()));
    // Marks are where their rows are, newest on top: the head, step 450, step 300.
    QVERIFY(overview->markerRect(0, Kind::Head).top() < overview->markerRect(match, Kind::Match).top());
    QVERIFY(overview->markerRect(match, Kind::Match).top() <
            overview->markerRect(current, Kind::Current).top());
    QVERIFY(overview->markerRect(current, Kind::Current).top() > overview->height() / 3);
}

void TestGraphOverview::clickAndDragScroll()
{
    RevisionGraphPanel panel;
    RevisionGraphView *view = panel.view();
    GraphOverview *overview = panel.overview();
    panel.collapseButton()->click();
    view->setGraph(m_map, GraphLayout::compute(*m_map));
    panel.resize(900, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(view->verticalScrollBar()->value(), 0);

    // A click near the bottom shows the bottom rows.
    QTest::mouseClick(overview, Qt::LeftButton, {}, QPoint(overview->width() / 2, overview->height() - 2));
    auto [first, count] = view->visibleRows();
    QVERIFY2(first + count >= overview->rowCount() - 2, qPrintable(u"%1 + %2"_s.arg(first).arg(count)));
    QCOMPARE(view->verticalScrollBar()->value(), view->verticalScrollBar()->maximum());

    // A drag to the middle follows the pointer.
    QTest::mousePress(overview, Qt::LeftButton, {}, QPoint(overview->width() / 2, overview->height() - 2));
    QMouseEvent move(QEvent::MouseMove, QPointF(overview->width() / 2, overview->height() / 2),
                     overview->mapToGlobal(QPointF(overview->width() / 2, overview->height() / 2)),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(overview, &move);
    QTest::mouseRelease(overview, Qt::LeftButton, {}, QPoint(overview->width() / 2, overview->height() / 2));
    std::tie(first, count) = view->visibleRows();
    const qreal middle = overview->rowCount() / 2.0;
    QVERIFY2(first < middle && middle < first + count, qPrintable(u"%1 + %2"_s.arg(first).arg(count)));

    // Scrolling the graph moves nothing but the frame: the marks stay.
    const auto markers = overview->markers();
    view->verticalScrollBar()->setValue(0);
    QCOMPARE(overview->markers(), markers);
}

QTEST_MAIN(TestGraphOverview)
#include "tst_graphoverview.moc"
