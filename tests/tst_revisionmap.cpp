// SPDX-License-Identifier: MIT
#include "graph/revisionmap.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include "graphfixture.h"

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using qmigrate::Expected;
using qmigrate::Revision;
using qmigrate::RevisionMap;

namespace {

QString ids(const RevisionMap &map, RevisionMap::Indices indices)
{
    QStringList out;
    for (const int i : indices)
        out.append(i < 0 ? u"base"_s : map.idOf(i));
    return out.join(QLatin1Char(' '));
}

QString render(const RevisionMap &map, const Expected<QList<int>> &result)
{
    if (!result)
        return u"error: "_s + result.error().message();
    return ids(map, *result);
}

QStringList words(const QString &text)
{
    return text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

// Answers one line of expected.txt (the part before " => ").
QString answer(const RevisionMap &map, const QString &query)
{
    const QStringList tokens = words(query);
    const QString verb = tokens.value(0);
    const auto index = [&](const QString &id) { return map.indexOf(id); };
    if (verb == u"heads"_s)
        return ids(map, map.heads());
    if (verb == u"realheads"_s)
        return ids(map, map.realHeads());
    if (verb == u"bases"_s)
        return ids(map, map.bases());
    if (verb == u"realbases"_s)
        return ids(map, map.realBases());
    if (verb == u"effectiveheads"_s) {
        QList<int> result;
        for (int i = 0; i < map.size(); ++i) {
            if (map.isEffectiveHead(i))
                result.append(i);
        }
        return ids(map, result);
    }
    if (verb == u"labels"_s)
        return map.labels(index(tokens.value(1))).join(QLatin1Char(' '));
    if (verb == u"normdown"_s)
        return ids(map, map.normalizedDown(index(tokens.value(1))));
    if (verb == u"children"_s)
        return ids(map, map.children(index(tokens.value(1))));
    if (verb == u"allchildren"_s)
        return ids(map, map.allChildren(index(tokens.value(1))));
    if (verb == u"history"_s)
        return ids(map, map.history());
    if (verb == u"resolve"_s)
        return render(map, map.resolve(tokens.value(1)));
    if (verb == u"resolveone"_s) {
        const Expected<int> one = map.resolveOne(tokens.value(1));
        if (!one)
            return u"error: "_s + one.error().message();
        return *one < 0 ? u"base"_s : map.idOf(*one);
    }
    if (verb == u"range"_s) {
        // "range LOWER:UPPER [current ROWS...]"
        const QString range = tokens.value(1);
        const qsizetype colon = range.indexOf(QLatin1Char(':'));
        const bool withCurrent = tokens.value(2) == u"current"_s;
        const QStringList rows = withCurrent ? tokens.mid(3) : QStringList();
        return render(
            map, map.historyRange(range.left(colon), range.mid(colon + 1), withCurrent ? &rows : nullptr));
    }
    if (verb == u"upgrade"_s || verb == u"downgrade"_s) {
        // "upgrade TARGET from ROWS..."
        const QStringList rows = tokens.mid(3);
        if (verb == u"upgrade"_s)
            return render(map, map.upgradeSteps(tokens.value(1), rows));
        return render(map, map.downgradeSteps(tokens.value(1), rows));
    }
    return u"unknown query: "_s + query;
}

// Literal transcription of Alembic's _topological_sort (docs/alembic-compatibility.md, "Step order"), kept as
// the oracle for the linear-time version in RevisionMap.
QList<int> literalTopologicalSort(const RevisionMap &map, QList<int> todoList, const QList<int> &heads)
{
    QSet<int> todo(todoList.cbegin(), todoList.cend());
    const auto ancestorsOf = [&](int r) {
        const QList<int> list = map.ancestors({r});
        return QSet<int>(list.cbegin(), list.cend());
    };
    QList<int> current;
    for (const int h : heads) {
        if (todo.contains(h) && !current.contains(h))
            current.append(h);
    }
    std::sort(current.begin(), current.end());
    QList<QSet<int>> ancestors;
    for (const int h : std::as_const(current))
        ancestors.append(ancestorsOf(h));
    QList<int> output;
    qsizetype i = 0;
    while (!current.isEmpty()) {
        const int candidate = current.at(i);
        bool blocked = false;
        for (qsizetype j = 0; j < ancestors.size(); ++j) {
            if (j != i && ancestors.at(j).contains(candidate)) {
                i = j;
                blocked = true;
                break;
            }
        }
        if (blocked)
            continue;
        if (todo.remove(candidate))
            output.append(candidate);
        QList<int> add;
        for (const int p : map.normalizedDown(candidate)) {
            if (todo.contains(p) && !current.contains(p))
                add.append(p);
        }
        if (add.isEmpty()) {
            current.removeAt(i);
            ancestors.removeAt(i);
            i = std::max<qsizetype>(i - 1, 0);
        } else if (map.normalizedDependencies(candidate).empty() && map.parents(candidate).size() == 1) {
            current[i] = add.first();
            ancestors[i].remove(candidate);
        } else {
            current[i] = add.first();
            ancestors[i] = ancestorsOf(add.first());
            for (qsizetype k = 1; k < add.size(); ++k) {
                current.append(add.at(k));
                ancestors.append(ancestorsOf(add.at(k)));
            }
        }
    }
    Q_ASSERT(todo.isEmpty());
    return output;
}

// A random DAG in load order: several bases, branches, merges (2 or 3 parents), depends_on edges to older
// revisions (sometimes through a branch label), shuffled load order so that the tie-break is exercised.
QList<Revision> randomGraph(QRandomGenerator &random, int size)
{
    QList<Revision> created;
    QStringList labelled;
    for (int i = 0; i < size; ++i) {
        Revision revision;
        revision.id = u"r%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        const int roll = int(random.bounded(100));
        if (i > 0 && roll >= 8) {
            // Mostly extend a recent revision, sometimes an older one.
            const int window = std::min(i, roll < 70 ? 4 : i);
            const int parent = i - 1 - int(random.bounded(window));
            revision.downRevisions.append(created.at(parent).id);
            if (roll >= 85 && i > 2) {
                const int other = int(random.bounded(i));
                if (!revision.downRevisions.contains(created.at(other).id))
                    revision.downRevisions.append(created.at(other).id);
                if (roll >= 95) {
                    const int third = int(random.bounded(i));
                    if (!revision.downRevisions.contains(created.at(third).id))
                        revision.downRevisions.append(created.at(third).id);
                }
            }
        }
        if (i > 1 && random.bounded(100) < 15) {
            const int dependency = int(random.bounded(i));
            revision.dependsOn.append(created.at(dependency).id);
            if (random.bounded(100) < 30) {
                const int second = int(random.bounded(i));
                if (!revision.dependsOn.contains(created.at(second).id))
                    revision.dependsOn.append(created.at(second).id);
            }
        }
        if (random.bounded(100) < 5) {
            revision.branchLabels.append(u"l%1"_s.arg(i));
            labelled.append(revision.branchLabels.first());
        } else if (!labelled.isEmpty() && i > 1 && random.bounded(100) < 3) {
            revision.dependsOn.append(labelled.at(random.bounded(labelled.size())));
        }
        revision.dependsOn.removeDuplicates();
        revision.path = u"random/%1.sql"_s.arg(revision.id);
        created.append(revision);
    }
    // A random load order: Alembic's tie-break is the load order, not the creation order.
    QList<Revision> shuffled = created;
    for (qsizetype i = shuffled.size() - 1; i > 0; --i)
        shuffled.swapItemsAt(i, random.bounded(i + 1));
    return shuffled;
}

} // namespace

class TstRevisionMap : public QObject
{
    Q_OBJECT

private:
    QHash<QString, std::optional<Expected<RevisionMap>>> m_maps;

