// SPDX-License-Identifier: MIT
#include "config/databaseurl.h"

#include <QDir>
#include <QFileInfo>

#include <limits>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

bool isUnreserved(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' ||
           c == u'.' || c == u'_' || c == u'~';
}

// Encodes ASCII characters that are neither unreserved nor in keep, and non-ASCII spaces, which parse() trims
// from the ends of a URL; other non-ASCII text passes through, since decoding only ever looks at "%XX".
QString encode(const QString &text, QLatin1StringView keep)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u >= 0x80 ? !c.isSpace() : isUnreserved(u) || keep.contains(QLatin1Char(char(u)))) {
            out += c;
            continue;
        }
        for (const char byte : QStringView(&c, 1).toUtf8())
            out += u"%%1"_s.arg(uint(uchar(byte)), 2, 16, QLatin1Char('0')).toUpper();
    }
    return out;
}

constexpr auto userInfoKeep = "!$&'()*+,;="_L1;
// Inside [...]: the IPv6 address's colons; "/", "?" and "@" would end the host or the user info early.
constexpr auto ipv6HostKeep = "!$&'()*+,;=:"_L1;
// The user info runs up to the last '@' before the first ':' or '/', or, once it has a ':', to the first '@'
// after it, for SQLAlchemy as for parse(): "h:5432/d@b" is user "h", password "5432/d", host "b", and
// "h?x=a@b" user "h?x=a", host "b". So a query never keeps '@', and a database only where no ':' comes before
// it without a password (a port, an IPv6 host) to make the user info reach it.
constexpr auto databaseKeep = "/!$&'()*+,;=:@"_L1;
constexpr auto databaseKeepNoAt = "/!$&'()*+,;=:"_L1;
constexpr auto queryKeep = "!$'()*,;:/"_L1;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// urllib.parse.unquote: "%XX" becomes a byte, the bytes are read as UTF-8; a bad escape stays as written.
QString percentDecoded(const QString &text)
{
    if (!text.contains(QLatin1Char('%')))
        return text;
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if (utf8.at(i) == '%' && i + 2 < utf8.size() && hexValue(utf8.at(i + 1)) >= 0 &&
            hexValue(utf8.at(i + 2)) >= 0) {
            out += char(hexValue(utf8.at(i + 1)) * 16 + hexValue(utf8.at(i + 2)));
            i += 2;
        } else {
            out += utf8.at(i);
        }
    }
    return QString::fromUtf8(out);
}

// urllib.parse.parse_qsl with its defaults, as SQLAlchemy calls it: '&'-separated, '+' is a space,
// pairs without '=' or with an empty value are dropped.
QList<QPair<QString, QString>> parseQuery(const QString &query)
{
    QList<QPair<QString, QString>> items;
    const QStringList pairs = query.split(QLatin1Char('&'));
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq < 0)
            continue;
        QString key = pair.left(eq);
        QString value = pair.mid(eq + 1);
        if (value.isEmpty())
            continue;
        key.replace(QLatin1Char('+'), QLatin1Char(' '));
        value.replace(QLatin1Char('+'), QLatin1Char(' '));
        items.append({percentDecoded(key), percentDecoded(value)});
    }
    return items;
}

EngineError urlError(const QString &message)
{
    return EngineError(message, EngineError::Kind::Usage);
}

// libpq's connection-string quoting; Qt's QPSQL turns the ';' between options into spaces.
QString libpqValue(const QString &value)
{
    const bool needsQuotes = value.isEmpty() || value.contains(QLatin1Char(' ')) ||
                             value.contains(QLatin1Char('\'')) || value.contains(QLatin1Char('\\'));
    if (!needsQuotes)
        return value;
    QString escaped = value;
    escaped.replace(u"\\"_s, u"\\\\"_s);
    escaped.replace(u"'"_s, u"\\'"_s);
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

bool isSecretQueryKey(const QString &key)
{
    return key.contains("password"_L1, Qt::CaseInsensitive);
}

} // namespace

const QStringList &DatabaseUrl::supportedDialects()
{
    static const QStringList dialects{u"sqlite"_s, u"postgresql"_s, u"mysql"_s, u"mariadb"_s};
    return dialects;
}

QString DatabaseUrl::percentEncoded(const QString &text)
{
    return encode(text, QLatin1StringView());
}

