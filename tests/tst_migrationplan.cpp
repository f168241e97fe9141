// SPDX-License-Identifier: MIT
#include "plan/migrationplan.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include "graphfixture.h"

using namespace Qt::StringLiterals;
using qmigrate::EngineError;
using qmigrate::Expected;
using qmigrate::HeadMaintainer;
using qmigrate::MigrationPlan;
using qmigrate::MigrationStep;
using qmigrate::Revision;
using qmigrate::RevisionMap;
using qmigrate::VersionChange;

namespace {

QString renderError(const EngineError &error)
{
    static const char *const kinds[] = {"usage", "project", "database"};
    QString text = u"error(%1): %2"_s.arg(QLatin1StringView(kinds[int(error.kind())]), error.message());
    if (!error.revision().isEmpty())
        text += u" [revision %1]"_s.arg(error.revision());
    return text;
}

QString rowsText(const QStringList &rows)
{
    return rows.isEmpty() ? u"(empty)"_s : rows.join(QLatin1Char(' '));
}

// "+d{UPDATE c -> d}", "-c1{DELETE c1}", "=d1,c2>e{DELETE d1; UPDATE c2 -> e}".
QString renderStep(const MigrationStep &step)
{
    QString text;
    switch (step.direction) {
    case MigrationStep::Direction::Upgrade:
        text = u"+"_s + step.toRevisions.value(0);
        break;
    case MigrationStep::Direction::Downgrade:
        text = u"-"_s + step.fromRevisions.value(0);
        break;
    case MigrationStep::Direction::Stamp:
        text = u"="_s + step.fromRevisions.join(QLatin1Char(',')) + QLatin1Char('>') +
               step.toRevisions.join(u","_s);
        break;
    }
    QStringList changes;
    for (const VersionChange &change : step.versionChanges)
        changes.append(change.toString());
    return text + QLatin1Char('{') + changes.join(u"; "_s) + QLatin1Char('}');
}

// Answers one line of expected.txt (the part before the first " => "):
//   [log|trace] upgrade|downgrade|stamp|stamp--purge TARGET... from ROW...
// Default rendering: "<steps> => <rows after>[ => warning: ...]", "purge " in front for a purging plan.
// log: the steps' log lines in brackets (trailing spaces matter) joined by " | "; trace: the rows after each
// step joined by " | ".
QString answer(const RevisionMap &map, const QString &query)
{
    QStringList tokens = query.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QString mode;
    if (tokens.value(0) == u"log"_s || tokens.value(0) == u"trace"_s)
        mode = tokens.takeFirst();
    const QString command = tokens.value(0);
    const qsizetype from = tokens.indexOf(u"from"_s);
    if (from < 0)
        return u"bad query: "_s + query;
    const QStringList targets = tokens.mid(1, from - 1);
    const QStringList rows = tokens.mid(from + 1);

    QStringList warnings;
    Expected<MigrationPlan> plan = EngineError(u"unknown command "_s + command);
    if (command == u"upgrade"_s)
        plan = MigrationPlan::upgrade(map, rows, targets.value(0));
    else if (command == u"downgrade"_s)
        plan = MigrationPlan::downgrade(map, rows, targets.value(0), &warnings);
    else if (command == u"stamp"_s || command == u"stamp--purge"_s)
        plan = MigrationPlan::stamp(map, rows, targets, command == u"stamp--purge"_s);
    if (!plan)
        return renderError(plan.error());

    QStringList parts;
    if (mode == u"log"_s) {
        for (const MigrationStep &step : plan->steps())
            parts.append(u"["_s + step.logLine() + u"]"_s);
        return parts.join(u" | "_s);
    }
    if (mode == u"trace"_s) {
        for (qsizetype i = 0; i < plan->steps().size(); ++i)
            parts.append(rowsText(plan->rowsAfterStep(i)));
        return parts.join(u" | "_s);
    }
    for (const MigrationStep &step : plan->steps())
        parts.append(renderStep(step));
    QString text = (plan->purge() ? u"purge "_s : QString()) +
                   (parts.isEmpty() ? u"(no steps)"_s : parts.join(QLatin1Char(' '))) + u" => "_s +
                   rowsText(plan->rowsAfter());
    for (const QString &warning : std::as_const(warnings))
        text += u" => warning: "_s + warning;
    return text;
}

} // namespace

