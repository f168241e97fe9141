// SPDX-License-Identifier: MIT
// The authoring commands of the real qmigrate-cli binary (init, create / revision -m, merge, edit) on
// projects in a QTemporaryDir: what they print, what they write, and how they refuse.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "clirunner.h"

using namespace Qt::StringLiterals;

namespace {

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

bool writeExecutable(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        return false;
    file.close();
    return file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
}

QStringList versionFiles(const QString &dir)
{
    return QDir(dir + u"/versions"_s).entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
}

// "Generating <path> ...  done" -> the revision id at the start of the file name.
QString generatedId(const CliResult &result)
{
    static const QRegularExpression line(
        u"^Generating (.*/versions/([0-9a-f]{12})_[^/]*\\.sql) \\.\\.\\.  done\\n$"_s);
    const QRegularExpressionMatch match = line.match(result.out);
    return match.hasMatch() && QFileInfo::exists(match.captured(1)) ? match.captured(2) : QString();
}

QString describe(const CliResult &result)
{
    return u"exit %1\nstdout:\n%2\nstderr:\n%3"_s.arg(result.exitCode).arg(result.out, result.err);
}

} // namespace

class TstCliAuthoring : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void initCreateHistory();
    void initRefusesAnExistingProject();
    void branchAndMerge();
    void errors_data();
    void errors();
    void bundledExampleCopy();
    void edit();
    void helpListsTheCommands();
};

void TstCliAuthoring::init()
{
    qunsetenv("VISUAL");
    qunsetenv("EDITOR");
}

void TstCliAuthoring::initCreateHistory()
{
    QTemporaryDir tmp;
    const QString dir = tmp.path() + u"/db"_s;
    const CliResult init = runCli({u"init"_s, dir});
    QVERIFY2(init.exitCode == 0, qPrintable(describe(init)));
    QCOMPARE(init.out, u"Creating directory %1 ...  done\n"
                       u"Creating directory %1/versions ...  done\n"
                       u"Generating %1/alembic.ini ...  done\n"
                       u"Generating %1/script.sql.tmpl ...  done\n"
                       u"Generating %1/schema.sql ...  done\n"
                       u"Generating %1/README.md ...  done\n"
                       u"Generating %1/versions/.gitkeep ...  done\n"
                       u"Please edit the database URL in '%1/alembic.ini' (or set DB_HOST and the other DB_* "
                       u"variables) before proceeding.\n"_s.arg(dir));

    // From inside the project the default ./alembic.ini is used.
    const CliResult first = runCli({u"create"_s, u"create users table"_s}, dir);
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
    const QString firstId = generatedId(first);
    QVERIFY2(!firstId.isEmpty(), qPrintable(describe(first)));
    const CliResult second =
        runCli({u"-c"_s, dir + u"/alembic.ini"_s, u"revision"_s, u"-m"_s, u"add email column"_s});
    QVERIFY2(second.exitCode == 0, qPrintable(describe(second)));
    const QString secondId = generatedId(second);
    QVERIFY2(!secondId.isEmpty(), qPrintable(describe(second)));
    QCOMPARE(versionFiles(dir).size(), 2);
    QVERIFY(versionFiles(dir).contains(firstId + u"_create_users_table.sql"_s));
    QVERIFY(versionFiles(dir).contains(secondId + u"_add_email_column.sql"_s));

    const CliResult history = runCli({u"history"_s}, dir);
    QVERIFY2(history.exitCode == 0, qPrintable(describe(history)));
    QCOMPARE(history.out, u"%1 -> %2 (head), add email column\n<base> -> %1, create users table\n"_s.arg(
                              firstId, secondId));
}

