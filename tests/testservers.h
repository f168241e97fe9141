// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"

#include <QSqlDatabase>
#include <QString>
#include <QTest>

namespace qmigrate {

// Connection parameters of one throwaway server started by the CTest fixtures (tests/servers/start-*.sh).
struct TestServer
{
    QString name;   // "postgresql" or "mariadb"
    QString driver; // "QPSQL" or "QMYSQL"
    QString host;   // always 127.0.0.1
    int port = -1;
    QString user;
    QString password;
    QString database;
    // PostgreSQL: the directory holding the Unix socket (libpq's host=DIR); MariaDB: the socket file.
    QString socket;
    QString logFile; // the server's log, worth printing when a test fails oddly
    // Empty when the parameters were read; otherwise why not, naming the server, the missing file and the
    // fixture that should have written it.
    QString error;

    bool isValid() const { return error.isEmpty(); }
    // The same parameters as a URL the engine understands (postgresql://… or mysql://…, TCP).
    DatabaseUrl url() const;
};

// Tests that need a real server read its parameters here. The servers run only under CTest (fixtures
// "postgresql" and "mariadb", see qmigrate_add_server_test in tests/CMakeLists.txt); a test binary run by
// hand needs them started first: tests/servers/start-postgresql.sh <build>/tests/servers.
class TestServers
{
public:
    enum class Transport { Tcp, Socket };

    static TestServer postgresql();
    static TestServer mariadb();
    // "postgresql" or "mariadb"; any other name gives a TestServer with an error.
    static TestServer server(const QString &name);

    // Where the start scripts write NAME.env: $QMIGRATE_SERVERS_DIR if set, else <build>/tests/servers.
    static QString stateDirectory();
    // Reads one env file (KEY=VALUE lines, # comments); exposed for tests of the reader itself.
    static TestServer readEnvFile(const QString &name, const QString &path);

    // Opens a new connection with a connection name of its own (so tests can hold several at once).
    // On failure the returned database is not open and *error (if given) names the server, the address
    // and the driver's message.
    static QSqlDatabase open(const TestServer &server, Transport transport = Transport::Tcp,
                             QString *error = nullptr);
    // Drops (if present) and creates the database `name` on the server, owned by or granted to the test user,
    // and returns the server's parameters with that database. Tests that change schemas use one of their
    // own, named after the test ([a-z_][a-z0-9_]*), so tests running in parallel never see each other's
    // tables. On failure the result's error names the server, the database and the server's message.
    static TestServer freshDatabase(const TestServer &server, const QString &name);
    // The server as a SQLAlchemy URL over TCP (psycopg2 for PostgreSQL, PyMySQL for MariaDB), password
    // included: what an Alembic project's sqlalchemy.url would say.
    static QString sqlalchemyUrl(const TestServer &server);
    // The user tables of a test's database, sorted, without alembic_version, qmigrate_history and SQLite's
    // own: the server's database when `server` names one, else the SQLite file.
    static QStringList userTables(const TestServer &server, const QString &sqliteFile);
    // Closes the connection and removes it from QSqlDatabase's registry; db is left invalid.
    static void close(QSqlDatabase &db);
};

} // namespace qmigrate

// Fails the current test (never skips it) when the server's parameters are missing: a test that needs a
// server that could not be started must show up red.
#define QMIGRATE_REQUIRE_SERVER(server)                                                                      \
    do {                                                                                                     \
        if (!(server).isValid())                                                                             \
            QFAIL(qPrintable((server).error));                                                               \
    } while (false)
