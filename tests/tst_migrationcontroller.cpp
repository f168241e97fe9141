// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "database/serverprobe.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "run/migrationcontroller.h"
#include "schema/databaseadopter.h"
#include "testfiles.h"
#include "testservers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString exampleHead = u"9abc688b6311"_s;
// The example's revisions in the order an upgrade from base to head applies them (as Alembic 1.8.1 does,
// tests/data/offline/upgrade_head_sqlite.log).
const QStringList exampleOrder = {
    u"cf60bc0183a4"_s, u"83ca92fed024"_s, u"0169b51572d2"_s, u"575ce023861c"_s, u"6aa67ef48cab"_s,
    u"696e23fe439e"_s, u"bcddf3f8350c"_s, u"32863478822d"_s, u"2f2467916363"_s, exampleHead,
};

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(text.toUtf8());
    return true;
}

// Line 10 of a generated file is the first line after "-- migrate:upgrade".
constexpr int firstUpgradeLine = 10;

QString revisionText(const QString &id, const QString &revises, const QString &upgrade,
                     const QString &downgrade)
{
    return u"-- revision %1\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Branch labels:\n-- Depends on:\n"
           u"-- Create Date: 2026-01-01 00:00:00.000000\n\n-- migrate:upgrade\n%3\n-- migrate:downgrade\n%4"_s
               .arg(id, revises, upgrade, downgrade);
}

// Everything the controller delivered, in order, as text ("stepStarted 0/3 Running upgrade …").
class Recorder : public QObject
{
public:
    explicit Recorder(MigrationController *controller)
        : finishedSpy(controller, &MigrationController::finished)
    {
        connect(controller, &MigrationController::stepStarted, this,
                [this](quint64 token, int index, int count, const QString &line) {
                    record(token, u"stepStarted %1/%2 %3"_s.arg(index).arg(count).arg(line));
                });
        connect(controller, &MigrationController::stepFinished, this,
                [this](quint64 token, int index, int count, const QStringList &rows) {
                    lastRows = rows;
                    ++stepsFinished;
                    record(token, u"stepFinished %1/%2 [%3]"_s.arg(index).arg(count).arg(rows.join(u',')));
                });
        connect(controller, &MigrationController::finished, this,
                [this](quint64 token, bool ok, const EngineError &error) {
                    record(token, u"finished %1"_s.arg(ok ? u"ok"_s : error.toString()));
                });
        connect(controller, &MigrationController::statementStarted, this,
                [this](quint64, int line, const QString &) {
                    lastStatementLine = line;
                    ++statements;
                });
    }

    // Waits until finished() arrives for token; false on timeout.
    bool waitFinished(quint64 token, int timeoutMs = 60000)
    {
        for (;;) {
            for (const QList<QVariant> &arguments : std::as_const(finishedSpy)) {
                if (arguments.at(0).toULongLong() == token) {
                    ok = arguments.at(1).toBool();
                    error = arguments.at(2).value<EngineError>();
                    return true;
                }
            }
            if (!finishedSpy.wait(timeoutMs))
                return false;
        }
    }

    QStringList steps() const
    {
        QStringList lines;
        for (const QString &event : events) {
            if (event.startsWith(u"step"_s))
                lines.append(event);
        }
        return lines;
    }

    QSignalSpy finishedSpy;
    QStringList events;
    QList<quint64> tokens;
    QStringList lastRows;
    int stepsFinished = 0;
    int statements = 0;
    int lastStatementLine = 0;
    bool ok = false;
    EngineError error;

private:
    void record(quint64 token, const QString &event)
    {
        tokens.append(token);
        events.append(event);
    }
};

} // namespace

class TestMigrationController : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void readStateOnEmptyDatabase();
    void upgradeToHeadThenDowngrade();
    void plans_data();
    void plans();
    void planErrorNamesTheTarget();
    void renderScriptMatchesAlembic();
    void failingRevisionStopsAtThePreviousStep();
    void cancelMidRun();
    void destructorCancelsTheRun();
    void warningsOfTheRun();
    void guiThreadKeepsRunning();
    void staleStateResultIsDropped();
    void stalePlanIsDropped();
    void unreachableDatabaseIsAnError();
    void noProjectIsAnError();
    void stateNeedsTheProject();
    void postgresqlUpgradeAndDowngrade();

    // The dialogs' jobs: adoption, connection test, new revision.
    void adoptionRunsOnTheWorker();
    void adoptionCancelledWhileQueued();
    void connectionTestRunsOnTheWorker();
    void staleConnectionTestIsDropped();
    void cancelDropsTheConnectionTest();
    void writeRevisionRunsOnTheWorker();
    void cancelStopsTheAutogenerateReplay();

