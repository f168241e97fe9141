// SPDX-License-Identifier: MIT
// The PostgreSQL server restarted in the middle of a run: a server of the test's own (the shared fixture
// server is never restarted under other tests), stopped with pg_ctl's default fast shutdown while
// qmigrate-cli is inside a step, then started again on the same port.
#include "testservers.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include "clirunner.h"

using namespace Qt::StringLiterals;

namespace {

const QString cliPath = QStringLiteral(QMIGRATE_CLI_PATH);
const QString serverScripts = QStringLiteral(QMIGRATE_SOURCE_DIR "/tests/servers");

// KEY=VALUE lines of the start script's state file (DIR, BINDIR, PORT, PID).
QString stateValue(const QString &stateFile, const QString &key)
{
    const QStringList lines = QString::fromUtf8(readAll(stateFile)).split(u'\n');
    for (const QString &line : lines) {
        if (line.startsWith(key + u'='))
            return line.mid(key.size() + 1);
    }
    return {};
}

// Runs a command to its end; its output goes into *output for the failure message.
bool runTool(const QString &program, const QStringList &arguments, QString *output, int timeoutMs = 120000)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    const bool finished = process.waitForFinished(timeoutMs);
    *output = QString::fromUtf8(process.readAll());
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

} // namespace

class TstServerRestart : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_state;
    QString m_stateFile;
    qmigrate::TestServer m_server;

    // pg_ctl, as the user that owns the cluster (root hands it to `postgres`, as the start script does).
    bool pgCtl(const QStringList &arguments, QString *output)
    {
        const QString pgCtlPath = stateValue(m_stateFile, u"BINDIR"_s) + u"/pg_ctl"_s;
        const QStringList full =
            QStringList{u"-D"_s, stateValue(m_stateFile, u"DIR"_s) + u"/data"_s, u"-w"_s, u"-t"_s, u"60"_s} +
            arguments;
        if (geteuid() == 0)
            return runTool(u"runuser"_s, QStringList{u"-u"_s, u"postgres"_s, u"--"_s, pgCtlPath} + full,
                           output);
        return runTool(pgCtlPath, full, output);
    }

    bool execute(const QString &sql)
    {
        QString error;
        QSqlDatabase db =
            qmigrate::TestServers::open(m_server, qmigrate::TestServers::Transport::Tcp, &error);
        QSqlQuery query(db);
        const bool ok = db.isOpen() && query.exec(sql);
        if (!ok)
            qWarning("%s: %s", qPrintable(sql), qPrintable(error + query.lastError().text()));
        query.finish();
        qmigrate::TestServers::close(db);
        return ok;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_state.isValid());
        m_stateFile = m_state.filePath(u"postgresql.state"_s);
        QString output;
        QVERIFY2(runTool(u"bash"_s, {serverScripts + u"/start-postgresql.sh"_s, m_state.path()}, &output),
                 qPrintable(output));
        m_server = qmigrate::TestServers::readEnvFile(u"postgresql"_s, m_state.filePath(u"postgresql.env"_s));
        QMIGRATE_REQUIRE_SERVER(m_server);
    }

    void cleanupTestCase()
    {
        QString output;
        if (!runTool(u"bash"_s, {serverScripts + u"/stop-postgresql.sh"_s, m_state.path()}, &output))
            qWarning("stopping the test's PostgreSQL server failed: %s", qPrintable(output));
    }

    // Stopped mid-step, then back: one clear error line, the step rolled back (PostgreSQL's DDL is
    // transactional) and the version where the step before left it (one transaction per revision), read
    // back through a new connection once the server accepts one, the failure in the audit history, no lock
    // left behind by the dead session, and the re-run completes.
    void restartedMidStep()
    {
        QTemporaryDir project;
        QVERIFY(writeLinearSqlProject(
            project.path(),
            {{u"aaaa"_s, u"CREATE TABLE ta (id INTEGER);"_s, u"DROP TABLE ta;"_s},
             {u"bbbb"_s,
              u"CREATE TABLE tb (id INTEGER);\n"
              u"SELECT pg_sleep(CASE WHEN to_regclass('public.slow') IS NULL THEN 0 ELSE 30 END);"_s,
              u"DROP TABLE tb;"_s},
             {u"cccc"_s, u"CREATE TABLE tc (id INTEGER);"_s, u"DROP TABLE tc;"_s}},
            u"transaction_per_migration = true\n"_s));
        const QStringList global{u"-c"_s, project.filePath(u"alembic.ini"_s), u"--url"_s,
                                 m_server.url().toUrlStringWithPassword()};
        // The step sleeps while the table `slow` exists: long enough to restart the server under it the
        // first time, not at all in the re-run.
        QVERIFY(execute(u"CREATE TABLE slow (id INTEGER)"_s));
        QProcess run;
        QByteArray err;
        QVERIFY2(startCliUntil(run, global + QStringList{u"upgrade"_s, u"head"_s},
                               "Running upgrade aaaa -> bbbb", &err),
                 err.constData());
        QTest::qWait(300); // into pg_sleep

        QString output;
        QVERIFY2(pgCtl({u"-m"_s, u"fast"_s, u"restart"_s}, &output), qPrintable(output));
        QVERIFY(run.waitForFinished(60000));
        err += run.readAllStandardError();
        const QString text = QString::fromUtf8(err);
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(run.exitCode(), 1);
        QCOMPARE(text.count(u"FAILED: "_s), 1);
        QVERIFY2(!text.contains(u"QSql"_s) && !text.contains(u"QPSQL"_s) && !text.contains(u"\n()"_s) &&
                     !text.contains(u"WARNING"_s),
                 qPrintable(text));
        const QString failedLine = text.mid(text.indexOf(u"FAILED: "_s)).section(u'\n', 0, 0);
        QVERIFY2(failedLine.contains(u"bbbb"_s) && failedLine.contains(u"terminating connection"_s),
                 qPrintable(text));
        // Read back once the server is up again, not computed from the plan.
        QVERIFY2(text.contains(u"\nRolled back; alembic_version is at aaaa.\n"_s), qPrintable(text));

        // The state as the server has it, through a new connection.
        QString error;
        QSqlDatabase db =
            qmigrate::TestServers::open(m_server, qmigrate::TestServers::Transport::Tcp, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        {
            QSqlQuery query(db);
            QVERIFY2(query.exec(u"SELECT version_num FROM alembic_version"_s),
                     qPrintable(query.lastError().text() + u"\n"_s + text));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), u"aaaa"_s);
            QVERIFY(!query.next());
            QVERIFY(query.exec(u"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"_s));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toInt(), 0);
        }
        qmigrate::TestServers::close(db);
        QCOMPARE(qmigrate::TestServers::userTables(m_server, {}), (QStringList{u"slow"_s, u"ta"_s}));
        QVERIFY(execute(u"DROP TABLE slow"_s));
        const CliResult log = runCli(global + QStringList{u"log"_s});
        QVERIFY2(log.out.contains(u"bbbb      failed"_s), qPrintable(log.out));
        const CliResult current = runCli(global + QStringList{u"current"_s});
        QCOMPARE(current.exitCode, 0);
        QCOMPARE(current.out, u"aaaa\n"_s);

        // The re-run does not wait for a lock: the one the killed session held went with it.
        const CliResult again =
            runCli(global + QStringList{u"upgrade"_s, u"head"_s, u"--lock-timeout"_s, u"1"_s});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QCOMPARE(qmigrate::TestServers::userTables(m_server, {}), (QStringList{u"ta"_s, u"tb"_s, u"tc"_s}));
        const CliResult after = runCli(global + QStringList{u"current"_s});
        QCOMPARE(after.out, u"cccc (head)\n"_s);
    }
};

QTEST_GUILESS_MAIN(TstServerRestart)
#include "tst_serverrestart.moc"
