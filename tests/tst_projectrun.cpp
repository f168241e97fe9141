// SPDX-License-Identifier: MIT
#include "alembic/projectrun.h"
#include "alembicproject.h"
#include "execution/databasestatus.h"
#include "project/project.h"
#include "testfiles.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QByteArray revisionText(const QString &id, const QString &revises)
{
    return u"-- Revision ID: %1\n-- Revises: %2\n-- Create Date: 2026-01-01 00:00:00\n\n"
           u"-- migrate:upgrade\nCREATE TABLE t_%1 (id INTEGER PRIMARY KEY);\n\nCREATE INDEX i_%1 ON t_%1 "
           u"(id);\n"
           u"-- migrate:downgrade\nDROP TABLE t_%1;\n"_s.arg(id, revises)
               .toUtf8();
}

Migrator::Request upgradeRequest(bool dryRun)
{
    Migrator::Request request;
    request.kind = MigrationAction::Upgrade;
    request.targets = {u"head"_s};
    request.dryRun = dryRun;
    return request;
}

} // namespace

// ProjectRun on a native SQL project and on an Alembic Python project (both on SQLite): which runner runs,
// what a dry run gives (the split statements; for Alembic, the steps as its offline mode writes them) and
// that a real run moves the database and writes its audit history.
class TstProjectRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    std::unique_ptr<Project> open(const QString &iniPath)
    {
        Project::OpenOptions options;
        options.python = AlembicProject::systemPython();
        options.pythonSource = u"--python"_s;
        Expected<Project> project = Project::open(iniPath, options);
        if (!project) {
            qWarning("%s", qPrintable(project.error().toString()));
            return nullptr;
        }
        return std::make_unique<Project>(std::move(project.value()));
    }

    std::unique_ptr<Project> nativeProject()
    {
        const QString dir = m_tmp.filePath(u"native"_s);
        const bool written =
            QDir().mkpath(dir + u"/versions"_s) &&
            writeAll(dir + u"/alembic.ini"_s,
                     "[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/x.db\n") &&
            writeAll(dir + u"/versions/a1.sql"_s, revisionText(u"a1"_s, QString())) &&
            writeAll(dir + u"/versions/b2.sql"_s, revisionText(u"b2"_s, u"a1"_s));
        return written ? open(dir + u"/alembic.ini"_s) : nullptr;
    }

    static DatabaseUrl urlOf(const Project &project) { return *project.config().databaseUrl(); }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void nativeDryRunGivesTheSplitStatements()
    {
        const std::unique_ptr<Project> project = nativeProject();
        QVERIFY(project);
        ProjectRun run(*project, urlOf(*project), MigratorOptions::fromConfig(project->config()));
        QVERIFY(!run.usesAlembic(upgradeRequest(false)));
        QVERIFY(!run.usesAlembic(upgradeRequest(true)));
        QCOMPARE(run.dialect().alembicImplName(), u"SQLiteImpl"_s);
        const Expected<ProjectRun::Result> result = run.run(upgradeRequest(true));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QCOMPARE(result->run.plan.steps().size(), 2);
        QCOMPARE(result->run.statements.size(), 2);
        const QList<SqlStatement> first = result->run.statements.at(0);
        QCOMPARE(first.size(), 2);
        QCOMPARE(first.at(0).text, u"CREATE TABLE t_a1 (id INTEGER PRIMARY KEY)"_s);
        QCOMPARE(first.at(0).line, 6);
        QCOMPARE(first.at(1).line, 8);
        QVERIFY(!result->rendered);
        QVERIFY(result->notRendered.isEmpty());
        // Nothing changed.
        DatabaseStatus status(*project, urlOf(*project));
        QCOMPARE(status.versionRows().value(), QStringList());
        QCOMPARE(status.hasAuditHistory().value(), false);
    }

    void nativeRunMovesTheDatabaseAndRecordsIt()
    {
        const std::unique_ptr<Project> project = nativeProject();
        QVERIFY(project);
        ProjectRun run(*project, urlOf(*project), MigratorOptions::fromConfig(project->config()));
        QStringList logged;
        MigratorCallbacks callbacks;
        callbacks.log = [&logged](const QString &line) { logged.append(line); };
        run.setCallbacks(callbacks);
        const Expected<ProjectRun::Result> result = run.run(upgradeRequest(false));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QCOMPARE(result->run.rowsAfter, QStringList{u"b2"_s});
        QVERIFY(run.auditErrors().isEmpty());
        QVERIFY2(logged.join(u'\n').contains(u"Running upgrade a1 -> b2"_s), qPrintable(logged.join(u'\n')));
        DatabaseStatus status(*project, urlOf(*project));
        QCOMPARE(status.versionRows().value(), QStringList{u"b2"_s});
        QCOMPARE(status.history().value().size(), 2);
    }

    void alembicProjectRunsThroughItsAlembic()
    {
        const QString folder = m_tmp.filePath(u"alembic"_s);
        AlembicProject alembic(folder, u"sqlite:///"_s + folder + u"/x.db"_s);
        QVERIFY2(alembic.error().isEmpty(), qPrintable(alembic.error()));
        alembic.addLinearHistory();
        const std::unique_ptr<Project> project = open(alembic.iniPath());
        QVERIFY(project);
        QVERIFY(project->isAlembicPython());
        ProjectRun run(*project, urlOf(*project), MigratorOptions::fromConfig(project->config()),
                       AlembicProject::systemPython(), u"--python"_s);
        QVERIFY(run.usesAlembic(upgradeRequest(false)));
        QVERIFY(!run.usesAlembic(upgradeRequest(true)));

        // The dry run is the Migrator's; its steps are rendered by the project's Alembic.
        const Expected<ProjectRun::Result> dry = run.run(upgradeRequest(true));
        QVERIFY2(dry, qPrintable(dry ? QString() : dry.error().toString()));
        QCOMPARE(dry->run.plan.steps().size(), 3);
        QVERIFY2(dry->rendered, qPrintable(dry->notRendered));
        QVERIFY2(dry->rendered->stepScripts.value(0).contains(u"CREATE TABLE t_a1"_s),
                 qPrintable(dry->rendered->stepScripts.value(0)));
        QCOMPARE(alembic.current(), QString());

        QStringList output;
        MigratorCallbacks callbacks;
        callbacks.output = [&output](const QString &line) { output.append(line); };
        run.setCallbacks(callbacks);
        const Expected<ProjectRun::Result> result = run.run(upgradeRequest(false));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QVERIFY2(output.join(u'\n').contains(u"Running upgrade"_s), qPrintable(output.join(u'\n')));
        QVERIFY2(alembic.current().startsWith(u"c3"_s), qPrintable(alembic.current()));
    }
};

QTEST_GUILESS_MAIN(TstProjectRun)
#include "tst_projectrun.moc"