Expected<DatabaseUrl> DatabaseUrl::parse(const QString &input)
{
    // Mirrors the regular expression of sqlalchemy.engine.url._parse_rfc1738_args (1.4), step by step, so
    // that the same text splits the same way. No message below quotes the URL: it may hold a password.
    const QString text = input.trimmed();
    if (text.isEmpty())
        return urlError(u"Empty database URL"_s);

    const qsizetype schemeEnd = text.indexOf("://"_L1);
    bool schemeOk = schemeEnd > 0;
    for (qsizetype i = 0; schemeOk && i < schemeEnd; ++i) {
        const QChar c = text.at(i);
        schemeOk = c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('+');
    }
    if (!schemeOk) {
        return urlError(u"Could not parse database URL: expected "
                        "dialect[+driver]://[user[:password]@]host[:port]/database"_s);
    }

    DatabaseUrl url;
    const QString scheme = text.left(schemeEnd).toLower();
    const qsizetype plus = scheme.indexOf(QLatin1Char('+'));
    url.m_dialect = plus < 0 ? scheme : scheme.left(plus);
    url.m_driver = plus < 0 ? QString() : scheme.mid(plus + 1);
    if (url.m_dialect == "postgres"_L1) {
        return urlError(
            u"Unsupported database URL dialect 'postgres': SQLAlchemy 1.4 and later no longer accept "
            "'postgres://'; write 'postgresql://' instead"_s);
    }
    if (url.m_dialect == "sqlite"_L1)
        url.m_backend = Backend::SQLite;
    else if (url.m_dialect == "postgresql"_L1)
        url.m_backend = Backend::PostgreSQL;
    else if (url.m_dialect == "mysql"_L1 || url.m_dialect == "mariadb"_L1)
        url.m_backend = Backend::MySQL;
    else
        return urlError(u"Unsupported database URL dialect '%1'; supported: %2"_s.arg(
            url.m_dialect, supportedDialects().join(u", "_s)));
    if (url.m_driver.isEmpty() && plus >= 0)
        return urlError(u"Could not parse database URL: empty driver name after '+'"_s);

    const QString rest = text.mid(schemeEnd + 3);
    qsizetype pos = 0;

    // (?P<username>[^:/]*)(?::(?P<password>[^@]*))?@
    qsizetype userEnd = 0;
    while (userEnd < rest.size() && rest.at(userEnd) != QLatin1Char(':') &&
           rest.at(userEnd) != QLatin1Char('/'))
        ++userEnd;
    bool haveUser = false;
    QString rawUser;
    if (userEnd < rest.size() && rest.at(userEnd) == QLatin1Char(':')) {
        const qsizetype at = rest.indexOf(QLatin1Char('@'), userEnd + 1);
        if (at >= 0) {
            rawUser = rest.left(userEnd);
            url.m_password = percentDecoded(rest.mid(userEnd + 1, at - userEnd - 1));
            url.m_hasPassword = true;
            haveUser = true;
            pos = at + 1;
        }
    }
    if (!haveUser) {
        const qsizetype at = rest.left(userEnd).lastIndexOf(QLatin1Char('@'));
        if (at >= 0) {
            rawUser = rest.left(at);
            haveUser = true;
            pos = at + 1;
        }
    }
    url.m_user = percentDecoded(rawUser);

    // \[(?P<ipv6host>[^/\?]+)\] | (?P<ipv4host>[^/:\?]+)
    auto isOneOf = [&rest](qsizetype i, QLatin1StringView set) {
        return i < rest.size() && set.contains(rest.at(i));
    };
    bool ipv6 = false;
    if (pos < rest.size() && rest.at(pos) == QLatin1Char('[')) {
        qsizetype runEnd = pos + 1;
        while (runEnd < rest.size() && !isOneOf(runEnd, "/?"_L1))
            ++runEnd;
        const qsizetype close = rest.left(runEnd).lastIndexOf(QLatin1Char(']'));
        if (close > pos + 1) {
            url.m_host = percentDecoded(rest.mid(pos + 1, close - pos - 1));
            pos = close + 1;
            ipv6 = true;
        }
    }
    if (!ipv6) {
        const qsizetype start = pos;
        while (pos < rest.size() && !isOneOf(pos, "/:?"_L1))
            ++pos;
        url.m_host = percentDecoded(rest.mid(start, pos - start));
        if (rest.mid(start, pos - start).contains(QLatin1Char('@'))) {
            return urlError(
                u"Could not parse database URL: the host contains '@'; percent-encode '@' in the user "
                "name or password as %40"_s);
        }
    }

    // (?::(?P<port>[^/\?]*))?
    if (pos < rest.size() && rest.at(pos) == QLatin1Char(':')) {
        const qsizetype start = ++pos;
        while (pos < rest.size() && !isOneOf(pos, "/?"_L1))
            ++pos;
        // SQLAlchemy fails on "host:/db" too (int('')).
        const QString portText = rest.mid(start, pos - start);
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!ok || port < 1 || port > 65535) {
            const bool mayLeak =
                url.m_hasPassword && !url.m_password.isEmpty() && portText.contains(url.m_password);
            return urlError(u"Invalid port %1in database URL: expected a number from 1 to 65535"_s.arg(
                mayLeak ? QString() : u"'%1' "_s.arg(portText)));
        }
        url.m_port = port;
    }

    // (?:/(?P<database>[^\?]*))?
    if (pos < rest.size() && rest.at(pos) == QLatin1Char('/')) {
        const qsizetype start = ++pos;
        while (pos < rest.size() && rest.at(pos) != QLatin1Char('?'))
            ++pos;
        url.m_database = percentDecoded(rest.mid(start, pos - start));
        url.m_hasDatabasePart = true;
    }

    // (?:\?(?P<query>.*))?
    if (pos < rest.size() && rest.at(pos) == QLatin1Char('?')) {
        url.m_query = parseQuery(rest.mid(pos + 1));
        pos = rest.size();
    }
    if (pos < rest.size()) {
        // SQLAlchemy's re.match would silently ignore this ("[::1]x/db"); a typo is more likely.
        return urlError(u"Could not parse database URL: unexpected text after the host"_s);
    }

    if (url.m_backend == Backend::SQLite) {
        if (!url.m_host.isEmpty() || haveUser || url.m_port >= 0) {
            return urlError(u"SQLite URLs take no host, user or port: write sqlite:///relative/path.db or "
                            "sqlite:////absolute/path.db"_s);
        }
        if (url.m_database.isEmpty())
            url.m_database = u":memory:"_s;
        // Each one, since qtConnectOptions() passes each on, in milliseconds that Qt reads as an int.
        constexpr int maxTimeoutSeconds = std::numeric_limits<int>::max() / 1000;
        for (const auto &[key, timeout] : std::as_const(url.m_query)) {
            if (key != "timeout"_L1)
                continue;
            bool ok = false;
            const double seconds = timeout.toDouble(&ok);
            if (!ok || !(seconds >= 0)) // NaN too
                return urlError(
                    u"Invalid SQLite timeout '%1' in database URL: expected seconds"_s.arg(timeout));
            if (seconds > maxTimeoutSeconds)
                return urlError(
                    u"Invalid SQLite timeout '%1' in database URL: expected at most %2 seconds"_s.arg(
                        timeout, QString::number(maxTimeoutSeconds)));
        }
    }
    return url;
}

