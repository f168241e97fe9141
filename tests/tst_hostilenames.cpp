// SPDX-License-Identifier: MIT
// Hostile names from project files are refused before anything runs, with the file and line: control
// characters (NUL included) in the version table, its schema, revision ids and labels; version table names
// over the backend's limit. Quotes, spaces and ';' are quoted, not refused.

#include "clirunner.h"
#include "config/projectconfig.h"
#include "database/dialect.h"
#include "scripts/scriptdirectory.h"
#include "testfiles.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QByteArray sqlRevision(const QByteArray &id, const QByteArray &labels = {})
{
    QByteArray text = "-- r\n--\n-- Revision ID: " + id + "\n-- Revises:\n";
    if (!labels.isEmpty())
        text += "-- Branch labels: " + labels + "\n";
    return text +
           "\n-- migrate:upgrade\nCREATE TABLE t (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t;\n";
}

} // namespace

class TestHostileNames : public QObject
{
    Q_OBJECT

private slots:
    void nulInVersionTableIsRefusedWithItsLine()
    {
        QTemporaryDir tmp;
        QVERIFY(QDir().mkpath(tmp.filePath(u"versions"_s)));
        static const char ini[] = "[alembic]\nscript_location = %(here)s\nversion_table = alembic\0version\n";
        QVERIFY(writeAll(tmp.filePath(u"alembic.ini"_s), QByteArray(ini, sizeof ini - 1)));
        const Expected<ProjectConfig> config =
            ProjectConfig::load(tmp.filePath(u"alembic.ini"_s), u"alembic"_s, QProcessEnvironment());
        QVERIFY(!config);
        QCOMPARE(config.error().file(), tmp.filePath(u"alembic.ini"_s));
        QCOMPARE(config.error().line(), 3);
        QCOMPARE(config.error().message(),
                 u"Invalid version_table 'alembic\\u0000version': it contains the control "
                 u"character U+0000 at position 8"_s);

        // From the CLI: the error, and no NUL written anywhere.
        QVERIFY(writeAll(tmp.filePath(u"versions/a.sql"_s), sqlRevision("a1")));
        const CliResult result = runCli({u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s,
                                         u"sqlite:///x.db"_s, u"upgrade"_s, u"--sql"_s});
        QCOMPARE(result.exitCode, 2);
        QVERIFY(!result.out.contains(QChar(0)) && !result.err.contains(QChar(0)));
        QVERIFY2(result.err.contains(u"alembic.ini:3: Invalid version_table"_s), qPrintable(result.err));
    }

    void escapeInSchemaIsRefused()
    {
        QTemporaryDir tmp;
        QVERIFY(writeAll(tmp.filePath(u"alembic.ini"_s),
                         "[alembic]\nscript_location = %(here)s\nversion_table_schema = app\x1b[2J\n"));
        const Expected<ProjectConfig> config =
            ProjectConfig::load(tmp.filePath(u"alembic.ini"_s), u"alembic"_s, QProcessEnvironment());
        QVERIFY(!config);
        QCOMPARE(config.error().line(), 3);
        QVERIFY2(config.error().message().contains(u"'app\\u001B[2J'"_s) &&
                     config.error().message().contains(u"U+001B at position 4"_s),
                 qPrintable(config.error().message()));
    }

