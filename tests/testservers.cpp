// SPDX-License-Identifier: MIT
#include "testservers.h"

#include <QAtomicInt>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QString displayName(const QString &name)
{
    if (name == "postgresql"_L1)
        return u"PostgreSQL"_s;
    if (name == "mariadb"_L1)
        return u"MariaDB"_s;
    return name;
}

} // namespace

DatabaseUrl TestServer::url() const
{
    const auto backend =
        driver == "QPSQL"_L1 ? DatabaseUrl::Backend::PostgreSQL : DatabaseUrl::Backend::MySQL;
    return DatabaseUrl::fromParts(backend, host, port, database, user, password);
}

QString TestServers::stateDirectory()
{
    const QString fromEnv = qEnvironmentVariable("QMIGRATE_SERVERS_DIR");
    return fromEnv.isEmpty() ? QStringLiteral(QMIGRATE_SERVERS_DIR) : fromEnv;
}

TestServer TestServers::postgresql()
{
    return server(u"postgresql"_s);
}

TestServer TestServers::mariadb()
{
    return server(u"mariadb"_s);
}

TestServer TestServers::server(const QString &name)
{
    if (name != "postgresql"_L1 && name != "mariadb"_L1) {
        TestServer unknown;
        unknown.name = name;
        unknown.error = u"unknown test server '%1' (known: postgresql, mariadb)"_s.arg(name);
        return unknown;
    }
    return readEnvFile(name, QDir(stateDirectory()).filePath(name + ".env"_L1));
}

TestServer TestServers::readEnvFile(const QString &name, const QString &path)
{
    TestServer server;
    server.name = name;
    server.driver = name == "postgresql"_L1 ? u"QPSQL"_s : u"QMYSQL"_s;

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        server.error = u"the %1 test server is not running: %2 is missing (%3). It is written by the CTest "
                       "fixture test server_%4_start; run this test through ctest, or start the server "
                       "with tests/servers/start-%4.sh %5"_s.arg(displayName(name), path, file.errorString(),
                                                                 name, QFileInfo(path).absolutePath());
        return server;
    }

    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    QStringList seen;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            server.error = u"%1:%2: expected KEY=VALUE, got '%3'"_s.arg(path).arg(i + 1).arg(line);
            return server;
        }
        const QString key = line.left(eq);
        const QString value = line.mid(eq + 1);
        seen.append(key);
        if (key == "HOST"_L1) {
            server.host = value;
        } else if (key == "PORT"_L1) {
            bool ok = false;
            server.port = value.toInt(&ok);
            if (!ok || server.port <= 0 || server.port > 65535) {
                server.error = u"%1:%2: PORT is not a port number: '%3'"_s.arg(path).arg(i + 1).arg(value);
                return server;
            }
        } else if (key == "USER"_L1) {
            server.user = value;
        } else if (key == "PASSWORD"_L1) {
            server.password = value;
        } else if (key == "DATABASE"_L1) {
            server.database = value;
        } else if (key == "SOCKET"_L1) {
            server.socket = value;
        } else if (key == "LOG"_L1) {
            server.logFile = value;
        }
        // Other keys are for humans and later scripts; ignoring them keeps old readers working.
    }

    QStringList missing;
    for (const auto key : {"HOST"_L1, "PORT"_L1, "USER"_L1, "DATABASE"_L1}) {
        if (!seen.contains(key))
            missing.append(key);
    }
    if (!missing.isEmpty())
        server.error = u"%1: missing %2"_s.arg(path, missing.join(", "_L1));
    return server;
}

QSqlDatabase TestServers::open(const TestServer &server, Transport transport, QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
    };
    if (!server.isValid()) {
        fail(server.error);
        return {};
    }

    static QAtomicInt counter;
    const QString connectionName =
        u"qmigrate-test-%1-%2"_s.arg(server.name).arg(counter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(server.driver, connectionName);
    db.setDatabaseName(server.database);
    db.setUserName(server.user);
    db.setPassword(server.password);
    QString address;
    if (transport == Transport::Tcp) {
        db.setHostName(server.host);
        db.setPort(server.port);
        address = u"%1:%2"_s.arg(server.host).arg(server.port);
    } else if (server.driver == "QPSQL"_L1) {
        // libpq takes a directory as the host for a Unix socket; the port names the socket file in it.
        db.setHostName(server.socket);
        db.setPort(server.port);
        address = server.socket;
    } else {
        db.setConnectOptions(u"UNIX_SOCKET="_s + server.socket);
        address = server.socket;
    }

    if (!db.open()) {
        fail(u"cannot connect to the %1 test server at %2 (database %3, user %4) with %5: %6"_s.arg(
            displayName(server.name), address, server.database, server.user, server.driver,
            db.lastError().text()));
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return {};
    }
    if (error)
        error->clear();
    return db;
}

TestServer TestServers::freshDatabase(const TestServer &server, const QString &name)
{
    TestServer result = server;
    if (!server.isValid())
        return result;
    static const QRegularExpression plainName(u"^[a-z_][a-z0-9_]{0,62}$"_s);
    if (!plainName.match(name).hasMatch()) {
        result.error = u"freshDatabase: '%1' is not a plain lower-case identifier"_s.arg(name);
        return result;
    }

    QString error;
    QSqlDatabase db = open(server, Transport::Tcp, &error);
    if (!db.isOpen()) {
        result.error = error;
        return result;
    }
    // PostgreSQL refuses to drop a database with open connections (a crashed earlier run of the same test
    // may have left some): FORCE ends them.
    const QStringList statements = server.driver == "QPSQL"_L1
                                       ? QStringList{u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(name),
                                                     u"CREATE DATABASE %1"_s.arg(name)}
                                       : QStringList{u"DROP DATABASE IF EXISTS %1"_s.arg(name),
                                                     u"CREATE DATABASE %1 CHARACTER SET utf8mb4"_s.arg(name)};
    for (const QString &sql : statements) {
        QSqlQuery query(db);
        if (!query.exec(sql)) {
            result.error = u"cannot create the database %1 on the %2 test server: %3: %4"_s.arg(
                name, displayName(server.name), sql, query.lastError().text());
            break;
        }
    }
    close(db);
    if (result.isValid())
        result.database = name;
    return result;
}

void TestServers::close(QSqlDatabase &db)
{
    const QString name = db.connectionName();
    db.close();
    db = QSqlDatabase();
    if (!name.isEmpty())
        QSqlDatabase::removeDatabase(name);
}

QString TestServers::sqlalchemyUrl(const TestServer &server)
{
    const QString scheme = server.name == u"postgresql"_s ? u"postgresql"_s : u"mysql+pymysql"_s;
    return u"%1://%2:%3@%4:%5/%6"_s.arg(scheme, server.user, server.password, server.host)
        .arg(server.port)
        .arg(server.database);
}

QStringList TestServers::userTables(const TestServer &server, const QString &sqliteFile)
{
    QSqlDatabase db;
    QString error;
    const QString name = u"user-tables-%1"_s.arg(quintptr(&error));
    if (server.name.isEmpty()) {
        db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(sqliteFile);
        db.open();
    } else {
        db = open(server, Transport::Tcp, &error);
    }
    QStringList tables;
    for (const QString &table : db.tables()) {
        if (table != u"alembic_version"_s && table != u"qmigrate_history"_s &&
            !table.startsWith(u"sqlite_"_s))
            tables.append(table);
    }
    tables.sort();
    close(db);
    if (server.name.isEmpty())
        QSqlDatabase::removeDatabase(name);
    return tables;
}

} // namespace qmigrate