void TstCliAuthoring::initRefusesAnExistingProject()
{
    QTemporaryDir tmp;
    QVERIFY(runCli({u"init"_s, tmp.path()}).exitCode == 0);
    const QString ini = readText(tmp.path() + u"/alembic.ini"_s);
    QVERIFY(QFile::remove(tmp.path() + u"/README.md"_s));
    const CliResult again = runCli({u"init"_s, tmp.path()});
    QCOMPARE(again.exitCode, 2);
    QCOMPARE(again.out, QString());
    QVERIFY2(again.err.startsWith(
                 u"FAILED: %1: The directory already holds a project (alembic.ini, script.sql.tmpl, "
                 u"schema.sql, versions present); nothing was written"_s.arg(QDir::cleanPath(tmp.path()))),
             qPrintable(describe(again)));
    QVERIFY(!QFileInfo::exists(tmp.path() + u"/README.md"_s));
    QCOMPARE(readText(tmp.path() + u"/alembic.ini"_s), ini);
}

void TstCliAuthoring::branchAndMerge()
{
    QTemporaryDir tmp;
    const QString dir = tmp.path();
    QVERIFY(runCli({u"init"_s, dir}).exitCode == 0);
    const QString a = generatedId(runCli({u"create"_s, u"a"_s, u"--rev-id"_s, u"aaaa00000001"_s}, dir));
    QCOMPARE(a, u"aaaa00000001"_s);
    const QString b = generatedId(runCli({u"create"_s, u"b"_s, u"--rev-id"_s, u"bbbb00000002"_s}, dir));
    QCOMPARE(b, u"bbbb00000002"_s);

    // A branch from a, which is no head any more: only with --splice.
    const CliResult refused =
        runCli({u"create"_s, u"c"_s, u"--head"_s, u"aaaa"_s, u"--branch-label"_s, u"side"_s}, dir);
    QCOMPARE(refused.exitCode, 2);
    QCOMPARE(refused.err,
             u"FAILED: Revision aaaa00000001 is not a head revision; please specify --splice to create a "
             u"new branch from this revision\n"_s);
    const CliResult spliced = runCli({u"create"_s, u"c"_s, u"--head"_s, u"aaaa"_s, u"--splice"_s,
                                      u"--branch-label"_s, u"side"_s, u"--rev-id"_s, u"cccc00000003"_s},
                                     dir);
    QCOMPARE(generatedId(spliced), u"cccc00000003"_s);

    const QStringList before = versionFiles(dir);
    const CliResult ambiguous = runCli({u"create"_s, u"d"_s}, dir);
    QCOMPARE(ambiguous.exitCode, 2);
    QCOMPARE(ambiguous.err,
             u"FAILED: Multiple heads are present; please specify the head revision on which the new "
             u"revision should be based, or perform a merge. Heads: bbbb00000002, cccc00000003 "
             u"(side)\n"_s);
    QCOMPARE(versionFiles(dir), before);

    const CliResult onLabel =
        runCli({u"create"_s, u"d"_s, u"--head"_s, u"side@head"_s, u"--rev-id"_s, u"dddd00000004"_s}, dir);
    QCOMPARE(generatedId(onLabel), u"dddd00000004"_s);

    const CliResult merge =
        runCli({u"merge"_s, u"-m"_s, u"merge side"_s, u"heads"_s, u"--rev-id"_s, u"eeee00000005"_s}, dir);
    QVERIFY2(merge.exitCode == 0, qPrintable(describe(merge)));
    QCOMPARE(generatedId(merge), u"eeee00000005"_s);
    const CliResult heads = runCli({u"heads"_s}, dir);
    QCOMPARE(heads.out, u"eeee00000005 (side) (head)\n"_s);
    const CliResult show = runCli({u"show"_s, u"eeee"_s}, dir);
    QVERIFY2(show.out.contains(u"Merges: bbbb00000002, dddd00000004\n"_s), qPrintable(describe(show)));

    // Nothing left to merge.
    const CliResult single = runCli({u"merge"_s, u"heads"_s}, dir);
    QCOMPARE(single.exitCode, 2);
    QVERIFY2(single.err.contains(u"A merge needs at least two distinct revisions"_s),
             qPrintable(describe(single)));
}

