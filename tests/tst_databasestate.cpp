// SPDX-License-Identifier: MIT
#include "graph/databasestate.h"
#include "graph/revisionmap.h"
#include "graphfixture.h"

#include <QTest>

using namespace Qt::StringLiterals;
using qmigrate::DatabaseState;
using qmigrate::RevisionMap;

namespace {

// a - b - c - d (merge of c and y), a - x - y; z depends on b; w is a lone base.
const auto graph = u"a\n"
                   u"b a\n"
                   u"c b\n"
                   u"x a\n"
                   u"y x\n"
                   u"d c y\n"
                   u"z dep:b\n"
                   u"w\n"_s;

RevisionMap buildMap()
{
    auto map = RevisionMap::build(parseGraph(u"state"_s, graph));
    if (!map)
        qFatal("%s", qPrintable(map.error().toString()));
    return *map;
}

// "a:applied b:current …" over the given ids, for readable comparisons.
QString describe(const RevisionMap &map, const std::vector<DatabaseState::Node> &states)
{
    QStringList parts;
    for (const QString &id : {u"a"_s, u"b"_s, u"c"_s, u"x"_s, u"y"_s, u"d"_s, u"z"_s, u"w"_s})
        parts.append(id + u':' + DatabaseState::nodeName(states[size_t(map.indexOf(id))]));
    return parts.join(u' ');
}

QStringList ids(const RevisionMap &map, const QList<int> &indices)
{
    QStringList result;
    for (const int index : indices)
        result.append(map.idOf(index));
    return result;
}

} // namespace

class TestDatabaseState : public QObject
{
    Q_OBJECT

private slots:
    void states_data();
    void states();
    void unknownRows();
    void noStateKnown();
};

void TestDatabaseState::states_data()
{
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("current");
    QTest::addColumn<QString>("expected");

    QTest::newRow("empty database, no target")
        << QStringList() << QString() << QStringList()
        << u"a:pending b:pending c:pending x:pending y:pending d:pending z:pending w:pending"_s;
    QTest::newRow("empty database, target c")
        << QStringList() << u"c"_s << QStringList()
        << u"a:pending b:pending c:pending x:off-path y:off-path d:off-path z:off-path w:off-path"_s;
    QTest::newRow("at c, target d pulls in the other branch")
        << QStringList{u"c"_s} << u"d"_s << QStringList{u"c"_s}
        << u"a:applied b:applied c:current x:pending y:pending d:pending z:off-path w:off-path"_s;
    // Alembic's downgrade to b reverts b's descendants only: the other branch (x, y) stays applied.
    QTest::newRow("at d, target b reverts d and c")
        << QStringList{u"d"_s} << u"b"_s << QStringList{u"d"_s}
        << u"a:applied b:applied c:would-revert x:applied y:applied d:would-revert z:pending w:pending"_s;
    QTest::newRow("at d, target a reverts everything above a")
        << QStringList{u"d"_s} << u"a"_s << QStringList{u"d"_s}
        << u"a:applied b:would-revert c:would-revert x:would-revert y:would-revert d:would-revert z:pending "
           u"w:pending"_s;
    // z depends on b: its row implies b (and a) applied; b stays current because z is not its versioned
    // child.
    QTest::newRow("dependency implies its target")
        << QStringList{u"z"_s} << QString() << QStringList{u"b"_s, u"z"_s}
        << u"a:applied b:current c:pending x:pending y:pending d:pending z:current w:pending"_s;
    QTest::newRow("two rows on two branches")
        << QStringList{u"c"_s, u"y"_s} << u"c"_s << QStringList{u"c"_s, u"y"_s}
        << u"a:applied b:applied c:current x:applied y:current d:pending z:pending w:pending"_s;
}

void TestDatabaseState::states()
{
    QFETCH(QStringList, rows);
    QFETCH(QString, target);
    QFETCH(QStringList, current);
    QFETCH(QString, expected);
    const RevisionMap map = buildMap();
    const DatabaseState state(map, rows);
    QVERIFY(state.isKnown());
    QVERIFY(state.unknownRows().isEmpty());
    QStringList currentIds = ids(map, state.effectiveCurrent());
    currentIds.sort();
    QCOMPARE(currentIds, current);
    QCOMPARE(state.isAtBase(), rows.isEmpty());
    const int targetIndex = target.isEmpty() ? -1 : map.indexOf(target);
    QCOMPARE(describe(map, state.nodeStates(map, targetIndex)), expected);
}

void TestDatabaseState::unknownRows()
{
    const RevisionMap map = buildMap();
    const DatabaseState state(map, {u"c"_s, u"feedface0001"_s});
    QCOMPARE(state.unknownRows(), QStringList{u"feedface0001"_s});
    // What the map does contain is still shown.
    QVERIFY(state.isApplied(map.indexOf(u"b"_s)));
    QVERIFY(!state.isApplied(map.indexOf(u"x"_s)));
    QCOMPARE(ids(map, state.effectiveCurrent()), QStringList{u"c"_s});
}

void TestDatabaseState::noStateKnown()
{
    const RevisionMap map = buildMap();
    const DatabaseState state;
    QVERIFY(!state.isKnown());
    QVERIFY(!state.isAtBase());
    for (const auto node : state.nodeStates(map, map.indexOf(u"c"_s)))
        QCOMPARE(node, DatabaseState::Node::Unknown);
}

QTEST_GUILESS_MAIN(TestDatabaseState)
#include "tst_databasestate.moc"