private:
    // Copies the bundled example into m_dir and points the controller at it.
    void openExample();
    // A generated project in m_dir: one revision per (upgrade, downgrade) pair, ids r000…, in a chain.
    // revises: the parent of each revision ("" for a base); empty: a chain.
    void openGenerated(const QList<std::pair<QString, QString>> &scripts, bool perMigration,
                       const QStringList &revises = {});
    QStringList rowsOf(const DatabaseUrl &url);
    DatabaseUrl sqliteUrl() const;
    // A SQLite database at m_dir/name with one table, not under migrations.
    DatabaseUrl unmigratedDatabase(const QString &name);
    // Holds the worker at the call-th engine callback of the jobs requested from now on (1: at the start of
    // the next job) until releaseWorker(); false if it is not reached.
    void holdWorkerAt(int call);
    bool waitUntilHeld() { return m_held->tryAcquire(1, 30000); }
    void releaseWorker() { m_release->release(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Project> m_project;
    std::unique_ptr<MigrationController> m_controller;
    std::shared_ptr<std::atomic_int> m_callbacksOnGuiThread;
    std::shared_ptr<std::atomic_int> m_callbacksOnWorker;
    std::shared_ptr<QSemaphore> m_held;
    std::shared_ptr<QSemaphore> m_release;
};

void TestMigrationController::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_controller = std::make_unique<MigrationController>();
    m_held = std::make_shared<QSemaphore>();
    m_release = std::make_shared<QSemaphore>();
    m_callbacksOnGuiThread = std::make_shared<std::atomic_int>(0);
    m_callbacksOnWorker = std::make_shared<std::atomic_int>(0);
    QThread *gui = QThread::currentThread();
    QThread *worker = m_controller->workerThread();
    QVERIFY(worker != gui);
    m_controller->setCallbackProbe(
        [gui, worker, onGui = m_callbacksOnGuiThread, onWorker = m_callbacksOnWorker](QThread *thread) {
            if (thread == gui || thread != worker)
                ++*onGui;
            else
                ++*onWorker;
        });
}

void TestMigrationController::cleanup()
{
    m_release->release(1000); // a worker still held goes on, so that the controller can stop
    // The GUI thread never ran an engine callback, and the worker ran some in every test that reached it.
    QCOMPARE(m_callbacksOnGuiThread->load(), 0);
    m_controller.reset();
    m_project.reset();
    m_dir.reset();
}

DatabaseUrl TestMigrationController::sqliteUrl() const
{
    return *DatabaseUrl::parse(u"sqlite:///"_s + m_dir->filePath(u"x.db"_s));
}

DatabaseUrl TestMigrationController::unmigratedDatabase(const QString &name)
{
    const DatabaseUrl url = *DatabaseUrl::parse(u"sqlite:///"_s + m_dir->filePath(name));
    auto connection = DatabaseConnection::open(url, QString());
    if (!connection || !QSqlQuery((*connection)->database())
                            .exec(u"CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(200))"_s))
        qWarning("cannot make %s", qPrintable(name));
    return url;
}

void TestMigrationController::holdWorkerAt(int call)
{
    QThread *gui = QThread::currentThread();
    QThread *worker = m_controller->workerThread();
    auto calls = std::make_shared<std::atomic_int>(0);
    m_controller->setCallbackProbe([gui, worker, onGui = m_callbacksOnGuiThread,
                                    onWorker = m_callbacksOnWorker, calls, call, held = m_held,
                                    release = m_release](QThread *thread) {
        if (thread == gui || thread != worker)
            ++*onGui;
        else
            ++*onWorker;
        if (++*calls == call) {
            held->release();
            release->acquire();
        }
    });
}

void TestMigrationController::openExample()
{
    QVERIFY(copyExample(m_dir->path()));
    Expected<Project> project = Project::open(m_dir->filePath(u"alembic.ini"_s));
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    m_project = std::make_unique<Project>(std::move(project.value()));
    m_controller->setProject(*m_project);
}

void TestMigrationController::openGenerated(const QList<std::pair<QString, QString>> &scripts,
                                            bool perMigration, const QStringList &parents)
{
    QVERIFY(QDir().mkpath(m_dir->filePath(u"versions"_s)));
    QVERIFY(writeFile(m_dir->filePath(u"alembic.ini"_s),
                      u"[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/x.db\n"
                      u"transaction_per_migration = %1\n"_s.arg(perMigration ? u"true"_s : u"false"_s)));
    for (qsizetype i = 0; i < scripts.size(); ++i) {
        const QString id = u"r%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        const QString revises = !parents.isEmpty() ? parents.at(i)
                                : i == 0           ? QString()
                                                   : u"r%1"_s.arg(i - 1, 3, 10, QLatin1Char('0'));
        QVERIFY(writeFile(m_dir->filePath(u"versions/%1_rev.sql"_s.arg(id)),
                          revisionText(id, revises, scripts.at(i).first, scripts.at(i).second)));
    }
    Expected<Project> project = Project::open(m_dir->filePath(u"alembic.ini"_s));
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    m_project = std::make_unique<Project>(std::move(project.value()));
    m_controller->setProject(*m_project);
}

QStringList TestMigrationController::rowsOf(const DatabaseUrl &url)
{
    Migrator migrator(m_project->map(), url, MigratorOptions::fromConfig(m_project->config()));
    Expected<QStringList> rows = migrator.currentRows();
    if (!rows)
        return {u"<error: "_s + rows.error().toString() + u'>'};
    QStringList sorted = *rows;
    sorted.sort();
    return sorted;
}

void TestMigrationController::readStateOnEmptyDatabase()
{
    openExample();
    Recorder recorder(m_controller.get());
    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    const quint64 token = m_controller->readState(sqliteUrl());
    QVERIFY(m_controller->isBusy());
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(stateSpy.size(), 1);
    QCOMPARE(stateSpy.at(0).at(0).toULongLong(), token);
    QCOMPARE(stateSpy.at(0).at(1).toStringList(), QStringList());
    QCOMPARE(stateSpy.at(0).at(2).value<QList<HistoryEntry>>().size(), 0);
    QVERIFY(!m_controller->isBusy());
    QVERIFY(m_callbacksOnWorker->load() > 0);
}

