// SPDX-License-Identifier: MIT
// Benchmark of Alembic Python projects: qmigrate-cli beside the project's own Alembic (Debian's
// `/usr/bin/python3 -m alembic`) on the same generated project (the real `alembic init`, then linear
// revisions in script.py.mako's layout, each creating one table). Measures `history`, `heads` and `current`
// (native in qmigrate) at 1,000 and 10,000 revisions, and `upgrade head` of 1,000 revisions on SQLite from an
// empty database (Alembic inside qmigrate's driver; the goal is <= 1.2x plain Alembic). Each command is a
// child process in the project's folder, timed from start to finish, its peak RSS taken with /usr/bin/time.
// Runs of the two tools are interleaved; the table shows medians and the median of the per-pair ratios.
#include "alembicproject.h"
#include "benchrow.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLocale>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr int kRuns = 3;
constexpr int kUpgradeRevisions = 1000;
const QList<int> kSizes = {1000, 10000};

enum class Tool { Alembic, Qmigrate };

// Thrown rather than qFatal() so that the temporary projects (one of them in /dev/shm, i.e. in RAM) are
// removed on the way out.
struct Failure
{
    QString message;
};

[[noreturn]] void fail(const QString &message)
{
    throw Failure{message};
}

QString revisionId(int n)
{
    return u"%1"_s.arg(n + 1, 12, 16, QLatin1Char('0'));
}

QString tableName(int n)
{
    return u"t_%1"_s.arg(n, 5, 10, QLatin1Char('0'));
}

QString thousands(int n)
{
    return QLocale(QLocale::English).toString(n);
}

struct Setup
{
    QString cli = QStringLiteral(QMIGRATE_CLI_PATH);
    QString timeProgram; // empty: no /usr/bin/time, no RSS
    QString rssFile;
    QProcessEnvironment environment;
};

// The developer's shell must not steer either side: DB_* and ALEMBIC_CONFIG would change the database,
// QMIGRATE_PYTHON, QMIGRATE_DRIVER and VIRTUAL_ENV would give qmigrate another Python than Alembic's. And
// PYTHONDONTWRITEBYTECODE (set on some dev machines) would make Alembic recompile every revision file on
// every run, which its users do not pay.
QProcessEnvironment childEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const QString &name :
         {u"DB_HOST"_s, u"DB_PORT"_s, u"DB_NAME"_s, u"DB_USER"_s, u"DB_PASSWORD"_s, u"ALEMBIC_CONFIG"_s,
          u"QMIGRATE_PYTHON"_s, u"QMIGRATE_DRIVER"_s, u"VIRTUAL_ENV"_s, u"PYTHONDONTWRITEBYTECODE"_s})
        environment.remove(name);
    return environment;
}

struct Run
{
    double ms = 0;
    double rssMiB = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const Setup &setup, Tool tool, const QString &folder, const QStringList &arguments)
{
    QStringList command = tool == Tool::Alembic ? QStringList{AlembicProject::systemPython(), u"-m"_s,
                                                              u"alembic"_s, u"-c"_s, u"alembic.ini"_s}
                                                : QStringList{setup.cli, u"-c"_s, u"alembic.ini"_s};
    command += arguments;
    const QString shown = command.join(u' ');
    if (!setup.timeProgram.isEmpty())
        command = QStringList{setup.timeProgram, u"-f"_s, u"%M"_s, u"-o"_s, setup.rssFile} + command;

    QProcess process;
    process.setWorkingDirectory(folder);
    process.setProcessEnvironment(setup.environment);
    const QString program = command.takeFirst();
    QElapsedTimer timer;
    timer.start();
    process.start(program, command);
    const bool finished = process.waitForFinished(-1);
    Run result;
    result.ms = timer.nsecsElapsed() / 1e6;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        fail(u"`%1` failed in %2 (exit code %3, %4)\n%5"_s.arg(
            shown, folder, QString::number(process.exitCode()), process.errorString(),
            QString::fromUtf8(result.err.right(3000) + result.out.right(1000))));
    }
    if (!setup.timeProgram.isEmpty()) {
        QFile rss(setup.rssFile);
        if (rss.open(QIODevice::ReadOnly))
            result.rssMiB = rss.readAll().trimmed().toLong() / 1024.0;
    }
    return result;
}

