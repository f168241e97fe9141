// SPDX-License-Identifier: MIT
// Benchmark of execution: "upgrade head" of 1,000 one-table revisions as a user runs it, `qmigrate-cli
// upgrade head` from process start to exit (project load, lock, audit history included), timed beside the
// floor: the database's own command-line client running the same statements (the offline script of the same
// plan: the DDL and the version-table writes) in one transaction, also from process start. The engine alone
// (the Migrator in this process, no audit history) is shown for reference. SQLite always; PostgreSQL when its
// binaries are installed (a throwaway server is started with tests/servers/start-postgresql.sh and stopped at
// the end; the three are timed in interleaved rounds). Best of three runs each, on a fresh database every
// time, each started with nothing left for the kernel to write back. Goals: SQLite <= 1.3x the floor,
// PostgreSQL <= 1.05x. Alembic is timed beside them on the same statements: an `alembic init` project whose
// 1,000 revisions run the same SQL with op.execute(), `/usr/bin/python3 -m alembic upgrade head`.
#include "alembicproject.h"
#include "benchrow.h"
#include "database/dialect.h"
#include "execution/migrator.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "plan/offlinerenderer.h"
#include "scripts/scriptdirectory.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <cstdio>
#include <functional>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

constexpr int kRevisions = 1000;
constexpr int kRuns = 3;

QString revisionId(int n)
{
    return u"%1"_s.arg(n + 1, 12, 16, QLatin1Char('0'));
}

void generate(const QString &dir)
{
    QDir().mkpath(dir);
    for (int n = 0; n < kRevisions; ++n) {
        QFile file(dir + u'/' + revisionId(n) + u"_table_"_s + QString::number(n) + u".sql"_s);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(file.fileName()));
        QTextStream out(&file);
        out << "-- table " << n << "\n--\n-- Revision ID: " << revisionId(n)
            << "\n-- Revises: " << (n == 0 ? QString() : revisionId(n - 1))
            << "\n-- Create Date: 2026-11-24 10:00:00.000000\n\n-- migrate:upgrade\nCREATE TABLE t" << n
            << " (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT NULL\n);\n"
            << "\n-- migrate:downgrade\nDROP TABLE t" << n << ";\n";
    }
}

// Each run starts with nothing left for the kernel to write back: the files earlier runs wrote (4.7 MB of
// database each on SQLite) would otherwise be flushed during this one and slow its fsyncs.
double bestOf(const std::function<double()> &run)
{
    double best = 1e18;
    for (int i = 0; i < kRuns; ++i) {
        ::sync();
        best = std::min(best, run());
    }
    return best;
}

QString offlineScript(const RevisionMap &map, DatabaseUrl::Backend backend)
{
    Expected<MigrationPlan> plan = MigrationPlan::upgrade(map, {}, u"head"_s);
    if (!plan)
        qFatal("%s", qPrintable(plan.error().toString()));
    const Dialect dialect = Dialect::forBackend(backend);
    const OfflineRenderer renderer(map, dialect, false);
    Expected<QString> script = renderer.render(*plan, true);
    if (!script)
        qFatal("%s", qPrintable(script.error().toString()));
    // PostgreSQL's offline script already has BEGIN/COMMIT; SQLite's does not (Alembic's layout).
    if (!script->startsWith(u"BEGIN;"_s))
        return u"BEGIN;\n"_s + *script + u"COMMIT;\n"_s;
    return *script;
}

double runMigrator(const RevisionMap &map, const DatabaseUrl &url, const QString &baseDir)
{
    MigratorOptions options;
    options.baseDirectory = baseDir;
    Migrator migrator(map, url, options);
    Migrator::Request request;
    request.targets = {u"head"_s};
    QElapsedTimer timer;
    timer.start();
    Expected<Migrator::Result> result = migrator.run(request);
    const double ms = timer.nsecsElapsed() / 1e6;
    if (!result)
        qFatal("qmigrate upgrade failed: %s", qPrintable(result.error().toString()));
    if (result->plan.steps().size() != kRevisions)
        qFatal("qmigrate ran %lld steps", qlonglong(result->plan.steps().size()));
    return ms;
}

// `qmigrate-cli upgrade head` on the generated project (alembic.ini in `work`) against `url`.
double runCli(const QString &work, const QString &url)
{
    QProcess process;
    // Its log (a line per step) goes to a file, as a deploy script's would: a terminal would time the
    // terminal.
    process.setStandardOutputFile(work + u"/cli.out"_s);
    process.setStandardErrorFile(work + u"/cli.err"_s);
    QElapsedTimer timer;
    timer.start();
    process.start(QStringLiteral(QMIGRATE_CLI_PATH),
                  {u"-c"_s, work + u"/alembic.ini"_s, u"--url"_s, url, u"upgrade"_s, u"head"_s});
    if (!process.waitForFinished(-1) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0)
        qFatal("qmigrate-cli upgrade head failed (exit %d); its output is in %s/cli.err", process.exitCode(),
               qPrintable(work));
    return timer.nsecsElapsed() / 1e6;
}