void TestMigrationController::upgradeToHeadThenDowngrade()
{
    openExample();
    const DatabaseUrl url = sqliteUrl();
    Recorder recorder(m_controller.get());

    // The dry run: the plan, and nothing changes.
    QSignalSpy planSpy(m_controller.get(), &MigrationController::planReady);
    const quint64 planToken = m_controller->planUpgrade(url, u"head"_s);
    QVERIFY(recorder.waitFinished(planToken));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(planSpy.size(), 1);
    QCOMPARE(planSpy.at(0).at(0).toULongLong(), planToken);
    const MigrationPlan plan = planSpy.at(0).at(1).value<MigrationPlan>();
    QCOMPARE(plan.steps().size(), exampleOrder.size());
    QCOMPARE(plan.rowsAfter(), QStringList{exampleHead});
    QCOMPARE(planSpy.at(0).at(2).toStringList(), QStringList());
    QCOMPARE(rowsOf(url), QStringList());

    // The run: every step started and finished in order, then finished(ok).
    QSignalSpy logSpy(m_controller.get(), &MigrationController::logLine);
    const quint64 runToken = m_controller->run(url, MigrationController::RunKind::Upgrade, u"head"_s);
    QVERIFY(runToken > planToken);
    QVERIFY(recorder.waitFinished(runToken));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QStringList expected;
    const int count = int(plan.steps().size());
    for (int i = 0; i < count; ++i) {
        const MigrationStep &step = plan.steps().at(i);
        QCOMPARE(step.toRevisions, QStringList{exampleOrder.at(i)});
        expected.append(u"stepStarted %1/%2 %3"_s.arg(i).arg(count).arg(step.logLine()));
        expected.append(u"stepFinished %1/%2 [%3]"_s.arg(i).arg(count).arg(step.rowsAfter.join(u',')));
    }
    QCOMPARE(recorder.steps(), expected);
    QCOMPARE(recorder.events.last(), u"finished ok"_s);
    QVERIFY(recorder.statements >= count);
    QVERIFY(!logSpy.isEmpty());
    QCOMPARE(logSpy.at(0).at(0).toULongLong(), runToken);
    QCOMPARE(rowsOf(url), QStringList{exampleHead});

    // The audit history came with the state: one success row per step, newest first.
    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    const quint64 stateToken = m_controller->readState(url);
    QVERIFY(recorder.waitFinished(stateToken));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(stateSpy.size(), 1);
    QCOMPARE(stateSpy.at(0).at(1).toStringList(), QStringList{exampleHead});
    const auto entries = stateSpy.at(0).at(2).value<QList<HistoryEntry>>();
    QCOMPARE(entries.size(), exampleOrder.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QCOMPARE(entries.at(i).revision, exampleOrder.at(exampleOrder.size() - 1 - i));
        QCOMPARE(entries.at(i).direction, HistoryEntry::Direction::Upgrade);
        QCOMPARE(entries.at(i).outcome, HistoryEntry::Outcome::Success);
    }

    // Downgrade to the third revision: seven steps, children first.
    recorder.events.clear();
    const QString target = exampleOrder.at(2);
    const quint64 downToken = m_controller->run(url, MigrationController::RunKind::Downgrade, target);
    QVERIFY(recorder.waitFinished(downToken));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    const QStringList steps = recorder.steps();
    QCOMPARE(steps.size(), 2 * (exampleOrder.size() - 3));
    QVERIFY2(steps.first().startsWith(u"stepStarted 0/7 Running downgrade %1 -> "_s.arg(exampleHead)),
             qPrintable(steps.first()));
    QCOMPARE(steps.last(), u"stepFinished 6/7 [%1]"_s.arg(target));
    QCOMPARE(rowsOf(url), QStringList{target});

    // A stamp back to head through the same path.
    const quint64 stampToken = m_controller->run(url, MigrationController::RunKind::Stamp, exampleHead);
    QVERIFY(recorder.waitFinished(stampToken));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(rowsOf(url), QStringList{exampleHead});
}

void TestMigrationController::plans_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("stepLogs");
    QTest::addColumn<QStringList>("rowsAfter");

    QTest::newRow("upgrade_to_third")
        << u"upgrade"_s << u"0169b51572d2"_s
        << QStringList{u"Running upgrade  -> cf60bc0183a4, create locations table"_s,
                       u"Running upgrade cf60bc0183a4 -> 83ca92fed024, create "
                       u"devices table"_s,
                       u"Running upgrade 83ca92fed024 -> 0169b51572d2, create "
                       u"firmware tables"_s}
        << QStringList{u"0169b51572d2"_s};
    QTest::newRow("upgrade_by_label")
        << u"upgrade"_s << u"telemetry"_s
        << QStringList{u"Running upgrade  -> cf60bc0183a4, create locations table"_s,
                       u"Running upgrade cf60bc0183a4 -> 83ca92fed024, create "
                       u"devices table"_s,
                       u"Running upgrade 83ca92fed024 -> 0169b51572d2, create "
                       u"firmware tables"_s,
                       u"Running upgrade 0169b51572d2 -> 575ce023861c, create "
                       u"sensors and readings tables"_s}
        << QStringList{u"575ce023861c"_s};
    QTest::newRow("stamp_head") << u"stamp"_s << u"head"_s
                                << QStringList{u"Running stamp_revision  -> 9abc688b6311"_s}
                                << QStringList{exampleHead};
    QTest::newRow("downgrade_base_from_empty")
        << u"downgrade"_s << u"base"_s << QStringList() << QStringList();
}

