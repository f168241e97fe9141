// SPDX-License-Identifier: MIT
// The reliability harness: qmigrate-cli killed with SIGKILL at random moments of an upgrade, and several
// qmigrate-cli processes upgrading one database at once, on SQLite (one transaction, and one per revision),
// PostgreSQL (the same two) and MariaDB, on projects whose revisions include "-- migrate:no-transaction"
// statements. After each kill: the version table names one known revision or none, exactly the tables of the
// applied revisions exist (a step left half done must have its journal row), the audit history has one
// success row per applied revision and none for the rest, and the follow-up run completes (a half-done step
// is settled first as the refusal says: resumed at every other kill point, else undone by hand and stamped).
// After each concurrent round: every process succeeded, every revision ran exactly once. `make stress` runs
// the full size; the test suite a few points of each (stress_ci).
//
// Mode "galera" (not in the default list: start the cluster first with tests/servers/start-galera.sh
// <build>/tests/servers) runs only the concurrent rounds, the processes spread over the 3 nodes, and checks
// after each round that the version table holds one row as every node reads it. (Its kill points would each
// wait the cluster lock's 60 s expiry left by the killed run.)
//
// Usage: qmigrate_stress [--points N] [--rounds N] [--processes N] [--seed N] [--modes a,b,...]

#include "audit/audithistory.h"
#include "testservers.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

constexpr int kRevisions = 12;

struct Mode
{
    QString name;
    QString server; // empty: SQLite
    bool perMigration = false;
};

struct Tally
{
    int points = 0;
    int inconsistent = 0;
    int interruptedSteps = 0; // half-done steps found, each with its journal row
    int resumed = 0;          // of those, settled by resuming the step (the others: undone by hand, stamped)
    int followUpFailures = 0;
    int rounds = 0;
    int doubleApplied = 0;
    int spuriousFailures = 0;
    QStringList problems;
};

QString revisionId(int i)
{
    return u"r%1"_s.arg(i, 3, 10, QChar(u'0'));
}

// A slow statement, so that kills land inside steps as often as between them.
QString slowStatement(const Mode &mode)
{
    if (mode.server == u"postgresql"_s)
        return u"SELECT pg_sleep(0.03);"_s;
    if (mode.server == u"mariadb"_s || mode.server == u"galera"_s)
        return u"SELECT SLEEP(0.03);"_s;
    return u"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 60000) SELECT COUNT(*) "
           u"FROM c;"_s;
}

bool writeProject(const QString &folder, const Mode &mode)
{
    QDir().mkpath(folder + u"/versions"_s);
    QFile ini(folder + u"/alembic.ini"_s);
    if (!ini.open(QIODevice::WriteOnly))
        return false;
    ini.write(u"[alembic]\nscript_location = %(here)s\ntransaction_per_migration = %1\n"_s
                  .arg(mode.perMigration ? u"true"_s : u"false"_s)
                  .toUtf8());
    for (int i = 1; i <= kRevisions; ++i) {
        const QString id = revisionId(i);
        QString upgrade = u"CREATE TABLE t_%1 (id INTEGER);\n%2\n"_s.arg(id, slowStatement(mode));
        // Every third revision has a statement that runs outside any transaction.
        if (i % 3 == 0)
            upgrade += u"-- migrate:no-transaction\nCREATE TABLE n_%1 (id INTEGER);\n"_s.arg(id);
        QFile file(folder + u"/versions/%1.sql"_s.arg(id));
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(
            u"-- %1\n--\n-- Revision ID: %1\n-- Revises: %2\n\n-- migrate:upgrade\n%3\n-- migrate:downgrade\n"
            u"DROP TABLE t_%1;\n"_s.arg(id, i == 1 ? QString() : revisionId(i - 1), upgrade)
                .toUtf8());
    }
    return true;
}

