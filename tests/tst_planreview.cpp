// SPDX-License-Identifier: MIT
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "plan/planreview.h"
#include "project/project.h"
#include "scripts/scriptchecksum.h"
#include "scripts/sqlrevisionparser.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

using Backend = DatabaseUrl::Backend;

// Line 10 of a generated file is the first line after "-- migrate:upgrade".
constexpr int firstUpgradeLine = 10;

QString revisionText(const QString &id, const QString &revises, const QString &upgrade,
                     const QString &downgrade)
{
    return u"-- revision %1\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Branch labels:\n-- Depends on:\n"
           u"-- Create Date: 2026-01-01 00:00:00.000000\n\n-- migrate:upgrade\n%3\n-- migrate:downgrade\n%4"_s
               .arg(id, revises, upgrade, downgrade);
}

QString kindName(PlanWarning::Kind kind)
{
    using Kind = PlanWarning::Kind;
    switch (kind) {
    case Kind::DropTable:
        return u"DropTable"_s;
    case Kind::DropColumn:
        return u"DropColumn"_s;
    case Kind::DropSchema:
        return u"DropSchema"_s;
    case Kind::DropPartition:
        return u"DropPartition"_s;
    case Kind::DropOther:
        return u"DropOther"_s;
    case Kind::Truncate:
        return u"Truncate"_s;
    case Kind::DeleteWithoutWhere:
        return u"DeleteWithoutWhere"_s;
    case Kind::EmptyDowngrade:
        return u"EmptyDowngrade"_s;
    case Kind::NotTransactional:
        return u"NotTransactional"_s;
    case Kind::OutsideTransaction:
        return u"OutsideTransaction"_s;
    case Kind::PythonRevision:
        return u"PythonRevision"_s;
    case Kind::ScriptError:
        return u"ScriptError"_s;
    }
    return u"?"_s;
}

// "Kind:line:text" per warning, the form the data rows give.
QStringList describe(const QList<PlanWarning> &warnings)
{
    QStringList lines;
    for (const PlanWarning &w : warnings)
        lines.append(u"%1:%2:%3"_s.arg(kindName(w.kind)).arg(w.line).arg(w.text));
    return lines;
}

} // namespace

class TestPlanReview : public QObject
{
    Q_OBJECT

private slots:
    void statements_data();
    void statements();
    void eachWarningNamesItsStep();
    void exampleDowngradeToBase();
    void exampleUpgradeIsQuiet();
    void stampRunsNoSql();

private:
    // The revisions in m_dir (ids r000…, a chain) as a map.
    RevisionMap buildChain(const QList<std::pair<QString, QString>> &sections);

    std::unique_ptr<QTemporaryDir> m_dir;
};

RevisionMap TestPlanReview::buildChain(const QList<std::pair<QString, QString>> &sections)
{
    m_dir = std::make_unique<QTemporaryDir>();
    QList<Revision> revisions;
    for (qsizetype i = 0; i < sections.size(); ++i) {
        const QString id = u"r%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        const QString parent = i == 0 ? QString() : u"r%1"_s.arg(i - 1, 3, 10, QLatin1Char('0'));
        const QString path = m_dir->filePath(id + u"_rev.sql"_s);
        const QByteArray content =
            revisionText(id, parent, sections.at(i).first, sections.at(i).second).toUtf8();
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        Expected<Revision> revision = SqlRevisionParser::parse(path, content);
        if (!revision)
            qFatal("%s", qPrintable(revision.error().toString()));
        // As ScriptDirectory gives it: the sections are read from the file while it has this checksum.
        revision->checksum = ScriptChecksum::digestOfContent(content);
        revisions.append(*revision);
    }
    Expected<RevisionMap> map = RevisionMap::build(revisions);
    if (!map)
        qFatal("%s", qPrintable(map.error().toString()));
    return *map;
}

