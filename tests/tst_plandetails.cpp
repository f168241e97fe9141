// SPDX-License-Identifier: MIT
#include "database/dialect.h"
#include "execution/migrator.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "plan/offlinerenderer.h"
#include "plan/plandetails.h"
#include "plan/planreview.h"
#include "project/project.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <utility>

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

void writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

// "text @ line" per statement, to compare a step's statements in one go.
QStringList describe(const QList<SqlStatement> &statements)
{
    QStringList lines;
    for (const SqlStatement &statement : statements)
        lines.append(u"%1 @ %2"_s.arg(statement.text).arg(statement.line));
    return lines;
}

} // namespace

class TestPlanDetails : public QObject
{
    Q_OBJECT

private slots:
    void dryRunDetails();
    void findingsComeFromTheGivenStatements();
    void splitKeepsTheScriptError();
    void offlineScriptFromDetails();

private:
    // A native project in a new m_dir whose revisions (ids r000…, a chain, one (upgrade, downgrade) pair
    // each) are in versions/; its map.
    const RevisionMap &buildChain(const QList<std::pair<QString, QString>> &sections);
    // A chain whose steps have a finding each: a DELETE without WHERE, an empty downgrade, a DROP TABLE.
    const RevisionMap &buildReviewedChain();
    QString pathOf(const QString &id) const
    {
        return QDir(m_dir->filePath(u"versions"_s)).absoluteFilePath(id + u"_rev.sql"_s);
    }
    // The dry run of an upgrade to head on an empty SQLite database in m_dir, version table
    // "schema_versions".
    Expected<Migrator::Result> dryRun(const RevisionMap &map, Dialect *dialect = nullptr);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Project> m_project;
};

const RevisionMap &TestPlanDetails::buildChain(const QList<std::pair<QString, QString>> &sections)
{
    m_project.reset();
    m_dir = std::make_unique<QTemporaryDir>();
    QDir(m_dir->path()).mkpath(u"versions"_s);
    writeFile(m_dir->filePath(u"alembic.ini"_s),
              u"[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/plan.db\n"_s);
    for (qsizetype i = 0; i < sections.size(); ++i) {
        const QString id = u"r%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        const QString parent = i == 0 ? QString() : u"r%1"_s.arg(i - 1, 3, 10, QLatin1Char('0'));
        writeFile(pathOf(id), revisionText(id, parent, sections.at(i).first, sections.at(i).second));
    }
    Expected<Project> project = Project::open(m_dir->filePath(u"alembic.ini"_s));
    if (!project)
        qFatal("%s", qPrintable(project.error().toString()));
    m_project = std::make_unique<Project>(std::move(*project));
    return m_project->map();
}

const RevisionMap &TestPlanDetails::buildReviewedChain()
{
    return buildChain({
        {u"CREATE TABLE devices (id INTEGER PRIMARY KEY);\nINSERT INTO devices VALUES (1);\n"_s,
         u"DROP TABLE devices;\n"_s},
        {u"CREATE TABLE notes (\n    id INTEGER\n);\n\nDELETE FROM devices;\n"_s, u"\n"_s},
        {u"-- gone for good\nDROP TABLE notes;\n"_s, u"CREATE TABLE notes (id INTEGER);\n"_s},
    });
}

Expected<Migrator::Result> TestPlanDetails::dryRun(const RevisionMap &map, Dialect *dialect)
{
    MigratorOptions options;
    options.versionTable = u"schema_versions"_s;
    Migrator migrator(map, *DatabaseUrl::parse(u"sqlite:///"_s + m_dir->filePath(u"plan.db"_s)), options);
    if (dialect)
        *dialect = migrator.dialect();
    Migrator::Request request;
    request.kind = MigrationAction::Upgrade;
    request.targets = {u"head"_s};
    request.dryRun = true;
    return migrator.run(request);
}