class Database
{
public:
    Database(const Mode &mode, const QString &sqliteFile, const TestServer &server)
    {
        static int counter = 0;
        m_name = u"stress-%1"_s.arg(++counter);
        if (mode.server.isEmpty()) {
            m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
            m_db.setDatabaseName(sqliteFile);
            m_db.open();
        } else {
            QString error;
            m_db = TestServers::open(server, TestServers::Transport::Tcp, &error);
        }
    }
    ~Database()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    QStringList column(const QString &sql)
    {
        QStringList values;
        QSqlQuery query(m_db);
        if (query.exec(sql)) {
            while (query.next())
                values.append(query.value(0).toString());
        }
        return values;
    }
    QStringList tables()
    {
        QStringList names = m_db.tables();
        names.sort();
        return names;
    }
    bool exec(const QString &sql)
    {
        QSqlQuery query(m_db);
        return query.exec(sql);
    }

private:
    QString m_name;
    QSqlDatabase m_db;
};

struct Target
{
    QString url;
    QList<TestServer> nodes; // galera: nodes 1..3 with the target's database
    QString sqliteFile;
    TestServer server;
};

std::optional<Target> freshTarget(const Mode &mode, const QTemporaryDir &tmp, const QString &label,
                                  Tally *tally)
{
    Target target;
    if (mode.server.isEmpty()) {
        target.sqliteFile = tmp.filePath(label + u".db"_s);
        target.url = u"sqlite:///"_s + target.sqliteFile;
        return target;
    }
    if (mode.server == u"galera"_s) {
        for (int n = 1; n <= 3; ++n) {
            TestServer node = TestServers::readEnvFile(
                u"mariadb"_s, QDir(TestServers::stateDirectory()).filePath(u"galera%1.env"_s.arg(n)));
            if (!node.isValid()) {
                tally->problems.append(node.error);
                return std::nullopt;
            }
            node.database = u"stress"_s;
            target.nodes.append(node);
        }
        TestServer first = target.nodes.first();
        first.database = u"qmigrate_test"_s;
        target.server = TestServers::freshDatabase(first, u"stress"_s);
        // CREATE DATABASE reaches the other nodes a moment later; a process connecting there first would
        // fail.
        for (const TestServer &node : std::as_const(target.nodes)) {
            TestServer plain = node;
            plain.database = u"qmigrate_test"_s;
            QSqlDatabase db = TestServers::open(plain);
            bool seen = false;
            for (QDeadlineTimer deadline(20000); !seen && !deadline.hasExpired();) {
                QSqlQuery query(db);
                seen = query.exec(u"SHOW DATABASES LIKE 'stress'"_s) && query.next();
                if (!seen)
                    QThread::msleep(50);
            }
            TestServers::close(db);
        }
    } else {
        target.server = TestServers::freshDatabase(TestServers::server(mode.server), u"stress"_s);
    }
    if (!target.server.isValid()) {
        tally->problems.append(target.server.error);
        return std::nullopt;
    }
    target.url = target.server.url().toUrlStringWithPassword();
    return target;
}

struct Run
{
    int exitCode = -1;
    QString err;
};

Run runCli(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(QMIGRATE_CLI_PATH), arguments);
    process.waitForFinished(600000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardError())};
}

