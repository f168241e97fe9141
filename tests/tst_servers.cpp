// SPDX-License-Identifier: MIT
#include "testservers.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using qmigrate::TestServer;
using qmigrate::TestServers;

Q_DECLARE_METATYPE(qmigrate::TestServers::Transport)

// The fixtures' servers and the facts about them that the engine relies on: both Qt drivers reach them with
// the test user's password, PostgreSQL rolls DDL back while MariaDB commits it implicitly (taking earlier
// statements of the transaction with it), and an advisory lock excludes a second connection and dies with
// the connection that holds it.
class TstServers : public QObject
{
    Q_OBJECT

private:
    // The first column of the first row, or nullopt with *error set to the statement and the server's
    // message.
    static std::optional<QVariant> scalar(const QSqlDatabase &db, const QString &sql, QString *error)
    {
        QSqlQuery query(db);
        if (!query.exec(sql)) {
            *error = u"%1: %2"_s.arg(sql, query.lastError().text());
            return std::nullopt;
        }
        if (!query.next()) {
            *error = u"%1: no row"_s.arg(sql);
            return std::nullopt;
        }
        return query.value(0);
    }

    static bool exec(const QSqlDatabase &db, const QString &sql, QString *error)
    {
        QSqlQuery query(db);
        if (!query.exec(sql)) {
            *error = u"%1: %2"_s.arg(sql, query.lastError().text());
            return false;
        }
        return true;
    }

    // Schema of the current connection: PostgreSQL's current_schema(), MySQL's current database.
    static QString tableExistsSql(const QString &table)
    {
        return u"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '%1' AND table_schema = "
               "(SELECT %2)"_s.arg(table);
    }

    static void addServerRows()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

private slots:
    void connect_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<TestServers::Transport>("transport");
        QTest::addColumn<QString>("versionPattern");
        QTest::addColumn<int>("minimumMajor");
        QTest::addColumn<QString>("whoAmISql");
        QTest::addColumn<QString>("expectedWho");