    void namesOverTheBackendsLimit_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem");
        // 63 bytes is PostgreSQL's limit; "é" is two of them.
        QTest::newRow("postgresql 63")
            << u"postgresql://u@localhost:1/db"_s << QString(63, u'v') << QString();
        QTest::newRow("postgresql 64") << u"postgresql://u@localhost:1/db"_s << QString(64, u'v')
                                       << u"it is 64 bytes long, and PostgreSQL cuts names to 63 bytes"_s;
        QTest::newRow("postgresql 32 x é")
            << u"postgresql://u@localhost:1/db"_s << QString(32, u'é') << u"it is 64 bytes long"_s;
        QTest::newRow("mariadb 64") << u"mysql://u@localhost:1/db"_s << QString(64, u'v') << QString();
        QTest::newRow("mariadb 65") << u"mysql://u@localhost:1/db"_s << QString(65, u'v')
                                    << u"it is 65 characters long; MySQL and MariaDB allow 64"_s;
        QTest::newRow("sqlite 300") << u"sqlite:///x.db"_s << QString(300, u'v') << QString();
        QTest::newRow("quotes, spaces and ;")
            << u"postgresql://u@localhost:1/db"_s << u"my \"odd\"; table"_s << QString();
    }

    void namesOverTheBackendsLimit()
    {
        QFETCH(QString, url);
        QFETCH(QString, name);
        QFETCH(QString, problem);
        const Expected<DatabaseUrl> parsed = DatabaseUrl::parse(url);
        QVERIFY(parsed);
        Dialect dialect = Dialect::forBackend(parsed->backend());
        dialect.setVersionTable(name);
        QVERIFY2(dialect.versionTableNameProblem().contains(problem),
                 qPrintable(dialect.versionTableNameProblem()));
        QCOMPARE(dialect.versionTableNameProblem().isEmpty(), problem.isEmpty());

        // A run is refused before it connects (the servers at port 1 do not exist): the name is the error.
        QTemporaryDir tmp;
        QVERIFY(QDir().mkpath(tmp.filePath(u"versions"_s)));
        QVERIFY(
            writeAll(tmp.filePath(u"alembic.ini"_s),
                     u"[alembic]\nscript_location = %(here)s\nversion_table = %1\n"_s.arg(name).toUtf8()));
        QVERIFY(writeAll(tmp.filePath(u"versions/a.sql"_s), sqlRevision("a1")));
        const QStringList global{u"-c"_s, tmp.filePath(u"alembic.ini"_s), u"--url"_s, url};
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"--sql"_s});
        if (problem.isEmpty()) {
            QVERIFY2(result.exitCode == 0, qPrintable(result.err));
            // Quoted, so the name stays one identifier.
            QVERIFY2(result.out.contains(dialect.qualifiedVersionTable()), qPrintable(result.out));
            return;
        }
        // A setting to fix, not a database failure: the usage exit status.
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(problem), qPrintable(result.err));
        QCOMPARE(result.out, QString());
        result = runCli(global + QStringList{u"upgrade"_s});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(problem) && result.err.contains(u"nothing was run"_s),
                 qPrintable(result.err));
    }

    void controlCharactersInRevisionNames_data()
    {
        QTest::addColumn<QByteArray>("id");
        QTest::addColumn<QByteArray>("labels");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        QTest::newRow("escape in id")
            << QByteArray("a1\x1b[31m") << QByteArray() << 3
            << u"Invalid revision id 'a1\\u001B[31m': it contains the control character "
               u"U+001B at position 3"_s;
        QTest::newRow("escape in a label")
            << QByteArray("a1") << QByteArray("main, x\x07y") << 5 << u"Invalid branch label 'x\\u0007y'"_s;
    }

    void controlCharactersInRevisionNames()
    {
        QFETCH(QByteArray, id);
        QFETCH(QByteArray, labels);
        QFETCH(int, line);
        QFETCH(QString, message);
        QTemporaryDir tmp;
        QVERIFY(writeAll(tmp.filePath(u"a.sql"_s), sqlRevision(id, labels)));
        const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()}, false);
        QCOMPARE(result.revisions.size(), 0);
        QCOMPARE(result.errors.size(), 1);
        QCOMPARE(result.errors.first().file(), tmp.filePath(u"a.sql"_s));
        QCOMPARE(result.errors.first().line(), line);
        QVERIFY2(result.errors.first().message().startsWith(message),
                 qPrintable(result.errors.first().message()));
    }
};

QTEST_GUILESS_MAIN(TestHostileNames)
#include "tst_hostilenames.moc"
