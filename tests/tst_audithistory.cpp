// SPDX-License-Identifier: MIT
#include "audit/audithistory.h"
#include "audit/historywriter.h"
#include "database/versiontable.h"
#include "scripts/scriptchecksum.h"
#include "testservers.h"

#include <QFile>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimeZone>

#include <atomic>
#include <memory>

#include <optional>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using qmigrate::AuditHistory;
using qmigrate::DatabaseUrl;
using qmigrate::Dialect;
using qmigrate::EngineError;
using qmigrate::Expected;
using qmigrate::HistoryEntry;
using qmigrate::HistoryFilter;
using qmigrate::HistoryWriter;
using qmigrate::Revision;
using qmigrate::ScriptChecksum;
using qmigrate::TestServer;
using qmigrate::TestServers;
using qmigrate::VersionChange;
using qmigrate::VersionTable;

namespace {

// QVERIFY2 evaluates its message even when the check passes: only read the error when there is one.
template<typename T> QByteArray why(const qmigrate::Expected<T> &result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

} // namespace

namespace {

// One connection per test function and backend: SQLite in a temporary file, the servers in a database of
// the test's own.
struct Connection
{
    QSqlDatabase db;
    std::optional<Dialect> dialect;

    Connection() = default;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    ~Connection()
    {
        if (db.isValid())
            TestServers::close(db);
    }

    AuditHistory history() const { return AuditHistory(db, *dialect); }
};

HistoryEntry entry(const QString &revision, HistoryEntry::Direction direction, HistoryEntry::Outcome outcome,
                   const QString &checksum = {})
{
    HistoryEntry e;
    e.revision = revision;
    e.direction = direction;
    e.outcome = outcome;
    e.checksum = checksum;
    e.startedAt = QDateTime::currentDateTimeUtc();
    e.finishedAt = e.startedAt;
    return e;
}

} // namespace

// qmigrate_history on SQLite, PostgreSQL and MariaDB: created idempotently, rows written with bound values
// inside the caller's transaction and read back whole, the applied row `check` compares against, and the
// changed-script report with its diff.
class TstAuditHistory : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static void addBackendRows()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    // Fails the test (never skips) when the backend cannot be reached.
    void open(const QString &backend, const QString &name, Connection &connection)
    {
        QVERIFY(m_dir.isValid());
        if (backend == "sqlite"_L1) {
            const QString path = m_dir.filePath(name + u".db"_s);
            QFile::remove(path);
            static int counter = 0;
            connection.db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst_audithistory_%1"_s.arg(++counter));
            connection.db.setDatabaseName(path);
            QVERIFY2(connection.db.open(), qPrintable(connection.db.lastError().text()));
            connection.dialect = Dialect::forBackend(DatabaseUrl::Backend::SQLite);
            return;
        }
        const TestServer server = TestServers::server(backend);
        QMIGRATE_REQUIRE_SERVER(server);
        const TestServer fresh = TestServers::freshDatabase(server, u"tst_audithistory_"_s + name);
        QMIGRATE_REQUIRE_SERVER(fresh);
        QString error;
        connection.db = TestServers::open(fresh, TestServers::Transport::Tcp, &error);
        QVERIFY2(connection.db.isOpen(), qPrintable(error));
        connection.dialect = Dialect::forBackend(fresh.url().backend());
        connection.dialect->setDatabaseName(fresh.database);
    }

    static void exec(const QSqlDatabase &db, const QString &sql)
    {
        QSqlQuery query(db);
        QVERIFY2(query.exec(sql), qPrintable(sql + u": "_s + query.lastError().text()));
    }

    static QString writeFile(const QString &path, const QByteArray &content)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
            return {};
        return path;
    }

