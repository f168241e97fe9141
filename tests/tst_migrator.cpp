// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "database/versiontable.h"
#include "execution/auditobserver.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "scripts/revisionsections.h"
#include "scripts/scriptchecksum.h"
#include "testservers.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// One generated revision file: a table t_<id> created on upgrade and dropped on downgrade, or custom SQL.
struct RevisionSpec
{
    QString id;
    QString revises;
    QString dependsOn;
    QString upgrade;   // empty: CREATE TABLE t_<id>
    QString downgrade; // empty: DROP TABLE t_<id>
    QString labels;
};

QString revisionText(const RevisionSpec &spec)
{
    const QString upgrade = spec.upgrade.isEmpty()
                                ? u"CREATE TABLE t_%1 (id INTEGER PRIMARY KEY);\n"_s.arg(spec.id)
                                : spec.upgrade;
    const QString downgrade =
        spec.downgrade.isEmpty() ? u"DROP TABLE t_%1;\n"_s.arg(spec.id) : spec.downgrade;
    return u"-- revision %1\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Branch labels: %3\n-- Depends on: "
           u"%4\n"
           u"-- Create Date: 2026-01-01 00:00:00.000000\n\n-- migrate:upgrade\n%5\n-- migrate:downgrade\n%6"_s
               .arg(spec.id, spec.revises, spec.labels, spec.dependsOn, upgrade, downgrade);
}

// Line 10 of a generated file is the first line after "-- migrate:upgrade".
constexpr int firstUpgradeLine = 10;

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(text.toUtf8());
    return true;
}

// A project in dir: alembic.ini plus versions/<id>_rev.sql per spec.
std::unique_ptr<Project> makeProject(const QString &dir, const QList<RevisionSpec> &specs, QString *error,
                                     bool perMigration = false)
{
    QDir().mkpath(dir + u"/versions"_s);
    writeFile(dir + u"/alembic.ini"_s,
              u"[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/x.db\n"
              u"transaction_per_migration = %1\n"_s.arg(perMigration ? u"true"_s : u"false"_s));
    for (const RevisionSpec &spec : specs)
        writeFile(dir + u"/versions/%1_rev.sql"_s.arg(spec.id), revisionText(spec));
    Expected<Project> project = Project::open(dir + u"/alembic.ini"_s);
    if (!project) {
        *error = project.error().toString();
        return nullptr;
    }
    return std::make_unique<Project>(std::move(project.value()));
}

QString revisionPath(const QString &dir, const QString &id)
{
    return QDir(dir + u"/versions"_s).absoluteFilePath(id + u"_rev.sql"_s);
}

// The graph of the branchy tests:
//   aaaa1111 -> bbbb2222 -------> dddd4444 (merge)
//            -> cccc3333 (side) /
//   eeee5555 (base, depends_on bbbb2222)
QList<RevisionSpec> branchySpecs()
{
    return {
        {u"aaaa1111"_s, {}, {}, {}, {}, {}},
        {u"bbbb2222"_s, u"aaaa1111"_s, {}, {}, {}, {}},
        {u"cccc3333"_s, u"aaaa1111"_s, {}, {}, {}, u"side"_s},
        {u"dddd4444"_s, u"bbbb2222, cccc3333"_s, {}, {}, {}, {}},
        {u"eeee5555"_s, {}, u"bbbb2222"_s, {}, {}, {}},
    };
}

// The tables of the connection's database (the version table included), sorted.
QStringList tablesOn(const QSqlDatabase &db, DatabaseUrl::Backend backend)
{
    QString sql;
    switch (backend) {
    case DatabaseUrl::Backend::SQLite:
        sql = u"SELECT name FROM sqlite_master WHERE type = 'table'"_s;
        break;
    case DatabaseUrl::Backend::PostgreSQL:
        sql = u"SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"_s;
        break;
    case DatabaseUrl::Backend::MySQL:
        sql = u"SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
              u"AND table_type = 'BASE TABLE'"_s;
        break;
    }
    QSqlQuery query(db);
    if (!query.exec(sql))
        return {u"<error: "_s + query.lastError().text() + u'>'};
    QStringList names;
    while (query.next())
        names.append(query.value(0).toString());
    names.sort();
    return names;
}

// Checks the rows after every step against the plan, on the run's own connection.
class RowChecker : public MigrationObserver
{
public:
    explicit RowChecker(Dialect dialect)
        : m_dialect(std::move(dialect))
    {}
    Expected<void> stepApplied(QSqlDatabase &db, const MigrationStepReport &report) override
    {
        VersionTable table(db, m_dialect);
        Expected<QStringList> rows = table.readRows();
        QStringList actual = rows ? *rows : QStringList{u"<error: "_s + rows.error().message()};
        QStringList expected = report.step->rowsAfter;
        actual.sort();
        expected.sort();
        if (actual != expected)
            mismatches.append(u"%1: rows %2, plan says %3"_s.arg(report.step->shortLog(), actual.join(u','),
                                                                 expected.join(u',')));
        // Generated revisions create t_<id> on upgrade and drop it on downgrade.
        if (checkTables && report.revision) {
            const bool present = tablesOn(db, m_dialect.backend()).contains(u"t_"_s + report.revision->id);
            if (present != (report.step->direction == MigrationStep::Direction::Upgrade))
                mismatches.append(u"%1: table t_%2 %3"_s.arg(report.step->shortLog(), report.revision->id,
                                                             present ? u"present"_s : u"missing"_s));
        }
        if (exampleMap)
            checkExampleTables(db, report);
        ++steps;
        return {};
    }
    // The bundled example's upgrade sections create tables and never drop one, so after every step the tables
    // present are exactly those created by the applied revisions (the ancestors of the rows).
    void checkExampleTables(const QSqlDatabase &db, const MigrationStepReport &report)
    {
        static const QRegularExpression createTable(u"CREATE TABLE (\\w+)"_s);
        QList<int> rowIndices;
        for (const QString &id : report.step->rowsAfter)
            rowIndices.append(exampleMap->indexOf(id));
        QStringList expected{m_dialect.versionTable()};
        for (int applied : exampleMap->ancestors(rowIndices)) {
            QRegularExpressionMatchIterator it =
                createTable.globalMatch(RevisionSections::readSql(exampleMap->revision(applied), true));
            while (it.hasNext())
                expected.append(it.next().captured(1));
        }
        expected.sort();
        QStringList actual = tablesOn(db, m_dialect.backend());
        actual.removeAll(u"qmigrate_history"_s);
        actual.removeAll(u"sqlite_sequence"_s);
        if (actual != expected)
            mismatches.append(u"%1: tables %2, applied revisions create %3"_s.arg(
                report.step->shortLog(), actual.join(u','), expected.join(u',')));
    }
    void stepFailed(QSqlDatabase &, const MigrationStepReport &report, const EngineError &error) override
    {
        failures.append(report.step->shortLog() + u": "_s + error.message());
        failedScripts.append(report.script);
        failedTimesValid.append(report.started.isValid() && report.finished >= report.started);
    }
    QStringList mismatches;
    QStringList failures;
    QStringList failedScripts;
    QList<bool> failedTimesValid;
    int steps = 0;
    bool checkTables = false;
    const RevisionMap *exampleMap = nullptr;

private:
    Dialect m_dialect;
};

struct Target
{
    QString backend;
    DatabaseUrl url;
    QString error;
};

} // namespace