class tst_MigrationPlan : public QObject
{
    Q_OBJECT

private slots:
    void cases_data();
    void cases();
    void stepLogLines();
    void rowsBeforeAndAfter();
    void purgeIgnoresUnknownRows();
    void headMaintainerRefusesImpossibleSteps();
    void randomGraphsKeepRowsAtHeads();
    void longChain();
};

void tst_MigrationPlan::cases_data()
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expected");

    const QDir root(QStringLiteral(QMIGRATE_TEST_DATA_DIR "/plans"));
    const QStringList cases = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(!cases.isEmpty());
    int rows = 0;
    for (const QString &caseName : cases) {
        const QString graph = readFile(root.filePath(caseName + u"/graph.txt"_s));
        const QString expected = readFile(root.filePath(caseName + u"/expected.txt"_s));
        QVERIFY2(!graph.isEmpty() && !expected.isEmpty(), qPrintable(caseName));
        int lineNumber = 0;
        for (const QString &line : expected.split(QLatin1Char('\n'))) {
            ++lineNumber;
            if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            const qsizetype arrow = line.indexOf(u" => "_s);
            QVERIFY2(arrow > 0, qPrintable(u"%1/expected.txt:%2: no ' => '"_s.arg(caseName).arg(lineNumber)));
            QTest::addRow("%s:%d", qPrintable(caseName), lineNumber)
                << caseName << graph << line.left(arrow).trimmed() << line.mid(arrow + 4).trimmed();
            ++rows;
        }
    }
    QVERIFY(rows >= 60);
}

void tst_MigrationPlan::cases()
{
    QFETCH(QString, caseName);
    QFETCH(QString, graph);
    QFETCH(QString, query);
    QFETCH(QString, expected);

    const Expected<RevisionMap> map = RevisionMap::build(parseGraph(caseName, graph));
    QVERIFY2(map.hasValue(), qPrintable(map ? QString() : map.error().message()));
    QCOMPARE(answer(*map, query), expected);
}

void tst_MigrationPlan::stepLogLines()
{
    const Expected<RevisionMap> map = RevisionMap::build(parseGraph(u"t"_s, u"a -- create users\nb a\n"_s));
    QVERIFY(map.hasValue());
    const Expected<MigrationPlan> plan = MigrationPlan::upgrade(*map, {}, u"heads"_s);
    QVERIFY(plan.hasValue());
    QCOMPARE(plan->steps().size(), 2);
    const MigrationStep &first = plan->steps().at(0);
    QCOMPARE(first.name(), u"upgrade"_s);
    QCOMPARE(first.revision, map->indexOf(u"a"_s));
    QCOMPARE(first.shortLog(), u"upgrade  -> a"_s);
    QCOMPARE(first.logLine(), u"Running upgrade  -> a, create users"_s);
    QCOMPARE(first.versionChanges, QList<VersionChange>{VersionChange::insert(u"a"_s)});
    QCOMPARE(plan->steps().at(1).versionChanges, QList<VersionChange>{VersionChange::update(u"a"_s, u"b"_s)});

    const Expected<MigrationPlan> stamp = MigrationPlan::stamp(*map, {u"b"_s}, {u"base"_s}, false);
    QVERIFY(stamp.hasValue());
    QCOMPARE(stamp->steps().size(), 1);
    QCOMPARE(stamp->steps().at(0).revision, -1);
    QCOMPARE(stamp->steps().at(0).name(), u"stamp_revision"_s);
    QCOMPARE(stamp->steps().at(0).logLine(), u"Running stamp_revision b -> "_s);
    QCOMPARE(stamp->steps().at(0).versionChanges, QList<VersionChange>{VersionChange::remove(u"b"_s)});
}

void tst_MigrationPlan::rowsBeforeAndAfter()
{
    const Expected<RevisionMap> map = RevisionMap::build(parseGraph(u"t"_s, u"a\nb a\nc b\n"_s));
    QVERIFY(map.hasValue());
    const Expected<MigrationPlan> plan = MigrationPlan::upgrade(*map, {u"a"_s}, u"c"_s);
    QVERIFY(plan.hasValue());
    QCOMPARE(plan->rowsBefore(), QStringList{u"a"_s});
    QCOMPARE(plan->rowsAtStart(), QStringList{u"a"_s});
    QCOMPARE(plan->rowsAfterStep(0), QStringList{u"b"_s});
    QCOMPARE(plan->rowsAfter(), QStringList{u"c"_s});
    QVERIFY(!plan->purge());
    QVERIFY(!plan->isEmpty());

    const Expected<MigrationPlan> none = MigrationPlan::upgrade(*map, {u"c"_s}, u"heads"_s);
    QVERIFY(none.hasValue());
    QVERIFY(none->isEmpty());
    QCOMPARE(none->rowsAfter(), QStringList{u"c"_s});
}