void TstCliAuthoring::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("unknown --head") << QStringList{u"create"_s, u"x"_s, u"--head"_s, u"nosuch"_s}
                                    << u"FAILED: No such revision or branch 'nosuch'"_s;
    QTest::newRow("from-database without autogenerate")
        << QStringList{u"revision"_s, u"--from-database"_s, u"-m"_s, u"x"_s}
        << u"qmigrate-cli revision: error: --from-database goes with --autogenerate"_s;
    QTest::newRow("message twice") << QStringList{u"create"_s, u"x"_s, u"-m"_s, u"y"_s}
                                   << u"qmigrate-cli create: error: give the message once"_s;
    QTest::newRow("revision takes -m")
        << QStringList{u"revision"_s, u"x"_s} << u"qmigrate-cli revision: error: unexpected argument 'x'"_s;
    QTest::newRow("illegal rev id")
        << QStringList{u"create"_s, u"x"_s, u"--rev-id"_s, u"ab-cd"_s}
        << u"FAILED: Character(s) '-' not allowed in revision identifier 'ab-cd'"_s;
    QTest::newRow("label clash") << QStringList{u"create"_s, u"x"_s, u"--branch-label"_s, u"telemetry"_s}
                                 << u"versions/575ce023861c_create_sensors_and_readings_tables.sql:"_s;
    QTest::newRow("unknown dependency") << QStringList{u"create"_s, u"x"_s, u"--depends-on"_s, u"zzzz"_s}
                                        << u"FAILED: No such revision or branch 'zzzz'"_s;
    QTest::newRow("merge without revisions")
        << QStringList{u"merge"_s, u"-m"_s, u"x"_s} << u"qmigrate-cli merge: error: missing argument"_s;
    QTest::newRow("merge a non-head") << QStringList{u"merge"_s, u"0169"_s, u"9abc"_s}
                                      << u"FAILED: Revision 0169b51572d2 is not a head revision"_s;
    QTest::newRow("init without a directory")
        << QStringList{u"init"_s} << u"qmigrate-cli init: error: missing argument"_s;
}

void TstCliAuthoring::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expectedError);
    QTemporaryDir tmp;
    QVERIFY(copyExample(tmp.path()));
    const QStringList before = versionFiles(tmp.path());
    const CliResult result = runCli(arguments, tmp.path());
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(expectedError), qPrintable(describe(result)));
    QCOMPARE(result.out, QString());
    QCOMPARE(versionFiles(tmp.path()), before);
}

