// SPDX-License-Identifier: MIT
// Runs the real qmigrate-cli binary on projects under tests/data/transcripts and compares its output with
// what Alembic 1.8.1 printed for the same commands (see each project's expected/NOTES.md for the few places
// where Alembic's order is not deterministic and qmigrate's fixed order is recorded instead).
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "clirunner.h"

using namespace Qt::StringLiterals;

namespace {

const QString transcriptsDir = QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/transcripts"_s;

// A null string when the file cannot be read; an empty (not null) one for an empty file.
QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(file.readAll());
    return text.isNull() ? QString(u""_s) : text;
}

void writeText(const QString &path, const QString &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.toUtf8());
}

} // namespace

class TstCli : public QObject
{
    Q_OBJECT

private slots:
    void transcripts_data();
    void transcripts();
    void errors_data();
    void errors();
    void relativeArgumentsAreNotOptions();
    void badRevisionFileNamesFileAndLine();
    void jsonOutput();
    void bundledExample();
    void currentInHistoryAndShow();
    void offlineSql_data();
    void offlineSql();
    void emptyDependsOn();
    void missingFolders();
    void databaseNameRequired();
};

void TstCli::transcripts_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expectedFile");

    const QStringList projects =
        QDir(transcriptsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY2(!projects.isEmpty(), qPrintable(u"no transcripts under "_s + transcriptsDir));
    for (const QString &project : projects) {
        const QString projectDir = transcriptsDir + u'/' + project;
        const QString index = readText(projectDir + u"/expected/commands.txt"_s);
        QVERIFY2(!index.isEmpty(), qPrintable(u"missing expected/commands.txt in "_s + projectDir));
        for (const QString &line : index.split(u'\n', Qt::SkipEmptyParts)) {
            const QStringList fields = line.split(u'\t');
            QVERIFY2(fields.size() == 2, qPrintable(u"bad line in commands.txt: "_s + line));
            const QStringList arguments = fields.at(1).split(u' ', Qt::SkipEmptyParts);
            QTest::newRow(qPrintable(project + u'/' + fields.at(0)))
                << projectDir << arguments << projectDir + u"/expected/"_s + fields.at(0);
        }
    }
}

void TstCli::transcripts()
{
    QFETCH(QString, project);
    QFETCH(QStringList, arguments);
    QFETCH(QString, expectedFile);

    const CliResult result = runCli(QStringList{u"-c"_s, project + u"/alembic.ini"_s} + arguments);
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QString actual = result.out;
    actual.replace(QDir(project).absolutePath(), u"<proj>"_s);
    const QString expected = readText(expectedFile);
    QVERIFY2(!expected.isNull(), qPrintable(expectedFile));
    if (actual != expected) {
        qWarning().noquote() << "--- expected" << expectedFile << "\n"
                             << expected << "\n--- actual\n"
                             << actual;
    }
    QCOMPARE(actual, expected);
}