// What the database says after a kill, checked against the rules; returns the problem, empty when none.
QString checkAfterKill(Database &db, Tally *tally, QString *interruptedRevision)
{
    const QStringList rows = db.column(u"SELECT version_num FROM alembic_version"_s);
    if (rows.size() > 1)
        return u"alembic_version has %1 rows: %2"_s.arg(rows.size()).arg(rows.join(u", "_s));
    int applied = 0;
    if (rows.size() == 1) {
        applied = rows.first().mid(1).toInt();
        if (revisionId(applied) != rows.first())
            return u"alembic_version names an unknown revision %1"_s.arg(rows.first());
    }
    const QStringList running =
        db.column(u"SELECT revision FROM qmigrate_history WHERE outcome = 'running'"_s);
    if (running.size() > 1)
        return u"%1 journal rows are running"_s.arg(running.size());
    if (!running.isEmpty()) {
        if (running.first() != revisionId(applied + 1))
            return u"the running journal row is %1, not the step after %2"_s.arg(running.first(),
                                                                                 revisionId(applied));
        *interruptedRevision = running.first();
        ++tally->interruptedSteps;
    }
    const QStringList tables = db.tables();
    for (int i = 1; i <= kRevisions; ++i) {
        const QString id = revisionId(i);
        const bool partOfInterrupted = interruptedRevision->compare(id) == 0;
        for (const QString &prefix : {u"t_"_s, u"n_"_s}) {
            if (prefix == u"n_"_s && i % 3 != 0)
                continue;
            const bool exists = tables.contains(prefix + id);
            if (i <= applied && !exists)
                return u"%1 is applied but %2%1 is missing"_s.arg(id, prefix);
            if (i > applied && exists && !partOfInterrupted)
                return u"%1 is not applied, %2%1 exists and no journal row says why"_s.arg(id, prefix);
        }
    }
    const QStringList successes =
        db.column(u"SELECT revision FROM qmigrate_history WHERE outcome = 'success' ORDER BY id"_s);
    QStringList expected;
    for (int i = 1; i <= applied; ++i)
        expected.append(revisionId(i));
    if (successes != expected)
        return u"success rows %1 for applied %2"_s.arg(successes.join(u' '), expected.join(u' '));
    return {};
}