void TestPlanDetails::dryRunDetails()
{
    const RevisionMap &map = buildReviewedChain();
    Dialect dialect = Dialect::forBackend(Backend::SQLite);
    const Expected<Migrator::Result> result = dryRun(map, &dialect);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
    const PlanDetails &details = result->details;

    QCOMPARE(details.plan().steps().size(), 3);
    QCOMPARE(details.plan().rowsAfter(), QStringList{u"r002"_s});
    QCOMPARE(details.backend(), Backend::SQLite);
    QCOMPARE(details.versionTable(), u"schema_versions"_s);
    QCOMPARE(details.qualifiedVersionTable(), dialect.qualifiedVersionTable());
    QVERIFY(details.purgeSql().isEmpty());
    QCOMPARE(details.steps().size(), 3);

    // Each step: its file, its section as written, and its statements with the lines they start on.
    const QList<QStringList> expectedStatements{
        {u"CREATE TABLE devices (id INTEGER PRIMARY KEY) @ 10"_s, u"INSERT INTO devices VALUES (1) @ 11"_s},
        {u"CREATE TABLE notes (\n    id INTEGER\n) @ 10"_s, u"DELETE FROM devices @ 14"_s},
        {u"DROP TABLE notes @ 11"_s},
    };
    const QStringList expectedSections{
        u"CREATE TABLE devices (id INTEGER PRIMARY KEY);\nINSERT INTO devices VALUES (1);"_s,
        u"CREATE TABLE notes (\n    id INTEGER\n);\n\nDELETE FROM devices;"_s,
        u"-- gone for good\nDROP TABLE notes;"_s,
    };
    for (int i = 0; i < 3; ++i) {
        const PlanDetails::Step &step = details.steps().at(i);
        const QString id = u"r%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        QCOMPARE(step.revisionId, id);
        QCOMPARE(step.file, pathOf(id));
        QVERIFY(!step.python);
        QVERIFY(!step.isStamp());
        QVERIFY(!step.scriptError);
        QCOMPARE(step.firstLine, firstUpgradeLine);
        QCOMPARE(step.section, expectedSections.at(i));
        QCOMPARE(describe(step.statements), expectedStatements.at(i));
        // The statements are the ones the run split, not a split of their own.
        QCOMPARE(describe(step.statements), describe(result->statements.at(i)));
    }

    // The version-table writes the run sends, in its dialect: the configured table.
    QCOMPARE(details.steps().at(0).versionSql, QStringList{dialect.insertVersionSql(u"r000"_s)});
    QCOMPARE(details.steps().at(1).versionSql, QStringList{dialect.updateVersionSql(u"r000"_s, u"r001"_s)});
    QCOMPARE(details.steps().at(2).versionSql, QStringList{dialect.updateVersionSql(u"r001"_s, u"r002"_s)});
    QVERIFY2(details.steps().at(0).versionSql.constFirst().contains(u"schema_versions"_s),
             qPrintable(details.steps().at(0).versionSql.constFirst()));

    // The findings are PlanReview's for the plan: a DELETE without WHERE, an empty downgrade, a DROP TABLE.
    const QList<PlanWarning> reviewed = PlanReview::review(map, details.plan(), Backend::SQLite);
    QCOMPARE(details.findings(), reviewed);
    QList<std::pair<PlanWarning::Kind, int>> kinds;
    for (const PlanWarning &warning : details.findings())
        kinds.append({warning.kind, warning.line});
    const int emptyDowngradeLine = map.revision(map.indexOf(u"r001"_s)).downgradeLine;
    const QList<std::pair<PlanWarning::Kind, int>> expectedKinds{
        {PlanWarning::Kind::DeleteWithoutWhere, 14},
        {PlanWarning::Kind::EmptyDowngrade, emptyDowngradeLine},
        {PlanWarning::Kind::DropTable, 11},
    };
    QCOMPARE(kinds, expectedKinds);
    QCOMPARE(details.plannerWarnings(), result->warnings);
}

void TestPlanDetails::findingsComeFromTheGivenStatements()
{
    const RevisionMap &map = buildReviewedChain();
    Dialect dialect = Dialect::forBackend(Backend::SQLite);
    const Expected<Migrator::Result> result = dryRun(map, &dialect);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));

    // Without the third step's statements, its DROP TABLE is not found: nothing was split again.
    QList<QList<SqlStatement>> statements = result->statements;
    statements[2].clear();
    const PlanDetails details =
        PlanDetails::fromStatements(map, result->plan, statements, dialect, {u"a planner warning"_s});
    QVERIFY(details.steps().at(2).statements.isEmpty());
    QCOMPARE(details.findings().size(), 2);
    QCOMPARE(details.findings().at(0).kind, PlanWarning::Kind::DeleteWithoutWhere);
    QCOMPARE(details.findings().at(1).kind, PlanWarning::Kind::EmptyDowngrade);
    QCOMPARE(details.plannerWarnings(), QStringList{u"a planner warning"_s});
}