void TstCli::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrContains");

    const QString project = transcriptsDir + u"/alembic_project/alembic.ini"_s;
    QTest::newRow("no command") << QStringList{} << 2 << u"Usage:"_s;
    QTest::newRow("unknown command") << QStringList{u"-c"_s, project, u"frobnicate"_s} << 2
                                     << u"qmigrate-cli: error: unknown command 'frobnicate'"_s;
    QTest::newRow("unknown option") << QStringList{u"-c"_s, project, u"heads"_s, u"--nope"_s} << 2
                                    << u"Unknown option 'nope'"_s;
    QTest::newRow("range without colon")
        << QStringList{u"-c"_s, project, u"history"_s, u"-r"_s, u"3bd8"_s} << 2
        << u"FAILED: History range requires [start]:[end], [start]:, or :[end]"_s;
    QTest::newRow("range not on one branch")
        << QStringList{u"-c"_s, project, u"history"_s, u"-r"_s, u"a5b7:3bd8"_s} << 2
        << u"FAILED: Requested range a5b7:3bd8 does not refer to ancestor/descendant revisions along the same branch"_s;
    QTest::newRow("ambiguous prefix") << QStringList{u"-c"_s, project, u"show"_s, u"a"_s} << 2
                                      << u"FAILED: Multiple revisions start with 'a'"_s;
    QTest::newRow("unknown revision")
        << QStringList{u"-c"_s, project, u"show"_s, u"zz"_s} << 2
        << u"FAILED: No such revision or branch 'zz'; please ensure at least four "
           u"characters are present for partial revision identifier matches"_s;
    QTest::newRow("unknown branch") << QStringList{u"-c"_s, project, u"show"_s, u"nosuch@head"_s} << 2
                                    << u"FAILED: No such revision or branch 'nosuch'"_s;
    QTest::newRow("not a member of branch")
        << QStringList{u"-c"_s, project, u"show"_s, u"orders@849f2264101d"_s} << 2
        << u"FAILED: Revision 849f2264101d is not a member of branch 'orders'"_s;
    QTest::newRow("head with several heads")
        << QStringList{u"-c"_s, project, u"show"_s, u"head"_s} << 2
        << u"FAILED: Multiple head revisions are present for given argument 'head'"_s;
    QTest::newRow("show without revision")
        << QStringList{u"-c"_s, project, u"show"_s} << 2 << u"qmigrate-cli show: error: missing argument"_s;
    QTest::newRow("missing config") << QStringList{u"-c"_s, u"/nonexistent/alembic.ini"_s, u"heads"_s} << 2
                                    << u"/nonexistent/alembic.ini"_s;
    QTest::newRow("range online") << QStringList{u"-c"_s, project, u"upgrade"_s, u"3bd8:473e"_s} << 2
                                  << u"FAILED: Range revision not allowed"_s;
    QTest::newRow("downgrade --sql without range")
        << QStringList{u"-c"_s, project, u"downgrade"_s, u"3bd8"_s, u"--sql"_s} << 2
        << u"FAILED: downgrade with --sql requires <fromrev>:<torev>"_s;
    QTest::newRow("stamp --purge --sql")
        << QStringList{u"-c"_s, project, u"stamp"_s, u"a5b7"_s, u"--purge"_s, u"--sql"_s} << 2
        << u"FAILED: Can't use --purge with --sql mode"_s;
    QTest::newRow("missing section") << QStringList{u"-c"_s, project, u"-n"_s, u"nosuchsection"_s, u"heads"_s}
                                     << 2 << u"nosuchsection"_s;
}

void TstCli::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrContains);

    const CliResult result = runCli(arguments);
    QVERIFY2(result.err.contains(stderrContains), qPrintable(result.err + result.out));
    QCOMPARE(result.exitCode, exitCode);
}

void TstCli::relativeArgumentsAreNotOptions()
{
    const QString project = transcriptsDir + u"/linear/alembic.ini"_s;
    const CliResult show = runCli({u"-c"_s, project, u"show"_s, u"-1"_s});
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    QVERIFY2(show.out.startsWith(u"Rev: 3333cccc\n"_s), qPrintable(show.out));

    // Alembic's argparse rejects "-r -3:"; qmigrate takes it as the option's value, like "-r=-3:".
    const CliResult spaced = runCli({u"-c"_s, project, u"history"_s, u"-r"_s, u"-2:"_s});
    const CliResult joined = runCli({u"-c"_s, project, u"history"_s, u"--rev-range=-2:"_s});
    QCOMPARE(spaced.exitCode, 0);
    QCOMPARE(spaced.out, joined.out);
    QCOMPARE(spaced.out.count(u'\n'), 3);
}

void TstCli::badRevisionFileNamesFileAndLine()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeText(dir.filePath(u"alembic.ini"_s), u"[alembic]\nscript_location = %(here)s\n"_s);
    writeText(dir.filePath(u"versions/aaaa1111_one.sql"_s),
              u"-- one\n--\n-- Revision ID: aaaa1111\n-- Revises:\n\n-- migrate:upgrade\nSELECT 1;\n"
              u"-- migrate:downgrade\nSELECT 1;\n"_s);
    writeText(dir.filePath(u"versions/bbbb2222_two.sql"_s),
              u"-- two\n--\n-- Revision ID: bbbb2222\n-- Revises: nosuchparent\n\n-- migrate:upgrade\n"
              u"SELECT 1;\n-- migrate:downgrade\nSELECT 1;\n"_s);
    const CliResult result = runCli({u"-c"_s, dir.filePath(u"alembic.ini"_s), u"heads"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(dir.filePath(u"versions/bbbb2222_two.sql"_s) + u":4:"_s),
             qPrintable(result.err));
    QVERIFY2(result.err.contains(u"nosuchparent"_s), qPrintable(result.err));
}

