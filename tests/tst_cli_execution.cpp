// SPDX-License-Identifier: MIT
// Runs the real qmigrate-cli binary's database commands (current, upgrade, downgrade, stamp) against a copy
// of the bundled example on SQLite, and once against the PostgreSQL test server.
#include "database/databaseconnection.h"
#include "database/dialect.h"
#include "testservers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "clirunner.h"
#include "testfiles.h"

using namespace Qt::StringLiterals;

namespace {

const QString cliPath = QStringLiteral(QMIGRATE_CLI_PATH);

// The tables of a SQLite file, sorted; the file is not created when missing.
QStringList sqliteTables(const QString &path)
{
    if (!QFile::exists(path))
        return {u"<no file>"_s};
    QStringList names;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tables"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(u"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"_s, db);
            while (query.next())
                names.append(query.value(0).toString());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"tables"_s);
    return names;
}

const QString infoSqlite = u"INFO  [qmigrate] Context impl SQLiteImpl.\nINFO  [qmigrate] Will assume "
                           u"transactional DDL.\n"_s;

QString running(const QStringList &lines)
{
    QString text = infoSqlite;
    for (const QString &line : lines)
        text += u"INFO  [qmigrate] Running "_s + line + u'\n';
    return text;
}

const QStringList exampleUpgrade = {
    u"upgrade  -> cf60bc0183a4, create locations table"_s,
    u"upgrade cf60bc0183a4 -> 83ca92fed024, create devices table"_s,
    u"upgrade 83ca92fed024 -> 0169b51572d2, create firmware tables"_s,
    u"upgrade 0169b51572d2 -> 575ce023861c, create sensors and readings tables"_s,
    u"upgrade 0169b51572d2 -> 6aa67ef48cab, track device firmware history"_s,
    u"upgrade 6aa67ef48cab -> 696e23fe439e, add primary sensor to devices"_s,
    u"upgrade 575ce023861c -> bcddf3f8350c, add sensor alerts"_s,
    u"upgrade bcddf3f8350c, 696e23fe439e -> 32863478822d, merge telemetry into trunk"_s,
    u"upgrade 32863478822d -> 2f2467916363, add maintenance windows"_s,
    u"upgrade 2f2467916363 -> 9abc688b6311, add contact email to locations"_s,
};

} // namespace