        // inet_server_addr() is NULL over a Unix socket; MariaDB's CURRENT_USER() names the account's host,
        // which differs between the 127.0.0.1 (TCP) and localhost (socket) accounts.
        const QString pgWho = u"SELECT current_user || '@' || COALESCE(host(inet_server_addr()), 'socket')"_s;
        const QString pgVersion = u"^PostgreSQL (\\d+)\\.\\d+ "_s;
        const QString mariaVersion = u"^(\\d+)\\.\\d+\\.\\d+-MariaDB"_s;
        QTest::newRow("postgresql tcp") << u"postgresql"_s << TestServers::Transport::Tcp << pgVersion << 13
                                        << pgWho << u"qmigrate_test@127.0.0.1"_s;
        QTest::newRow("postgresql socket") << u"postgresql"_s << TestServers::Transport::Socket << pgVersion
                                           << 13 << pgWho << u"qmigrate_test@socket"_s;
        QTest::newRow("mariadb tcp") << u"mariadb"_s << TestServers::Transport::Tcp << mariaVersion << 10
                                     << u"SELECT CURRENT_USER()"_s << u"qmigrate_test@127.0.0.1"_s;
        QTest::newRow("mariadb socket") << u"mariadb"_s << TestServers::Transport::Socket << mariaVersion
                                        << 10 << u"SELECT CURRENT_USER()"_s << u"qmigrate_test@localhost"_s;
    }

    void connect()
    {
        QFETCH(QString, server);
        QFETCH(TestServers::Transport, transport);
        QFETCH(QString, versionPattern);
        QFETCH(int, minimumMajor);
        QFETCH(QString, whoAmISql);
        QFETCH(QString, expectedWho);

        const TestServer params = TestServers::server(server);
        QMIGRATE_REQUIRE_SERVER(params);
        QCOMPARE(params.host, u"127.0.0.1"_s);
        QVERIFY(params.port > 0);
        QVERIFY(!params.password.isEmpty());
        QCOMPARE(params.url().qtDriverName(), params.driver);
        QCOMPARE(params.url().port(), params.port);

        QString error;
        QSqlDatabase db = TestServers::open(params, transport, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        QCOMPARE(db.driverName(), server == "postgresql"_L1 ? u"QPSQL"_s : u"QMYSQL"_s);

        const auto version = scalar(db, u"SELECT version()"_s, &error);
        QVERIFY2(version, qPrintable(error));
        const auto match = QRegularExpression(versionPattern).match(version->toString());
        QVERIFY2(match.hasMatch(), qPrintable(version->toString()));
        QVERIFY2(match.captured(1).toInt() >= minimumMajor, qPrintable(version->toString()));
        qInfo("%s: %s", qPrintable(server), qPrintable(version->toString()));

        const auto who = scalar(db, whoAmISql, &error);
        QVERIFY2(who, qPrintable(error));
        QCOMPARE(who->toString(), expectedWho);
        TestServers::close(db);
        QVERIFY(!db.isValid());
    }

    // The password is checked over TCP: a wrong one is refused, so the right one really went through.
    void wrongPasswordRefused_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("expectedMessage");
        QTest::newRow("postgresql") << u"postgresql"_s
                                    << u"password authentication failed for user \"qmigrate_test\""_s;
        QTest::newRow("mariadb") << u"mariadb"_s << u"Access denied for user 'qmigrate_test'@'127.0.0.1'"_s;
    }

    void wrongPasswordRefused()
    {
        QFETCH(QString, server);
        QFETCH(QString, expectedMessage);

        TestServer params = TestServers::server(server);
        QMIGRATE_REQUIRE_SERVER(params);
        params.password = u"not-the-password"_s;
        QString error;
        QSqlDatabase db = TestServers::open(params, TestServers::Transport::Tcp, &error);
        QVERIFY(!db.isValid());
        QVERIFY2(error.contains(expectedMessage), qPrintable(error));
        QVERIFY2(error.contains(u"127.0.0.1:%1"_s.arg(params.port)), qPrintable(error));
        QVERIFY2(error.contains(params.driver), qPrintable(error));
    }

    // PostgreSQL rolls back DDL with the rest of the transaction. MariaDB commits implicitly before (and
    // after) DDL: the CREATE TABLE survives the rollback and so does the INSERT that came before it. The
    // migrator's "which statements were already committed" report relies on exactly this.
    void ddlInTransaction_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<qlonglong>("keptRows");
        QTest::addColumn<qlonglong>("probeTables");
        QTest::newRow("postgresql: all rolled back") << u"postgresql"_s << 0LL << 0LL;
        QTest::newRow("mariadb: implicit commit") << u"mariadb"_s << 1LL << 1LL;
    }

    void ddlInTransaction()
    {
        QFETCH(QString, server);
        QFETCH(qlonglong, keptRows);
        QFETCH(qlonglong, probeTables);

        const TestServer params = TestServers::server(server);
        QMIGRATE_REQUIRE_SERVER(params);
        QString error;
        QSqlDatabase db = TestServers::open(params, TestServers::Transport::Tcp, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        const QString schemaFunction = server == "postgresql"_L1 ? u"current_schema()"_s : u"DATABASE()"_s;

        for (const auto &sql :
             {u"DROP TABLE IF EXISTS tst_servers_probe"_s, u"DROP TABLE IF EXISTS tst_servers_kept"_s,
              u"CREATE TABLE tst_servers_kept (id INTEGER NOT NULL)"_s})
            QVERIFY2(exec(db, sql, &error), qPrintable(error));

        QVERIFY(db.transaction());
        QVERIFY2(exec(db, u"INSERT INTO tst_servers_kept (id) VALUES (1)"_s, &error), qPrintable(error));
        QVERIFY2(exec(db, u"CREATE TABLE tst_servers_probe (id INTEGER NOT NULL)"_s, &error),
                 qPrintable(error));
        QVERIFY2(db.rollback(), qPrintable(db.lastError().text()));

        auto count = scalar(db, u"SELECT COUNT(*) FROM tst_servers_kept"_s, &error);
        QVERIFY2(count, qPrintable(error));
        QCOMPARE(count->toLongLong(), keptRows);
        count = scalar(db, tableExistsSql(u"tst_servers_probe"_s).arg(schemaFunction), &error);
        QVERIFY2(count, qPrintable(error));
        QCOMPARE(count->toLongLong(), probeTables);

        for (const auto &sql :
             {u"DROP TABLE IF EXISTS tst_servers_probe"_s, u"DROP TABLE tst_servers_kept"_s})
            QVERIFY2(exec(db, sql, &error), qPrintable(error));
        TestServers::close(db);
    }

    // One connection takes the lock; a second one cannot, and sees who holds it; once the holder's
    // connection closes, the server releases the lock by itself.
    void advisoryLock_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("tryLockSql");
        QTest::addColumn<QString>("holderSql");
        QTest::addColumn<QString>("selfSql");
        QTest::addColumn<QString>("unlockSql");

        QTest::newRow("postgresql")
            << u"postgresql"_s << u"SELECT pg_try_advisory_lock(727001)"_s
            << u"SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 "
               "AND objid = 727001 AND objsubid = 1 AND granted"_s
            << u"SELECT pg_backend_pid()"_s << u"SELECT pg_advisory_unlock(727001)"_s;
        QTest::newRow("mariadb") << u"mariadb"_s << u"SELECT GET_LOCK('tst_servers_lock', 0)"_s
                                 << u"SELECT IS_USED_LOCK('tst_servers_lock')"_s
                                 << u"SELECT CONNECTION_ID()"_s
                                 << u"SELECT RELEASE_LOCK('tst_servers_lock')"_s;
    }

    void advisoryLock()
    {
        QFETCH(QString, server);
        QFETCH(QString, tryLockSql);
        QFETCH(QString, holderSql);
        QFETCH(QString, selfSql);
        QFETCH(QString, unlockSql);

        const TestServer params = TestServers::server(server);
        QMIGRATE_REQUIRE_SERVER(params);
        QString error;
        QSqlDatabase holder = TestServers::open(params, TestServers::Transport::Tcp, &error);
        QVERIFY2(holder.isOpen(), qPrintable(error));
        QSqlDatabase waiter = TestServers::open(params, TestServers::Transport::Tcp, &error);
        QVERIFY2(waiter.isOpen(), qPrintable(error));
        QVERIFY(holder.connectionName() != waiter.connectionName());

        auto result = scalar(holder, tryLockSql, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->toInt(), 1);
        const auto holderId = scalar(holder, selfSql, &error);
        QVERIFY2(holderId, qPrintable(error));

        result = scalar(waiter, tryLockSql, &error);
        QVERIFY2(result, qPrintable(error));
        QVERIFY(!result->isNull());
        QCOMPARE(result->toInt(), 0);
        result = scalar(waiter, holderSql, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->toLongLong(), holderId->toLongLong());

        // The server notices the closed socket asynchronously: poll rather than expect it at once.
        TestServers::close(holder);
        QTRY_VERIFY_WITH_TIMEOUT(scalar(waiter, tryLockSql, &error).value_or(QVariant(0)).toInt() == 1,
                                 10000);
        result = scalar(waiter, unlockSql, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->toInt(), 1);
        TestServers::close(waiter);
    }

    // Each call gives an empty database, even while a connection to the previous one is still open.
    void freshDatabase_data() { addServerRows(); }

    void freshDatabase()
    {
        QFETCH(QString, server);
        const TestServer params = TestServers::server(server);
        QMIGRATE_REQUIRE_SERVER(params);
        const QString tableCount =
            tableExistsSql(u"tst_servers_marker"_s)
                .arg(server == "postgresql"_L1 ? u"current_schema()"_s : u"DATABASE()"_s);

        const TestServer first = TestServers::freshDatabase(params, u"tst_servers_fresh"_s);
        QVERIFY2(first.isValid(), qPrintable(first.error));
        QCOMPARE(first.database, u"tst_servers_fresh"_s);
        QCOMPARE(params.database, u"qmigrate_test"_s);
        QString error;
        QSqlDatabase db = TestServers::open(first, TestServers::Transport::Tcp, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        QVERIFY2(exec(db, u"CREATE TABLE tst_servers_marker (id INTEGER)"_s, &error), qPrintable(error));
        auto count = scalar(db, tableCount, &error);
        QVERIFY2(count, qPrintable(error));
        QCOMPARE(count->toLongLong(), 1LL);

        const TestServer second = TestServers::freshDatabase(params, u"tst_servers_fresh"_s);
        QVERIFY2(second.isValid(), qPrintable(second.error));
        TestServers::close(db);
        db = TestServers::open(second, TestServers::Transport::Tcp, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        count = scalar(db, tableCount, &error);
        QVERIFY2(count, qPrintable(error));
        QCOMPARE(count->toLongLong(), 0LL);
        TestServers::close(db);

        const TestServer bad = TestServers::freshDatabase(params, u"Robert'); DROP"_s);
        QCOMPARE(bad.error, u"freshDatabase: 'Robert'); DROP' is not a plain lower-case identifier"_s);
        TestServer locked = params;
        locked.password = u"wrong"_s;
        const TestServer refused = TestServers::freshDatabase(locked, u"tst_servers_fresh"_s);
        QVERIFY2(refused.error.startsWith(u"cannot connect to the %1 test server at 127.0.0.1:%2"_s
                                              .arg(server == "postgresql"_L1 ? u"PostgreSQL"_s : u"MariaDB"_s)
                                              .arg(params.port)),
                 qPrintable(refused.error));
    }

    // Without the fixture's env file a server test fails with a message that says what is missing and how
    // to get it; QMIGRATE_REQUIRE_SERVER turns that into a failure, never a skip.
    void missingEnvFile_data() { addServerRows(); }

    void missingEnvFile()
    {
        QFETCH(QString, server);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(server + ".env"_L1);
        const TestServer params = TestServers::readEnvFile(server, path);
        QVERIFY(!params.isValid());
        const QString display = server == "postgresql"_L1 ? u"PostgreSQL"_s : u"MariaDB"_s;
        QVERIFY2(
            params.error.startsWith(u"the %1 test server is not running: %2 is missing"_s.arg(display, path)),
            qPrintable(params.error));
        QVERIFY2(params.error.contains(u"server_%1_start"_s.arg(server)), qPrintable(params.error));
        QVERIFY2(params.error.contains(u"tests/servers/start-%1.sh %2"_s.arg(server, dir.path())),
                 qPrintable(params.error));

        QString error;
        QSqlDatabase db = TestServers::open(params, TestServers::Transport::Tcp, &error);
        QVERIFY(!db.isValid());
        QCOMPARE(error, params.error);
    }

    void envFile_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expectedError"); // %1 = the file's path
        QTest::addColumn<int>("expectedPort");
        QTest::addColumn<QString>("expectedSocket");

        QTest::newRow("complete") << u"# comment\nHOST=127.0.0.1\nPORT=25432\nUSER=u\nPASSWORD=p=q\n"
                                     "DATABASE=d\nSOCKET=/tmp/x\nLOG=/tmp/x/log\nFUTURE=ignored\n"_s
                                  << QString() << 25432 << u"/tmp/x"_s;
        QTest::newRow("no password, no socket")
            << u"HOST=127.0.0.1\nPORT=1\nUSER=u\nDATABASE=d"_s << QString() << 1 << QString();
        QTest::newRow("bad line") << u"HOST=127.0.0.1\n\nPORT 5432\n"_s
                                  << u"%1:3: expected KEY=VALUE, got 'PORT 5432'"_s << -1 << QString();
        QTest::newRow("bad port") << u"HOST=127.0.0.1\nPORT=65536\n"_s
                                  << u"%1:2: PORT is not a port number: '65536'"_s << -1 << QString();
        QTest::newRow("missing keys")
            << u"HOST=127.0.0.1\nPASSWORD=x\n"_s << u"%1: missing PORT, USER, DATABASE"_s << -1 << QString();
        QTest::newRow("empty file") << QString() << u"%1: missing HOST, PORT, USER, DATABASE"_s << -1
                                    << QString();
    }

    void envFile()
    {
        QFETCH(QString, text);
        QFETCH(QString, expectedError);
        QFETCH(int, expectedPort);
        QFETCH(QString, expectedSocket);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"postgresql.env"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text.toUtf8());
        file.close();

        const TestServer params = TestServers::readEnvFile(u"postgresql"_s, path);
        QCOMPARE(params.error, expectedError.isEmpty() ? QString() : expectedError.arg(path));
        QCOMPARE(params.driver, u"QPSQL"_s);
        if (!expectedError.isEmpty())
            return;
        QCOMPARE(params.host, u"127.0.0.1"_s);
        QCOMPARE(params.port, expectedPort);
        QCOMPARE(params.user, u"u"_s);
        QCOMPARE(params.database, u"d"_s);
        QCOMPARE(params.socket, expectedSocket);
        if (expectedSocket.isEmpty()) {
            QVERIFY(params.password.isEmpty());
        } else {
            QCOMPARE(params.password, u"p=q"_s);
            QCOMPARE(params.logFile, u"/tmp/x/log"_s);
        }
    }

    // QMIGRATE_SERVERS_DIR redirects where the env files are read from.
    void stateDirectoryOverride()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray previous = qgetenv("QMIGRATE_SERVERS_DIR");
        qputenv("QMIGRATE_SERVERS_DIR", dir.path().toLocal8Bit());
        const QString stateDir = TestServers::stateDirectory();
        const TestServer params = TestServers::mariadb();
        if (previous.isEmpty())
            qunsetenv("QMIGRATE_SERVERS_DIR");
        else
            qputenv("QMIGRATE_SERVERS_DIR", previous);

        QCOMPARE(stateDir, dir.path());
        QCOMPARE(params.driver, u"QMYSQL"_s);
        QVERIFY2(params.error.contains(dir.filePath(u"mariadb.env"_s)), qPrintable(params.error));
        QCOMPARE(TestServers::server(u"oracle"_s).error,
                 u"unknown test server 'oracle' (known: postgresql, mariadb)"_s);
    }
};

QTEST_GUILESS_MAIN(TstServers)
#include "tst_servers.moc"