void TestPlanReview::statements_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("direction");
    QTest::addColumn<QString>("upgrade");
    QTest::addColumn<QString>("downgrade");
    QTest::addColumn<QStringList>("expected");

    const int u = firstUpgradeLine;
    const QString dropT = u"drops table %1 and all its rows"_s;

    QTest::newRow("create_is_quiet") << u"sqlite"_s << u"upgrade"_s << u"CREATE TABLE t (id INTEGER);"_s
                                     << u"DROP TABLE t;"_s << QStringList();
    QTest::newRow("drop_table_downgrade")
        << u"sqlite"_s << u"downgrade"_s << u"CREATE TABLE t (id INTEGER);"_s << u"DROP TABLE t;"_s
        << QStringList{u"DropTable:%1:%2"_s.arg(u + 2).arg(dropT.arg(u"t"_s))};
    QTest::newRow("drop_table_lower_case")
        << u"sqlite"_s << u"upgrade"_s << u"\n  drop   table\n  Old_Stuff;"_s << u"SELECT 1;"_s
        << QStringList{u"DropTable:%1:%2"_s.arg(u + 1).arg(dropT.arg(u"Old_Stuff"_s))};
    QTest::newRow("drop_table_if_exists_qualified")
        << u"postgresql"_s << u"upgrade"_s << u"DROP TABLE IF EXISTS audit.\"Old Log\", b CASCADE;"_s
        << u"SELECT 1;"_s
        << QStringList{u"DropTable:%1:%2"_s.arg(u).arg(dropT.arg(u"audit.\"Old Log\""_s)),
                       u"DropTable:%1:%2"_s.arg(u).arg(dropT.arg(u"b"_s))};
    const QString notTransactional =
        u"NotTransactional:%1:MySQL/MariaDB commit every DDL statement at once: if "
        u"this step fails, what ran before the failure stays applied and cannot be "
        u"rolled back"_s;
    QTest::newRow("drop_temporary_table")
        << u"mysql"_s << u"upgrade"_s << u"DROP TEMPORARY TABLE tmp;"_s << u"SELECT 1;"_s
        << QStringList{u"DropTable:%1:%2"_s.arg(u).arg(dropT.arg(u"tmp"_s)), notTransactional.arg(u)};
    QTest::newRow("drop_in_string_is_not_flagged")
        << u"sqlite"_s << u"upgrade"_s
        << u"INSERT INTO notes (text) VALUES ('DROP TABLE t; DELETE FROM t');"_s
        << u"DELETE FROM notes WHERE id = 1;"_s << QStringList();
    QTest::newRow("drop_in_comments_is_not_flagged")
        << u"postgresql"_s << u"upgrade"_s
        << u"-- DROP TABLE t;\n/* DROP TABLE u; /* nested */ TRUNCATE v; */\nCREATE TABLE w (id INT);"_s
        << u"DROP TABLE w;"_s << QStringList();
    QTest::newRow("drop_in_dollar_quote_is_not_flagged")
        << u"postgresql"_s << u"upgrade"_s
        << u"CREATE FUNCTION f() RETURNS void AS $body$ DROP TABLE t; $body$ LANGUAGE sql;"_s
        << u"DROP FUNCTION f();"_s << QStringList();
    QTest::newRow("drop_in_trigger_body_is_not_flagged")
        << u"sqlite"_s << u"upgrade"_s
        << u"CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n  DELETE FROM b;\nEND;"_s << u"DROP TRIGGER tr;"_s
        << QStringList();
    QTest::newRow("drop_column")
        << u"sqlite"_s << u"upgrade"_s << u"SELECT 1;\nALTER TABLE devices DROP COLUMN firmware;"_s
        << u"SELECT 1;"_s
        << QStringList{u"DropColumn:%1:drops column firmware of table devices and its data"_s.arg(u + 1)};
    QTest::newRow("drop_column_mysql_bare_and_several")
        << u"mysql"_s << u"downgrade"_s << u"SELECT 1;"_s
        << u"alter table `devices` drop `firmware`, DROP COLUMN IF EXISTS notes, drop index ix_a;"_s
        << QStringList{u"DropColumn:%1:drops column `firmware` of table `devices` and its data"_s.arg(u + 2),
                       u"DropColumn:%1:drops column notes of table `devices` and its data"_s.arg(u + 2),
                       notTransactional.arg(u + 2)};
    QTest::newRow("alter_drop_constraint_default_not_null_are_quiet")
        << u"postgresql"_s << u"upgrade"_s
        << u"ALTER TABLE t DROP CONSTRAINT c;\nALTER TABLE t ALTER COLUMN x DROP DEFAULT, ALTER COLUMN y "
           u"DROP "
           u"NOT NULL;"_s
        << u"SELECT 1;"_s << QStringList();
    QTest::newRow("drop_partition")
        << u"postgresql"_s << u"upgrade"_s << u"ALTER TABLE readings DROP PARTITION p2020;"_s
        << u"SELECT 1;"_s
        << QStringList{u"DropPartition:%1:drops partition p2020 of table readings and its rows"_s.arg(u)};
    QTest::newRow("drop_index_and_view")
        << u"postgresql"_s << u"upgrade"_s
        << u"DROP INDEX CONCURRENTLY IF EXISTS ix_a;\nDROP MATERIALIZED VIEW v;"_s << u"SELECT 1;"_s
        << QStringList{u"DropOther:%1:drops index ix_a"_s.arg(u),
                       u"DropOther:%1:drops materialized view v"_s.arg(u + 1)};
    QTest::newRow("drop_schema") << u"postgresql"_s << u"upgrade"_s
                                 << u"DROP SCHEMA IF EXISTS staging CASCADE;"_s << u"SELECT 1;"_s
                                 << QStringList{
                                        u"DropSchema:%1:drops schema staging and everything in it"_s.arg(u)};
    QTest::newRow("truncate") << u"postgresql"_s << u"upgrade"_s << u"TRUNCATE TABLE ONLY readings;"_s
                              << u"SELECT 1;"_s
                              << QStringList{u"Truncate:%1:empties table readings (TRUNCATE)"_s.arg(u)};
    QTest::newRow("delete_without_where")
        << u"sqlite"_s << u"upgrade"_s << u"DELETE FROM readings;\nDELETE FROM alerts WHERE level = 'x';"_s
        << u"SELECT 1;"_s
        << QStringList{
               u"DeleteWithoutWhere:%1:deletes every row of readings (DELETE without WHERE)"_s.arg(u)};
    QTest::newRow("delete_where_only_in_subquery")
        << u"sqlite"_s << u"upgrade"_s
        << u"DELETE FROM a WHERE id IN (SELECT id FROM b WHERE x);\n"
           u"DELETE FROM c -- WHERE in a comment\n;"_s
        << u"SELECT 1;"_s
        << QStringList{u"DeleteWithoutWhere:%1:deletes every row of c (DELETE without WHERE)"_s.arg(u + 1)};
    QTest::newRow("empty_downgrade")
        << u"sqlite"_s << u"upgrade"_s << u"CREATE TABLE t (id INTEGER);"_s << u"-- nothing to undo\n"_s
        << QStringList{u"EmptyDowngrade:%1:the downgrade section of r000 is empty: this step cannot be "
                       u"downgraded"_s.arg(u + 2)};
    QTest::newRow("empty_downgrade_run")
        << u"sqlite"_s << u"downgrade"_s << u"CREATE TABLE t (id INTEGER);"_s << QString()
        << QStringList{u"EmptyDowngrade:%1:the downgrade section of r000 is empty: what its upgrade changed "
                       u"stays in the database"_s.arg(u + 2)};
    QTest::newRow("mysql_ddl_once_per_step")
        << u"mysql"_s << u"upgrade"_s
        << u"INSERT INTO x VALUES (1);\nCREATE TABLE a (id INT);\nCREATE TABLE b (id INT);"_s
        << u"DROP TABLE b;\nDROP TABLE a;"_s << QStringList{notTransactional.arg(u + 1)};
    QTest::newRow("mysql_dml_only_is_transactional")
        << u"mysql"_s << u"upgrade"_s << u"INSERT INTO x VALUES (1);"_s << u"DELETE FROM x WHERE id = 1;"_s
        << QStringList();
    QTest::newRow("no_transaction_marker")
        << u"postgresql"_s << u"upgrade"_s
        << u"CREATE TABLE a (id INT);\n-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY ix ON a (id);"_s
        << u"DROP TABLE a;"_s
        << QStringList{u"OutsideTransaction:%1:runs outside any transaction (-- migrate:no-transaction): the "
                       u"steps before it are committed first and it cannot be rolled back"_s.arg(u + 2)};
    QTest::newRow("unterminated_string")
        << u"sqlite"_s << u"upgrade"_s << u"SELECT 1;\nINSERT INTO a VALUES ('oops);"_s << u"SELECT 1;"_s
        << QStringList{u"ScriptError:%1:unterminated string literal"_s.arg(u + 1)};
}