class TstCliExecution : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QString m_project;
    QString m_db;
    QString m_url;

    // aaaa, then bbbb (CREATE TABLE tb1; SELECT SLEEP(sleepSeconds); CREATE TABLE tb2), then cccc: on MariaDB
    // each CREATE commits, so a run killed during the sleep leaves bbbb half applied.
    static bool writeMariadbProject(const QString &folder, int sleepSeconds)
    {
        return writeLinearSqlProject(
            folder,
            {{u"aaaa"_s, u"CREATE TABLE ta (id INTEGER);"_s, u"DROP TABLE ta;"_s},
             {u"bbbb"_s,
              u"CREATE TABLE tb1 (id INTEGER);\nSELECT SLEEP(%1);\nCREATE TABLE tb2 (id INTEGER);"_s.arg(
                  sleepSeconds),
              u"DROP TABLE tb2;\nDROP TABLE tb1;"_s},
             {u"cccc"_s, u"CREATE TABLE tc (id INTEGER);"_s, u"DROP TABLE tc;"_s}});
    }

    // Starts `upgrade head` and SIGKILLs it half a second into bbbb (tb1 committed, the sleep running).
    // Empty when that happened, else what went wrong.
    static QString killDuringSecondStep(const QStringList &global)
    {
        QProcess run;
        QByteArray err;
        if (!startCliUntil(run, global + QStringList{u"upgrade"_s, u"head"_s}, "Running upgrade aaaa -> bbbb",
                           &err))
            return u"bbbb never started: "_s + QString::fromUtf8(err);
        QTest::qWait(500);
        run.kill();
        return run.waitForFinished(10000) ? QString() : u"the killed run did not end"_s;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_project = m_tmp.filePath(u"project"_s);
        QVERIFY(copyExample(m_project));
        m_db = m_tmp.filePath(u"x.db"_s);
        m_url = u"sqlite:///"_s + m_db;
    }

    // One database walked through the commands in order; each row starts where the previous left it.
    void commands_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("out");
        QTest::addColumn<QString>("err");
        QTest::addColumn<QString>("currentAfter");

        QTest::newRow("current on a missing table")
            << QStringList{u"current"_s} << 0 << QString() << infoSqlite << QString();
        QTest::newRow("upgrade (head)") << QStringList{u"upgrade"_s} << 0 << QString()
                                        << running(exampleUpgrade) << u"9abc688b6311 (head)\n"_s;
        QTest::newRow("upgrade again: nothing to do")
            << QStringList{u"upgrade"_s, u"heads"_s} << 0 << QString() << infoSqlite
            << u"9abc688b6311 (head)\n"_s;
        QTest::newRow("downgrade (-1)")
            << QStringList{u"downgrade"_s} << 0 << QString()
            << running({u"downgrade 9abc688b6311 -> 2f2467916363, add contact email to "
                        u"locations"_s})
            << u"2f2467916363\n"_s;
        QTest::newRow("downgrade -1") << QStringList{u"downgrade"_s, u"-1"_s} << 0 << QString()
                                      << running({u"downgrade 2f2467916363 -> 32863478822d, add maintenance "
                                                  u"windows"_s})
                                      << u"32863478822d (mergepoint)\n"_s;
        QTest::newRow("downgrade --dry-run")
            << QStringList{u"downgrade"_s, u"bcddf3f8350c"_s, u"--dry-run"_s} << 0
            << u"Dry run: read alembic_version on %URL% (nothing was changed).\nCurrent rows: "
               u"32863478822d\n\n"
               u"Running downgrade 32863478822d -> bcddf3f8350c, 696e23fe439e, merge telemetry into trunk\n"
               u"  %P%/versions/32863478822d_merge_telemetry_into_trunk.sql:34:\n    DROP VIEW "
               u"device_overview;\n"
               u"  alembic_version: INSERT bcddf3f8350c\n  alembic_version: UPDATE 32863478822d -> "
               u"696e23fe439e\n\n"
               u"Rows after: 696e23fe439e, bcddf3f8350c\n"_s
            << infoSqlite << u"32863478822d (mergepoint)\n"_s;
        QTest::newRow("stamp 2f24") << QStringList{u"stamp"_s, u"2f2467916363"_s} << 0 << QString()
                                    << running({u"stamp_revision 32863478822d -> 2f2467916363"_s})
                                    << u"2f2467916363\n"_s;
        QTest::newRow("stamp base") << QStringList{u"stamp"_s, u"base"_s} << 0 << QString()
                                    << running({u"stamp_revision 2f2467916363 -> "_s}) << QString();
        QTest::newRow("stamp heads --purge")
            << QStringList{u"stamp"_s, u"heads"_s, u"--purge"_s} << 0 << QString()
            << running({u"stamp_revision  -> 9abc688b6311"_s}) << u"9abc688b6311 (head)\n"_s;
        QTest::newRow("upgrade --dry-run at head")
            << QStringList{u"upgrade"_s, u"--dry-run"_s} << 0
            << u"Dry run: read alembic_version on %URL% (nothing was changed).\nCurrent rows: 9abc688b6311\n"
               u"Nothing to do.\n"_s
            << infoSqlite << u"9abc688b6311 (head)\n"_s;
        QTest::newRow("unknown target: exit 2")
            << QStringList{u"downgrade"_s, u"nosuch"_s} << 2 << QString()
            << infoSqlite + u"FAILED: No such revision or branch 'nosuch'\n"_s << u"9abc688b6311 (head)\n"_s;
        // --sql connects to nothing: the database stays at head (the script itself is checked in tst_cli).
        QTest::newRow("--sql with --dry-run")
            << QStringList{u"upgrade"_s, u"--sql"_s, u"--dry-run"_s} << 2 << QString()
            << u"qmigrate-cli upgrade: error: --sql already changes nothing; it cannot be combined with "
               u"--dry-run\nTry 'qmigrate-cli upgrade --help' for more information.\n"_s
            << u"9abc688b6311 (head)\n"_s;
        QTest::newRow("bad --lock-timeout")
            << QStringList{u"upgrade"_s, u"--lock-timeout"_s, u"soon"_s} << 2 << QString()
            << u"qmigrate-cli upgrade: error: --lock-timeout needs a number of seconds, not 'soon'\nTry "
               u"'qmigrate-cli upgrade --help' for more information.\n"_s
            << u"9abc688b6311 (head)\n"_s;
        QTest::newRow("stamp without target")
            << QStringList{u"stamp"_s} << 2 << QString()
            << u"qmigrate-cli stamp: error: missing argument\nTry 'qmigrate-cli "
               u"stamp --help' for more information.\n"_s
            << u"9abc688b6311 (head)\n"_s;
        // The schema is still at 32863478822d: the first downgrade statement fails, exit 1, nothing changes.
        QTest::newRow("downgrade after a wrong stamp: exit 1")
            << QStringList{u"downgrade"_s, u"base"_s} << 1 << QString()
            << running({u"downgrade 9abc688b6311 -> 2f2467916363, add contact email to locations"_s}) +
                   u"FAILED: %P%/versions/9abc688b6311_add_contact_email_to_locations.sql:13: downgrade "
                   u"9abc688b6311 -> 2f2467916363 failed at line 13 (ALTER TABLE locations DROP COLUMN "
                   u"contact_email): no such column: \"contact_email\"\nRolled back; alembic_version is at "
                   u"9abc688b6311.\n"_s
            << u"9abc688b6311 (head)\n"_s;
        QTest::newRow("stamp back") << QStringList{u"stamp"_s, u"--purge"_s, u"32863478822d"_s} << 0
                                    << QString() << running({u"stamp_revision  -> 32863478822d"_s})
                                    << u"32863478822d (mergepoint)\n"_s;
        QTest::newRow("downgrade base") << QStringList{u"downgrade"_s, u"base"_s, u"--lock-timeout"_s, u"5"_s}
                                        << 0 << QString() << QString() << QString();
    }
    void commands()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, out);
        QFETCH(QString, err);
        QFETCH(QString, currentAfter);
        const QStringList global{u"-c"_s, m_project + u"/alembic.ini"_s, u"--url"_s, m_url};
        const CliResult result = runCli(global + arguments, m_tmp.path());
        QVERIFY2(result.exitCode == exitCode, qPrintable(result.err));
        out.replace(u"%URL%"_s, m_url).replace(u"%P%"_s, m_project);
        QCOMPARE(result.out, out);
        err.replace(u"%P%"_s, m_project);
        if (!err.isEmpty() || arguments.first() == u"current"_s)
            QCOMPARE(result.err, err);
        const CliResult current = runCli(global + QStringList{u"current"_s}, m_tmp.path());
        QCOMPARE(current.exitCode, 0);
        QCOMPARE(current.out, currentAfter);
        if (QLatin1StringView(QTest::currentDataTag()) == "current on a missing table"_L1)
            QCOMPARE(sqliteTables(m_db), QStringList()); // current never creates the version table
        if (QLatin1StringView(QTest::currentDataTag()) == "downgrade base"_L1)
            // The audit history (and SQLite's AUTOINCREMENT bookkeeping) stays beside the version table.
            QCOMPARE(sqliteTables(m_db),
                     (QStringList{u"alembic_version"_s, u"qmigrate_history"_s, u"sqlite_sequence"_s}));
    }

    void currentVerbose()
    {
        const QString db = m_tmp.filePath(u"verbose.db"_s);
        const QStringList global{u"-c"_s, m_project + u"/alembic.ini"_s, u"--url"_s, u"sqlite:///"_s + db};
        QCOMPARE(runCli(global + QStringList{u"stamp"_s, u"32863478822d"_s}, m_tmp.path()).exitCode, 0);
        const CliResult result = runCli(global + QStringList{u"current"_s, u"-v"_s}, m_tmp.path());
        QCOMPARE(result.exitCode, 0);
        const QString header =
            u"Current revision(s) for sqlite:///%1:\nRev: 32863478822d (mergepoint)\nMerges: "
            u"bcddf3f8350c, 696e23fe439e\n"_s.arg(db);
        QVERIFY2(result.out.startsWith(header), qPrintable(result.out));
        QVERIFY(result.out.contains(
            u"Path: %1/versions/32863478822d_merge_telemetry_into_trunk.sql\n"_s.arg(m_project)));
    }

    // A relative SQLite path resolves against the ini's directory, not the working directory.
    void relativeSqlitePath()
    {
        const CliResult result = runCli({u"-c"_s, m_project + u"/alembic.ini"_s, u"--url"_s,
                                         u"sqlite:///rel.db"_s, u"stamp"_s, u"cf60bc0183a4"_s},
                                        m_tmp.path());
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(QFile::exists(m_project + u"/rel.db"_s));
        QVERIFY(!QFile::exists(m_tmp.filePath(u"rel.db"_s)));
    }

    // A failing statement: exit 1, FAILED: file:line: …, the server's message, nothing applied.
    void migrationFailure()
    {
        const QString db = m_tmp.filePath(u"failure.db"_s);
        {
            QSqlDatabase conn = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"setup"_s);
            conn.setDatabaseName(db);
            QVERIFY(conn.open());
            QSqlQuery query(conn);
            QVERIFY(query.exec(u"CREATE TABLE devices (id INTEGER)"_s));
            conn.close();
        }
        QSqlDatabase::removeDatabase(u"setup"_s);
        const CliResult result =
            runCli({u"-c"_s, m_project + u"/alembic.ini"_s, u"--url"_s, u"sqlite:///"_s + db, u"upgrade"_s},
                   m_tmp.path());
        QCOMPARE(result.exitCode, 1);
        const QString expected =
            u"FAILED: %1/versions/83ca92fed024_create_devices_table.sql:10: upgrade "
            u"cf60bc0183a4 -> 83ca92fed024 failed at line 10 (CREATE TABLE devices ( ...): "
            u"table devices already exists\nRolled back; alembic_version is at no revision "
            u"(empty).\n"_s.arg(m_project);
        QVERIFY2(result.err.endsWith(expected), qPrintable(result.err));
        // The failure row is recorded after the rollback, so the history table is there.
        QCOMPARE(sqliteTables(db), (QStringList{u"devices"_s, u"qmigrate_history"_s, u"sqlite_sequence"_s}));
    }

    // Two heads: current lists both (history order), downgrade -1 warns like Alembic before it runs.
    void twoHeads()
    {
        const QString project = m_tmp.filePath(u"twoheads"_s);
        QVERIFY(QDir().mkpath(project + u"/versions"_s));
        QFile ini(project + u"/alembic.ini"_s);
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/two.db\n");
        ini.close();
        for (const auto &[id, parent] : {std::pair{u"aaaa1111"_s, QString()},
                                         {u"bbbb2222"_s, u"aaaa1111"_s},
                                         {u"cccc3333"_s, u"aaaa1111"_s}}) {
            QFile file(project + u"/versions/%1_t.sql"_s.arg(id));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(
                u"-- %1\n--\n-- Revision ID: %1\n-- Revises: %2\n\n-- migrate:upgrade\nCREATE TABLE t_%1 (id "
                u"INTEGER PRIMARY KEY);\n\n-- migrate:downgrade\nDROP TABLE t_%1;\n"_s.arg(id, parent)
                    .toUtf8());
        }
        const QStringList global{u"-c"_s, project + u"/alembic.ini"_s};
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"heads"_s}, m_tmp.path());
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(result.err,
                 running({u"upgrade  -> aaaa1111, aaaa1111"_s, u"upgrade aaaa1111 -> cccc3333, cccc3333"_s,
                          u"upgrade aaaa1111 -> bbbb2222, bbbb2222"_s}));
        result = runCli(global + QStringList{u"current"_s}, m_tmp.path());
        QCOMPARE(result.out, u"bbbb2222 (head)\ncccc3333 (head)\n"_s);
        result = runCli(global + QStringList{u"downgrade"_s, u"-1"_s}, m_tmp.path());
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.err.startsWith(infoSqlite +
                                       u"WARNING [qmigrate] downgrade -1 from multiple heads is ambiguous; "
                                       u"this usage will be disallowed in a future release.\nINFO  "
                                       u"[qmigrate] Running downgrade "_s),
                 qPrintable(result.err));
        result = runCli(global + QStringList{u"current"_s}, m_tmp.path());
        QCOMPARE(result.out, u"bbbb2222 (head)\n"_s);
    }

    // Two qmigrate-cli processes upgrade the same database at once: the second waits on the lock and then
    // finds nothing to do; every step runs exactly once (a second CREATE TABLE would fail).
    void concurrentProcesses_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("slowStatement");
        QTest::newRow("sqlite")
            << u"sqlite"_s
            << u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) "
               u"SELECT COUNT(*) FROM c"_s;
        QTest::newRow("postgresql") << u"postgresql"_s << u"SELECT pg_sleep(1.5)"_s;
    }
    void concurrentProcesses()
    {
        QFETCH(QString, backend);
        QFETCH(QString, slowStatement);
        QString url;
        if (backend == u"sqlite"_s) {
            url = u"sqlite:///"_s + m_tmp.filePath(u"concurrent.db"_s);
        } else {
            const qmigrate::TestServer server = qmigrate::TestServers::freshDatabase(
                qmigrate::TestServers::postgresql(), u"cli_concurrent"_s);
            QMIGRATE_REQUIRE_SERVER(server);
            url = server.url().toUrlStringWithPassword();
        }
        const QString project = m_tmp.filePath(u"concurrent_"_s + backend);
        QVERIFY(QDir().mkpath(project + u"/versions"_s));
        QFile ini(project + u"/alembic.ini"_s);
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[alembic]\nscript_location = %(here)s\n");
        ini.close();
        for (const auto &[id, parent] :
             {std::pair{u"aaaa1111"_s, QString()}, {u"bbbb2222"_s, u"aaaa1111"_s}}) {
            QFile file(project + u"/versions/%1_t.sql"_s.arg(id));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(u"-- %1\n--\n-- Revision ID: %1\n-- Revises: %2\n\n-- migrate:upgrade\n%3;\nCREATE "
                       u"TABLE t_%1 "
                       u"(id INTEGER PRIMARY KEY);\n\n-- migrate:downgrade\nDROP TABLE t_%1;\n"_s
                           .arg(id, parent, slowStatement)
                           .toUtf8());
        }
        const QStringList arguments{u"-c"_s,      project + u"/alembic.ini"_s, u"--url"_s, url,
                                    u"upgrade"_s, u"--lock-timeout"_s,         u"60"_s};
        QProcess one;
        QProcess two;
        for (QProcess *process : {&one, &two}) {
            process->setProgram(cliPath);
            process->setArguments(arguments);
            process->start();
        }
        QVERIFY(one.waitForFinished(60000));
        QVERIFY(two.waitForFinished(60000));
        const QString errOne = QString::fromUtf8(one.readAllStandardError());
        const QString errTwo = QString::fromUtf8(two.readAllStandardError());
        QVERIFY2(one.exitCode() == 0, qPrintable(errOne));
        QVERIFY2(two.exitCode() == 0, qPrintable(errTwo));
        const QString both = errOne + errTwo;
        QCOMPARE(both.count(u"Running upgrade  -> aaaa1111, aaaa1111"_s), 1);
        QCOMPARE(both.count(u"Running upgrade aaaa1111 -> bbbb2222, bbbb2222"_s), 1);
        const CliResult current =
            runCli({u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s, url, u"current"_s}, m_tmp.path());
        QCOMPARE(current.out, u"bbbb2222 (head)\n"_s);
    }

    // Eight qmigrate-cli processes upgrade one SQLite file at once, in both modes that commit inside a run
    // (a transaction per revision; "-- migrate:no-transaction" statements): the run lock holds across those
    // commits, so every revision runs exactly once, every process succeeds and the version table ends with
    // one row. Rounds on fresh files; the full-size harness is `make stress`.
    void concurrentRunsAcrossCommits_data()
    {
        QTest::addColumn<bool>("transactionPerMigration");
        QTest::addColumn<bool>("noTransactionStatements");
        QTest::newRow("transaction per migration") << true << false;
        QTest::newRow("no-transaction statements") << false << true;
        QTest::newRow("both") << true << true;
    }
    void concurrentRunsAcrossCommits()
    {
        QFETCH(bool, transactionPerMigration);
        QFETCH(bool, noTransactionStatements);
        const int processes = 8;
        const int rounds = 3;
        const int revisions = 12;
        QTemporaryDir tmp;
        const QString project = tmp.filePath(u"project"_s);
        QVERIFY(QDir().mkpath(project + u"/versions"_s));
        QVERIFY(writeAll(project + u"/alembic.ini"_s,
                         u"[alembic]\nscript_location = %(here)s\ntransaction_per_migration = %1\n"_s
                             .arg(transactionPerMigration ? u"true"_s : u"false"_s)
                             .toUtf8()));
        QString parent;
        for (int i = 1; i <= revisions; ++i) {
            const QString id = u"r%1"_s.arg(i, 3, 10, QChar(u'0'));
            QString upgrade = u"CREATE TABLE t_%1 (id INTEGER PRIMARY KEY);\n"_s.arg(id);
            if (noTransactionStatements)
                upgrade +=
                    u"-- migrate:no-transaction\nCREATE TABLE n_%1 (id INTEGER PRIMARY KEY);\n"_s.arg(id);
            QVERIFY(writeAll(project + u"/versions/%1.sql"_s.arg(id),
                             u"-- %1\n--\n-- Revision ID: %1\n-- Revises: %2\n\n-- migrate:upgrade\n%3\n"
                             u"-- migrate:downgrade\nDROP TABLE t_%1;\n"_s.arg(id, parent, upgrade)
                                 .toUtf8()));
            parent = id;
        }
        for (int round = 0; round < rounds; ++round) {
            const QString database = tmp.filePath(u"round%1.db"_s.arg(round));
            const QStringList arguments{
                u"-c"_s,   project + u"/alembic.ini"_s, u"--url"_s, u"sqlite:///"_s + database, u"upgrade"_s,
                u"head"_s, u"--lock-timeout"_s,         u"120"_s};
            std::vector<std::unique_ptr<QProcess>> running;
            for (int i = 0; i < processes; ++i) {
                running.push_back(std::make_unique<QProcess>());
                running.back()->start(cliPath, arguments);
            }
            QString stderrOfAll;
            for (const auto &process : running) {
                QVERIFY(process->waitForFinished(180000));
                const QString err = QString::fromUtf8(process->readAllStandardError());
                QVERIFY2(process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0,
                         qPrintable(u"round %1: %2"_s.arg(round).arg(err)));
                stderrOfAll += err;
            }
            for (int i = 1; i <= revisions; ++i) {
                const QString id = u"r%1"_s.arg(i, 3, 10, QChar(u'0'));
                QCOMPARE(stderrOfAll.count(u"-> %1, %1"_s.arg(id)), 1);
            }
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"round"_s);
            db.setDatabaseName(database);
            QVERIFY(db.open());
            {
                QSqlQuery query(db);
                QVERIFY(query.exec(u"SELECT version_num FROM alembic_version"_s));
                QStringList rows;
                while (query.next())
                    rows.append(query.value(0).toString());
                QCOMPARE(rows, QStringList{parent});
                QVERIFY(query.exec(u"SELECT revision, outcome FROM qmigrate_history ORDER BY id"_s));
                QStringList audit;
                while (query.next())
                    audit.append(query.value(0).toString() + u' ' + query.value(1).toString());
                QStringList expected;
                for (int i = 1; i <= revisions; ++i)
                    expected.append(u"r%1 success"_s.arg(i, 3, 10, QChar(u'0')));
                QCOMPARE(audit, expected);
            }
            db.close();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(u"round"_s);
        }
    }

    // The server ends the run's session in the middle of a step (as a restart or pg_terminate_backend does):
    // one clear error, no Qt driver noise, the state read back through a new connection, the failure in
    // the audit history, and the next run completes.
    void sessionEndedMidRun()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::postgresql(), u"cli_session_ended"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QTemporaryDir tmp;
        QVERIFY(writeLinearSqlProject(
            tmp.path(),
            {{u"aaaa"_s, u"CREATE TABLE ta (id INTEGER);"_s, u"DROP TABLE ta;"_s},
             {u"bbbb"_s, u"CREATE TABLE tb (id INTEGER);\nSELECT pg_sleep(20);"_s, u"DROP TABLE tb;"_s}}));
        const QStringList global{u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                 server.url().toUrlStringWithPassword()};
        QProcess run;
        QByteArray err;
        QVERIFY2(startCliUntil(run, global + QStringList{u"upgrade"_s, u"head"_s},
                               "Running upgrade aaaa -> bbbb", &err),
                 err.constData());
        QTest::qWait(300); // into pg_sleep
        {
            QString error;
            QSqlDatabase db =
                qmigrate::TestServers::open(server, qmigrate::TestServers::Transport::Tcp, &error);
            QVERIFY2(db.isOpen(), qPrintable(error));
            QSqlQuery query(db);
            QVERIFY(
                query.exec(u"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
                           u"current_database() AND pid <> pg_backend_pid()"_s));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toInt(), 1);
            query.finish();
            qmigrate::TestServers::close(db);
        }
        QVERIFY(run.waitForFinished(30000));
        err += run.readAllStandardError();
        const QString text = QString::fromUtf8(err);
        QCOMPARE(run.exitCode(), 1);
        QCOMPARE(text.count(u"FAILED: "_s), 1);
        QVERIFY2(!text.contains(u"QSql"_s) && !text.contains(u"QPSQL"_s) && !text.contains(u"\n()"_s) &&
                     !text.contains(u"WARNING"_s),
                 qPrintable(text));
        QVERIFY2(text.contains(u"terminating connection due to administrator command"_s) &&
                     text.contains(u"Rolled back; alembic_version is at no revision (empty)."_s),
                 qPrintable(text));
        const CliResult log = runCli(global + QStringList{u"log"_s});
        QVERIFY2(log.out.contains(u"bbbb      failed"_s), qPrintable(log.out));
        const CliResult again = runCli(global + QStringList{u"upgrade"_s, u"aaaa"_s});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        const CliResult current = runCli(global + QStringList{u"current"_s});
        QCOMPARE(current.out, u"aaaa\n"_s);
    }

    // A password in --url is gone from the process list as soon as the run starts, while the run still
    // uses it; --password-stdin takes it from standard input instead.
    void passwordHiddenFromTheProcessList()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::postgresql(), u"cli_password_argv"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QTemporaryDir tmp;
        QVERIFY(writeLinearSqlProject(tmp.path(), {{u"aaaa"_s, u"CREATE TABLE ta (id INTEGER);"_s}}));
        const QString url = server.url().toUrlStringWithPassword();
        QVERIFY(url.contains(server.password));

        // Another session holds the run lock, so the run waits where it can be looked at.
        QString error;
        QSqlDatabase holder =
            qmigrate::TestServers::open(server, qmigrate::TestServers::Transport::Tcp, &error);
        QVERIFY2(holder.isOpen(), qPrintable(error));
        const qmigrate::Dialect dialect =
            qmigrate::Dialect::forBackend(qmigrate::DatabaseUrl::Backend::PostgreSQL);
        {
            QSqlQuery lock(holder);
            QVERIFY2(lock.exec(dialect.acquireLockSql(0)), qPrintable(lock.lastError().text()));
        }
        QProcess run;
        run.start(cliPath, {u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s, url, u"upgrade"_s, u"head"_s,
                            u"--lock-timeout"_s, u"30"_s});
        QVERIFY(run.waitForStarted());
        const QString cmdline = u"/proc/%1/cmdline"_s.arg(run.processId());
        QTRY_VERIFY_WITH_TIMEOUT(readAll(cmdline).contains("--lock-timeout"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!readAll(cmdline).contains(server.password.toUtf8()), 5000);
        const QByteArray shown = readAll(cmdline);
        QVERIFY2(shown.contains(QByteArray(":" + QByteArray(server.password.size(), 'x') + "@")),
                 shown.constData());
        {
            QSqlQuery unlock(holder);
            QVERIFY(unlock.exec(dialect.releaseLockSql()));
        }
        qmigrate::TestServers::close(holder);
        QVERIFY(run.waitForFinished(30000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());

        // --password-stdin: the URL without it, the password on standard input.
        qmigrate::DatabaseUrl bare = server.url();
        bare.setPassword(QString());
        QProcess current;
        current.start(cliPath, {u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                bare.toUrlStringWithPassword(), u"--password-stdin"_s, u"current"_s});
        QVERIFY(current.waitForStarted());
        current.write(server.password.toUtf8() + '\n');
        current.closeWriteChannel();
        QVERIFY(current.waitForFinished(30000));
        QVERIFY2(current.exitCode() == 0, current.readAllStandardError().constData());
        QCOMPARE(current.readAllStandardOutput(), QByteArray("aaaa (head)\n"));
        // Piped input is not a terminal to prompt on.
        const CliResult prompt = runCli({u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                         bare.toUrlStringWithPassword(), u"--password"_s, u"current"_s});
        QCOMPARE(prompt.exitCode, 2);
        QVERIFY2(prompt.err.contains(u"use --password-stdin"_s), qPrintable(prompt.err));
    }

    // MariaDB commits each DDL statement: a run killed in the middle of a step leaves part of it applied.
    // The step's journal row says so, and nothing else runs until a stamp settles it.
    void killedMidStepOnMariadbIsJournaled()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::mariadb(), u"cli_journal"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QTemporaryDir tmp;
        QVERIFY(writeMariadbProject(tmp.path(), 4));
        const QStringList global{u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                 server.url().toUrlStringWithPassword()};
        const QString killed = killDuringSecondStep(global);
        QVERIFY2(killed.isEmpty(), qPrintable(killed));

        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"upgrade bbbb was interrupted"_s) &&
                     result.err.contains(u"So far: 1 of 3 statements committed: line 7 CREATE TABLE tb1 (id "
                                         u"INTEGER)."_s) &&
                     result.err.contains(u"alembic_version says aaaa."_s) &&
                     result.err.contains(u"then: stamp bbbb"_s) && result.err.contains(u"then: stamp aaaa"_s),
                 qPrintable(result.err));
        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s, u"--dry-run"_s});
        QCOMPARE(result.exitCode, 1);
        result = runCli(global + QStringList{u"current"_s});
        QCOMPARE(result.out, u"aaaa\n"_s);
        QVERIFY2(result.err.contains(u"WARNING [qmigrate] upgrade bbbb was interrupted"_s),
                 qPrintable(result.err));
        result = runCli(global + QStringList{u"check"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.out.contains(u"upgrade bbbb was interrupted"_s) &&
                     result.out.contains(u"line 7 CREATE TABLE tb1"_s),
                 qPrintable(result.out));
        result = runCli(global + QStringList{u"log"_s, u"--json"_s});
        QVERIFY2(result.out.contains(u"\"outcome\": \"running\""_s) ||
                     result.out.contains(u"\"outcome\":\"running\""_s),
                 qPrintable(result.out));

        // Finished by hand, then settled with a stamp; the run goes on from there.
        {
            QString error;
            QSqlDatabase db =
                qmigrate::TestServers::open(server, qmigrate::TestServers::Transport::Tcp, &error);
            QVERIFY2(db.isOpen(), qPrintable(error));
            QSqlQuery query(db);
            QVERIFY(query.exec(u"CREATE TABLE tb2 (id INTEGER)"_s));
            query.finish();
            qmigrate::TestServers::close(db);
        }
        result = runCli(global + QStringList{u"stamp"_s, u"bbbb"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        result = runCli(global + QStringList{u"current"_s});
        QCOMPARE(result.out, u"cccc (head)\n"_s);
        result = runCli(global + QStringList{u"log"_s});
        QVERIFY2(!result.out.contains(u"running"_s) && result.out.contains(u"Settled by a stamp to bbbb"_s),
                 qPrintable(result.out));
    }

    // A step a killed run left half done is resumed after the statements its journal says committed, in the
    // same journal row; a resume that would run anything else is refused before anything runs.
    void resumeAKilledStepOnMariadb()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::mariadb(), u"cli_resume"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QTemporaryDir tmp;
        QVERIFY(writeMariadbProject(tmp.path(), 3));
        const QStringList global{u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                 server.url().toUrlStringWithPassword()};
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"--resume"_s});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(u"Nothing to resume"_s), qPrintable(result.err));

        const QString killed = killDuringSecondStep(global);
        QVERIFY2(killed.isEmpty(), qPrintable(killed));

        result = runCli(global + QStringList{u"current"_s});
        QVERIFY2(result.err.contains(u"resume it (runs the statements after the 1 committed, then writes the "
                                     u"version row): upgrade --resume"_s),
                 qPrintable(result.err));
        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s, u"--resume"_s});
        QCOMPARE(result.exitCode, 2);
        result = runCli(global + QStringList{u"downgrade"_s, u"--resume"_s});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(
            result.err.contains(u"The interrupted step is the upgrade of bbbb; downgrade cannot resume it"_s),
            qPrintable(result.err));
        result = runCli(global + QStringList{u"upgrade"_s, u"--resume-after"_s, u"2"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"only 1 can be resumed after, not 2"_s), qPrintable(result.err));

        // The file as the interrupted run read it, and no other, is what a resume continues.
        const QString script = tmp.filePath(u"versions/bbbb.sql"_s);
        const QByteArray original = readAll(script);
        QVERIFY(writeAll(script, QByteArray(original).replace("tb2", "tb3")));
        result = runCli(global + QStringList{u"upgrade"_s, u"--resume"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"changed since the interrupted run started the step"_s) &&
                     result.err.contains(u"nothing was run"_s),
                 qPrintable(result.err));
        QVERIFY(writeAll(script, original));

        result = runCli(global + QStringList{u"upgrade"_s, u"--resume"_s, u"--dry-run"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(u"(statements 1 to 1 were committed by the interrupted run"_s) &&
                     !result.out.contains(u"CREATE TABLE tb1"_s) &&
                     result.out.contains(u"SELECT SLEEP(3)"_s) &&
                     result.out.contains(u"CREATE TABLE tb2"_s) && result.out.contains(u"Rows after: bbbb"_s),
                 qPrintable(result.out));
        result = runCli(global + QStringList{u"upgrade"_s, u"--resume"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(result.err.count(u"Running upgrade aaaa -> bbbb"_s), 1);
        QCOMPARE(qmigrate::TestServers::userTables(server, QString()),
                 (QStringList{u"ta"_s, u"tb1"_s, u"tb2"_s}));
        result = runCli(global + QStringList{u"log"_s, u"--json"_s});
        const QJsonArray rows = QJsonDocument::fromJson(result.out.toUtf8()).array();
        QStringList shape;
        for (const QJsonValue &row : rows)
            shape.prepend(row[u"revision"_s].toString() + u' ' + row[u"outcome"_s].toString());
        QCOMPARE(shape, (QStringList{u"aaaa success"_s, u"bbbb success"_s}));
        QVERIFY2(rows.first()[u"error_text"_s].toString().contains(
                     u"after statement 1: the interrupted run committed "
                     u"statements 1 to 1, this one ran the rest"_s),
                 qPrintable(result.out));
        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        result = runCli(global + QStringList{u"check"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.out + result.err));
    }

    // A statement outside the transaction that was running when the run died may or may not have committed:
    // the journal says it had started, a plain resume is refused, and the user says which it was.
    void resumeAfterAnUncertainStatementOnPostgresql()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::postgresql(), u"cli_resume"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QTemporaryDir tmp;
        QVERIFY(writeLinearSqlProject(
            tmp.path(), {{u"aaaa"_s,
                          u"CREATE TABLE p1 (id INTEGER);\n-- migrate:no-transaction\nSELECT pg_sleep(3);\n"
                          u"CREATE TABLE p2 (id INTEGER);"_s,
                          u"DROP TABLE p2;\nDROP TABLE p1;"_s}}));
        const QStringList global{u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                 server.url().toUrlStringWithPassword()};
        QProcess run;
        QByteArray err;
        QVERIFY2(startCliUntil(run, global + QStringList{u"upgrade"_s, u"head"_s}, "Running upgrade  -> aaaa",
                               &err),
                 err.constData());
        QTest::qWait(1000); // p1 is committed, pg_sleep runs outside the transaction
        run.kill();
        QVERIFY(run.waitForFinished(10000));

        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"--resume"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(
            result.err.contains(u"statement 2 (line"_s) &&
                result.err.contains(u"SELECT pg_sleep(3)) had started when the run ended and may or may not "
                                    u"have committed"_s),
            qPrintable(result.err));
        result = runCli(global + QStringList{u"check"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.out.contains(
                     u"upgrade --resume-after 2 if it did, upgrade --resume-after 1 if it did not"_s),
                 qPrintable(result.out));
        result = runCli(global + QStringList{u"upgrade"_s, u"--resume-after"_s, u"1"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        result = runCli(global + QStringList{u"current"_s});
        QCOMPARE(result.out, u"aaaa (head)\n"_s);
        QVERIFY2(!result.err.contains(u"interrupted"_s), qPrintable(result.err));
        QCOMPARE(qmigrate::TestServers::userTables(server, QString()), (QStringList{u"p1"_s, u"p2"_s}));
    }

    // A DDL statement queued behind another session's lock gives up after --lock-wait and its step runs
    // again (after 1, 2, 4 s) until --lock-retries are used up; --statement-timeout stops a statement that
    // runs too long. On PostgreSQL a savepoint takes the step back; the audit history has one row per step.
    void lockWaitRetryAndStatementTimeout()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::postgresql(), u"cli_timeouts"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QTemporaryDir tmp;
        QVERIFY(writeLinearSqlProject(tmp.path(), {{u"aaaa"_s, u"CREATE TABLE t (id INTEGER);"_s},
                                                   {u"bbbb"_s, u"ALTER TABLE t ADD COLUMN c INTEGER;"_s},
                                                   {u"cccc"_s, u"SELECT pg_sleep(3);"_s}}));
        const QStringList global{u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                 server.url().toUrlStringWithPassword()};
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"aaaa"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));

        QString error;
        QSqlDatabase holder =
            qmigrate::TestServers::open(server, qmigrate::TestServers::Transport::Tcp, &error);
        QVERIFY2(holder.isOpen(), qPrintable(error));
        QSqlQuery hold(holder);
        const auto lockTable = [&] {
            return hold.exec(u"BEGIN"_s) && hold.exec(u"LOCK TABLE t IN ACCESS EXCLUSIVE MODE"_s);
        };

        // No retries: the lock wait ends the run.
        QVERIFY(lockTable());
        result = runCli(global + QStringList{u"upgrade"_s, u"bbbb"_s, u"--lock-wait"_s, u"1"_s,
                                             u"--lock-retries"_s, u"0"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"canceling statement due to lock timeout"_s) &&
                     result.err.contains(u"alembic_version is at aaaa"_s),
                 qPrintable(result.err));

        // Retries: the lock goes away during the second wait, and the step goes through once.
        QProcess run;
        run.start(cliPath, global + QStringList{u"upgrade"_s, u"bbbb"_s, u"--lock-wait"_s, u"1"_s,
                                                u"--lock-retries"_s, u"3"_s});
        QVERIFY(run.waitForStarted());
        QTest::qWait(2500);
        QVERIFY(hold.exec(u"ROLLBACK"_s));
        QVERIFY(run.waitForFinished(30000));
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QVERIFY2(run.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(u"gave up waiting for a lock another session holds"_s) &&
                     err.contains(u"(retry 1 of 3)"_s),
                 qPrintable(err));
        QCOMPARE(err.count(u"Running upgrade aaaa -> bbbb"_s), 1);
        qmigrate::TestServers::close(holder);

        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s, u"--statement-timeout"_s, u"1"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"canceling statement due to statement timeout"_s),
                 qPrintable(result.err));
        result = runCli(global + QStringList{u"log"_s, u"--json"_s});
        const QJsonArray rows = QJsonDocument::fromJson(result.out.toUtf8()).array();
        QStringList shape;
        for (const QJsonValue &row : rows)
            shape.prepend(row[u"revision"_s].toString() + u' ' + row[u"outcome"_s].toString());
        QCOMPARE(shape,
                 (QStringList{u"aaaa success"_s, u"bbbb failed"_s, u"bbbb success"_s, u"cccc failed"_s}));
    }

    // MariaDB: a DDL statement waiting for the metadata lock of a table another session reads in an open
    // transaction gives up after --lock-wait (error 1205); nothing of its step ran, so the step runs again.
    void lockWaitRetryOnMariadb()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::mariadb(), u"cli_timeouts"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QTemporaryDir tmp;
        QVERIFY(writeLinearSqlProject(
            tmp.path(),
            {{u"aaaa"_s, u"CREATE TABLE t (id INTEGER);"_s, u"DROP TABLE t;"_s},
             {u"bbbb"_s, u"ALTER TABLE t ADD COLUMN c INTEGER;"_s, u"ALTER TABLE t DROP COLUMN c;"_s}},
            u"qmigrate.lock_wait_timeout = 1\n"_s));
        const QStringList global{u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                 server.url().toUrlStringWithPassword()};
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"aaaa"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));

        QString error;
        QSqlDatabase holder =
            qmigrate::TestServers::open(server, qmigrate::TestServers::Transport::Tcp, &error);
        QVERIFY2(holder.isOpen(), qPrintable(error));
        QSqlQuery hold(holder);
        QVERIFY(hold.exec(u"START TRANSACTION"_s));
        QVERIFY(hold.exec(u"SELECT * FROM t"_s));
        hold.finish();
        QProcess run;
        run.start(cliPath, global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY(run.waitForStarted());
        QTest::qWait(2500);
        QVERIFY(hold.exec(u"COMMIT"_s));
        QVERIFY(run.waitForFinished(30000));
        const QString err = QString::fromUtf8(run.readAllStandardError());
        QVERIFY2(run.exitCode() == 0, qPrintable(err));
        QVERIFY2(
            err.contains(u"gave up waiting for a lock another session holds (Lock wait timeout exceeded"_s),
            qPrintable(err));
        qmigrate::TestServers::close(holder);
        result = runCli(global + QStringList{u"current"_s});
        QCOMPARE(result.out, u"bbbb (head)\n"_s);
    }

    // The same commands through the CLI on PostgreSQL: the password never shows.
    void postgresql()
    {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::postgresql(), u"cli_execution"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        const QString project = m_tmp.filePath(u"pg"_s);
        QVERIFY(QDir().mkpath(project + u"/versions"_s));
        QFile ini(project + u"/alembic.ini"_s);
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[alembic]\nscript_location = %(here)s\n");
        ini.close();
        for (const auto &[id, parent] :
             {std::pair{u"aaaa1111"_s, QString()}, {u"bbbb2222"_s, u"aaaa1111"_s}}) {
            QFile file(project + u"/versions/%1_t.sql"_s.arg(id));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(
                u"-- %1\n--\n-- Revision ID: %1\n-- Revises: %2\n\n-- migrate:upgrade\nCREATE TABLE t_%1 (id "
                u"INTEGER PRIMARY KEY);\n\n-- migrate:downgrade\nDROP TABLE t_%1;\n"_s.arg(id, parent)
                    .toUtf8());
        }
        const QString url = server.url().toUrlStringWithPassword();
        const QStringList global{u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s, url};
        const QString info = u"INFO  [qmigrate] Context impl PostgresqlImpl.\nINFO  [qmigrate] Will assume "
                             u"transactional DDL.\n"_s;
        CliResult result = runCli(global + QStringList{u"upgrade"_s}, m_tmp.path());
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(result.err, info +
                                 u"INFO  [qmigrate] Running upgrade  -> aaaa1111, aaaa1111\nINFO  [qmigrate] "
                                 u"Running upgrade aaaa1111 -> bbbb2222, bbbb2222\n"_s);
        result = runCli(global + QStringList{u"current"_s}, m_tmp.path());
        QCOMPARE(result.out, u"bbbb2222 (head)\n"_s);
        result = runCli(global + QStringList{u"current"_s, u"--verbose"_s}, m_tmp.path());
        QVERIFY2(result.out.startsWith(u"Current revision(s) for %1:\nRev: bbbb2222 (head)\n"_s.arg(
                     server.url().toDisplayString())),
                 qPrintable(result.out));
        QVERIFY(server.password.isEmpty() || !result.out.contains(server.password));
        result = runCli(global + QStringList{u"downgrade"_s, u"-1"_s}, m_tmp.path());
        QCOMPARE(result.exitCode, 0);
        result = runCli(global + QStringList{u"current"_s}, m_tmp.path());
        QCOMPARE(result.out, u"aaaa1111\n"_s);
        // Another run holds the lock: --lock-timeout bounds the wait and the error names the holder.
        {
            auto holder = qmigrate::DatabaseConnection::open(server.url(), QString(), u"cli-lock-holder"_s);
            QVERIFY(holder);
            QSqlQuery lock((*holder)->database());
            QVERIFY(lock.exec(
                qmigrate::Dialect::forBackend(qmigrate::DatabaseUrl::Backend::PostgreSQL).tryLockSql()));
            QVERIFY(lock.next() && lock.value(0).toBool());
            lock.finish();
            result = runCli(global + QStringList{u"upgrade"_s, u"--lock-timeout"_s, u"1"_s}, m_tmp.path());
            QCOMPARE(result.exitCode, 1);
            QVERIFY2(
                result.err.contains(u"FAILED: Timed out after 1 s waiting for the migration lock on %1 "
                                    u"(alembic_version): another migration is running; the lock is held by "
                                    u"server process "_s.arg(server.url().toDisplayString())),
                qPrintable(result.err));
            QVERIFY2(
                result.err.contains(
                    u", application 'cli-lock-holder', client 127.0.0.1, user %1, connected since "_s.arg(
                        server.user)),
                qPrintable(result.err));
        }
        result = runCli(global + QStringList{u"current"_s}, m_tmp.path());
        QCOMPARE(result.out, u"aaaa1111\n"_s);
        // A connection failure is a database error (exit 1), shown without the password.
        qmigrate::DatabaseUrl wrong =
            qmigrate::DatabaseUrl::fromParts(qmigrate::DatabaseUrl::Backend::PostgreSQL, server.host,
                                             server.port, server.database, server.user, u"wrong-secret"_s);
        result = runCli(
            {u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s, wrong.toUrlStringWithPassword(), u"upgrade"_s},
            m_tmp.path());
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"FAILED: Cannot connect to %1: "_s.arg(wrong.toDisplayString())),
                 qPrintable(result.err));
        QVERIFY(!result.err.contains(u"wrong-secret"_s));
    }
};

QTEST_GUILESS_MAIN(TstCliExecution)
#include "tst_cli_execution.moc"