double runClient(const QString &program, const QStringList &arguments, const QString &scriptPath,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setStandardInputFile(scriptPath);
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    if (!process.waitForFinished(-1) || process.exitCode() != 0)
        qFatal("%s failed: %s", qPrintable(program), process.readAllStandardError().constData());
    return timer.nsecsElapsed() / 1e6;
}

// An Alembic project (the real `alembic init`) whose revisions run the native project's statements with
// op.execute(), against `url`.
std::unique_ptr<AlembicProject> alembicProject(const QString &folder, const QString &url)
{
    QDir().mkpath(folder);
    auto project = std::make_unique<AlembicProject>(folder, url);
    if (!project->error().isEmpty())
        qFatal("alembic init failed: %s", qPrintable(project->error()));
    for (int n = 0; n < kRevisions; ++n) {
        project->addRevision(
            revisionId(n), n == 0 ? QStringList{} : QStringList{revisionId(n - 1)}, u"table %1"_s.arg(n),
            u"op.execute(\"\"\"CREATE TABLE t%1 (\n    id INTEGER PRIMARY KEY,\n    name VARCHAR(100) NOT "
            u"NULL\n)\"\"\")"_s.arg(n),
            u"op.execute(\"DROP TABLE t%1\")"_s.arg(n));
    }
    if (!project->error().isEmpty())
        qFatal("%s", qPrintable(project->error()));
    return project;
}

double runAlembic(const AlembicProject &project)
{
    QElapsedTimer timer;
    timer.start();
    const AlembicProject::Run run = project.alembic({u"upgrade"_s, u"head"_s});
    const double ms = timer.nsecsElapsed() / 1e6;
    if (run.exitCode != 0)
        qFatal("alembic upgrade head failed: %s", qPrintable(run.err.right(2000)));
    return ms;
}

void printRows(const QString &backend, double alembic, double cli, double client, const QString &clientName,
               double goal)
{
    BenchRow row;
    row.measure =
        u"upgrade head, %1 one-table revisions, %2 (process start to exit)"_s.arg(kRevisions).arg(backend);
    row.alembic = BenchRow::ms(alembic);
    row.qmigrate = BenchRow::ms(cli);
    row.floor = BenchRow::ms(client) + u' ' + clientName;
    row.ratio =
        BenchRow::times(cli / client) + u" floor (Alembic: "_s + BenchRow::times(alembic / client) + u')';
    row.goal = u"≤ "_s + QString::number(goal) + u"x floor"_s;
    row.met = cli / client <= goal ? BenchRow::Met::Yes : BenchRow::Met::No;
    row.print();
}

void writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text.toUtf8());
}

void benchSqlite(const RevisionMap &map, const QString &work)
{
    const QString scriptPath = work + u"/sqlite.sql"_s;
    writeFile(scriptPath, offlineScript(map, DatabaseUrl::Backend::SQLite));
    // A fresh database file each run, removed after it.
    const QString db = work + u"/run.db"_s;
    const auto removed = [&db](double ms) {
        QFile::remove(db);
        return ms;
    };
    const double engine =
        bestOf([&] { return removed(runMigrator(map, *DatabaseUrl::parse(u"sqlite:///"_s + db), work)); });
    const double cli = bestOf([&] { return removed(runCli(work, u"sqlite:///"_s + db)); });
    const double client = bestOf([&] { return removed(runClient(u"sqlite3"_s, {db}, scriptPath)); });
    const QString alembicDb = work + u"/alembic-sqlite/alembic.db"_s;
    const std::unique_ptr<AlembicProject> project =
        alembicProject(work + u"/alembic-sqlite"_s, u"sqlite:///"_s + alembicDb);
    const double alembic = bestOf([&] {
        QFile::remove(alembicDb);
        return runAlembic(*project);
    });
    std::printf("sqlite      qmigrate-cli %8.1f ms   sqlite3 CLI %8.1f ms   ratio %.2fx (goal <= 1.3)   "
                "engine alone %.1f ms   Alembic %.1f ms\n",
                cli, client, cli / client, engine, alembic);
    printRows(u"SQLite"_s, alembic, cli, client, u"sqlite3"_s, 1.3);
}

QHash<QString, QString> readEnv(const QString &path)
{
    QHash<QString, QString> values;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return values;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith('#'))
            values.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    return values;
}

