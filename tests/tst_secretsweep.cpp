// SPDX-License-Identifier: MIT
// Runs after every test that uses the test servers (a CTest fixture cleanup, before the servers stop) and
// looks for the suite's passwords wherever the suite leaves text behind: every row of every table in every
// database on both servers (audit rows included), the servers' logs, the test output CTest recorded so far,
// the output of every qmigrate-cli the CLI tests ran, and the settings files the GUI tests wrote.
#include "testservers.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qmigrate::TestServer;
using qmigrate::TestServers;

namespace {

// A password and where it comes from (said instead of the password itself, which must not reach this
// test's own output).
struct Secret
{
    QString origin;
    QByteArray value;
};

// Where a secret was found: file or table, and which secret. Never the matching text.
struct Finding
{
    QString place;
    QString origin;
};

QList<Finding> scanBytes(const QString &place, const QByteArray &bytes, const QList<Secret> &secrets)
{
    QList<Finding> findings;
    for (const Secret &secret : secrets) {
        if (bytes.contains(secret.value))
            findings.append({place, secret.origin});
    }
    return findings;
}

// Every regular file below `root` (or `root` itself when it is a file); how many were read goes to *count.
QList<Finding> scanFiles(const QString &root, const QList<Secret> &secrets, int *count)
{
    QList<Finding> findings;
    QStringList files;
    if (QFileInfo(root).isFile()) {
        files.append(root);
    } else {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(it.next());
    }
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        ++*count;
        findings += scanBytes(path, file.readAll(), secrets);
    }
    return findings;
}

QString describe(const QList<Finding> &findings)
{
    QStringList lines;
    for (const Finding &finding : findings)
        lines.append(u"%1 contains %2"_s.arg(finding.place, finding.origin));
    return lines.join(u'\n');
}

// A connection to one database of the server, under a connection name of its own.
QSqlDatabase openDatabase(TestServer server, const QString &database, QString *error)
{
    server.database = database;
    return TestServers::open(server, TestServers::Transport::Tcp, error);
}

// Every row of every user table of every database on the server, as text. *rows counts them.
QList<Finding> scanServer(const TestServer &server, const QList<Secret> &secrets, int *databases, int *rows,
                          QString *error)
{
    QList<Finding> findings;
    const bool postgres = server.driver == "QPSQL"_L1;
    QStringList names;
    {
        QSqlDatabase db = TestServers::open(server, TestServers::Transport::Tcp, error);
        if (!db.isOpen())
            return findings;
        QSqlQuery query(db);
        const QString sql = postgres
                                ? u"SELECT datname FROM pg_database WHERE datallowconn AND datname NOT IN "
                                  u"('template0', 'template1')"_s
                                : u"SELECT schema_name FROM information_schema.schemata WHERE schema_name "
                                  u"NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')"_s;
        if (!query.exec(sql)) {
            *error = query.lastError().text();
            TestServers::close(db);
            return findings;
        }
        while (query.next())
            names.append(query.value(0).toString());
        query.finish();
        TestServers::close(db);
    }
    for (const QString &name : names) {
        // PostgreSQL: each database needs its own connection; MariaDB: one database's connection sees all.
        QSqlDatabase db = openDatabase(server, postgres ? name : server.database, error);
        if (!db.isOpen()) {
            // Databases the test user may not enter (the server's own `postgres`) hold nothing of ours.
            if (postgres && name == u"postgres"_s) {
                error->clear();
                continue;
            }
            return findings;
        }
        ++*databases;
        QStringList tables;
        QSqlQuery query(db);
        const QString tableSql =
            postgres
                ? u"SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM "
                  u"information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN "
                  u"('pg_catalog', 'information_schema')"_s
                : u"SELECT CONCAT('`', REPLACE(table_schema, '`', '``'), '`.`', REPLACE(table_name, '`', "
                  u"'``'), '`') FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND "
                  u"table_schema = '%1'"_s.arg(QString(name).replace(u'\'', u"''"_s));
        if (query.exec(tableSql)) {
            while (query.next())
                tables.append(query.value(0).toString());
        }
        query.finish();
        for (const QString &table : tables) {
            QSqlQuery rowsQuery(db);
            if (!rowsQuery.exec(u"SELECT * FROM %1"_s.arg(table)))
                continue; // a table another test is dropping right now, or one the test user cannot read
            while (rowsQuery.next()) {
                ++*rows;
                QByteArray text;
                const QSqlRecord record = rowsQuery.record();
                for (int i = 0; i < record.count(); ++i)
                    text += rowsQuery.value(i).toString().toUtf8() + '\x1f';
                findings +=
                    scanBytes(u"%1 database %2, table %3"_s.arg(server.name, name, table), text, secrets);
            }
        }
        TestServers::close(db);
    }
    return findings;
}