void killHarness(const Mode &mode, int points, QRandomGenerator &random, Tally *tally)
{
    QTemporaryDir tmp;
    const QString project = tmp.filePath(u"project"_s);
    if (!writeProject(project, mode)) {
        tally->problems.append(u"cannot write the project"_s);
        return;
    }
    // How long an uninterrupted upgrade takes: the kill times are spread over it.
    qint64 fullMs = 0;
    {
        const std::optional<Target> target = freshTarget(mode, tmp, u"timing"_s, tally);
        if (!target)
            return;
        QElapsedTimer clock;
        clock.start();
        const Run run = runCli({u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s, target->url, u"upgrade"_s});
        fullMs = clock.elapsed();
        if (run.exitCode != 0) {
            tally->problems.append(u"%1: the uninterrupted upgrade failed: %2"_s.arg(mode.name, run.err));
            return;
        }
    }
    for (int point = 0; point < points; ++point) {
        const std::optional<Target> target = freshTarget(mode, tmp, u"kill%1"_s.arg(point), tally);
        if (!target)
            return;
        ++tally->points;
        const QStringList global{u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s, target->url};
        QProcess process;
        process.start(QStringLiteral(QMIGRATE_CLI_PATH), global + QStringList{u"upgrade"_s, u"head"_s});
        process.waitForStarted();
        const int delay = int(random.bounded(qMax<qint64>(2, fullMs)));
        QThread::msleep(ulong(delay));
        process.kill();
        process.waitForFinished(30000);
        // The server notices the dead session when its statement ends; its locks go with it.
        QThread::msleep(mode.server.isEmpty() ? 0 : 200);

        QString interrupted;
        {
            Database db(mode, target->sqliteFile, target->server);
            const QString problem = checkAfterKill(db, tally, &interrupted);
            if (!problem.isEmpty()) {
                ++tally->inconsistent;
                tally->problems.append(u"%1, kill at %2 ms: %3"_s.arg(mode.name).arg(delay).arg(problem));
                continue;
            }
            if (!interrupted.isEmpty() && point % 2 == 1) {
                // The other choice the refusal offers: resume the step. When the journal says the statement
                // after the committed ones had started, the harness looks, as a user would, whether its table
                // exists (statement 1 creates t_, statement 3 n_; the sleep in between commits nothing).
                const QStringList progressText =
                    db.column(u"SELECT error_text FROM qmigrate_history WHERE outcome = 'running'"_s);
                const JournalProgress progress = JournalProgress::read(progressText.value(0));
                QStringList resume{u"upgrade"_s, u"--resume"_s};
                if (progress.nextStarted) {
                    const QString table = (progress.committed == 0 ? u"t_"_s : u"n_"_s) + interrupted;
                    const int after = progress.committed + (db.tables().contains(table) ? 1 : 0);
                    resume = {u"upgrade"_s, u"--resume-after"_s, QString::number(after)};
                }
                const Run resumedRun = runCli(global + resume);
                if (resumedRun.exitCode != 0) {
                    ++tally->followUpFailures;
                    tally->problems.append(u"%1: resuming %2 (journal: %3) failed: %4"_s.arg(
                        mode.name, interrupted, progressText.value(0), resumedRun.err));
                    continue;
                }
                ++tally->resumed;
                interrupted.clear();
            } else if (!interrupted.isEmpty()) {
                // What the refusal offers: undo the committed statements by hand, then stamp.
                db.exec(u"DROP TABLE IF EXISTS t_%1"_s.arg(interrupted));
                db.exec(u"DROP TABLE IF EXISTS n_%1"_s.arg(interrupted));
            }
        }
        if (!interrupted.isEmpty()) {
            const Run refused = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
            if (refused.exitCode == 0 || !refused.err.contains(interrupted + u" was interrupted"_s)) {
                ++tally->followUpFailures;
                tally->problems.append(u"%1: the upgrade after an interrupted %2 was not refused: %3"_s.arg(
                    mode.name, interrupted, refused.err));
                continue;
            }
            const int previous = interrupted.mid(1).toInt() - 1;
            const Run stamp =
                runCli(global + QStringList{u"stamp"_s, previous == 0 ? u"base"_s : revisionId(previous)});
            if (stamp.exitCode != 0) {
                ++tally->followUpFailures;
                tally->problems.append(u"%1: the settling stamp failed: %2"_s.arg(mode.name, stamp.err));
                continue;
            }
        }
        const Run followUp = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        Database db(mode, target->sqliteFile, target->server);
        const QStringList rows = db.column(u"SELECT version_num FROM alembic_version"_s);
        if (followUp.exitCode != 0 || rows != QStringList{revisionId(kRevisions)}) {
            ++tally->followUpFailures;
            tally->problems.append(
                u"%1: the follow-up upgrade did not complete: %2"_s.arg(mode.name, followUp.err));
        }
    }
}

