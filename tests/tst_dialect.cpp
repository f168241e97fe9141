// SPDX-License-Identifier: MIT
#include "database/dialect.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

Q_DECLARE_METATYPE(qmigrate::DatabaseUrl::Backend)

namespace {

using Backend = DatabaseUrl::Backend;

Dialect configured(Backend backend, const QString &table, const QString &schema)
{
    Dialect d = Dialect::forBackend(backend);
    if (!table.isEmpty())
        d.setVersionTable(table);
    d.setVersionTableSchema(schema);
    return d;
}

} // namespace

class TestDialect : public QObject
{
    Q_OBJECT

private slots:
    void facts_data();
    void facts();
    void quoting_data();
    void quoting();
    void literals_data();
    void literals();
    void versionTableSql_data();
    void versionTableSql();
    void versionTableWithoutPrimaryKey();
    void existsQuery_data();
    void existsQuery();
    void locks();
    void lockKeyIsStableAndDistinct();
    void mysqlLockNameFitsInSixtyFourCharacters();
};

void TestDialect::facts_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("impl");
    QTest::addColumn<bool>("transactional");
    QTest::addColumn<bool>("alembicTransactional");
    QTest::addColumn<QString>("offlineBegin");
    QTest::addColumn<QString>("offlineCommit");

    // Impl names and the offline BEGIN/COMMIT as Alembic 1.8.1 prints them ("Context impl …",
    // "Will assume (non-)transactional DDL.").
    QTest::newRow("sqlite") << Backend::SQLite << u"sqlite"_s << u"SQLiteImpl"_s << true << false << QString()
                            << QString();
    QTest::newRow("postgresql") << Backend::PostgreSQL << u"postgresql"_s << u"PostgresqlImpl"_s << true
                                << true << u"BEGIN"_s << u"COMMIT"_s;
    QTest::newRow("mysql") << Backend::MySQL << u"mysql"_s << u"MySQLImpl"_s << false << false << QString()
                           << QString();
}

void TestDialect::facts()
{
    QFETCH(Backend, backend);
    QFETCH(QString, name);
    QFETCH(QString, impl);
    QFETCH(bool, transactional);
    QFETCH(bool, alembicTransactional);
    QFETCH(QString, offlineBegin);
    QFETCH(QString, offlineCommit);

    const Dialect d = Dialect::forBackend(backend);
    QCOMPARE(d.backend(), backend);
    QCOMPARE(d.name(), name);
    QCOMPARE(d.alembicImplName(), impl);
    QCOMPARE(d.transactionalDdl(), transactional);
    QCOMPARE(d.alembicTransactionalDdl(), alembicTransactional);
    QCOMPARE(d.offlineBeginTransactionSql(), offlineBegin);
    QCOMPARE(d.offlineCommitTransactionSql(), offlineCommit);
}