int countTables(const QString &databasePath)
{
    const QString connection = u"bench_alembic_count"_s;
    int count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                           u"AND name LIKE 't\\_%' ESCAPE '\\'"_s) &&
                query.next())
                count = query.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return count;
}

void requireTables(const QString &folder, int expected, const QString &who)
{
    const int count = countTables(folder + u"/bench.db"_s);
    if (count != expected)
        fail(u"after %1's upgrade bench.db in %2 has %3 t_* tables, expected %4"_s.arg(who, folder)
                 .arg(count)
                 .arg(expected));
}

void removeDatabase(const QString &folder)
{
    for (const QString &name : {u"bench.db"_s, u"bench.db-journal"_s, u"bench.db-wal"_s, u"bench.db-shm"_s}) {
        if (QFile::exists(folder + u'/' + name) && !QFile::remove(folder + u'/' + name))
            fail(u"cannot delete %1/%2"_s.arg(folder, name));
    }
}

// `alembic init` in `folder`, then `count` linear revisions as script.py.mako renders them.
QString generate(const QString &folder, int count)
{
    AlembicProject project(folder, u"sqlite:///bench.db"_s);
    if (!project.error().isEmpty())
        fail(project.error());
    for (int n = 0; n < count; ++n) {
        project.addRevision(
            revisionId(n), n == 0 ? QStringList() : QStringList{revisionId(n - 1)},
            u"create "_s + tableName(n),
            u"op.create_table('%1', sa.Column('id', sa.Integer, primary_key=True))"_s.arg(tableName(n)),
            u"op.drop_table('%1')"_s.arg(tableName(n)));
    }
    if (!project.error().isEmpty())
        fail(project.error());
    return project.folder();
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

double medianRatio(const QList<double> &qmigrate, const QList<double> &alembic)
{
    QList<double> ratios;
    for (qsizetype i = 0; i < qmigrate.size(); ++i)
        ratios.append(qmigrate.at(i) / alembic.at(i));
    return median(ratios);
}

struct Comparison
{
    QList<double> alembicMs, qmigrateMs, alembicRss, qmigrateRss;
};

// `once(tool, setup)` prepares, runs and checks one run of one tool. The first tool alternates from pair to
// pair so that drift on a shared machine (another build, the page cache) does not always favour the same
// side. The timed runs start each tool directly; the peak RSS comes from one more run of each under
// /usr/bin/time, whose own start (a fork and an exec, several milliseconds here) is not part of what a user
// runs. A single run (Alembic's slow `current`) is timed under /usr/bin/time rather than made twice.
Comparison compare(const Setup &setup, int runs, const std::function<Run(Tool, const Setup &)> &once,
                   const std::function<void(const Run &alembic, const Run &qmigrate)> &checkPair = {})
{
    Setup timed = setup;
    if (runs > 1)
        timed.timeProgram.clear();
    Comparison result;
    for (int i = 0; i < runs; ++i) {
        Run alembic;
        Run qmigrate;
        if (i % 2 == 0) {
            qmigrate = once(Tool::Qmigrate, timed);
            alembic = once(Tool::Alembic, timed);
        } else {
            alembic = once(Tool::Alembic, timed);
            qmigrate = once(Tool::Qmigrate, timed);
        }
        if (checkPair)
            checkPair(alembic, qmigrate);
        result.alembicMs.append(alembic.ms);
        result.qmigrateMs.append(qmigrate.ms);
        if (!timed.timeProgram.isEmpty()) {
            result.alembicRss.append(alembic.rssMiB);
            result.qmigrateRss.append(qmigrate.rssMiB);
        }
    }
    if (timed.timeProgram.isEmpty() && !setup.timeProgram.isEmpty()) {
        result.qmigrateRss.append(once(Tool::Qmigrate, setup).rssMiB);
        result.alembicRss.append(once(Tool::Alembic, setup).rssMiB);
    }
    return result;
}

void printRow(const QString &measure, double alembic, double qmigrate, double ratio, const char *goal)
{
    std::printf("%-66s %9.1f %9.1f %6.2f %7s\n", qPrintable(measure), alembic, qmigrate, ratio, goal);
    std::fflush(stdout);
}

void printComparison(const Setup &setup, const QString &measure, const Comparison &c, const char *goal)
{
    printRow(measure + u" (ms)"_s, median(c.alembicMs), median(c.qmigrateMs),
             medianRatio(c.qmigrateMs, c.alembicMs), goal);
    if (!setup.timeProgram.isEmpty())
        printRow(measure + u" (peak RSS, MiB)"_s, median(c.alembicRss), median(c.qmigrateRss),
                 medianRatio(c.qmigrateRss, c.alembicRss), "-");
}

// What any tool that notices an edited revision file pays at least: list the versions folder and stat each
// file (GNU find, one fstatat per entry). Median of kRuns, process start to exit.
double listAndStatFloorMs(const Setup &setup, const QString &folder)
{
    QList<double> times;
    for (int i = 0; i < kRuns; ++i) {
        QProcess process;
        process.setProcessEnvironment(setup.environment);
        process.setStandardOutputFile(QProcess::nullDevice());
        QElapsedTimer timer;
        timer.start();
        process.start(u"find"_s, {folder + u"/migrations/versions"_s, u"-maxdepth"_s, u"1"_s, u"-printf"_s,
                                  u"%s %T@\n"_s});
        if (!process.waitForFinished(-1) || process.exitStatus() != QProcess::NormalExit ||
            process.exitCode() != 0)
            fail(u"`find` failed in %1: %2"_s.arg(folder, QString::fromUtf8(process.readAllStandardError())));
        times.append(timer.nsecsElapsed() / 1e6);
    }
    return median(times);
}

void benchReads(const Setup &setup, const QString &folder, int size)
{
    // Alembic writes its bytecode cache on the first run; both read the files once into the page cache.
    run(setup, Tool::Alembic, folder, {u"history"_s});
    run(setup, Tool::Qmigrate, folder, {u"history"_s});
    run(setup, Tool::Alembic, folder, {u"stamp"_s, u"head"_s});
    run(setup, Tool::Qmigrate, folder, {u"current"_s}); // its Python probe is cached, as on a user's machine
    const double floorMs = size >= 10000 ? listAndStatFloorMs(setup, folder) : 0;
    for (const QString &command : {u"history"_s, u"heads"_s, u"current"_s}) {
        // Alembic 1.8's `current` is quadratic (RevisionMap._filter_into_branch_heads): 30-50 s a run at
        // 10,000 revisions, which alone would take the bench past five minutes.
        const int runs = size >= 10000 && command == u"current"_s ? 1 : kRuns;
        const Comparison c = compare(
            setup, runs, [&](Tool tool, const Setup &how) { return run(how, tool, folder, {command}); },
            [&](const Run &alembic, const Run &qmigrate) {
                if (alembic.out != qmigrate.out)
                    fail(u"`%1` at %2 revisions prints differently.\nAlembic:\n%3\nqmigrate:\n%4"_s.arg(
                        command, thousands(size), QString::fromUtf8(alembic.out.left(500)),
                        QString::fromUtf8(qmigrate.out.left(500))));
            });
        const QString measure = u"%1, %2 revisions"_s.arg(command, thousands(size));
        printComparison(setup, runs == kRuns ? measure : measure + u", %1 run"_s.arg(runs), c, "-");
        if (size >= 10000 && command != u"current"_s) {
            BenchRow row;
            row.measure = u"`%1`, %2 linear .py revisions (median of %3, process start to exit)"_s.arg(
                command, thousands(size), QString::number(runs));
            row.alembic = BenchRow::ms(median(c.alembicMs));
            row.qmigrate = BenchRow::ms(median(c.qmigrateMs));
            row.floor = u"`find -printf` %1 (list + a stat per file)"_s.arg(BenchRow::ms(floorMs));
            const double ratio = medianRatio(c.qmigrateMs, c.alembicMs);
            row.ratio = BenchRow::times(ratio) + u" Alembic"_s;
            row.goal = u"≤ 0.02x Alembic"_s;
            row.met = ratio <= 0.02 ? BenchRow::Met::Yes : BenchRow::Met::No;
            row.print();
        }
    }
}

QString expectedCurrent()
{
    return revisionId(kUpgradeRevisions - 1) + u" (head)"_s;
}

// `upgrade head` from an empty database every run; every run must leave all the tables, and Alembic must
// read qmigrate's result as its own.
Comparison benchUpgrade(const Setup &setup, const QString &folder)
{
    bool currentChecked = false;
    return compare(setup, kRuns, [&](Tool tool, const Setup &how) {
        removeDatabase(folder);
        Run result = run(how, tool, folder, {u"upgrade"_s, u"head"_s});
        requireTables(folder, kUpgradeRevisions, tool == Tool::Alembic ? u"Alembic"_s : u"qmigrate"_s);
        if (tool == Tool::Qmigrate && !currentChecked) {
            const Run current = run(setup, Tool::Alembic, folder, {u"current"_s});
            if (QString::fromUtf8(current.out).trimmed() != expectedCurrent())
                fail(u"after qmigrate's upgrade `alembic current` says \"%1\", expected \"%2\""_s.arg(
                    QString::fromUtf8(current.out.trimmed()), expectedCurrent()));
            currentChecked = true;
        }
        return result;
    });
}

// What the run costs beside its steps (interpreter start, imports, reading the project, connecting).
Comparison benchNothingToDo(const Setup &setup, const QString &folder)
{
    run(setup, Tool::Alembic, folder, {u"upgrade"_s, u"head"_s});
    run(setup, Tool::Qmigrate, folder, {u"upgrade"_s, u"head"_s});
    return compare(setup, kRuns, [&](Tool tool, const Setup &how) {
        Run result = run(how, tool, folder, {u"upgrade"_s, u"head"_s});
        requireTables(folder, kUpgradeRevisions, tool == Tool::Alembic ? u"Alembic"_s : u"qmigrate"_s);
        return result;
    });
}

// The interpreter qmigrate found by itself, as `current -v` names it.
QString qmigratePython(const Setup &setup, const QString &folder)
{
    const Run verbose = run(setup, Tool::Qmigrate, folder, {u"current"_s, u"-v"_s});
    const QString marker = u"Python for this project's Alembic: "_s;
    for (const QString &line : QString::fromUtf8(verbose.err + verbose.out).split(u'\n')) {
        if (line.contains(marker))
            return line.mid(line.indexOf(marker) + marker.size()).trimmed();
    }
    return u"(not named by current -v)"_s;
}

int bench()
{
    QElapsedTimer total;
    total.start();
    QTemporaryDir root;
    if (!root.isValid())
        fail(u"no temporary directory"_s);
    if (!QFileInfo(AlembicProject::systemPython()).isExecutable())
        fail(AlembicProject::systemPython() + u" not found (install python3-alembic)"_s);

    Setup setup;
    setup.environment = childEnvironment();
    // qmigrate's caches (revision headers, Python probes) of these throwaway projects stay in the bench's
    // folder instead of piling up in the user's cache folder.
    setup.environment.insert(u"XDG_CACHE_HOME"_s, root.filePath(u"cache"_s));
    if (QFileInfo(u"/usr/bin/time"_s).isExecutable()) {
        setup.timeProgram = u"/usr/bin/time"_s;
        setup.rssFile = root.filePath(u"rss.txt"_s);
    }

    QHash<int, QString> projects;
    for (int size : kSizes)
        projects.insert(size, generate(root.filePath(u"project%1"_s.arg(size)), size));
    const QString upgradeProject = projects.value(kUpgradeRevisions);
    run(setup, Tool::Alembic, upgradeProject, {u"stamp"_s, u"head"_s});

    std::printf("Alembic Python projects: qmigrate-cli vs %s -m alembic on the same project\n",
                qPrintable(AlembicProject::systemPython()));
    std::printf(
        "(alembic init, linear revisions of one op.create_table each), each command a child process\n");
    std::printf(
        "in the project's folder. Median of %d runs per tool (fewer where a row says so), the tools\n",
        kRuns);
    std::printf(
        "interleaved; q/A = median of the pairs' qmigrate/Alembic. One untimed warm-up per project.\n");
    std::printf(
        "PYTHONDONTWRITEBYTECODE is removed: Alembic keeps its bytecode cache, as its users have it.\n");
    std::printf("qmigrate's Python (found by itself): %s\n",
                qPrintable(qmigratePython(setup, upgradeProject)));
    if (setup.timeProgram.isEmpty())
        std::printf("Peak RSS left out: no /usr/bin/time.\n");
    else
        std::printf(
            "Peak RSS: /usr/bin/time %%M, the largest single process of the run (qmigrate's Python "
            "child included),\nfrom one more run of each tool: the timed runs start the tools directly.\n");
    std::printf("\n%-66s %9s %9s %6s %7s\n", "measure", "Alembic", "qmigrate", "q/A", "goal");

    for (int size : kSizes)
        benchReads(setup, projects.value(size), size);

    // On disk the two do not commit alike: Alembic's SQLiteImpl commits every DDL statement on its own (an
    // fsync each), qmigrate's driver runs the whole upgrade in one transaction (its run lock).
    const QString diskType = QString::fromUtf8(QStorageInfo(upgradeProject).fileSystemType());
    const Comparison disk = benchUpgrade(setup, upgradeProject);
    printComparison(
        setup, u"upgrade head, %1 revisions, bench.db on %2"_s.arg(thousands(kUpgradeRevisions), diskType),
        disk, "<= 1.2");

    // On tmpfs fsync costs nothing, so the two runs differ only by what qmigrate adds to Alembic.
    std::optional<Comparison> memory;
    std::optional<Comparison> nothing;
    const QStorageInfo shm(u"/dev/shm"_s);
    std::unique_ptr<QTemporaryDir> shmRoot;
    if (shm.isValid() && shm.fileSystemType() == "tmpfs" && !shm.isReadOnly()) {
        shmRoot = std::make_unique<QTemporaryDir>(u"/dev/shm/bench_alembic-XXXXXX"_s);
        if (shmRoot->isValid()) {
            const QString folder = generate(shmRoot->filePath(u"project"_s), kUpgradeRevisions);
            run(setup, Tool::Alembic, folder, {u"history"_s});
            memory = benchUpgrade(setup, folder);
            printComparison(
                setup, u"upgrade head, %1 revisions, bench.db on tmpfs"_s.arg(thousands(kUpgradeRevisions)),
                *memory, "<= 1.2");
            nothing = benchNothingToDo(setup, folder);
            printComparison(setup, u"upgrade head, nothing to do, tmpfs"_s, *nothing, "-");
        }
    }

    const auto perStep = [](const Comparison &c) {
        return (median(c.qmigrateMs) - median(c.alembicMs)) / kUpgradeRevisions;
    };
    std::printf("\nOn %s Alembic commits every statement (SQLiteImpl: non-transactional DDL) and qmigrate's "
                "driver the\nwhole upgrade once: that row weighs fsyncs too. The tmpfs rows (no fsync cost) "
                "compare the runners.\n",
                qPrintable(diskType));
    std::printf("per step, qmigrate - Alembic, (median qmigrate - median Alembic) / %d:\n",
                kUpgradeRevisions);
    std::printf("  bench.db on %s: %+.2f ms\n", qPrintable(diskType), perStep(disk));
    if (memory && nothing) {
        std::printf("  bench.db on tmpfs: %+.2f ms; without the fixed cost of a run (the nothing-to-do runs "
                    "subtracted): %+.2f ms\n",
                    perStep(*memory), perStep(*memory) - perStep(*nothing));
    } else {
        std::printf("  (no writable tmpfs at /dev/shm: the tmpfs rows are left out)\n");
    }
    std::printf("correctness: every upgrade left %d t_* tables; after qmigrate's upgrade `alembic current` "
                "says %s; history, heads and current print the same as Alembic's.\n",
                kUpgradeRevisions, qPrintable(expectedCurrent()));
    std::printf("total %.0f s\n", total.nsecsElapsed() / 1e9);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    try {
        return bench();
    } catch (const Failure &failure) {
        std::fflush(stdout);
        std::fprintf(stderr, "bench_alembic aborted: %s\n", qPrintable(failure.message));
        return 1;
    }
}
