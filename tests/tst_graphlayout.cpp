// SPDX-License-Identifier: MIT
#include "graph/revisionmap.h"
#include "revisions/graphlayout.h"
#include "revisions/linearruns.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QRandomGenerator>
#include <QTest>

#include "graphfixture.h"

#include <algorithm>
#include <map>
#include <set>

using namespace Qt::StringLiterals;
using qmigrate::GraphLayout;
using qmigrate::GraphRow;
using qmigrate::LaneType;
using qmigrate::Revision;
using qmigrate::RevisionMap;

namespace {

bool isNodeType(LaneType t)
{
    return t == LaneType::Active || t == LaneType::Branch || t == LaneType::Initial ||
           t == LaneType::MergeFork || t == LaneType::MergeForkL || t == LaneType::MergeForkR;
}

bool isOneOf(LaneType t, std::initializer_list<LaneType> types)
{
    return std::find(types.begin(), types.end(), t) != types.end();
}

LaneType laneAt(const GraphRow &row, int lane)
{
    return lane >= 0 && size_t(lane) < row.lanes.size() ? row.lanes[size_t(lane)] : LaneType::Empty;
}

// Branches are chains along first parents, one child continuing each parent's line, and every lane carries
// the branch of the line it draws: the child's below a first-parent edge, the merged parent's on a lane
// opened for a merge.
QString checkBranches(const RevisionMap &map, const GraphLayout &layout)
{
    const auto &rows = layout.rows();
    std::map<int, int> continuations;
    for (int i = 0; i < map.size(); ++i) {
        const int branch = layout.branchOf(i);
        if (branch == i)
            continue;
        const auto parents = map.parents(i);
        if (parents.empty() || layout.branchOf(parents.front()) != branch)
            return u"%1 is on the branch of %2, not its first parent's"_s.arg(map.idOf(i), map.idOf(branch));
        if (++continuations[parents.front()] > 1)
            return u"two children continue the line of %1"_s.arg(map.idOf(parents.front()));
    }
    for (size_t row = 0; row < rows.size(); ++row) {
        const GraphRow &r = rows[row];
        if (r.laneBranches.size() != r.lanes.size())
            return u"row %1: %2 branches for %3 lanes"_s.arg(row)
                .arg(r.laneBranches.size())
                .arg(r.lanes.size());
        for (size_t lane = 0; lane < r.lanes.size(); ++lane) {
            const bool empty = isOneOf(r.lanes[lane], {LaneType::Empty, LaneType::CrossEmpty});
            if (empty != (r.laneBranches[lane] < 0))
                return u"row %1 lane %2: branch %3 on %4"_s.arg(row)
                    .arg(lane)
                    .arg(r.laneBranches[lane])
                    .arg(GraphLayout::describeLanes(r));
        }
    }
    for (const auto &edge : layout.edges()) {
        const bool merge = map.parents(edge.child).front() != edge.parent;
        const bool opened =
            isOneOf(laneAt(rows[size_t(edge.childRow)], edge.lane), {LaneType::Head, LaneType::HeadR});
        if (merge && !opened)
            continue; // a Join: the lane is another child's
        const int expected = layout.branchOf(merge ? edge.parent : edge.child);
        for (int row = merge ? edge.childRow : edge.childRow + 1; row <= edge.parentRow; ++row) {
            if (rows[size_t(row)].laneBranches[size_t(edge.lane)] != expected)
                return u"edge %1 -> %2: lane %3 in row %4 carries %5, not %6"_s.arg(
                    map.idOf(edge.child), map.idOf(edge.parent), QString::number(edge.lane),
                    QString::number(row), QString::number(rows[size_t(row)].laneBranches[size_t(edge.lane)]),
                    map.idOf(expected));
        }
    }
    return {};
}

// Every depends_on edge once, tracks never shared by edges crossing the same row, and the row query agreeing
// with a scan of all edges.
QString checkDependencies(const RevisionMap &map, const GraphLayout &layout)
{
    std::multiset<std::pair<int, int>> expected;
    for (int i = 0; i < map.size(); ++i) {
        for (const int dependency : map.dependencies(i))
            expected.insert({i, dependency});
    }
    const auto &edges = layout.dependencyEdges();
    std::multiset<std::pair<int, int>> drawn;
    for (const auto &edge : edges) {
        drawn.insert({edge.revision, edge.dependency});
        if (edge.fromRow != layout.rowOf(edge.revision) || edge.toRow != layout.rowOf(edge.dependency))
            return u"dependency %1 -> %2: wrong rows"_s.arg(map.idOf(edge.revision),
                                                            map.idOf(edge.dependency));
        if (edge.track < 0 || edge.track >= layout.dependencyTrackCount())
            return u"dependency %1 -> %2: track %3"_s.arg(map.idOf(edge.revision), map.idOf(edge.dependency))
                .arg(edge.track);
    }
    if (drawn != expected)
        return u"%1 dependency edges for %2 depends_on entries"_s.arg(drawn.size()).arg(expected.size());
    for (size_t a = 0; a < edges.size(); ++a) {
        for (size_t b = a + 1; b < edges.size(); ++b) {
            if (edges[a].track == edges[b].track && edges[a].topRow() <= edges[b].bottomRow() &&
                edges[b].topRow() <= edges[a].bottomRow())
                return u"dependencies %1 -> %2 and %3 -> %4 share track %5"_s
                    .arg(map.idOf(edges[a].revision), map.idOf(edges[a].dependency),
                         map.idOf(edges[b].revision), map.idOf(edges[b].dependency))
                    .arg(edges[a].track);
        }
    }
    const int rows = int(layout.rows().size());
    for (int first = 0; first < rows; first += 7) {
        for (const int last : {first, first + 3, first + 70, rows - 1}) {
            std::vector<int> scanned;
            for (size_t i = 0; i < edges.size(); ++i) {
                if (edges[i].bottomRow() >= first && edges[i].topRow() <= last)
                    scanned.push_back(int(i));
            }
            std::vector<int> found = layout.dependencyEdgesIn(first, last);
            std::sort(found.begin(), found.end());
            if (found != scanned)
                return u"rows %1..%2: %3 dependency edges found, %4 cross them"_s.arg(first)
                    .arg(last)
                    .arg(found.size())
                    .arg(scanned.size());
        }
    }
    return {};
}

// The guarantees in docs/revision-graph-layout.md; returns what is broken, or an empty string.
QString checkLayout(const RevisionMap &map, const GraphLayout &layout)
{
    const auto &rows = layout.rows();
    if (qsizetype(rows.size()) != map.size())
        return u"%1 rows for %2 revisions"_s.arg(rows.size()).arg(map.size());
    for (size_t row = 0; row < rows.size(); ++row) {
        const GraphRow &r = rows[row];
        const QString id = map.idOf(r.revision);
        if (layout.rowOf(r.revision) != int(row))
            return u"%1: rowOf %2, shown in row %3"_s.arg(id).arg(layout.rowOf(r.revision)).arg(row);
        if (!isNodeType(laneAt(r, r.lane)))
            return u"%1: its lane %2 is %3"_s.arg(id).arg(r.lane).arg(GraphLayout::describeLanes(r));
        for (size_t lane = 0; lane < r.lanes.size(); ++lane) {
            if (int(lane) != r.lane && isNodeType(r.lanes[lane]))
                return u"%1: a second node in lane %2: %3"_s.arg(id).arg(lane).arg(
                    GraphLayout::describeLanes(r));
        }
        for (const int parent : map.parents(r.revision)) {
            if (layout.rowOf(parent) <= int(row))
                return u"%1 is not above its parent %2"_s.arg(id, map.idOf(parent));
        }
    }
    std::map<std::pair<int, int>, int> expected;
    for (int i = 0; i < map.size(); ++i) {
        for (const int parent : map.parents(i))
            ++expected[{i, parent}];
    }
    for (const auto &edge : layout.edges()) {
        const QString name = u"edge %1 -> %2"_s.arg(map.idOf(edge.child), map.idOf(edge.parent));
        if (--expected[{edge.child, edge.parent}] < 0)
            return name + u" drawn twice or not a parent edge"_s;
        if (edge.childRow != layout.rowOf(edge.child) || edge.parentRow != layout.rowOf(edge.parent))
            return name + u": wrong rows"_s;
        const GraphRow &childRow = rows[size_t(edge.childRow)];
        const GraphRow &parentRow = rows[size_t(edge.parentRow)];
        if (edge.childLane != childRow.lane || edge.parentLane != parentRow.lane)
            return name + u": wrong end lanes"_s;
        if (edge.lane != edge.childLane &&
            !isOneOf(laneAt(childRow, edge.lane),
                     {LaneType::Join, LaneType::JoinL, LaneType::JoinR, LaneType::Head, LaneType::HeadR}))
            return name + u": lane %1 not opened at the child: %2"_s.arg(edge.lane).arg(
                              GraphLayout::describeLanes(childRow));
        for (int row = edge.childRow + 1; row < edge.parentRow; ++row) {
            const GraphRow &between = rows[size_t(row)];
            if (between.lane == edge.lane)
                return name + u" passes through the node of %1"_s.arg(map.idOf(between.revision));
            if (!isOneOf(laneAt(between, edge.lane), {LaneType::NotActive, LaneType::Cross, LaneType::Join,
                                                      LaneType::JoinL, LaneType::JoinR}))
                return name + u": lane %1 not drawn in the row of %2: %3"_s.arg(edge.lane).arg(
                                  map.idOf(between.revision), GraphLayout::describeLanes(between));
        }
        if (edge.lane != edge.parentLane &&
            !isOneOf(laneAt(parentRow, edge.lane), {LaneType::Tail, LaneType::TailL, LaneType::TailR}))
            return name + u": lane %1 does not end in the parent: %2"_s.arg(edge.lane).arg(
                              GraphLayout::describeLanes(parentRow));
    }
    // Every lane drawn across a row carries an edge: no lane runs on after its last revision.
    std::set<std::pair<int, int>> carried;
    for (const auto &edge : layout.edges()) {
        for (int row = edge.childRow + 1; row < edge.parentRow; ++row)
            carried.insert({row, edge.lane});
    }
    for (size_t row = 0; row < rows.size(); ++row) {
        for (size_t lane = 0; lane < rows[row].lanes.size(); ++lane) {
            if (isOneOf(rows[row].lanes[lane], {LaneType::NotActive, LaneType::Cross}) &&
                !carried.count({int(row), int(lane)}))
                return u"lane %1 drawn in the row of %2 without an edge: %3"_s.arg(lane).arg(
                    map.idOf(rows[row].revision), GraphLayout::describeLanes(rows[row]));
        }
    }
    for (const auto &[key, count] : expected) {
        if (count > 0)
            return u"edge %1 -> %2 missing"_s.arg(map.idOf(key.first), map.idOf(key.second));
    }
    return checkBranches(map, layout);
}

// A random DAG: several bases, branches, merges of 2 or 3 parents, depends_on to older revisions.
QList<Revision> randomGraph(QRandomGenerator &random, int size)
{
    QList<Revision> created;
    for (int i = 0; i < size; ++i) {
        Revision revision;
        revision.id = u"r%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        const int roll = int(random.bounded(100));
        if (i > 0 && roll >= 8) {
            const int window = std::min(i, roll < 70 ? 4 : i);
            revision.downRevisions.append(created.at(i - 1 - int(random.bounded(window))).id);
            if (roll >= 85 && i > 2) {
                const int extra = roll >= 95 ? 2 : 1;
                for (int k = 0; k < extra; ++k) {
                    const QString other = created.at(int(random.bounded(i))).id;
                    if (!revision.downRevisions.contains(other))
                        revision.downRevisions.append(other);
                }
            }
        }
        if (i > 1 && random.bounded(100) < 15)
            revision.dependsOn.append(created.at(int(random.bounded(i))).id);
        revision.message = revision.id;
        created.append(revision);
    }
    for (qsizetype i = created.size() - 1; i > 0; --i)
        created.swapItemsAt(i, random.bounded(i + 1));
    return created;
}

QString laneDir()
{
    return QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/lanes"_s;
}

QString graphDir()
{
    return QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/graphs"_s;
}

} // namespace