void TestDialect::quoting_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("ifNeeded");
    QTest::addColumn<QString>("always");

    const Backend lite = Backend::SQLite;
    const Backend pg = Backend::PostgreSQL;
    const Backend my = Backend::MySQL;
    QTest::newRow("plain_sqlite") << lite << u"alembic_version"_s << u"alembic_version"_s
                                  << u"\"alembic_version\""_s;
    QTest::newRow("plain_mysql") << my << u"alembic_version"_s << u"alembic_version"_s
                                 << u"`alembic_version`"_s;
    QTest::newRow("digits_and_dollar") << pg << u"v2$x"_s << u"v2$x"_s << u"\"v2$x\""_s;
    QTest::newRow("leading_underscore") << pg << u"_v"_s << u"_v"_s << u"\"_v\""_s;
    QTest::newRow("upper_case_pg") << pg << u"MyVer"_s << u"\"MyVer\""_s << u"\"MyVer\""_s;
    QTest::newRow("upper_case_mysql") << my << u"MyVer"_s << u"`MyVer`"_s << u"`MyVer`"_s;
    QTest::newRow("leading_digit") << lite << u"1abc"_s << u"\"1abc\""_s << u"\"1abc\""_s;
    QTest::newRow("leading_dollar") << pg << u"$abc"_s << u"\"$abc\""_s << u"\"$abc\""_s;
    QTest::newRow("space") << lite << u"a b"_s << u"\"a b\""_s << u"\"a b\""_s;
    QTest::newRow("hyphen") << my << u"a-b"_s << u"`a-b`"_s << u"`a-b`"_s;
    QTest::newRow("non_ascii") << pg << u"versión"_s << u"\"versión\""_s << u"\"versión\""_s;
    QTest::newRow("reserved_order_sqlite") << lite << u"order"_s << u"\"order\""_s << u"\"order\""_s;
    QTest::newRow("reserved_order_mysql") << my << u"order"_s << u"`order`"_s << u"`order`"_s;
    QTest::newRow("reserved_user_pg") << pg << u"user"_s << u"\"user\""_s << u"\"user\""_s;
    // "user" is a keyword PostgreSQL reserves, not SQLite.
    QTest::newRow("user_sqlite") << lite << u"user"_s << u"user"_s << u"\"user\""_s;
    QTest::newRow("reserved_only_in_mysql") << my << u"interval"_s << u"`interval`"_s << u"`interval`"_s;
    QTest::newRow("mariadb_reserved_in_mysql_set")
        << my << u"returning"_s << u"`returning`"_s << u"`returning`"_s;
    QTest::newRow("embedded_double_quote") << pg << u"a\"b"_s << u"\"a\"\"b\""_s << u"\"a\"\"b\""_s;
    QTest::newRow("embedded_backtick") << my << u"a`b"_s << u"`a``b`"_s << u"`a``b`"_s;
    QTest::newRow("empty") << lite << QString() << u"\"\""_s << u"\"\""_s;
}

void TestDialect::quoting()
{
    QFETCH(Backend, backend);
    QFETCH(QString, name);
    QFETCH(QString, ifNeeded);
    QFETCH(QString, always);

    const Dialect d = Dialect::forBackend(backend);
    QCOMPARE(d.quoteIdentifierIfNeeded(name), ifNeeded);
    QCOMPARE(d.quoteIdentifier(name), always);
}

void TestDialect::literals_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("literal");

    QTest::newRow("plain") << Backend::SQLite << u"abc"_s << u"'abc'"_s;
    QTest::newRow("quote_sqlite") << Backend::SQLite << u"it's"_s << u"'it''s'"_s;
    QTest::newRow("backslash_pg") << Backend::PostgreSQL << u"a\\'b"_s << u"'a\\''b'"_s;
    QTest::newRow("backslash_mysql") << Backend::MySQL << u"a\\'b"_s << u"'a\\\\''b'"_s;
}

void TestDialect::literals()
{
    QFETCH(Backend, backend);
    QFETCH(QString, value);
    QFETCH(QString, literal);
    QCOMPARE(Dialect::forBackend(backend).quoteLiteral(value), literal);
}