void TestPlanDetails::splitKeepsTheScriptError()
{
    const RevisionMap &map = buildChain({
        {u"CREATE TABLE devices (id INTEGER PRIMARY KEY);\n"_s, u"DROP TABLE devices;\n"_s},
        {u"CREATE TABLE notes (id INTEGER);\nINSERT INTO notes VALUES ('open);\n"_s,
         u"DROP TABLE notes;\n"_s},
    });
    const Expected<MigrationPlan> plan = MigrationPlan::upgrade(map, {}, u"head"_s);
    QVERIFY(plan);
    const Dialect dialect = Dialect::forBackend(Backend::SQLite);
    const PlanDetails details = PlanDetails::split(map, *plan, dialect);

    QCOMPARE(details.steps().size(), 2);
    QVERIFY(!details.steps().at(0).scriptError);
    QCOMPARE(describe(details.steps().at(0).statements),
             QStringList{u"CREATE TABLE devices (id INTEGER PRIMARY KEY) @ 10"_s});

    const PlanDetails::Step &broken = details.steps().at(1);
    QVERIFY(broken.scriptError);
    QCOMPARE(broken.scriptError->file(), pathOf(u"r001"_s));
    QCOMPARE(broken.scriptError->line(), firstUpgradeLine + 1);
    QVERIFY2(broken.scriptError->message().contains(u"unterminated string literal"_s),
             qPrintable(broken.scriptError->message()));
    QVERIFY(broken.statements.isEmpty());
    // The section is still shown as written.
    QCOMPARE(broken.firstLine, firstUpgradeLine);
    QVERIFY(broken.section.endsWith(u"VALUES ('open);"_s));

    QCOMPARE(details.findings(), PlanReview::review(map, *plan, Backend::SQLite));
    QCOMPARE(details.findings().size(), 1);
    QCOMPARE(details.findings().at(0).kind, PlanWarning::Kind::ScriptError);
    QCOMPARE(details.findings().at(0).step, 1);
    QCOMPARE(details.findings().at(0).line, firstUpgradeLine + 1);

    // The offline script refuses it with the same file and line.
    const OfflineRenderer renderer(map, dialect, false);
    const Expected<QString> script = renderer.render(details, true);
    QVERIFY(!script);
    QCOMPARE(script.error().file(), pathOf(u"r001"_s));
    QCOMPARE(script.error().line(), firstUpgradeLine + 1);
}

void TestPlanDetails::offlineScriptFromDetails()
{
    const RevisionMap &map = buildReviewedChain();
    Dialect dialect = Dialect::forBackend(Backend::SQLite);
    const Expected<Migrator::Result> result = dryRun(map, &dialect);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));

    // The dry run's details render the script the plan renders.
    const OfflineRenderer renderer(map, dialect, false);
    QStringList fromPlanLog;
    QStringList fromDetailsLog;
    const Expected<QString> fromPlan = renderer.render(result->plan, true, &fromPlanLog);
    const Expected<QString> fromDetails = renderer.render(result->details, true, &fromDetailsLog);
    QVERIFY2(fromPlan, qPrintable(fromPlan ? QString() : fromPlan.error().toString()));
    QVERIFY2(fromDetails, qPrintable(fromDetails ? QString() : fromDetails.error().toString()));
    QCOMPARE(*fromDetails, *fromPlan);
    QCOMPARE(fromDetailsLog, fromPlanLog);
    QVERIFY2(fromDetails->contains(u"DELETE FROM devices;"_s), qPrintable(*fromDetails));
    QVERIFY2(fromDetails->contains(u"schema_versions"_s), qPrintable(*fromDetails));

    // Statements split for another backend are not rendered for this one.
    const PlanDetails postgres =
        PlanDetails::split(map, result->plan, Dialect::forBackend(Backend::PostgreSQL));
    const Expected<QString> mismatched = renderer.render(postgres, true);
    QVERIFY(!mismatched);
    QCOMPARE(mismatched.error().kind(), EngineError::Kind::Usage);
}

QTEST_GUILESS_MAIN(TestPlanDetails)
#include "tst_plandetails.moc"
