// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace qmigrate {

// One database the GUI can work against, as the user describes it: everything but the password, which lives
// in the system keychain (PasswordStore) and is handed to url() only when connecting. A plain value.
//
// SQLite paths: sqliteFile is kept as the user wrote it. A relative path is relative to the project
// directory (the directory of alembic.ini), exactly as a relative sqlite:/// URL in sqlalchemy.url is: pass
// that directory as the base directory to DatabaseConnection::open / ServerProbe::probe. An empty sqliteFile
// (or ":memory:") is an in-memory database.
struct ConnectionProfile
{
    QString name;
    DatabaseUrl::Backend backend = DatabaseUrl::Backend::SQLite;
    QString sqliteFile; // SQLite only
    QString host;       // PostgreSQL, MariaDB/MySQL: the server
    int port = 0;       // 0: the backend's default (defaultPort())
    QString database;
    QString user;
    // PostgreSQL's sslmode (one of sslModes(); empty: libpq's default, "prefer"). MariaDB/MySQL ignore it: Qt
    // 6.4's QMYSQL driver has no SSL mode option, only SSL_CA/SSL_CERT/SSL_KEY files.
    QString sslMode;
    // Whether the user asked for the password to be kept in the system keychain (not the password itself).
    bool rememberPassword = false;
    // True for the profile built from DB_HOST & co. (fromEnvironment()): shown read-only, never stored.
    // (Named "is…" because fromEnvironment() is the factory.)
    bool isFromEnvironment = false;
    // The environment profile only: why DB_HOST & co. make no usable URL (e.g. DB_NAME unset).
    QString environmentProblem;

    bool operator==(const ConnectionProfile &other) const = default;

    // 5432 for PostgreSQL, 3306 for MariaDB/MySQL, 0 for SQLite.
    static int defaultPort(DatabaseUrl::Backend backend);
    int effectivePort() const { return port > 0 ? port : defaultPort(backend); }
    // disable, allow, prefer, require, verify-ca, verify-full.
    static const QStringList &sslModes();
    // The name of the environment profile, reserved: "Environment (DB_HOST)".
    static QString environmentProfileName();
    // Stable keys for settings files: "sqlite", "postgresql", "mysql"; and back (nullopt for anything else).
    static QString backendKey(DatabaseUrl::Backend backend);
    static std::optional<DatabaseUrl::Backend> backendFromKey(const QString &key);
    // For people: "SQLite", "PostgreSQL", "MariaDB / MySQL".
    static QString backendDisplayName(DatabaseUrl::Backend backend);

    // Why this profile cannot be saved or used, in a sentence naming the field; empty when it is fine.
    QString validationError() const;

    // The URL to connect with. An empty password means none (peer/trust authentication, SQLite). PostgreSQL
    // gets ?sslmode=… when sslMode is set. Relative SQLite paths stay relative (see above).
    DatabaseUrl url(const QString &password) const;
    // The URL without any password, for labels and logs:
    // "postgresql://app@db.example:5432/app?sslmode=require".
    QString displayUrl() const;

    // The seed's rule, as ProjectConfig applies it: when DB_HOST is set (non-empty), a PostgreSQL profile for
    // The URL the engine builds from DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD
    // (ProjectConfig::environmentUrl), as a profile; the password goes to *password only: a profile never
    // holds one. nullopt when DB_HOST is not set. When the variables make no URL (no DB_NAME, a DB_PORT
    // that is no number) the profile keeps what they say and validationError() names the problem.
    static std::optional<ConnectionProfile> fromEnvironment(const QProcessEnvironment &environment,
                                                            QString *password = nullptr);
    // A profile for an existing URL, e.g. the project's own sqlalchemy.url (so the bundled SQLite example
    // works without setup). Keeps backend, host, port, database, user and sslmode; the password goes to
    // *password only; other query items (unix_socket, application_name, …) are not kept.
    static ConnectionProfile fromUrl(const QString &name, const DatabaseUrl &url,
                                     QString *password = nullptr);
};

} // namespace qmigrate
