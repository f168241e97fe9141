// SPDX-License-Identifier: MIT
// qmigrate-cli on Alembic Python projects: upgrade, downgrade, stamp and --sql run the project's own Alembic
// (Debian's python3-alembic) through qmigrate's driver, on SQLite, PostgreSQL and MariaDB, and the results
// are checked against the real Alembic on the same project.

#include "alembicproject.h"
#include "clirunner.h"
#include "testservers.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QString rowsOf(const AlembicProject &project)
{
    const AlembicProject::Run current = project.alembic({u"current"_s});
    return (current.out + current.err).trimmed();
}

// The audit rows qmigrate wrote, oldest first, as "direction revision outcome".
QStringList auditRows(const QStringList &global)
{
    const CliResult log = runCli(global + QStringList{u"log"_s, u"--json"_s});
    QStringList rows;
    const QJsonArray array = QJsonDocument::fromJson(log.out.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject row = value.toObject();
        rows.prepend(u"%1 %2 %3"_s.arg(row.value(u"direction"_s).toString(),
                                       row.value(u"revision"_s).toString(),
                                       row.value(u"outcome"_s).toString()));
    }
    return rows;
}

// A `python3` that cannot import Debian's Alembic: the system interpreter without site-packages.
QString writePythonWithoutAlembic(const QString &folder)
{
    QDir().mkpath(folder);
    const QString path = folder + u"/python3"_s;
    writeAll(path, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
    QFile::setPermissions(path,
                          QFile::permissions(path) | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    return path;
}

// env.py's target_metadata for the autogenerate test: t_a1 and t_c3 gain a column, accounts is new.
const char autogenerateMetadata[] = R"(import sqlalchemy as sa
target_metadata = sa.MetaData()
sa.Table("t_a1", target_metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)))
sa.Table("t_c3", target_metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)))
sa.Table("accounts", target_metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("email", sa.String(200), nullable=False)))";

// The tables of the database (t_* only), sorted.
QStringList revisionTables(const TestServer &fresh, const QString &sqliteFile)
{
    return TestServers::userTables(fresh, sqliteFile).filter(QRegularExpression(u"^t_"_s));
}

// qmigrate's Alembic driver processes working in `folder` (the project's), found in /proc.
int driversRunningIn(const QString &folder)
{
    const QString wanted = QDir(folder).canonicalPath();
    int count = 0;
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        bool numeric = false;
        pid.toInt(&numeric);
        if (!numeric)
            continue;
        const QString cwd = QFileInfo(u"/proc/%1/cwd"_s.arg(pid)).symLinkTarget();
        if (cwd == wanted && readAll(u"/proc/%1/cmdline"_s.arg(pid)).contains("qmigrate_alembic_driver.py"))
            ++count;
    }
    return count;
}

} // namespace