DatabaseUrl DatabaseUrl::fromParts(Backend backend, const QString &host, int port, const QString &database,
                                   const QString &user, const QString &password)
{
    DatabaseUrl url;
    url.m_backend = backend;
    switch (backend) {
    case Backend::SQLite:
        url.m_dialect = u"sqlite"_s;
        url.m_hasDatabasePart = !database.isEmpty();
        url.m_database = database.isEmpty() ? u":memory:"_s : database;
        return url;
    case Backend::PostgreSQL:
        url.m_dialect = u"postgresql"_s;
        break;
    case Backend::MySQL:
        url.m_dialect = u"mysql"_s;
        break;
    }
    url.m_host = host;
    url.m_port = port > 0 ? port : -1;
    url.m_database = database;
    url.m_hasDatabasePart = !database.isEmpty();
    url.m_user = user;
    url.m_password = password;
    url.m_hasPassword = !password.isEmpty();
    return url;
}

QString DatabaseUrl::dialectName() const
{
    return m_dialect;
}

QString DatabaseUrl::qtDriverName() const
{
    switch (m_backend) {
    case Backend::SQLite:
        return u"QSQLITE"_s;
    case Backend::PostgreSQL:
        return u"QPSQL"_s;
    case Backend::MySQL:
        return u"QMYSQL"_s;
    }
    return {};
}

QString DatabaseUrl::queryValue(const QString &key) const
{
    for (auto it = m_query.crbegin(); it != m_query.crend(); ++it) {
        if (it->first == key)
            return it->second;
    }
    return {};
}

