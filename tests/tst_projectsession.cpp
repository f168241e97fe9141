// SPDX-License-Identifier: MIT
#include "config/databaseurl.h"
#include "database/databaseconnection.h"
#include "project/project.h"
#include "run/migrationcontroller.h"
#include "testfiles.h"
#include "workspace/liveproject.h"
#include "workspace/projectsession.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace qmigrate;

class TstProjectSession : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void openFolderOrIni();
    void openWithoutIniFailsFromTheEventLoop();
    void recentListNewestFirstWithoutDuplicates();
    void recentListKeepsTen();
    void startupProject();
    void createRefusesAnExistingProject();
    void adoptLoadsTheProjectOnce();
    void adoptRefusedOpensNothing();
    void adoptRunsOnTheJobQueue();
    void adoptWithoutJobQueueFailsFromTheEventLoop();
    void pythonInterpreterRememberedPerProject();

private:
    // Opens path and waits for opened(); false on openFailed() or a timeout.
    static bool openAndWait(ProjectSession &session, const QString &path);
};

void TstProjectSession::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"qmigrate"_s);
}

void TstProjectSession::init()
{
    QSettings().clear();
}

bool TstProjectSession::openAndWait(ProjectSession &session, const QString &path)
{
    QSignalSpy opened(&session, &ProjectSession::opened);
    QSignalSpy failed(&session, &ProjectSession::openFailed);
    session.open(path);
    return QTest::qWaitFor([&] { return !opened.isEmpty() || !failed.isEmpty(); }, 20000) &&
           !opened.isEmpty();
}

void TstProjectSession::openFolderOrIni()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    ProjectSession session;
    QSignalSpy changed(&session, &ProjectSession::projectChanged);
    QSignalSpy opened(&session, &ProjectSession::opened);
    QVERIFY(openAndWait(session, dir.path())); // the folder: its alembic.ini
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().at(0).toString(), dir.filePath(u"alembic.ini"_s));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(1).toBool(), false); // a new project, not a re-read
    QVERIFY(session.project());
    QCOMPARE(session.project(), session.liveProject()->project()); // one project, not a copy
    QVERIFY(session.project()->map().size() > 0);
}

void TstProjectSession::openWithoutIniFailsFromTheEventLoop()
{
    QTemporaryDir dir;
    ProjectSession session;
    QSignalSpy failed(&session, &ProjectSession::openFailed);
    session.open(dir.path());
    QCOMPARE(failed.size(), 0); // never from inside open()
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().at(0).toString(), dir.path());
    QVERIFY(failed.first().at(1).value<EngineError>().message().contains(u"No alembic.ini"_s));
    QVERIFY(!session.project());
    QVERIFY(ProjectSession::recentProjects().isEmpty());
}

void TstProjectSession::recentListNewestFirstWithoutDuplicates()
{
    QTemporaryDir dir;
    const QString first = dir.filePath(u"first"_s);
    const QString second = dir.filePath(u"second"_s);
    QVERIFY(copyExample(first));
    QVERIFY(copyExample(second));
    ProjectSession session;
    QSignalSpy recentChanged(&session, &ProjectSession::recentProjectsChanged);
    // The session's own copy, which the Open Recent menu reads, is the new list by the time it is announced.
    QStringList announced;
    connect(&session, &ProjectSession::recentProjectsChanged, this,
            [&] { announced = session.rememberedProjects(); });
    QVERIFY(openAndWait(session, first + u"/alembic.ini"_s));
    QVERIFY(openAndWait(session, second + u"/alembic.ini"_s));
    QCOMPARE(ProjectSession::recentProjects(),
             (QStringList{second + u"/alembic.ini"_s, first + u"/alembic.ini"_s}));
    QCOMPARE(announced, ProjectSession::recentProjects());
    QVERIFY(openAndWait(session, first));
    QCOMPARE(ProjectSession::recentProjects(),
             (QStringList{first + u"/alembic.ini"_s, second + u"/alembic.ini"_s}));
    QCOMPARE(announced, ProjectSession::recentProjects());
    QCOMPARE(session.rememberedProjects(), ProjectSession::recentProjects());
    // Another session starts from what the settings hold.
    const ProjectSession other;
    QCOMPARE(other.rememberedProjects(), ProjectSession::recentProjects());
    QCOMPARE(recentChanged.size(), 3);
}