void TestMigrationController::plans()
{
    QFETCH(QString, kind);
    QFETCH(QString, target);
    QFETCH(QStringList, stepLogs);
    QFETCH(QStringList, rowsAfter);
    openExample();
    Recorder recorder(m_controller.get());
    QSignalSpy planSpy(m_controller.get(), &MigrationController::planReady);
    const DatabaseUrl url = sqliteUrl();
    const quint64 token = kind == u"upgrade"_s     ? m_controller->planUpgrade(url, target)
                          : kind == u"downgrade"_s ? m_controller->planDowngrade(url, target)
                                                   : m_controller->planStamp(url, target);
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(planSpy.size(), 1);
    const MigrationPlan plan = planSpy.at(0).at(1).value<MigrationPlan>();
    QStringList logs;
    for (const MigrationStep &step : plan.steps())
        logs.append(step.logLine());
    QCOMPARE(logs, stepLogs);
    QCOMPARE(plan.rowsAfter(), rowsAfter);
    // A dry run: nothing was created, not even the version table.
    QCOMPARE(rowsOf(url), QStringList());
    QVERIFY(recorder.steps().isEmpty());
}

void TestMigrationController::planErrorNamesTheTarget()
{
    openExample();
    Recorder recorder(m_controller.get());
    QSignalSpy planSpy(m_controller.get(), &MigrationController::planReady);
    const quint64 token = m_controller->planUpgrade(sqliteUrl(), u"nosuchrev"_s);
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    QVERIFY2(recorder.error.message().contains(u"'nosuchrev'"_s), qPrintable(recorder.error.toString()));
    QCOMPARE(planSpy.size(), 0);
    QCOMPARE(rowsOf(sqliteUrl()), QStringList());
}

void TestMigrationController::renderScriptMatchesAlembic()
{
    openExample();
    const DatabaseUrl url = sqliteUrl();
    Recorder recorder(m_controller.get());
    QSignalSpy planSpy(m_controller.get(), &MigrationController::planReady);
    const quint64 planToken = m_controller->planUpgrade(url, u"head"_s);
    QVERIFY(recorder.waitFinished(planToken));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(planSpy.size(), 1);

    QSignalSpy scriptSpy(m_controller.get(), &MigrationController::scriptReady);
    const quint64 token = m_controller->renderScript(url, planSpy.at(0).at(1).value<MigrationPlan>());
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(scriptSpy.size(), 1);
    QCOMPARE(scriptSpy.at(0).at(0).toULongLong(), token);
    // What Alembic 1.8.1 prints for `upgrade head --sql` on the example (tests/data/offline).
    QFile expected(QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/offline/upgrade_head_sqlite.sql"_s);
    QVERIFY(expected.open(QIODevice::ReadOnly));
    QCOMPARE(scriptSpy.at(0).at(1).toString(), QString::fromUtf8(expected.readAll()));

    // A purge has no offline form: the renderer's error comes back and no script.
    Expected<MigrationPlan> purge = MigrationPlan::stamp(m_project->map(), {}, {exampleHead}, true);
    QVERIFY(purge);
    const quint64 purgeToken = m_controller->renderScript(url, *purge);
    QVERIFY(recorder.waitFinished(purgeToken));
    QVERIFY(!recorder.ok);
    QCOMPARE(recorder.error.message(), u"Can't use --purge with --sql mode"_s);
    QCOMPARE(scriptSpy.size(), 1);
}

void TestMigrationController::failingRevisionStopsAtThePreviousStep()
{
    openGenerated({{u"CREATE TABLE t0 (id INTEGER PRIMARY KEY);"_s, u"DROP TABLE t0;"_s},
                   {u"CREATE TABLE t1 (id INTEGER PRIMARY KEY);\nCREATE TABLE oops (id INTEGER PRIMARY KEY"_s
                    u" REFERENCES);"_s,
                    u"DROP TABLE t1;"_s},
                   {u"CREATE TABLE t2 (id INTEGER PRIMARY KEY);"_s, u"DROP TABLE t2;"_s}},
                  true);
    const DatabaseUrl url = sqliteUrl();
    Recorder recorder(m_controller.get());
    const quint64 token = m_controller->run(url, MigrationController::RunKind::Upgrade, u"head"_s);
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    const QString file = QDir(m_dir->filePath(u"versions"_s)).absoluteFilePath(u"r001_rev.sql"_s);
    QCOMPARE(recorder.error.kind(), EngineError::Kind::Database);
    QCOMPARE(recorder.error.revision(), u"r001"_s);
    QCOMPARE(QFileInfo(recorder.error.file()).canonicalFilePath(), QFileInfo(file).canonicalFilePath());
    QCOMPARE(recorder.error.line(), firstUpgradeLine + 1);
    QVERIFY2(recorder.error.toString().contains(u"r001_rev.sql:%1: "_s.arg(firstUpgradeLine + 1)),
             qPrintable(recorder.error.toString()));
    QCOMPARE(recorder.steps(),
             (QStringList{u"stepStarted 0/3 Running upgrade  -> r000, revision r000"_s,
                          u"stepFinished 0/3 [r000]"_s,
                          u"stepStarted 1/3 Running upgrade r000 -> r001, revision r001"_s}));
    QCOMPARE(recorder.lastStatementLine, firstUpgradeLine + 1);
    QCOMPARE(rowsOf(url), QStringList{u"r000"_s});

    // The history panel sees the failure, newest first, with the error text.
    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    const quint64 state = m_controller->readState(url);
    QVERIFY(recorder.waitFinished(state));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(stateSpy.size(), 1);
    const auto entries = stateSpy.at(0).at(2).value<QList<HistoryEntry>>();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).revision, u"r001"_s);
    QCOMPARE(entries.at(0).outcome, HistoryEntry::Outcome::Failed);
    QVERIFY2(!entries.at(0).errorText.isEmpty(), "no error text in the failure row");
    QCOMPARE(entries.at(1).revision, u"r000"_s);
    QCOMPARE(entries.at(1).outcome, HistoryEntry::Outcome::Success);
}

