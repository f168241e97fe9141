#include "execution/migrator.h"
#include "project/project.h"
#include "run/databasesession.h"

#include "testfiles.h"

#include <QDir>
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

    // Each finished step updates the state before the run ends, so the graph can recolour as it goes.
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
    QCOMPARE(currentAfterEachStep, (QStringList{u"cf60bc0183a4"_s, devices, firmware}));
    QCOMPARE(rowsOf(session.map(), m_url), QStringList{firmware});
    // runFinished comes once the state was read again, with the audit history the run wrote.
    QCOMPARE(session.history().size(), 3);
    QCOMPARE(session.history().first().revision, firmware);
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