void TstCli::jsonOutput()
{
    const QString project = transcriptsDir + u"/alembic_project/alembic.ini"_s;
    const CliResult result = runCli({u"-c"_s, project, u"heads"_s, u"--json"_s});
    QCOMPARE(result.exitCode, 0);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out.toUtf8(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(document.isArray());
    QStringList heads;
    for (const QJsonValue &value : document.array())
        heads.append(value.toObject().value(u"revision"_s).toString());
    QCOMPARE(heads, (QStringList{u"473ea28d19b4"_s, u"849f2264101d"_s}));
    const QJsonObject audit = document.array().at(1).toObject();
    QCOMPARE(audit.value(u"depends_on"_s).toArray().at(0).toString(), u"3bd87e32742f"_s);
    QCOMPARE(audit.value(u"branch_labels"_s).toArray().at(0).toString(), u"audit"_s);
    QVERIFY(audit.value(u"is_head"_s).toBool());
}

void TstCli::bundledExample()
{
    const QString project = QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations/alembic.ini"_s;
    const CliResult history = runCli({u"-c"_s, project, u"history"_s, u"--verbose"_s});
    QVERIFY2(history.exitCode == 0, qPrintable(history.err));
    QVERIFY(history.out.count(u"Rev: "_s) >= 8);
    QVERIFY(history.out.contains(u"(mergepoint)"_s));
    QVERIFY(history.out.contains(u"(branchpoint)"_s));
    QVERIFY(history.out.contains(u"Also depends on: "_s));
    QVERIFY(history.err.isEmpty());
    const CliResult heads = runCli({u"-c"_s, project, u"heads"_s});
    QCOMPARE(heads.exitCode, 0);
    QVERIFY(heads.out.contains(u"(head)"_s));
}

// history -i, history -r current:, show current read the version table (stamped here, on SQLite).
void TstCli::currentInHistoryAndShow()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QStringList global{u"-c"_s, transcriptsDir + u"/linear/alembic.ini"_s, u"--url"_s,
                             u"sqlite:///"_s + dir.filePath(u"linear.db"_s)};
    QCOMPARE(runCli(global + QStringList{u"stamp"_s, u"2222bbbb"_s}).exitCode, 0);

    const CliResult marked = runCli(global + QStringList{u"history"_s, u"-i"_s});
    QVERIFY2(marked.exitCode == 0, qPrintable(marked.err));
    QCOMPARE(marked.out.count(u"(current)"_s), 1);
    QVERIFY2(marked.out.contains(u"1111aaaa -> 2222bbbb (current), "_s), qPrintable(marked.out));

    const CliResult fromCurrent = runCli(global + QStringList{u"history"_s, u"-r"_s, u"current:"_s});
    QVERIFY2(fromCurrent.exitCode == 0, qPrintable(fromCurrent.err));
    const QStringList lines = fromCurrent.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // 4444dddd, 3333cccc and 2222bbbb itself (inclusive)
    QVERIFY(lines.last().startsWith(u"1111aaaa -> 2222bbbb, "_s));

    const CliResult show = runCli(global + QStringList{u"show"_s, u"current"_s});
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    QVERIFY2(show.out.startsWith(u"Rev: 2222bbbb\nParent: 1111aaaa\n"_s), qPrintable(show.out));

    // A row this project does not contain is named, not guessed.
    const QStringList other{u"-c"_s, transcriptsDir + u"/effective_heads/alembic.ini"_s, u"--url"_s,
                            u"sqlite:///"_s + dir.filePath(u"linear.db"_s)};
    const CliResult unknown = runCli(other + QStringList{u"history"_s, u"-i"_s});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.err.contains(u"2222bbbb"_s), qPrintable(unknown.err));
}