void TestMigrationController::cancelMidRun()
{
    // Each step takes a while (a few hundred thousand generated rows) and commits on its own.
    QList<std::pair<QString, QString>> scripts;
    for (int i = 0; i < 40; ++i) {
        scripts.append({u"CREATE TABLE t%1 AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
                        u"WHERE n < 200000) SELECT n FROM c;\nDELETE FROM t%1 WHERE n % 2 = 0;"_s.arg(i),
                        u"DROP TABLE t%1;"_s.arg(i)});
    }
    openGenerated(scripts, true);
    const DatabaseUrl url = sqliteUrl();
    Recorder recorder(m_controller.get());
    QSignalSpy stepSpy(m_controller.get(), &MigrationController::stepFinished);
    const quint64 token = m_controller->run(url, MigrationController::RunKind::Upgrade, u"head"_s);
    QVERIFY(stepSpy.wait(60000));
    m_controller->cancel();
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    QVERIFY2(recorder.error.message().contains(u"cancelled by the user"_s),
             qPrintable(recorder.error.toString()));
    QVERIFY2(recorder.stepsFinished < 40, qPrintable(recorder.events.join(u'\n')));
    // Consistent: exactly the steps reported finished are committed.
    QCOMPARE(rowsOf(url), recorder.lastRows);
    QCOMPARE(recorder.lastRows,
             QStringList{u"r%1"_s.arg(recorder.stepsFinished - 1, 3, 10, QLatin1Char('0'))});

    // The next run is not cancelled by the old request.
    const quint64 next = m_controller->run(url, MigrationController::RunKind::Downgrade, u"base"_s);
    QVERIFY(recorder.waitFinished(next));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(rowsOf(url), QStringList());
}

void TestMigrationController::destructorCancelsTheRun()
{
    QList<std::pair<QString, QString>> scripts;
    for (int i = 0; i < 40; ++i) {
        scripts.append({u"CREATE TABLE t%1 AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
                        u"WHERE n < 200000) SELECT n FROM c;\nDELETE FROM t%1 WHERE n % 2 = 0;"_s.arg(i),
                        u"DROP TABLE t%1;"_s.arg(i)});
    }
    openGenerated(scripts, true);
    const DatabaseUrl url = sqliteUrl();
    QSignalSpy stepSpy(m_controller.get(), &MigrationController::stepFinished);
    m_controller->run(url, MigrationController::RunKind::Upgrade, u"head"_s);
    QVERIFY(stepSpy.wait(60000));
    // Returns once the worker has stopped: the step it was in is rolled back by then.
    m_controller.reset();
    const QStringList rows = rowsOf(url);
    QCOMPARE(rows.size(), 1);
    QVERIFY2(rows.first() >= u"r000"_s && rows.first() < u"r039"_s, qPrintable(rows.first()));
}

void TestMigrationController::warningsOfTheRun()
{
    // Two heads: r001 and r002 on r000.
    openGenerated({{u"CREATE TABLE t0 (id INTEGER);"_s, u"DROP TABLE t0;"_s},
                   {u"CREATE TABLE t1 (id INTEGER);"_s, u"DROP TABLE t1;"_s},
                   {u"CREATE TABLE t2 (id INTEGER);"_s, u"DROP TABLE t2;"_s}},
                  false, {QString(), u"r000"_s, u"r000"_s});
    const DatabaseUrl url = sqliteUrl();
    Recorder recorder(m_controller.get());
    const quint64 up = m_controller->run(url, MigrationController::RunKind::Upgrade, u"heads"_s);
    QVERIFY(recorder.waitFinished(up));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(rowsOf(url), (QStringList{u"r001"_s, u"r002"_s}));

    QSignalSpy warningSpy(m_controller.get(), &MigrationController::warning);
    const quint64 down = m_controller->run(url, MigrationController::RunKind::Downgrade, u"-1"_s);
    QVERIFY(recorder.waitFinished(down));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(warningSpy.size(), 1);
    QCOMPARE(warningSpy.at(0).at(0).toULongLong(), down);
    QCOMPARE(
        warningSpy.at(0).at(1).toString(),
        u"downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."_s);
    QCOMPARE(rowsOf(url).size(), 1);
}

