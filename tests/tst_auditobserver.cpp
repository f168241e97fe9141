// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "execution/auditobserver.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "scripts/scriptchecksum.h"
#include "testservers.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// A generated revision: CREATE TABLE t_<id> up, DROP TABLE t_<id> down, unless upgrade is given.
struct Spec
{
    QString id;
    QString revises;
    QString upgrade;
};

QString revisionText(const Spec &spec)
{
    const QString upgrade = spec.upgrade.isEmpty()
                                ? u"CREATE TABLE t_%1 (id INTEGER PRIMARY KEY);\n"_s.arg(spec.id)
                                : spec.upgrade;
    // Trailing blanks and an extra empty line: the checksum must be of the normalised text.
    return u"-- revision %1   \n--\n-- Revision ID: %1\n-- Revises: %2\n-- Create Date: 2026-01-01 "
           u"00:00:00\n\n"
           u"-- migrate:upgrade\n%3\n-- migrate:downgrade\nDROP TABLE t_%1;\n\n"_s.arg(spec.id, spec.revises,
                                                                                       upgrade);
}

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(text.toUtf8()) >= 0;
}

std::unique_ptr<Project> makeProject(const QString &dir, const QList<Spec> &specs, bool perMigration,
                                     QString *error)
{
    QDir().mkpath(dir + u"/versions"_s);
    writeFile(dir + u"/alembic.ini"_s,
              u"[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/x.db\n"
              u"transaction_per_migration = %1\n"_s.arg(perMigration ? u"true"_s : u"false"_s));
    for (const Spec &spec : specs)
        writeFile(dir + u"/versions/%1_rev.sql"_s.arg(spec.id), revisionText(spec));
    Expected<Project> project = Project::open(dir + u"/alembic.ini"_s);
    if (!project) {
        *error = project.error().toString();
        return nullptr;
    }
    return std::make_unique<Project>(std::move(project.value()));
}

// "revision direction outcome", newest first: the shape of a history, compared in one go.
QStringList shape(const QList<HistoryEntry> &entries)
{
    QStringList lines;
    for (const HistoryEntry &entry : entries)
        lines.append(u"%1 %2 %3"_s.arg(entry.revision, HistoryEntry::directionName(entry.direction),
                                       HistoryEntry::outcomeName(entry.outcome)));
    return lines;
}

using Kind = Migrator::Request::Kind;

Migrator::Request request(Kind kind, const QStringList &targets)
{
    Migrator::Request result;
    result.kind = kind;
    result.targets = targets;
    return result;
}

} // namespace

