// SPDX-License-Identifier: MIT
// Benchmark of the read side: generate linear and branchy native-SQL projects of 1k, 10k and 100k revisions,
// then time scanning+parsing the files, building the map, heads and the full history. Each measurement runs
// in a child process so that its peak RSS is its own. Prints absolute times and the 100k/10k ratios
// (the goal is <= 11, i.e. linear growth). The rows of each shape read every file (QMIGRATE_NO_CACHE); the
// "/c" rows load the same project again with its header cache warm (HeaderCache), the files older than the
// racy margin, as a project a user opens again.
#include "benchrow.h"
#include "graph/revisionmap.h"
#include "scripts/headercache.h"
#include "scripts/scriptdirectory.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <cstdio>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QString revisionId(int n)
{
    return u"%1"_s.arg(n, 12, 16, QLatin1Char('0'));
}

void writeRevision(const QString &dir, int n, const QStringList &parents, const QStringList &labels,
                   const QStringList &dependsOn)
{
    const QString id = revisionId(n);
    QFile file(dir + u'/' + id + u"_rev_"_s + QString::number(n) + u".sql"_s);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(file.fileName()));
    QTextStream out(&file);
    out << "-- revision " << n << "\n--\n-- Revision ID: " << id << "\n-- Revises: " << parents.join(u", "_s)
        << "\n-- Branch labels: " << labels.join(u", "_s) << "\n-- Depends on: " << dependsOn.join(u", "_s)
        << "\n-- Create Date: 2026-11-24 10:00:00.000000\n\n-- migrate:upgrade\nCREATE TABLE t" << n
        << " (id INTEGER PRIMARY KEY);\n\n-- migrate:downgrade\nDROP TABLE t" << n << ";\n";
}

// Linear: one chain. Branchy: a trunk where every 20th revision forks a 5-revision side branch that merges
// back, plus a second base ("lib", labelled) that every 100th trunk revision depends on.
void generate(const QString &dir, const QString &shape, int count)
{
    QDir().mkpath(dir);
    if (shape == u"linear"_s) {
        for (int n = 0; n < count; ++n)
            writeRevision(dir, n, n == 0 ? QStringList{} : QStringList{revisionId(n - 1)}, {}, {});
        return;
    }
    int n = 0;
    int trunk = -1;
    int lib = -1;
    while (n < count) {
        if (n % 100 == 10 || lib < 0) {
            writeRevision(dir, n, lib < 0 ? QStringList{} : QStringList{revisionId(lib)},
                          lib < 0 ? QStringList{u"lib"_s} : QStringList{}, {});
            lib = n++;
            continue;
        }
        if (trunk >= 0 && n % 20 == 0 && n + 6 < count) {
            const int forkPoint = trunk;
            int side = forkPoint;
            for (int i = 0; i < 5; ++i) {
                writeRevision(dir, n, {revisionId(side)}, {}, {});
                side = n++;
            }
            writeRevision(dir, n, {revisionId(forkPoint)}, {}, {}); // the trunk's own next step
            const int trunkStep = n++;
            writeRevision(dir, n, {revisionId(trunkStep), revisionId(side)}, {}, {}); // merge back
            trunk = n++;
            continue;
        }
        const QStringList deps = (n % 100 == 50) ? QStringList{revisionId(lib)} : QStringList{};
        writeRevision(dir, n, trunk < 0 ? QStringList{} : QStringList{revisionId(trunk)}, {}, deps);
        trunk = n++;
    }
}

long peakRssKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

// Child mode: measure one project; prints "scan build heads history rssKiB" (milliseconds).
int measure(const QString &dir)
{
    QElapsedTimer timer;
    timer.start();
    qmigrate::Expected<qmigrate::ScriptDirectory> scripts = qmigrate::ScriptDirectory::load(QStringList{dir});
    if (!scripts) {
        std::fprintf(stderr, "%s\n", qPrintable(scripts.error().toString()));
        return 1;
    }
    const double scanMs = timer.nsecsElapsed() / 1e6;
    timer.restart();
    qmigrate::Expected<qmigrate::RevisionMap> map = qmigrate::RevisionMap::build(scripts->takeRevisions());
    if (!map) {
        std::fprintf(stderr, "%s\n", qPrintable(map.error().toString()));
        return 1;
    }
    const double buildMs = timer.nsecsElapsed() / 1e6;
    timer.restart();
    const qsizetype headCount = map->heads().size() + map->realHeads().size();
    const double headsMs = timer.nsecsElapsed() / 1e6;
    timer.restart();
    const qsizetype historyCount = map->history().size();
    const double historyMs = timer.nsecsElapsed() / 1e6;
    if (historyCount != map->size() || headCount == 0) {
        std::fprintf(stderr, "history listed %lld of %lld revisions\n", qlonglong(historyCount),
                     qlonglong(map->size()));
        return 1;
    }
    std::printf("%.3f %.3f %.3f %.3f %ld\n", scanMs, buildMs, headsMs, historyMs, peakRssKiB());
    return 0;
}

struct Measurement
{
    double scan = 0, build = 0, heads = 0, history = 0;
    long rss = 0;
};