void TstProjectSession::recentListKeepsTen()
{
    QTemporaryDir dir;
    ProjectSession session;
    const int projects = ProjectSession::maximumRecentProjects + 2;
    for (int i = 0; i < projects; ++i) {
        const QString folder = dir.filePath(u"p%1"_s.arg(i));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(session.create(folder));
        QTRY_COMPARE_WITH_TIMEOUT(ProjectSession::recentProjects().value(0), folder + u"/alembic.ini"_s,
                                  20000);
    }
    const QStringList recent = ProjectSession::recentProjects();
    QCOMPARE(recent.size(), ProjectSession::maximumRecentProjects);
    QCOMPARE(recent.first(), dir.filePath(u"p%1/alembic.ini"_s.arg(projects - 1)));
    QCOMPARE(recent.last(), dir.filePath(u"p2/alembic.ini"_s)); // the two oldest dropped
}

void TstProjectSession::startupProject()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    QCOMPARE(ProjectSession::startupProject(), QString()); // first start: none
    {
        ProjectSession session;
        QVERIFY(openAndWait(session, dir.path()));
    }
    QCOMPARE(ProjectSession::startupProject(), dir.filePath(u"alembic.ini"_s));
    QVERIFY(QFile::remove(dir.filePath(u"alembic.ini"_s)));
    QCOMPARE(ProjectSession::startupProject(), QString());
}

void TstProjectSession::createRefusesAnExistingProject()
{
    QTemporaryDir dir;
    ProjectSession session;
    QSignalSpy opened(&session, &ProjectSession::opened);
    const Expected<ProjectInitializer::Result> created = session.create(dir.filePath(u"fresh"_s));
    QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
    QVERIFY(opened.wait(20000));
    QCOMPARE(opened.first().at(0).toString(), dir.filePath(u"fresh/alembic.ini"_s));
    QCOMPARE(session.project()->map().size(), 0);
    const Expected<ProjectInitializer::Result> again = session.create(dir.filePath(u"fresh"_s));
    QVERIFY(!again);
    QTest::qWait(200);
    QCOMPARE(opened.size(), 1); // nothing opened the second time
}

void TstProjectSession::adoptLoadsTheProjectOnce()
{
    QTemporaryDir dir;
    const QString shop = dir.filePath(u"shop.db"_s);
    const DatabaseUrl url = *DatabaseUrl::parse(u"sqlite:///"_s + shop);
    {
        auto connection = DatabaseConnection::open(url, QString());
        QVERIFY(connection);
        QSqlQuery query((*connection)->database());
        QVERIFY(query.exec(u"CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(200))"_s));
    }
    MigrationController jobs;
    ProjectSession session;
    session.setJobQueue(&jobs);
    session.liveProject()->setQuietPeriod(50);
    QSignalSpy adopted(&session, &ProjectSession::adoptionFinished);
    QSignalSpy loading(&session, &ProjectSession::loading);
    QSignalSpy changed(&session, &ProjectSession::projectChanged);
    QSignalSpy opened(&session, &ProjectSession::opened);
    session.adopt(dir.filePath(u"adopted"_s), url);
    QVERIFY(session.isAdopting());
    QVERIFY(adopted.wait(30000));
    QVERIFY2(adopted.first().at(0).toBool(),
             qPrintable(adopted.first().at(2).value<EngineError>().toString()));
    const QString iniPath = dir.filePath(u"adopted/alembic.ini"_s);
    QCOMPARE(adopted.first().at(1).toString(), iniPath);
    QVERIFY(opened.wait(20000));
    QCOMPARE(opened.first().at(0).toString(), iniPath);
    // Well past the file watcher's quiet period: still the one load.
    QTest::qWait(500);
    QCOMPARE(loading.size(), 1);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(session.project()->map().size(), 1); // the baseline
    QCOMPARE(ProjectSession::recentProjects(), QStringList{iniPath});
}

