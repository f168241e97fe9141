// SPDX-License-Identifier: MIT
#include "connections/connectionprofile.h"

#include "config/projectconfig.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

bool hasControlCharacter(const QString &text)
{
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

} // namespace

int ConnectionProfile::defaultPort(DatabaseUrl::Backend backend)
{
    switch (backend) {
    case DatabaseUrl::Backend::SQLite:
        return 0;
    case DatabaseUrl::Backend::PostgreSQL:
        return 5432;
    case DatabaseUrl::Backend::MySQL:
        return 3306;
    }
    return 0;
}

const QStringList &ConnectionProfile::sslModes()
{
    static const QStringList modes{u"disable"_s, u"allow"_s,     u"prefer"_s,
                                   u"require"_s, u"verify-ca"_s, u"verify-full"_s};
    return modes;
}

QString ConnectionProfile::environmentProfileName()
{
    return u"Environment (DB_HOST)"_s;
}

QString ConnectionProfile::backendKey(DatabaseUrl::Backend backend)
{
    switch (backend) {
    case DatabaseUrl::Backend::SQLite:
        return u"sqlite"_s;
    case DatabaseUrl::Backend::PostgreSQL:
        return u"postgresql"_s;
    case DatabaseUrl::Backend::MySQL:
        return u"mysql"_s;
    }
    return {};
}

std::optional<DatabaseUrl::Backend> ConnectionProfile::backendFromKey(const QString &key)
{
    for (const auto backend :
         {DatabaseUrl::Backend::SQLite, DatabaseUrl::Backend::PostgreSQL, DatabaseUrl::Backend::MySQL}) {
        if (backendKey(backend) == key)
            return backend;
    }
    return std::nullopt;
}

QString ConnectionProfile::backendDisplayName(DatabaseUrl::Backend backend)
{
    switch (backend) {
    case DatabaseUrl::Backend::SQLite:
        return u"SQLite"_s;
    case DatabaseUrl::Backend::PostgreSQL:
        return u"PostgreSQL"_s;
    case DatabaseUrl::Backend::MySQL:
        return u"MariaDB / MySQL"_s;
    }
    return {};
}

QString ConnectionProfile::validationError() const
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return u"The profile needs a name"_s;
    if (trimmed != name)
        return u"The profile name '%1' starts or ends with spaces"_s.arg(name);
    if (hasControlCharacter(name))
        return u"The profile name contains a control character (such as a line break)"_s;
    if (name.size() > 100)
        return u"The profile name is longer than 100 characters"_s;
    if (name == environmentProfileName() && !isFromEnvironment)
        return u"The name '%1' is reserved for the profile built from DB_HOST"_s.arg(name);

    if (!environmentProblem.isEmpty())
        return u"Profile '%1': %2"_s.arg(name, environmentProblem);
    if (backend == DatabaseUrl::Backend::SQLite)
        return sqliteFile.trimmed().isEmpty() ? u"Profile '%1': choose a SQLite database file"_s.arg(name)
                                              : QString();
    const QString source = isFromEnvironment ? u" (from DB_HOST)"_s : QString();
    if (host.trimmed().isEmpty())
        return u"Profile '%1': the server host is empty"_s.arg(name);
    if (host.contains(u'/') || host.contains(u'@') || host.contains(u' '))
        return u"Profile '%1': the host '%2'%3 contains '/', '@' or a space"_s.arg(name, host, source);
    if (port < 0 || port > 65535) {
        return isFromEnvironment ? u"Profile '%1': DB_PORT is not a port number (1 to 65535)"_s.arg(name)
                                 : u"Profile '%1': the port %2 is not from 1 to 65535"_s.arg(name).arg(port);
    }
    if (!sslMode.isEmpty() && !sslModes().contains(sslMode)) {
        return u"Profile '%1': unknown SSL mode '%2' (one of %3)"_s.arg(name, sslMode,
                                                                        sslModes().join(u", "_s));
    }
    return {};
}

DatabaseUrl ConnectionProfile::url(const QString &password) const
{
    if (backend == DatabaseUrl::Backend::SQLite) {
        const QString file = sqliteFile.trimmed() == ":memory:"_L1 ? QString() : sqliteFile.trimmed();
        return DatabaseUrl::fromParts(backend, {}, -1, file, {}, {});
    }
    DatabaseUrl url =
        DatabaseUrl::fromParts(backend, host.trimmed(), effectivePort(), database, user, password);
    if (backend != DatabaseUrl::Backend::PostgreSQL || sslMode.isEmpty())
        return url;
    // DatabaseUrl has no setter for its query; its text form with the password round-trips exactly.
    Expected<DatabaseUrl> withSsl = DatabaseUrl::parse(url.toUrlStringWithPassword() + u"?sslmode="_s +
                                                       DatabaseUrl::percentEncoded(sslMode));
    return withSsl ? *withSsl : url;
}

QString ConnectionProfile::displayUrl() const
{
    return url({}).toDisplayString();
}

std::optional<ConnectionProfile> ConnectionProfile::fromEnvironment(const QProcessEnvironment &environment,
                                                                    QString *password)
{
    const QString host = environment.value(u"DB_HOST"_s);
    if (host.isEmpty())
        return std::nullopt;
    // The engine's rule, so that the GUI connects where the CLI does.
    const Expected<QString> urlText = ProjectConfig::environmentUrl(environment);
    Expected<DatabaseUrl> url =
        urlText ? DatabaseUrl::parse(*urlText) : Expected<DatabaseUrl>(urlText.error());
    if (urlText && !url)
        url = EngineError(u"URL built from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD: "_s +
                          url.error().message());
    ConnectionProfile profile;
    if (url) {
        profile = fromUrl(environmentProfileName(), *url, password);
    } else {
        // What can be shown of it; validationError() says what is wrong.
        profile.name = environmentProfileName();
        profile.backend = DatabaseUrl::Backend::PostgreSQL;
        profile.host = host;
        bool portOk = false;
        const int port = environment.value(u"DB_PORT"_s).toInt(&portOk);
        profile.port = portOk && port > 0 && port <= 65535 ? port : -1;
        profile.database = environment.value(u"DB_NAME"_s);
        profile.user = environment.value(u"DB_USER"_s);
        profile.environmentProblem = url.error().message();
    }
    profile.isFromEnvironment = true;
    return profile;
}

ConnectionProfile ConnectionProfile::fromUrl(const QString &name, const DatabaseUrl &url, QString *password)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.backend = url.backend();
    if (url.backend() == DatabaseUrl::Backend::SQLite) {
        profile.sqliteFile = url.isSqliteMemory() ? u":memory:"_s : url.database();
    } else {
        profile.host = url.host();
        profile.port = url.port() > 0 ? url.port() : 0;
        profile.database = url.database();
        profile.user = url.userName();
        if (url.backend() == DatabaseUrl::Backend::PostgreSQL)
            profile.sslMode = url.queryValue(u"sslmode"_s);
    }
    if (password)
        *password = url.password();
    return profile;
}

} // namespace qmigrate