void TestPlanReview::statements()
{
    QFETCH(QString, backend);
    QFETCH(QString, direction);
    QFETCH(QString, upgrade);
    QFETCH(QString, downgrade);
    QFETCH(QStringList, expected);

    const RevisionMap map = buildChain({{upgrade, downgrade}});
    const bool up = direction == u"upgrade"_s;
    Expected<MigrationPlan> plan = up ? MigrationPlan::upgrade(map, {}, u"head"_s)
                                      : MigrationPlan::downgrade(map, {u"r000"_s}, u"base"_s);
    QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
    QCOMPARE(plan->steps().size(), 1);
    const Backend b = backend == u"sqlite"_s       ? Backend::SQLite
                      : backend == u"postgresql"_s ? Backend::PostgreSQL
                                                   : Backend::MySQL;
    const QList<PlanWarning> warnings = PlanReview::review(map, *plan, b);
    QCOMPARE(describe(warnings), expected);
    const QString file = m_dir->filePath(u"r000_rev.sql"_s);
    for (const PlanWarning &w : warnings) {
        QCOMPARE(w.step, 0);
        QCOMPARE(w.revision, u"r000"_s);
        QCOMPARE(w.file, file);
        QCOMPARE(w.toString(), u"%1:%2: %3"_s.arg(file).arg(w.line).arg(w.text));
    }
}