    const Expected<RevisionMap> &mapFor(const QString &caseName)
    {
        auto &slot = m_maps[caseName];
        if (!slot) {
            const QString dir = QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/graphs/"_s + caseName;
            slot = RevisionMap::build(parseGraph(caseName, readFile(dir + u"/graph.txt"_s)));
        }
        return *slot;
    }

private slots:
    void graphs_data()
    {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");
        const QDir root(QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/graphs"_s);
        const QStringList cases = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        QVERIFY(cases.size() >= 20);
        for (const QString &caseName : cases) {
            const QString text = readFile(root.filePath(caseName + u"/expected.txt"_s));
            QVERIFY2(!text.isEmpty(), qPrintable(caseName));
            const QStringList lines = text.split(QLatin1Char('\n'));
            for (qsizetype n = 0; n < lines.size(); ++n) {
                const QString line = lines.at(n).trimmed();
                if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                    continue;
                const qsizetype arrow = line.indexOf(u" =>"_s);
                QVERIFY2(arrow > 0, qPrintable(u"%1:%2: no ' =>'"_s.arg(caseName).arg(n + 1)));
                QTest::addRow("%s:%d %s", qPrintable(caseName), int(n + 1), qPrintable(line.left(arrow)))
                    << caseName << line.left(arrow).trimmed() << line.mid(arrow + 3).trimmed();
            }
        }
    }

    void graphs()
    {
        QFETCH(QString, caseName);
        QFETCH(QString, query);
        QFETCH(QString, expected);
        const Expected<RevisionMap> &map = mapFor(caseName);
        if (query == u"build"_s) {
            // "build => ok" or "build => error <file>:<line>: <message> | revision <id>"
            if (map) {
                QCOMPARE(u"ok"_s, expected);
                return;
            }
            const qmigrate::EngineError &error = map.error();
            QCOMPARE(error.kind(), qmigrate::EngineError::Kind::Project);
            QCOMPARE(u"error %1 | revision %2"_s.arg(error.toString(), error.revision()), expected);
            return;
        }
        QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
        const QString actual = answer(*map, query);
        QCOMPARE(actual, expected);
        if (actual.startsWith(u"error: "_s) && query.startsWith(u"range"_s) == false) {
            // Resolution and planning errors are usage errors (exit code 2 at the CLI).
            const QStringList tokens = words(query);
            if (tokens.first() == u"resolve"_s) {
                QCOMPARE(map->resolve(tokens.value(1)).error().kind(), qmigrate::EngineError::Kind::Usage);
            }
        }
    }

    void structure()
    {
        // A branch-and-merge project: effective-head flags and structural predicates.
        const Expected<RevisionMap> &map = mapFor(u"transcript"_s);
        QVERIFY(map);
        const int branchPoint = map->indexOf(u"3bd87e32742f"_s);
        const int merge = map->indexOf(u"daa092a2017a"_s);
        const int audit = map->indexOf(u"849f2264101d"_s);
        QVERIFY(map->isBranchPoint(branchPoint));
        QVERIFY(!map->isMergePoint(branchPoint));
        QVERIFY(map->isMergePoint(merge));
        QVERIFY(map->isBase(audit));
        QVERIFY(!map->isRealBase(audit));
        QVERIFY(map->isRealBase(map->indexOf(u"a35234d98c14"_s)));
        QCOMPARE(ids(*map, map->dependencies(audit)), u"3bd87e32742f"_s);
        QCOMPARE(map->labelOwner(u"orders"_s), map->indexOf(u"1503909ba7f6"_s));
        QCOMPARE(map->labelOwner(u"nosuch"_s), -1);
        QCOMPARE(
            ids(*map, map->ancestors({merge}, false)),
            u"1503909ba7f6 3bd87e32742f 6b35fdb672ea 923418dbf1e6 a35234d98c14 a5b70f5b9391 daa092a2017a"_s);
        QCOMPARE(
            ids(*map, map->descendants({branchPoint}, false)),
            u"1503909ba7f6 3bd87e32742f 473ea28d19b4 6b35fdb672ea 923418dbf1e6 a5b70f5b9391 daa092a2017a"_s);
        QCOMPARE(
            ids(*map, map->descendants({branchPoint}, true)),
            u"1503909ba7f6 3bd87e32742f 473ea28d19b4 6b35fdb672ea 849f2264101d 923418dbf1e6 a5b70f5b9391 "
            u"daa092a2017a"_s);

        const Expected<RevisionMap> &effective = mapFor(u"effective_head_project"_s);
        QVERIFY(effective);
        QVERIFY(effective->isEffectiveHead(effective->indexOf(u"a1a1"_s)));
        QVERIFY(!effective->isRealHead(effective->indexOf(u"a1a1"_s)));
        QVERIFY(effective->isRealHead(effective->indexOf(u"b1b1"_s)));
    }

    void emptyMap()
    {
        const Expected<RevisionMap> map = RevisionMap::build({});
        QVERIFY(map);
        QVERIFY(map->history().isEmpty());
        QVERIFY(map->heads().isEmpty());
        QCOMPARE(render(*map, map->upgradeSteps(u"head"_s, {})), QString());
        QCOMPARE(render(*map, map->upgradeSteps(u"heads"_s, {})), QString());
        QCOMPARE(render(*map, map->resolve(u"abcd"_s)), u"error: No such revision or branch 'abcd'"_s);
    }

    void currentNeedsHeads()
    {
        const Expected<RevisionMap> &map = mapFor(u"linear"_s);
        QVERIFY(map);
        const Expected<QList<int>> result = map->historyRange(u"current"_s, {});
        QVERIFY(!result);
        QCOMPARE(result.error().kind(), qmigrate::EngineError::Kind::Usage);
    }

    void downgradeWarning()
    {
        const Expected<RevisionMap> &map = mapFor(u"branched"_s);
        QVERIFY(map);
        QStringList warnings;
        const Expected<QList<int>> steps = map->downgradeSteps(u"-1"_s, {u"d2"_s, u"d1"_s}, &warnings);
        QCOMPARE(render(*map, steps), u"d2"_s);
        QCOMPARE(
            warnings,
            QStringList{u"downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a "
                        u"future release."_s});
        warnings.clear();
        QVERIFY(map->downgradeSteps(u"-1"_s, {u"d2"_s}, &warnings));
        QVERIFY(warnings.isEmpty());
    }

    // The linear-time topological sort against the literal algorithm on random DAGs.
    void topologicalSortMatchesAlembic()
    {
        QRandomGenerator random(20261124);
        int compared = 0;
        for (int round = 0; round < 300; ++round) {
            const int size = 2 + int(random.bounded(round < 200 ? 30 : 120));
            const Expected<RevisionMap> built = RevisionMap::build(randomGraph(random, size));
            QVERIFY2(built, qPrintable(built ? QString() : built.error().toString()));
            const RevisionMap &map = *built;
            // Whole history.
            const QList<int> all = map.ancestors(map.realHeads());
            QCOMPARE(ids(map, map.topologicalSort(all, map.realHeads())),
                     ids(map, literalTopologicalSort(map, all, map.realHeads())));
            QCOMPARE(ids(map, map.history()), ids(map, literalTopologicalSort(map, all, map.realHeads())));
            for (int query = 0; query < 8; ++query) {
                // Upgrade-shaped: ancestors of some targets minus ancestors of some current revisions.
                QList<int> targets;
                QList<int> current;
                const int targetCount = 1 + int(random.bounded(3));
                for (int k = 0; k < targetCount; ++k)
                    targets.append(int(random.bounded(size)));
                for (int k = 0; k < int(random.bounded(3)); ++k)
                    current.append(int(random.bounded(size)));
                const QList<int> required = map.ancestors(targets);
                const QList<int> have = map.ancestors(current);
                QList<int> todo;
                for (const int r : required) {
                    if (!have.contains(r))
                        todo.append(r);
                }
                QCOMPARE(ids(map, map.topologicalSort(todo, targets)),
                         ids(map, literalTopologicalSort(map, todo, targets)));
                // Downgrade-shaped: descendants of roots that are applied below the current heads.
                const QList<int> roots{int(random.bounded(size))};
                const QList<int> below = map.ancestors(targets);
                QList<int> drop;
                for (const int r : map.descendants(roots)) {
                    if (below.contains(r))
                        drop.append(r);
                }
                QCOMPARE(ids(map, map.topologicalSort(drop, targets)),
                         ids(map, literalTopologicalSort(map, drop, targets)));
                ++compared;
            }
        }
        QVERIFY(compared == 2400);
    }

    // Big graphs must stay near-linear: a trunk with a side branch every 20 revisions and some depends_on.
    void largeGraphIsFast()
    {
        QList<Revision> revisions;
        const int size = 100000;
        QString previous;
        QString forkPoint;
        QString side;
        for (int i = 0; i < size; ++i) {
            Revision revision;
            revision.id = u"%1"_s.arg(i, 12, 16, QLatin1Char('0'));
            const int phase = i % 20;
            if (!previous.isEmpty()) {
                if (phase == 5) {
                    forkPoint = previous;
                    revision.downRevisions.append(previous);
                } else if (phase == 6) {
                    revision.downRevisions.append(forkPoint); // side branch
                    side = revision.id;
                    revisions.append(revision);
                    continue;
                } else if (phase == 15) {
                    revision.downRevisions = {previous, side}; // merge back
                } else {
                    revision.downRevisions.append(previous);
                }
            }
            if (i % 97 == 0 && i > 200)
                revision.dependsOn.append(revisions.at(i - 150).id);
            if (i % 1000 == 0)
                revision.branchLabels.append(u"label%1"_s.arg(i));
            previous = revision.id;
            revisions.append(revision);
        }
        QElapsedTimer timer;
        timer.start();
        const Expected<RevisionMap> map = RevisionMap::build(revisions);
        QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));
        const qint64 buildTime = timer.restart();
        const QList<int> history = map->history();
        const qint64 historyTime = timer.restart();
        QCOMPARE(history.size(), size);
        QCOMPARE(render(*map, map->resolve(revisions.at(size / 2).id)), revisions.at(size / 2).id);
        const Expected<QList<int>> steps = map->upgradeSteps(u"heads"_s, {});
        QVERIFY(steps);
        QCOMPARE(steps->size(), size);
        qInfo("build %lld ms, history %lld ms, upgrade heads %lld ms", buildTime, historyTime,
              timer.elapsed());
        // Generous bounds: these catch quadratic behaviour (minutes), not machine speed.
        QVERIFY(buildTime < 5000);
        QVERIFY(historyTime < 5000);
    }
};

QTEST_GUILESS_MAIN(TstRevisionMap)
#include "tst_revisionmap.moc"
