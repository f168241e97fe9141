// SPDX-License-Identifier: MIT
#include "execution/migrator.h"
#include "project/project.h"
#include "run/databasesession.h"

#include "testfiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString exampleHead = u"9abc688b6311"_s;
const QString devices = u"83ca92fed024"_s;
const QString firmware = u"0169b51572d2"_s;
QStringList rowsOf(const RevisionMap &map, const DatabaseUrl &url)
{
    Migrator migrator(map, url);
    Expected<QStringList> rows = migrator.currentRows();
    return rows ? *rows : QStringList{u"<error: "_s + rows.error().toString() + u'>'};
}

} // namespace

class TestDatabaseSession : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void planThenRunRecoloursStepByStep();
    void aLongRunReachesTheWindowAtMostThirtyTimesASecond();
    void runRefusedWhenTheDatabaseMoved();
    void stateReadFailureIsReported();
    void runWithoutAPlanIsRefused();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<Project> m_project;
    DatabaseUrl m_url;
};

void TestDatabaseSession::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(copyExample(m_dir->path()));
    auto project = Project::open(m_dir->filePath(u"alembic.ini"_s));
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    m_project.emplace(std::move(*project));
    m_url = *DatabaseUrl::parse(u"sqlite:///"_s + m_dir->filePath(u"session.db"_s));
}

void TestDatabaseSession::planThenRunRecoloursStepByStep()
{
    DatabaseSession session;
    session.setProject(*m_project);
    QSignalSpy state(&session, &DatabaseSession::stateChanged);
    session.setDatabase(m_url);
    QVERIFY(state.wait());
    QTRY_VERIFY(session.state().isKnown());
    QVERIFY(session.state().isAtBase());

    QSignalSpy planned(&session, &DatabaseSession::planReady);
    session.preparePlan(DatabaseSession::Action::Upgrade, firmware);
    QVERIFY(planned.wait());
    const auto plan = planned.first().at(2).value<MigrationPlan>();
    QCOMPARE(plan.steps().size(), 3); // locations, devices, firmware
    QVERIFY(session.hasPreparedPlan());
    QCOMPARE(rowsOf(session.map(), m_url), QStringList()); // planning changed nothing

    // Finished steps update the state before the run ends, so the graph recolours as it goes: the newest at
    // most ~30 times a second, and always the last step.
    QStringList currentAfterEachStep;
    connect(&session, &DatabaseSession::stepFinished, this, [&] {
        QStringList ids;
        for (const int index : session.state().effectiveCurrent())
            ids.append(session.map().idOf(index));
        currentAfterEachStep.append(ids.join(u','));
    });
    QSignalSpy finished(&session, &DatabaseSession::runFinished);
    QSignalSpy started(&session, &DatabaseSession::runStarted);
    QVERIFY(session.runPreparedPlan());
    QVERIFY(!session.hasPreparedPlan());
    QVERIFY(session.isRunning());
    QCOMPARE(started.first().at(2).toInt(), 3);
    QVERIFY(finished.wait());
    QVERIFY2(finished.first().at(0).toBool(),
             qPrintable(finished.first().at(1).value<EngineError>().toString()));
    QVERIFY(!currentAfterEachStep.isEmpty());
    QCOMPARE(currentAfterEachStep.last(), firmware);
    const QStringList steps{u"cf60bc0183a4"_s, devices, firmware};
    qsizetype next = 0; // in the order the run went, none twice
    for (const QString &current : std::as_const(currentAfterEachStep)) {
        next = steps.indexOf(current, next);
        QVERIFY2(next >= 0, qPrintable(currentAfterEachStep.join(u' ')));
        ++next;
    }
    QCOMPARE(rowsOf(session.map(), m_url), QStringList{firmware});
    // runFinished comes once the state was read again, with the audit history the run wrote.
    QCOMPARE(session.history().size(), 3);
    QCOMPARE(session.history().first().revision, firmware);
}

