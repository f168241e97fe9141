// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "execution/auditobserver.h"
#include "execution/databasestatus.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "testfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// A native SQL revision: CREATE TABLE t_<id> up, DROP TABLE t_<id> down.
QByteArray revisionText(const QString &id, const QString &revises, const QString &extra = {})
{
    return u"-- Revision ID: %1\n-- Revises: %2\n-- Create Date: 2026-01-01 00:00:00\n\n"
           u"-- migrate:upgrade\nCREATE TABLE t_%1 (id INTEGER PRIMARY KEY);\n%3\n"
           u"-- migrate:downgrade\nDROP TABLE t_%1;\n"_s.arg(id, revises, extra)
               .toUtf8();
}

} // namespace

// DatabaseStatus on SQLite projects: the version rows, the audit history, interrupted steps and scripts
// edited since they were applied, read through one object without creating anything.
class TstDatabaseStatus : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_counter = 0;

    // A project a1a1 <- b2b2 in a directory of its own, with its SQLite database beside the ini.
    std::unique_ptr<Project> makeProject(QString *dir)
    {
        *dir = m_tmp.filePath(u"p%1"_s.arg(++m_counter));
        if (!QDir().mkpath(*dir + u"/versions"_s))
            return nullptr;
        const bool written =
            writeAll(*dir + u"/alembic.ini"_s,
                     "[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/x.db\n") &&
            writeAll(*dir + u"/versions/a1a1_first.sql"_s, revisionText(u"a1a1"_s, QString())) &&
            writeAll(*dir + u"/versions/b2b2_second.sql"_s, revisionText(u"b2b2"_s, u"a1a1"_s));
        if (!written)
            return nullptr;
        Expected<Project> project = Project::open(*dir + u"/alembic.ini"_s);
        if (!project)
            return nullptr;
        return std::make_unique<Project>(std::move(project.value()));
    }

    // An upgrade to `target` with the audit history written, as the CLI runs it.
    static bool upgrade(const Project &project, const QString &target)
    {
        Migrator migrator(project.map(), *project.config().databaseUrl(),
                          MigratorOptions::fromConfig(project.config()));
        AuditObserver observer;
        migrator.setObserver(&observer);
        Migrator::Request request;
        request.kind = MigrationAction::Upgrade;
        request.targets = {target};
        return bool(migrator.run(request));
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void freshDatabaseHasNothingAndGetsNothingCreated()
    {
        QString dir;
        const std::unique_ptr<Project> project = makeProject(&dir);
        QVERIFY(project);
        DatabaseStatus status(*project, *project->config().databaseUrl());
        QCOMPARE(status.versionRows().value(), QStringList());
        QCOMPARE(status.hasAuditHistory().value(), false);
        QCOMPARE(status.interruptedSteps().value().size(), 0);
        QCOMPARE(status.history().value().size(), 0);
        QCOMPARE(status.editedSinceApplied({}).value().size(), 0);
        QCOMPARE(status.currentRevisions().value(), QList<int>());
        // Reading created neither table: a second look still finds none.
        QCOMPARE(status.hasAuditHistory().value(), false);
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(*project->config().databaseUrl(), dir);
        QVERIFY(connection);
        QVERIFY(!(*connection)->database().tables().contains(u"alembic_version"_s));
    }

    void dialectIsKnownBeforeAnyConnection()
    {
        QString dir;
        const std::unique_ptr<Project> project = makeProject(&dir);
        QVERIFY(project);
        // Nothing listens on port 1: the dialect comes from the URL, the first read fails to connect.
        const DatabaseUrl url = *DatabaseUrl::parse(u"postgresql://nobody@127.0.0.1:1/nothing"_s);
        DatabaseStatus status(*project, url);
        QCOMPARE(status.dialect().alembicImplName(), u"PostgresqlImpl"_s);
        QCOMPARE(status.dialect().versionTable(), u"alembic_version"_s);
        QCOMPARE(status.qualifiedHistoryTable(), u"qmigrate_history"_s);
        const Expected<QStringList> rows = status.versionRows();
        QVERIFY(!rows);
        QCOMPARE(rows.error().kind(), EngineError::Kind::Database);
    }

    void rowsAndHistoryAfterAnUpgrade()
    {
        QString dir;
        const std::unique_ptr<Project> project = makeProject(&dir);
        QVERIFY(project);
        QVERIFY(upgrade(*project, u"head"_s));
        DatabaseStatus status(*project, *project->config().databaseUrl());
        QCOMPARE(status.versionRows().value(), QStringList{u"b2b2"_s});
        QCOMPARE(status.checkedVersionRows().value(), QStringList{u"b2b2"_s});
        QCOMPARE(status.currentRevisions().value(), QList<int>{project->map().indexOf(u"b2b2"_s)});
        QCOMPARE(status.hasAuditHistory().value(), true);
        const QList<HistoryEntry> all = status.history().value();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).revision, u"b2b2"_s); // newest first
        QCOMPARE(all.at(1).revision, u"a1a1"_s);
        // A filter by prefix means the revision it names.
        HistoryFilter filter;
        filter.revision = u"a1a"_s;
        const QList<HistoryEntry> first = status.history(filter).value();
        QCOMPARE(first.size(), 1);
        QCOMPARE(first.at(0).revision, u"a1a1"_s);
        // An id the scripts lack is taken as it is.
        filter.revision = u"gone"_s;
        QCOMPARE(status.history(filter).value().size(), 0);
        QCOMPARE(status.editedSinceApplied(*status.versionRows()).value().size(), 0);
    }

    void rowsTheScriptsLackAreAnError()
    {
        QString dir;
        const std::unique_ptr<Project> project = makeProject(&dir);
        QVERIFY(project);
        QVERIFY(upgrade(*project, u"head"_s));
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(*project->config().databaseUrl(), dir);
        QVERIFY(connection);
        QSqlQuery query((*connection)->database());
        QVERIFY(query.exec(u"UPDATE alembic_version SET version_num = 'zz9'"_s));
        DatabaseStatus status(*project, *project->config().databaseUrl());
        QCOMPARE(status.versionRows().value(), QStringList{u"zz9"_s});
        const Expected<QStringList> checked = status.checkedVersionRows();
        QVERIFY(!checked);
        QVERIFY2(checked.error().message().contains(u"zz9"_s), qPrintable(checked.error().message()));
        QVERIFY(!status.currentRevisions());
    }

    void editedSinceAppliedNamesTheChangedScript()
    {
        QString dir;
        const std::unique_ptr<Project> project = makeProject(&dir);
        QVERIFY(project);
        QVERIFY(upgrade(*project, u"head"_s));
        const QString path = dir + u"/versions/a1a1_first.sql"_s;
        QVERIFY(writeAll(path, revisionText(u"a1a1"_s, QString(), u"CREATE INDEX i_a1a1 ON t_a1a1 (id);"_s)));
        Expected<Project> reread = Project::open(dir + u"/alembic.ini"_s);
        QVERIFY(reread);
        DatabaseStatus status(*reread, *reread->config().databaseUrl());
        const QList<ChangedScript> changed = status.editedSinceApplied(*status.versionRows()).value();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).revision, u"a1a1"_s);
        QCOMPARE(QFileInfo(changed.at(0).path).fileName(), u"a1a1_first.sql"_s);
        QVERIFY2(changed.at(0).diff.contains(u"+CREATE INDEX i_a1a1 ON t_a1a1 (id);"_s),
                 qPrintable(changed.at(0).diff));
        // Rows that do not reach a1a1 make no claim about it.
        QCOMPARE(status.editedSinceApplied({}).value().size(), 0);
    }

    void interruptedStepsAreRead()
    {
        QString dir;
        const std::unique_ptr<Project> project = makeProject(&dir);
        QVERIFY(project);
        QVERIFY(upgrade(*project, u"a1a1"_s));
        {
            Expected<std::shared_ptr<DatabaseConnection>> connection =
                DatabaseConnection::open(*project->config().databaseUrl(), dir);
            QVERIFY(connection);
            const AuditHistory history((*connection)->database(),
                                       Dialect::forBackend(DatabaseUrl::Backend::SQLite));
            HistoryEntry entry;
            entry.revision = u"b2b2"_s;
            entry.outcome = HistoryEntry::Outcome::Running;
            entry.errorText = u"statement 1 of 2 committed"_s;
            QVERIFY(history.record(entry));
        }
        DatabaseStatus status(*project, *project->config().databaseUrl());
        const QList<HistoryEntry> interrupted = status.interruptedSteps().value();
        QCOMPARE(interrupted.size(), 1);
        QCOMPARE(interrupted.at(0).revision, u"b2b2"_s);
        QCOMPARE(interrupted.at(0).outcome, HistoryEntry::Outcome::Running);
    }
};

QTEST_GUILESS_MAIN(TstDatabaseStatus)
#include "tst_databasestatus.moc"