// The offline cases of tst_offlinerenderer (checked there against Alembic 1.8.1), through the CLI: the same
// script on stdout and the same log lines on stderr.
void TstCli::offlineSql_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<bool>("perMigration");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expectedBase");

    const QString offlineDir = QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/offline"_s;
    const QString cases = readText(offlineDir + u"/cases.txt"_s);
    int count = 0;
    for (const QString &line : cases.split(u'\n', Qt::SkipEmptyParts)) {
        if (line.startsWith(u'#'))
            continue;
        const QStringList fields = line.split(u' ', Qt::SkipEmptyParts);
        QVERIFY2(fields.size() >= 4, qPrintable(line));
        QTest::newRow(qPrintable(fields.at(0)))
            << fields.at(1) << (fields.at(2) == u"1"_s) << fields.mid(3) << offlineDir + u'/' + fields.at(0);
        ++count;
    }
    QVERIFY(count >= 10);
}

void TstCli::offlineSql()
{
    QFETCH(QString, dialect);
    QFETCH(bool, perMigration);
    QFETCH(QStringList, arguments);
    QFETCH(QString, expectedBase);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString url = dialect == u"sqlite"_s ? u"sqlite:///never-opened.db"_s
                                               : dialect + u"://user:secret@db.invalid/inventory"_s;
    writeText(
        dir.filePath(u"alembic.ini"_s),
        u"[alembic]\nscript_location = %1/migrations\nsqlalchemy.url = %2\ntransaction_per_migration = %3\n"_s
            .arg(QStringLiteral(QMIGRATE_SOURCE_DIR), url, perMigration ? u"true"_s : u"false"_s));
    const CliResult result =
        runCli(QStringList{u"-c"_s, dir.filePath(u"alembic.ini"_s)} + arguments + QStringList{u"--sql"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QCOMPARE(result.out, readText(expectedBase + u".sql"_s));
    QCOMPARE(result.err, readText(expectedBase + u".log"_s));
    QVERIFY(!result.out.contains(u"secret"_s) && !result.err.contains(u"secret"_s));
    QVERIFY(!QFileInfo::exists(dir.filePath(u"never-opened.db"_s)));
}

// depends_on = '' and ("",) mean no dependency, as in Alembic 1.8.1 (which printed the history below for
// this project); real projects have them.
void TstCli::emptyDependsOn()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    writeText(dir.filePath(u"alembic.ini"_s), u"[alembic]\nscript_location = %(here)s\n"_s);
    const auto revision = [&](const QString &id, const QString &message, const QString &down,
                              const QString &rest) {
        writeText(dir.filePath(u"versions/%1_%2.py"_s).arg(id, QString(message).replace(u' ', u'_')),
                  u"\"\"\"%1\n\nRevision ID: %2\n\"\"\"\nrevision = '%2'\ndown_revision = %3\n%4"_s.arg(
                      message, id, down, rest));
    };
    revision(u"1111aaaa"_s, u"create accounts"_s, u"None"_s,
             u"branch_labels = ('accounts',)\ndepends_on = None\n"_s);
    revision(u"2222bbbb"_s, u"add sessions"_s, u"'1111aaaa'"_s, u"branch_labels = ()\ndepends_on = ''\n"_s);
    revision(u"3333cccc"_s, u"change index"_s, u"'2222bbbb'"_s,
             u"branch_labels = ()\ndepends_on = (\"\",)\n"_s);
    const QStringList global{u"-c"_s, dir.filePath(u"alembic.ini"_s)};

    const CliResult history = runCli(global + QStringList{u"history"_s});
    QVERIFY2(history.exitCode == 0, qPrintable(history.err));
    QCOMPARE(history.out, u"2222bbbb -> 3333cccc (accounts) (head), change index\n"
                          u"1111aaaa -> 2222bbbb (accounts), add sessions\n"
                          u"<base> -> 1111aaaa (accounts), create accounts\n"_s);
    QCOMPARE(history.err, QString());

    const CliResult verbose = runCli(global + QStringList{u"history"_s, u"--verbose"_s});
    QVERIFY2(verbose.exitCode == 0, qPrintable(verbose.err));
    QVERIFY2(!verbose.out.contains(u"depends on"_s), qPrintable(verbose.out));

    const CliResult heads = runCli(global + QStringList{u"heads"_s, u"--json"_s});
    QVERIFY2(heads.exitCode == 0, qPrintable(heads.err));
    const QJsonArray array = QJsonDocument::fromJson(heads.out.toUtf8()).array();
    QCOMPARE(array.size(), 1);
    QCOMPARE(array.at(0).toObject().value(u"revision"_s).toString(), u"3333cccc"_s);
    QCOMPARE(array.at(0).toObject().value(u"depends_on"_s).toArray(), QJsonArray());
}

// A script_location or version_locations folder that is not there is a project error naming it: nothing is
// read from or written to the database (before, upgrade created an empty version table and succeeded).
void TstCli::missingFolders()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(u"alembic.ini"_s);
    const QString db = dir.filePath(u"app.db"_s);
    const QStringList global{u"-c"_s, ini, u"--url"_s, u"sqlite:///"_s + db};

    writeText(ini, u"[alembic]\nscript_location = %(here)s/migrashuns\n"_s);
    for (const QStringList &command : {QStringList{u"upgrade"_s, u"head"_s}, QStringList{u"history"_s}}) {
        const CliResult result = runCli(global + command);
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.out, QString());
        QCOMPARE(result.err, u"FAILED: %1:2: The script_location folder %2 does not exist\n"_s.arg(
                                 ini, dir.filePath(u"migrashuns"_s)));
    }
    QVERIFY(!QFileInfo::exists(db));

    // The default versions/ folder may be missing: a new project whose first revision is not written yet.
    writeText(ini, u"[alembic]\nscript_location = %(here)s\n"_s);
    CliResult result = runCli(global + QStringList{u"heads"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));

    writeText(dir.filePath(u"trunk/aaaa1111_one.sql"_s),
              u"-- one\n--\n-- Revision ID: aaaa1111\n-- Revises:\n\n-- migrate:upgrade\nSELECT 1;\n"
              u"-- migrate:downgrade\nSELECT 1;\n"_s);
    writeText(ini, u"[alembic]\nscript_location = %(here)s\n\nversion_locations = %(here)s/trunk "
                   u"%(here)s/sied\n"_s);
    for (const QStringList &command : {QStringList{u"upgrade"_s, u"head"_s}, QStringList{u"heads"_s}}) {
        result = runCli(global + command);
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(result.out, QString());
        QCOMPARE(result.err, u"FAILED: %1:4: The version_locations folder %2 does not exist\n"_s.arg(
                                 ini, dir.filePath(u"sied"_s)));
    }
    QVERIFY(!QFileInfo::exists(db));
}

