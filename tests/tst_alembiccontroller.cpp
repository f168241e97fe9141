// SPDX-License-Identifier: MIT
// The GUI's MigrationController on Alembic Python projects: runs, previewed runs, scripts, failures and
// cancel go through the project's own Alembic (Debian's python3-alembic), on SQLite, PostgreSQL and MariaDB;
// every result is checked against what the real Alembic reports.

#include "alembicproject.h"
#include "project/project.h"
#include "run/migrationcontroller.h"
#include "testfiles.h"
#include "testservers.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// What one request delivered.
struct Outcome
{
    bool finished = false;
    bool ok = false;
    EngineError error;
    QStringList steps;
    QStringList log;
    QString script;
    MigrationPlan plan;
};

class Waiter : public QObject
{
public:
    Waiter(MigrationController *controller, quint64 token)
    {
        connect(controller, &MigrationController::stepStarted, this,
                [this, token](quint64 t, int index, int count, const QString &line) {
                    if (t == token)
                        outcome.steps.append(u"%1/%2 %3"_s.arg(index).arg(count).arg(line));
                });
        connect(controller, &MigrationController::logLine, this,
                [this, token](quint64 t, const QString &line) {
                    if (t == token)
                        outcome.log.append(line);
                });
        connect(controller, &MigrationController::scriptReady, this,
                [this, token](quint64 t, const QString &text) {
                    if (t == token)
                        outcome.script = text;
                });
        connect(controller, &MigrationController::planReady, this,
                [this, token](quint64 t, const MigrationPlan &plan, const QStringList &) {
                    if (t == token)
                        outcome.plan = plan;
                });
        connect(controller, &MigrationController::finished, this,
                [this, token](quint64 t, bool ok, const EngineError &error) {
                    if (t != token)
                        return;
                    outcome.finished = true;
                    outcome.ok = ok;
                    outcome.error = error;
                });
    }
    Outcome outcome;
};

} // namespace

class TestAlembicController : public QObject
{
    Q_OBJECT

    std::shared_ptr<const Project> open(const AlembicProject &project)
    {
        Expected<Project> opened = Project::open(project.iniPath());
        if (!opened)
            return nullptr;
        return std::make_shared<const Project>(std::move(opened.value()));
    }

    Outcome await(MigrationController &controller, quint64 token)
    {
        Waiter waiter(&controller, token);
        QElapsedTimer timer;
        timer.start();
        while (!waiter.outcome.finished && timer.elapsed() < 120000)
            QTest::qWait(20);
        return waiter.outcome;
    }

private slots:
    void runsThroughAlembic_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("sqlite") << QString();
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    // Preview, run the previewed plan, downgrade, stamp: the rows are Alembic's after each.
    void runsThroughAlembic()
    {
        QFETCH(QString, server);
        QTemporaryDir tmp;
        QString url = u"sqlite:///app.db"_s;
        if (!server.isEmpty()) {
            const TestServer fresh =
                TestServers::freshDatabase(TestServers::server(server), u"alembic_controller"_s);
            QMIGRATE_REQUIRE_SERVER(fresh);
            url = TestServers::sqlalchemyUrl(fresh);
        }
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const std::shared_ptr<const Project> opened = open(project);
        QVERIFY(opened && opened->isAlembicPython());
        Expected<DatabaseUrl> databaseUrl = opened->config().databaseUrl();
        QVERIFY(databaseUrl);

        MigrationController controller;
        controller.setProject(opened);

        Outcome plan = await(controller, controller.planUpgrade(*databaseUrl, u"head"_s));
        QVERIFY2(plan.ok, qPrintable(plan.error.toString()));
        QCOMPARE(plan.plan.steps().size(), 3);

        // The script of the plan shown is the project's Alembic's --sql output.
        Outcome script = await(controller, controller.renderScript(*databaseUrl, plan.plan));
        QVERIFY2(script.ok, qPrintable(script.error.toString()));
        const AlembicProject::Run offline = project.alembic({u"upgrade"_s, u"head"_s, u"--sql"_s});
        QCOMPARE(script.script, offline.out);

        Outcome run =
            await(controller, controller.runPreviewed(*databaseUrl, MigrationController::RunKind::Upgrade,
                                                      u"head"_s, plan.plan));
        QVERIFY2(run.ok, qPrintable(run.error.toString()));
        QCOMPARE(run.steps.size(), 3);
        QVERIFY2(run.steps.first().startsWith(u"0/3 Running upgrade  -> a1"_s),
                 qPrintable(run.steps.first()));
        QVERIFY2(project.current().contains(u"c3 (head)"_s), qPrintable(project.current()));

        run =
            await(controller, controller.run(*databaseUrl, MigrationController::RunKind::Downgrade, u"a1"_s));
        QVERIFY2(run.ok, qPrintable(run.error.toString()));
        QCOMPARE(run.steps.size(), 2);
        QVERIFY2(project.current().endsWith(u"a1"_s), qPrintable(project.current()));

        run = await(controller, controller.run(*databaseUrl, MigrationController::RunKind::Stamp, u"base"_s));
        QVERIFY2(run.ok, qPrintable(run.error.toString()));
        QVERIFY2(!project.current().contains(u"a1"_s), qPrintable(project.current()));
    }