class TestGraphLayout : public QObject
{
    Q_OBJECT

private slots:
    void workedExamples_data();
    void workedExamples();
    void graphCases_data();
    void graphCases();
    void randomDags();
    void lanesAreReused();
    void forestReusesTheFreedLane();
    void edgeKinds();
    void branchesSurviveANewBranch();
    void dependencyTracks();
    void empty();
    void large();
    void linearRuns();
};

void TestGraphLayout::workedExamples_data()
{
    QTest::addColumn<QString>("caseName");
    const QStringList cases = QDir(laneDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(cases.size() >= 3);
    for (const QString &name : cases)
        QTest::newRow(name.toUtf8().constData()) << name;
}

// expected.txt: one line per row, top to bottom: "<id> <active lane> [<lane states>]"; the rows are laid out
// in that order.
void TestGraphLayout::workedExamples()
{
    QFETCH(QString, caseName);
    const QString dir = laneDir() + u'/' + caseName;
    auto map = RevisionMap::build(parseGraph(caseName, readFile(dir + u"/graph.txt"_s)));
    QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
    const QStringList expected =
        readFile(dir + u"/expected.txt"_s).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QList<int> order;
    for (const QString &line : expected)
        order.append(map->indexOf(line.section(QLatin1Char(' '), 0, 0)));
    QVERIFY(!order.contains(-1));
    const GraphLayout layout = GraphLayout::compute(*map, order);
    QStringList actual;
    for (const GraphRow &row : layout.rows())
        actual.append(
            u"%1 %2 %3"_s.arg(map->idOf(row.revision)).arg(row.lane).arg(GraphLayout::describeLanes(row)));
    QCOMPARE(actual, expected);
    QCOMPARE(checkLayout(*map, layout), QString());
}

void TestGraphLayout::graphCases_data()
{
    QTest::addColumn<QString>("caseName");
    const QStringList cases = QDir(graphDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(cases.size() > 10);
    for (const QString &name : cases) {
        if (!name.startsWith(u"invalid_"_s))
            QTest::newRow(name.toUtf8().constData()) << name;
    }
}

void TestGraphLayout::graphCases()
{
    QFETCH(QString, caseName);
    auto map =
        RevisionMap::build(parseGraph(caseName, readFile(graphDir() + u'/' + caseName + u"/graph.txt"_s)));
    QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
    const GraphLayout layout = GraphLayout::compute(*map);
    QCOMPARE(checkLayout(*map, layout), QString());
    // history() order: the rows are exactly "alembic history" top-down.
    QList<int> rows;
    for (const GraphRow &row : layout.rows())
        rows.append(row.revision);
    QCOMPARE(rows, map->history());
}

void TestGraphLayout::randomDags()
{
    QRandomGenerator random(20261124);
    for (int i = 0; i < 1500; ++i) {
        const int size = 1 + int(random.bounded(60));
        auto map = RevisionMap::build(randomGraph(random, size));
        QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
        const GraphLayout layout = GraphLayout::compute(*map);
        QString problem = checkLayout(*map, layout);
        if (problem.isEmpty())
            problem = checkDependencies(*map, layout);
        if (!problem.isEmpty())
            QFAIL(qPrintable(u"graph %1: %2"_s.arg(i).arg(problem)));
    }
}

// A trunk where every revision is a branch point whose two children are merged again: two lanes, however
// long.
void TestGraphLayout::lanesAreReused()
{
    QList<Revision> revisions;
    auto add = [&](const QString &id, const QStringList &parents) {
        Revision revision;
        revision.id = id;
        revision.downRevisions = parents;
        revisions.append(revision);
    };
    add(u"a0"_s, {});
    for (int i = 0; i < 200; ++i) {
        const QString a = u"a%1"_s.arg(i);
        add(u"b%1"_s.arg(i), {a});
        add(u"c%1"_s.arg(i), {a});
        add(u"a%1"_s.arg(i + 1), {u"b%1"_s.arg(i), u"c%1"_s.arg(i)});
    }
    auto map = RevisionMap::build(revisions);
    QVERIFY(map);
    const GraphLayout layout = GraphLayout::compute(*map);
    QCOMPARE(checkLayout(*map, layout), QString());
    QCOMPARE(layout.laneCount(), 3);
}

// Chains laid out one after the other: each base frees its lane for the next chain's head.
void TestGraphLayout::forestReusesTheFreedLane()
{
    QList<Revision> revisions;
    QList<int> order;
    for (int chain = 0; chain < 20; ++chain) {
        for (int k = 0; k < 3; ++k) {
            Revision revision;
            revision.id = u"c%1x%2"_s.arg(chain).arg(k);
            if (k > 0)
                revision.downRevisions = {u"c%1x%2"_s.arg(chain).arg(k - 1)};
            revisions.append(revision);
        }
    }
    auto map = RevisionMap::build(revisions);
    QVERIFY(map);
    for (int chain = 0; chain < 20; ++chain) {
        for (int k = 2; k >= 0; --k)
            order.append(map->indexOf(u"c%1x%2"_s.arg(chain).arg(k)));
    }
    const GraphLayout layout = GraphLayout::compute(*map, order);
    QCOMPARE(checkLayout(*map, layout), QString());
    QCOMPARE(layout.laneCount(), 1);
    QCOMPARE(GraphLayout::describeLanes(layout.rows().at(3)), u"[BRANCH]"_s);
}

// The feature branch of docs/revision-graph-layout.md, laid out in history() order.
void TestGraphLayout::edgeKinds()
{
    const QString dir = laneDir() + u"/feature_branch"_s;
    auto map = RevisionMap::build(parseGraph(u"feature_branch"_s, readFile(dir + u"/graph.txt"_s)));
    QVERIFY(map);
    QList<int> order;
    for (const QString &id : {u"M"_s, u"B2"_s, u"A2"_s, u"B1"_s, u"A1"_s, u"F"_s, u"R"_s})
        order.append(map->indexOf(id));
    const GraphLayout layout = GraphLayout::compute(*map, order);
    QStringList edges;
    for (const auto &edge : layout.edges()) {
        const QString kind = edge.kind == qmigrate::GraphEdge::Kind::Merge    ? u"merge"_s
                             : edge.kind == qmigrate::GraphEdge::Kind::Branch ? u"branch"_s
                                                                              : u"straight"_s;
        edges.append(u"%1->%2 %3 %4/%5/%6"_s.arg(map->idOf(edge.child), map->idOf(edge.parent), kind)
                         .arg(edge.childLane)
                         .arg(edge.lane)
                         .arg(edge.parentLane));
    }
    const QStringList expected = {u"M->A2 straight 0/0/0"_s,  u"M->B2 merge 0/1/1"_s,
                                  u"B2->B1 straight 1/1/1"_s, u"A2->A1 straight 0/0/0"_s,
                                  u"B1->F branch 1/1/0"_s,    u"A1->F straight 0/0/0"_s,
                                  u"F->R straight 0/0/0"_s};
    QCOMPARE(edges, expected);
}

// A branch keeps its identity (and so its colour) when another branch is added anywhere: the newcomer never
// takes over a line, even when it loads first.
void TestGraphLayout::branchesSurviveANewBranch()
{
    auto build = [](const QString &text, const QMap<QString, QString> &dates) {
        QList<Revision> revisions = parseGraph(u"stable"_s, text);
        for (Revision &revision : revisions)
            revision.createDate = dates.value(revision.id).toUtf8();
        return RevisionMap::build(revisions);
    };
    const QMap<QString, QString> dates = {
        {u"base"_s, u"2024-01-01 10:00:00"_s}, {u"a"_s, u"2024-01-02 10:00:00"_s},
        {u"b"_s, u"2024-01-03 10:00:00"_s},    {u"c"_s, u"2024-01-04 10:00:00"_s},
        {u"s1"_s, u"2024-01-05 10:00:00"_s},   {u"s2"_s, u"2024-01-06 10:00:00"_s},
        {u"n1"_s, u"2024-02-01 10:00:00"_s},   {u"n2"_s, u"2024-02-02 10:00:00"_s},
        {u"m1"_s, u"2024-02-03 10:00:00"_s}};
    const QString before = u"base\na base\nb a\nc b\ns1 a\ns2 s1\n"_s;
    // Loaded first, as a file whose name sorts first would be: a new line from b, and an unlabelled one from
    // the base.
    const QString after = u"n1 b\nn2 n1\nm1 base\n"_s + before;
    auto old = build(before, dates);
    auto grown = build(after, dates);
    QVERIFY(old);
    QVERIFY(grown);
    const GraphLayout oldLayout = GraphLayout::compute(*old);
    const GraphLayout grownLayout = GraphLayout::compute(*grown);
    QCOMPARE(checkLayout(*grown, grownLayout), QString());
    auto branch = [](const RevisionMap &map, const GraphLayout &layout, const QString &id) {
        return map.idOf(layout.branchOf(map.indexOf(id)));
    };
    for (const QString &id : {u"base"_s, u"a"_s, u"b"_s, u"c"_s, u"s1"_s, u"s2"_s})
        QCOMPARE(branch(*grown, grownLayout, id), branch(*old, oldLayout, id));
    QCOMPARE(branch(*old, oldLayout, u"c"_s), u"base"_s);
    QCOMPARE(branch(*old, oldLayout, u"s2"_s), u"s1"_s);
    QCOMPARE(branch(*grown, grownLayout, u"n2"_s), u"n1"_s);
    QCOMPARE(branch(*grown, grownLayout, u"m1"_s), u"m1"_s);

    // Without dates, a child declaring a branch label starts a branch, even when it loads first.
    auto labelled = RevisionMap::build(parseGraph(u"stable"_s, u"x a label:feature\nbase\na base\nb a\n"_s));
    QVERIFY(labelled);
    const GraphLayout labelledLayout = GraphLayout::compute(*labelled);
    QCOMPARE(branch(*labelled, labelledLayout, u"b"_s), u"base"_s);
    QCOMPARE(branch(*labelled, labelledLayout, u"x"_s), u"x"_s);
}

// depends_on edges get gutter tracks; edges crossing the same rows get different ones.
void TestGraphLayout::dependencyTracks()
{
    auto map = RevisionMap::build(
        parseGraph(u"deps"_s, u"base\na base\nb a\nc b dep:base\nd c dep:a\ne d dep:d\n"_s));
    QVERIFY(map);
    const GraphLayout layout = GraphLayout::compute(*map);
    QCOMPARE(checkDependencies(*map, layout), QString());
    QCOMPARE(layout.dependencyEdges().size(), size_t(3));
    // Rows e d c b a base: d -> a and c -> base overlap, e -> d shares d's row with d -> a, and takes the
    // track c -> base leaves free above c.
    QCOMPARE(layout.dependencyTrackCount(), 2);
    auto edgesIn = [&](int first, int last) {
        QStringList found;
        for (const int index : layout.dependencyEdgesIn(first, last)) {
            const auto &edge = layout.dependencyEdges()[size_t(index)];
            found.append(map->idOf(edge.revision) + u"->"_s + map->idOf(edge.dependency));
        }
        found.sort();
        return found;
    };
    const int rowOfBase = layout.rowOf(map->indexOf(u"base"_s));
    QCOMPARE(edgesIn(rowOfBase, rowOfBase), QStringList{u"c->base"_s});
    QCOMPARE(edgesIn(0, 0), QStringList{u"e->d"_s});
    QCOMPARE(edgesIn(0, rowOfBase), (QStringList{u"c->base"_s, u"d->a"_s, u"e->d"_s}));
    QVERIFY(edgesIn(rowOfBase + 1, rowOfBase + 5).isEmpty());
    QCOMPARE(GraphLayout::compute(RevisionMap()).dependencyTrackCount(), 0);
}

void TestGraphLayout::empty()
{
    const GraphLayout layout = GraphLayout::compute(RevisionMap());
    QVERIFY(layout.rows().empty());
    QVERIFY(layout.edges().empty());
    QCOMPARE(layout.laneCount(), 0);
    QCOMPARE(layout.rowOf(0), -1);
}

void TestGraphLayout::large()
{
    QList<Revision> revisions;
    QString previous;
    QString side;
    for (int i = 0; i < 10000; ++i) {
        Revision revision;
        revision.id = u"%1"_s.arg(i, 12, 16, QLatin1Char('0'));
        if (!previous.isEmpty())
            revision.downRevisions.append(previous);
        if (i % 50 == 10)
            side = previous;
        else if (i % 50 == 20 && !side.isEmpty())
            revision.downRevisions.append(side);
        previous = revision.id;
        revisions.append(revision);
    }
    auto map = RevisionMap::build(revisions);
    QVERIFY(map);
    const QList<int> order = map->history();
    QElapsedTimer timer;
    timer.start();
    const GraphLayout layout = GraphLayout::compute(*map, order);
    qInfo("10,000 revisions laid out in %lld ms, %d lanes", qint64(timer.elapsed()), layout.laneCount());
    QCOMPARE(checkLayout(*map, layout), QString());
    QCOMPARE(layout.rows().size(), size_t(10000));
}

// Long chains of one-parent, one-child revisions on consecutive rows of one lane, and the rows left when
// they are collapsed.
void TestGraphLayout::linearRuns()
{
    using qmigrate::LinearRuns;
    // A trunk of 14 with a branch point at t3 (side branch s1..s10, a head) and a depends_on at t12.
    QString text = u"t0\n"_s;
    for (int i = 1; i < 14; ++i)
        text += u"t%1 t%2%3\n"_s.arg(i).arg(i - 1).arg(i == 12 ? u" dep:t10"_s : QString());
    text += u"s1 t3 label:side\n"_s;
    for (int i = 2; i <= 10; ++i)
        text += u"s%1 s%2\n"_s.arg(i).arg(i - 1);
    auto map = RevisionMap::build(parseGraph(u"runs"_s, text));
    QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
    const GraphLayout layout = GraphLayout::compute(*map);
    const auto idsOf = [&](const LinearRuns::Run &run) {
        QStringList ids;
        for (int row = run.first; row <= run.last; ++row)
            ids.append(map->idOf(layout.rows()[size_t(row)].revision));
        return ids;
    };
    const auto runIds = [&](const LinearRuns &runs) {
        QList<QStringList> all;
        for (const LinearRuns::Run &run : runs.runs())
            all.append(idsOf(run));
        return all;
    };

    // s10 is a head and s1 declares a label: s2..s9 is the only run of at least 8; t4..t9 is too short
    // (t10 is depended on, t12 depends), t0..t2 ends at the base.
    LinearRuns runs = LinearRuns::find(*map, layout, {}, 8);
    QList<QStringList> expected{{u"s9"_s, u"s8"_s, u"s7"_s, u"s6"_s, u"s5"_s, u"s4"_s, u"s3"_s, u"s2"_s}};
    QCOMPARE(runIds(runs), expected);
    QCOMPARE(runs.displayRowCount(), int(layout.rows().size()) - 7);
    const LinearRuns::Run run = runs.runs().front();
    for (int row = run.first; row <= run.last; ++row) {
        QVERIFY(runs.isHidden(row));
        QCOMPARE(runs.displayRowOf(row), run.first);
        QCOMPARE(layout.rows()[size_t(row)].lanes, layout.rows()[size_t(run.first)].lanes);
    }
    QCOMPARE(runs.collapsedRunAt(run.first), 0);
    QCOMPARE(runs.firstRowOf(run.first), run.first);
    QCOMPARE(runs.lastRowOf(run.first), run.last);
    // The rows after the run move up by its length less one, and map back.
    for (int row = run.last + 1; row < int(layout.rows().size()); ++row) {
        QCOMPARE(runs.displayRowOf(row), row - (run.length() - 1));
        QCOMPARE(runs.firstRowOf(runs.displayRowOf(row)), row);
        QCOMPARE(runs.collapsedRunAt(runs.displayRowOf(row)), -1);
    }
    runs.setCollapsed(0, false);
    QCOMPARE(runs.displayRowCount(), int(layout.rows().size()));
    QVERIFY(!runs.isHidden(run.first + 1));
    QCOMPARE(runs.collapsedRunAt(run.first), -1);

    // Shorter runs count with a lower minimum; a pinned revision splits one.
    runs = LinearRuns::find(*map, layout, {}, 3);
    // t1..t2, two, stays short.
    expected = {{u"s9"_s, u"s8"_s, u"s7"_s, u"s6"_s, u"s5"_s, u"s4"_s, u"s3"_s, u"s2"_s},
                {u"t9"_s, u"t8"_s, u"t7"_s, u"t6"_s, u"t5"_s, u"t4"_s}};
    QCOMPARE(runIds(runs).size(), 2);
    QCOMPARE(runIds(runs).front(), expected.at(0));
    QCOMPARE(runIds(runs).back(), expected.at(1));
    std::vector<char> pinned(size_t(map->size()), 0);
    pinned[size_t(map->indexOf(u"s5"_s))] = 1;
    runs = LinearRuns::find(*map, layout, pinned, 3);
    QCOMPARE(runIds(runs).front(), (QStringList{u"s9"_s, u"s8"_s, u"s7"_s, u"s6"_s}));
    QCOMPARE(runIds(runs).at(1), (QStringList{u"s4"_s, u"s3"_s, u"s2"_s}));

    // Nothing to collapse in an empty graph.
    const RevisionMap empty;
    const LinearRuns none = LinearRuns::find(empty, GraphLayout::compute(empty));
    QCOMPARE(none.displayRowCount(), 0);
    QVERIFY(none.runs().empty());
}

QTEST_GUILESS_MAIN(TestGraphLayout)
#include "tst_graphlayout.moc"