void benchPostgresql(const RevisionMap &map, const QString &work)
{
    const QString scripts = QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/tests/servers/"_s;
    const QString state = work + u"/servers"_s;
    QDir().mkpath(state);
    QProcess start;
    start.start(u"bash"_s, {scripts + u"start-postgresql.sh"_s, state});
    if (!start.waitForFinished(120000) || start.exitCode() != 0) {
        std::printf("postgresql  (skipped: could not start a server: %s)\n",
                    start.readAllStandardError().trimmed().constData());
        return;
    }
    const QHash<QString, QString> env = readEnv(state + u"/postgresql.env"_s);
    const DatabaseUrl url = DatabaseUrl::fromParts(DatabaseUrl::Backend::PostgreSQL, env.value(u"HOST"_s),
                                                   env.value(u"PORT"_s).toInt(), env.value(u"DATABASE"_s),
                                                   env.value(u"USER"_s), env.value(u"PASSWORD"_s));
    QProcessEnvironment psqlEnv = QProcessEnvironment::systemEnvironment();
    psqlEnv.insert(u"PGPASSWORD"_s, env.value(u"PASSWORD"_s));
    const QStringList connect = {u"-X"_s,
                                 u"-q"_s,
                                 u"-v"_s,
                                 u"ON_ERROR_STOP=1"_s,
                                 u"-h"_s,
                                 env.value(u"HOST"_s),
                                 u"-p"_s,
                                 env.value(u"PORT"_s),
                                 u"-U"_s,
                                 env.value(u"USER"_s),
                                 env.value(u"DATABASE"_s)};
    const QString resetPath = work + u"/reset.sql"_s;
    // VACUUM: the catalogs do not grow with every run's dropped tables, which would slow the later runs.
    writeFile(resetPath, u"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\nVACUUM;\n"_s);
    const auto reset = [&] { runClient(u"psql"_s, connect, resetPath, psqlEnv); };
    const QString scriptPath = work + u"/postgresql.sql"_s;
    writeFile(scriptPath, offlineScript(map, DatabaseUrl::Backend::PostgreSQL));

    const QString cliUrl = u"postgresql://%1:%2@%3:%4/%5"_s.arg(
        env.value(u"USER"_s), env.value(u"PASSWORD"_s), env.value(u"HOST"_s), env.value(u"PORT"_s),
        env.value(u"DATABASE"_s));
    // Interleaved, a round of the three at a time: a server just started runs its first few hundred
    // milliseconds of work slower, which would otherwise all fall on whichever was timed first.
    double engine = 1e18;
    double cli = 1e18;
    double client = 1e18;
    for (int round = 0; round < kRuns; ++round) {
        const auto timed = [&](const std::function<double()> &run) {
            reset();
            ::sync();
            return run();
        };
        engine = std::min(engine, timed([&] { return runMigrator(map, url, work); }));
        cli = std::min(cli, timed([&] { return runCli(work, cliUrl); }));
        client = std::min(client, timed([&] { return runClient(u"psql"_s, connect, scriptPath, psqlEnv); }));
    }
    const std::unique_ptr<AlembicProject> project = alembicProject(work + u"/alembic-postgresql"_s, cliUrl);
    const double alembic = bestOf([&] {
        reset();
        return runAlembic(*project);
    });
    std::printf("postgresql  qmigrate-cli %8.1f ms   psql        %8.1f ms   ratio %.2fx (goal <= 1.05)  "
                "engine alone %.1f ms   Alembic %.1f ms\n",
                cli, client, cli / client, engine, alembic);
    printRows(u"PostgreSQL"_s, alembic, cli, client, u"psql"_s, 1.05);
    QProcess stop;
    stop.start(u"bash"_s, {scripts + u"stop-postgresql.sh"_s, state});
    stop.waitForFinished(120000);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir work;
    if (!work.isValid())
        qFatal("no temporary directory");
    // qmigrate-cli's header cache goes with the temporary project, not into the user's cache folder; it is
    // warm after the first run, as for a user who runs upgrades on a project they have open.
    qputenv("XDG_CACHE_HOME", QFile::encodeName(work.filePath(u"cache"_s)));
    const QString versions = work.filePath(u"versions"_s);
    generate(versions);
    writeFile(work.filePath(u"alembic.ini"_s),
              u"[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/unused.db\n"_s);
    Expected<ScriptDirectory> scripts = ScriptDirectory::load(QStringList{versions});
    if (!scripts)
        qFatal("%s", qPrintable(scripts.error().toString()));
    Expected<RevisionMap> map = RevisionMap::build(scripts->takeRevisions());
    if (!map)
        qFatal("%s", qPrintable(map.error().toString()));
    std::printf("upgrade head of %d one-table revisions, best of %d, fresh database each run\n", kRevisions,
                kRuns);
    benchSqlite(*map, work.path());
    if (!app.arguments().contains(u"--sqlite-only"_s))
        benchPostgresql(*map, work.path());
    return 0;
}