private slots:
    // A service or container without USER still records who ran it: the account's own name.
    void osUserWithoutEnvironment()
    {
        const QByteArray user = qgetenv("USER"), logname = qgetenv("LOGNAME"), username = qgetenv("USERNAME");
        qunsetenv("USER");
        qunsetenv("LOGNAME");
        qunsetenv("USERNAME");
        const QString fromAccount = AuditHistory::currentOsUser();
        qputenv("USER", "someone-else");
        const QString fromEnvironment = AuditHistory::currentOsUser();
        qputenv("USER", user);
        qputenv("LOGNAME", logname);
        qputenv("USERNAME", username);
        QVERIFY(!fromAccount.isEmpty());
        const passwd *account = getpwuid(geteuid());
        QVERIFY(account);
        QCOMPARE(fromAccount, QString::fromLocal8Bit(account->pw_name));
        QCOMPARE(fromEnvironment, u"someone-else"_s);
    }

    // The timestamps written by hand are the text Qt's own formatting gives, whatever the time's zone.
    void timestampValueMatchesQtFormatting_data()
    {
        QTest::addColumn<QDateTime>("when");
        const QDateTime summer(QDate(2026, 7, 5), QTime(23, 59, 59, 999), Qt::UTC);
        QTest::newRow("utc") << summer;
        QTest::newRow("utc, zero milliseconds") << QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        QTest::newRow("leap day") << QDateTime(QDate(2024, 2, 29), QTime(12, 3, 4, 5), Qt::UTC);
        QTest::newRow("year 999") << QDateTime(QDate(999, 12, 31), QTime(1, 2, 3, 40), Qt::UTC);
        QTest::newRow("offset") << summer.toOffsetFromUtc(-(9 * 3600 + 30 * 60));
        QTest::newRow("local time") << summer.toLocalTime();
        QTest::newRow("now") << QDateTime::currentDateTimeUtc();
        QTest::newRow("year 12000") << QDateTime(QDate(12000, 3, 1), QTime(4, 5, 6, 7), Qt::UTC);
    }
    void timestampValueMatchesQtFormatting()
    {
        QFETCH(QDateTime, when);
        const QDateTime utc = when.toUTC();
        QCOMPARE(AuditHistory::timestampValue(when, DatabaseUrl::Backend::SQLite).toString(),
                 utc.toString(Qt::ISODateWithMs));
        QCOMPARE(AuditHistory::timestampValue(when, DatabaseUrl::Backend::PostgreSQL).toString(),
                 utc.toString(Qt::ISODateWithMs));
        QCOMPARE(AuditHistory::timestampValue(when, DatabaseUrl::Backend::MySQL).toString(),
                 utc.toString(u"yyyy-MM-dd hh:mm:ss.zzz"_s));
        QVERIFY(AuditHistory::timestampValue(QDateTime(), DatabaseUrl::Backend::SQLite).isNull());
    }

    void ensureTableIsIdempotent_data() { addBackendRows(); }

    void ensureTableIsIdempotent()
    {
        QFETCH(QString, backend);
        Connection c;
        open(backend, u"ensure"_s, c);
        if (QTest::currentTestFailed())
            return;
        const AuditHistory history = c.history();
        QCOMPARE(history.qualifiedTable(), u"qmigrate_history"_s);

        auto exists = history.tableExists();
        QVERIFY2(exists, why(exists).constData());
        QCOMPARE(*exists, false);
        for (int i = 0; i < 2; ++i) {
            const auto created = history.ensureTable();
            QVERIFY2(created, why(created).constData());
        }
        exists = history.tableExists();
        QVERIFY2(exists, why(exists).constData());
        QCOMPARE(*exists, true);

        const QString indexSql =
            backend == "sqlite"_L1
                ? u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_qmigrate_history_revision'"_s
            : backend == "postgresql"_L1
                ? u"SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'qmigrate_history' AND indexname = "
                  "'ix_qmigrate_history_revision'"_s
                : u"SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA "
                  u"= "
                  "DATABASE() AND TABLE_NAME = 'qmigrate_history' AND INDEX_NAME = 'ix_qmigrate_history_revision'"_s;
        QSqlQuery query(c.db);
        QVERIFY2(query.exec(indexSql) && query.next(), qPrintable(query.lastError().text()));
        QCOMPARE(query.value(0).toInt(), 1);
        query.finish();

        const auto rows = history.entries();
        QVERIFY2(rows, why(rows).constData());
        QVERIFY(rows->isEmpty());
    }

    // Two runs that both found no table: the one that creates it second waits on PostgreSQL's catalog,
    // then gets a unique violation once the first commits. It must go on, the table being there.
    void ensureTableRacingAnotherRunOnPostgresql()
    {
        const TestServer fresh =
            TestServers::freshDatabase(TestServers::postgresql(), u"tst_audithistory_race"_s);
        QMIGRATE_REQUIRE_SERVER(fresh);
        QString error;
        QSqlDatabase first = TestServers::open(fresh, TestServers::Transport::Tcp, &error);
        QVERIFY2(first.isOpen(), qPrintable(error));
        auto closeFirst = qScopeGuard([&] { TestServers::close(first); });
        Dialect dialect = Dialect::forBackend(DatabaseUrl::Backend::PostgreSQL);
        const AuditHistory firstHistory(first, dialect);
        QVERIFY(first.transaction());
        exec(first, firstHistory.createTableSql());

        Expected<void> secondResult;
        QString secondOpenError;
        std::atomic<int> secondBackend = 0;
        std::unique_ptr<QThread> second(QThread::create([&] {
            QSqlDatabase db = TestServers::open(fresh, TestServers::Transport::Tcp, &secondOpenError);
            if (!db.isOpen())
                return;
            {
                QSqlQuery pid(db);
                if (pid.exec(u"SELECT pg_backend_pid()"_s) && pid.next())
                    secondBackend = pid.value(0).toInt();
            }
            secondResult = AuditHistory(db, dialect).ensureTable();
            TestServers::close(db);
        }));
        second->start();
        // Commit only once the second run waits on the first's uncommitted catalog rows.
        bool waiting = false;
        for (int i = 0; i < 200 && !waiting && !second->isFinished(); ++i) {
            QTest::qWait(50);
            if (!secondBackend)
                continue;
            QSqlQuery locks(first);
            QVERIFY(
                locks.exec(u"SELECT COUNT(*) FROM pg_catalog.pg_locks WHERE NOT granted AND pid = %1"_s.arg(
                    secondBackend.load())));
            waiting = locks.next() && locks.value(0).toInt() > 0;
        }
        QVERIFY2(waiting, "the second run never waited on the first's CREATE TABLE");
        QVERIFY(first.commit());
        QVERIFY(second->wait(30000));
        QVERIFY2(secondOpenError.isEmpty(), qPrintable(secondOpenError));
        QVERIFY2(secondResult, why(secondResult).constData());
        const auto exists = firstHistory.tableExists();
        QVERIFY2(exists && *exists, why(exists).constData());
    }

    void createTableSql()
    {
        auto dialect = Dialect::forBackend(DatabaseUrl::Backend::SQLite);
        QCOMPARE(AuditHistory(QSqlDatabase(), dialect).createTableSql(),
                 u"CREATE TABLE IF NOT EXISTS qmigrate_history (\n"
                 "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                 "    revision VARCHAR(255) NOT NULL,\n"
                 "    direction VARCHAR(16) NOT NULL,\n"
                 "    checksum VARCHAR(64),\n"
                 "    script_text TEXT,\n"
                 "    started_at VARCHAR(32) NOT NULL,\n"
                 "    finished_at VARCHAR(32),\n"
                 "    duration_ms BIGINT,\n"
                 "    os_user VARCHAR(255),\n"
                 "    host VARCHAR(255),\n"
                 "    outcome VARCHAR(16) NOT NULL,\n"
                 "    error_text TEXT,\n"
                 "    qmigrate_version VARCHAR(32)\n"
                 ")"_s);
        dialect.setVersionTableSchema(u"audit"_s);
        QCOMPARE(
            AuditHistory(QSqlDatabase(), dialect).createIndexSql(),
            u"CREATE INDEX IF NOT EXISTS audit.ix_qmigrate_history_revision ON qmigrate_history (revision)"_s);
        auto pg = Dialect::forBackend(DatabaseUrl::Backend::PostgreSQL);
        pg.setVersionTableSchema(u"Audit"_s);
        QCOMPARE(
            AuditHistory(QSqlDatabase(), pg).createIndexSql(),
            u"CREATE INDEX IF NOT EXISTS ix_qmigrate_history_revision ON \"Audit\".qmigrate_history (revision)"_s);
    }

    void recordAndRead_data() { addBackendRows(); }

    void recordAndRead()
    {
        QFETCH(QString, backend);
        Connection c;
        open(backend, u"record"_s, c);
        if (QTest::currentTestFailed())
            return;
        const AuditHistory history = c.history();
        const auto created = history.ensureTable();
        QVERIFY2(created, why(created).constData());

        const QDateTime t0(QDate(2026, 1, 2), QTime(3, 4, 5, 678), QTimeZone::utc());
        HistoryEntry success = entry(u"1975ea83b712"_s, HistoryEntry::Direction::Upgrade,
                                     HistoryEntry::Outcome::Success, QString(64, u'a'));
        success.scriptText = u"-- migrate:up\nINSERT INTO t VALUES ('café ☕ 日本 😀');\n"_s;
        success.startedAt = t0;
        success.finishedAt = t0.addMSecs(1234);
        success.durationMs = 1234;
        success.osUser = u"jürgen"_s;
        success.host = u"build-host"_s;
        success.qmigrateVersion = u"9.8.7"_s;

        HistoryEntry failed = entry(u"ae1027a6acf"_s, HistoryEntry::Direction::Downgrade,
                                    HistoryEntry::Outcome::Failed, u"b"_s);
        // Given in another zone: stored and read back as the same instant in UTC.
        failed.startedAt = QDateTime(QDate(2026, 1, 2), QTime(5, 0, 0, 1), QTimeZone(7200));
        failed.finishedAt = failed.startedAt.addSecs(2);
        failed.durationMs = 2000;
        failed.errorText = u"relation \"t\" does not exist – ünïcode"_s;

        HistoryEntry cancelled =
            entry(u"27c6a30d7c24"_s, HistoryEntry::Direction::Stamp, HistoryEntry::Outcome::Cancelled);
        cancelled.startedAt = t0.addDays(1);
        cancelled.finishedAt = QDateTime(); // never finished: NULL

        qint64 lastId = 0;
        for (const HistoryEntry &e : {success, failed, cancelled}) {
            const auto id = history.record(e);
            QVERIFY2(id, why(id).constData());
            QVERIFY2(*id > lastId, qPrintable(QString::number(*id)));
            lastId = *id;
        }

        const auto rows = history.entries();
        QVERIFY2(rows, why(rows).constData());
        QCOMPARE(rows->size(), 3);
        const HistoryEntry &r0 = rows->at(0);
        const HistoryEntry &r1 = rows->at(1);
        const HistoryEntry &r2 = rows->at(2);
        QCOMPARE(r0.id, lastId);
        QVERIFY(r1.id < r0.id && r2.id < r1.id);

        QCOMPARE(r2.revision, success.revision);
        QCOMPARE(r2.direction, HistoryEntry::Direction::Upgrade);
        QCOMPARE(r2.outcome, HistoryEntry::Outcome::Success);
        QCOMPARE(r2.checksum, success.checksum);
        QCOMPARE(r2.scriptText, success.scriptText);
        QCOMPARE(r2.startedAt, t0);
        QCOMPARE(r2.startedAt.timeSpec(), Qt::UTC);
        QCOMPARE(r2.finishedAt, t0.addMSecs(1234));
        QCOMPARE(r2.durationMs, 1234);
        QCOMPARE(r2.osUser, u"jürgen"_s);
        QCOMPARE(r2.host, u"build-host"_s);
        QCOMPARE(r2.errorText, QString());
        QCOMPARE(r2.qmigrateVersion, u"9.8.7"_s);

        QCOMPARE(r1.revision, failed.revision);
        QCOMPARE(r1.direction, HistoryEntry::Direction::Downgrade);
        QCOMPARE(r1.outcome, HistoryEntry::Outcome::Failed);
        QCOMPARE(r1.startedAt, QDateTime(QDate(2026, 1, 2), QTime(3, 0, 0, 1), QTimeZone::utc()));
        QCOMPARE(r1.startedAt.timeSpec(), Qt::UTC);
        QCOMPARE(r1.finishedAt, r1.startedAt.addSecs(2));
        QCOMPARE(r1.errorText, failed.errorText);
        QCOMPARE(r1.scriptText, QString());
        // Filled in by record(): this process's user and host.
        QCOMPARE(r1.osUser, AuditHistory::currentOsUser());
        QCOMPARE(r1.host, AuditHistory::currentHost());
        QVERIFY(!r1.host.isEmpty());

        QCOMPARE(r0.revision, cancelled.revision);
        QCOMPARE(r0.direction, HistoryEntry::Direction::Stamp);
        QCOMPARE(r0.outcome, HistoryEntry::Outcome::Cancelled);
        QCOMPARE(r0.checksum, QString());
        QCOMPARE(r0.startedAt, t0.addDays(1));
        QVERIFY(!r0.finishedAt.isValid());

        auto filtered = history.entries(HistoryFilter{u"ae1027a6acf"_s, 0});
        QVERIFY2(filtered, why(filtered).constData());
        QCOMPARE(filtered->size(), 1);
        QCOMPARE(filtered->at(0).id, r1.id);
        filtered = history.entries(HistoryFilter{QString(), 2});
        QVERIFY2(filtered, why(filtered).constData());
        QCOMPARE(filtered->size(), 2);
        QCOMPARE(filtered->at(0).id, r0.id);
        QCOMPARE(filtered->at(1).id, r1.id);
        filtered = history.entries(HistoryFilter{u"ae1027a6"_s, 0}); // exact ids only, no prefixes
        QVERIFY2(filtered, why(filtered).constData());
        QCOMPARE(filtered->size(), 0);
    }

    // A history row recorded in the caller's transaction goes with it. On MariaDB a DDL statement in the
    // transaction commits it implicitly, row included: why failure rows are recorded after the rollback.
    void followsCallersTransaction_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<bool>("ddlInside");
        QTest::addColumn<int>("rowsAfterRollback");
        QTest::newRow("sqlite") << u"sqlite"_s << false << 0;
        QTest::newRow("sqlite, ddl") << u"sqlite"_s << true << 0;
        QTest::newRow("postgresql") << u"postgresql"_s << false << 0;
        QTest::newRow("postgresql, ddl") << u"postgresql"_s << true << 0;
        QTest::newRow("mariadb") << u"mariadb"_s << false << 0;
        QTest::newRow("mariadb, ddl commits implicitly") << u"mariadb"_s << true << 1;
    }

    void followsCallersTransaction()
    {
        QFETCH(QString, backend);
        QFETCH(bool, ddlInside);
        QFETCH(int, rowsAfterRollback);
        Connection c;
        open(backend, u"transaction"_s, c);
        if (QTest::currentTestFailed())
            return;
        const AuditHistory history = c.history();
        const auto created = history.ensureTable();
        QVERIFY2(created, why(created).constData());

        QVERIFY2(c.db.transaction(), qPrintable(c.db.lastError().text()));
        auto id =
            history.record(entry(u"aaa"_s, HistoryEntry::Direction::Upgrade, HistoryEntry::Outcome::Success));
        QVERIFY2(id, why(id).constData());
        if (ddlInside) {
            exec(c.db, u"CREATE TABLE probe (id INTEGER)"_s);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY2(c.db.rollback(), qPrintable(c.db.lastError().text()));
        auto rows = history.entries();
        QVERIFY2(rows, why(rows).constData());
        QCOMPARE(rows->size(), rowsAfterRollback);

        QVERIFY2(c.db.transaction(), qPrintable(c.db.lastError().text()));
        id =
            history.record(entry(u"bbb"_s, HistoryEntry::Direction::Upgrade, HistoryEntry::Outcome::Success));
        QVERIFY2(id, why(id).constData());
        QVERIFY2(c.db.commit(), qPrintable(c.db.lastError().text()));
        rows = history.entries();
        QVERIFY2(rows, why(rows).constData());
        QCOMPARE(rows->size(), rowsAfterRollback + 1);
        QCOMPARE(rows->at(0).revision, u"bbb"_s);
    }

    // Each step is "direction:outcome:checksum"; the result is the checksum of latestApplied("r1") or "none".
    void latestApplied_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QStringList>("steps");
        QTest::addColumn<QString>("expected");
        const QList<std::tuple<const char *, QStringList, QString>> cases = {
            {"no rows", {}, u"none"_s},
            {"upgrade", {u"upgrade:success:c1"_s}, u"c1"_s},
            {"upgrade, downgrade", {u"upgrade:success:c1"_s, u"downgrade:success:c1"_s}, u"none"_s},
            {"upgrade, downgrade, upgrade",
             {u"upgrade:success:c1"_s, u"downgrade:success:c1"_s, u"upgrade:success:c2"_s},
             u"c2"_s},
            {"failed upgrade only", {u"upgrade:failed:c1"_s}, u"none"_s},
            {"failed re-upgrade keeps the applied one",
             {u"upgrade:success:c1"_s, u"downgrade:success:c1"_s, u"upgrade:success:c2"_s,
              u"downgrade:failed:c2"_s, u"upgrade:cancelled:c3"_s},
             u"c2"_s},
            {"failed downgrade", {u"upgrade:success:c1"_s, u"downgrade:failed:c1"_s}, u"c1"_s},
            {"stamps are ignored", {u"upgrade:success:c1"_s, u"stamp:success:"_s}, u"c1"_s},
            {"stamp alone", {u"stamp:success:"_s}, u"none"_s},
            {"other revisions do not count",
             {u"upgrade:success:c1"_s, u"other:downgrade:success:c9"_s},
             u"c1"_s},
        };
        for (const char *backend : {"sqlite", "postgresql", "mariadb"}) {
            for (const auto &[name, steps, expected] : cases)
                QTest::addRow("%s: %s", backend, name) << QString::fromLatin1(backend) << steps << expected;
        }
    }

    void latestApplied()
    {
        QFETCH(QString, backend);
        QFETCH(QStringList, steps);
        QFETCH(QString, expected);
        Connection c;
        open(backend, u"latest"_s, c);
        if (QTest::currentTestFailed())
            return;
        const AuditHistory history = c.history();
        const auto created = history.ensureTable();
        QVERIFY2(created, why(created).constData());
        for (const QString &step : std::as_const(steps)) {
            QStringList parts = step.split(u':');
            const QString revision = parts.size() == 4 ? parts.takeFirst() : u"r1"_s;
            const auto direction = HistoryEntry::directionFromName(parts.at(0));
            const auto outcome = HistoryEntry::outcomeFromName(parts.at(1));
            QVERIFY(direction && outcome);
            const auto id = history.record(entry(revision, *direction, *outcome, parts.at(2)));
            QVERIFY2(id, why(id).constData());
        }
        const auto latest = history.latestApplied(u"r1"_s);
        QVERIFY2(latest, why(latest).constData());
        QCOMPARE(latest->has_value() ? (*latest)->checksum : u"none"_s, expected);
        if (latest->has_value()) {
            QCOMPARE((*latest)->direction, HistoryEntry::Direction::Upgrade);
            QCOMPARE((*latest)->outcome, HistoryEntry::Outcome::Success);
        }
    }

    void changedScripts_data() { addBackendRows(); }

    void changedScripts()
    {
        QFETCH(QString, backend);
        Connection c;
        open(backend, u"changed"_s, c);
        if (QTest::currentTestFailed())
            return;
        const AuditHistory history = c.history();
        const auto created = history.ensureTable();
        QVERIFY2(created, why(created).constData());

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray original =
            "-- revision: %1\n-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\n"
            "DROP TABLE t;\n";
        QList<Revision> revisions;
        for (const QString &id : {u"edited"_s, u"crlf"_s, u"untouched"_s, u"notapplied"_s, u"nohistory"_s}) {
            Revision r;
            r.id = id;
            r.path = writeFile(dir.filePath(id + u".sql"_s), QByteArray(original).replace("%1", id.toUtf8()));
            QVERIFY(!r.path.isEmpty());
            revisions.append(r);
            if (id == "nohistory"_L1)
                continue;
            const auto script = ScriptChecksum::readFile(r.path);
            QVERIFY2(script, why(script).constData());
            HistoryEntry e =
                entry(id, HistoryEntry::Direction::Upgrade, HistoryEntry::Outcome::Success, script->checksum);
            e.scriptText = script->text;
            const auto recorded = history.record(e);
            QVERIFY2(recorded, why(recorded).constData());
        }
        const QString appliedChecksum =
            ScriptChecksum::checksum(QString::fromUtf8(original).arg(u"edited"_s));

        // After they ran: one real edit, one rewritten with CRLF, BOM and trailing blanks, and an edit of a
        // file that is not applied.
        QVERIFY(!writeFile(revisions[0].path,
                           "-- revision: edited\n-- migrate:up\nCREATE TABLE t (id BIGINT);\n"
                           "CREATE INDEX ix ON t (id);\n\n-- migrate:down\nDROP TABLE t;\n")
                     .isEmpty());
        QVERIFY(!writeFile(revisions[1].path,
                           "\xef\xbb\xbf-- revision: crlf\r\n-- migrate:up  \r\nCREATE TABLE t "
                           "(id INT);\r\n\r\n-- migrate:down\r\nDROP TABLE t;\r\n\r\n")
                     .isEmpty());
        QVERIFY(!writeFile(revisions[3].path, "changed").isEmpty());
        // A downgrade failure of "untouched" is not a change of what is applied.
        QVERIFY(history.record(entry(u"untouched"_s, HistoryEntry::Direction::Downgrade,
                                     HistoryEntry::Outcome::Failed, u"x"_s)));

        const QStringList applied = {u"edited"_s, u"crlf"_s, u"untouched"_s, u"nohistory"_s};
        const auto changed = history.changedScripts(revisions, applied);
        QVERIFY2(changed, why(changed).constData());
        QCOMPARE(changed->size(), 1);
        const auto &report = changed->at(0);
        QCOMPARE(report.revision, u"edited"_s);
        QCOMPARE(report.path, revisions[0].path);
        QCOMPARE(report.appliedChecksum, appliedChecksum);
        QCOMPARE(report.currentChecksum, ScriptChecksum::readFile(revisions[0].path)->checksum);
        QVERIFY(report.appliedAt.isValid());
        QCOMPARE(report.diff, u"--- a/edited.sql\n"
                              "+++ b/edited.sql\n"
                              "@@ -1,6 +1,7 @@\n"
                              " -- revision: edited\n"
                              " -- migrate:up\n"
                              "-CREATE TABLE t (id INT);\n"
                              "+CREATE TABLE t (id BIGINT);\n"
                              "+CREATE INDEX ix ON t (id);\n"
                              " \n"
                              " -- migrate:down\n"
                              " DROP TABLE t;\n"_s);

        // A file that disappeared is an error naming it and the revision.
        QVERIFY(QFile::remove(revisions[2].path));
        const auto missing = history.changedScripts(revisions, applied);
        QVERIFY(!missing);
        QCOMPARE(missing.error().file(), revisions[2].path);
        QCOMPARE(missing.error().revision(), u"untouched"_s);
    }

    // Without the table every reader and writer fails with a database error naming the table.
    void errorsNameTheTable_data() { addBackendRows(); }

    void errorsNameTheTable()
    {
        QFETCH(QString, backend);
        Connection c;
        open(backend, u"errors"_s, c);
        if (QTest::currentTestFailed())
            return;
        const AuditHistory history = c.history();
        const auto rows = history.entries();
        QVERIFY(!rows);
        QCOMPARE(rows.error().kind(), EngineError::Kind::Database);
        QVERIFY2(
            rows.error().message().startsWith(u"Cannot read the audit history table qmigrate_history: "_s),
            qPrintable(rows.error().message()));
        const auto latest = history.latestApplied(u"r1"_s);
        QVERIFY(!latest);
        QVERIFY2(
            latest.error().message().startsWith(u"Cannot read the audit history table qmigrate_history: "_s),
            qPrintable(latest.error().message()));
        const auto id =
            history.record(entry(u"r1"_s, HistoryEntry::Direction::Upgrade, HistoryEntry::Outcome::Success));
        QVERIFY(!id);
        QCOMPARE(id.error().kind(), EngineError::Kind::Database);
        QVERIFY2(
            id.error().message().startsWith(u"Cannot write to the audit history table qmigrate_history: "_s),
            qPrintable(id.error().message()));
        // The server's message follows the table name.
        QVERIFY2(id.error().message().size() >
                     u"Cannot write to the audit history table qmigrate_history: "_s.size(),
                 qPrintable(id.error().message()));
    }

    // The table lives in the version table's schema (an attached database on SQLite).
    void versionTableSchema_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    void versionTableSchema()
    {
        QFETCH(QString, backend);
        Connection c;
        open(backend, u"schema"_s, c);
        if (QTest::currentTestFailed())
            return;
        QString schema = u"audit"_s;
        if (backend == "sqlite"_L1) {
            const QString other = m_dir.filePath(u"schema-other.db"_s);
            QFile::remove(other);
            QSqlQuery attach(c.db);
            QVERIFY(attach.prepare(u"ATTACH DATABASE ? AS audit"_s));
            attach.addBindValue(other);
            QVERIFY2(attach.exec(), qPrintable(attach.lastError().text()));
        } else if (backend == "postgresql"_L1) {
            exec(c.db, u"CREATE SCHEMA audit"_s);
        } else {
            // MySQL's schemas are databases: a second one of the test's own, named "audit" in the queries.
            const TestServer other =
                TestServers::freshDatabase(TestServers::mariadb(), u"tst_audithistory_audit"_s);
            QMIGRATE_REQUIRE_SERVER(other);
            schema = other.database;
        }
        c.dialect->setVersionTableSchema(schema);
        const AuditHistory history = c.history();
        QCOMPARE(history.qualifiedTable(), schema + u".qmigrate_history"_s);
        const auto created = history.ensureTable();
        QVERIFY2(created, why(created).constData());
        const auto exists = history.tableExists();
        QVERIFY2(exists && *exists, "the table is missing in the schema");
        QVERIFY(
            history.record(entry(u"r1"_s, HistoryEntry::Direction::Upgrade, HistoryEntry::Outcome::Success)));
        QSqlQuery query(c.db);
        QVERIFY2(query.exec(u"SELECT revision FROM %1.qmigrate_history"_s.arg(schema)) && query.next(),
                 qPrintable(query.lastError().text()));
        QCOMPARE(query.value(0).toString(), u"r1"_s);
        query.finish();
        // Not in the default schema.
        auto plain = Dialect::forBackend(c.dialect->backend());
        const auto inDefault = AuditHistory(c.db, plain).tableExists();
        QVERIFY2(inDefault, why(inDefault).constData());
        QCOMPARE(*inDefault, false);
    }
    // The run's writer: rows written by the prepared INSERT and by the statement with literals read back
    // exactly, whatever quotes, backslashes and placeholders-looking text they hold; the account, host and
    // version are the run's when the entry leaves them empty.
    void writerRoundTrips_data() { addBackendRows(); }

    void writerRoundTrips()
    {
        QFETCH(QString, backend);
        Connection c;
        open(backend, u"writer"_s, c);
        if (QTest::currentTestFailed())
            return;
        const auto created = c.history().ensureTable();
        QVERIFY2(created, why(created).constData());

        HistoryWriter writer(c.db, *c.dialect);
        // On SQLite the rows written together take SQLite's own API, found in the library Qt's driver loaded.
        QCOMPARE(HistoryWriter::writesThroughSqliteApi(c.db), backend == "sqlite"_L1);
        QCOMPARE(writer.osUser(), AuditHistory::currentOsUser());
        QCOMPARE(writer.host(), AuditHistory::currentHost());
        const QString hostile = u"it's ''quoted'' \\ back\\'slash\\\\ $$ $1 ? :name E'x' \"q\" ; -- not a "
                                u"comment\n\ttab café 日本 😀"_s;
        QList<HistoryEntry> written;
        QList<HistoryEntry> together;
        for (int i = 0; i < 8; ++i) {
            HistoryEntry e = entry(u"rev%1"_s.arg(i), HistoryEntry::Direction::Upgrade,
                                   HistoryEntry::Outcome::Success, QString(64, QChar(u'a' + i)));
            e.scriptText = hostile + QString::number(i);
            // PostgreSQL refuses a NUL in text; elsewhere it must not end SQLite's literal statement early.
            if (i == 6 && backend != "postgresql"_L1)
                e.scriptText += QChar(0) + u"after the NUL"_s;
            e.errorText = i % 2 ? hostile : QString();
            // Text that an array literal (PostgreSQL's rows written together) would read otherwise if it
            // were not quoted: the word NULL, braces, commas, blanks at either end.
            if (i == 5)
                e.scriptText = u"NULL"_s;
            if (i == 7)
                e.errorText = u" {NULL,\"\"}, {} "_s;
            e.startedAt = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, 8 + i), QTimeZone::utc());
            e.finishedAt = e.startedAt.addMSecs(250);
            e.durationMs = 250;
            written.append(e);
            if (i < 2) {
                const auto inserted = writer.insert(e);
                QVERIFY2(inserted, why(inserted).constData());
            } else if (i < 4) {
                exec(c.db, writer.insertStatement(e));
                if (QTest::currentTestFailed())
                    return;
            } else {
                together.append(e);
            }
        }
        qsizetype failedAt = -1;
        // Inside a transaction, as the run writes them (on PostgreSQL outside one they go row by row).
        QVERIFY2(c.db.transaction(), qPrintable(c.db.lastError().text()));
        const auto insertedAll = writer.insertAll(together, &failedAt);
        QVERIFY2(insertedAll, why(insertedAll).constData());
        QCOMPARE(failedAt, -1);
        QVERIFY2(c.db.commit(), qPrintable(c.db.lastError().text()));
        const auto rows = c.history().entries();
        QVERIFY2(rows, why(rows).constData());
        QCOMPARE(rows->size(), written.size());
        for (qsizetype i = 0; i < written.size(); ++i) {
            const HistoryEntry &back = rows->at(written.size() - 1 - i);
            const HistoryEntry &sent = written.at(i);
            QCOMPARE(back.revision, sent.revision);
            QCOMPARE(back.checksum, sent.checksum);
            QCOMPARE(back.scriptText, sent.scriptText);
            QCOMPARE(back.errorText, sent.errorText);
            QCOMPARE(back.startedAt, sent.startedAt);
            QCOMPARE(back.finishedAt, sent.finishedAt);
            QCOMPARE(back.durationMs, sent.durationMs);
            QCOMPARE(back.outcome, HistoryEntry::Outcome::Success);
            QCOMPARE(back.osUser, writer.osUser());
            QCOMPARE(back.host, writer.host());
        }
        if (backend == "postgresql"_L1) {
            // Prepared once for the run, never deallocated and prepared again per row.
            QSqlQuery prepared(c.db);
            QVERIFY2(prepared.exec(u"SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE "
                                   u"'%qmigrate_history%'"_s) &&
                         prepared.next(),
                     qPrintable(prepared.lastError().text()));
            QCOMPARE(prepared.value(0).toInt(), 1);
        }
    }

    // Rows written together: a row the database refuses is named by its position.
    void writerInsertAllNamesTheRefusedRow_data() { addBackendRows(); }
    void writerInsertAllNamesTheRefusedRow()
    {
        QFETCH(QString, backend);
        Connection c;
        open(backend, u"writerall"_s, c);
        if (QTest::currentTestFailed())
            return;
        const auto created = c.history().ensureTable();
        QVERIFY2(created, why(created).constData());
        // A revision id longer than the column allows (VARCHAR(32) on the servers) or, on SQLite, which does
        // not check lengths, refused by a CHECK-like trigger.
        if (backend == "sqlite"_L1)
            exec(c.db, u"CREATE TRIGGER refuse BEFORE INSERT ON qmigrate_history WHEN NEW.revision = 'r150' "
                       u"BEGIN SELECT RAISE(ABORT, 'refused'); END"_s);
        else if (backend == "postgresql"_L1)
            exec(c.db, u"ALTER TABLE qmigrate_history ADD CONSTRAINT refuse CHECK (revision <> 'r150')"_s);
        else
            exec(c.db, u"CREATE TRIGGER refuse BEFORE INSERT ON qmigrate_history FOR EACH ROW BEGIN IF "
                       u"NEW.revision = 'r150' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; "
                       u"END IF; END"_s);
        if (QTest::currentTestFailed())
            return;
        QList<HistoryEntry> rows;
        for (int i = 0; i < 250; ++i)
            rows.append(entry(u"r%1"_s.arg(i), HistoryEntry::Direction::Upgrade,
                              HistoryEntry::Outcome::Success, u"c%1"_s.arg(i)));
        HistoryWriter writer(c.db, *c.dialect);
        qsizetype failedAt = -1;
        const auto written = writer.insertAll(rows, &failedAt);
        QVERIFY(!written);
        QCOMPARE(failedAt, 150);
        QVERIFY2(written.error().message().contains(u"qmigrate_history"_s),
                 qPrintable(written.error().message()));
        // The rows before it are in; nothing after it was tried.
        const auto back = c.history().entries();
        QVERIFY2(back, why(back).constData());
        QCOMPARE(back->size(), 150);
        QCOMPARE(back->first().revision, u"r149"_s);
    }

    // PostgreSQL: the audit row rides in the version write's statement; when the write finds no row to
    // update, the step fails and the rollback takes the audit row with it; when it succeeds, both are there.
    void auditRowAlongWithVersionWrite()
    {
        Connection c;
        open(u"postgresql"_s, u"along"_s, c);
        if (QTest::currentTestFailed())
            return;
        const auto created = c.history().ensureTable();
        QVERIFY2(created, why(created).constData());
        const VersionTable table(c.db, *c.dialect);
        const auto made = table.createIfMissing();
        QVERIFY2(made, why(made).constData());
        const HistoryWriter writer(c.db, *c.dialect);

        QVERIFY2(c.db.transaction(), qPrintable(c.db.lastError().text()));
        auto written = table.apply(VersionChange::insert(u"a1"_s),
                                   writer.insertStatement(entry(u"a1"_s, HistoryEntry::Direction::Upgrade,
                                                                HistoryEntry::Outcome::Success)));
        QVERIFY2(written, why(written).constData());
        QVERIFY2(c.db.commit(), qPrintable(c.db.lastError().text()));

        QVERIFY2(c.db.transaction(), qPrintable(c.db.lastError().text()));
        written = table.apply(VersionChange::update(u"zz"_s, u"b2"_s),
                              writer.insertStatement(entry(u"b2"_s, HistoryEntry::Direction::Upgrade,
                                                           HistoryEntry::Outcome::Success)));
        QVERIFY(!written);
        QVERIFY2(written.error().message().contains(u"expected to match one row"_s),
                 qPrintable(written.error().message()));
        QVERIFY2(c.db.rollback(), qPrintable(c.db.lastError().text()));

        const auto rows = c.history().entries();
        QVERIFY2(rows, why(rows).constData());
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->at(0).revision, u"a1"_s);
        const auto versions = table.readRows();
        QVERIFY2(versions, why(versions).constData());
        QCOMPARE(*versions, QStringList{u"a1"_s});
    }
};

QTEST_GUILESS_MAIN(TstAuditHistory)
#include "tst_audithistory.moc"