class TstMigrator : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_counter = 0;

    // A fresh empty database on the backend, named after the test.
    Target target(const QString &backend, const QString &name)
    {
        Target result;
        result.backend = backend;
        if (backend == u"sqlite"_s) {
            const QString path = m_tmp.filePath(u"%1_%2.db"_s.arg(name).arg(++m_counter));
            QFile::remove(path);
            result.url = *DatabaseUrl::parse(u"sqlite:///"_s + path);
            return result;
        }
        const TestServer server = TestServers::freshDatabase(TestServers::server(backend), name);
        if (!server.isValid()) {
            result.error = server.error;
            return result;
        }
        result.url = server.url();
        return result;
    }

    static QStringList sorted(QStringList list)
    {
        list.sort();
        return list;
    }

    // The tables of the database (the version table included), sorted.
    static QStringList tables(const DatabaseUrl &url)
    {
        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(url, QString());
        if (!connection)
            return {u"<error: "_s + connection.error().message() + u'>'};
        return tablesOn((*connection)->database(), url.backend());
    }

    static QStringList rows(const DatabaseUrl &url, const Migrator::Request::Kind = {})
    {
        RevisionMap empty;
        Migrator migrator(empty, url);
        Expected<QStringList> current = migrator.currentRows();
        if (!current)
            return {u"<error: "_s + current.error().message() + u'>'};
        return sorted(*current);
    }

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    static Migrator::Request dryRun(const QString &upgradeTarget)
    {
        Migrator::Request request;
        request.targets = {upgradeTarget};
        request.dryRun = true;
        return request;
    }

    static Migrator::Request request(Migrator::Request::Kind kind, const QStringList &targets,
                                     bool purge = false)
    {
        Migrator::Request request;
        request.kind = kind;
        request.targets = targets;
        request.purge = purge;
        return request;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void branchyWalk_data() { addBackends(); }
    void branchyWalk()
    {
        QFETCH(QString, backend);
        const Target db = target(backend, u"migrator_branchy"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        const QString dir = m_tmp.filePath(u"branchy_"_s + backend);
        std::unique_ptr<Project> project = makeProject(dir, branchySpecs(), &error);
        QVERIFY2(project, qPrintable(error));

        using Kind = Migrator::Request::Kind;
        struct Command
        {
            Kind kind;
            QStringList targets;
            bool purge;
            int steps;
            QStringList rows;
            QStringList tables;
        };
        const QString v = u"alembic_version"_s;
        const QList<Command> commands = {
            {Kind::Upgrade,
             {u"heads"_s},
             false,
             5,
             {u"dddd4444"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_dddd4444"_s, u"t_eeee5555"_s}},
            {Kind::Downgrade, {u"base"_s}, false, 5, {}, {v}},
            {Kind::Upgrade,
             {u"cccc3333"_s},
             false,
             2,
             {u"cccc3333"_s},
             {v, u"t_aaaa1111"_s, u"t_cccc3333"_s}},
            {Kind::Upgrade,
             {u"heads"_s},
             false,
             3,
             {u"dddd4444"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_dddd4444"_s, u"t_eeee5555"_s}},
            {Kind::Downgrade,
             {u"bbbb2222"_s},
             false,
             1,
             {u"cccc3333"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_eeee5555"_s}},
            {Kind::Stamp,
             {u"base"_s},
             false,
             2,
             {},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_eeee5555"_s}},
            {Kind::Stamp,
             {u"cccc3333"_s, u"eeee5555"_s},
             true,
             2,
             {u"cccc3333"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_eeee5555"_s}},
            {Kind::Upgrade,
             {u"heads"_s},
             false,
             1,
             {u"dddd4444"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_dddd4444"_s, u"t_eeee5555"_s}},
            {Kind::Downgrade,
             {u"cccc3333"_s},
             false,
             1,
             {u"cccc3333"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_eeee5555"_s}},
            {Kind::Upgrade,
             {u"heads"_s},
             false,
             1,
             {u"dddd4444"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_dddd4444"_s, u"t_eeee5555"_s}},
            {Kind::Upgrade,
             {u"heads"_s},
             false,
             0,
             {u"dddd4444"_s, u"eeee5555"_s},
             {v, u"t_aaaa1111"_s, u"t_bbbb2222"_s, u"t_cccc3333"_s, u"t_dddd4444"_s, u"t_eeee5555"_s}},
        };
        for (const Command &command : commands) {
            const QString what = u"%1 %2"_s.arg(int(command.kind)).arg(command.targets.join(u' '));
            Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
            RowChecker checker(migrator.dialect());
            checker.checkTables = true;
            migrator.setObserver(&checker);
            Expected<Migrator::Result> result =
                migrator.run(request(command.kind, command.targets, command.purge));
            QVERIFY2(result, qPrintable(what + u": "_s + (result ? QString() : result.error().toString())));
            QVERIFY2(checker.mismatches.isEmpty(),
                     qPrintable(what + u": "_s + checker.mismatches.join(u"; "_s)));
            QVERIFY2(result->completedSteps == command.steps,
                     qPrintable(u"%1: %2 steps"_s.arg(what).arg(result->completedSteps)));
            QCOMPARE(checker.steps, command.steps);
            QCOMPARE(sorted(result->rowsAfter), command.rows);
            QCOMPARE(rows(db.url), command.rows);
            QCOMPARE(tables(db.url), sorted(command.tables));
        }
    }

    // The bundled example runs unchanged on every backend: up to its heads, down to base and back up, with
    // the rows and the tables checked after every step, inside the run.
    void exampleWalk_data() { addBackends(); }
    void exampleWalk()
    {
        QFETCH(QString, backend);
        const Target db = target(backend, u"example"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        Expected<Project> project =
            Project::open(QStringLiteral(QMIGRATE_SOURCE_DIR "/migrations/alembic.ini"));
        QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
        const qsizetype count = project->map().size();
        QStringList headIds;
        for (int head : project->map().heads())
            headIds.append(project->map().idOf(head));
        const QStringList heads = sorted(headIds);
        for (const QString &target : {u"heads"_s, u"base"_s, u"heads"_s}) {
            Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
            RowChecker checker(migrator.dialect());
            checker.exampleMap = &project->map();
            migrator.setObserver(&checker);
            QStringList logLines;
            MigratorCallbacks callbacks;
            callbacks.log = [&](const QString &line) { logLines.append(line); };
            migrator.setCallbacks(callbacks);
            const auto kind =
                target == u"base"_s ? Migrator::Request::Kind::Downgrade : Migrator::Request::Kind::Upgrade;
            Expected<Migrator::Result> result = migrator.run(request(kind, {target}));
            QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
            QVERIFY2(checker.mismatches.isEmpty(), qPrintable(checker.mismatches.join(u"; "_s)));
            QCOMPARE(checker.steps, int(count));
            QCOMPARE(result->completedSteps, int(count));
            QCOMPARE(logLines.value(0), u"Context impl %1."_s.arg(migrator.dialect().alembicImplName()));
            QCOMPARE(logLines.value(1), migrator.dialect().transactionalDdl()
                                            ? u"Will assume transactional DDL."_s
                                            : u"Will assume non-transactional DDL."_s);
            QCOMPARE(logLines.size(), int(count) + 2);
            QCOMPARE(logLines.value(2), result->plan.steps().first().logLine());
            QStringList present = tables(db.url);
            present.removeAll(u"qmigrate_history"_s);
            present.removeAll(u"sqlite_sequence"_s);
            if (target == u"base"_s) {
                QCOMPARE(rows(db.url), QStringList());
                QCOMPARE(present, QStringList{u"alembic_version"_s});
            } else {
                QCOMPARE(rows(db.url), heads);
                QVERIFY2(present.contains(u"devices"_s) && present.contains(u"alerts"_s) &&
                             present.contains(u"maintenance_windows"_s),
                         qPrintable(present.join(u',')));
            }
        }
    }

    void failureInjection_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("perMigration");
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s, u"mariadb"_s}) {
            QTest::addRow("%s whole run", qPrintable(backend)) << backend << false;
            QTest::addRow("%s per migration", qPrintable(backend)) << backend << true;
        }
    }
    void failureInjection()
    {
        QFETCH(QString, backend);
        QFETCH(bool, perMigration);
        const Target db = target(backend, u"migrator_failure"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        const QList<RevisionSpec> specs = {
            {u"f1f1f1f1"_s, {}, {}, {}, {}, {}},
            // The failing INSERT is the third statement, on file line firstUpgradeLine + 2.
            {u"f2f2f2f2"_s,
             u"f1f1f1f1"_s,
             {},
             u"CREATE TABLE t_f2a (id INTEGER PRIMARY KEY);\nCREATE TABLE t_f2b (id INTEGER PRIMARY KEY);\n"
             u"INSERT INTO no_such_table VALUES (1);\nCREATE TABLE t_f2c (id INTEGER PRIMARY KEY);\n"_s,
             u"DROP TABLE t_f2b;\nDROP TABLE t_f2a;\n"_s,
             {}},
            {u"f3f3f3f3"_s, u"f2f2f2f2"_s, {}, {}, {}, {}},
        };
        QString error;
        const QString dir = m_tmp.filePath(u"failure_%1_%2"_s.arg(backend).arg(perMigration));
        std::unique_ptr<Project> project = makeProject(dir, specs, &error, perMigration);
        QVERIFY2(project, qPrintable(error));
        QCOMPARE(project->config().transactionPerMigration(), perMigration);

        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        RowChecker checker(migrator.dialect());
        migrator.setObserver(&checker);
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"heads"_s}));
        QVERIFY(!result);
        const EngineError &failure = result.error();
        QCOMPARE(failure.kind(), EngineError::Kind::Database);
        QCOMPARE(failure.revision(), u"f2f2f2f2"_s);
        QCOMPARE(QFileInfo(failure.file()).canonicalFilePath(),
                 QFileInfo(revisionPath(dir, u"f2f2f2f2"_s)).canonicalFilePath());
        QCOMPARE(failure.line(), firstUpgradeLine + 2);
        const QString message = failure.message();
        QVERIFY2(
            message.startsWith(u"upgrade f1f1f1f1 -> f2f2f2f2 failed at line 12 (INSERT INTO no_such_table "
                               u"VALUES (1)): "_s),
            qPrintable(message));
        const QString serverText = backend == u"sqlite"_s ? u"no such table: no_such_table"_s
                                   : backend == u"postgresql"_s
                                       ? u"relation \"no_such_table\" does not exist"_s
                                       : u"no_such_table' doesn't exist"_s;
        QVERIFY2(message.contains(serverText), qPrintable(message));
        QCOMPARE(checker.failures.size(), 1);
        QCOMPARE(
            checker.failedScripts.value(0),
            RevisionSections::readSql(project->map().revision(project->map().indexOf(u"f2f2f2f2"_s)), true));
        QVERIFY(checker.failedScripts.value(0).contains(u"INSERT INTO no_such_table"_s));
        QCOMPARE(checker.failedTimesValid, QList<bool>{true});

        const bool mariadb = backend == u"mariadb"_s;
        // Where DDL is transactional the whole run rolls back unless each step had its own transaction.
        const bool f1Kept = mariadb || perMigration;
        QCOMPARE(rows(db.url), f1Kept ? QStringList{u"f1f1f1f1"_s} : QStringList());
        QStringList expectedTables;
        if (f1Kept)
            expectedTables << u"alembic_version"_s << u"t_f1f1f1f1"_s;
        else if (backend == u"sqlite"_s || backend == u"postgresql"_s)
            expectedTables.clear(); // the version table was created in the rolled-back transaction
        if (mariadb)
            expectedTables << u"t_f2a"_s << u"t_f2b"_s;
        QCOMPARE(tables(db.url), sorted(expectedTables));
        if (mariadb) {
            QVERIFY2(message.contains(
                         u"Already committed before the failure (MySQL/MariaDB commits DDL implicitly): "
                         u"line 10 CREATE TABLE t_f2a (id INTEGER PRIMARY KEY); line 11 CREATE TABLE "
                         u"t_f2b (id INTEGER PRIMARY KEY).\nThe database is between f1f1f1f1 and "
                         u"f2f2f2f2: alembic_version still says f1f1f1f1."_s),
                     qPrintable(message));
        } else {
            QVERIFY2(message.endsWith(u"\nRolled back; alembic_version is at %1."_s.arg(
                         f1Kept ? u"f1f1f1f1"_s : u"no revision (empty)"_s)),
                     qPrintable(message));
        }
    }

    // A step's version write goes out with its last statement on PostgreSQL (one round trip). A failure
    // is still told apart: the statement's names its line, a refused version write or one that matched no
    // row is the step's, as where the write goes out on its own (SQLite).
    void lastStatementAndVersionWriteFailures_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("upgrade");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("failure");
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
            const bool postgresql = backend == u"postgresql"_s;
            QTest::addRow("%s: the last statement", qPrintable(backend))
                << backend << u"CREATE TABLE t_a (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"_s
                << firstUpgradeLine + 1
                << u"upgrade v1v1v1v1 -> v2v2v2v2 failed at line 11 (INSERT INTO no_such_table VALUES (1)): "_s +
                       (postgresql ? u"ERROR: relation \"no_such_table\" does not exist"_s
                                   : u"no such table: no_such_table"_s);
            QTest::addRow("%s: no row to update", qPrintable(backend))
                << backend << u"DELETE FROM alembic_version;\n"_s << 0
                << u"upgrade v1v1v1v1 -> v2v2v2v2 failed: Online migration expected to match one row when "
                   u"updating 'v1v1v1v1' to 'v2v2v2v2' in 'alembic_version'; 0 found"_s;
            QTest::addRow("%s: the write refused", qPrintable(backend))
                << backend << u"DROP TABLE alembic_version;\n"_s << 0
                << u"upgrade v1v1v1v1 -> v2v2v2v2 failed: Updating 'v1v1v1v1' to 'v2v2v2v2' in "_s +
                       (postgresql
                            ? u"alembic_version failed: ERROR: relation \"alembic_version\" does not exist"_s
                            : u"alembic_version failed: no such table: alembic_version"_s);
        }
    }
    void lastStatementAndVersionWriteFailures()
    {
        QFETCH(QString, backend);
        QFETCH(QString, upgrade);
        QFETCH(int, line);
        QFETCH(QString, failure);
        const Target db = target(backend, u"migrator_lastfailure"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        std::unique_ptr<Project> project = makeProject(
            m_tmp.filePath(u"lastfailure_%1"_s.arg(++m_counter)),
            {{u"v1v1v1v1"_s, {}, {}, {}, {}, {}}, {u"v2v2v2v2"_s, u"v1v1v1v1"_s, {}, upgrade, {}, {}}},
            &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        QVERIFY(!result);
        QVERIFY2(result.error().message().startsWith(failure), qPrintable(result.error().message()));
        QCOMPARE(result.error().revision(), u"v2v2v2v2"_s);
        QCOMPARE(result.error().line(), line);
        // The whole run was one transaction: nothing of it stays.
        QVERIFY2(
            result.error().message().endsWith(u"\nRolled back; alembic_version is at no revision (empty)."_s),
            qPrintable(result.error().message()));
        QCOMPARE(rows(db.url), QStringList());
        QCOMPARE(tables(db.url), QStringList());
    }

    // The version write that goes out with a step's last statement still runs when that statement returns
    // rows or ends in a comment.
    void lastStatementWithRowsOrComment_data() { addBackends(); }
    void lastStatementWithRowsOrComment()
    {
        QFETCH(QString, backend);
        const Target db = target(backend, u"migrator_lastrows"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        std::unique_ptr<Project> project =
            makeProject(m_tmp.filePath(u"lastrows_%1"_s.arg(++m_counter)),
                        {{u"w1w1w1w1"_s,
                          {},
                          {},
                          u"CREATE TABLE t_w (id INTEGER);\nINSERT INTO t_w VALUES (1), (2);\n"_s,
                          u"DROP TABLE t_w;\n"_s,
                          {}},
                         {u"w2w2w2w2"_s,
                          u"w1w1w1w1"_s,
                          {},
                          u"SELECT id FROM t_w; -- both rows\n"_s,
                          u"SELECT 1;\n"_s,
                          {}},
                         {u"w3w3w3w3"_s,
                          u"w2w2w2w2"_s,
                          {},
                          u"UPDATE t_w SET id = id + 10 -- no semicolon after this\n"_s,
                          u"SELECT 1;\n"_s,
                          {}}},
                        &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        RowChecker checker(migrator.dialect());
        migrator.setObserver(&checker);
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QVERIFY2(checker.mismatches.isEmpty(), qPrintable(checker.mismatches.join(u'\n')));
        QCOMPARE(checker.steps, 3);
        QCOMPARE(rows(db.url), QStringList{u"w3w3w3w3"_s});
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(db.url, QString());
        QVERIFY(connection);
        QSqlQuery query((*connection)->database());
        QVERIFY(query.exec(u"SELECT SUM(id) FROM t_w"_s) && query.next());
        QCOMPARE(query.value(0).toInt(), 23);
    }

    // A failing DDL statement after DML in the same step: MariaDB committed the DML before even trying the
    // DDL.
    void failingDdlAfterDml_data() { addBackends(); }
    void failingDdlAfterDml()
    {
        QFETCH(QString, backend);
        const Target db = target(backend, u"migrator_ddl_after_dml"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        std::unique_ptr<Project> project = makeProject(
            m_tmp.filePath(u"ddlafterdml_"_s + backend),
            {{u"g1g1g1g1"_s, {}, {}, {}, {}, {}},
             {u"g2g2g2g2"_s,
              u"g1g1g1g1"_s,
              {},
              u"INSERT INTO t_g1g1g1g1 (id) VALUES (1);\nCREATE TABLE t_g1g1g1g1 (id INTEGER);\n"_s,
              u"SELECT 1;\n"_s,
              {}}},
            &error, true);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"heads"_s}));
        QVERIFY(!result);
        QCOMPARE(result.error().line(), firstUpgradeLine + 1);
        const QString message = result.error().message();
        const bool mariadb = backend == u"mariadb"_s;
        if (mariadb)
            QVERIFY2(message.contains(
                         u"Already committed before the failure (MySQL/MariaDB commits implicitly before a "
                         u"DDL statement, even a failing one): line 10 INSERT INTO t_g1g1g1g1 (id) VALUES "
                         u"(1).\n"_s),
                     qPrintable(message));
        else
            QVERIFY2(message.endsWith(u"\nRolled back; alembic_version is at g1g1g1g1."_s),
                     qPrintable(message));
        QCOMPARE(rows(db.url), QStringList{u"g1g1g1g1"_s});
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(db.url, QString());
        QVERIFY(connection);
        QSqlQuery query(u"SELECT COUNT(*) FROM t_g1g1g1g1"_s, (*connection)->database());
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), mariadb ? 1 : 0);
    }

    // Refused before anything runs, even when the bad revision is the second of the run and per-migration
    // transactions would have committed the first: the database stays untouched (not even the version table).
    void refusals_data()
    {
        QTest::addColumn<QString>("upgradeSql");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("commit") << u"CREATE TABLE t_x (id INTEGER);\nCOMMIT;\n"_s << firstUpgradeLine + 1
                                << u"Revision r2r2r2r2, upgrade section: line 11 (COMMIT) is a transaction "
                                   u"control statement, which a "
                                   u"revision may not contain: qmigrate manages the transactions (put a \"-- "
                                   u"migrate:no-transaction\" "
                                   u"line before statements that must run outside one); nothing was run"_s;
        QTest::newRow("begin")
            << u"\n\nBEGIN;\nCREATE TABLE t_x (id INTEGER);\n"_s << firstUpgradeLine + 2
            << u"Revision r2r2r2r2, upgrade section: line 12 (BEGIN) is a transaction control "
               u"statement"_s;
        QTest::newRow("start transaction")
            << u"START TRANSACTION;\n"_s << firstUpgradeLine
            << u"Revision r2r2r2r2, upgrade section: line 10 (START TRANSACTION)"_s;
        QTest::newRow("unterminated string") << u"SELECT 1;\nINSERT INTO t VALUES ('oops);\n"_s
                                             << firstUpgradeLine + 1 << u"unterminated string literal"_s;
    }
    void refusals()
    {
        QFETCH(QString, upgradeSql);
        QFETCH(int, line);
        QFETCH(QString, expected);
        const Target db = target(u"sqlite"_s, u"refusal"_s);
        QString error;
        const QString dir = m_tmp.filePath(u"refusal_%1"_s.arg(++m_counter));
        std::unique_ptr<Project> project = makeProject(
            dir,
            {{u"r1r1r1r1"_s, {}, {}, {}, {}, {}}, {u"r2r2r2r2"_s, u"r1r1r1r1"_s, {}, upgradeSql, {}, {}}},
            &error, true);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        for (bool dryRun : {true, false}) {
            Migrator::Request upgrade = request(Migrator::Request::Kind::Upgrade, {u"head"_s});
            upgrade.dryRun = dryRun;
            Expected<Migrator::Result> result = migrator.run(upgrade);
            QVERIFY(!result);
            QVERIFY2(result.error().message().startsWith(expected), qPrintable(result.error().message()));
            QCOMPARE(result.error().kind(), EngineError::Kind::Project);
            QCOMPARE(result.error().revision(), u"r2r2r2r2"_s);
            QCOMPARE(QFileInfo(result.error().file()).fileName(), u"r2r2r2r2_rev.sql"_s);
            QCOMPARE(result.error().line(), line);
            QCOMPARE(tables(db.url), QStringList());
        }
    }

    // A long plan's files are read on two threads; what is refused is still the first bad step in plan order,
    // whichever thread reads it, and a good plan runs every step in order.
    void longPlanRefusesItsFirstBadStep()
    {
        constexpr int count = 240;
        const auto id = [](int n) { return u"s%1"_s.arg(n, 7, 10, QLatin1Char('0')); };
        QList<RevisionSpec> specs;
        for (int n = 0; n < count; ++n)
            specs.append({id(n), n == 0 ? QString() : id(n - 1), {}, {}, {}, {}});
        specs[181].upgrade = u"CREATE TABLE t_late (id INTEGER);\nCOMMIT;\n"_s;
        specs[57].upgrade = u"SELECT 1;\nINSERT INTO t VALUES ('oops);\n"_s;
        specs[58].upgrade = u"BEGIN;\n"_s;
        QString error;
        const QString dir = m_tmp.filePath(u"longplan"_s);
        QVERIFY2(makeProject(dir, specs, &error), qPrintable(error));
        const Target db = target(u"sqlite"_s, u"longplan"_s);
        const auto open = [&dir] { return Project::open(dir + u"/alembic.ini"_s); };
        const auto expectRefused = [&](const Project &project, const QString &revision,
                                       const QString &start) {
            Migrator migrator(project.map(), db.url, MigratorOptions::fromConfig(project.config()));
            for (int attempt = 0; attempt < 20; ++attempt) {
                Expected<Migrator::Result> result =
                    migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
                QVERIFY(!result);
                QCOMPARE(result.error().revision(), revision);
                QVERIFY2(result.error().message().startsWith(start), qPrintable(result.error().message()));
                QCOMPARE(tables(db.url), QStringList());
            }
        };
        const auto repair = [&](int n) {
            specs[n].upgrade.clear();
            return writeFile(revisionPath(dir, id(n)), revisionText(specs[n]));
        };

        Expected<Project> project = open();
        QVERIFY(project);
        expectRefused(*project, id(57), u"unterminated string literal"_s);
        // A file gone since the project was read, before the first bad one, is what the run names.
        QVERIFY(QFile::remove(revisionPath(dir, id(12))));
        expectRefused(*project, id(12), u"Cannot read the script"_s);
        QVERIFY(writeFile(revisionPath(dir, id(12)), revisionText(specs[12])));
        QVERIFY(repair(57));
        project = open();
        QVERIFY(project);
        expectRefused(
            *project, id(58),
            u"Revision %1, upgrade section: line 10 (BEGIN) is a transaction control"_s.arg(id(58)));
        QVERIFY(repair(58));
        project = open();
        QVERIFY(project);
        expectRefused(*project, id(181), u"Revision %1, upgrade section: line 11 (COMMIT)"_s.arg(id(181)));
        QVERIFY(repair(181));

        project = open();
        QVERIFY(project);
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        QStringList logged;
        MigratorCallbacks callbacks;
        callbacks.log = [&logged](const QString &line) { logged.append(line); };
        migrator.setCallbacks(callbacks);
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QCOMPARE(result->completedSteps, count);
        QCOMPARE(rows(db.url), QStringList{id(count - 1)});
        QCOMPARE(tables(db.url).size(), count + 1);
        QStringList expectedLog;
        for (qsizetype n = 0; n < count; ++n) {
            const MigrationStep &step = result->plan.steps().at(n);
            QCOMPARE(step.revisionId, id(int(n)));
            expectedLog.append(step.logLine());
        }
        QCOMPARE(logged.filter(u"Running upgrade"_s), expectedLog);
    }

    void pythonRevisionIsRefusedBeforeAnythingRuns()
    {
        const Target db = target(u"sqlite"_s, u"python"_s);
        const QString dir = m_tmp.filePath(u"python"_s);
        QString error;
        std::unique_ptr<Project> project = makeProject(dir, {{u"p1p1p1p1"_s, {}, {}, {}, {}, {}}}, &error);
        QVERIFY2(project, qPrintable(error));
        QVERIFY(writeFile(
            dir + u"/versions/p2p2p2p2_py.py"_s,
            u"\"\"\"py\n\nRevision ID: p2p2p2p2\n\"\"\"\nrevision = 'p2p2p2p2'\ndown_revision = "
            u"'p1p1p1p1'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\n"
            u"def downgrade():\n    pass\n"_s));
        Expected<Project> reopened = Project::open(dir + u"/alembic.ini"_s);
        QVERIFY2(reopened, qPrintable(reopened ? QString() : reopened.error().toString()));
        Migrator migrator(reopened->map(), db.url, MigratorOptions::fromConfig(reopened->config()));
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        QVERIFY(!result);
        QCOMPARE(result.error().revision(), u"p2p2p2p2"_s);
        QVERIFY2(result.error().message().startsWith(u"Revision p2p2p2p2 is an Alembic Python script ("_s),
                 qPrintable(result.error().message()));
        // A native project (no env.py) with a .py revision: no Alembic to run it in.
        QVERIFY2(result.error().message().contains(u"has no env.py for it to run in; nothing was run"_s),
                 qPrintable(result.error().message()));
        QCOMPARE(QFileInfo(result.error().file()).fileName(), u"p2p2p2p2_py.py"_s);
        QCOMPARE(tables(db.url), QStringList()); // not even the version table
    }

    // A run told which rows its previewed plan started from refuses, before anything runs, when another run
    // moved the database in between; with the same rows (in any order) it runs.
    void expectedRowsGuardThePreview_data() { addBackends(); }
    void expectedRowsGuardThePreview()
    {
        QFETCH(QString, backend);
        const Target db = target(backend, u"migrator_expected"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        std::unique_ptr<Project> project =
            makeProject(m_tmp.filePath(u"expected_"_s + backend),
                        {{u"e1e1e1e1"_s, {}, {}, {}, {}, {}}, {u"e2e2e2e2"_s, u"e1e1e1e1"_s, {}, {}, {}, {}}},
                        &error, true);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        Migrator::Request preview = request(Migrator::Request::Kind::Upgrade, {u"head"_s});
        preview.expectedRows = QStringList{u"e1e1e1e1"_s}; // the preview thought e1 was applied
        Expected<Migrator::Result> refused = migrator.run(preview);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind(), EngineError::Kind::Database);
        QCOMPARE(
            refused.error().message(),
            u"The database changed since the plan was made: its version table was at e1e1e1e1 and is now "
            u"at no revision (empty). Nothing was run; review the new plan."_s);
        QCOMPARE(rows(db.url), QStringList());
        QCOMPARE(tables(db.url), QStringList());

        preview.expectedRows = QStringList();
        Expected<Migrator::Result> ran = migrator.run(preview);
        QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
        QCOMPARE(ran->completedSteps, 2);
        QCOMPARE(rows(db.url), QStringList{u"e2e2e2e2"_s});
    }

    // A script saved after the project was read never runs unseen: the run reads every file of the plan
    // again and refuses, before anything runs, when one is no longer the text the plan was made from.
    void changedScriptIsRefused_data() { addBackends(); }
    void changedScriptIsRefused()
    {
        QFETCH(QString, backend);
        const Target db = target(backend, u"migrator_changed"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        const QString dir = m_tmp.filePath(u"changed_"_s + backend);
        std::unique_ptr<Project> project = makeProject(
            dir, {{u"f1f1f1f1"_s, {}, {}, {}, {}, {}}, {u"f2f2f2f2"_s, u"f1f1f1f1"_s, {}, {}, {}, {}}},
            &error, true);
        QVERIFY2(project, qPrintable(error));
        // Only trailing blanks: the same text by the checksum's rules, so the run is not refused for it.
        QVERIFY(writeFile(revisionPath(dir, u"f1f1f1f1"_s),
                          revisionText({u"f1f1f1f1"_s, {}, {}, {}, {}, {}}) + u"  \n\n"_s));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        Expected<Migrator::Result> dry = migrator.run(dryRun(u"head"_s));
        QVERIFY2(dry, qPrintable(dry ? QString() : dry.error().toString()));
        const MigrationPlan shown = dry->plan;
        QCOMPARE(shown.steps().at(1).scriptChecksum, project->map().revision(1).checksum.toHex());

        // The second revision's file is edited after the plan was made.
        const QString edited = revisionPath(dir, u"f2f2f2f2"_s);
        QVERIFY(writeFile(edited, revisionText({u"f2f2f2f2"_s,
                                                u"f1f1f1f1"_s,
                                                {},
                                                u"CREATE TABLE t_other (id INTEGER PRIMARY KEY);\n"_s,
                                                {},
                                                {}})));
        Expected<Migrator::Result> refused =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind(), EngineError::Kind::Project);
        QCOMPARE(refused.error().file(), edited);
        QCOMPARE(refused.error().revision(), u"f2f2f2f2"_s);
        QVERIFY2(refused.error().message().contains(u"changed on disk after the project was read"_s),
                 qPrintable(refused.error().message()));
        QCOMPARE(rows(db.url), QStringList());
        QCOMPARE(tables(db.url), QStringList()); // not even the first step, nor the version table

        // With the preview's plan the message says to re-open the preview.
        Migrator::Request previewed = request(Migrator::Request::Kind::Upgrade, {u"head"_s});
        previewed.previewedPlan = shown;
        refused = migrator.run(previewed);
        QVERIFY(!refused);
        QCOMPARE(
            refused.error().message(),
            u"Revision f2f2f2f2: %1 changed since the preview: re-open the preview. Nothing was run."_s.arg(
                QDir::toNativeSeparators(edited)));
        QCOMPARE(tables(db.url), QStringList());

        // The project read again has the new text: a new preview runs it, and only it.
        project = std::make_unique<Project>(std::move(Project::open(dir + u"/alembic.ini"_s).value()));
        Migrator reread(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        // The old preview against the new scripts is refused too: its checksum is the old text's.
        refused = reread.run(previewed);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message().contains(u"changed since the preview"_s),
                 qPrintable(refused.error().message()));
        dry = reread.run(dryRun(u"head"_s));
        QVERIFY(dry);
        previewed.previewedPlan = dry->plan;
        Expected<Migrator::Result> ran = reread.run(previewed);
        QVERIFY2(ran, qPrintable(ran ? QString() : ran.error().toString()));
        QCOMPARE(rows(db.url), QStringList{u"f2f2f2f2"_s});
        QStringList expected{u"alembic_version"_s, u"t_f1f1f1f1"_s, u"t_other"_s};
        QCOMPARE(tables(db.url), expected);
    }

    // A preview of "upgrade to head" made before a new revision file appeared does not run the new one.
    void changedPlanIsRefused()
    {
        const Target db = target(u"sqlite"_s, u"changed_plan"_s);
        QString error;
        const QString dir = m_tmp.filePath(u"changed_plan"_s);
        std::unique_ptr<Project> project = makeProject(dir, {{u"g1g1g1g1"_s, {}, {}, {}, {}, {}}}, &error);
        QVERIFY2(project, qPrintable(error));
        Migrator before(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        Expected<Migrator::Result> dry = before.run(dryRun(u"head"_s));
        QVERIFY(dry);
        QVERIFY(writeFile(revisionPath(dir, u"g2g2g2g2"_s),
                          revisionText({u"g2g2g2g2"_s, u"g1g1g1g1"_s, {}, {}, {}, {}})));
        project = std::make_unique<Project>(std::move(Project::open(dir + u"/alembic.ini"_s).value()));
        Migrator after(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        Migrator::Request previewed = request(Migrator::Request::Kind::Upgrade, {u"head"_s});
        previewed.previewedPlan = dry->plan;
        Expected<Migrator::Result> refused = after.run(previewed);
        QVERIFY(!refused);
        QCOMPARE(
            refused.error().message(),
            u"The plan changed since the preview: it had 1 step(s) and now has 2 (step 2 is new: Running "
            u"upgrade g1g1g1g1 -> g2g2g2g2, revision g2g2g2g2). Re-open the preview. Nothing was run."_s);
        QCOMPARE(tables(db.url), QStringList());
    }

    // The audit row keeps the text that ran, even when the file is saved again while the run goes on.
    void auditKeepsTheTextThatRan()
    {
        const Target db = target(u"sqlite"_s, u"audit_text"_s);
        QString error;
        const QString dir = m_tmp.filePath(u"audit_text"_s);
        std::unique_ptr<Project> project = makeProject(dir, {{u"h1h1h1h1"_s, {}, {}, {}, {}, {}}}, &error);
        QVERIFY2(project, qPrintable(error));
        const QString path = revisionPath(dir, u"h1h1h1h1"_s);
        const QString ran = ScriptChecksum::normalize(revisionText({u"h1h1h1h1"_s, {}, {}, {}, {}, {}}));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        MigratorCallbacks callbacks;
        callbacks.stepStarted = [&](int, int, const MigrationStep &) {
            writeFile(path, revisionText(
                                {u"h1h1h1h1"_s, {}, {}, u"CREATE TABLE saved_later (id INT);\n"_s, {}, {}}));
        };
        migrator.setCallbacks(callbacks);
        AuditObserver audit;
        migrator.setObserver(&audit);
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(db.url, QString());
        QVERIFY(connection);
        Expected<QList<HistoryEntry>> entries =
            AuditHistory((*connection)->database(), migrator.dialect()).entries();
        QVERIFY(entries);
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->first().scriptText, ran);
        QCOMPARE(entries->first().checksum, ScriptChecksum::checksum(ran));
        QVERIFY(tables(db.url).contains(u"t_h1h1h1h1"_s));
        QVERIFY(!tables(db.url).contains(u"saved_later"_s));
    }

    void cancelRollsBackTheStep()
    {
        const Target db = target(u"sqlite"_s, u"cancel"_s);
        QString error;
        std::unique_ptr<Project> project =
            makeProject(m_tmp.filePath(u"cancel"_s),
                        {{u"c1c1c1c1"_s, {}, {}, {}, {}, {}},
                         {u"c2c2c2c2"_s,
                          u"c1c1c1c1"_s,
                          {},
                          u"CREATE TABLE t_a (id INTEGER);\nCREATE TABLE t_b (id INTEGER);\n"_s,
                          {},
                          {}}},
                        &error, true);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        std::atomic_bool cancel = false;
        migrator.setCancelToken(&cancel);
        QStringList started;
        MigratorCallbacks callbacks;
        callbacks.statementStarted = [&](int index, const SqlStatement &statement) {
            started.append(u"%1:%2"_s.arg(index).arg(statement.line));
            if (index == 1)
                cancel = true;
        };
        migrator.setCallbacks(callbacks);
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        QVERIFY(!result);
        QCOMPARE(started, (QStringList{u"0:10"_s, u"1:10"_s}));
        QVERIFY2(result.error().message().startsWith(
                     u"upgrade c1c1c1c1 -> c2c2c2c2 failed at line 11 (CREATE TABLE "
                     u"t_b (id INTEGER)): cancelled by the user"_s),
                 qPrintable(result.error().message()));
        QCOMPARE(rows(db.url), QStringList{u"c1c1c1c1"_s});
        QCOMPARE(tables(db.url), (QStringList{u"alembic_version"_s, u"t_c1c1c1c1"_s}));
    }

    // "-- migrate:no-transaction" (indented here: SqlRevisionParser still rejects the marker at the start of
    // a line) commits what came before, runs the statement outside a transaction (VACUUM and CREATE INDEX
    // CONCURRENTLY refuse to run in one) and begins again. A later failure leaves the committed part listed.
    void noTransactionMarker_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("statement");
        QTest::addColumn<bool>("failAfter");
        QTest::newRow("sqlite VACUUM") << u"sqlite"_s << u"VACUUM"_s << false;
        QTest::newRow("postgresql CREATE INDEX CONCURRENTLY")
            << u"postgresql"_s << u"CREATE INDEX CONCURRENTLY ix_a ON t_a (id)"_s << false;
        QTest::newRow("sqlite, failure after") << u"sqlite"_s << u"VACUUM"_s << true;
        QTest::newRow("postgresql, failure after")
            << u"postgresql"_s << u"CREATE INDEX CONCURRENTLY ix_a ON t_a (id)"_s << true;
    }
    void noTransactionMarker()
    {
        QFETCH(QString, backend);
        QFETCH(QString, statement);
        QFETCH(bool, failAfter);
        const Target db = target(backend, u"migrator_notx"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        const QString last =
            failAfter ? u"INSERT INTO no_such_table VALUES (1);\n"_s : u"CREATE TABLE t_b (id INTEGER);\n"_s;
        std::unique_ptr<Project> project = makeProject(
            m_tmp.filePath(u"notx_%1"_s.arg(++m_counter)),
            {{u"n1n1n1n1"_s, {}, {}, {}, {}, {}},
             {u"n2n2n2n2"_s,
              u"n1n1n1n1"_s,
              {},
              u"CREATE TABLE t_a (id INTEGER);\n  -- migrate:no-transaction\n%1;\n%2"_s.arg(statement, last),
              u"DROP TABLE t_b;\nDROP TABLE t_a;\n"_s,
              {}}},
            &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        if (!failAfter) {
            QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
            QCOMPARE(rows(db.url), QStringList{u"n2n2n2n2"_s});
            QCOMPARE(tables(db.url),
                     (QStringList{u"alembic_version"_s, u"t_a"_s, u"t_b"_s, u"t_n1n1n1n1"_s}));
            return;
        }
        QVERIFY(!result);
        QCOMPARE(result.error().line(), firstUpgradeLine + 3);
        // The commit before the marker made n1n1n1n1 (whole-run transaction) and t_a permanent.
        QVERIFY2(
            result.error().message().contains(
                u"Already committed before the failure (committed around a \"-- migrate:no-transaction\" "
                u"statement): line 10 CREATE TABLE "
                u"t_a "
                u"(id INTEGER); line 12 %1.\nThe database is between n1n1n1n1 and n2n2n2n2: alembic_version "
                u"still says n1n1n1n1."_s.arg(statement)),
            qPrintable(result.error().message()));
        QCOMPARE(rows(db.url), QStringList{u"n1n1n1n1"_s});
        QCOMPARE(tables(db.url), (QStringList{u"alembic_version"_s, u"t_a"_s, u"t_n1n1n1n1"_s}));
    }

    void versionTableOneRowChecks()
    {
        const Target db = target(u"sqlite"_s, u"onerow"_s);
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(db.url, QString());
        QVERIFY(connection);
        VersionTable table((*connection)->database(), Dialect::forBackend(DatabaseUrl::Backend::SQLite));
        QCOMPARE(*table.readRows(), QStringList());
        QCOMPARE(*table.createIfMissing(), true);
        QCOMPARE(*table.createIfMissing(), false);
        Expected<void> failed = table.apply(VersionChange::update(u"aaaa"_s, u"bbbb"_s));
        QVERIFY(!failed);
        QCOMPARE(failed.error().message(),
                 u"Online migration expected to match one row when updating 'aaaa' to 'bbbb' in "
                 u"'alembic_version'; 0 found"_s);
        failed = table.apply(VersionChange::remove(u"aaaa"_s));
        QVERIFY(!failed);
        QCOMPARE(
            failed.error().message(),
            u"Online migration expected to match one row when deleting 'aaaa' in 'alembic_version'; 0 found"_s);
        QVERIFY(table.apply(VersionChange::insert(u"aaaa"_s)));
        QVERIFY(table.apply(VersionChange::update(u"aaaa"_s, u"bbbb"_s)));
        QCOMPARE(*table.readRows(), QStringList{u"bbbb"_s});
    }

    void concurrentUpgrades_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }
    // The first run holds the lock while its first step runs; the second waits, then finds nothing to do. The
    // first step goes on only once the second has said that it waits, and for whom: no sleep decides the
    // order.
    void concurrentUpgrades()
    {
        QFETCH(QString, backend);
        const Target db = target(backend, u"migrator_concurrent"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        std::unique_ptr<Project> project =
            makeProject(m_tmp.filePath(u"concurrent_"_s + backend), branchySpecs(), &error);
        QVERIFY2(project, qPrintable(error));
        QSemaphore firstStepStarted;
        QSemaphore secondWaits;
        std::atomic_bool secondSaidItWaits = false;
        QStringList secondLog;
        std::optional<Expected<Migrator::Result>> first;
        std::optional<Expected<Migrator::Result>> second;
        std::unique_ptr<QThread> one(QThread::create([&] {
            Migrator migrator(project->map(), db.url, MigratorOptions::fromConfig(project->config()));
            MigratorCallbacks callbacks;
            callbacks.stepStarted = [&](int index, int, const MigrationStep &) {
                if (index == 0) {
                    firstStepStarted.release();
                    secondSaidItWaits = secondWaits.tryAcquire(1, 30000);
                }
            };
            migrator.setCallbacks(callbacks);
            first = migrator.run(request(Migrator::Request::Kind::Upgrade, {u"heads"_s}));
        }));
        std::unique_ptr<QThread> two(QThread::create([&] {
            firstStepStarted.acquire();
            MigratorOptions options = MigratorOptions::fromConfig(project->config());
            options.lockTimeoutSeconds = 30;
            Migrator migrator(project->map(), db.url, options);
            MigratorCallbacks callbacks;
            callbacks.log = [&](const QString &line) {
                secondLog.append(line);
                if (line.startsWith(u"Waiting up to 30 s for the migration lock"_s))
                    secondWaits.release();
            };
            migrator.setCallbacks(callbacks);
            second = migrator.run(request(Migrator::Request::Kind::Upgrade, {u"heads"_s}));
        }));
        one->start();
        two->start();
        QVERIFY(one->wait(60000));
        QVERIFY(two->wait(60000));
        QVERIFY2(secondSaidItWaits, qPrintable(secondLog.join(u'\n')));
        QVERIFY(first && second);
        QVERIFY2(*first, qPrintable(*first ? QString() : first->error().toString()));
        QVERIFY2(*second, qPrintable(*second ? QString() : second->error().toString()));
        QCOMPARE((*first)->completedSteps, 5);
        QCOMPARE((*second)->completedSteps, 0);
        QCOMPARE(sorted((*second)->rowsBefore), (QStringList{u"dddd4444"_s, u"eeee5555"_s}));
        QCOMPARE(rows(db.url), (QStringList{u"dddd4444"_s, u"eeee5555"_s}));
        const QStringList waits = secondLog.filter(u"Waiting up to 30 s"_s);
        QCOMPARE(waits.size(), 1);
        // Who holds it: the server's session for PostgreSQL and MariaDB, this process for SQLite's lock file.
        QVERIFY2(waits.first().contains(u"(held by "_s), qPrintable(waits.first()));
        if (backend == u"sqlite"_s)
            QVERIFY2(waits.first().contains(QString::number(QCoreApplication::applicationPid())),
                     qPrintable(waits.first()));
    }

    // PostgreSQL, in a transaction of many steps: a statement that gives up waiting for a lock goes back to
    // the last savepoint. With savepoints set at most every savepointIntervalMs, that savepoint may be
    // before earlier steps of the run, which then run again with the step; their kept-back audit rows are
    // dropped with them, so each step ends with one row. With an interval of 0 every step has its own.
    void lockWaitRetryGoesBackToTheLastSavepoint_data()
    {
        QTest::addColumn<int>("intervalMs");
        QTest::addColumn<int>("replayed");
        QTest::newRow("a savepoint per step") << 0 << 0;
        QTest::newRow("one savepoint for the run") << 3600 * 1000 << 2;
    }
    void lockWaitRetryGoesBackToTheLastSavepoint()
    {
        QFETCH(int, intervalMs);
        QFETCH(int, replayed);
        const Target db = target(u"postgresql"_s, u"migrator_savepoints"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        std::unique_ptr<Project> project = makeProject(
            m_tmp.filePath(u"savepoints_%1"_s.arg(++m_counter)),
            {{u"s0s0s0s0"_s, {}, {}, u"CREATE TABLE held (id INTEGER);\n"_s, u"DROP TABLE held;\n"_s, {}},
             {u"s1s1s1s1"_s, u"s0s0s0s0"_s, {}, {}, {}, {}},
             {u"s2s2s2s2"_s, u"s1s1s1s1"_s, {}, {}, {}, {}},
             {u"s3s3s3s3"_s,
              u"s2s2s2s2"_s,
              {},
              u"ALTER TABLE held ADD COLUMN c INTEGER;\n"_s,
              u"ALTER TABLE held DROP COLUMN c;\n"_s,
              {}}},
            &error);
        QVERIFY2(project, qPrintable(error));
        MigratorOptions options = MigratorOptions::fromConfig(project->config());
        options.lockWaitSeconds = 1;
        options.lockRetries = 3;
        options.savepointIntervalMs = intervalMs;
        {
            Migrator first(project->map(), db.url, options);
            Expected<Migrator::Result> created =
                first.run(request(Migrator::Request::Kind::Upgrade, {u"s0s0s0s0"_s}));
            QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
        }
        Expected<std::shared_ptr<DatabaseConnection>> holder = DatabaseConnection::open(db.url, QString());
        QVERIFY(holder);
        QSqlQuery hold((*holder)->database());
        QVERIFY(hold.exec(u"BEGIN"_s));
        QVERIFY2(hold.exec(u"LOCK TABLE held IN ACCESS EXCLUSIVE MODE"_s),
                 qPrintable(hold.lastError().text()));

        QSemaphore gaveUp;
        QStringList log;
        QStringList warnings;
        std::optional<Expected<Migrator::Result>> result;
        AuditObserver audit;
        std::unique_ptr<QThread> run(QThread::create([&] {
            Migrator migrator(project->map(), db.url, options);
            MigratorCallbacks callbacks;
            callbacks.log = [&](const QString &line) { log.append(line); };
            callbacks.warning = [&](const QString &warning) {
                warnings.append(warning);
                gaveUp.release();
            };
            migrator.setCallbacks(callbacks);
            migrator.setObserver(&audit);
            result = migrator.run(request(Migrator::Request::Kind::Upgrade, {u"head"_s}));
        }));
        run->start();
        const bool waited = gaveUp.tryAcquire(1, 30000);
        QVERIFY(hold.exec(u"ROLLBACK"_s));
        QVERIFY(run->wait(60000));
        QVERIFY(waited);
        QVERIFY(result.has_value());
        QVERIFY2(*result, qPrintable(*result ? QString() : result->error().toString()));

        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().contains(
                     u"upgrade s2s2s2s2 -> s3s3s3s3: line %1 (ALTER TABLE held ADD "
                     u"COLUMN c INTEGER) gave up waiting for a lock"_s.arg(firstUpgradeLine)),
                 qPrintable(warnings.first()));
        QVERIFY2(
            warnings.first().contains(
                replayed > 0
                    ? u"the step runs again, after the %1 step(s) before it since the last savepoint, in "
                      u"1 s (retry 1 of 3)"_s.arg(replayed)
                    : u"the step runs again in 1 s (retry 1 of 3)"_s),
            qPrintable(warnings.first()));
        // The steps since the savepoint are announced again as they run again.
        const auto announced = [&](const QString &from, const QString &to) {
            return int(log.filter(u"Running upgrade %1 -> %2"_s.arg(from, to)).size());
        };
        QCOMPARE(announced(u"s0s0s0s0"_s, u"s1s1s1s1"_s), 1 + (replayed > 0 ? 1 : 0));
        QCOMPARE(announced(u"s1s1s1s1"_s, u"s2s2s2s2"_s), 1 + (replayed > 0 ? 1 : 0));
        QCOMPARE(announced(u"s2s2s2s2"_s, u"s3s3s3s3"_s), 1 + (replayed > 0 ? 1 : 0));

        QCOMPARE(rows(db.url), QStringList{u"s3s3s3s3"_s});
        QCOMPARE(tables(db.url), (QStringList{u"alembic_version"_s, u"held"_s, u"qmigrate_history"_s,
                                              u"t_s1s1s1s1"_s, u"t_s2s2s2s2"_s}));
        Expected<std::shared_ptr<DatabaseConnection>> reader = DatabaseConnection::open(db.url, QString());
        QVERIFY(reader);
        Expected<QList<HistoryEntry>> entries =
            AuditHistory((*reader)->database(), Migrator(project->map(), db.url, options).dialect())
                .entries();
        QVERIFY(entries);
        QStringList recorded;
        for (const HistoryEntry &entry : std::as_const(*entries))
            recorded.append(entry.revision + u' ' + HistoryEntry::outcomeName(entry.outcome));
        recorded.sort();
        QCOMPARE(recorded,
                 (QStringList{u"s1s1s1s1 success"_s, u"s2s2s2s2 success"_s, u"s3s3s3s3 success"_s}));
    }

    void lockTimeout_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("expected");
        QTest::newRow("sqlite") << u"sqlite"_s
                                << u"(SQLite cannot tell which connection holds the database's write lock)"_s;
        QTest::newRow("postgresql") << u"postgresql"_s << u"; the lock is held by server process "_s;
        QTest::newRow("mariadb") << u"mariadb"_s << u"; the lock is held by connection "_s;
    }
    void lockTimeout()
    {
        QFETCH(QString, backend);
        QFETCH(QString, expected);
        const Target db = target(backend, u"migrator_locktimeout"_s);
        if (!db.error.isEmpty())
            QFAIL(qPrintable(db.error));
        QString error;
        std::unique_ptr<Project> project =
            makeProject(m_tmp.filePath(u"locktimeout_"_s + backend), branchySpecs(), &error);
        QVERIFY2(project, qPrintable(error));
        MigratorOptions options = MigratorOptions::fromConfig(project->config());
        options.lockTimeoutSeconds = 1;
        Migrator migrator(project->map(), db.url, options);
        Expected<std::shared_ptr<DatabaseConnection>> holder =
            DatabaseConnection::open(db.url, QString(), u"lock-holder-test"_s);
        QVERIFY(holder);
        QSqlQuery query((*holder)->database());
        QVERIFY2(query.exec(migrator.dialect().tryLockSql()), qPrintable(query.lastError().text()));
        if (backend != u"sqlite"_s) {
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toInt(), 1);
        }
        query.finish();
        QElapsedTimer timer;
        timer.start();
        Expected<Migrator::Result> result =
            migrator.run(request(Migrator::Request::Kind::Upgrade, {u"heads"_s}));
        QVERIFY(!result);
        QVERIFY(timer.elapsed() >= 900);
        const QString message = result.error().message();
        QVERIFY2(
            message.startsWith(u"Timed out after 1 s waiting for the migration lock on %1 (alembic_version): "
                               u"another migration is running"_s.arg(db.url.toDisplayString())),
            qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
        if (backend == u"postgresql"_s)
            QVERIFY2(message.contains(u"application 'lock-holder-test', client 127.0.0.1"_s),
                     qPrintable(message));
        QVERIFY(!message.contains(db.url.password()) || db.url.password().isEmpty());
        QCOMPARE(result.error().kind(), EngineError::Kind::Database);
    }
};

QTEST_GUILESS_MAIN(TstMigrator)
#include "tst_migrator.moc"
