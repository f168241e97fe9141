// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace qmigrate {

// A SQLAlchemy-style database URL (dialect[+driver]://user:password@host:port/database?key=value) mapped to a
// QSql driver. The password is kept for connecting only: every display form masks it.
class DatabaseUrl
{
public:
    enum class Backend { SQLite, PostgreSQL, MySQL };

    static Expected<DatabaseUrl> parse(const QString &url);
    // The seed's environment rule: postgresql://DB_USER:DB_PASSWORD@DB_HOST:DB_PORT/DB_NAME, values
    // percent-encoded as needed.
    // SQLite uses only database (empty = memory); a port <= 0 means none; an empty password means none.
    static DatabaseUrl fromParts(Backend backend, const QString &host, int port, const QString &database,
                                 const QString &user, const QString &password);

    Backend backend() const { return m_backend; }
    QString dialectName() const; // "sqlite", "postgresql", "mysql" or "mariadb" as written
    QString driverSuffix() const { return m_driver; } // "psycopg2" in postgresql+psycopg2, may be empty
    QString qtDriverName() const;                     // "QSQLITE", "QPSQL", "QMYSQL"

    QString host() const { return m_host; }
    int port() const { return m_port; } // -1 when the URL gives none
    // Decoded; for SQLite the path as written, ":memory:" for memory.
    QString database() const { return m_database; }
    QString userName() const { return m_user; }
    QString password() const { return m_password; }
    bool hasPassword() const { return m_hasPassword; }
    QList<QPair<QString, QString>> queryItems() const { return m_query; } // decoded, in URL order
    QString queryValue(const QString &key) const; // the last value given for key (later wins)

    bool isSqliteMemory() const;
    // SQLite: an absolute file path; relative paths are resolved against baseDirectory.
    QString sqliteFilePath(const QString &baseDirectory) const;

    // Options for QSqlDatabase::setConnectOptions, from the query (e.g. sslmode, connect_timeout,
    // unix_socket, charset) in the form the Qt driver understands.
    QString qtConnectOptions() const;

    // The URL with the password replaced by "***": the only form ever printed or logged.
    QString toDisplayString() const;
    // The full URL with the password, percent-encoded; for handing to a child process only.
    QString toUrlStringWithPassword() const;
    // The password given apart from the URL (--password-stdin, a prompt); empty removes it.
    void setPassword(const QString &password)
    {
        m_password = password;
        m_hasPassword = !password.isEmpty();
    }

    // Percent-encodes every ASCII character that could end a URL component (":@/?#%&=+" and the like);
    // non-ASCII text is kept as is, but for spaces (U+00A0 and the like), which parsing would trim from the
    // ends. Used to build URLs from user-supplied parts.
    static QString percentEncoded(const QString &text);
    static const QStringList &supportedDialects(); // sqlite, postgresql, mysql, mariadb

private:
    QString build(bool withPassword) const;

    Backend m_backend = Backend::SQLite;
    QString m_dialect;
    QString m_driver;
    QString m_host;
    int m_port = -1;
    QString m_database;
    QString m_user;
    QString m_password;
    bool m_hasPassword = false;
    bool m_hasDatabasePart = false; // "sqlite://" versus "sqlite:///:memory:"
    QList<QPair<QString, QString>> m_query;
};

} // namespace qmigrate