void tst_MigrationPlan::purgeIgnoresUnknownRows()
{
    const Expected<RevisionMap> map = RevisionMap::build(parseGraph(u"t"_s, u"a\nb a\n"_s));
    QVERIFY(map.hasValue());
    const Expected<MigrationPlan> plan = MigrationPlan::stamp(*map, {u"zzzz"_s, u"b"_s}, {u"a"_s}, true);
    QVERIFY(plan.hasValue());
    QVERIFY(plan->purge());
    QCOMPARE(plan->rowsBefore(), (QStringList{u"zzzz"_s, u"b"_s}));
    QCOMPARE(plan->rowsAtStart(), QStringList());
    QCOMPARE(plan->rowsAfter(), QStringList{u"a"_s});

    const Expected<MigrationPlan> refused = MigrationPlan::stamp(*map, {u"zzzz"_s}, {u"a"_s}, false);
    QVERIFY(!refused.hasValue());
    QCOMPARE(refused.error().revision(), u"zzzz"_s);
    QVERIFY(refused.error().message().startsWith(u"Can't locate revision identified by 'zzzz'"_s));
}

void tst_MigrationPlan::headMaintainerRefusesImpossibleSteps()
{
    const Expected<RevisionMap> map = RevisionMap::build(parseGraph(u"t"_s, u"a\nb a\nc b\nx\n"_s));
    QVERIFY(map.hasValue());
    const auto index = [&](const char *id) { return map->indexOf(QString::fromLatin1(id)); };

    HeadMaintainer heads(*map, {index("b")});
    QCOMPARE(heads.upgrade(index("a")).error().message(), u"a is already applied"_s);
    QCOMPARE(heads.downgrade(index("a")).error().message(), u"a is needed by another applied revision"_s);
    QCOMPARE(heads.downgrade(index("c")).error().message(), u"c is not applied"_s);
    QCOMPARE(heads.rowIds(), QStringList{u"b"_s}); // refused steps change nothing

    HeadMaintainer empty(*map, {});
    QCOMPARE(empty.upgrade(index("c")).error().message(), u"c needs b, which is not applied"_s);
    QCOMPARE(*empty.upgrade(index("x")), QList<VersionChange>{VersionChange::insert(u"x"_s)});
    QCOMPARE(empty.stamp({}, index("x"), true, true).error().message(), u"x is a row already"_s);
    QCOMPARE(empty.stamp({index("a")}, -1, false, true).error().message(), u"a is not a row any more"_s);
    QCOMPARE(empty.rowIds(), QStringList{u"x"_s});

    QCOMPARE(VersionChange::update(u"a"_s, u"b"_s).toString(), u"UPDATE a -> b"_s);
    QCOMPARE(VersionChange::insert(u"a"_s).toString(), u"INSERT a"_s);
    QCOMPARE(VersionChange::remove(u"a"_s).toString(), u"DELETE a"_s);
}

