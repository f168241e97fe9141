// SPDX-License-Identifier: MIT
// DatabaseUrl: SQLAlchemy-style URLs from alembic.ini, the environment, --url and connection profiles, and
// every form the engine derives from one (Qt connect options, display and full text, URLs rebuilt from
// parts).

#include "fuzzcheck.h"

#include "config/databaseurl.h"

#include <QFileInfo>

#include <cstdint>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

using Backend = DatabaseUrl::Backend;

bool sameParts(const DatabaseUrl &a, const DatabaseUrl &b)
{
    return a.backend() == b.backend() && a.dialectName() == b.dialectName() &&
           a.driverSuffix() == b.driverSuffix() && a.host() == b.host() && a.port() == b.port() &&
           a.database() == b.database() && a.userName() == b.userName() && a.password() == b.password() &&
           a.hasPassword() == b.hasPassword() && a.queryItems() == b.queryItems();
}

// Nothing that could end a URL component is left as it is: only unreserved ASCII, "%XX" and non-ASCII text.
bool isPercentEncoded(const QString &text)
{
    const auto isHexDigit = [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c >= 0x80 || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
            c == u'-' || c == u'.' || c == u'_' || c == u'~')
            continue;
        if (c != u'%' || i + 2 >= text.size() || !isHexDigit(text.at(i + 1)) || !isHexDigit(text.at(i + 2)))
            return false;
        i += 2;
    }
    return true;
}

void checkAccessors(const DatabaseUrl &url)
{
    FUZZ_CHECK(DatabaseUrl::supportedDialects().contains(url.dialectName()));
    switch (url.backend()) {
    case Backend::SQLite:
        FUZZ_CHECK(url.qtDriverName() == u"QSQLITE" && url.dialectName() == u"sqlite");
        FUZZ_CHECK(url.host().isEmpty() && url.userName().isEmpty() && url.port() == -1 &&
                   !url.hasPassword());
        FUZZ_CHECK(!url.database().isEmpty());
        if (url.isSqliteMemory()) {
            FUZZ_CHECK(url.sqliteFilePath(u"/base"_s).isEmpty());
        } else {
            FUZZ_CHECK(QFileInfo(url.sqliteFilePath(u"/base"_s)).isAbsolute());
        }
        break;
    case Backend::PostgreSQL:
        FUZZ_CHECK(url.qtDriverName() == u"QPSQL" && url.dialectName() == u"postgresql");
        FUZZ_CHECK(!url.isSqliteMemory() && url.sqliteFilePath(u"/base"_s).isEmpty());
        break;
    case Backend::MySQL:
        FUZZ_CHECK(url.qtDriverName() == u"QMYSQL");
        FUZZ_CHECK(!url.isSqliteMemory() && url.sqliteFilePath(u"/base"_s).isEmpty());
        break;
    }
    FUZZ_CHECK(url.port() == -1 || (url.port() >= 1 && url.port() <= 65535));
    FUZZ_CHECK(url.password().isEmpty() || url.hasPassword());
    const QList<QPair<QString, QString>> query = url.queryItems();
    for (const auto &[key, value] : query) {
        FUZZ_CHECK(!value.isEmpty());
        QString last;
        for (const auto &item : query) {
            if (item.first == key)
                last = item.second;
        }
        FUZZ_CHECK(url.queryValue(key) == last);
    }
    const QString options = url.qtConnectOptions();
    Q_UNUSED(options);
    for (const QString &part : {url.host(), url.database(), url.userName(), url.password()})
        FUZZ_CHECK(isPercentEncoded(DatabaseUrl::percentEncoded(part)));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::setUp();
    const Expected<DatabaseUrl> url = DatabaseUrl::parse(fuzz::fromUtf8(data, size));
    if (!url) {
        FUZZ_CHECK(url.error().kind() == EngineError::Kind::Usage && url.error().file().isEmpty());
        return 0;
    }
    checkAccessors(*url);

    // The full text parses back to the same URL: the engine relies on it to add options to a URL it was given
    // and to hand a URL to a child process.
    const QString full = url->toUrlStringWithPassword();
    const Expected<DatabaseUrl> again = DatabaseUrl::parse(full);
    FUZZ_CHECK(again);
    FUZZ_CHECK(sameParts(*url, *again));
    FUZZ_CHECK(again->toUrlStringWithPassword() == full);

    // The display form never depends on the password.
    const QString display = url->toDisplayString();
    if (url->hasPassword()) {
        DatabaseUrl other = *url;
        other.setPassword(url->password() + u"x"_s);
        FUZZ_CHECK(other.toDisplayString() == display);
    }

    // A URL rebuilt from its parts (new scratch databases, connection profiles) parses back to those parts.
    const DatabaseUrl rebuilt = DatabaseUrl::fromParts(url->backend(), url->host(), url->port(),
                                                       url->database(), url->userName(), url->password());
    const Expected<DatabaseUrl> rebuiltAgain = DatabaseUrl::parse(rebuilt.toUrlStringWithPassword());
    FUZZ_CHECK(rebuiltAgain);
    FUZZ_CHECK(rebuiltAgain->backend() == url->backend() && rebuiltAgain->host() == url->host());
    FUZZ_CHECK(rebuiltAgain->port() == url->port() && rebuiltAgain->database() == url->database());
    FUZZ_CHECK(rebuiltAgain->userName() == url->userName() && rebuiltAgain->password() == url->password());
    return 0;
}