void TestMigrationController::guiThreadKeepsRunning()
{
    QList<std::pair<QString, QString>> scripts;
    for (int i = 0; i < 4; ++i) {
        scripts.append({u"CREATE TABLE t%1 AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
                        u"WHERE n < 200000) SELECT n FROM c;"_s.arg(i),
                        u"DROP TABLE t%1;"_s.arg(i)});
    }
    openGenerated(scripts, false);
    Recorder recorder(m_controller.get());
    int ticks = 0;
    int ticksAtFirstStep = -1;
    int ticksAtLastStep = -1;
    QTimer timer;
    connect(&timer, &QTimer::timeout, &timer, [&ticks] { ++ticks; });
    connect(m_controller.get(), &MigrationController::stepStarted, &timer,
            [&](quint64, int index, int, const QString &) {
                if (index == 0)
                    ticksAtFirstStep = ticks;
            });
    connect(m_controller.get(), &MigrationController::stepFinished, &timer,
            [&](quint64, int index, int count, const QStringList &) {
                if (index == count - 1)
                    ticksAtLastStep = ticks;
            });
    timer.start(1);
    const quint64 token = m_controller->run(sqliteUrl(), MigrationController::RunKind::Upgrade, u"head"_s);
    // run() only queued the job: nothing was delivered yet.
    QVERIFY(recorder.events.isEmpty());
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QVERIFY(ticksAtFirstStep >= 0);
    // The event loop kept turning while the steps ran.
    QVERIFY2(ticksAtLastStep > ticksAtFirstStep,
             qPrintable(u"%1 -> %2"_s.arg(ticksAtFirstStep).arg(ticksAtLastStep)));
}

void TestMigrationController::staleStateResultIsDropped()
{
    openExample();
    Recorder recorder(m_controller.get());
    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    QSignalSpy busySpy(m_controller.get(), &MigrationController::busyChanged);
    const quint64 first = m_controller->readState(sqliteUrl());
    const quint64 second = m_controller->readState(sqliteUrl());
    QVERIFY(second > first);
    QCOMPARE(busySpy.size(), 1);
    QCOMPARE(busySpy.at(0).at(0).toBool(), true);
    QVERIFY(recorder.waitFinished(second));
    QCOMPARE(busySpy.size(), 2);
    QCOMPARE(busySpy.at(1).at(0).toBool(), false);
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(stateSpy.size(), 1);
    QCOMPARE(stateSpy.at(0).at(0).toULongLong(), second);
    QCOMPARE(recorder.tokens, QList<quint64>{second});
    QVERIFY(!m_controller->isBusy());
}

void TestMigrationController::stalePlanIsDropped()
{
    openExample();
    Recorder recorder(m_controller.get());
    QSignalSpy planSpy(m_controller.get(), &MigrationController::planReady);
    const quint64 first = m_controller->planUpgrade(sqliteUrl(), u"head"_s);
    const quint64 second = m_controller->planUpgrade(sqliteUrl(), u"83ca92fed024"_s);
    QVERIFY(recorder.waitFinished(second));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(planSpy.size(), 1);
    QCOMPARE(planSpy.at(0).at(0).toULongLong(), second);
    QCOMPARE(planSpy.at(0).at(1).value<MigrationPlan>().rowsAfter(), QStringList{u"83ca92fed024"_s});
    QVERIFY(!recorder.tokens.contains(first));
}

void TestMigrationController::unreachableDatabaseIsAnError()
{
    openExample();
    Recorder recorder(m_controller.get());
    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    const QString path = m_dir->filePath(u"no/such/dir/x.db"_s);
    const quint64 token = m_controller->readState(*DatabaseUrl::parse(u"sqlite:///"_s + path));
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    QCOMPARE(recorder.error.kind(), EngineError::Kind::Database);
    QVERIFY2(recorder.error.message().contains(path), qPrintable(recorder.error.toString()));
    QCOMPARE(stateSpy.size(), 0);
}

void TestMigrationController::noProjectIsAnError()
{
    Recorder recorder(m_controller.get());
    const quint64 token = m_controller->readState(sqliteUrl());
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    QCOMPARE(recorder.error.message(), u"No project is open."_s);
}

void TestMigrationController::stateNeedsTheProject()
{
    // The state is DatabaseStatus's reading, which is about a project: a map alone does not do.
    openExample();
    m_controller->setProject(m_controller->map(), m_controller->options());
    Recorder recorder(m_controller.get());
    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    const quint64 token = m_controller->readState(sqliteUrl());
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    QVERIFY2(recorder.error.message().contains(u"project"_s), qPrintable(recorder.error.toString()));
    QCOMPARE(stateSpy.size(), 0);
}

void TestMigrationController::postgresqlUpgradeAndDowngrade()
{
    const TestServer server =
        TestServers::freshDatabase(TestServers::postgresql(), u"tst_migrationcontroller"_s);
    QMIGRATE_REQUIRE_SERVER(server);
    openExample();
    const DatabaseUrl url = server.url();
    Recorder recorder(m_controller.get());

    const quint64 up = m_controller->run(url, MigrationController::RunKind::Upgrade, u"head"_s);
    QVERIFY(recorder.waitFinished(up));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(recorder.stepsFinished, int(exampleOrder.size()));
    QCOMPARE(rowsOf(url), QStringList{exampleHead});

    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    const quint64 state = m_controller->readState(url);
    QVERIFY(recorder.waitFinished(state));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(stateSpy.size(), 1);
    QCOMPARE(stateSpy.at(0).at(2).value<QList<HistoryEntry>>().size(), exampleOrder.size());

    const quint64 down = m_controller->run(url, MigrationController::RunKind::Downgrade, u"base"_s);
    QVERIFY(recorder.waitFinished(down));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(recorder.stepsFinished, 2 * int(exampleOrder.size()));
    QCOMPARE(recorder.lastRows, QStringList());
    QCOMPARE(rowsOf(url), QStringList());
}