// DB_HOST without DB_NAME would connect to the server's default database: refused, naming DB_NAME, before
// any connection is tried (the port here has no server).
void TstCli::databaseNameRequired()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString ini = dir.filePath(u"alembic.ini"_s);
    writeText(ini, u"[alembic]\nscript_location = %1/migrations\nsqlalchemy.url = sqlite:///%2\n"_s.arg(
                       QStringLiteral(QMIGRATE_SOURCE_DIR), dir.filePath(u"app.db"_s)));
    const QString adopted = dir.filePath(u"adopted"_s);
    const QList<QStringList> commands{{u"-c"_s, ini, u"current"_s},
                                      {u"init"_s, adopted, u"--from-database"_s}};
    for (const QStringList &arguments : commands) {
        for (const bool setEmpty : {false, true}) {
            QProcess process;
            process.setProgram(QStringLiteral(QMIGRATE_CLI_PATH));
            process.setArguments(arguments);
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.remove(u"ALEMBIC_CONFIG"_s);
            environment.insert(u"DB_HOST"_s, u"127.0.0.1"_s);
            environment.insert(u"DB_PORT"_s, u"1"_s);
            environment.remove(u"DB_NAME"_s);
            if (setEmpty)
                environment.insert(u"DB_NAME"_s, QString());
            process.setProcessEnvironment(environment);
            process.start();
            QVERIFY(process.waitForFinished(60000));
            const QString err = QString::fromUtf8(process.readAllStandardError());
            QCOMPARE(process.exitCode(), 2);
            // current names the project's ini; init has none yet.
            const QString where = arguments.first() == u"-c"_s ? ini + u": "_s : QString();
            QVERIFY2(err.startsWith(u"FAILED: %1DB_HOST is set but DB_NAME is not"_s.arg(where)),
                     qPrintable(err));
            QCOMPARE(process.readAllStandardOutput(), QByteArray());
        }
    }
    QVERIFY(!QFileInfo::exists(dir.filePath(u"app.db"_s)));
    QVERIFY(!QFileInfo::exists(adopted));
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