bool DatabaseUrl::isSqliteMemory() const
{
    return m_backend == Backend::SQLite && (m_database.isEmpty() || m_database == ":memory:"_L1);
}

QString DatabaseUrl::sqliteFilePath(const QString &baseDirectory) const
{
    if (m_backend != Backend::SQLite || isSqliteMemory())
        return {};
    if (QFileInfo(m_database).isAbsolute())
        return QDir::cleanPath(m_database);
    return QDir::cleanPath(QDir(baseDirectory).absoluteFilePath(m_database));
}

QString DatabaseUrl::qtConnectOptions() const
{
    QStringList options;
    switch (m_backend) {
    case Backend::SQLite:
        for (const auto &[key, value] : m_query) {
            if (key == "timeout"_L1) {
                // SQLAlchemy (pysqlite) takes seconds, Qt milliseconds.
                options.append(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(qRound64(value.toDouble() * 1000)));
            } else if (key == "mode"_L1 && value == "ro"_L1) {
                options.append(u"QSQLITE_OPEN_READONLY"_s);
            }
        }
        break;
    case Backend::PostgreSQL:
        // psycopg2 hands the query to libpq as connection keywords, and so does QPSQL.
        for (const auto &[key, value] : m_query)
            options.append(key + QLatin1Char('=') + libpqValue(value));
        break;
    case Backend::MySQL: {
        static const QList<QPair<QLatin1StringView, QLatin1StringView>> mapping{
            {"unix_socket"_L1, "UNIX_SOCKET"_L1},
            {"ssl_ca"_L1, "SSL_CA"_L1},
            {"ssl_capath"_L1, "SSL_CAPATH"_L1},
            {"ssl_cert"_L1, "SSL_CERT"_L1},
            {"ssl_key"_L1, "SSL_KEY"_L1},
            {"ssl_cipher"_L1, "SSL_CIPHER"_L1},
            {"connect_timeout"_L1, "MYSQL_OPT_CONNECT_TIMEOUT"_L1},
            {"read_timeout"_L1, "MYSQL_OPT_READ_TIMEOUT"_L1},
            {"write_timeout"_L1, "MYSQL_OPT_WRITE_TIMEOUT"_L1},
        };
        // charset is deliberately not mapped: QMYSQL always sets utf8mb4 (or utf8) itself.
        for (const auto &[key, value] : m_query) {
            for (const auto &[urlKey, qtKey] : mapping) {
                if (key == urlKey)
                    options.append(qtKey + QLatin1Char('=') + value);
            }
        }
        break;
    }
    }
    return options.join(QLatin1Char(';'));
}

QString DatabaseUrl::toDisplayString() const
{
    return build(false);
}

QString DatabaseUrl::toUrlStringWithPassword() const
{
    return build(true);
}

QString DatabaseUrl::build(bool withPassword) const
{
    QString out = m_dialect;
    if (!m_driver.isEmpty())
        out += QLatin1Char('+') + m_driver;
    out += "://"_L1;
    if (m_backend != Backend::SQLite) {
        if (!m_user.isEmpty() || m_hasPassword) {
            out += encode(m_user, userInfoKeep);
            if (m_hasPassword)
                out += QLatin1Char(':') + (withPassword ? encode(m_password, userInfoKeep) : u"***"_s);
            out += QLatin1Char('@');
        }
        if (m_host.contains(QLatin1Char(':')))
            out += QLatin1Char('[') + encode(m_host, ipv6HostKeep) + QLatin1Char(']');
        else
            out += encode(m_host, userInfoKeep);
        if (m_port >= 0)
            out += QLatin1Char(':') + QString::number(m_port);
    }
    const bool escapeAt = !m_hasPassword && (m_port >= 0 || m_host.contains(QLatin1Char(':')));
    if (m_hasDatabasePart)
        out += QLatin1Char('/') + encode(m_database, escapeAt ? databaseKeepNoAt : databaseKeep);
    if (!m_query.isEmpty()) {
        QStringList pairs;
        for (const auto &[key, value] : m_query) {
            const bool masked = !withPassword && isSecretQueryKey(key);
            pairs.append(encode(key, queryKeep) + QLatin1Char('=') +
                         (masked ? u"***"_s : encode(value, queryKeep)));
        }
        out += QLatin1Char('?') + pairs.join(QLatin1Char('&'));
    }
    return out;
}

} // namespace qmigrate