// Texts as Alembic 1.8.1 + SQLAlchemy 1.4 print them with --sql (checked with `upgrade head --sql` and
// `downgrade x:base --sql` against sqlite://, postgresql://u@h/d and mysql://u@h/d, with version_table and
// version_table_schema set from env.py).
void TestDialect::versionTableSql_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("qualified");
    QTest::addColumn<QString>("create");
    QTest::addColumn<QString>("insertOffline");
    QTest::addColumn<QString>("update");
    QTest::addColumn<QString>("del");
    QTest::addColumn<QString>("select");

    const QString defaultCreate = u"CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n"
                                  "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)"_s;
    for (const Backend backend : {Backend::SQLite, Backend::PostgreSQL, Backend::MySQL}) {
        const QString returning =
            backend == Backend::PostgreSQL ? u" RETURNING alembic_version.version_num"_s : QString();
        QTest::addRow("default_%s", qPrintable(Dialect::forBackend(backend).name()))
            << backend << QString() << QString() << u"alembic_version"_s << defaultCreate
            << u"INSERT INTO alembic_version (version_num) VALUES ('aaaa')"_s + returning
            << u"UPDATE alembic_version SET version_num='bbbb' WHERE alembic_version.version_num = 'aaaa'"_s
            << u"DELETE FROM alembic_version WHERE alembic_version.version_num = 'aaaa'"_s
            << u"SELECT alembic_version.version_num FROM alembic_version"_s;
    }

    QTest::newRow("schema_and_mixed_case_sqlite")
        << Backend::SQLite << u"MyVer"_s << u"s1"_s << u"s1.\"MyVer\""_s
        << u"CREATE TABLE s1.\"MyVer\" (\n    version_num VARCHAR(32) NOT NULL, \n"
           "    CONSTRAINT \"MyVer_pkc\" PRIMARY KEY (version_num)\n)"_s
        << u"INSERT INTO s1.\"MyVer\" (version_num) VALUES ('aaaa')"_s
        << u"UPDATE s1.\"MyVer\" SET version_num='bbbb' WHERE s1.\"MyVer\".version_num = 'aaaa'"_s
        << u"DELETE FROM s1.\"MyVer\" WHERE s1.\"MyVer\".version_num = 'aaaa'"_s
        << u"SELECT s1.\"MyVer\".version_num FROM s1.\"MyVer\""_s;
    QTest::newRow("schema_and_mixed_case_postgresql")
        << Backend::PostgreSQL << u"MyVer"_s << u"s1"_s << u"s1.\"MyVer\""_s
        << u"CREATE TABLE s1.\"MyVer\" (\n    version_num VARCHAR(32) NOT NULL, \n"
           "    CONSTRAINT \"MyVer_pkc\" PRIMARY KEY (version_num)\n)"_s
        << u"INSERT INTO s1.\"MyVer\" (version_num) VALUES ('aaaa') RETURNING s1.\"MyVer\".version_num"_s
        << u"UPDATE s1.\"MyVer\" SET version_num='bbbb' WHERE s1.\"MyVer\".version_num = 'aaaa'"_s
        << u"DELETE FROM s1.\"MyVer\" WHERE s1.\"MyVer\".version_num = 'aaaa'"_s
        << u"SELECT s1.\"MyVer\".version_num FROM s1.\"MyVer\""_s;
    QTest::newRow("schema_and_mixed_case_mysql")
        << Backend::MySQL << u"MyVer"_s << u"s1"_s << u"s1.`MyVer`"_s
        << u"CREATE TABLE s1.`MyVer` (\n    version_num VARCHAR(32) NOT NULL, \n"
           "    CONSTRAINT `MyVer_pkc` PRIMARY KEY (version_num)\n)"_s
        << u"INSERT INTO s1.`MyVer` (version_num) VALUES ('aaaa')"_s
        << u"UPDATE s1.`MyVer` SET version_num='bbbb' WHERE s1.`MyVer`.version_num = 'aaaa'"_s
        << u"DELETE FROM s1.`MyVer` WHERE s1.`MyVer`.version_num = 'aaaa'"_s
        << u"SELECT s1.`MyVer`.version_num FROM s1.`MyVer`"_s;
    QTest::newRow("reserved_table_name_sqlite")
        << Backend::SQLite << u"order"_s << QString() << u"\"order\""_s
        << u"CREATE TABLE \"order\" (\n    version_num VARCHAR(32) NOT NULL, \n"
           "    CONSTRAINT order_pkc PRIMARY KEY (version_num)\n)"_s
        << u"INSERT INTO \"order\" (version_num) VALUES ('aaaa')"_s
        << u"UPDATE \"order\" SET version_num='bbbb' WHERE \"order\".version_num = 'aaaa'"_s
        << u"DELETE FROM \"order\" WHERE \"order\".version_num = 'aaaa'"_s
        << u"SELECT \"order\".version_num FROM \"order\""_s;
    QTest::newRow("other_lower_case_table_postgresql")
        << Backend::PostgreSQL << u"schema_version"_s << u"ops"_s << u"ops.schema_version"_s
        << u"CREATE TABLE ops.schema_version (\n    version_num VARCHAR(32) NOT NULL, \n"
           "    CONSTRAINT schema_version_pkc PRIMARY KEY (version_num)\n)"_s
        << u"INSERT INTO ops.schema_version (version_num) VALUES ('aaaa') RETURNING ops.schema_version.version_num"_s
        << u"UPDATE ops.schema_version SET version_num='bbbb' WHERE ops.schema_version.version_num = 'aaaa'"_s
        << u"DELETE FROM ops.schema_version WHERE ops.schema_version.version_num = 'aaaa'"_s
        << u"SELECT ops.schema_version.version_num FROM ops.schema_version"_s;
}