QList<Secret> suiteSecrets()
{
    QList<Secret> secrets;
    for (const QString &name : {u"postgresql"_s, u"mariadb"_s}) {
        const TestServer server = TestServers::server(name);
        if (server.isValid() && !server.password.isEmpty())
            secrets.append({u"the %1 test server's password"_s.arg(name), server.password.toUtf8()});
    }
    // The literal passwords the unit tests give URLs, DB_PASSWORD and the keychain.
    secrets.append({u"the test password S…t"_s, QByteArrayLiteral("Secr3t")});
    secrets.append({u"the test password s…t"_s, QByteArrayLiteral("s3cret")});
    return secrets;
}

} // namespace

class TstSecretSweep : public QObject
{
    Q_OBJECT

private slots:
    // The sweep finds a planted password in a file and in a table row, and says where without echoing it.
    void findsAPlantedPassword()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(u"sub/app.conf"_s));
        QVERIFY(QDir().mkpath(dir.filePath(u"sub"_s)));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[profiles]\nurl=postgresql://u:plantedPW7@h/db\n");
        file.close();
        const QList<Secret> secrets{{u"the planted password"_s, QByteArrayLiteral("plantedPW7")}};
        int count = 0;
        const QList<Finding> findings = scanFiles(dir.path(), secrets, &count);
        QCOMPARE(count, 1);
        QCOMPARE(findings.size(), 1);
        QCOMPARE(describe(findings), file.fileName() + u" contains the planted password"_s);
        QVERIFY(!describe(findings).contains(u"plantedPW7"_s));

        const TestServer server = TestServers::freshDatabase(TestServers::postgresql(), u"secret_sweep"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        QString error;
        QSqlDatabase db = TestServers::open(server, TestServers::Transport::Tcp, &error);
        QVERIFY2(db.isOpen(), qPrintable(error));
        {
            QSqlQuery query(db);
            QVERIFY(query.exec(u"CREATE TABLE planted (note TEXT)"_s));
            QVERIFY(
                query.exec(u"INSERT INTO planted VALUES ('the url was postgresql://u:plantedPW7@h/db')"_s));
        }
        int databases = 0;
        int rows = 0;
        const QList<Finding> rowFindings = scanServer(server, secrets, &databases, &rows, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(rows >= 1);
        QVERIFY2(describe(rowFindings)
                     .contains(u"postgresql database secret_sweep, table public.planted "
                               u"contains the planted password"_s),
                 qPrintable(describe(rowFindings)));
        QSqlQuery(db).exec(u"DROP TABLE planted"_s);
        TestServers::close(db);
    }

    void noPasswordLeftBehind()
    {
        const QList<Secret> secrets = suiteSecrets();
        QVERIFY2(secrets.size() == 4, "both test servers' passwords are needed: run under CTest");
        QList<Finding> findings;
        int files = 0;
        const QString buildTests = QStringLiteral(QMIGRATE_BUILD_TESTS_DIR);
        const QStringList fileRoots{
            buildTests + u"/cli-output.log"_s,
            buildTests + u"/../Testing/Temporary/LastTest.log"_s,
            // The GUI tests' settings (QStandardPaths' test mode) and the application's real ones.
            QDir::homePath() + u"/.qttest"_s,
            QDir::homePath() + u"/.config/qmigrate"_s,
        };
        for (const QString &root : fileRoots) {
            if (QFileInfo::exists(root))
                findings += scanFiles(root, secrets, &files);
        }
        for (const QString &name : {u"postgresql"_s, u"mariadb"_s}) {
            const TestServer server = TestServers::server(name);
            if (QFileInfo::exists(server.logFile))
                findings += scanFiles(server.logFile, secrets, &files);
            int databases = 0;
            int rows = 0;
            QString error;
            findings += scanServer(server, secrets, &databases, &rows, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            qInfo("%s: %d databases, %d rows", qPrintable(name), databases, rows);
            QVERIFY(databases > 0);
        }
        qInfo("%d files", files);
        QVERIFY(files > 0);
        QVERIFY2(findings.isEmpty(), qPrintable(describe(findings)));
        // The CLI output log is this run's; the next run starts a new one.
        QFile::remove(buildTests + u"/cli-output.log"_s);
    }
};

QTEST_GUILESS_MAIN(TstSecretSweep)
#include "tst_secretsweep.moc"