void TestPlanReview::eachWarningNamesItsStep()
{
    const RevisionMap map =
        buildChain({{u"CREATE TABLE a (id INT);"_s, u"DROP TABLE a;"_s},
                    {u"CREATE TABLE b (id INT);"_s, u"SELECT 1;\nDROP TABLE b;"_s},
                    {u"ALTER TABLE a ADD COLUMN c INT;"_s, u"ALTER TABLE a DROP COLUMN c;"_s}});
    Expected<MigrationPlan> plan = MigrationPlan::downgrade(map, {u"r002"_s}, u"base"_s);
    QVERIFY(plan);
    const QList<PlanWarning> warnings = PlanReview::review(map, *plan, Backend::SQLite);
    QCOMPARE(warnings.size(), 3);
    // Children first: r002, r001, r000.
    QCOMPARE(warnings.at(0).step, 0);
    QCOMPARE(warnings.at(0).revision, u"r002"_s);
    QCOMPARE(warnings.at(0).kind, PlanWarning::Kind::DropColumn);
    QCOMPARE(warnings.at(0).line, firstUpgradeLine + 2);
    QCOMPARE(warnings.at(1).step, 1);
    QCOMPARE(warnings.at(1).revision, u"r001"_s);
    QCOMPARE(warnings.at(1).file, m_dir->filePath(u"r001_rev.sql"_s));
    QCOMPARE(warnings.at(1).line, firstUpgradeLine + 3);
    QCOMPARE(warnings.at(2).step, 2);
    QCOMPARE(warnings.at(2).revision, u"r000"_s);
    for (const PlanWarning &w : warnings)
        QVERIFY(w.isDestructive());
}

void TestPlanReview::exampleDowngradeToBase()
{
    Expected<Project> project =
        Project::open(QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations/alembic.ini"_s);
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    const RevisionMap &map = project->map();
    Expected<MigrationPlan> plan = MigrationPlan::downgrade(map, {u"9abc688b6311"_s}, u"base"_s);
    QVERIFY(plan);
    const QList<PlanWarning> warnings = PlanReview::review(map, *plan, Backend::SQLite);
    // Every DROP TABLE of the example's downgrade sections, each at its line in its file.
    int dropTables = 0;
    for (const PlanWarning &w : warnings) {
        QVERIFY2(w.line > 0, qPrintable(w.toString()));
        QFile file(w.file);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
        const QString atLine = lines.value(w.line - 1);
        if (w.kind == PlanWarning::Kind::DropTable) {
            ++dropTables;
            QVERIFY2(atLine.startsWith(u"DROP TABLE"_s, Qt::CaseInsensitive), qPrintable(w.toString()));
        }
        QCOMPARE(w.revision, map.revision(plan->steps().at(w.step).revision).id);
    }
    // Nine DROP TABLEs, three DROP COLUMNs and the merge's DROP VIEW; the "drop" in a comment of 696e23fe439e
    // is not one.
    QVERIFY2(dropTables == 9 && warnings.size() == 13, qPrintable(describe(warnings).join(u'\n')));
    QCOMPARE(warnings.first().kind, PlanWarning::Kind::DropColumn);
    QCOMPARE(warnings.first().revision, u"9abc688b6311"_s);
    QCOMPARE(warnings.first().text, u"drops column contact_email of table locations and its data"_s);
}

void TestPlanReview::exampleUpgradeIsQuiet()
{
    Expected<Project> project =
        Project::open(QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations/alembic.ini"_s);
    QVERIFY(project);
    Expected<MigrationPlan> plan = MigrationPlan::upgrade(project->map(), {}, u"head"_s);
    QVERIFY(plan);
    QCOMPARE(describe(PlanReview::review(project->map(), *plan, Backend::SQLite)), QStringList());
    // On MariaDB every step runs DDL (the merge creates a view): each says once that it cannot be rolled
    // back.
    const QList<PlanWarning> mysql = PlanReview::review(project->map(), *plan, Backend::MySQL);
    QList<int> steps;
    for (const PlanWarning &w : mysql) {
        QCOMPARE(w.kind, PlanWarning::Kind::NotTransactional);
        steps.append(w.step);
    }
    QCOMPARE(steps, (QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

void TestPlanReview::stampRunsNoSql()
{
    const RevisionMap map = buildChain({{u"DROP TABLE a;"_s, u"SELECT 1;"_s}});
    Expected<MigrationPlan> plan = MigrationPlan::stamp(map, {}, {u"head"_s}, false);
    QVERIFY(plan);
    QCOMPARE(plan->steps().size(), 1);
    QCOMPARE(PlanReview::review(map, *plan, Backend::MySQL).size(), 0);
}

QTEST_MAIN(TestPlanReview)
#include "tst_planreview.moc"