    void standardGraph_data() { runsThroughAlembic_data(); }

    // A labelled branch, a merge, a second root and a depends_on: the previewed upgrade of every head and
    // the downgrade to base leave the rows the real Alembic reports.
    void standardGraph()
    {
        QFETCH(QString, server);
        QTemporaryDir tmp;
        QString url = u"sqlite:///app.db"_s;
        if (!server.isEmpty()) {
            const TestServer fresh =
                TestServers::freshDatabase(TestServers::server(server), u"alembic_controller_graph"_s);
            QMIGRATE_REQUIRE_SERVER(fresh);
            url = TestServers::sqlalchemyUrl(fresh);
        }
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addStandardGraph();
        const std::shared_ptr<const Project> opened = open(project);
        QVERIFY(opened && opened->isAlembicPython());
        const DatabaseUrl databaseUrl = *opened->config().databaseUrl();
        MigrationController controller;
        controller.setProject(opened);

        const Outcome plan = await(controller, controller.planUpgrade(databaseUrl, u"heads"_s));
        QVERIFY2(plan.ok, qPrintable(plan.error.toString()));
        QCOMPARE(plan.plan.steps().size(), 6);
        Outcome run =
            await(controller, controller.runPreviewed(databaseUrl, MigrationController::RunKind::Upgrade,
                                                      u"heads"_s, plan.plan));
        QVERIFY2(run.ok, qPrintable(run.error.toString()));
        QCOMPARE(run.steps.size(), 6);
        QStringList rows = project.current().split(u'\n');
        rows.sort();
        QCOMPARE(rows, (QStringList{u"d4 (head)"_s, u"z1 (effective head)"_s}));

        run = await(controller,
                    controller.run(databaseUrl, MigrationController::RunKind::Downgrade, u"base"_s));
        QVERIFY2(run.ok, qPrintable(run.error.toString()));
        QCOMPARE(run.steps.size(), 6);
        QCOMPARE(project.current(), QString());
    }

