// SPDX-License-Identifier: MIT
#include "config/databaseurl.h"

#include <QTest>

using namespace Qt::StringLiterals;
using qmigrate::DatabaseUrl;

Q_DECLARE_METATYPE(DatabaseUrl::Backend)

namespace {

QString joinedQuery(const DatabaseUrl &url)
{
    QStringList pairs;
    for (const auto &[key, value] : url.queryItems())
        pairs.append(key + u'=' + value);
    return pairs.join(u'|');
}

} // namespace

// Host, user, password, port, database and query splits were checked against SQLAlchemy 1.4.46's make_url()
// on the same strings; qmigrate additionally percent-decodes host and database as the brief asks.
class TstDatabaseUrl : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<DatabaseUrl::Backend>("backend");
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QString>("driver");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("hasPassword");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("qtDriver");
        QTest::addColumn<QString>("display");

        using B = DatabaseUrl::Backend;
        QTest::newRow("sqlite_memory")
            << u"sqlite://"_s << B::SQLite << u"sqlite"_s << QString() << QString() << -1 << u":memory:"_s
            << QString() << QString() << false << QString() << u"QSQLITE"_s << u"sqlite://"_s;
        QTest::newRow("sqlite_memory_explicit")
            << u"sqlite:///:memory:"_s << B::SQLite << u"sqlite"_s << QString() << QString() << -1
            << u":memory:"_s << QString() << QString() << false << QString() << u"QSQLITE"_s
            << u"sqlite:///:memory:"_s;
        QTest::newRow("sqlite_relative")
            << u"sqlite:///relative/path.db"_s << B::SQLite << u"sqlite"_s << QString() << QString() << -1
            << u"relative/path.db"_s << QString() << QString() << false << QString() << u"QSQLITE"_s
            << u"sqlite:///relative/path.db"_s;
        QTest::newRow("sqlite_absolute")
            << u"sqlite:////abs/path.db"_s << B::SQLite << u"sqlite"_s << QString() << QString() << -1
            << u"/abs/path.db"_s << QString() << QString() << false << QString() << u"QSQLITE"_s
            << u"sqlite:////abs/path.db"_s;
        QTest::newRow("sqlite_driver")
            << u"sqlite+pysqlite:///x.db"_s << B::SQLite << u"sqlite"_s << u"pysqlite"_s << QString() << -1
            << u"x.db"_s << QString() << QString() << false << QString() << u"QSQLITE"_s
            << u"sqlite+pysqlite:///x.db"_s;
        QTest::newRow("sqlite_encoded_path")
            << u"sqlite:///my%20db%3F.db?timeout=2.5"_s << B::SQLite << u"sqlite"_s << QString() << QString()
            << -1 << u"my db?.db"_s << QString() << QString() << false << u"timeout=2.5"_s << u"QSQLITE"_s
            << u"sqlite:///my%20db%3F.db?timeout=2.5"_s;
        QTest::newRow("postgresql_empty")
            << u"postgresql://"_s << B::PostgreSQL << u"postgresql"_s << QString() << QString() << -1
            << QString() << QString() << QString() << false << QString() << u"QPSQL"_s << u"postgresql://"_s;
        QTest::newRow("psycopg2") << u"postgresql+psycopg2://scott:tiger@localhost:5433/mydb"_s
                                  << B::PostgreSQL << u"postgresql"_s << u"psycopg2"_s << u"localhost"_s
                                  << 5433 << u"mydb"_s << u"scott"_s << u"tiger"_s << true << QString()
                                  << u"QPSQL"_s << u"postgresql+psycopg2://scott:***@localhost:5433/mydb"_s;
        QTest::newRow("user_no_password")
            << u"postgresql://u@h/db"_s << B::PostgreSQL << u"postgresql"_s << QString() << u"h"_s << -1
            << u"db"_s << u"u"_s << QString() << false << QString() << u"QPSQL"_s << u"postgresql://u@h/db"_s;
        QTest::newRow("host_only") << u"postgresql://h"_s << B::PostgreSQL << u"postgresql"_s << QString()
                                   << u"h"_s << -1 << QString() << QString() << QString() << false
                                   << QString() << u"QPSQL"_s << u"postgresql://h"_s;
        QTest::newRow("encoded_password")
            << u"postgresql://u:p%40ss%3Aw%2Frd@h/db"_s << B::PostgreSQL << u"postgresql"_s << QString()
            << u"h"_s << -1 << u"db"_s << u"u"_s << u"p@ss:w/rd"_s << true << QString() << u"QPSQL"_s
            << u"postgresql://u:***@h/db"_s;
        QTest::newRow("encoded_user_and_database")
            << u"postgresql://u%40x:pw@h/d%20b"_s << B::PostgreSQL << u"postgresql"_s << QString() << u"h"_s
            << -1 << u"d b"_s << u"u@x"_s << u"pw"_s << true << QString() << u"QPSQL"_s
            << u"postgresql://u%40x:***@h/d%20b"_s;
        QTest::newRow("password_with_slash")
            << u"postgresql://u:p/w@h/db"_s << B::PostgreSQL << u"postgresql"_s << QString() << u"h"_s << -1
            << u"db"_s << u"u"_s << u"p/w"_s << true << QString() << u"QPSQL"_s
            << u"postgresql://u:***@h/db"_s;
        QTest::newRow("user_with_at") << u"postgresql://a@b@h/db"_s << B::PostgreSQL << u"postgresql"_s
                                      << QString() << u"h"_s << -1 << u"db"_s << u"a@b"_s << QString()
                                      << false << QString() << u"QPSQL"_s << u"postgresql://a%40b@h/db"_s;
        QTest::newRow("empty_user") << u"postgresql://:pw@h/db"_s << B::PostgreSQL << u"postgresql"_s
                                    << QString() << u"h"_s << -1 << u"db"_s << QString() << u"pw"_s << true
                                    << QString() << u"QPSQL"_s << u"postgresql://:***@h/db"_s;
        QTest::newRow("ipv6") << u"postgresql://[::1]:5432/db"_s << B::PostgreSQL << u"postgresql"_s
                              << QString() << u"::1"_s << 5432 << u"db"_s << QString() << QString() << false
                              << QString() << u"QPSQL"_s << u"postgresql://[::1]:5432/db"_s;
        QTest::newRow("ipv6_zone") << u"postgresql://[fe80::1%25eth0]/db"_s << B::PostgreSQL
                                   << u"postgresql"_s << QString() << u"fe80::1%eth0"_s << -1 << u"db"_s
                                   << QString() << QString() << false << QString() << u"QPSQL"_s
                                   << u"postgresql://[fe80::1%25eth0]/db"_s;
        QTest::newRow("ipv6_host_escapes")
            << u"postgresql://[a:%2F%3F%40b]/db"_s << B::PostgreSQL << u"postgresql"_s << QString()
            << u"a:/?@b"_s << -1 << u"db"_s << QString() << QString() << false << QString() << u"QPSQL"_s
            << u"postgresql://[a:%2F%3F%40b]/db"_s;
        QTest::newRow("at_after_port")
            << u"postgresql://u@h:5433/d%40b?x=a%40b"_s << B::PostgreSQL << u"postgresql"_s << QString()
            << u"h"_s << 5433 << u"d@b"_s << u"u"_s << QString() << false << u"x=a@b"_s << u"QPSQL"_s
            << u"postgresql://u@h:5433/d%40b?x=a%40b"_s;
        QTest::newRow("at_after_port_with_password")
            << u"postgresql://u:Secr3t@h:5433/d%40b"_s << B::PostgreSQL << u"postgresql"_s << QString()
            << u"h"_s << 5433 << u"d@b"_s << u"u"_s << u"Secr3t"_s << true << QString() << u"QPSQL"_s
            << u"postgresql://u:***@h:5433/d@b"_s;
        QTest::newRow("at_in_query_without_database")
            << u"postgresql://h?application_name=me%40there"_s << B::PostgreSQL << u"postgresql"_s
            << QString() << u"h"_s << -1 << QString() << QString() << QString() << false
            << u"application_name=me@there"_s << u"QPSQL"_s
            << u"postgresql://h?application_name=me%40there"_s;
        QTest::newRow("non_ascii_space_at_end")
            << u"postgresql://h/d%C2%A0"_s << B::PostgreSQL << u"postgresql"_s << QString() << u"h"_s << -1
            << u"d\u00a0"_s << QString() << QString() << false << QString() << u"QPSQL"_s
            << u"postgresql://h/d%C2%A0"_s;
        QTest::newRow("query")
            << u"postgresql://h/db?sslmode=require&options=-c%20search_path%3Dx&a=1&a=2&blank=&"
               "noeq&plus=a+b"_s
            << B::PostgreSQL << u"postgresql"_s << QString() << u"h"_s << -1 << u"db"_s << QString()
            << QString() << false << u"sslmode=require|options=-c search_path=x|a=1|a=2|plus=a b"_s
            << u"QPSQL"_s
            << u"postgresql://h/db?sslmode=require&options=-c%20search_path%3Dx&a=1&a=2&plus=a%20b"_s;
        QTest::newRow("query_password_masked")
            << u"postgresql://h/db?sslpassword=k3y"_s << B::PostgreSQL << u"postgresql"_s << QString()
            << u"h"_s << -1 << u"db"_s << QString() << QString() << false << u"sslpassword=k3y"_s
            << u"QPSQL"_s << u"postgresql://h/db?sslpassword=***"_s;
        QTest::newRow("mysql") << u"mysql://u:p@h:3306/db?charset=utf8mb4"_s << B::MySQL << u"mysql"_s
                               << QString() << u"h"_s << 3306 << u"db"_s << u"u"_s << u"p"_s << true
                               << u"charset=utf8mb4"_s << u"QMYSQL"_s
                               << u"mysql://u:***@h:3306/db?charset=utf8mb4"_s;
        QTest::newRow("pymysql") << u"mysql+pymysql://u@h/db?unix_socket=/run/mysqld/mysqld.sock"_s
                                 << B::MySQL << u"mysql"_s << u"pymysql"_s << u"h"_s << -1 << u"db"_s
                                 << u"u"_s << QString() << false << u"unix_socket=/run/mysqld/mysqld.sock"_s
                                 << u"QMYSQL"_s
                                 << u"mysql+pymysql://u@h/db?unix_socket=/run/mysqld/mysqld.sock"_s;
        QTest::newRow("mysqldb") << u"mysql+mysqldb://root@127.0.0.1/app"_s << B::MySQL << u"mysql"_s
                                 << u"mysqldb"_s << u"127.0.0.1"_s << -1 << u"app"_s << u"root"_s << QString()
                                 << false << QString() << u"QMYSQL"_s
                                 << u"mysql+mysqldb://root@127.0.0.1/app"_s;
        QTest::newRow("mariadb") << u"mariadb://u:pw@db.example.com/app"_s << B::MySQL << u"mariadb"_s
                                 << QString() << u"db.example.com"_s << -1 << u"app"_s << u"u"_s << u"pw"_s
                                 << true << QString() << u"QMYSQL"_s
                                 << u"mariadb://u:***@db.example.com/app"_s;
        QTest::newRow("mariadb_empty_password")
            << u"mariadb+mariadbconnector://u:@h/db"_s << B::MySQL << u"mariadb"_s << u"mariadbconnector"_s
            << u"h"_s << -1 << u"db"_s << u"u"_s << QString() << true << QString() << u"QMYSQL"_s
            << u"mariadb+mariadbconnector://u:***@h/db"_s;
        QTest::newRow("scheme_case") << u"PostgreSQL://h/db"_s << B::PostgreSQL << u"postgresql"_s
                                     << QString() << u"h"_s << -1 << u"db"_s << QString() << QString()
                                     << false << QString() << u"QPSQL"_s << u"postgresql://h/db"_s;
    }

    void parse()
    {
        QFETCH(QString, url);
        QFETCH(DatabaseUrl::Backend, backend);
        QFETCH(QString, dialect);
        QFETCH(QString, driver);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, database);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(bool, hasPassword);
        QFETCH(QString, query);
        QFETCH(QString, qtDriver);
        QFETCH(QString, display);

        const auto parsed = DatabaseUrl::parse(url);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
        QCOMPARE(parsed->backend(), backend);
        QCOMPARE(parsed->dialectName(), dialect);
        QCOMPARE(parsed->driverSuffix(), driver);
        QCOMPARE(parsed->host(), host);
        QCOMPARE(parsed->port(), port);
        QCOMPARE(parsed->database(), database);
        QCOMPARE(parsed->userName(), user);
        QCOMPARE(parsed->password(), password);
        QCOMPARE(parsed->hasPassword(), hasPassword);
        QCOMPARE(joinedQuery(*parsed), query);
        QCOMPARE(parsed->qtDriverName(), qtDriver);
        QCOMPARE(parsed->toDisplayString(), display);
        if (!password.isEmpty())
            QVERIFY(!parsed->toDisplayString().contains(password));

        // The full form parses back to the same parts.
        const auto again = DatabaseUrl::parse(parsed->toUrlStringWithPassword());
        QVERIFY2(again, qPrintable(parsed->toDisplayString()));
        QCOMPARE(again->host(), host);
        QCOMPARE(again->port(), port);
        QCOMPARE(again->database(), database);
        QCOMPARE(again->userName(), user);
        QCOMPARE(again->password(), password);
        QCOMPARE(again->hasPassword(), hasPassword);
        QCOMPARE(joinedQuery(*again), query);
    }

    void queryValueTakesLast()
    {
        const auto url = DatabaseUrl::parse(u"postgresql://h/db?a=1&b=x&a=2"_s);
        QVERIFY(url);
        QCOMPARE(url->queryValue(u"a"_s), u"2"_s);
        QCOMPARE(url->queryValue(u"b"_s), u"x"_s);
        QCOMPARE(url->queryValue(u"c"_s), QString());
    }

    void errors_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");

        const QString shape = u"Could not parse database URL: expected "
                              "dialect[+driver]://[user[:password]@]host[:port]/database"_s;
        QTest::newRow("empty") << u"  "_s << u"Empty database URL"_s;
        QTest::newRow("no_scheme") << u"localhost/db"_s << shape;
        QTest::newRow("bad_scheme_char") << u"post-gres://h/db"_s << shape;
        QTest::newRow("postgres")
            << u"postgres://u:Secr3t@h/db"_s
            << u"Unsupported database URL dialect 'postgres': SQLAlchemy 1.4 and later no "
               "longer accept 'postgres://'; write 'postgresql://' instead"_s;
        QTest::newRow("unknown")
            << u"oracle://u:Secr3t@h/db"_s
            << u"Unsupported database URL dialect 'oracle'; supported: sqlite, postgresql, mysql, "
               "mariadb"_s;
        QTest::newRow("empty_driver")
            << u"postgresql+://h/db"_s << u"Could not parse database URL: empty driver name after '+'"_s;
        QTest::newRow("port_text")
            << u"postgresql://u:Secr3t@h:abc/db"_s
            << u"Invalid port 'abc' in database URL: expected a number from 1 to 65535"_s;
        QTest::newRow("port_range")
            << u"postgresql://u:Secr3t@h:70000/db"_s
            << u"Invalid port '70000' in database URL: expected a number from 1 to 65535"_s;
        QTest::newRow("port_zero")
            << u"mysql://u:Secr3t@h:0/db"_s
            << u"Invalid port '0' in database URL: expected a number from 1 to 65535"_s;
        QTest::newRow("port_empty")
            << u"postgresql://u:Secr3t@h:/db"_s
            << u"Invalid port '' in database URL: expected a number from 1 to 65535"_s;
        QTest::newRow("port_negative")
            << u"postgresql://h:-5/db"_s
            << u"Invalid port '-5' in database URL: expected a number from 1 to 65535"_s;
        QTest::newRow("unencoded_at_in_password") << u"postgresql://u:Secr3t@x@h/db"_s
                                                  << u"Could not parse database URL: the host contains '@'; "
                                                     u"percent-encode '@' in the user name or password "
                                                     "as %40"_s;
        QTest::newRow("garbage_after_ipv6")
            << u"postgresql://[::1]x/db"_s
            << u"Could not parse database URL: unexpected text after the host"_s;
        QTest::newRow("sqlite_host")
            << u"sqlite://localhost/x.db"_s
            << u"SQLite URLs take no host, user or port: write sqlite:///relative/path.db or "
               "sqlite:////absolute/path.db"_s;
        QTest::newRow("sqlite_user")
            << u"sqlite://u:Secr3t@/x.db"_s
            << u"SQLite URLs take no host, user or port: write sqlite:///relative/path.db or "
               "sqlite:////absolute/path.db"_s;
        QTest::newRow("sqlite_timeout")
            << u"sqlite:///x.db?timeout=soon"_s
            << u"Invalid SQLite timeout 'soon' in database URL: expected seconds"_s;
        QTest::newRow("sqlite_timeout_not_last")
            << u"sqlite:///x.db?timeout=soon&timeout=1"_s
            << u"Invalid SQLite timeout 'soon' in database URL: expected seconds"_s;
        QTest::newRow("sqlite_timeout_nan")
            << u"sqlite:///x.db?timeout=nan"_s
            << u"Invalid SQLite timeout 'nan' in database URL: expected seconds"_s;
        QTest::newRow("sqlite_timeout_too_long")
            << u"sqlite:///x.db?timeout=2147484"_s
            << u"Invalid SQLite timeout '2147484' in database URL: expected at most 2147483 seconds"_s;
        QTest::newRow("sqlite_timeout_infinite")
            << u"sqlite:///x.db?timeout=inf"_s
            << u"Invalid SQLite timeout 'inf' in database URL: expected at most 2147483 seconds"_s;
    }

    void errors()
    {
        QFETCH(QString, url);
        QFETCH(QString, message);
        const auto parsed = DatabaseUrl::parse(url);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().message(), message);
        QCOMPARE(parsed.error().kind(), qmigrate::EngineError::Kind::Usage);
        QVERIFY(!parsed.error().toString().contains(u"Secr3t"_s));
    }

    void connectOptions_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("options");

        QTest::newRow("pg_none") << u"postgresql://h/db"_s << QString();
        QTest::newRow("pg_libpq")
            << u"postgresql://h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem&sslcert=/c.pem"
               "&sslkey=/k.pem&connect_timeout=10&application_name=qmigrate"_s
            << u"sslmode=verify-full;sslrootcert=/etc/ca.pem;sslcert=/c.pem;sslkey=/k.pem;"
               "connect_timeout=10;application_name=qmigrate"_s;
        QTest::newRow("pg_quoted")
            << u"postgresql://h/db?options=-c%20search_path%3Dapp&application_name=it's"_s
            << u"options='-c search_path=app';application_name='it\\'s'"_s;
        QTest::newRow("mysql_mapped")
            << u"mysql://u@h/db?unix_socket=/run/mysqld/mysqld.sock&ssl_ca=/ca.pem&ssl_cert=/c.pem&ssl_key=/"
               u"k.pem"
               "&connect_timeout=5&charset=utf8mb4&unknown=1"_s
            << u"UNIX_SOCKET=/run/mysqld/mysqld.sock;SSL_CA=/ca.pem;SSL_CERT=/c.pem;SSL_KEY=/k.pem;"
               "MYSQL_OPT_CONNECT_TIMEOUT=5"_s;
        QTest::newRow("mariadb_socket")
            << u"mariadb://root@localhost/app?unix_socket=/tmp/s.sock"_s << u"UNIX_SOCKET=/tmp/s.sock"_s;
        QTest::newRow("sqlite_timeout") << u"sqlite:///x.db?timeout=2.5"_s << u"QSQLITE_BUSY_TIMEOUT=2500"_s;
        QTest::newRow("sqlite_readonly")
            << u"sqlite:///x.db?mode=ro&timeout=1"_s << u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=1000"_s;
        QTest::newRow("sqlite_rw") << u"sqlite:///x.db?mode=rw"_s << QString();
    }

    void connectOptions()
    {
        QFETCH(QString, url);
        QFETCH(QString, options);
        const auto parsed = DatabaseUrl::parse(url);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
        QCOMPARE(parsed->qtConnectOptions(), options);
    }

    void sqliteFilePath_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("path");
        QTest::newRow("relative") << u"sqlite:///data/app.db"_s << u"/proj/data/app.db"_s;
        QTest::newRow("dotdot") << u"sqlite:///../app.db"_s << u"/app.db"_s;
        QTest::newRow("absolute") << u"sqlite:////var/lib/app.db"_s << u"/var/lib/app.db"_s;
        QTest::newRow("memory") << u"sqlite://"_s << QString();
        QTest::newRow("memory_explicit") << u"sqlite:///:memory:"_s << QString();
        QTest::newRow("not_sqlite") << u"postgresql://h/db"_s << QString();
    }

    void sqliteFilePath()
    {
        QFETCH(QString, url);
        QFETCH(QString, path);
        const auto parsed = DatabaseUrl::parse(url);
        QVERIFY(parsed);
        QCOMPARE(parsed->sqliteFilePath(u"/proj"_s), path);
        QCOMPARE(parsed->isSqliteMemory(), url.startsWith(u"sqlite:"_s) && path.isEmpty());
    }

    void fromParts_data()
    {
        QTest::addColumn<DatabaseUrl::Backend>("backend");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("full");
        QTest::addColumn<QString>("display");

        using B = DatabaseUrl::Backend;
        QTest::newRow("env_default") << B::PostgreSQL << u"db.local"_s << 5432 << u"app"_s << u"postgres"_s
                                     << u"postgres"_s << u"postgresql://postgres:postgres@db.local:5432/app"_s
                                     << u"postgresql://postgres:***@db.local:5432/app"_s;
        QTest::newRow("special_password")
            << B::PostgreSQL << u"h"_s << 5432 << u"my db"_s << u"us:er@x"_s << u"p@:/%?#&= w"_s
            << u"postgresql://us%3Aer%40x:p%40%3A%2F%25%3F%23&=%20w@h:5432/my%20db"_s
            << u"postgresql://us%3Aer%40x:***@h:5432/my%20db"_s;
        QTest::newRow("no_password") << B::MySQL << u"h"_s << 0 << u"app"_s << u"root"_s << QString()
                                     << u"mysql://root@h/app"_s << u"mysql://root@h/app"_s;
        QTest::newRow("ipv6") << B::PostgreSQL << u"::1"_s << 5433 << u"app"_s << QString() << QString()
                              << u"postgresql://[::1]:5433/app"_s << u"postgresql://[::1]:5433/app"_s;
        QTest::newRow("non_ascii") << B::PostgreSQL << u"h"_s << -1 << u"base"_s << u"j\u00fcrgen"_s
                                   << u"\u00e9t\u00e9"_s << u"postgresql://j\u00fcrgen:\u00e9t\u00e9@h/base"_s
                                   << u"postgresql://j\u00fcrgen:***@h/base"_s;
        QTest::newRow("sqlite_file") << B::SQLite << u"ignored"_s << 1 << u"/srv/app.db"_s << u"u"_s << u"p"_s
                                     << u"sqlite:////srv/app.db"_s << u"sqlite:////srv/app.db"_s;
        QTest::newRow("sqlite_memory") << B::SQLite << QString() << -1 << QString() << QString() << QString()
                                       << u"sqlite://"_s << u"sqlite://"_s;
    }

    void fromParts()
    {
        QFETCH(DatabaseUrl::Backend, backend);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, database);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, full);
        QFETCH(QString, display);

        const DatabaseUrl built = DatabaseUrl::fromParts(backend, host, port, database, user, password);
        QCOMPARE(built.toUrlStringWithPassword(), full);
        QCOMPARE(built.toDisplayString(), display);

        const auto parsed = DatabaseUrl::parse(full);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().toString()));
        QCOMPARE(parsed->backend(), backend);
        if (backend == DatabaseUrl::Backend::SQLite) {
            QCOMPARE(parsed->database(), database.isEmpty() ? u":memory:"_s : database);
            return;
        }
        QCOMPARE(parsed->host(), host);
        QCOMPARE(parsed->port(), port > 0 ? port : -1);
        QCOMPARE(parsed->database(), database);
        QCOMPARE(parsed->userName(), user);
        QCOMPARE(parsed->password(), password);
        QCOMPARE(parsed->hasPassword(), !password.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstDatabaseUrl)
#include "tst_databaseurl.moc"