// An adoption needs no project of the controller's; it runs on the worker, the controller busy meanwhile, and
// databaseAdopted() comes just before finished().
void TestMigrationController::adoptionRunsOnTheWorker()
{
    const DatabaseUrl url = unmigratedDatabase(u"shop.db"_s);
    Recorder recorder(m_controller.get());
    QSignalSpy adopted(m_controller.get(), &MigrationController::databaseAdopted);
    QSignalSpy busy(m_controller.get(), &MigrationController::busyChanged);
    const QString directory = m_dir->filePath(u"adopted"_s);
    const quint64 token = m_controller->adoptDatabase(directory, url);
    QVERIFY(m_controller->isBusy());
    QCOMPARE(busy.size(), 1);
    QVERIFY(adopted.isEmpty()); // only queued
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(adopted.size(), 1);
    QCOMPARE(adopted.first().at(0).toULongLong(), token);
    QCOMPARE(adopted.first().at(1).toBool(), true);
    QCOMPARE(adopted.first().at(2).toString(), QDir(directory).filePath(u"alembic.ini"_s));
    QVERIFY(QFileInfo::exists(adopted.first().at(2).toString()));
    QCOMPARE(recorder.tokens, QList<quint64>{token});
    QTRY_VERIFY(!m_controller->isBusy());
    QCOMPARE(busy.size(), 2);
    QVERIFY(m_callbacksOnWorker->load() > 0);

    // Adopting it again is refused, and said through the same signal.
    const quint64 again = m_controller->adoptDatabase(m_dir->filePath(u"again"_s), url);
    QVERIFY(recorder.waitFinished(again));
    QVERIFY(!recorder.ok);
    QCOMPARE(adopted.size(), 2);
    QCOMPARE(adopted.last().at(1).toBool(), false);
    QVERIFY2(adopted.last().at(3).value<EngineError>().message().contains(u"already under migrations"_s),
             qPrintable(adopted.last().at(3).value<EngineError>().message()));
}

// Cancelled before the worker reached it: nothing of the adoption happens, and it is answered as cancelled.
void TestMigrationController::adoptionCancelledWhileQueued()
{
    const DatabaseUrl url = unmigratedDatabase(u"shop.db"_s);
    Recorder recorder(m_controller.get());
    QSignalSpy adopted(m_controller.get(), &MigrationController::databaseAdopted);
    holdWorkerAt(1);
    const quint64 token = m_controller->adoptDatabase(m_dir->filePath(u"adopted"_s), url);
    QVERIFY(waitUntilHeld());
    m_controller->cancelJob(token);
    releaseWorker();
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    QCOMPARE(recorder.error.message(), u"Cancelled by the user"_s);
    QCOMPARE(adopted.size(), 1);
    QCOMPARE(adopted.first().at(1).toBool(), false);
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"adopted"_s)));
    QVERIFY(!m_controller->isBusy());

    // Running, the adoption has the flag as the engine's cancel token: set before its first check, the
    // engine stops there with nothing written.
    const std::atomic_bool cancelled = true;
    const Expected<DatabaseAdopter::Result> stopped =
        DatabaseAdopter::adopt(m_dir->filePath(u"adopted"_s), url, {}, &cancelled);
    QVERIFY(!stopped);
    QCOMPARE(stopped.error().message(), u"Adoption cancelled: nothing was written"_s);
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"adopted"_s)));

    // The cancel was this job's: the next adoption goes through.
    const quint64 next = m_controller->adoptDatabase(m_dir->filePath(u"adopted"_s), url);
    QVERIFY(recorder.waitFinished(next));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
}

void TestMigrationController::connectionTestRunsOnTheWorker()
{
    Recorder recorder(m_controller.get());
    QSignalSpy tested(m_controller.get(), &MigrationController::connectionTested);
    QSignalSpy busy(m_controller.get(), &MigrationController::busyChanged);
    const quint64 token = m_controller->testConnection(sqliteUrl(), m_dir->path(), 2);
    QVERIFY(m_controller->isBusy());
    QVERIFY(tested.isEmpty());
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(tested.size(), 1);
    QCOMPARE(tested.first().at(0).toULongLong(), token);
    QCOMPARE(tested.first().at(1).toBool(), true);
    QCOMPARE(tested.first().at(2).value<ServerInfo>().product, u"SQLite"_s);
    QTRY_COMPARE(busy.size(), 2);
    QVERIFY(m_callbacksOnWorker->load() > 0);
    // A probe never creates a database.
    QVERIFY(!QFileInfo::exists(m_dir->filePath(u"x.db"_s)));

    // A failure comes through the same signal, with the engine's error.
    const QString missing = m_dir->filePath(u"no/such/dir/x.db"_s);
    const quint64 failing =
        m_controller->testConnection(*DatabaseUrl::parse(u"sqlite:///"_s + missing), m_dir->path(), 2);
    QVERIFY(recorder.waitFinished(failing));
    QVERIFY(!recorder.ok);
    QCOMPARE(tested.size(), 2);
    QCOMPARE(tested.last().at(1).toBool(), false);
    QCOMPARE(tested.last().at(3).value<EngineError>().kind(), EngineError::Kind::Database);
}

void TestMigrationController::staleConnectionTestIsDropped()
{
    Recorder recorder(m_controller.get());
    QSignalSpy tested(m_controller.get(), &MigrationController::connectionTested);
    holdWorkerAt(1);
    const quint64 first = m_controller->testConnection(sqliteUrl(), m_dir->path(), 2);
    QVERIFY(waitUntilHeld());
    const quint64 second = m_controller->testConnection(sqliteUrl(), m_dir->path(), 2);
    releaseWorker();
    QVERIFY(recorder.waitFinished(second));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(tested.size(), 1);
    QCOMPARE(tested.first().at(0).toULongLong(), second);
    QCOMPARE(recorder.tokens, QList<quint64>{second});
    QVERIFY(first < second);
    QTRY_VERIFY(!m_controller->isBusy());
}