// AuditObserver on real Migrator runs: rows for applied, reverted and stamped steps in the step's
// transaction, failure and cancellation rows after the rollback, on SQLite, PostgreSQL and MariaDB.
class TstAuditObserver : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_counter = 0;

    // A fresh empty database; fails the test (never skips) when the server is missing.
    DatabaseUrl target(const QString &backend, const QString &name)
    {
        if (backend == "sqlite"_L1) {
            const QString path = m_tmp.filePath(u"%1_%2.db"_s.arg(name).arg(++m_counter));
            QFile::remove(path);
            return *DatabaseUrl::parse(u"sqlite:///"_s + path);
        }
        const TestServer server = TestServers::freshDatabase(TestServers::server(backend), name);
        if (!server.isValid())
            QTest::qFail(qPrintable(server.error), __FILE__, __LINE__);
        return server.url();
    }

    QString projectDir(const QString &name) { return m_tmp.filePath(u"%1_%2"_s.arg(name).arg(++m_counter)); }

    // The whole history through a connection of its own.
    static Expected<QList<HistoryEntry>> history(const Migrator &migrator)
    {
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open(migrator.url(), QString());
        if (!connection)
            return connection.error();
        return AuditHistory((*connection)->database(), migrator.dialect()).entries();
    }

    static QString checksumOf(const QString &path)
    {
        Expected<ScriptChecksum::Script> script = ScriptChecksum::readFile(path);
        return script ? script->checksum : u"<error: "_s + script.error().toString() + u'>';
    }
    static QString textOf(const QString &path)
    {
        Expected<ScriptChecksum::Script> script = ScriptChecksum::readFile(path);
        return script ? script->text : u"<error: "_s + script.error().toString() + u'>';
    }

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void upgradeDowngradeStamp_data() { addBackends(); }
    void upgradeDowngradeStamp()
    {
        QFETCH(QString, backend);
        const DatabaseUrl url = target(backend, u"auditobserver_walk"_s);
        if (QTest::currentTestFailed())
            return;
        QString error;
        const QString dir = projectDir(u"walk"_s);
        std::unique_ptr<Project> project =
            makeProject(dir, {{u"aaaa1111"_s, {}, {}}, {u"bbbb2222"_s, u"aaaa1111"_s, {}}}, false, &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), url, MigratorOptions::fromConfig(project->config()));
        AuditObserver observer;
        migrator.setObserver(&observer);

        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        const QList<QPair<Migrator::Request, int>> runs = {
            {request(Kind::Upgrade, {u"head"_s}), 2},
            {request(Kind::Downgrade, {u"-1"_s}), 1},
            {request(Kind::Stamp, {u"bbbb2222"_s}), 1},
            {request(Kind::Stamp, {u"base"_s}), 1},
        };
        for (const auto &[req, steps] : runs) {
            Expected<Migrator::Result> result = migrator.run(req);
            QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
            QCOMPARE(result->completedSteps, steps);
        }
        const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(1);
        QVERIFY2(observer.recordingErrors().isEmpty(), qPrintable(observer.recordingErrors().join(u'\n')));

        Expected<QList<HistoryEntry>> entries = history(migrator);
        QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
        QCOMPARE(shape(*entries), QStringList({
                                      u"base stamp success"_s,
                                      u"bbbb2222 stamp success"_s,
                                      u"bbbb2222 downgrade success"_s,
                                      u"bbbb2222 upgrade success"_s,
                                      u"aaaa1111 upgrade success"_s,
                                  }));
        const QString pathA = QDir(dir).filePath(u"versions/aaaa1111_rev.sql"_s);
        const QString pathB = QDir(dir).filePath(u"versions/bbbb2222_rev.sql"_s);
        QCOMPARE(entries->at(4).checksum, checksumOf(pathA));
        QCOMPARE(entries->at(4).scriptText, textOf(pathA));
        QVERIFY(entries->at(4).scriptText.startsWith(u"-- revision aaaa1111\n"_s));
        QCOMPARE(entries->at(3).checksum, checksumOf(pathB));
        QCOMPARE(entries->at(2).checksum, checksumOf(pathB));
        QCOMPARE(entries->at(2).scriptText, textOf(pathB));
        QCOMPARE(entries->at(3).checksum.size(), 64);
        for (int i : {0, 1}) {
            QCOMPARE(entries->at(i).checksum, QString());
            QCOMPARE(entries->at(i).scriptText, QString());
        }
        for (const HistoryEntry &entry : std::as_const(*entries)) {
            QCOMPARE(entry.errorText, QString());
            QCOMPARE(entry.osUser, AuditHistory::currentOsUser());
            QCOMPARE(entry.host, AuditHistory::currentHost());
            QVERIFY2(entry.startedAt >= before && entry.finishedAt <= after,
                     qPrintable(entry.startedAt.toString(Qt::ISODateWithMs)));
            QVERIFY(entry.finishedAt >= entry.startedAt);
            QCOMPARE(entry.durationMs, entry.startedAt.msecsTo(entry.finishedAt));
        }
        // The applied text `check` compares against: b was reverted, a is still applied.
        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(url, QString());
        QVERIFY(connection);
        const AuditHistory audit((*connection)->database(), migrator.dialect());
        auto appliedA = audit.latestApplied(u"aaaa1111"_s);
        QVERIFY(appliedA && appliedA->has_value());
        QCOMPARE((*appliedA)->checksum, checksumOf(pathA));
        auto appliedB = audit.latestApplied(u"bbbb2222"_s);
        QVERIFY(appliedB);
        QVERIFY(!appliedB->has_value());
    }

    // A failing statement in the third revision: its step leaves one failed row and no success row; the
    // earlier steps' rows are there exactly when their changes are (one run transaction on SQLite and
    // PostgreSQL rolls them back too; per-migration transactions and MariaDB keep them).
    void failedStep_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("perMigration");
        QTest::addColumn<QStringList>("expected");
        const QStringList rolledBack = {u"cccc3333 upgrade failed"_s};
        const QStringList kept = {u"cccc3333 upgrade failed"_s, u"bbbb2222 upgrade success"_s,
                                  u"aaaa1111 upgrade success"_s};
        QTest::newRow("sqlite") << u"sqlite"_s << false << rolledBack;
        QTest::newRow("sqlite per migration") << u"sqlite"_s << true << kept;
        QTest::newRow("postgresql") << u"postgresql"_s << false << rolledBack;
        QTest::newRow("postgresql per migration") << u"postgresql"_s << true << kept;
        QTest::newRow("mariadb") << u"mariadb"_s << false << kept;
    }
    void failedStep()
    {
        QFETCH(QString, backend);
        QFETCH(bool, perMigration);
        QFETCH(QStringList, expected);
        const DatabaseUrl url = target(backend, u"auditobserver_failed"_s);
        if (QTest::currentTestFailed())
            return;
        QString error;
        const QString dir = projectDir(u"failed"_s);
        std::unique_ptr<Project> project = makeProject(
            dir,
            {{u"aaaa1111"_s, {}, {}},
             {u"bbbb2222"_s, u"aaaa1111"_s, {}},
             {u"cccc3333"_s, u"bbbb2222"_s,
              u"CREATE TABLE t_cccc3333 (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n"_s}},
            perMigration, &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), url, MigratorOptions::fromConfig(project->config()));
        AuditObserver observer;
        migrator.setObserver(&observer);

        Expected<Migrator::Result> result = migrator.run(request(Kind::Upgrade, {u"head"_s}));
        QVERIFY(!result);
        const EngineError failure = result.error();
        QCOMPARE(failure.revision(), u"cccc3333"_s);
        QVERIFY2(observer.recordingErrors().isEmpty(), qPrintable(observer.recordingErrors().join(u'\n')));

        Expected<QList<HistoryEntry>> entries = history(migrator);
        QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
        QCOMPARE(shape(*entries), expected);
        const HistoryEntry &failed = entries->first();
        const QString path = QDir(dir).filePath(u"versions/cccc3333_rev.sql"_s);
        QCOMPARE(failed.errorText, failure.toString());
        QVERIFY2(failed.errorText.startsWith(path + u":9: upgrade bbbb2222 -> cccc3333 failed at line 9"_s),
                 qPrintable(failed.errorText));
        QVERIFY2(failed.errorText.contains(u"no_such_table"_s), qPrintable(failed.errorText));
        QCOMPARE(failed.checksum, checksumOf(path));
        QCOMPARE(failed.scriptText, textOf(path));
        QVERIFY(failed.finishedAt >= failed.startedAt);
        // Nothing counts as applied for a failed step.
        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(url, QString());
        QVERIFY(connection);
        auto applied =
            AuditHistory((*connection)->database(), migrator.dialect()).latestApplied(u"cccc3333"_s);
        QVERIFY(applied);
        QVERIFY(!applied->has_value());
    }

    void versionWriteAndAuditRowCommitTogether_data() { addBackends(); }
    // The step's version write and its audit row commit together, on MariaDB too, where the step's DDL has
    // already committed implicitly: when the audit row cannot be written, the version row does not move.
    void versionWriteAndAuditRowCommitTogether()
    {
        QFETCH(QString, backend);
        const DatabaseUrl url = target(backend, u"auditobserver_atomic"_s);
        if (QTest::currentTestFailed())
            return;
        QString error;
        std::unique_ptr<Project> project =
            makeProject(projectDir(u"atomic"_s),
                        {{u"aaaa1111"_s, {}, {}}, {u"bbbb2222"_s, u"aaaa1111"_s, {}}}, false, &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), url, MigratorOptions::fromConfig(project->config()));
        AuditObserver observer;
        migrator.setObserver(&observer);
        Expected<Migrator::Result> result = migrator.run(request(Kind::Upgrade, {u"aaaa1111"_s}));
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));

        // The database refuses bbbb2222's success row.
        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(url, QString());
        QVERIFY(connection);
        QSqlQuery query((*connection)->database());
        QStringList trigger;
        // On MariaDB the step's DDL commits as it goes, so its row is a journal row written first and
        // updated at the end: refused on update as on insert.
        if (backend == u"sqlite"_s) {
            for (const QString &event : {u"INSERT"_s, u"UPDATE"_s})
                trigger
                    << u"CREATE TRIGGER refuse_b_%1 BEFORE %1 ON qmigrate_history WHEN NEW.revision = "
                       u"'bbbb2222' AND NEW.outcome = 'success' BEGIN SELECT RAISE(ABORT, 'audit refused'); "
                       u"END"_s.arg(event);
        } else if (backend == u"postgresql"_s) {
            trigger
                << u"CREATE FUNCTION refuse_b() RETURNS trigger AS $$ BEGIN IF NEW.revision = 'bbbb2222' "
                   u"AND NEW.outcome = 'success' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; "
                   u"END $$ LANGUAGE plpgsql"_s
                << u"CREATE TRIGGER refuse_b BEFORE INSERT OR UPDATE ON qmigrate_history FOR EACH ROW "
                   u"EXECUTE FUNCTION refuse_b()"_s;
        } else {
            for (const QString &event : {u"INSERT"_s, u"UPDATE"_s})
                trigger
                    << u"CREATE TRIGGER refuse_b_%1 BEFORE %1 ON qmigrate_history FOR EACH ROW BEGIN IF "
                       u"NEW.revision = 'bbbb2222' AND NEW.outcome = 'success' THEN SIGNAL SQLSTATE '45000' "
                       u"SET MESSAGE_TEXT = 'audit refused'; END IF; END"_s.arg(event);
        }
        for (const QString &sql : std::as_const(trigger))
            QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));

        result = migrator.run(request(Kind::Upgrade, {u"head"_s}));
        QVERIFY(!result);
        QVERIFY2(result.error().message().contains(u"audit refused"_s), qPrintable(result.error().message()));
        QVERIFY2(result.error().message().contains(u"alembic_version still says aaaa1111"_s) ||
                     result.error().message().contains(u"alembic_version is at aaaa1111"_s),
                 qPrintable(result.error().message()));
        QCOMPARE(*migrator.currentRows(), QStringList{u"aaaa1111"_s});
        Expected<QList<HistoryEntry>> entries = history(migrator);
        QVERIFY(entries);
        QCOMPARE(shape(*entries), (QStringList{u"bbbb2222 upgrade failed"_s, u"aaaa1111 upgrade success"_s}));
    }

    // SQLite and PostgreSQL keep the success rows of a run's transaction back and write them together just
    // before it commits. A row that cannot be written then fails its own step, not the last one: the whole
    // transaction rolls back and the failure row names that step. A "-- migrate:no-transaction" statement
    // commits the rows of the steps before it with them, so those stay when a later step fails.
    void keptRowsCommitWithTheirSteps_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("noTransactionInLastStep");
        QTest::addColumn<QStringList>("expectedHistory");
        QTest::addColumn<QStringList>("expectedRows");
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s}) {
            QTest::addRow("%s, one transaction", qPrintable(backend))
                << backend << false << QStringList{u"bbbb2222 upgrade failed"_s} << QStringList{};
            QTest::addRow("%s, committed before a no-transaction statement", qPrintable(backend))
                << backend << true
                << QStringList{u"cccc3333 upgrade failed"_s, u"bbbb2222 upgrade success"_s,
                               u"aaaa1111 upgrade success"_s}
                << QStringList{u"bbbb2222"_s};
        }
    }
    void keptRowsCommitWithTheirSteps()
    {
        QFETCH(QString, backend);
        QFETCH(bool, noTransactionInLastStep);
        QFETCH(QStringList, expectedHistory);
        QFETCH(QStringList, expectedRows);
        const DatabaseUrl url = target(backend, u"auditobserver_kept"_s);
        if (QTest::currentTestFailed())
            return;
        QString error;
        const QString refused = noTransactionInLastStep ? u"cccc3333"_s : u"bbbb2222"_s;
        const QString last =
            noTransactionInLastStep
                ? u"CREATE TABLE t_cccc3333 (id INTEGER);\n  -- migrate:no-transaction\nVACUUM;\n"_s
                : QString();
        std::unique_ptr<Project> project = makeProject(projectDir(u"kept"_s),
                                                       {{u"aaaa1111"_s, {}, {}},
                                                        {u"bbbb2222"_s, u"aaaa1111"_s, {}},
                                                        {u"cccc3333"_s, u"bbbb2222"_s, last}},
                                                       false, &error);
        QVERIFY2(project, qPrintable(error));
        {
            // The table exists before the run, with a trigger that refuses one step's success row.
            Expected<std::shared_ptr<DatabaseConnection>> connection =
                DatabaseConnection::open(url, QString());
            QVERIFY(connection);
            const Dialect dialect = Dialect::forBackend(url.backend());
            QVERIFY(AuditHistory((*connection)->database(), dialect).ensureTable());
            QSqlQuery query((*connection)->database());
            // A step with a no-transaction statement has a journal row, which becomes success by an UPDATE.
            QStringList trigger;
            if (backend == u"sqlite"_s) {
                for (const QString &event : {u"INSERT"_s, u"UPDATE"_s})
                    trigger
                        << u"CREATE TRIGGER refuse_%1 BEFORE %1 ON qmigrate_history WHEN NEW.revision = "
                           u"'%2' AND NEW.outcome = 'success' BEGIN SELECT RAISE(ABORT, 'audit refused'); "
                           u"END"_s.arg(event, refused);
            } else {
                trigger << u"CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.revision = '%1' AND "
                           u"NEW.outcome = 'success' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN "
                           u"NEW; END $$ LANGUAGE plpgsql"_s.arg(refused)
                        << u"CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON qmigrate_history FOR EACH ROW "
                           u"EXECUTE FUNCTION refuse()"_s;
            }
            for (const QString &sql : std::as_const(trigger))
                QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
        }
        Migrator migrator(project->map(), url, MigratorOptions::fromConfig(project->config()));
        AuditObserver observer;
        migrator.setObserver(&observer);
        Expected<Migrator::Result> result = migrator.run(request(Kind::Upgrade, {u"head"_s}));
        QVERIFY(!result);
        QCOMPARE(result.error().revision(), refused);
        QVERIFY2(result.error().message().contains(u"audit refused"_s), qPrintable(result.error().message()));
        // The last case's CREATE TABLE committed before its VACUUM, and the message says so.
        QVERIFY2(result.error().message().contains(noTransactionInLastStep
                                                       ? u"Already committed before the failure"_s
                                                       : u"Rolled back; alembic_version is at"_s),
                 qPrintable(result.error().message()));
        QVERIFY2(observer.recordingErrors().isEmpty(), qPrintable(observer.recordingErrors().join(u'\n')));
        QCOMPARE(*migrator.currentRows(), expectedRows);
        Expected<QList<HistoryEntry>> entries = history(migrator);
        QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
        QCOMPARE(shape(*entries), expectedHistory);
    }

    void cancelledStep_data() { addBackends(); }
    void cancelledStep()
    {
        QFETCH(QString, backend);
        const DatabaseUrl url = target(backend, u"auditobserver_cancel"_s);
        if (QTest::currentTestFailed())
            return;
        QString error;
        std::unique_ptr<Project> project =
            makeProject(projectDir(u"cancel"_s), {{u"aaaa1111"_s, {}, {}}}, false, &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), url, MigratorOptions::fromConfig(project->config()));
        AuditObserver observer;
        migrator.setObserver(&observer);
        std::atomic_bool cancel = true;
        migrator.setCancelToken(&cancel);

        Expected<Migrator::Result> result = migrator.run(request(Kind::Upgrade, {u"head"_s}));
        QVERIFY(!result);
        Expected<QList<HistoryEntry>> entries = history(migrator);
        QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
        QCOMPARE(shape(*entries), QStringList{u"aaaa1111 upgrade cancelled"_s});
        QCOMPARE(entries->first().errorText, result.error().toString());
        QVERIFY(entries->first().errorText.contains(u"cancelled by the user (before this statement ran)"_s));
    }

    // Without an observer nothing is written and no table appears.
    void noObserverNoTable()
    {
        const DatabaseUrl url = target(u"sqlite"_s, u"auditobserver_none"_s);
        QString error;
        std::unique_ptr<Project> project =
            makeProject(projectDir(u"none"_s), {{u"aaaa1111"_s, {}, {}}}, false, &error);
        QVERIFY2(project, qPrintable(error));
        Migrator migrator(project->map(), url, MigratorOptions::fromConfig(project->config()));
        QVERIFY(migrator.run(request(Kind::Upgrade, {u"head"_s})));
        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(url, QString());
        QVERIFY(connection);
        auto exists = AuditHistory((*connection)->database(), migrator.dialect()).tableExists();
        QVERIFY(exists);
        QCOMPARE(*exists, false);
    }
};

QTEST_GUILESS_MAIN(TstAuditObserver)
#include "tst_auditobserver.moc"
