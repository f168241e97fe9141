// SPDX-License-Identifier: MIT
#include "database/serverprobe.h"

#include "database/databaseconnection.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

EngineError probeError(const DatabaseUrl &url, const QString &message)
{
    return EngineError(u"Cannot connect to %1: %2"_s.arg(url.toDisplayString(), message),
                       EngineError::Kind::Database);
}

// DatabaseUrl keeps its query private; the text form with the password round-trips exactly, so the
// timeout is added there.
Expected<DatabaseUrl> withConnectTimeout(const DatabaseUrl &url, int seconds)
{
    if (url.backend() == DatabaseUrl::Backend::SQLite || seconds <= 0 ||
        !url.queryValue(u"connect_timeout"_s).isEmpty())
        return url;
    const QString text = url.toUrlStringWithPassword();
    const QChar separator = url.queryItems().isEmpty() ? u'?' : u'&';
    return DatabaseUrl::parse(text + separator + u"connect_timeout="_s + QString::number(seconds));
}

// Runs one single-value query; the error text is the server's own.
Expected<QString> scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return EngineError(DatabaseConnection::serverMessage(query.lastError()), EngineError::Kind::Database);
    if (!query.next())
        return EngineError(u"'%1' returned no row"_s.arg(sql), EngineError::Kind::Database);
    return query.value(0).toString();
}

Expected<ServerInfo> ask(DatabaseConnection &connection)
{
    QSqlDatabase &db = connection.database();
    ServerInfo info;
    switch (connection.url().backend()) {
    case DatabaseUrl::Backend::SQLite: {
        Expected<QString> version = scalar(db, u"select sqlite_version()"_s);
        if (!version)
            return version.error();
        // sqlite_version() never reads the file: this does, and fails on a file that is no database.
        Expected<QString> schema = scalar(db, u"select count(*) from sqlite_master"_s);
        if (!schema)
            return schema.error();
        info.product = u"SQLite"_s;
        info.version = *version;
        return info;
    }
    case DatabaseUrl::Backend::PostgreSQL: {
        // server_version is "15.18" or "15.18 (Debian 15.18-0+deb12u1)"; the number is the first word.
        Expected<QString> version = scalar(db, u"show server_version"_s);
        if (!version)
            return version.error();
        Expected<QString> description = scalar(db, u"select version()"_s);
        if (!description)
            return description.error();
        info.product = u"PostgreSQL"_s;
        info.version = version->section(u' ', 0, 0);
        info.description = *description;
        return info;
    }
    case DatabaseUrl::Backend::MySQL: {
        // MariaDB says so in its version ("10.11.6-MariaDB-0+deb12u1"); MySQL's has no product name.
        Expected<QString> version = scalar(db, u"select version()"_s);
        if (!version)
            return version.error();
        Expected<QString> comment = scalar(db, u"select @@version_comment"_s);
        const bool mariadb = version->contains("mariadb"_L1, Qt::CaseInsensitive) ||
                             (comment && comment->contains("mariadb"_L1, Qt::CaseInsensitive));
        info.product = mariadb ? u"MariaDB"_s : u"MySQL"_s;
        info.version = *version;
        info.description = comment ? *comment : QString();
        info.cluster = connection.cluster();
        return info;
    }
    }
    return EngineError(u"unknown backend"_s, EngineError::Kind::Database);
}

} // namespace

Expected<ServerInfo> ServerProbe::probe(const DatabaseUrl &url, const QString &baseDirectory,
                                        int connectTimeoutSeconds)
{
    if (url.backend() == DatabaseUrl::Backend::SQLite && !url.isSqliteMemory()) {
        const QString path = url.sqliteFilePath(baseDirectory);
        const QFileInfo info(path);
        if (info.exists() && !info.isFile())
            return probeError(url, u"%1 is not a file"_s.arg(QDir::toNativeSeparators(path)));
        if (!info.exists()) {
            if (!info.dir().exists()) {
                return probeError(url, u"the directory %1 does not exist"_s.arg(
                                           QDir::toNativeSeparators(info.absolutePath())));
            }
            // Opening the file would create it; a probe leaves the disk alone and asks an in-memory database.
            Expected<ServerInfo> memory =
                probe(DatabaseUrl::fromParts(DatabaseUrl::Backend::SQLite, {}, -1, {}, {}, {}), baseDirectory,
                      connectTimeoutSeconds);
            if (memory) {
                memory->description = u"the file %1 does not exist yet; the first upgrade creates it"_s.arg(
                    QDir::toNativeSeparators(path));
            }
            return memory;
        }
    }
    Expected<DatabaseUrl> timed = withConnectTimeout(url, connectTimeoutSeconds);
    if (!timed)
        return probeError(url, timed.error().message());
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(*timed, baseDirectory);
    if (!connection)
        return connection.error();
    Expected<ServerInfo> info = ask(**connection);
    if (!info)
        return probeError(url, info.error().message());
    return info;
}

} // namespace qmigrate