void TestDialect::versionTableSql()
{
    QFETCH(Backend, backend);
    QFETCH(QString, table);
    QFETCH(QString, schema);
    QFETCH(QString, qualified);
    QFETCH(QString, create);
    QFETCH(QString, insertOffline);
    QFETCH(QString, update);
    QFETCH(QString, del);
    QFETCH(QString, select);

    const Dialect d = configured(backend, table, schema);
    QCOMPARE(d.qualifiedVersionTable(), qualified);
    QCOMPARE(d.createVersionTableSql(), create);
    QCOMPARE(d.insertVersionSql(u"aaaa"_s, Dialect::Mode::Offline), insertOffline);
    // Online there is no RETURNING: QSqlQuery would get a result set for a write.
    QCOMPARE(d.insertVersionSql(u"aaaa"_s), u"INSERT INTO %1 (version_num) VALUES ('aaaa')"_s.arg(qualified));
    QCOMPARE(d.updateVersionSql(u"aaaa"_s, u"bbbb"_s), update);
    QCOMPARE(d.deleteVersionSql(u"aaaa"_s), del);
    QCOMPARE(d.selectVersionsSql(), select);
    QCOMPARE(d.dropVersionTableSql(), u"DROP TABLE "_s + qualified);
    QCOMPARE(d.deleteAllVersionsSql(), u"DELETE FROM "_s + qualified);
    // Revision literals are escaped (Alembic pastes them in as they are).
    QCOMPARE(d.deleteVersionSql(u"a'b"_s), u"DELETE FROM %1 WHERE %1.version_num = 'a''b'"_s.arg(qualified));
}

void TestDialect::versionTableWithoutPrimaryKey()
{
    Dialect d = Dialect::forBackend(Backend::PostgreSQL);
    QVERIFY(d.versionTablePrimaryKey());
    d.setVersionTablePrimaryKey(false);
    QCOMPARE(d.createVersionTableSql(),
             u"CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL\n)"_s);
}

void TestDialect::existsQuery_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("sql");

    QTest::newRow("sqlite")
        << Backend::SQLite << QString()
        << u"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"_s;
    QTest::newRow("sqlite_attached_schema")
        << Backend::SQLite << u"aux"_s
        << u"SELECT 1 FROM aux.sqlite_master WHERE type = 'table' AND name = 'alembic_version'"_s;
    QTest::newRow("postgresql_search_path")
        << Backend::PostgreSQL << QString()
        << u"SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
           u"WHERE "
           "c.relname = 'alembic_version' AND c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid)"_s;
    QTest::newRow("postgresql_schema")
        << Backend::PostgreSQL << u"Ops"_s
        << u"SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
           u"WHERE "
           "c.relname = 'alembic_version' AND c.relkind IN ('r', 'p') AND n.nspname = 'Ops'"_s;
    QTest::newRow("mysql") << Backend::MySQL << QString()
                           << u"SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                              "TABLE_NAME = 'alembic_version'"_s;
    QTest::newRow("mysql_schema")
        << Backend::MySQL << u"ops"_s
        << u"SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ops' AND "
           "TABLE_NAME = 'alembic_version'"_s;
}

void TestDialect::existsQuery()
{
    QFETCH(Backend, backend);
    QFETCH(QString, schema);
    QFETCH(QString, sql);
    QCOMPARE(configured(backend, QString(), schema).versionTableExistsSql(), sql);
}

