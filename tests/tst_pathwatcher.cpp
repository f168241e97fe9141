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

    // The watching is done on the watcher's own thread, never on the caller's (the UI thread).
    void worksOffTheCallersThread()
    {
        QTemporaryDir dir;
        QStringList files;
        for (int i = 0; i < 200; ++i) {
            files.append(dir.filePath(u"r%1.sql"_s.arg(i)));
            QVERIFY(writeAll(files.last(), "--\n"));
        }
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