    // A file saved after the preview: the previewed run is refused before anything runs.
    void previewedRunRefusedAfterAnEdit()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const std::shared_ptr<const Project> opened = open(project);
        QVERIFY(opened);
        const DatabaseUrl url = *opened->config().databaseUrl();
        MigrationController controller;
        controller.setProject(opened);
        const Outcome plan = await(controller, controller.planUpgrade(url, u"head"_s));
        QVERIFY(plan.ok);
        const QString b2 = project.versionsPath() + u"/b2_create_t_b2.py"_s;
        QVERIFY(writeAll(b2, readAll(b2) + "\n# edited after the preview\n"));
        const Outcome run =
            await(controller,
                  controller.runPreviewed(url, MigrationController::RunKind::Upgrade, u"head"_s, plan.plan));
        QVERIFY(!run.ok);
        QVERIFY2(run.error.message().contains(u"b2"_s), qPrintable(run.error.toString()));
        QVERIFY2(!project.current().contains(u"a1"_s), qPrintable(project.current()));
    }

    // An exception in a revision: the error points into its file, the database stays where it was.
    void failureOpensTheFileAtTheLine()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const QString path =
            project.addRevision(u"d4"_s, {u"c3"_s}, u"broken"_s,
                                u"x = 1\nraise ValueError('no such column: price')"_s, u"pass"_s);
        const int raiseLine = int(QString::fromUtf8(readAll(path))
                                      .split(u'\n')
                                      .indexOf(u"    raise ValueError('no such column: price')"_s)) +
                              1;
        const std::shared_ptr<const Project> opened = open(project);
        QVERIFY(opened);
        const DatabaseUrl url = *opened->config().databaseUrl();
        MigrationController controller;
        controller.setProject(opened);
        Outcome run = await(controller, controller.run(url, MigrationController::RunKind::Upgrade, u"c3"_s));
        QVERIFY2(run.ok, qPrintable(run.error.toString()));
        run = await(controller, controller.run(url, MigrationController::RunKind::Upgrade, u"head"_s));
        QVERIFY(!run.ok);
        QCOMPARE(QFileInfo(run.error.file()).canonicalFilePath(), QFileInfo(path).canonicalFilePath());
        QCOMPARE(run.error.line(), raiseLine);
        QCOMPARE(run.error.revision(), u"d4"_s);
        QVERIFY2(run.error.message().contains(u"ValueError: no such column: price"_s),
                 qPrintable(run.error.message()));
        QVERIFY2(project.current().endsWith(u"c3"_s), qPrintable(project.current()));
    }

    // Cancel while a revision runs: Alembic rolls back, the rows are read again and agree with Alembic's.
    void cancelMidRun()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addRevision(u"a1"_s, {}, u"quick"_s,
                            u"op.create_table('t_a1', sa.Column('id', sa.Integer))"_s,
                            u"op.drop_table('t_a1')"_s);
        project.addRevision(
            u"b2"_s, {u"a1"_s}, u"slow"_s,
            u"op.create_table('t_b2', sa.Column('id', sa.Integer))\nimport time\ntime.sleep(60)"_s,
            u"op.drop_table('t_b2')"_s);
        const std::shared_ptr<const Project> opened = open(project);
        QVERIFY(opened);
        const DatabaseUrl url = *opened->config().databaseUrl();
        MigrationController controller;
        controller.setProject(opened);
        const quint64 token = controller.run(url, MigrationController::RunKind::Upgrade, u"head"_s);
        Waiter waiter(&controller, token);
        QTRY_COMPARE_WITH_TIMEOUT(waiter.outcome.steps.size(), 2, 60000);
        QTest::qWait(300);
        QElapsedTimer sinceCancel;
        sinceCancel.start();
        controller.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(waiter.outcome.finished, 30000);
        QVERIFY2(sinceCancel.elapsed() < 20000, "the cancel waited for the revision to end");
        QVERIFY(!waiter.outcome.ok);
        QVERIFY2(waiter.outcome.error.message().contains(u"cancelled"_s),
                 qPrintable(waiter.outcome.error.toString()));
        // One transaction for the run (the default env.py): nothing of it stays.
        const QString current = project.current();
        QVERIFY2(!current.contains(u"a1"_s) && !current.contains(u"b2"_s), qPrintable(current));
        QVERIFY2(waiter.outcome.error.message().contains(u"alembic_version is at no revision"_s),
                 qPrintable(waiter.outcome.error.message()));
    }

    // The project's interpreter setting points nowhere: the run says so and runs nothing.
    void missingInterpreterSetting()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const std::shared_ptr<const Project> opened = open(project);
        QVERIFY(opened);
        const DatabaseUrl url = *opened->config().databaseUrl();
        MigrationController controller;
        controller.setProject(opened);
        controller.setPythonInterpreter(tmp.filePath(u"venv/bin/python"_s));
        const Outcome run =
            await(controller, controller.run(url, MigrationController::RunKind::Upgrade, u"head"_s));
        QVERIFY(!run.ok);
        QVERIFY2(run.error.message().contains(tmp.filePath(u"venv/bin/python"_s)) &&
                     run.error.message().contains(u"setting"_s),
                 qPrintable(run.error.message()));
        QVERIFY2(!QFile::exists(tmp.filePath(u"app.db"_s)) || !project.current().contains(u"a1"_s),
                 qPrintable(project.current()));
    }
};

QTEST_MAIN(TestAlembicController)
#include "tst_alembiccontroller.moc"