class TestCliAlembic : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QProcess probe;
        probe.start(AlembicProject::systemPython(), {u"-c"_s, u"import alembic, sqlalchemy"_s});
        QVERIFY(probe.waitForFinished(60000));
        QVERIFY2(probe.exitCode() == 0,
                 "Debian's python3-alembic is not installed (packaging/debian-build-deps.txt)");
    }

    void upgradeDowngradeStampOnSqlite()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const QStringList global{u"-c"_s, project.iniPath()};

        // The dry run reads the database and shows each step as the project's Alembic writes it offline.
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"--dry-run"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(u"(Alembic Python revision), as Alembic's offline mode writes it:"_s) &&
                     result.out.contains(u"CREATE TABLE t_b2"_s) &&
                     result.out.contains(u"UPDATE alembic_version SET version_num='c3'"_s),
                 qPrintable(result.out));
        QVERIFY(rowsOf(project).isEmpty() || !rowsOf(project).contains(u"a1"_s));

        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        // Alembic's own log lines, as its logging configuration prints them.
        QVERIFY2(result.err.contains(u"Running upgrade a1 -> b2"_s), qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"c3 (head)"_s), qPrintable(rowsOf(project)));
        result = runCli(global + QStringList{u"current"_s});
        QVERIFY2(result.out.contains(u"c3 (head)"_s), qPrintable(result.out + result.err));
        result = runCli(global + QStringList{u"current"_s, u"-v"_s});
        QVERIFY2(result.err.contains(u"Python for this project's Alembic: "_s) &&
                     result.err.contains(u"Alembic 1."_s),
                 qPrintable(result.err));
        QCOMPARE(auditRows(global),
                 (QStringList{u"upgrade a1 success"_s, u"upgrade b2 success"_s, u"upgrade c3 success"_s}));

        result = runCli(global + QStringList{u"downgrade"_s, u"-1"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"b2"_s) && !rowsOf(project).contains(u"c3"_s),
                 qPrintable(rowsOf(project)));

        result = runCli(global + QStringList{u"stamp"_s, u"c3"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"c3 (head)"_s), qPrintable(rowsOf(project)));

        // t_c3 was not created by the stamp: stamp back before going down to base.
        result = runCli(global + QStringList{u"stamp"_s, u"b2"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        result = runCli(global + QStringList{u"downgrade"_s, u"base"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QString rows = rowsOf(project);
        QVERIFY2(!rows.contains(u"a1"_s) && !rows.contains(u"c3"_s), qPrintable(rows));
        const QStringList audit = auditRows(global);
        QCOMPARE(audit.mid(3),
                 (QStringList{u"downgrade c3 success"_s, u"stamp c3 success"_s, u"stamp b2 success"_s,
                              u"downgrade b2 success"_s, u"downgrade a1 success"_s}));
    }

    void offlineSqlIsAlembics_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QStringList>("command");
        QTest::newRow("sqlite upgrade") << u"sqlite:///app.db"_s << QStringList{u"upgrade"_s, u"head"_s};
        QTest::newRow("postgresql upgrade")
            << u"postgresql://u:p@localhost/x"_s << QStringList{u"upgrade"_s, u"a1:c3"_s};
        QTest::newRow("postgresql downgrade")
            << u"postgresql://u:p@localhost/x"_s << QStringList{u"downgrade"_s, u"c3:a1"_s};
        QTest::newRow("mariadb stamp")
            << u"mysql+pymysql://u:p@localhost/x"_s << QStringList{u"stamp"_s, u"b2"_s};
    }

    // --sql prints what the project's Alembic prints, byte for byte.
    void offlineSqlIsAlembics()
    {
        QFETCH(QString, url);
        QFETCH(QStringList, command);
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const AlembicProject::Run alembic = project.alembic(command + QStringList{u"--sql"_s});
        QVERIFY2(alembic.exitCode == 0, qPrintable(alembic.err));
        const CliResult result =
            runCli(QStringList{u"-c"_s, project.iniPath()} + command + QStringList{u"--sql"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY(!result.out.isEmpty());
        QCOMPARE(result.out, alembic.out);
        QVERIFY2(!QFile::exists(tmp.filePath(u"app.db"_s)), "offline mode connected to the database");
    }

    // A revision that raises: the error names its file and line, the run is rolled back and recorded.
    void failureNamesFileAndLine()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const QStringList global{u"-c"_s, project.iniPath()};
        QCOMPARE(runCli(global + QStringList{u"upgrade"_s, u"b2"_s}).exitCode, 0);
        const QString path = project.addRevision(
            u"d4"_s, {u"c3"_s}, u"broken"_s,
            u"op.create_table('t_d4', sa.Column('id', sa.Integer))\nraise RuntimeError('boom')"_s,
            u"op.drop_table('t_d4')"_s);
        const QStringList lines = QString::fromUtf8(readAll(path)).split(u'\n');
        const int raiseLine = int(lines.indexOf(u"    raise RuntimeError('boom')"_s)) + 1;
        QVERIFY(raiseLine > 0);

        const CliResult result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains(u"Revision d4"_s), qPrintable(result.err));
        QVERIFY2(result.err.contains(QFileInfo(path).fileName()), qPrintable(result.err));
        QVERIFY2(result.err.contains(u"line %1"_s.arg(raiseLine)), qPrintable(result.err));
        QVERIFY2(result.err.contains(u"RuntimeError: boom"_s), qPrintable(result.err));
        // The default env.py runs the whole upgrade in one transaction: c3 went back with d4.
        QVERIFY2(result.err.contains(u"Rolled back; alembic_version is at b2"_s), qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"b2"_s) && !rowsOf(project).contains(u"c3"_s),
                 qPrintable(rowsOf(project)));
        const QStringList audit = auditRows(global);
        QCOMPARE(audit.last(), u"upgrade d4 failed"_s);
        QVERIFY2(!audit.contains(u"upgrade c3 success"_s), qPrintable(audit.join(u'\n')));
    }

    // An env.py that connects to another database than the one qmigrate resolved runs nothing.
    void envPyConnectingElsewhereIsRefused()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        QString env = QString::fromUtf8(readAll(project.scriptLocation() + u"/env.py"_s));
        const QString from = u"config.get_section(config.config_ini_section)"_s;
        QVERIFY(env.contains(from));
        env.replace(from, u"{'sqlalchemy.url': 'sqlite:///elsewhere.db'}"_s);
        QVERIFY(project.writeEnvPy(env));
        const CliResult result = runCli({u"-c"_s, project.iniPath(), u"upgrade"_s, u"head"_s});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(u"not to the selected database"_s), qPrintable(result.err));
        QVERIFY2(result.err.contains(u"env.py"_s), qPrintable(result.err));
        const AlembicProject::Run current = project.alembic({u"current"_s});
        QVERIFY2(!current.out.contains(u"a1"_s), qPrintable(current.out));
    }

    void interpreterChoice()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const QStringList global{u"-c"_s, project.iniPath()};

        CliResult result = runCli(QStringList{u"--python"_s, tmp.filePath(u"missing/python3"_s)} + global +
                                  QStringList{u"upgrade"_s, u"head"_s});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(tmp.filePath(u"missing/python3"_s)) &&
                     result.err.contains(u"--python"_s),
                 qPrintable(result.err));

        const QString withoutAlembic = writePythonWithoutAlembic(tmp.filePath(u"bare"_s));
        QProcessEnvironment environment;
        environment.insert(u"QMIGRATE_PYTHON"_s, withoutAlembic);
        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s}, {}, environment);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(withoutAlembic) && result.err.contains(u"$QMIGRATE_PYTHON"_s) &&
                     result.err.contains(u"python3-alembic"_s),
                 qPrintable(result.err));

        // A python3 without Alembic ahead on PATH does not hide Debian's.
        QProcessEnvironment path;
        path.insert(u"PATH"_s, tmp.filePath(u"bare"_s) + u":/usr/bin:/bin"_s);
        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s}, {}, path);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"c3 (head)"_s), qPrintable(rowsOf(project)));
    }

    // create, revision --head --splice and merge write .py files through the project's own Alembic.
    void createAndMergeThroughAlembic()
    {
        QTemporaryDir tmp;
        // The URL alembic init leaves: creating and merging need no database.
        AlembicProject project(tmp.path(), u"driver://user:pass@localhost/dbname"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const QStringList global{u"-c"_s, project.iniPath()};

        CliResult result = runCli(global + QStringList{u"create"_s, u"add users"_s, u"--rev-id"_s, u"d4"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QString created = project.versionsPath() + u"/d4_add_users.py"_s;
        QCOMPARE(result.out, u"Generating %1 ...  done\n"_s.arg(created));
        const QString text = QString::fromUtf8(readAll(created));
        // Alembic's own script.py.mako: typed functions, the parent filled in.
        QVERIFY2(text.contains(u"down_revision = 'c3'"_s) && text.contains(u"def upgrade() -> None:"_s),
                 qPrintable(text));

        result = runCli(global + QStringList{u"revision"_s, u"-m"_s, u"side branch"_s, u"--head"_s, u"a1"_s,
                                             u"--splice"_s, u"--rev-id"_s, u"e5"_s, u"--branch-label"_s,
                                             u"side"_s, u"--json"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        const QJsonObject json = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(json.value(u"revision"_s).toString(), u"e5"_s);
        QCOMPARE(json.value(u"down_revisions"_s).toArray(), QJsonArray{u"a1"_s});
        QCOMPARE(json.value(u"branch_labels"_s).toArray(), QJsonArray{u"side"_s});

        result =
            runCli(global + QStringList{u"merge"_s, u"heads"_s, u"-m"_s, u"join"_s, u"--rev-id"_s, u"f6"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(u"f6_join.py ...  done"_s), qPrintable(result.out));
        const AlembicProject::Run heads = project.alembic({u"heads"_s});
        QCOMPARE(heads.out.trimmed(), u"f6 (side) (head)"_s);
        result = runCli(global + QStringList{u"heads"_s});
        QCOMPARE(result.out, heads.out);

        // Alembic's refusals come through as Alembic words them.
        result = runCli(global + QStringList{u"merge"_s, u"f6"_s, u"nosuch"_s, u"-m"_s, u"nothing"_s});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(u"FAILED: Can't locate revision identified by 'nosuch'"_s),
                 qPrintable(result.err));
    }

    void autogenerateThroughAlembic_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("sqlite") << QString();
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    // Alembic's own autogenerate against the selected database: qmigrate's audit table is not in the draft,
    // and what the draft drops is printed for review.
    void autogenerateThroughAlembic()
    {
        QFETCH(QString, server);
        QTemporaryDir tmp;
        QString url = u"sqlite:///app.db"_s;
        if (!server.isEmpty()) {
            const TestServer fresh =
                TestServers::freshDatabase(TestServers::server(server), u"cli_alembic_autogen"_s);
            QMIGRATE_REQUIRE_SERVER(fresh);
            url = TestServers::sqlalchemyUrl(fresh);
        }
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        QString env = QString::fromUtf8(readAll(project.scriptLocation() + u"/env.py"_s));
        QVERIFY(env.contains(u"target_metadata = None"_s));
        env.replace(u"target_metadata = None"_s, QString::fromUtf8(autogenerateMetadata));
        QVERIFY(project.writeEnvPy(env));
        const QStringList global{u"-c"_s, project.iniPath()};
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));

        result = runCli(global + QStringList{u"revision"_s, u"--autogenerate"_s, u"-m"_s, u"accounts"_s,
                                             u"--rev-id"_s, u"d4"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(result.out.contains(u"d4_accounts.py ...  done"_s), qPrintable(result.out));
        QVERIFY2(result.out.contains(u"Review: upgrade drops table t_b2 and its data"_s),
                 qPrintable(result.out));
        const QString draft = QString::fromUtf8(readAll(project.versionsPath() + u"/d4_accounts.py"_s));
        QVERIFY2(draft.contains(u"op.create_table('accounts'"_s), qPrintable(draft));
        QVERIFY2(!draft.contains(u"qmigrate_history"_s), qPrintable(draft));

        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"d4 (head)"_s), qPrintable(rowsOf(project)));
        // The schema now matches the model: a second draft finds nothing (qmigrate's own tables included).
        result = runCli(global + QStringList{u"revision"_s, u"--autogenerate"_s, u"-m"_s, u"again"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(!result.err.contains(u"Detected removed"_s) && !result.err.contains(u"Detected added"_s),
                 qPrintable(result.err));
        QVERIFY2(!result.out.contains(u"Review:"_s), qPrintable(result.out));
    }

    void standardGraphOnEveryBackend_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("sqlite") << QString();
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    // A branch with a label, a merge, a second root and a depends_on, typed and untyped variables: every
    // command's result is what the real Alembic reports, and the tables are what the revisions create.
    void standardGraphOnEveryBackend()
    {
        QFETCH(QString, server);
        QTemporaryDir tmp;
        TestServer fresh;
        QString url = u"sqlite:///app.db"_s;
        if (!server.isEmpty()) {
            fresh = TestServers::freshDatabase(TestServers::server(server), u"cli_alembic_graph"_s);
            QMIGRATE_REQUIRE_SERVER(fresh);
            url = TestServers::sqlalchemyUrl(fresh);
        }
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addStandardGraph();
        const QStringList global{u"-c"_s, project.iniPath()};
        const auto tables = [&] { return revisionTables(fresh, tmp.filePath(u"app.db"_s)); };
        const auto sameCurrent = [&] {
            const CliResult ours = runCli(global + QStringList{u"current"_s});
            const AlembicProject::Run theirs = project.alembic({u"current"_s});
            QStringList a = ours.out.split(u'\n', Qt::SkipEmptyParts);
            QStringList b = theirs.out.split(u'\n', Qt::SkipEmptyParts);
            a.sort();
            b.sort();
            return a == b ? QString()
                          : u"qmigrate: %1\nalembic: %2"_s.arg(ours.out + ours.err, theirs.out + theirs.err);
        };

        CliResult result = runCli(global + QStringList{u"heads"_s});
        QCOMPARE(result.out, project.alembic({u"heads"_s}).out);
        result = runCli(global + QStringList{u"history"_s});
        QCOMPARE(result.out, project.alembic({u"history"_s}).out);

        result = runCli(global + QStringList{u"upgrade"_s, u"reports@x1"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(sameCurrent().isEmpty(), qPrintable(sameCurrent()));
        QCOMPARE(tables(), (QStringList{u"t_a1"_s, u"t_x1"_s}));

        result = runCli(global + QStringList{u"upgrade"_s, u"heads"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(sameCurrent().isEmpty(), qPrintable(sameCurrent()));
        QVERIFY2(project.alembic({u"current"_s}).out.contains(u"d4 (head)"_s),
                 qPrintable(project.alembic({u"current"_s}).out));
        QCOMPARE(tables(), (QStringList{u"t_a1"_s, u"t_b2"_s, u"t_d4"_s, u"t_m3"_s, u"t_x1"_s, u"t_z1"_s}));

        result = runCli(global + QStringList{u"downgrade"_s, u"m3"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(sameCurrent().isEmpty(), qPrintable(sameCurrent()));
        QCOMPARE(tables(), (QStringList{u"t_a1"_s, u"t_b2"_s, u"t_m3"_s, u"t_x1"_s, u"t_z1"_s}));

        result = runCli(global + QStringList{u"downgrade"_s, u"base"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(sameCurrent().isEmpty(), qPrintable(sameCurrent()));
        QCOMPARE(tables(), QStringList());

        result = runCli(global + QStringList{u"stamp"_s, u"heads"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(sameCurrent().isEmpty(), qPrintable(sameCurrent()));

        // Offline, the whole graph from nothing, as the real Alembic writes it. Alembic orders independent
        // branches by iterating Python sets, which string hashing randomises per process: one seed for both.
        QProcessEnvironment seed;
        seed.insert(u"PYTHONHASHSEED"_s, u"0"_s);
        result = runCli(global + QStringList{u"upgrade"_s, u"heads"_s, u"--sql"_s}, {}, seed);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QProcessEnvironment alembicEnvironment = QProcessEnvironment::systemEnvironment();
        alembicEnvironment.insert(seed);
        const QString alembicScript =
            project.alembic({u"upgrade"_s, u"heads"_s, u"--sql"_s}, alembicEnvironment).out;
        if (result.out != alembicScript) {
            writeAll(tmp.filePath(u"qmigrate.sql"_s), result.out.toUtf8());
            writeAll(tmp.filePath(u"alembic.sql"_s), alembicScript.toUtf8());
            QProcess diff;
            diff.start(u"diff"_s, {u"-u"_s, tmp.filePath(u"alembic.sql"_s), tmp.filePath(u"qmigrate.sql"_s)});
            diff.waitForFinished();
            QFAIL(diff.readAllStandardOutput().constData());
        }
    }

    void serverRoundTrip_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    void serverRoundTrip()
    {
        QFETCH(QString, server);
        const TestServer fresh =
            TestServers::freshDatabase(TestServers::server(server), u"cli_alembic_trip"_s);
        QMIGRATE_REQUIRE_SERVER(fresh);
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), TestServers::sqlalchemyUrl(fresh));
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const QStringList global{u"-c"_s, project.iniPath()};

        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"c3 (head)"_s), qPrintable(rowsOf(project)));
        result = runCli(global + QStringList{u"downgrade"_s, u"a1"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(rowsOf(project).contains(u"a1"_s) && !rowsOf(project).contains(u"b2"_s),
                 qPrintable(rowsOf(project)));
        QCOMPARE(auditRows(global),
                 (QStringList{u"upgrade a1 success"_s, u"upgrade b2 success"_s, u"upgrade c3 success"_s,
                              u"downgrade c3 success"_s, u"downgrade b2 success"_s}));
        // The tables are really there and gone: the real Alembic takes it from here.
        const AlembicProject::Run alembic = project.alembic({u"upgrade"_s, u"head"_s});
        QVERIFY2(alembic.exitCode == 0, qPrintable(alembic.err));
        QVERIFY2(rowsOf(project).contains(u"c3 (head)"_s), qPrintable(rowsOf(project)));
    }

    // The seed's workflow: DB_HOST and friends name the database; qmigrate and env.py agree on it.
    void seedEnvironmentOnPostgresql()
    {
        const TestServer fresh = TestServers::freshDatabase(TestServers::postgresql(), u"cli_alembic_seed"_s);
        QMIGRATE_REQUIRE_SERVER(fresh);
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///not-this-one.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        QVERIFY(project.writeEnvPy(AlembicProject::seedEnvPy()));
        QProcessEnvironment environment;
        environment.insert(u"DB_HOST"_s, fresh.host);
        environment.insert(u"DB_PORT"_s, QString::number(fresh.port));
        environment.insert(u"DB_NAME"_s, fresh.database);
        environment.insert(u"DB_USER"_s, fresh.user);
        environment.insert(u"DB_PASSWORD"_s, fresh.password);
        const CliResult result =
            runCli({u"-c"_s, project.iniPath(), u"upgrade"_s, u"head"_s}, {}, environment);
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QVERIFY2(!QFile::exists(tmp.filePath(u"not-this-one.db"_s)), "the ini's URL was used");
        const AlembicProject::Run current = project.alembic({u"current"_s}, [&] {
            QProcessEnvironment all = QProcessEnvironment::systemEnvironment();
            all.insert(environment);
            return all;
        }());
        QVERIFY2(current.out.contains(u"c3 (head)"_s), qPrintable(current.out + current.err));
    }

    // kill -9 of qmigrate in the middle of a revision: the project's Alembic dies with it (it must not go on
    // unwatched), the database is at the rows last committed with the tables of exactly those revisions and
    // an audit row for each, and the next run finishes the job, each revision applied once.
    void killedMidRunLeavesANamedState_data()
    {
        QTest::addColumn<QString>("server");
        QTest::newRow("sqlite") << QString();
        QTest::newRow("postgresql") << u"postgresql"_s;
    }

    void killedMidRunLeavesANamedState()
    {
        QFETCH(QString, server);
        QTemporaryDir tmp;
        QString url = u"sqlite:///"_s + tmp.filePath(u"app.db"_s);
        TestServer fresh;
        if (!server.isEmpty()) {
            fresh = TestServers::freshDatabase(TestServers::server(server), u"cli_alembic_kill"_s);
            QMIGRATE_REQUIRE_SERVER(fresh);
            url = TestServers::sqlalchemyUrl(fresh);
        }
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        const QStringList ids{u"r1"_s, u"r2"_s, u"r3"_s};
        for (int i = 0; i < ids.size(); ++i) {
            const QString wait = ids.at(i) == u"r2"_s ? u"import time\ntime.sleep(4)\n"_s : QString();
            project.addRevision(ids.at(i), i == 0 ? QStringList() : QStringList{ids.at(i - 1)}, ids.at(i),
                                wait +
                                    u"op.create_table('t_%1', sa.Column('id', sa.Integer))"_s.arg(ids.at(i)),
                                u"op.drop_table('t_%1')"_s.arg(ids.at(i)));
        }
        const QStringList global{u"-c"_s, project.iniPath()};

        QProcess run;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(u"QMIGRATE_PYTHON"_s);
        run.setProcessEnvironment(environment);
        run.start(QStringLiteral(QMIGRATE_CLI_PATH), global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY(run.waitForStarted());
        QByteArray err;
        QVERIFY2(waitForStandardError(run, "Running upgrade r1 -> r2", &err, 60000), err.constData());
        QCOMPARE(driversRunningIn(tmp.path()), 1);
        run.kill();
        QVERIFY(run.waitForFinished(10000));
        // The driver goes with qmigrate at once, not when r2's sleep ends and it next writes to qmigrate.
        QTRY_COMPARE_WITH_TIMEOUT(driversRunningIn(tmp.path()), 0, 2000);
        // Longer than r2's sleep: a driver left running would have gone on to r3 by now.
        QTest::qWait(4000);

        const QString current = project.current().section(u' ', 0, 0);
        QVERIFY2(current.isEmpty() || current == u"r1"_s, qPrintable(current));
        const QStringList applied = ids.mid(0, ids.indexOf(current) + 1);
        QStringList tables;
        QStringList audit;
        for (const QString &id : applied) {
            tables.append(u"t_"_s + id);
            audit.append(u"upgrade %1 success"_s.arg(id));
        }
        QCOMPARE(revisionTables(fresh, tmp.filePath(u"app.db"_s)), tables);
        if (!applied.isEmpty())
            QCOMPARE(auditRows(global), audit);
        const CliResult ours = runCli(global + QStringList{u"current"_s});
        QVERIFY2(ours.exitCode == 0, qPrintable(ours.err));
        QCOMPARE(ours.out.trimmed().section(u' ', 0, 0), current);

        const CliResult again = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QCOMPARE(project.current(), u"r3 (head)"_s);
        QCOMPARE(revisionTables(fresh, tmp.filePath(u"app.db"_s)),
                 (QStringList{u"t_r1"_s, u"t_r2"_s, u"t_r3"_s}));
        QCOMPARE(auditRows(global),
                 (QStringList{u"upgrade r1 success"_s, u"upgrade r2 success"_s, u"upgrade r3 success"_s}));
    }

    // stamp --purge through the project's Alembic: rows naming revisions the scripts lack are replaced.
    void stampPurge()
    {
        QTemporaryDir tmp;
        AlembicProject project(tmp.path(), u"sqlite:///app.db"_s);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        project.addLinearHistory();
        const QStringList global{u"-c"_s, project.iniPath()};
        CliResult result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"purge"_s);
            db.setDatabaseName(tmp.filePath(u"app.db"_s));
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"INSERT INTO alembic_version (version_num) VALUES ('gone1234')"_s));
            query.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"purge"_s);
        result = runCli(global + QStringList{u"upgrade"_s, u"head"_s});
        QVERIFY2(result.exitCode == 1 && result.err.contains(u"gone1234"_s), qPrintable(result.err));

        result = runCli(global + QStringList{u"stamp"_s, u"--purge"_s, u"--sql"_s, u"b2"_s});
        QVERIFY2(result.exitCode == 2 && result.err.contains(u"--purge"_s), qPrintable(result.err));
        result = runCli(global + QStringList{u"stamp"_s, u"--purge"_s, u"b2"_s});
        QVERIFY2(result.exitCode == 0, qPrintable(result.err));
        QCOMPARE(project.current(), u"b2"_s);
        const CliResult ours = runCli(global + QStringList{u"current"_s});
        QCOMPARE(ours.out.trimmed(), u"b2"_s);
        QCOMPARE(auditRows(global).mid(3), QStringList{u"stamp b2 success"_s});
    }

    // Runs at once through qmigrate's lock on Alembic's connection: every revision is applied exactly once.
    void concurrentUpgradesApplyOnce_data()
    {
        QTest::addColumn<QString>("server");
        // Alembic commits each SQLite statement: only qmigrate's run lock file keeps the runs apart there.
        QTest::newRow("sqlite") << QString();
        QTest::newRow("postgresql") << u"postgresql"_s;
    }

    void concurrentUpgradesApplyOnce()
    {
        QFETCH(QString, server);
        QTemporaryDir tmp;
        QString url = u"sqlite:///"_s + tmp.filePath(u"app.db"_s);
        if (!server.isEmpty()) {
            const TestServer fresh =
                TestServers::freshDatabase(TestServers::server(server), u"cli_alembic_race"_s);
            QMIGRATE_REQUIRE_SERVER(fresh);
            url = TestServers::sqlalchemyUrl(fresh);
        }
        AlembicProject project(tmp.path(), url);
        QVERIFY2(project.error().isEmpty(), qPrintable(project.error()));
        // A commit after each revision: SQLite's write lock ends with each, qmigrate's run lock must not.
        QString env = QString::fromUtf8(readAll(project.scriptLocation() + u"/env.py"_s));
        const QString configure = u"connection=connection, target_metadata=target_metadata"_s;
        QVERIFY(env.contains(configure));
        env.replace(configure, configure + u", transaction_per_migration=True"_s);
        QVERIFY(project.writeEnvPy(env));
        QString previous;
        for (const QString &id : {u"r1"_s, u"r2"_s, u"r3"_s, u"r4"_s}) {
            // Not idempotent: a second run of any revision fails.
            project.addRevision(id, previous.isEmpty() ? QStringList() : QStringList{previous},
                                u"slow "_s + id,
                                u"import time\ntime.sleep(0.2)\nop.create_table('t_%1', sa.Column('id', "
                                u"sa.Integer))"_s.arg(id),
                                u"op.drop_table('t_%1')"_s.arg(id));
            previous = id;
        }
        const int runs = 8;
        QList<QProcess *> processes;
        for (int i = 0; i < runs; ++i) {
            auto *process = new QProcess(this);
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.remove(u"QMIGRATE_PYTHON"_s);
            process->setProcessEnvironment(environment);
            process->start(QStringLiteral(QMIGRATE_CLI_PATH),
                           {u"-c"_s, project.iniPath(), u"upgrade"_s, u"head"_s});
            processes.append(process);
        }
        for (QProcess *process : std::as_const(processes)) {
            QVERIFY(process->waitForFinished(120000));
            QVERIFY2(process->exitCode() == 0, process->readAllStandardError().constData());
            delete process;
        }
        QVERIFY2(rowsOf(project).contains(u"r4 (head)"_s), qPrintable(rowsOf(project)));
        QCOMPARE(auditRows({u"-c"_s, project.iniPath()}),
                 (QStringList{u"upgrade r1 success"_s, u"upgrade r2 success"_s, u"upgrade r3 success"_s,
                              u"upgrade r4 success"_s}));
    }
};

QTEST_GUILESS_MAIN(TestCliAlembic)
#include "tst_cli_alembic.moc"