void TstCliAuthoring::bundledExampleCopy()
{
    QTemporaryDir tmp;
    QVERIFY(copyExample(tmp.path()));
    const QString ini = tmp.path() + u"/alembic.ini"_s;
    const CliResult created = runCli({u"-c"_s, ini, u"create"_s, u"add firmware rollout table"_s,
                                      u"--depends-on"_s, u"575c"_s, u"--json"_s});
    QVERIFY2(created.exitCode == 0, qPrintable(describe(created)));
    const QJsonObject json = QJsonDocument::fromJson(created.out.toUtf8()).object();
    const QString id = json.value(u"revision"_s).toString();
    QVERIFY2(QRegularExpression(u"^[0-9a-f]{12}$"_s).match(id).hasMatch(), qPrintable(created.out));
    QCOMPARE(json.value(u"path"_s).toString(),
             tmp.path() + u"/versions/"_s + id + u"_add_firmware_rollout_table.sql"_s);
    QCOMPARE(json.value(u"down_revisions"_s).toArray(), QJsonArray{u"9abc688b6311"_s});
    QCOMPARE(json.value(u"depends_on"_s).toArray(), QJsonArray{u"575ce023861c"_s});
    QCOMPARE(json.value(u"message"_s).toString(), u"add firmware rollout table"_s);

    const CliResult heads = runCli({u"-c"_s, ini, u"heads"_s});
    QCOMPARE(heads.out, id + u" (telemetry) (head)\n"_s);
    const CliResult history = runCli({u"-c"_s, ini, u"history"_s, u"-r"_s, u"9abc:"_s});
    QCOMPARE(history.out,
             u"9abc688b6311 (575ce023861c) -> %1 (telemetry) (head), add firmware rollout table\n"
             u"2f2467916363 -> 9abc688b6311 (telemetry), add contact email to locations\n"_s.arg(id));

    // The label's head is the new revision: the next one goes on top of it, and the file runs.
    const CliResult next =
        runCli({u"-c"_s, ini, u"create"_s, u"add sensor calibration"_s, u"--head"_s, u"telemetry@head"_s});
    QVERIFY2(next.exitCode == 0, qPrintable(describe(next)));
    const CliResult upgrade =
        runCli({u"-c"_s, ini, u"--url"_s, u"sqlite:///"_s + tmp.path() + u"/t.db"_s, u"upgrade"_s});
    QVERIFY2(upgrade.exitCode == 0, qPrintable(describe(upgrade)));
    QVERIFY2(upgrade.err.contains(u"add sensor calibration"_s), qPrintable(describe(upgrade)));

    // The repository's own example is never written to.
    QCOMPARE(versionFiles(QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations"_s).size(), 10);
}

void TstCliAuthoring::edit()
{
    QTemporaryDir tmp;
    QVERIFY(copyExample(tmp.path()));
    const QString log = tmp.path() + u"/editor.log"_s;
    const QString editor = tmp.path() + u"/fake editor.sh"_s;
    QVERIFY(writeExecutable(
        editor, u"#!/bin/sh\necho \"$1 $2\" >> \"%1\"\nexit \"${FAKE_EDITOR_STATUS:-0}\"\n"_s.arg(log)));

    // EDITOR may be a command line (QProcess::splitCommand: double quotes); the file comes last.
    qputenv("EDITOR", (u"\""_s + editor + u"\" --wait"_s).toUtf8());
    const CliResult edited = runCli({u"edit"_s, u"696e"_s}, tmp.path());
    QVERIFY2(edited.exitCode == 0, qPrintable(describe(edited)));
    QCOMPARE(readText(log),
             u"--wait %1/versions/696e23fe439e_add_primary_sensor_to_devices.sql\n"_s.arg(tmp.path()));

    // VISUAL comes first, as in Alembic; a failing editor is an error naming the file.
    qputenv("VISUAL", (u"\""_s + editor + u"\""_s).toUtf8());
    qputenv("FAKE_EDITOR_STATUS", "3");
    const CliResult failed = runCli({u"edit"_s, u"head"_s}, tmp.path());
    qunsetenv("FAKE_EDITOR_STATUS");
    QCOMPARE(failed.exitCode, 2);
    QVERIFY2(failed.err.startsWith(
                 u"FAILED: %1/versions/9abc688b6311_add_contact_email_to_locations.sql: The editor"_s.arg(
                     tmp.path())),
             qPrintable(describe(failed)));
    QVERIFY2(failed.err.contains(u"exit status 3"_s), qPrintable(describe(failed)));
    QCOMPARE(readText(log),
             u"--wait %1/versions/696e23fe439e_add_primary_sensor_to_devices.sql\n"
             u"%1/versions/9abc688b6311_add_contact_email_to_locations.sql \n"_s.arg(tmp.path()));

    const CliResult base = runCli({u"edit"_s, u"base"_s}, tmp.path());
    QCOMPARE(base.exitCode, 2);
    QCOMPARE(base.err, u"FAILED: No revision files indicated by symbol 'base'\n"_s);

    qputenv("VISUAL", (tmp.path() + u"/no-such-editor"_s).toUtf8());
    const CliResult missing = runCli({u"edit"_s, u"head"_s}, tmp.path());
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains(u"Cannot start the editor"_s), qPrintable(describe(missing)));
}

void TstCliAuthoring::helpListsTheCommands()
{
    const CliResult help = runCli({u"--help"_s});
    QCOMPARE(help.exitCode, 0);
    for (const QString &command : {u"init"_s, u"create"_s, u"revision"_s, u"merge"_s, u"edit"_s})
        QVERIFY2(help.out.contains(u"\n  "_s + command + u' '), qPrintable(command));
    const CliResult createHelp = runCli({u"create"_s, u"--help"_s});
    QCOMPARE(createHelp.exitCode, 0);
    for (const QString &option :
         {u"--head"_s, u"--splice"_s, u"--branch-label"_s, u"--depends-on"_s, u"--rev-id"_s})
        QVERIFY2(createHelp.out.contains(option), qPrintable(option));
}

QTEST_GUILESS_MAIN(TstCliAuthoring)
#include "tst_cli_authoring.moc"