void TestDatabaseSession::aLongRunReachesTheWindowAtMostThirtyTimesASecond()
{
    // 400 one-table revisions in a line.
    const QString dir = m_dir->filePath(u"long"_s);
    QVERIFY(QDir().mkpath(dir + u"/versions"_s));
    QVERIFY(writeAll(dir + u"/alembic.ini"_s,
                     "[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/long.db\n"));
    const int count = 400;
    QString parent;
    for (int n = 0; n < count; ++n) {
        const QString id = u"r%1"_s.arg(n, 4, 10, QLatin1Char('0'));
        const QString text =
            u"-- Revision ID: %1\n-- Revises: %2\n\n-- migrate:upgrade\nCREATE TABLE t%3 (id INTEGER);\n"
            "\n-- migrate:downgrade\nDROP TABLE t%3;\n"_s.arg(id, parent)
                .arg(n);
        QVERIFY(writeAll(dir + u"/versions/"_s + id + u".sql"_s, text.toUtf8()));
        parent = id;
    }
    auto project = Project::open(dir + u"/alembic.ini"_s);
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));

    DatabaseSession session;
    session.setProject(*project);
    session.setDatabase(*DatabaseUrl::parse(u"sqlite:///"_s + dir + u"/long.db"_s));
    QTRY_VERIFY(session.state().isKnown());
    QSignalSpy planned(&session, &DatabaseSession::planReady);
    session.preparePlan(DatabaseSession::Action::Upgrade, u"heads"_s);
    QVERIFY(planned.wait());

    int stateChanges = 0, stepsStarted = 0, statements = 0, lastFinished = -1;
    bool finishedInOrder = true;
    connect(&session, &DatabaseSession::stateChanged, this, [&] { ++stateChanges; });
    connect(&session, &DatabaseSession::stepStarted, this, [&] { ++stepsStarted; });
    connect(&session, &DatabaseSession::statementStarted, this, [&] { ++statements; });
    connect(&session, &DatabaseSession::stepFinished, this, [&](int index, int steps) {
        finishedInOrder = finishedInOrder && index > lastFinished && steps == count;
        lastFinished = index;
    });
    QSignalSpy finished(&session, &DatabaseSession::runFinished);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(session.runPreparedPlan());
    QVERIFY(finished.wait(60000));
    const qint64 elapsedMs = clock.elapsed();
    QVERIFY2(finished.first().at(0).toBool(),
             qPrintable(finished.first().at(1).value<EngineError>().toString()));

    // The last step always shows, and the steps in the order they ran.
    QVERIFY(finishedInOrder);
    QCOMPARE(lastFinished, count - 1);
    QCOMPARE(session.state().effectiveCurrent().size(), 1);
    QCOMPARE(session.map().idOf(session.state().effectiveCurrent().first()), parent);
    // At most one delivery per 33 ms of the run (plus the first, the last and the state read after it),
    // however many steps and statements the worker reported.
    const qint64 bound = elapsedMs / 33 + 4;
    const QString counts = u"%1 state changes, %2 steps, %3 statements in %4 ms"_s.arg(stateChanges)
                               .arg(stepsStarted)
                               .arg(statements)
                               .arg(elapsedMs);
    QVERIFY2(stateChanges <= bound && stepsStarted <= bound && statements <= bound, qPrintable(counts));
    QVERIFY2(stateChanges < count, qPrintable(counts));
}

void TestDatabaseSession::runRefusedWhenTheDatabaseMoved()
{
    DatabaseSession session;
    session.setProject(*m_project);
    session.setDatabase(m_url);
    QSignalSpy planned(&session, &DatabaseSession::planReady);
    session.preparePlan(DatabaseSession::Action::Upgrade, exampleHead);
    QVERIFY(planned.wait());

    // Someone else upgrades the database to devices between the preview and the click on Run.
    Migrator other(m_project->map(), m_url, MigratorOptions::fromConfig(m_project->config()));
    Migrator::Request request;
    request.targets = {devices};
    QVERIFY(other.run(request));

    QSignalSpy finished(&session, &DatabaseSession::runFinished);
    QVERIFY(session.runPreparedPlan());
    QVERIFY(finished.wait());
    QCOMPARE(finished.first().at(0).toBool(), false);
    const auto error = finished.first().at(1).value<EngineError>();
    QVERIFY2(error.message().startsWith(u"The database changed since the plan was made"_s),
             qPrintable(error.message()));
    QCOMPARE(rowsOf(session.map(), m_url), QStringList{devices}); // nothing of the stale plan ran
}

void TestDatabaseSession::stateReadFailureIsReported()
{
    DatabaseSession session;
    session.setProject(*m_project);
    QSignalSpy failed(&session, &DatabaseSession::failed);
    // A directory where the SQLite file should be: the connection cannot open it.
    session.setDatabase(*DatabaseUrl::parse(u"sqlite:///"_s + m_dir->path()));
    QVERIFY(failed.wait());
    QVERIFY(!session.state().isKnown());
    QVERIFY(!failed.first().at(0).value<EngineError>().message().isEmpty());
}

void TestDatabaseSession::runWithoutAPlanIsRefused()
{
    DatabaseSession session;
    session.setProject(*m_project);
    QVERIFY(!session.runPreparedPlan());
    QSignalSpy failed(&session, &DatabaseSession::failed);
    session.preparePlan(DatabaseSession::Action::Upgrade, exampleHead); // no database yet
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(0).value<EngineError>().message(), u"Select a database connection first."_s);
}

QTEST_MAIN(TestDatabaseSession)
#include "tst_databasesession.moc"