// Random DAGs with merges and depends_on: every plan the rules produce passes the invariant check (else the
// plan would be an error), ends at the expected rows, and replaying its changes gives the rows it reports.
void tst_MigrationPlan::randomGraphsKeepRowsAtHeads()
{
    QRandomGenerator random(20240611);
    int graphs = 0;
    for (int attempt = 0; attempt < 200 && graphs < 60; ++attempt) {
        const int size = 4 + int(random.bounded(14));
        QString text;
        for (int i = 0; i < size; ++i) {
            text += u"r%1"_s.arg(i, 2, 10, QLatin1Char('0'));
            QSet<int> used;
            const int parents = i == 0 ? 0 : int(random.bounded(i > 2 ? 3 : 2));
            for (int p = 0; p < parents; ++p) {
                const int parent = int(random.bounded(i));
                if (!used.contains(parent))
                    text += u" r%1"_s.arg(parent, 2, 10, QLatin1Char('0'));
                used.insert(parent);
            }
            if (i > 1 && random.bounded(4) == 0) {
                const int dep = int(random.bounded(i));
                if (!used.contains(dep))
                    text += u" dep:r%1"_s.arg(dep, 2, 10, QLatin1Char('0'));
            }
            text += QLatin1Char('\n');
        }
        const Expected<RevisionMap> map = RevisionMap::build(parseGraph(u"random"_s, text));
        if (!map)
            continue;
        ++graphs;
        QStringList realHeads;
        for (const int head : map->realHeads())
            realHeads.append(map->idOf(head));

        const auto replay = [&](const MigrationPlan &plan) {
            QStringList rows = plan.rowsAtStart();
            for (const MigrationStep &step : plan.steps()) {
                for (const VersionChange &change : step.versionChanges) {
                    if (change.kind == VersionChange::Kind::Insert)
                        rows.append(change.to);
                    else if (change.kind == VersionChange::Kind::Update)
                        rows[rows.indexOf(change.from)] = change.to;
                    else
                        rows.removeOne(change.from);
                }
                if (rows != step.rowsAfter)
                    return false;
            }
            return true;
        };
        const auto sorted = [](QStringList list) {
            list.sort();
            return list;
        };

        const Expected<MigrationPlan> up = MigrationPlan::upgrade(*map, {}, u"heads"_s);
        QVERIFY2(up.hasValue(), qPrintable(text + (up ? QString() : up.error().message())));
        QCOMPARE(sorted(up->rowsAfter()), sorted(realHeads));
        QVERIFY2(replay(*up), qPrintable(text));

        const Expected<MigrationPlan> down = MigrationPlan::downgrade(*map, up->rowsAfter(), u"base"_s);
        QVERIFY2(down.hasValue(), qPrintable(text + (down ? QString() : down.error().message())));
        QCOMPARE(down->rowsAfter(), QStringList());
        QVERIFY2(replay(*down), qPrintable(text));

        for (int r = 0; r < map->size(); ++r) {
            const QString id = map->idOf(r);
            const Expected<MigrationPlan> to = MigrationPlan::upgrade(*map, {}, id);
            QVERIFY2(to.hasValue(), qPrintable(text + id));
            QCOMPARE(to->rowsAfter(), QStringList{id});
            const Expected<MigrationPlan> back = MigrationPlan::downgrade(*map, up->rowsAfter(), id);
            if (back) // a revision only depended upon is not a valid downgrade target
                      // (docs/alembic-compatibility.md)
                QVERIFY2(replay(*back), qPrintable(text + id));
            else
                QVERIFY2(back.error().message().startsWith(u"Destination "_s), qPrintable(text + id));
            const Expected<MigrationPlan> stamp = MigrationPlan::stamp(*map, up->rowsAfter(), {id}, false);
            if (stamp)
                QVERIFY2(replay(*stamp), qPrintable(text + id));
        }
    }
    QVERIFY(graphs >= 40);
}

// Per-step work is local (a revision's parents and the rows), so a long history plans in linear time.
void tst_MigrationPlan::longChain()
{
    const int count = 5000;
    QList<Revision> revisions(count);
    for (int i = 0; i < count; ++i) {
        revisions[i].id = u"r%1"_s.arg(i, 5, 10, QLatin1Char('0'));
        if (i > 0)
            revisions[i].downRevisions = QStringList{revisions[i - 1].id};
    }
    const Expected<RevisionMap> map = RevisionMap::build(revisions);
    QVERIFY(map.hasValue());
    QElapsedTimer timer;
    timer.start();
    const Expected<MigrationPlan> up = MigrationPlan::upgrade(*map, {}, u"heads"_s);
    QVERIFY(up.hasValue());
    const Expected<MigrationPlan> down = MigrationPlan::downgrade(*map, up->rowsAfter(), u"base"_s);
    QVERIFY(down.hasValue());
    qInfo("planned %d steps up and down in %lld ms", count, timer.elapsed());
    QCOMPARE(up->steps().size(), count);
    QCOMPARE(up->steps().last().versionChanges,
             QList<VersionChange>{VersionChange::update(u"r04998"_s, u"r04999"_s)});
    QCOMPARE(up->rowsAfter(), QStringList{u"r04999"_s});
    QCOMPARE(down->steps().last().versionChanges, QList<VersionChange>{VersionChange::remove(u"r00000"_s)});
    QCOMPARE(down->rowsAfter(), QStringList());
}

QTEST_GUILESS_MAIN(tst_MigrationPlan)
#include "tst_migrationplan.moc"
