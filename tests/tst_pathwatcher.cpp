// SPDX-License-Identifier: MIT
#include "workspace/pathwatcher.h"

#include "testfiles.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace qmigrate;

// Files watched off the UI thread: what is watched, what a change says, and where the work is done.
class TstPathWatcher : public QObject
{
    Q_OBJECT

    // `count` small files in dir; fewer when one cannot be written.
    static QStringList revisionFiles(const QTemporaryDir &dir, int count)
    {
        QStringList files;
        for (int i = 0; i < count; ++i) {
            files.append(dir.filePath(u"r%1.sql"_s.arg(i)));
            if (!writeAll(files.last(), "--\n"))
                return files.mid(0, i);
        }
        return files;
    }

private slots:
    void watchesExactlyTheSetGiven()
    {
        QTemporaryDir dir;
        const QString a = dir.filePath(u"a.sql"_s), b = dir.filePath(u"b.sql"_s);
        QVERIFY(writeAll(a, "-- a\n") && writeAll(b, "-- b\n"));
        PathWatcher watcher;
        QSignalSpy applied(&watcher, &PathWatcher::applied);
        QSignalSpy changed(&watcher, &PathWatcher::changed);
        watcher.setPaths({a, b, dir.path()});
        QVERIFY(applied.wait());
        QCOMPARE(QSet<QString>(watcher.paths().cbegin(), watcher.paths().cend()),
                 (QSet<QString>{a, b, dir.path()}));

        // An edit in place (as many editors save) is seen.
        QVERIFY(writeAll(a, "-- a, edited\n"));
        QVERIFY(changed.wait());

        // b no longer wanted: its edits are not reported any more.
        watcher.setPaths({a});
        QVERIFY(applied.wait());
        QCOMPARE(watcher.paths(), QStringList{a});
        changed.clear();
        QVERIFY(writeAll(b, "-- b, edited\n"));
        QTest::qWait(300);
        QVERIFY(changed.isEmpty());

        // A path added on its own stays until the next set.
        watcher.addPath(b);
        QVERIFY(applied.wait());
        QCOMPARE(watcher.paths().size(), 2);
    }

    // A project of thousands of files is spread over several watchers: every path is watched once, edits to
    // any of them are seen, and a smaller set drops the rest wherever they were.
    void manyPathsAreAllWatchedOnce()
    {
        QTemporaryDir dir;
        const QStringList files = revisionFiles(dir, 3000);
        QCOMPARE(files.size(), 3000);
        PathWatcher watcher;
        QSignalSpy applied(&watcher, &PathWatcher::applied);
        QSignalSpy changed(&watcher, &PathWatcher::changed);
        watcher.setPaths(files + QStringList{dir.path()});
        QVERIFY(applied.wait());
        QCOMPARE(watcher.paths().size(), files.size() + 1);
        QCOMPARE(QSet<QString>(watcher.paths().cbegin(), watcher.paths().cend()),
                 QSet<QString>(files.cbegin(), files.cend()) + QSet<QString>{dir.path()});
        for (const int i : {0, 1499, 2999}) {
            changed.clear();
            QVERIFY(writeAll(files.at(i), "-- edited\n"));
            QVERIFY2(changed.wait(), qPrintable(files.at(i)));
        }

        // The same set again changes nothing; one more path is added once.
        watcher.setPaths(files + QStringList{dir.path()});
        QVERIFY(applied.wait());
        QCOMPARE(watcher.paths().size(), files.size() + 1);
        const QString extra = dir.filePath(u"extra.sql"_s);
        QVERIFY(writeAll(extra, "--\n"));
        watcher.addPath(extra);
        QVERIFY(applied.wait());
        QCOMPARE(watcher.paths().size(), files.size() + 2);

        const QStringList first = files.mid(0, 100);
        watcher.setPaths(first);
        QVERIFY(applied.wait());
        QCOMPARE(QSet<QString>(watcher.paths().cbegin(), watcher.paths().cend()),
                 QSet<QString>(first.cbegin(), first.cend()));
        QTest::qWait(100);
        changed.clear();
        QVERIFY(writeAll(files.at(2999), "-- edited again\n"));
        QVERIFY(writeAll(extra, "-- edited\n"));
        QTest::qWait(300);
        QVERIFY(changed.isEmpty());
        QVERIFY(writeAll(files.at(99), "-- edited again\n"));
        QVERIFY(changed.wait());
    }

    // The watching is done on the watcher's own thread, never on the caller's (the UI thread).
    void worksOffTheCallersThread()
    {
        QTemporaryDir dir;
        const QStringList files = revisionFiles(dir, 200);
        QCOMPARE(files.size(), 200);
        PathWatcher watcher;
        // The listing runs where the watching does: a project's thousands of files are not even listed on
        // the caller's thread.
        QThread *listedOn = nullptr;
        QSignalSpy applied(&watcher, &PathWatcher::applied);
        watcher.setPaths([&listedOn, files] {
            listedOn = QThread::currentThread();
            return files;
        });
        QVERIFY(applied.wait());
        QVERIFY(listedOn != nullptr);
        QVERIFY(listedOn != QThread::currentThread());
        QCOMPARE(watcher.paths().size(), files.size());
    }
};

QTEST_GUILESS_MAIN(TstPathWatcher)
#include "tst_pathwatcher.moc"