void TestDialect::locks()
{
    const Dialect lite = Dialect::forBackend(Backend::SQLite);
    QCOMPARE(lite.acquireLockSql(30), u"BEGIN IMMEDIATE"_s);
    QCOMPARE(lite.tryLockSql(), u"BEGIN IMMEDIATE"_s);
    QCOMPARE(lite.releaseLockSql(), QString());
    QCOMPARE(lite.busyTimeoutSql(5000), u"PRAGMA busy_timeout = 5000"_s);
    QCOMPARE(lite.lockHolderSql(), QString());

    // SHA-256("qmigrate:alembic_version") = 384b2d435c684177…: the key is its first 8 bytes, signed.
    const Dialect pg = Dialect::forBackend(Backend::PostgreSQL);
    QCOMPARE(pg.lockKey(), Q_INT64_C(4056385656713658743));
    QCOMPARE(pg.acquireLockSql(30), u"SELECT pg_advisory_lock(4056385656713658743)"_s);
    QCOMPARE(pg.tryLockSql(), u"SELECT pg_try_advisory_lock(4056385656713658743)"_s);
    QCOMPARE(pg.releaseLockSql(), u"SELECT pg_advisory_unlock(4056385656713658743)"_s);
    QCOMPARE(pg.busyTimeoutSql(5000), QString());
    QCOMPARE(
        pg.lockHolderSql(),
        u"SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.usename, a.backend_start, "
        "a.query_start, a.state FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = "
        "l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM "
        "pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) AND l.classid = '944450883' "
        "AND "
        "l.objid = '1550336375' AND l.objsubid = 1"_s);

    Dialect my = Dialect::forBackend(Backend::MySQL);
    my.setDatabaseName(u"inventory"_s);
    QCOMPARE(my.databaseName(), u"inventory"_s);
    QCOMPARE(my.lockName(), u"qmigrate:inventory.alembic_version"_s);
    QCOMPARE(my.acquireLockSql(30), u"SELECT GET_LOCK('qmigrate:inventory.alembic_version', 30)"_s);
    QCOMPARE(my.tryLockSql(), u"SELECT GET_LOCK('qmigrate:inventory.alembic_version', 0)"_s);
    QCOMPARE(my.releaseLockSql(), u"SELECT RELEASE_LOCK('qmigrate:inventory.alembic_version')"_s);
    QCOMPARE(my.lockHolderSql(),
             u"SELECT p.ID, p.USER, p.HOST, p.DB, p.TIME FROM information_schema.PROCESSLIST p "
             "WHERE p.ID = IS_USED_LOCK('qmigrate:inventory.alembic_version')"_s);
    my.setVersionTableSchema(u"o'ps"_s);
    QCOMPARE(my.lockName(), u"qmigrate:inventory.o'ps.alembic_version"_s);
    QCOMPARE(my.acquireLockSql(5), u"SELECT GET_LOCK('qmigrate:inventory.o''ps.alembic_version', 5)"_s);
}

void TestDialect::lockKeyIsStableAndDistinct()
{
    const qint64 plain = Dialect::forBackend(Backend::PostgreSQL).lockKey();
    QCOMPARE(Dialect::forBackend(Backend::PostgreSQL).lockKey(), plain);
    const qint64 otherTable = configured(Backend::PostgreSQL, u"schema_version"_s, QString()).lockKey();
    const qint64 otherSchema = configured(Backend::PostgreSQL, QString(), u"ops"_s).lockKey();
    QVERIFY(otherTable != plain);
    QVERIFY(otherSchema != plain);
    QVERIFY(otherSchema != otherTable);
}

void TestDialect::mysqlLockNameFitsInSixtyFourCharacters()
{
    Dialect d = Dialect::forBackend(Backend::MySQL);
    d.setDatabaseName(QString(40, u'd'));
    d.setVersionTable(u"a_rather_long_version_table_name"_s);
    const QString name = d.lockName();
    QCOMPARE(name.size(), 49);
    QVERIFY(name.startsWith("qmigrate:"_L1));
    QCOMPARE(d.lockName(), name);
    d.setDatabaseName(QString(41, u'd'));
    QVERIFY(d.lockName() != name);
    QCOMPARE(d.lockName().size(), 49);
}

QTEST_GUILESS_MAIN(TestDialect)
#include "tst_dialect.moc"