void TstProjectSession::adoptRefusedOpensNothing()
{
    QTemporaryDir dir;
    const DatabaseUrl url = *DatabaseUrl::parse(u"sqlite:///"_s + dir.filePath(u"empty.db"_s));
    MigrationController jobs;
    ProjectSession session;
    session.setJobQueue(&jobs);
    QSignalSpy adopted(&session, &ProjectSession::adoptionFinished);
    QSignalSpy loading(&session, &ProjectSession::loading);
    session.adopt(dir.filePath(u"adopted"_s), url);
    QVERIFY(adopted.wait(30000));
    QCOMPARE(adopted.first().at(0).toBool(), false);
    QVERIFY2(adopted.first().at(2).value<EngineError>().message().contains(u"no tables"_s),
             qPrintable(adopted.first().at(2).value<EngineError>().message()));
    QCOMPARE(loading.size(), 0);
    QVERIFY(!session.project());
}

// The adoption is a job of the queue: it runs on its worker thread and the queue is busy meanwhile.
void TstProjectSession::adoptRunsOnTheJobQueue()
{
    QTemporaryDir dir;
    const DatabaseUrl url = *DatabaseUrl::parse(u"sqlite:///"_s + dir.filePath(u"shop.db"_s));
    {
        auto connection = DatabaseConnection::open(url, QString());
        QVERIFY(connection);
        QVERIFY(
            QSqlQuery((*connection)->database()).exec(u"CREATE TABLE customers (id INTEGER PRIMARY KEY)"_s));
    }
    MigrationController jobs;
    std::atomic<QThread *> ranOn = nullptr;
    jobs.setCallbackProbe([&ranOn](QThread *thread) { ranOn = thread; });
    ProjectSession session;
    session.setJobQueue(&jobs);
    QSignalSpy adopted(&session, &ProjectSession::adoptionFinished);
    QSignalSpy busy(&jobs, &MigrationController::busyChanged);
    session.adopt(dir.filePath(u"adopted"_s), url);
    QVERIFY(session.isAdopting());
    QVERIFY(jobs.isBusy());
    QCOMPARE(busy.size(), 1);
    QVERIFY(adopted.wait(30000));
    QVERIFY2(adopted.first().at(0).toBool(),
             qPrintable(adopted.first().at(2).value<EngineError>().toString()));
    QVERIFY(!session.isAdopting());
    QCOMPARE(ranOn.load(), jobs.workerThread());
    QTRY_VERIFY(!jobs.isBusy());
    QCOMPARE(busy.size(), 2);
}

void TstProjectSession::adoptWithoutJobQueueFailsFromTheEventLoop()
{
    QTemporaryDir dir;
    ProjectSession session;
    QSignalSpy adopted(&session, &ProjectSession::adoptionFinished);
    session.adopt(dir.filePath(u"adopted"_s), *DatabaseUrl::parse(u"sqlite:///"_s + dir.filePath(u"x.db"_s)));
    QCOMPARE(adopted.size(), 0);
    QVERIFY(adopted.wait(5000));
    QCOMPARE(adopted.first().at(0).toBool(), false);
    QVERIFY(!QFileInfo::exists(dir.filePath(u"adopted"_s)));
}

void TstProjectSession::pythonInterpreterRememberedPerProject()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    const QString iniPath = dir.filePath(u"alembic.ini"_s);
    ProjectSession session;
    QVERIFY(openAndWait(session, iniPath));
    QVERIFY(session.pythonInterpreter().isEmpty());
    QSignalSpy changedPython(&session, &ProjectSession::pythonInterpreterChanged);
    session.setPythonInterpreter(u"  /opt/venv/bin/python3 "_s);
    QCOMPARE(changedPython.size(), 1);
    QCOMPARE(changedPython.first().at(0).toString(), u"/opt/venv/bin/python3"_s);
    QCOMPARE(ProjectSession::pythonInterpreterFor(iniPath), u"/opt/venv/bin/python3"_s);
    QCOMPARE(session.pythonInterpreter(), u"/opt/venv/bin/python3"_s);
    // Another project has its own (none).
    QTemporaryDir other;
    QVERIFY(copyExample(other.path()));
    QVERIFY(openAndWait(session, other.path()));
    QVERIFY(session.pythonInterpreter().isEmpty());
    QCOMPARE(ProjectSession::pythonInterpreterFor(iniPath), u"/opt/venv/bin/python3"_s);
    QVERIFY(openAndWait(session, iniPath));
    session.setPythonInterpreter(QString());
    QCOMPARE(changedPython.size(), 2);
    QVERIFY(ProjectSession::pythonInterpreterFor(iniPath).isEmpty());
}

QTEST_MAIN(TstProjectSession)
#include "tst_projectsession.moc"
