// SPDX-License-Identifier: MIT
#include "database/scratchdatabase.h"

#include "database/databaseconnection.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// DatabaseUrl has no setter for the database: rebuild the URL text around the new name.
Expected<DatabaseUrl> withDatabase(const DatabaseUrl &url, const QString &database)
{
    DatabaseUrl result = DatabaseUrl::fromParts(url.backend(), url.host(), url.port(), database,
                                                url.userName(), url.password());
    QString text = result.toUrlStringWithPassword();
    QStringList query;
    for (const auto &[key, value] : url.queryItems())
        query.append(DatabaseUrl::percentEncoded(key) + u'=' + DatabaseUrl::percentEncoded(value));
    if (!query.isEmpty())
        text += u'?' + query.join(u'&');
    if (url.backend() == DatabaseUrl::Backend::MySQL && url.dialectName() != u"mysql"_s)
        text.replace(0, text.indexOf(u':'), url.dialectName()); // keep mariadb:// as written
    return DatabaseUrl::parse(text);
}

Expected<void> execute(const DatabaseUrl &server, const QString &baseDirectory, const QString &sql)
{
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(server, baseDirectory, u"qmigrate-scratch"_s);
    if (!connection)
        return connection.error();
    QSqlQuery query((*connection)->database());
    if (!query.exec(sql))
        return EngineError(u"%1 on %2 failed: %3"_s.arg(sql, server.toDisplayString(),
                                                        DatabaseConnection::serverMessage(query.lastError())),
                           EngineError::Kind::Database);
    return {};
}

} // namespace

ScratchDatabase::ScratchDatabase(DatabaseUrl server, DatabaseUrl url, QString name, QString baseDirectory)
    : m_server(std::move(server))
    , m_url(std::move(url))
    , m_name(std::move(name))
    , m_baseDirectory(std::move(baseDirectory))
{}

Expected<std::unique_ptr<ScratchDatabase>> ScratchDatabase::create(const DatabaseUrl &like,
                                                                   const QString &baseDirectory)
{
    // Lower-case letters and digits only: valid unquoted on every backend, and unlikely to meet a real one.
    const QString name = u"qmigrate_scratch_%1_%2"_s.arg(QCoreApplication::applicationPid())
                             .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    if (like.backend() == DatabaseUrl::Backend::SQLite) {
        auto directory = std::make_unique<QTemporaryDir>();
        if (!directory->isValid())
            return EngineError(u"Cannot make a temporary directory for a scratch database: %1"_s.arg(
                                   directory->errorString()),
                               EngineError::Kind::Database);
        Expected<DatabaseUrl> url =
            DatabaseUrl::parse(u"sqlite:///"_s + directory->filePath(name + u".db"_s));
        if (!url)
            return url.error();
        std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase(like, *url, name, baseDirectory));
        scratch->m_directory = std::move(directory);
        return scratch;
    }
    const QString create = like.backend() == DatabaseUrl::Backend::PostgreSQL
                               ? u"CREATE DATABASE %1"_s.arg(name)
                               : u"CREATE DATABASE %1 CHARACTER SET utf8mb4"_s.arg(name);
    if (Expected<void> created = execute(like, baseDirectory, create); !created)
        return EngineError(
            u"Cannot create a scratch database (the user needs the right to create databases): "_s +
                created.error().message(),
            EngineError::Kind::Database);
    Expected<DatabaseUrl> url = withDatabase(like, name);
    if (!url) {
        // The caller gets the error below; a scratch database left behind is worth a warning, as in the
        // destructor.
        if (Expected<void> dropped = execute(like, baseDirectory, u"DROP DATABASE %1"_s.arg(name)); !dropped)
            qWarning("qmigrate: could not drop the scratch database %s: %s", qPrintable(name),
                     qPrintable(dropped.error().message()));
        return url.error();
    }
    return std::unique_ptr<ScratchDatabase>(new ScratchDatabase(like, *url, name, baseDirectory));
}

ScratchDatabase::~ScratchDatabase()
{
    if (m_directory)
        return; // the temporary directory takes the file with it
    // Connections to it are closed by now (each user scopes its own); FORCE ends any a driver kept.
    const QString drop = m_url.backend() == DatabaseUrl::Backend::PostgreSQL
                             ? u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_name)
                             : u"DROP DATABASE IF EXISTS %1"_s.arg(m_name);
    if (Expected<void> dropped = execute(m_server, m_baseDirectory, drop); !dropped)
        qWarning("qmigrate: could not drop the scratch database %s: %s", qPrintable(m_name),
                 qPrintable(dropped.error().message()));
}

} // namespace qmigrate