// A connection attempt cannot be interrupted: cancel() while it runs drops its answer, which says
// "cancelled".
void TestMigrationController::cancelDropsTheConnectionTest()
{
    Recorder recorder(m_controller.get());
    QSignalSpy tested(m_controller.get(), &MigrationController::connectionTested);
    holdWorkerAt(2); // 1: the job's start, 2: the probe has answered
    const quint64 token = m_controller->testConnection(sqliteUrl(), m_dir->path(), 2);
    QVERIFY(waitUntilHeld());
    m_controller->cancel();
    QVERIFY(m_controller->isBusy());
    releaseWorker();
    QVERIFY(recorder.waitFinished(token));
    QVERIFY(!recorder.ok);
    QCOMPARE(recorder.error.message(), u"Cancelled by the user"_s);
    QCOMPARE(tested.size(), 1);
    QCOMPARE(tested.first().at(1).toBool(), false);
    QCOMPARE(tested.first().at(2).value<ServerInfo>().product, QString());
    QTRY_VERIFY(!m_controller->isBusy());

    // A cancel reaches the jobs pending when it is made, not the next one.
    const quint64 next = m_controller->testConnection(sqliteUrl(), m_dir->path(), 2);
    QVERIFY(recorder.waitFinished(next));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(tested.last().at(1).toBool(), true);
}

void TestMigrationController::writeRevisionRunsOnTheWorker()
{
    openExample();
    const auto project = std::make_shared<const Project>(*m_project);
    Recorder recorder(m_controller.get());
    QSignalSpy written(m_controller.get(), &MigrationController::revisionWritten);
    RevisionAuthor::Request request;
    request.revision.message = u"add notes"_s;
    request.revision.heads = {exampleHead};
    const quint64 token = m_controller->writeRevision(project, request);
    QVERIFY(m_controller->isBusy());
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(recorder.ok, qPrintable(recorder.error.toString()));
    QCOMPARE(written.size(), 1);
    QCOMPARE(written.first().at(0).toULongLong(), token);
    QCOMPARE(written.first().at(1).toBool(), true);
    const Revision revision = written.first().at(2).value<Revision>();
    QVERIFY2(QFileInfo::exists(revision.path), qPrintable(revision.path));
    QVERIFY(revision.path.endsWith(u"_add_notes.sql"_s));
    Expected<Project> reread = Project::open(m_dir->filePath(u"alembic.ini"_s));
    QVERIFY(reread);
    QCOMPARE(reread->map().revision(reread->map().indexOf(revision.id)).downRevisions,
             QStringList{exampleHead});
    QVERIFY(m_callbacksOnWorker->load() > 0);

    // The engine's refusal comes back the same way.
    request.revision.heads = {u"nosuchrev"_s};
    const quint64 refused = m_controller->writeRevision(project, request);
    QVERIFY(recorder.waitFinished(refused));
    QVERIFY(!recorder.ok);
    QCOMPARE(written.size(), 2);
    QCOMPARE(written.last().at(1).toBool(), false);
    QVERIFY2(written.last().at(4).value<EngineError>().message().contains(u"nosuchrev"_s),
             qPrintable(written.last().at(4).value<EngineError>().toString()));
}

// Autogenerate replays the revisions on a scratch database; cancel() stops the replay before its next
// statement, and nothing is written.
void TestMigrationController::cancelStopsTheAutogenerateReplay()
{
    QList<std::pair<QString, QString>> scripts;
    for (int i = 0; i < 40; ++i) {
        scripts.append({u"CREATE TABLE t%1 AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
                        u"WHERE n < 200000) SELECT n FROM c;\nDELETE FROM t%1 WHERE n % 2 = 0;"_s.arg(i),
                        u"DROP TABLE t%1;"_s.arg(i)});
    }
    openGenerated(scripts, true);
    QVERIFY(writeFile(m_dir->filePath(u"schema.sql"_s), u"CREATE TABLE notes (id INTEGER PRIMARY KEY);\n"_s));
    const auto project = std::make_shared<const Project>(*m_project);
    const QStringList before = QDir(m_dir->filePath(u"versions"_s)).entryList(QDir::Files);
    Recorder recorder(m_controller.get());
    QSignalSpy written(m_controller.get(), &MigrationController::revisionWritten);
    RevisionAuthor::Request request;
    request.revision.message = u"notes"_s;
    request.autogenerate = sqliteUrl();
    holdWorkerAt(1);
    const quint64 token = m_controller->writeRevision(project, request);
    QVERIFY(waitUntilHeld());
    releaseWorker();
    QTest::qWait(300); // into the replay: forty steps of a few hundred milliseconds each
    QElapsedTimer sinceCancel;
    sinceCancel.start();
    m_controller->cancel();
    QVERIFY(recorder.waitFinished(token));
    QVERIFY2(sinceCancel.elapsed() < 5000, qPrintable(QString::number(sinceCancel.elapsed())));
    QVERIFY(!recorder.ok);
    QCOMPARE(recorder.error.message(), u"Autogenerate cancelled"_s);
    QCOMPARE(written.size(), 1);
    QCOMPARE(written.first().at(1).toBool(), false);
    QCOMPARE(QDir(m_dir->filePath(u"versions"_s)).entryList(QDir::Files), before);
}

QTEST_MAIN(TestMigrationController)
#include "tst_migrationcontroller.moc"