Measurement runChild(const QString &program, const QString &dir, const QProcessEnvironment &environment)
{
    QProcess child;
    child.setProcessEnvironment(environment);
    child.start(program, {u"--measure"_s, dir});
    if (!child.waitForFinished(-1) || child.exitCode() != 0)
        qFatal("measurement failed: %s", child.readAllStandardError().constData());
    const QList<QByteArray> fields = child.readAllStandardOutput().trimmed().split(' ');
    return Measurement{fields.at(0).toDouble(), fields.at(1).toDouble(), fields.at(2).toDouble(),
                       fields.at(3).toDouble(), fields.at(4).toLong()};
}

// Best of three runs, each in a fresh process; the highest peak RSS. Each run starts with nothing left for
// the kernel to write back (the project just generated, the one removed before it), which would otherwise be
// flushed during the run.
Measurement bestOfThree(const QString &program, const QString &dir, const QProcessEnvironment &environment)
{
    Measurement best{1e18, 1e18, 1e18, 1e18, 0};
    for (int run = 0; run < 3; ++run) {
        ::sync();
        const Measurement m = runChild(program, dir, environment);
        best.scan = std::min(best.scan, m.scan);
        best.build = std::min(best.build, m.build);
        best.heads = std::min(best.heads, m.heads);
        best.history = std::min(best.history, m.history);
        best.rss = std::max(best.rss, m.rss);
    }
    return best;
}

void printMeasurement(const QString &shape, int size, const Measurement &m)
{
    std::printf("%-8s %7d %10.1f %10.1f %10.3f %10.1f %7ld KiB\n", qPrintable(shape), size, m.scan, m.build,
                m.heads, m.history, m.rss);
    std::fflush(stdout);
}

void printRatio(const QString &shape, const Measurement &a, const Measurement &b)
{
    std::printf("%-8s ratio 100k/10k: load+build %.1f (goal <= 11); scan %.1f, build %.1f, heads %.1f, "
                "history %.1f\n",
                qPrintable(shape), (b.scan + b.build) / (a.scan + a.build), b.scan / a.scan,
                b.build / a.build, b.heads / std::max(a.heads, 0.0001), b.history / a.history);
}

// The rows of make bench's table: growth from 10,000 to 100,000 revisions and the memory at 100,000.
void printRows(const QString &what, const Measurement &a, const Measurement &b)
{
    const double growth = (b.scan + b.build) / (a.scan + a.build);
    BenchRow ratio;
    ratio.measure = u"scan + build, native SQL, %1: 100,000 vs 10,000 revisions"_s.arg(what);
    ratio.qmigrate = BenchRow::ms(b.scan + b.build) + u" / "_s + BenchRow::ms(a.scan + a.build);
    ratio.ratio = QString::number(growth, 'f', 1) + u"x"_s;
    ratio.goal = u"≤ 11x"_s;
    ratio.met = growth <= 11.0 ? BenchRow::Met::Yes : BenchRow::Met::No;
    ratio.print();
    BenchRow memory;
    const double mib = double(b.rss) / 1024.0;
    memory.measure = u"peak RSS, scan + build, native SQL, %1, 100,000 revisions"_s.arg(what);
    memory.qmigrate = QString::number(mib, 'f', 1) + u" MiB"_s;
    memory.goal = u"≤ 100 MiB"_s;
    memory.met = mib <= 100.0 ? BenchRow::Met::Yes : BenchRow::Met::No;
    memory.print();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 3 && args.at(1) == u"--measure"_s)
        return measure(args.at(2));

    QTemporaryDir root;
    if (!root.isValid())
        qFatal("no temporary directory");
    const QList<int> sizes = {1000, 10000, 100000};
    std::printf("%-8s %7s %10s %10s %10s %10s %10s\n", "shape", "size", "scan ms", "build ms", "heads ms",
                "history ms", "peak RSS");
    QProcessEnvironment cold = QProcessEnvironment::systemEnvironment();
    cold.insert(u"QMIGRATE_NO_CACHE"_s, u"1"_s);
    QProcessEnvironment warm = QProcessEnvironment::systemEnvironment();
    warm.remove(u"QMIGRATE_NO_CACHE"_s);
    warm.insert(u"XDG_CACHE_HOME"_s, root.filePath(u"cache"_s)); // not the user's cache folder
    for (const QString &shape : {u"linear"_s, u"branchy"_s}) {
        QHash<int, Measurement> results;
        QHash<int, Measurement> cached;
        for (int size : sizes) {
            const QString dir = root.filePath(shape + QString::number(size));
            generate(dir, shape, size);
            results.insert(size, bestOfThree(app.applicationFilePath(), dir, cold));
            printMeasurement(shape, size, results.value(size));
            // Files younger than the racy margin are read again whatever the cache says.
            QThread::msleep(qmigrate::HeaderCache::RacyMarginNs / 1'000'000 + 200);
            runChild(app.applicationFilePath(), dir, warm); // writes the cache
            cached.insert(size, bestOfThree(app.applicationFilePath(), dir, warm));
            printMeasurement(shape + u"/c"_s, size, cached.value(size));
            QDir(dir).removeRecursively();
        }
        printRatio(shape, results.value(10000), results.value(100000));
        printRatio(shape + u"/c"_s, cached.value(10000), cached.value(100000));
        printRows(shape, results.value(10000), results.value(100000));
        printRows(shape + u", warm header cache"_s, cached.value(10000), cached.value(100000));
    }
    return 0;
}
