// SPDX-License-Identifier: MIT
#include "connections/connectionprofile.h"
#include "connections/connectionprofilestore.h"

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

ConnectionProfile postgresProfile(const QString &name)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.backend = DatabaseUrl::Backend::PostgreSQL;
    profile.host = u"db.example.org"_s;
    profile.port = 6543;
    profile.database = u"inventory"_s;
    profile.user = u"app"_s;
    profile.sslMode = u"verify-full"_s;
    return profile;
}

ConnectionProfile sqliteProfile(const QString &name, const QString &file)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.backend = DatabaseUrl::Backend::SQLite;
    profile.sqliteFile = file;
    return profile;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestConnectionProfile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString iniPath(const QString &name) const { return m_dir.filePath(name + u".ini"_s); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void urlBuilding_data()
    {
        QTest::addColumn<ConnectionProfile>("profile");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("display");

        QTest::newRow("postgresql with sslmode") << postgresProfile(u"p"_s) << u"pw"_s
                                                 << u"postgresql://app:***@db.example.org:6543/inventory"
                                                    "?sslmode=verify-full"_s;
        ConnectionProfile defaultPort = postgresProfile(u"p"_s);
        defaultPort.port = 0;
        defaultPort.sslMode.clear();
        QTest::newRow("postgresql default port, no password")
            << defaultPort << QString() << u"postgresql://app@db.example.org:5432/inventory"_s;
        ConnectionProfile maria = postgresProfile(u"m"_s);
        maria.backend = DatabaseUrl::Backend::MySQL;
        maria.port = 0;
        QTest::newRow("mariadb ignores sslmode")
            << maria << u"pw"_s << u"mysql://app:***@db.example.org:3306/inventory"_s;
        QTest::newRow("sqlite relative")
            << sqliteProfile(u"s"_s, u"data/app.db"_s) << u"ignored"_s << u"sqlite:///data/app.db"_s;
        QTest::newRow("sqlite absolute")
            << sqliteProfile(u"s"_s, u"/srv/app.db"_s) << QString() << u"sqlite:////srv/app.db"_s;
        QTest::newRow("sqlite memory") << sqliteProfile(u"s"_s, u":memory:"_s) << QString() << u"sqlite://"_s;
    }

    void urlBuilding()
    {
        QFETCH(ConnectionProfile, profile);
        QFETCH(QString, password);
        QFETCH(QString, display);
        QVERIFY2(profile.validationError().isEmpty(), qPrintable(profile.validationError()));
        const DatabaseUrl url = profile.url(password);
        QCOMPARE(url.toDisplayString(), display);
        QVERIFY(!profile.displayUrl().contains(u"***"_s));
        if (profile.backend != DatabaseUrl::Backend::SQLite) {
            QCOMPARE(url.password(), password);
            QCOMPARE(url.port(), profile.effectivePort());
            QVERIFY(!profile.displayUrl().contains(u':' + password + u'@'));
        }
    }

    void sqliteRelativeToProjectDirectory()
    {
        const DatabaseUrl url = sqliteProfile(u"s"_s, u"data/app.db"_s).url({});
        QCOMPARE(url.sqliteFilePath(u"/home/me/project"_s), u"/home/me/project/data/app.db"_s);
        QCOMPARE(sqliteProfile(u"s"_s, u"/srv/app.db"_s).url({}).sqliteFilePath(u"/home/me/project"_s),
                 u"/srv/app.db"_s);
    }

    void specialCharactersInPassword_data()
    {
        QTest::addColumn<QString>("password");
        QTest::newRow("url delimiters") << u"p@ss:w/rd?x#y&z=1+2%41"_s;
        QTest::newRow("quotes and spaces") << u"it's a \"pass\" word\\"_s;
        QTest::newRow("non-ascii") << u"pässwörd€😀"_s;
        QTest::newRow("looks encoded") << u"%40%3A%2F"_s;
    }

    void specialCharactersInPassword()
    {
        QFETCH(QString, password);
        ConnectionProfile profile = postgresProfile(u"p"_s);
        profile.user = u"user@corp:x"_s;
        const DatabaseUrl url = profile.url(password);
        QCOMPARE(url.password(), password);
        QCOMPARE(url.userName(), u"user@corp:x"_s);
        QCOMPARE(url.host(), u"db.example.org"_s);
        QCOMPARE(url.queryValue(u"sslmode"_s), u"verify-full"_s);
        // The text form parses back to the same parts (what a child process gets).
        const Expected<DatabaseUrl> again = DatabaseUrl::parse(url.toUrlStringWithPassword());
        QVERIFY2(again, qPrintable(again ? QString() : again.error().message()));
        QCOMPARE(again->password(), password);
        QCOMPARE(again->userName(), u"user@corp:x"_s);
        QCOMPARE(again->port(), 6543);
        QVERIFY(!url.toDisplayString().contains(password));
        QVERIFY(!profile.displayUrl().contains(password));
    }

    void validation_data()
    {
        QTest::addColumn<ConnectionProfile>("profile");
        QTest::addColumn<QString>("expected"); // part of the message

        QTest::newRow("empty name") << sqliteProfile({}, u"a.db"_s) << u"needs a name"_s;
        QTest::newRow("spaces around name") << sqliteProfile(u" x"_s, u"a.db"_s) << u"spaces"_s;
        QTest::newRow("line break") << sqliteProfile(u"a\nb"_s, u"a.db"_s) << u"control character"_s;
        QTest::newRow("reserved") << sqliteProfile(ConnectionProfile::environmentProfileName(), u"a.db"_s)
                                  << u"reserved"_s;
        QTest::newRow("no sqlite file") << sqliteProfile(u"s"_s, {}) << u"SQLite database file"_s;
        ConnectionProfile noHost = postgresProfile(u"p"_s);
        noHost.host.clear();
        QTest::newRow("no host") << noHost << u"host is empty"_s;
        ConnectionProfile badPort = postgresProfile(u"p"_s);
        badPort.port = 70000;
        QTest::newRow("port") << badPort << u"70000"_s;
        ConnectionProfile badSsl = postgresProfile(u"p"_s);
        badSsl.sslMode = u"sometimes"_s;
        QTest::newRow("ssl mode") << badSsl << u"sometimes"_s;
        ConnectionProfile slash = postgresProfile(u"p"_s);
        slash.host = u"a/b"_s;
        QTest::newRow("host with slash") << slash << u"a/b"_s;
    }

    void validation()
    {
        QFETCH(ConnectionProfile, profile);
        QFETCH(QString, expected);
        const QString error = profile.validationError();
        QVERIFY2(error.contains(expected), qPrintable(error));
        ConnectionProfileStore store(iniPath(u"validation"_s));
        QString storeError;
        QVERIFY(!store.addOrUpdate(profile, &storeError));
        QCOMPARE(storeError, error);
        QVERIFY(store.profiles().isEmpty());
    }

    void environmentProfile_data()
    {
        QTest::addColumn<QStringList>("variables"); // KEY=VALUE
        QTest::addColumn<bool>("exists");
        QTest::addColumn<QString>("url"); // with password
        QTest::addColumn<QString>("password");

        QTest::newRow("no DB_HOST") << QStringList{u"DB_NAME=x"_s, u"DB_USER=u"_s} << false << QString()
                                    << QString();
        QTest::newRow("empty DB_HOST") << QStringList{u"DB_HOST="_s} << false << QString() << QString();
        QTest::newRow("defaults") << QStringList{u"DB_HOST=db"_s, u"DB_NAME=app"_s} << true
                                  << u"postgresql://postgres:postgres@db:5432/app"_s << u"postgres"_s;
        QTest::newRow("empty values take defaults, an empty password is none")
            << QStringList{u"DB_HOST=db"_s, u"DB_PORT="_s, u"DB_USER="_s, u"DB_PASSWORD="_s, u"DB_NAME=app"_s}
            << true << u"postgresql://postgres@db:5432/app"_s << QString();
        QTest::newRow("all set") << QStringList{u"DB_HOST=10.0.0.5"_s, u"DB_PORT=6000"_s, u"DB_NAME=inv"_s,
                                                u"DB_USER=ops"_s, u"DB_PASSWORD=p@ss/w:rd"_s}
                                 << true << u"postgresql://ops:p%40ss%2Fw%3Ard@10.0.0.5:6000/inv"_s
                                 << u"p@ss/w:rd"_s;
    }

    void environmentProfile()
    {
        QFETCH(QStringList, variables);
        QFETCH(bool, exists);
        QFETCH(QString, url);
        QFETCH(QString, password);
        QProcessEnvironment environment;
        for (const QString &variable : variables)
            environment.insert(variable.section(u'=', 0, 0), variable.section(u'=', 1));
        QString envPassword = u"untouched"_s;
        const std::optional<ConnectionProfile> profile =
            ConnectionProfile::fromEnvironment(environment, &envPassword);
        QCOMPARE(profile.has_value(), exists);
        if (!exists) {
            QCOMPARE(envPassword, u"untouched"_s);
            return;
        }
        QVERIFY(profile->isFromEnvironment);
        QCOMPARE(profile->name, ConnectionProfile::environmentProfileName());
        QCOMPARE(profile->backend, DatabaseUrl::Backend::PostgreSQL);
        QVERIFY2(profile->validationError().isEmpty(), qPrintable(profile->validationError()));
        QCOMPARE(envPassword, password);
        QCOMPARE(profile->url(envPassword).toUrlStringWithPassword(), url);
        QVERIFY(!profile->displayUrl().contains(u':' + password + u'@'));

        // Never stored.
        ConnectionProfileStore store(iniPath(u"environment"_s));
        QString error;
        QVERIFY(!store.addOrUpdate(*profile, &error));
        QVERIFY2(error.contains(u"DB_HOST"_s), qPrintable(error));
    }

    // As the CLI: DB_HOST without DB_NAME would connect to the server's default database.
    void environmentWithoutDatabaseName()
    {
        QProcessEnvironment environment;
        environment.insert(u"DB_HOST"_s, u"db"_s);
        const std::optional<ConnectionProfile> profile = ConnectionProfile::fromEnvironment(environment);
        QVERIFY(profile);
        QVERIFY2(profile->validationError().contains(u"DB_NAME"_s), qPrintable(profile->validationError()));
    }

    void environmentBadPort()
    {
        QProcessEnvironment environment;
        environment.insert(u"DB_HOST"_s, u"db"_s);
        environment.insert(u"DB_NAME"_s, u"app"_s);
        environment.insert(u"DB_PORT"_s, u"fivefourthreetwo"_s);
        const std::optional<ConnectionProfile> profile = ConnectionProfile::fromEnvironment(environment);
        QVERIFY(profile);
        QVERIFY2(profile->validationError().contains(u"DB_PORT"_s), qPrintable(profile->validationError()));
    }

    void fromUrl()
    {
        // The bundled example's URL form: an absolute path after %(here)s.
        const Expected<DatabaseUrl> sqlite =
            DatabaseUrl::parse(u"sqlite:////home/me/migrations/example.db"_s);
        QVERIFY(sqlite);
        const ConnectionProfile example = ConnectionProfile::fromUrl(u"Project (alembic.ini)"_s, *sqlite);
        QCOMPARE(example.backend, DatabaseUrl::Backend::SQLite);
        QCOMPARE(example.sqliteFile, u"/home/me/migrations/example.db"_s);
        QVERIFY(example.validationError().isEmpty());
        QCOMPARE(example.url({}).toDisplayString(), sqlite->toDisplayString());

        const Expected<DatabaseUrl> pg = DatabaseUrl::parse(
            u"postgresql+psycopg2://me:se%40cret@pg.local:5433/shop?sslmode=require&application_name=x"_s);
        QVERIFY(pg);
        QString password;
        const ConnectionProfile shop = ConnectionProfile::fromUrl(u"shop"_s, *pg, &password);
        QCOMPARE(password, u"se@cret"_s);
        QCOMPARE(shop.host, u"pg.local"_s);
        QCOMPARE(shop.port, 5433);
        QCOMPARE(shop.database, u"shop"_s);
        QCOMPARE(shop.user, u"me"_s);
        QCOMPARE(shop.sslMode, u"require"_s);
        QCOMPARE(shop.url(password).toUrlStringWithPassword(),
                 u"postgresql://me:se%40cret@pg.local:5433/shop?sslmode=require"_s);

        const Expected<DatabaseUrl> maria = DatabaseUrl::parse(u"mariadb://root@127.0.0.1/app"_s);
        QVERIFY(maria);
        const ConnectionProfile m = ConnectionProfile::fromUrl(u"m"_s, *maria);
        QCOMPARE(m.backend, DatabaseUrl::Backend::MySQL);
        QCOMPARE(m.effectivePort(), 3306);
    }

    void storeRoundTrip()
    {
        const QString path = iniPath(u"roundtrip"_s);
        ConnectionProfile pg = postgresProfile(u"staging / eu"_s);
        pg.rememberPassword = true;
        ConnectionProfile maria = postgresProfile(u"maria"_s);
        maria.backend = DatabaseUrl::Backend::MySQL;
        maria.sslMode.clear();
        const ConnectionProfile lite = sqliteProfile(u"local"_s, u"data/app.db"_s);
        {
            ConnectionProfileStore store(path);
            QSignalSpy changed(&store, &ConnectionProfileStore::profilesChanged);
            QString error;
            QVERIFY2(store.addOrUpdate(pg, &error), qPrintable(error));
            QVERIFY2(store.addOrUpdate(lite, &error), qPrintable(error));
            QVERIFY2(store.addOrUpdate(maria, &error), qPrintable(error));
            QCOMPARE(changed.count(), 3);
            // Unchanged: no write, no signal.
            QVERIFY(store.addOrUpdate(lite));
            QCOMPARE(changed.count(), 3);
            store.setCurrentProfileName(u"/projects/shop"_s, u"local"_s);
            QCOMPARE(store.settingsFileName(), path);
        }
        ConnectionProfileStore reopened(path);
        QCOMPARE(reopened.profileNames(), (QStringList{u"staging / eu"_s, u"local"_s, u"maria"_s}));
        QCOMPARE(reopened.profile(u"staging / eu"_s), pg);
        QCOMPARE(reopened.profile(u"local"_s), lite);
        QCOMPARE(reopened.profile(u"maria"_s), maria);
        QCOMPARE(reopened.currentProfileName(u"/projects/shop"_s), u"local"_s);
        // Each project its own: one never opened starts on its own database.
        QCOMPARE(reopened.currentProfileName(u"/projects/blog"_s), QString());
        QVERIFY(!reopened.profile(u"nope"_s));

        // Update in place keeps the order.
        pg.port = 5432;
        pg.backend = DatabaseUrl::Backend::MySQL;
        pg.sslMode.clear();
        QVERIFY(reopened.addOrUpdate(pg));
        QCOMPARE(reopened.profileNames(), (QStringList{u"staging / eu"_s, u"local"_s, u"maria"_s}));
        QCOMPARE(ConnectionProfileStore(path).profile(u"staging / eu"_s), pg);
    }

    void storeRenameAndRemove()
    {
        const QString path = iniPath(u"rename"_s);
        ConnectionProfileStore store(path);
        QSignalSpy changed(&store, &ConnectionProfileStore::profilesChanged);
        QVERIFY(store.addOrUpdate(sqliteProfile(u"a"_s, u"a.db"_s)));
        QVERIFY(store.addOrUpdate(sqliteProfile(u"b"_s, u"b.db"_s)));
        QVERIFY(store.addOrUpdate(sqliteProfile(u"c"_s, u"c.db"_s)));
        const QString shop = u"/projects/shop"_s, blog = u"/projects/blog"_s, wiki = u"/projects/wiki"_s;
        store.setCurrentProfileName(shop, u"b"_s);
        store.setCurrentProfileName(blog, u"b"_s);
        store.setCurrentProfileName(wiki, u"a"_s);
        changed.clear();

        QString error;
        QVERIFY(!store.rename(u"a"_s, u"c"_s, &error));
        QVERIFY2(error.contains(u"exists already"_s), qPrintable(error));
        QVERIFY(!store.rename(u"zzz"_s, u"y"_s, &error));
        QVERIFY2(error.contains(u"zzz"_s), qPrintable(error));
        QVERIFY(!store.rename(u"a"_s, u""_s, &error));
        QVERIFY2(error.contains(u"name"_s), qPrintable(error));
        QCOMPARE(changed.count(), 0);

        QVERIFY2(store.rename(u"b"_s, u"bee"_s, &error), qPrintable(error));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(store.profileNames(), (QStringList{u"a"_s, u"bee"_s, u"c"_s}));
        QCOMPARE(store.profile(u"bee"_s)->sqliteFile, u"b.db"_s);
        QCOMPARE(store.currentProfileName(shop), u"bee"_s);
        QCOMPARE(store.currentProfileName(blog), u"bee"_s);
        QCOMPARE(store.currentProfileName(wiki), u"a"_s);

        QVERIFY(!store.remove(u"b"_s, &error));
        QVERIFY2(error.contains(u"'b'"_s), qPrintable(error));
        QVERIFY(store.remove(u"bee"_s));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(store.currentProfileName(shop), QString());
        QCOMPARE(store.currentProfileName(blog), QString());
        QCOMPARE(store.currentProfileName(wiki), u"a"_s);
        store.setCurrentProfileName(wiki, QString());
        QCOMPARE(store.currentProfileName(wiki), QString());
        QVERIFY(!readAll(path).contains("currentByProject"));
        QCOMPARE(ConnectionProfileStore(path).profileNames(), (QStringList{u"a"_s, u"c"_s}));
        // No stale keys of the removed element remain.
        QVERIFY(!readAll(path).contains("b.db"));
    }

    void switchingBackendDropsStaleFields()
    {
        const QString path = iniPath(u"switch"_s);
        ConnectionProfileStore store(path);
        QVERIFY(store.addOrUpdate(postgresProfile(u"x"_s)));
        QVERIFY(store.addOrUpdate(sqliteProfile(u"x"_s, u"x.db"_s)));
        const QByteArray text = readAll(path);
        QVERIFY2(!text.contains("db.example.org"), text.constData());
        QCOMPARE(store.profile(u"x"_s), sqliteProfile(u"x"_s, u"x.db"_s));
    }

    void passwordNeverInSettings()
    {
        // The default constructor writes to the application's settings, which test mode keeps away from the
        // user's files; nothing a store is given may carry a password into them.
        QCoreApplication::setOrganizationName(u"qmigrate-tests"_s);
        QCoreApplication::setApplicationName(u"tst_connectionprofile"_s);
        const QString secret = u"Tr0ub4dor&3-never-on-disk"_s;
        const Expected<DatabaseUrl> url =
            DatabaseUrl::parse(u"postgresql://me:%1@db/app"_s.arg(DatabaseUrl::percentEncoded(secret)));
        QVERIFY(url);
        QString password;
        const ConnectionProfile profile = ConnectionProfile::fromUrl(u"from url"_s, *url, &password);
        QCOMPARE(password, secret);

        ConnectionProfileStore store;
        QVERIFY2(store.settingsFileName().contains(u".qttest"_s), qPrintable(store.settingsFileName()));
        QVERIFY(store.addOrUpdate(profile));
        store.setCurrentProfileName(u"/projects/shop"_s, profile.name);
        const QByteArray text = readAll(store.settingsFileName());
        QVERIFY2(text.contains("from url") && text.contains("db"), text.constData());
        QVERIFY2(!text.contains(secret.toUtf8()), text.constData());
        QVERIFY(!text.contains(DatabaseUrl::percentEncoded(secret).toUtf8()));
        QVERIFY(!text.contains("\\password="));
        QVERIFY(store.remove(profile.name));
        QFile::remove(store.settingsFileName());
    }
};

QTEST_GUILESS_MAIN(TestConnectionProfile)
#include "tst_connectionprofile.moc"
