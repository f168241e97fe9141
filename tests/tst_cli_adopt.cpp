// SPDX-License-Identifier: MIT
// init --from-database through the real qmigrate-cli on SQLite, PostgreSQL and MariaDB: a database made with
// plain DDL (foreign keys, indexes, defaults, a check) is adopted; upgrading an empty database with the
// baseline gives an identical schema, and the adopted project's check passes.
#include "clirunner.h"
#include "execution/migrator.h"
#include "testdatabase.h"
#include "testservers.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QString describe(const CliResult &result)
{
    return u"exit %1\nstdout:\n%2\nstderr:\n%3"_s.arg(result.exitCode).arg(result.out, result.err);
}

// The same shop on every backend: spelled so that each one accepts it.
QString shopSchema(const QString &backend)
{
    const QString id = backend == u"postgresql"_s ? u"SERIAL PRIMARY KEY"_s
                       : backend == u"mariadb"_s  ? u"INTEGER AUTO_INCREMENT PRIMARY KEY"_s
                                                  : u"INTEGER PRIMARY KEY"_s;
    return u"CREATE TABLE customers (\n"
           u"    id %1,\n"
           u"    email VARCHAR(200) NOT NULL UNIQUE,\n"
           u"    country VARCHAR(2) NOT NULL DEFAULT 'DE',\n"
           u"    CONSTRAINT ck_country CHECK (country <> '')\n"
           u");\n"
           u"CREATE TABLE orders (\n"
           u"    id %1,\n"
           u"    customer_id INTEGER NOT NULL,\n"
           u"    total NUMERIC(10, 2) NOT NULL DEFAULT 0,\n"
           u"    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) "
           u"ON DELETE CASCADE\n"
           u");\n"
           u"CREATE INDEX ix_orders_customer ON orders (customer_id, total);\n"
           u"CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;\n"
           u"INSERT INTO customers (email) VALUES ('ada@example.org');\n"_s.arg(id);
}

} // namespace

class TstCliAdopt : public QObject
{
    Q_OBJECT

private slots:
    void adopt_data();
    void adopt();
    void refusals();

private:
    QTemporaryDir m_tmp;
};

void TstCliAdopt::adopt_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << u"sqlite"_s;
    QTest::newRow("postgresql") << u"postgresql"_s;
    QTest::newRow("mariadb") << u"mariadb"_s;
}

void TstCliAdopt::adopt()
{
    QFETCH(QString, backend);
    TestDatabase existing(backend, u"adopt_existing"_s, m_tmp);
    QVERIFY2(existing.error().isEmpty(), qPrintable(existing.error()));
    QCOMPARE(existing.execute(shopSchema(backend)), QString());
    const Expected<SchemaSnapshot> before = existing.snapshot();
    QVERIFY(before);

    const QString project = m_tmp.filePath(u"adopted_"_s + backend);
    CliResult result = runCli(
        {u"--url"_s, existing.url().toUrlStringWithPassword(), u"init"_s, project, u"--from-database"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const QStringList baselines = QDir(project + u"/versions"_s).entryList({u"*_baseline_*.sql"_s});
    QCOMPARE(baselines.size(), 1);
    const QString baselineId = baselines.first().left(12);
    QVERIFY2(result.out.contains(u"Stamped "_s) && result.out.contains(baselineId), qPrintable(result.out));
    // The database is stamped at the baseline; nothing else changed (the row is still there).
    Migrator probe(RevisionMap(), existing.url());
    QCOMPARE(*probe.currentRows(), QStringList{baselineId});
    QCOMPARE(existing.count(u"customers"_s), 1);
    const Expected<SchemaSnapshot> after = existing.snapshot();
    QVERIFY(after);
    QVERIFY2(*after == *before, qPrintable(after->differences(*before).join(u'\n')));
    // The password never lands in the project's files.
    if (!existing.url().password().isEmpty())
        QVERIFY(!readAll(project + u"/alembic.ini"_s).contains(existing.url().password().toUtf8()));

    // An empty database upgraded with the baseline has the same schema.
    TestDatabase empty(backend, u"adopt_empty"_s, m_tmp);
    QVERIFY2(empty.error().isEmpty(), qPrintable(empty.error()));
    const QStringList onEmpty = {u"-c"_s, project + u"/alembic.ini"_s, u"--url"_s,
                                 empty.url().toUrlStringWithPassword()};
    result = runCli(onEmpty + QStringList{u"upgrade"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const Expected<SchemaSnapshot> rebuilt = empty.snapshot();
    QVERIFY(rebuilt);
    QVERIFY2(*rebuilt == *before, qPrintable(rebuilt->differences(*before).join(u'\n')));
    // The model is the adopted schema: check finds nothing, and the baseline goes back down cleanly.
    result = runCli(onEmpty + QStringList{u"check"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = runCli(onEmpty + QStringList{u"downgrade"_s, u"base"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const Expected<SchemaSnapshot> down = empty.snapshot();
    QVERIFY(down);
    QCOMPARE(down->tables.size(), 0);
    QCOMPARE(down->views.size(), 0);
}

void TstCliAdopt::refusals()
{
    // Already under migrations: nothing is written.
    TestDatabase managed(u"sqlite"_s, u"adopt_managed"_s, m_tmp);
    QCOMPARE(managed.execute(u"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);\n"
                             u"INSERT INTO alembic_version VALUES ('abc123abc123');\n"
                             u"CREATE TABLE t (id INTEGER PRIMARY KEY);\n"_s),
             QString());
    const QString project = m_tmp.filePath(u"refused"_s);
    CliResult result = runCli(
        {u"--url"_s, managed.url().toUrlStringWithPassword(), u"init"_s, project, u"--from-database"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(u"is already under migrations (its version table holds abc123abc123)"_s),
             qPrintable(describe(result)));
    QVERIFY(!QFileInfo::exists(project + u"/alembic.ini"_s));
    // No database named.
    result = runCli({u"init"_s, project, u"--from-database"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(u"--from-database needs the database: give --url, or set DB_HOST"_s),
             qPrintable(describe(result)));
}

QTEST_GUILESS_MAIN(TstCliAdopt)
#include "tst_cli_adopt.moc"
