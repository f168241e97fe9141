// SPDX-License-Identifier: MIT
// RunLockFile: the run lock of a SQLite file, which survives the run's commits, names its holder and goes
// with the holding process however it ends.

#include "clirunner.h"
#include "execution/runlockfile.h"
#include "testfiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

class TestRunLockFile : public QObject
{
    Q_OBJECT

private slots:
    void secondHolderWaitsAndSeesTheFirst()
    {
        QTemporaryDir tmp;
        const QString path = RunLockFile::pathFor(tmp.filePath(u"app.db"_s));
        QCOMPARE(path, tmp.filePath(u"app.db.qmigrate-lock"_s));
        RunLockFile first(path);
        Expected<bool> taken = first.acquire(0, u"first upgrade"_s);
        QVERIFY(taken && *taken);
        QVERIFY(first.isHeld());

        RunLockFile second(path);
        QElapsedTimer clock;
        clock.start();
        taken = second.acquire(1, u"second upgrade"_s);
        QVERIFY(taken);
        QVERIFY(!*taken);
        QVERIFY2(clock.elapsed() >= 900, "the second run did not wait for its timeout");
        const QString holder = second.holder();
        QVERIFY2(holder.startsWith(u"process %1 on host "_s.arg(QCoreApplication::applicationPid())) &&
                     holder.endsWith(u"(first upgrade)"_s),
                 qPrintable(holder));

        first.release();
        QCOMPARE(second.holder(), QString());
        taken = second.acquire(0, u"second upgrade"_s);
        QVERIFY(taken && *taken);
        QVERIFY2(second.holder().endsWith(u"(second upgrade)"_s), qPrintable(second.holder()));
    }

    // A holder killed with SIGKILL has no chance to clean up: the system drops its lock, and the file's stale
    // holder line does not keep the next run out.
    void killedHolderReleasesTheLock()
    {
        QTemporaryDir tmp;
        const QString path = RunLockFile::pathFor(tmp.filePath(u"app.db"_s));
        QVERIFY(
            writeAll(path, "{\"pid\": 1, \"host\": \"elsewhere\", \"since\": \"2026-01-01T00:00:00Z\"}\n"));
        QProcess holder;
        // --no-fork: the process that holds the lock is the one killed below.
        holder.start(u"/usr/bin/flock"_s, {u"--exclusive"_s, u"--no-fork"_s, path, u"sleep"_s, u"60"_s});
        QVERIFY(holder.waitForStarted());
        RunLockFile lock(path);
        bool heldByFlock = false;
        QElapsedTimer clock;
        clock.start();
        while (!heldByFlock && clock.elapsed() < 10000) {
            const Expected<bool> taken = lock.acquire(0, u"probe"_s);
            QVERIFY(taken);
            heldByFlock = !*taken;
            if (*taken) { // flock(1) has not locked it yet
                lock.release();
                QTest::qWait(20);
            }
        }
        QVERIFY(heldByFlock);
        holder.kill();
        QVERIFY(holder.waitForFinished(5000));
        const Expected<bool> taken = lock.acquire(5, u"after the kill"_s);
        QVERIFY(taken && *taken);
    }

    // A run that waits in vain says who holds the lock.
    void timedOutRunNamesTheHolder()
    {
        QTemporaryDir tmp;
        QVERIFY(QDir().mkpath(tmp.filePath(u"versions"_s)));
        QVERIFY(writeAll(tmp.filePath(u"alembic.ini"_s), "[alembic]\nscript_location = %(here)s\n"
                                                         "sqlalchemy.url = sqlite:///app.db\n"));
        QVERIFY(writeAll(tmp.filePath(u"versions/a1.sql"_s),
                         "-- a1\n--\n-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE t "
                         "(id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t;\n"));
        RunLockFile lock(RunLockFile::pathFor(tmp.filePath(u"app.db"_s)));
        const Expected<bool> taken = lock.acquire(0, u"a long upgrade"_s);
        QVERIFY(taken && *taken);
        const CliResult result = runCli(
            {u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"upgrade"_s, u"head"_s, u"--lock-timeout"_s, u"1"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"Timed out after 1 s waiting for the migration lock"_s) &&
                     result.err.contains(u"the lock is held by process %1 on host "_s.arg(
                         QCoreApplication::applicationPid())) &&
                     result.err.contains(u"(a long upgrade)"_s),
                 qPrintable(result.err));
        lock.release();
        const CliResult again = runCli({u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"upgrade"_s, u"head"_s});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    }
};

QTEST_GUILESS_MAIN(TestRunLockFile)
#include "tst_runlockfile.moc"