void concurrencyHarness(const Mode &mode, int rounds, int processes, Tally *tally)
{
    QTemporaryDir tmp;
    const QString project = tmp.filePath(u"project"_s);
    if (!writeProject(project, mode)) {
        tally->problems.append(u"cannot write the project"_s);
        return;
    }
    for (int round = 0; round < rounds; ++round) {
        const std::optional<Target> target = freshTarget(mode, tmp, u"round%1"_s.arg(round), tally);
        if (!target)
            return;
        ++tally->rounds;
        std::vector<std::unique_ptr<QProcess>> running;
        for (int i = 0; i < processes; ++i) {
            running.push_back(std::make_unique<QProcess>());
            const QString url =
                target->nodes.isEmpty()
                    ? target->url
                    : target->nodes.at(i % target->nodes.size()).url().toUrlStringWithPassword();
            running.back()->start(QStringLiteral(QMIGRATE_CLI_PATH),
                                  {u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s, url, u"upgrade"_s,
                                   u"head"_s, u"--lock-timeout"_s, u"300"_s});
        }
        QString allErrors;
        for (const auto &process : running) {
            process->waitForFinished(600000);
            const QString err = QString::fromUtf8(process->readAllStandardError());
            allErrors += err;
            if (process->exitStatus() != QProcess::NormalExit || process->exitCode() != 0) {
                ++tally->spuriousFailures;
                tally->problems.append(
                    u"%1, round %2: a process failed: %3"_s.arg(mode.name).arg(round).arg(err));
            }
        }
        for (int i = 1; i <= kRevisions; ++i) {
            const int runs = int(allErrors.count(u"-> %1, %1"_s.arg(revisionId(i))));
            if (runs != 1) {
                ++tally->doubleApplied;
                tally->problems.append(u"%1, round %2: %3 ran %4 times"_s.arg(mode.name)
                                           .arg(round)
                                           .arg(revisionId(i))
                                           .arg(runs));
            }
        }
        for (const TestServer &node : std::as_const(target->nodes)) {
            Database db(mode, QString(), node);
            db.exec(u"SET SESSION wsrep_sync_wait = 7"_s);
            const QStringList rows = db.column(u"SELECT version_num FROM alembic_version"_s);
            if (rows != QStringList{revisionId(kRevisions)}) {
                ++tally->doubleApplied;
                tally->problems.append(u"%1, round %2: alembic_version on %3:%4 holds %5"_s.arg(mode.name)
                                           .arg(round)
                                           .arg(node.host)
                                           .arg(node.port)
                                           .arg(rows.join(u", "_s)));
            }
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int points = 20;
    int rounds = 5;
    int processes = 8;
    quint32 seed = 20261205;
    QStringList wanted{u"sqlite"_s, u"sqlite-per-migration"_s, u"postgresql"_s, u"postgresql-per-migration"_s,
                       u"mariadb"_s};
    const QStringList arguments = app.arguments();
    for (int i = 1; i + 1 < arguments.size(); i += 2) {
        const QString option = arguments.at(i);
        const QString value = arguments.at(i + 1);
        if (option == u"--points"_s)
            points = value.toInt();
        else if (option == u"--rounds"_s)
            rounds = value.toInt();
        else if (option == u"--processes"_s)
            processes = value.toInt();
        else if (option == u"--seed"_s)
            seed = value.toUInt();
        else if (option == u"--modes"_s)
            wanted = value.split(u',');
    }
    const QList<Mode> modes{{u"sqlite"_s, {}, false},
                            {u"sqlite-per-migration"_s, {}, true},
                            {u"postgresql"_s, u"postgresql"_s, false},
                            {u"postgresql-per-migration"_s, u"postgresql"_s, true},
                            {u"mariadb"_s, u"mariadb"_s, false},
                            {u"galera"_s, u"galera"_s, false}};
    QRandomGenerator random(seed);
    std::printf("qmigrate stress: %d kill points and %d rounds of %d concurrent processes per mode, seed %u, "
                "%d revisions (every third with a no-transaction statement)\n\n",
                points, rounds, processes, seed, kRevisions);
    std::printf("%-26s %7s %13s %12s %8s %9s %7s %15s %9s\n", "mode", "kills", "inconsistent", "interrupted",
                "resumed", "followup", "rounds", "double-applied", "spurious");
    int failures = 0;
    for (const Mode &mode : modes) {
        if (!wanted.contains(mode.name))
            continue;
        Tally tally;
        if (mode.server != u"galera"_s)
            killHarness(mode, points, random, &tally);
        concurrencyHarness(mode, rounds, processes, &tally);
        std::printf("%-26s %7d %13d %12d %8d %9d %7d %15d %9d\n", qPrintable(mode.name), tally.points,
                    tally.inconsistent, tally.interruptedSteps, tally.resumed, tally.followUpFailures,
                    tally.rounds, tally.doubleApplied, tally.spuriousFailures);
        std::fflush(stdout);
        for (const QString &problem : std::as_const(tally.problems))
            std::fprintf(stderr, "  %s: %s\n", qPrintable(mode.name), qPrintable(problem));
        failures += int(tally.problems.size());
    }
    std::printf("\n%s\n", failures == 0 ? "no problems" : "PROBLEMS (listed on stderr)");
    return failures == 0 ? 0 : 1;
}
