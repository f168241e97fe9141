// SPDX-License-Identifier: MIT
#include "clirunner.h"
#include "testservers.h"

#include "database/serverprobe.h"
#include "execution/migrator.h"
#include "graph/revisionmap.h"
#include "scripts/scriptdirectory.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using qmigrate::TestServer;
using qmigrate::TestServers;

// qmigrate-cli against a 3-node MariaDB Galera cluster on loopback (CTest fixture "galera",
// tests/servers/start-galera.sh): runs on different nodes, one after the other and at the same time, must
// apply each revision once, leave one version row, and read the same state on every node.
class TestGalera : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    QList<TestServer> m_nodes; // nodes 1..3 as m_nodes[0..2]
    QString m_project;

    static TestServer node(int n)
    {
        return TestServers::readEnvFile(
            u"mariadb"_s, QDir(TestServers::stateDirectory()).filePath(u"galera%1.env"_s.arg(n)));
    }

    // The revisions insert their id into `applied` (so a revision run twice shows as two rows) and create
    // tables with idempotent DDL; r2 also inserts `bulkRows` rows, which takes the other nodes a moment to
    // apply: a stale read on them would plan r2 again.
    static constexpr int bulkRows = 50000;
    static constexpr int revisionCount = 4;
    static QList<SqlRevisionSpec> revisions()
    {
        QList<SqlRevisionSpec> specs;
        for (int i = 1; i <= revisionCount; ++i) {
            const QString id = u"r%1"_s.arg(i);
            QString upgrade;
            if (i == 1)
                upgrade = u"CREATE TABLE IF NOT EXISTS applied (id INT AUTO_INCREMENT PRIMARY KEY, rev "
                          u"VARCHAR(20) NOT NULL);\n"_s;
            else
                upgrade = u"CREATE TABLE IF NOT EXISTS t_%1 (id INT PRIMARY KEY);\n"_s.arg(id);
            if (i == 2)
                upgrade += u"CREATE TABLE IF NOT EXISTS bulk (id INT PRIMARY KEY, rev VARCHAR(20));\n"
                           u"INSERT INTO bulk (id, rev) SELECT seq, 'r2' FROM seq_1_to_%1;\n"_s.arg(bulkRows);
            upgrade += u"INSERT INTO applied (rev) VALUES ('%1');"_s.arg(id);
            specs.append({id, upgrade});
        }
        return specs;
    }

    // A fresh database of that name on the cluster, visible on every node before this returns (CREATE
    // DATABASE replicates in total order, but a node may apply it a moment later).
    QList<TestServer> freshDatabase(const QString &name)
    {
        QList<TestServer> nodes;
        const TestServer first = TestServers::freshDatabase(m_nodes.at(0), name);
        if (!first.isValid())
            return {first};
        for (const TestServer &server : std::as_const(m_nodes)) {
            TestServer copy = server;
            copy.database = name;
            nodes.append(copy);
            QSqlDatabase db = TestServers::open(server);
            QDeadlineTimer deadline(20000);
            bool seen = false;
            while (!seen && !deadline.hasExpired()) {
                QSqlQuery query(db);
                seen = query.exec(u"SHOW DATABASES LIKE '%1'"_s.arg(name)) && query.next();
                if (!seen)
                    QThread::msleep(50);
            }
            TestServers::close(db);
            if (!seen) {
                copy.error =
                    u"database %1 did not appear on node %2 within 20 s"_s.arg(name).arg(nodes.size());
                return {copy};
            }
        }
        return nodes;
    }

    QStringList cliArguments(const TestServer &server, const QStringList &command) const
    {
        return QStringList{u"-c"_s, m_project + u"/alembic.ini"_s, u"--url"_s,
                           server.url().toUrlStringWithPassword()} +
               command;
    }

    // One value read on `server` with causal reads, so it includes every commit on any node before it.
    static QString scalar(const TestServer &server, const QString &sql)
    {
        QSqlDatabase db = TestServers::open(server);
        QString value = u"(no connection)"_s;
        if (db.isOpen()) {
            QSqlQuery query(db);
            if (!query.exec(u"SET SESSION wsrep_sync_wait = 1"_s))
                value = query.lastError().text();
            else if (!query.exec(sql))
                value = query.lastError().text();
            else
                value = query.next() ? query.value(0).toString() : u"(no row)"_s;
        }
        TestServers::close(db);
        return value;
    }

    // "r1:1 r2:1 r3:1 r4:1" when every revision ran once.
    static QString appliedCounts(const TestServer &server)
    {
        return scalar(server, u"SELECT GROUP_CONCAT(CONCAT(rev, ':', n) ORDER BY rev SEPARATOR ' ') FROM "
                              u"(SELECT rev, COUNT(*) AS n FROM applied GROUP BY rev) AS counts"_s);
    }
    static QString expectedCounts()
    {
        QStringList parts;
        for (int i = 1; i <= revisionCount; ++i)
            parts.append(u"r%1:1"_s.arg(i));
        return parts.join(u' ');
    }

    // Upgrades the project on node 1 to `first`, then to `second`, whose step updates counter row 1 and
    // sleeps: meanwhile a write on node 2 updates the same row, so the step loses the conflict at its next
    // write or at COMMIT. The second run's exit code and standard error.
    void upgradeDuringAConflict(const QList<TestServer> &nodes, const QString &project, const QString &first,
                                const QString &second, int *exitCode, QByteArray *err)
    {
        const auto arguments = [&](const QString &target) {
            return QStringList{u"-c"_s,      project + u"/alembic.ini"_s,
                               u"--url"_s,   nodes.at(0).url().toUrlStringWithPassword(),
                               u"upgrade"_s, target};
        };
        const CliResult base = runCli(arguments(first), m_tmp.path());
        QVERIFY2(base.exitCode == 0, qPrintable(base.err));
        QProcess run;
        const QByteArray started = u"Running upgrade %1 -> %2"_s.arg(first, second).toUtf8();
        QVERIFY(startCliUntil(run, arguments(second), started, err));
        QThread::msleep(1000);
        QSqlDatabase db = TestServers::open(nodes.at(1));
        QVERIFY(db.isOpen());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"SET SESSION wsrep_sync_wait = 7"_s));
        QVERIFY2(query.exec(u"UPDATE counter SET n = n + 100 WHERE id = 1"_s),
                 qPrintable(query.lastError().text()));
        query.finish();
        TestServers::close(db);
        QVERIFY(run.waitForFinished(60000));
        *err += run.readAllStandardError();
        *exitCode = run.exitCode();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        for (int n = 1; n <= 3; ++n) {
            const TestServer server = node(n);
            QMIGRATE_REQUIRE_SERVER(server);
            m_nodes.append(server);
        }
        m_project = m_tmp.filePath(u"project"_s);
        QVERIFY(writeLinearSqlProject(m_project, revisions()));
    }

    // The probe and `current -v` name the cluster.
    void detectsTheCluster()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_detect"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        const qmigrate::Expected<qmigrate::ServerInfo> info =
            qmigrate::ServerProbe::probe(nodes.at(1).url(), m_tmp.path());
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message()));
        QVERIFY(info->cluster.galera);
        QCOMPARE(info->cluster.size, 3);
        QCOMPARE(info->cluster.summary(), u"Galera cluster, 3 nodes, TOI"_s);
        QVERIFY2(info->toString().endsWith(u"(Galera cluster, 3 nodes, TOI)"_s),
                 qPrintable(info->toString()));

        const CliResult current = runCli(cliArguments(nodes.at(1), {u"current"_s, u"-v"_s}), m_tmp.path());
        QVERIFY2(current.exitCode == 0, qPrintable(current.err));
        QVERIFY2(current.err.contains(u"Galera cluster, 3 nodes, TOI; node node2 is Synced."_s),
                 qPrintable(current.err));
        const CliResult upgrade = runCli(cliArguments(nodes.at(2), {u"upgrade"_s, u"r1"_s}), m_tmp.path());
        QVERIFY2(upgrade.exitCode == 0, qPrintable(upgrade.err));
        QVERIFY2(upgrade.err.contains(u"Galera cluster, 3 nodes, TOI, node node3."_s),
                 qPrintable(upgrade.err));
        // The lock row is gone once the run ends.
        QCOMPARE(scalar(nodes.at(0), u"SELECT COUNT(*) FROM qmigrate_lock"_s), u"0"_s);

        // The plan a preview shows says where it would run.
        qmigrate::Expected<qmigrate::ScriptDirectory> scripts =
            qmigrate::ScriptDirectory::load(QStringList{m_project + u"/versions"_s});
        QVERIFY2(scripts, qPrintable(scripts ? QString() : scripts.error().message()));
        qmigrate::Expected<qmigrate::RevisionMap> map =
            qmigrate::RevisionMap::build(scripts->takeRevisions());
        QVERIFY2(map, qPrintable(map ? QString() : map.error().message()));
        qmigrate::MigratorOptions options;
        options.baseDirectory = m_tmp.path();
        qmigrate::Migrator migrator(*map, nodes.at(0).url(), options);
        qmigrate::Migrator::Request request;
        request.targets = {u"head"_s};
        request.dryRun = true;
        const qmigrate::Expected<qmigrate::Migrator::Result> preview = migrator.run(request);
        QVERIFY2(preview, qPrintable(preview ? QString() : preview.error().message()));
        QVERIFY(!preview->plan.isEmpty());
        QCOMPARE(preview->details.serverSummary(), u"Galera cluster, 3 nodes, TOI"_s);
    }

    // A deploy on node 1, then at once the same deploy on node 3: node 3 must read node 1's version row
    // (causal reads), so it applies nothing. Rounds on fresh databases.
    void sequentialDeploysOnTwoNodes()
    {
        const int rounds = 5;
        int anomalies = 0;
        QElapsedTimer clock;
        clock.start();
        for (int round = 1; round <= rounds; ++round) {
            const QList<TestServer> nodes = freshDatabase(u"galera_sequential"_s);
            QMIGRATE_REQUIRE_SERVER(nodes.first());
            const CliResult first =
                runCli(cliArguments(nodes.at(0), {u"upgrade"_s, u"head"_s}), m_tmp.path());
            QVERIFY2(first.exitCode == 0, qPrintable(first.err));
            const CliResult second =
                runCli(cliArguments(nodes.at(2), {u"upgrade"_s, u"head"_s}), m_tmp.path());
            QVERIFY2(second.exitCode == 0, qPrintable(second.err));
            const bool rerun = second.err.contains(u"Running upgrade"_s);
            const QString counts = appliedCounts(nodes.at(1));
            const QString versions =
                scalar(nodes.at(1), u"SELECT GROUP_CONCAT(version_num) FROM alembic_version"_s);
            const QString bulk = scalar(nodes.at(1), u"SELECT COUNT(*) FROM bulk"_s);
            if (rerun || counts != expectedCounts() || versions != u"r4"_s ||
                bulk != QString::number(bulkRows))
                ++anomalies;
            QVERIFY2(!rerun,
                     qPrintable(u"round %1: node 3 ran revisions again:\n"_s.arg(round) + second.err));
            QCOMPARE(counts, expectedCounts());
            QCOMPARE(versions, u"r4"_s);
            QCOMPARE(bulk, QString::number(bulkRows));
        }
        qInfo("sequential deploys on nodes 1 then 3: %d rounds, %d anomalies, %lld ms", rounds, anomalies,
              clock.elapsed());
    }

    // Two upgrades started at the same moment on nodes 1 and 2, the version table already present (at r1):
    // the cluster lock lets one run apply r2..r4 and the other find nothing to do, whichever wins.
    void concurrentDeploysOnTwoNodes()
    {
        const int rounds = 5;
        int appliedTwice = 0;
        int wrongVersionRows = 0;
        QElapsedTimer clock;
        clock.start();
        for (int round = 1; round <= rounds; ++round) {
            const QList<TestServer> nodes = freshDatabase(u"galera_concurrent"_s);
            QMIGRATE_REQUIRE_SERVER(nodes.first());
            const CliResult base = runCli(cliArguments(nodes.at(0), {u"upgrade"_s, u"r1"_s}), m_tmp.path());
            QVERIFY2(base.exitCode == 0, qPrintable(base.err));
            QProcess one;
            QProcess two;
            one.setProgram(QStringLiteral(QMIGRATE_CLI_PATH));
            two.setProgram(QStringLiteral(QMIGRATE_CLI_PATH));
            one.setArguments(cliArguments(nodes.at(0), {u"upgrade"_s, u"head"_s}));
            two.setArguments(cliArguments(nodes.at(1), {u"upgrade"_s, u"head"_s}));
            one.start();
            two.start();
            QVERIFY(one.waitForFinished(120000));
            QVERIFY(two.waitForFinished(120000));
            const QString errOne = QString::fromUtf8(one.readAllStandardError());
            const QString errTwo = QString::fromUtf8(two.readAllStandardError());
            const QString counts = appliedCounts(nodes.at(2));
            const QString versions =
                scalar(nodes.at(2), u"SELECT GROUP_CONCAT(version_num) FROM alembic_version"_s);
            if (counts != expectedCounts())
                ++appliedTwice;
            if (versions != u"r4"_s)
                ++wrongVersionRows;
            QVERIFY2(one.exitCode() == 0, qPrintable(errOne));
            QVERIFY2(two.exitCode() == 0, qPrintable(errTwo));
            const QString both = errOne + errTwo;
            for (int i = 2; i <= revisionCount; ++i)
                QCOMPARE(both.count(u"Running upgrade r%1 -> r%2"_s.arg(i - 1).arg(i)), 1);
            QCOMPARE(counts, expectedCounts());
            QCOMPARE(versions, u"r4"_s);
        }
        qInfo("concurrent deploys on nodes 1 and 2: %d rounds, %d with a revision applied twice, %d without "
              "exactly one version row, %lld ms",
              rounds, appliedTwice, wrongVersionRows, clock.elapsed());
    }

    // Right after a run on node 2, `current`, `log` and `check` say the same on every node.
    void readCommandsAgreeAcrossNodes()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_agree"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        const CliResult run = runCli(cliArguments(nodes.at(1), {u"upgrade"_s, u"head"_s}), m_tmp.path());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        for (const QString &command : {u"current"_s, u"log"_s, u"check"_s}) {
            QStringList outputs;
            for (const TestServer &server : nodes) {
                const CliResult result = runCli(cliArguments(server, {command}), m_tmp.path());
                QVERIFY2(result.exitCode == 0, qPrintable(command + u": "_s + result.err));
                outputs.append(result.out);
            }
            QVERIFY2(!outputs.first().isEmpty(), qPrintable(command));
            QCOMPARE(outputs.at(0), outputs.at(1));
            QCOMPARE(outputs.at(0), outputs.at(2));
        }
        const CliResult current = runCli(cliArguments(nodes.at(2), {u"current"_s}), m_tmp.path());
        QCOMPARE(current.out, u"r4 (head)\n"_s);
    }

    // A lock row whose holder stopped renewing it (a killed run) is taken over with a message naming it;
    // one that is alive makes the run wait and then time out naming the holder.
    void staleLockIsTakenOver()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_takeover"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        // The first run creates the lock table.
        CliResult run = runCli(cliArguments(nodes.at(0), {u"upgrade"_s, u"r1"_s}), m_tmp.path());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QSqlDatabase db = TestServers::open(nodes.at(0));
        QVERIFY(db.isOpen());
        const QString insert =
            u"INSERT INTO qmigrate_lock (lock_name, token, host, pid, command, node, started_at, "
            u"heartbeat_at, "
            u"expires_at) VALUES ('qmigrate:galera_takeover.alembic_version', 'dead', 'elsewhere', 4242, "
            u"'qmigrate-cli upgrade', 'node1', UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE, UTC_TIMESTAMP(6) - "
            u"INTERVAL %1 SECOND, UTC_TIMESTAMP(6) + INTERVAL %2 SECOND)"_s;
        QSqlQuery query(db);
        // Causal: the run on node 3 deletes its row just before it ends.
        QVERIFY(query.exec(u"SET SESSION wsrep_sync_wait = 7"_s));
        QVERIFY2(query.exec(insert.arg(300).arg(-240)), qPrintable(query.lastError().text()));
        run = runCli(cliArguments(nodes.at(2), {u"upgrade"_s, u"r2"_s}), m_tmp.path());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains(u"Taking over the migration lock from a run that stopped renewing it: "
                                  u"qmigrate-cli upgrade, process 4242 on host elsewhere, node node1"_s),
                 qPrintable(run.err));
        QVERIFY2(run.err.contains(u"Running upgrade r1 -> r2"_s), qPrintable(run.err));

        // A live holder (expiry in the future) is waited for, and named when the wait times out.
        QVERIFY2(query.exec(insert.arg(0).arg(600)), qPrintable(query.lastError().text()));
        run = runCli(cliArguments(nodes.at(1), {u"upgrade"_s, u"head"_s, u"--lock-timeout"_s, u"1"_s}),
                     m_tmp.path());
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"process 4242 on host elsewhere"_s), qPrintable(run.err));
        QCOMPARE(appliedCounts(nodes.at(1)), u"r1:1 r2:1"_s);
        QVERIFY(query.exec(u"DELETE FROM qmigrate_lock"_s));
        query.finish();
        TestServers::close(db);
    }

    // Under wsrep_OSU_method=RSU a DDL changes only one node: refused with the reason unless --allow-rsu.
    void rsuIsRefused()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_rsu"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        QSqlDatabase db = TestServers::open(nodes.at(2));
        QVERIFY(db.isOpen());
        QSqlQuery query(db);
        QVERIFY2(query.exec(u"SET GLOBAL wsrep_OSU_method = 'RSU'"_s), qPrintable(query.lastError().text()));
        const CliResult refused = runCli(cliArguments(nodes.at(2), {u"upgrade"_s, u"head"_s}), m_tmp.path());
        QVERIFY(query.exec(u"SET GLOBAL wsrep_OSU_method = 'TOI'"_s));
        TestServers::close(db);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(u"wsrep_OSU_method is RSU on this node"_s), qPrintable(refused.err));
        QVERIFY2(refused.err.contains(u"--allow-rsu"_s), qPrintable(refused.err));
        QCOMPARE(scalar(nodes.at(0), u"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                                     u"'galera_rsu' AND TABLE_NAME = 'applied'"_s),
                 u"0"_s);
    }
    // A step without DDL whose row another node updates meanwhile loses the conflict (1213: its transaction
    // is aborted by the replicated write, or fails certification at COMMIT); it is rolled back and run once
    // more after the version table is read again, so both updates count and the revision is applied once.
    void conflictingStepRunsAgain()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_conflict"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        const QString project = m_tmp.filePath(u"conflict"_s);
        const QList<SqlRevisionSpec> specs{
            {u"c1"_s,
             u"CREATE TABLE IF NOT EXISTS applied (id INT AUTO_INCREMENT PRIMARY KEY, rev VARCHAR(20) NOT "
             u"NULL);\nCREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, n INT NOT NULL);\n"
             u"INSERT INTO counter VALUES (1, 0);\nINSERT INTO applied (rev) VALUES ('c1');"_s},
            {u"c2"_s, u"UPDATE counter SET n = n + 1 WHERE id = 1;\nDO SLEEP(3);\n"
                      u"INSERT INTO applied (rev) VALUES ('c2');"_s}};
        QVERIFY(writeLinearSqlProject(project, specs));
        int exitCode = -1;
        QByteArray err;
        upgradeDuringAConflict(nodes, project, u"c1"_s, u"c2"_s, &exitCode, &err);
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(exitCode == 0, err.constData());
        QVERIFY2(err.contains("lost a conflict with a write committed on another node"), err.constData());
        QCOMPARE(scalar(nodes.at(2), u"SELECT n FROM counter WHERE id = 1"_s), u"101"_s);
        QCOMPARE(scalar(nodes.at(2), u"SELECT GROUP_CONCAT(rev ORDER BY rev) FROM applied"_s), u"c1,c2"_s);
        QCOMPARE(scalar(nodes.at(2), u"SELECT GROUP_CONCAT(version_num) FROM alembic_version"_s), u"c2"_s);
    }

    // A version row written on another node by something that does not take qmigrate's lock (a stamp by
    // hand) while a run is in a step: the run stops before its next step, saying what the table holds now.
    void versionTableChangedElsewhereStopsTheRun()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_changed"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        const QString project = m_tmp.filePath(u"changed"_s);
        QList<SqlRevisionSpec> slow = revisions();
        for (SqlRevisionSpec &spec : slow)
            spec.upgrade += u"\nDO SLEEP(2);"_s;
        QVERIFY(writeLinearSqlProject(project, slow));
        QProcess run;
        QByteArray err;
        QVERIFY(startCliUntil(run,
                              {u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s,
                               nodes.at(0).url().toUrlStringWithPassword(), u"upgrade"_s, u"head"_s},
                              "Running upgrade r1 -> r2", &err));
        QSqlDatabase db = TestServers::open(nodes.at(1));
        QVERIFY(db.isOpen());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"SET SESSION wsrep_sync_wait = 7"_s));
        QVERIFY2(query.exec(u"INSERT INTO alembic_version (version_num) VALUES ('elsewhere')"_s),
                 qPrintable(query.lastError().text()));
        query.finish();
        TestServers::close(db);
        QVERIFY(run.waitForFinished(60000));
        err += run.readAllStandardError();
        QCOMPARE(run.exitCode(), 1);
        QVERIFY2(err.contains("Another node changed the version table while this run was at r2: "
                              "alembic_version now says "),
                 err.constData());
        QVERIFY2(err.contains("elsewhere"), err.constData());
        QVERIFY2(err.contains("Stopped before upgrade r2 -> r3"), err.constData());
        QVERIFY2(!err.contains("Running upgrade r2 -> r3"), err.constData());
        QCOMPARE(appliedCounts(nodes.at(2)), u"r1:1 r2:1"_s);
    }

    // The same conflict in a step with DDL: it is not run again (MariaDB commits DDL as it goes), the run
    // stops saying so and what the version table holds, and the other node's write stands.
    void conflictingStepWithDdlStops()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_ddlconflict"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        const QString project = m_tmp.filePath(u"ddlconflict"_s);
        const QList<SqlRevisionSpec> specs{
            {u"d1"_s, u"CREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, n INT NOT NULL);\n"
                      u"INSERT INTO counter VALUES (1, 0);"_s},
            {u"d2"_s, u"UPDATE counter SET n = n + 1 WHERE id = 1;\nDO SLEEP(3);\n"
                      u"CREATE TABLE IF NOT EXISTS t_d2 (id INT PRIMARY KEY);"_s}};
        QVERIFY(writeLinearSqlProject(project, specs));
        int exitCode = -1;
        QByteArray err;
        upgradeDuringAConflict(nodes, project, u"d1"_s, u"d2"_s, &exitCode, &err);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(exitCode, 1);
        QVERIFY2(err.contains("this step is not run again because MariaDB commits its DDL as it goes"),
                 err.constData());
        QVERIFY2(err.contains("alembic_version is at d1"), err.constData());
        QCOMPARE(scalar(nodes.at(2), u"SELECT n FROM counter WHERE id = 1"_s), u"100"_s);
        QCOMPARE(scalar(nodes.at(2), u"SELECT GROUP_CONCAT(version_num) FROM alembic_version"_s), u"d1"_s);
    }

    // Node 3 is killed (SIGKILL) while a run on node 1 is between steps, and started again: the run goes on
    // with the two nodes left, and node 3, once it has rejoined, reads the same state.
    void nodeKilledMidRunAndRestarted()
    {
        const QList<TestServer> nodes = freshDatabase(u"galera_kill"_s);
        QMIGRATE_REQUIRE_SERVER(nodes.first());
        const QString project = m_tmp.filePath(u"slow"_s);
        QList<SqlRevisionSpec> slow = revisions();
        for (SqlRevisionSpec &spec : slow)
            spec.upgrade = u"DO SLEEP(1);\n"_s + spec.upgrade;
        QVERIFY(writeLinearSqlProject(project, slow));
        const QString nodeDir = QFileInfo(nodes.at(2).socket).absolutePath();
        const QString pidText = QString::fromUtf8(readAll(nodeDir + u"/mariadbd.pid"_s)).trimmed();
        bool ok = false;
        const qint64 pid = pidText.toLongLong(&ok);
        QVERIFY2(ok, qPrintable(nodeDir));
        QStringList command = QString::fromUtf8(readAll(u"/proc/%1/cmdline"_s.arg(pid))).split(QChar(0));
        while (!command.isEmpty() && command.last().isEmpty())
            command.removeLast();
        QVERIFY(!command.isEmpty());

        QProcess run;
        QByteArray err;
        QVERIFY(startCliUntil(run,
                              {u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s,
                               nodes.at(0).url().toUrlStringWithPassword(), u"upgrade"_s, u"head"_s},
                              "Running upgrade r1 -> r2", &err));
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QVERIFY(run.waitForFinished(120000));
        err += run.readAllStandardError();
        QVERIFY2(run.exitCode() == 0, err.constData());

        // Started again as it was (the mysql user when this runs as root); it rejoins and receives what it
        // missed from the others.
        QStringList program = command;
        if (::geteuid() == 0)
            program = QStringList{u"runuser"_s, u"-u"_s, u"mysql"_s, u"--"_s} + command;
        QFile::remove(nodes.at(2).socket);
        // Its output goes nowhere: an inherited pipe would keep ctest waiting for the server to end.
        QProcess restart;
        restart.setProgram(u"setsid"_s);
        restart.setArguments(program);
        restart.setStandardInputFile(QProcess::nullDevice());
        restart.setStandardOutputFile(QProcess::nullDevice());
        restart.setStandardErrorFile(QProcess::nullDevice());
        QVERIFY(restart.startDetached());
        QDeadlineTimer deadline(180000);
        QString state;
        while (!deadline.hasExpired()) {
            QThread::msleep(500);
            if (!QFileInfo::exists(nodes.at(2).socket))
                continue;
            QSqlDatabase db = TestServers::open(nodes.at(2));
            if (db.isOpen()) {
                QSqlQuery query(db);
                if (query.exec(u"SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment', "
                               u"'wsrep_cluster_size')"_s)) {
                    QStringList values;
                    while (query.next())
                        values.append(query.value(0).toString() + u'=' + query.value(1).toString());
                    values.sort();
                    state = values.join(u' ');
                }
            }
            TestServers::close(db);
            if (state == u"wsrep_cluster_size=3 wsrep_local_state_comment=Synced"_s)
                break;
        }
        QVERIFY2(state == u"wsrep_cluster_size=3 wsrep_local_state_comment=Synced"_s,
                 qPrintable(u"node 3 did not rejoin: "_s + state + u"; log "_s + nodes.at(2).logFile));
        qInfo("node 3 killed mid-run, rejoined in %lld ms", clock.elapsed());
        const CliResult current = runCli({u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s,
                                          nodes.at(2).url().toUrlStringWithPassword(), u"current"_s},
                                         m_tmp.path());
        QCOMPARE(current.out, u"r4 (head)\n"_s);
        QCOMPARE(appliedCounts(nodes.at(2)), expectedCounts());
    }
};

QTEST_GUILESS_MAIN(TestGalera)
#include "tst_galera.moc"
