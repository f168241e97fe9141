// SPDX-License-Identifier: MIT
#include "plan/offlinerenderer.h"
#include "project/project.h"
#include "scripts/scriptchecksum.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qmigrate::DatabaseUrl;
using qmigrate::Dialect;
using qmigrate::EngineError;
using qmigrate::Expected;
using qmigrate::MigrationPlan;
using qmigrate::OfflineRange;
using qmigrate::OfflineRenderer;
using qmigrate::Project;
using qmigrate::Revision;
using qmigrate::RevisionMap;
using qmigrate::ScriptChecksum;

namespace {

const QString kDataDir = QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/offline"_s;

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return u"<cannot read %1>"_s.arg(path);
    return QString::fromUtf8(file.readAll());
}

// Where makeRevision() writes its files: sections are read from them when a plan is rendered.
const QString &versionsDir()
{
    static const QTemporaryDir root;
    static const QString dir = [] {
        const QString path = root.filePath(u"p/versions"_s);
        QDir().mkpath(path);
        return path;
    }();
    return dir;
}

// One revision: "<id> [parent ...] [dep:<id>]"; SQL sections given separately. A .sql revision is written to
// versionsDir() with its upgrade section from line 12 and its downgrade section from line 40.
Revision makeRevision(const QString &spec, const QString &upgradeSql = {}, const QString &downgradeSql = {},
                      Revision::Kind kind = Revision::Kind::Sql)
{
    const QStringList tokens = spec.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    Revision revision;
    revision.id = tokens.first();
    for (const QString &token : tokens.mid(1)) {
        if (token.startsWith(u"dep:"_s))
            revision.dependsOn.append(token.mid(4));
        else
            revision.downRevisions.append(token);
    }
    revision.message = u"message of "_s + revision.id;
    revision.kind = kind;
    revision.path =
        u"%1/%2.%3"_s.arg(versionsDir(), revision.id, kind == Revision::Kind::Sql ? u"sql"_s : u"py"_s);
    revision.upgradeLine = 12;
    revision.downgradeLine = 40;
    if (kind != Revision::Kind::Sql)
        return revision;
    QString text = u"-- %1\n--\n-- Revision ID: %2\n-- Revises: %3\n-- Depends on: %4\n"_s.arg(
        revision.message, revision.id, revision.downRevisions.join(u", "_s),
        revision.dependsOn.join(u", "_s));
    text += QString(5, u'\n') + u"-- migrate:upgrade\n"_s + upgradeSql;
    const qsizetype upgradeLines = upgradeSql.count(u'\n');
    if (upgradeLines > 27)
        qFatal("the upgrade section of %s is too long for line 40", qPrintable(revision.id));
    text += QString(27 - upgradeLines, u'\n') + u"-- migrate:downgrade\n"_s + downgradeSql;
    QFile file(revision.path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        qFatal("cannot write %s", qPrintable(revision.path));
    revision.checksum = ScriptChecksum::digestOfContent(text.toUtf8());
    return revision;
}

RevisionMap buildMap(const QList<Revision> &revisions)
{
    Expected<RevisionMap> map = RevisionMap::build(revisions);
    if (!map)
        qFatal("map: %s", qPrintable(map.error().toString()));
    return *map;
}

Dialect dialectFor(const QString &name)
{
    return Dialect::forBackend(name == u"postgresql"_s ? DatabaseUrl::Backend::PostgreSQL
                               : name == u"mysql"_s    ? DatabaseUrl::Backend::MySQL
                                                       : DatabaseUrl::Backend::SQLite);
}

// What the CLI does for "<command> <arguments> --sql": split the range, plan from the start rows, render.
Expected<QString> runOffline(const RevisionMap &map, const Dialect &dialect, bool perMigration,
                             const QString &command, const QStringList &arguments, QStringList *log)
{
    Expected<OfflineRange> range = EngineError(u"unknown command "_s + command);
    if (command == u"upgrade"_s)
        range = OfflineRenderer::parseUpgrade(map, arguments.value(0), true);
    else if (command == u"downgrade"_s)
        range = OfflineRenderer::parseDowngrade(map, arguments.value(0), true);
    else if (command == u"stamp"_s)
        range = OfflineRenderer::parseStamp(map, arguments, true, false);
    if (!range)
        return range.error();
    Expected<MigrationPlan> plan = EngineError(u"unreachable"_s);
    if (command == u"upgrade"_s)
        plan = MigrationPlan::upgrade(map, range->startRows, range->target());
    else if (command == u"downgrade"_s)
        plan = MigrationPlan::downgrade(map, range->startRows, range->target());
    else
        plan = MigrationPlan::stamp(map, range->startRows, range->targets, false);
    if (!plan)
        return plan.error();
    return OfflineRenderer(map, dialect, perMigration).render(*plan, range->startRows.isEmpty(), log);
}

QString logText(const QStringList &messages)
{
    QString text;
    for (const QString &message : messages)
        text += OfflineRenderer::alembicLogLine(message) + QLatin1Char('\n');
    return text;
}

} // namespace

class TestOfflineRenderer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exampleProject_data();
    void exampleProject();
    void layout_data();
    void layout();
    void startsEmpty();
    void logLines();
    void renderErrors();
    void parse_data();
    void parse();

private:
    RevisionMap m_example;
};

void TestOfflineRenderer::initTestCase()
{
    Expected<Project> project =
        Project::open(QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations/alembic.ini"_s, u"alembic"_s,
                      QProcessEnvironment());
    QVERIFY2(project.hasValue(), qPrintable(project ? QString() : project.error().toString()));
    m_example = project->map();
    QCOMPARE(m_example.size(), 10);
}

// The expected files are Alembic 1.8.1's output for the same commands on an Alembic copy of the project
// (compare_with_alembic.py checks that), minus the DROP TABLE Alembic main no longer writes.
void TestOfflineRenderer::exampleProject_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<bool>("perMigration");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("arguments");

    const QString cases = readFile(kDataDir + u"/cases.txt"_s);
    int count = 0;
    for (const QString &line : cases.split(QLatin1Char('\n'))) {
        if (line.trimmed().isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList fields = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QVERIFY2(fields.size() >= 5, qPrintable(line));
        QTest::newRow(qPrintable(fields.at(0)))
            << fields.at(1) << (fields.at(2) == u"1"_s) << fields.at(3) << fields.mid(4);
        ++count;
    }
    QVERIFY2(count >= 10, "cases.txt lost its cases");
}

void TestOfflineRenderer::exampleProject()
{
    QFETCH(QString, dialect);
    QFETCH(bool, perMigration);
    QFETCH(QString, command);
    QFETCH(QStringList, arguments);

    QStringList log;
    Expected<QString> script =
        runOffline(m_example, dialectFor(dialect), perMigration, command, arguments, &log);
    QVERIFY2(script.hasValue(), qPrintable(script ? QString() : script.error().toString()));

    const QString base = kDataDir + QLatin1Char('/') + QLatin1StringView(QTest::currentDataTag());
    if (qEnvironmentVariableIsSet("QMIGRATE_REGENERATE_OFFLINE")) {
        for (const auto &[suffix, text] :
             {std::pair{u".sql"_s, *script}, std::pair{u".log"_s, logText(log)}}) {
            QFile file(base + suffix);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(text.toUtf8());
        }
    }
    QCOMPARE(*script, readFile(base + u".sql"_s));
    QCOMPARE(logText(log), readFile(base + u".log"_s));
}

// Small hand-checked scripts for each layout rule.
void TestOfflineRenderer::layout_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<bool>("perMigration");
    QTest::addColumn<QString>("versionTable");
    QTest::addColumn<QString>("versionTableSchema");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");

    const QString create = u"CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n"
                           "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n"_s;

    QTest::newRow("sqlite: tabs become 4 spaces, no BEGIN")
        << u"sqlite"_s << false << QString() << QString() << u"upgrade"_s << QStringList{u"aaaa1111"_s}
        << create + u"-- Running upgrade  -> aaaa1111\n\n"
                    "CREATE TABLE t (\n    id INTEGER,\n        x    TEXT\n);\n\n"
                    "INSERT INTO t VALUES (1);\n\n"
                    "INSERT INTO alembic_version (version_num) VALUES ('aaaa1111');\n\n"_s;
    QTest::newRow("postgresql: one transaction, RETURNING")
        << u"postgresql"_s << false << QString() << QString() << u"upgrade"_s << QStringList{u"bbbb2222"_s}
        << u"BEGIN;\n\n"_s + create +
               u"-- Running upgrade  -> aaaa1111\n\n"
               "CREATE TABLE t (\n    id INTEGER,\n        x    TEXT\n);\n\n"
               "INSERT INTO t VALUES (1);\n\n"
               "INSERT INTO alembic_version (version_num) VALUES ('aaaa1111') RETURNING "
               "alembic_version.version_num;\n\n"
               "-- Running upgrade aaaa1111 -> bbbb2222\n\n"
               "UPDATE alembic_version SET version_num='bbbb2222' WHERE alembic_version.version_num = "
               "'aaaa1111';\n\n"
               "COMMIT;\n\n"_s;
    QTest::newRow("postgresql per migration: CREATE inside the first block")
        << u"postgresql"_s << true << QString() << QString() << u"upgrade"_s << QStringList{u"bbbb2222"_s}
        << u"BEGIN;\n\n"_s + create +
               u"-- Running upgrade  -> aaaa1111\n\n"
               "CREATE TABLE t (\n    id INTEGER,\n        x    TEXT\n);\n\n"
               "INSERT INTO t VALUES (1);\n\n"
               "INSERT INTO alembic_version (version_num) VALUES ('aaaa1111') RETURNING "
               "alembic_version.version_num;\n\n"
               "COMMIT;\n\n"
               "BEGIN;\n\n"
               "-- Running upgrade aaaa1111 -> bbbb2222\n\n"
               "UPDATE alembic_version SET version_num='bbbb2222' WHERE alembic_version.version_num = "
               "'aaaa1111';\n\n"
               "COMMIT;\n\n"_s;
    QTest::newRow("postgresql: no-transaction statements between COMMIT and BEGIN")
        << u"postgresql"_s << false << QString() << QString() << u"upgrade"_s
        << QStringList{u"aaaa1111:cccc3333"_s}
        << u"BEGIN;\n\n"
           "-- Running upgrade aaaa1111 -> bbbb2222\n\n"
           "UPDATE alembic_version SET version_num='bbbb2222' WHERE alembic_version.version_num = "
           "'aaaa1111';\n\n"
           "-- Running upgrade bbbb2222 -> cccc3333\n\n"
           "ALTER TABLE t ADD COLUMN y INTEGER;\n\n"
           "COMMIT;\n\n"
           "CREATE INDEX CONCURRENTLY ix_t_y ON t (y);\n\n"
           "CREATE INDEX CONCURRENTLY ix_t_x ON t (x);\n\n"
           "BEGIN;\n\n"
           "ANALYZE t;\n\n"
           "COMMIT;\n\n"
           "VACUUM t;\n\n"
           "BEGIN;\n\n"
           "UPDATE alembic_version SET version_num='cccc3333' WHERE alembic_version.version_num = "
           "'bbbb2222';\n\n"
           "COMMIT;\n\n"_s;
    QTest::newRow("sqlite: no-transaction marker changes nothing")
        << u"sqlite"_s << false << QString() << QString() << u"upgrade"_s
        << QStringList{u"bbbb2222:cccc3333"_s}
        << u"-- Running upgrade bbbb2222 -> cccc3333\n\n"
           "ALTER TABLE t ADD COLUMN y INTEGER;\n\n"
           "CREATE INDEX CONCURRENTLY ix_t_y ON t (y);\n\n"
           "CREATE INDEX CONCURRENTLY ix_t_x ON t (x);\n\n"
           "ANALYZE t;\n\n"
           "VACUUM t;\n\n"
           "UPDATE alembic_version SET version_num='cccc3333' WHERE alembic_version.version_num = "
           "'bbbb2222';\n\n"_s;
    QTest::newRow("downgrade to base: DELETE, no DROP TABLE")
        << u"sqlite"_s << false << QString() << QString() << u"downgrade"_s << QStringList{u"bbbb2222:base"_s}
        << u"-- Running downgrade bbbb2222 -> aaaa1111\n\n"
           "UPDATE alembic_version SET version_num='aaaa1111' WHERE alembic_version.version_num = "
           "'bbbb2222';\n\n"
           "-- Running downgrade aaaa1111 -> \n\n"
           "DROP TABLE t;\n\n"
           "DELETE FROM alembic_version WHERE alembic_version.version_num = 'aaaa1111';\n\n"_s;
    QTest::newRow("custom version table in a schema")
        << u"postgresql"_s << false << u"Versions"_s << u"app"_s << u"stamp"_s << QStringList{u"aaaa"_s}
        << u"BEGIN;\n\n"
           "CREATE TABLE app.\"Versions\" (\n    version_num VARCHAR(32) NOT NULL, \n"
           "    CONSTRAINT \"Versions_pkc\" PRIMARY KEY (version_num)\n);\n\n"
           "-- Running stamp_revision  -> aaaa1111\n\n"
           "INSERT INTO app.\"Versions\" (version_num) VALUES ('aaaa1111') RETURNING "
           "app.\"Versions\".version_num;\n\n"
           "COMMIT;\n\n"_s;
    QTest::newRow("stamp range: version table only")
        << u"mysql"_s << false << QString() << QString() << u"stamp"_s << QStringList{u"aaaa:cccc"_s}
        << u"-- Running stamp_revision aaaa1111 -> cccc3333\n\n"
           "UPDATE alembic_version SET version_num='cccc3333' WHERE alembic_version.version_num = "
           "'aaaa1111';\n\n"_s;
    QTest::newRow("sqlite: nothing to do, nothing written")
        << u"sqlite"_s << false << QString() << QString() << u"upgrade"_s << QStringList{u"cccc:head"_s}
        << QString();
    QTest::newRow("postgresql: nothing to do, an empty transaction as Alembic")
        << u"postgresql"_s << false << QString() << QString() << u"upgrade"_s << QStringList{u"cccc:head"_s}
        << u"BEGIN;\n\nCOMMIT;\n\n"_s;
    QTest::newRow("postgresql per migration: nothing to do, nothing written")
        << u"postgresql"_s << true << QString() << QString() << u"upgrade"_s << QStringList{u"cccc:head"_s}
        << QString();
}

void TestOfflineRenderer::layout()
{
    QFETCH(QString, dialect);
    QFETCH(bool, perMigration);
    QFETCH(QString, versionTable);
    QFETCH(QString, versionTableSchema);
    QFETCH(QString, command);
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);

    const RevisionMap map = buildMap({
        makeRevision(u"aaaa1111"_s,
                     u"-- leading comment\nCREATE TABLE t (\n\tid INTEGER,\n\t\tx\tTEXT\n);\n\n"
                     "INSERT INTO t VALUES (1); -- trailing comment\n"_s,
                     u"DROP TABLE t;\n"_s),
        makeRevision(u"bbbb2222 aaaa1111"_s),
        makeRevision(u"cccc3333 bbbb2222"_s,
                     u"ALTER TABLE t ADD COLUMN y INTEGER;\n"
                     "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY ix_t_y ON t (y);\n"
                     "-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY ix_t_x ON t (x);\n"
                     "ANALYZE t;\n"
                     "-- migrate:no-transaction\nVACUUM t;\n"_s),
    });
    Dialect configured = dialectFor(dialect);
    if (!versionTable.isEmpty())
        configured.setVersionTable(versionTable);
    configured.setVersionTableSchema(versionTableSchema);

    Expected<QString> script = runOffline(map, configured, perMigration, command, arguments, nullptr);
    QVERIFY2(script.hasValue(), qPrintable(script ? QString() : script.error().toString()));
    QCOMPARE(*script, expected);
}

// startsEmpty says whether the version table has to be created before the first step: Alembic writes the
// CREATE TABLE when no "from:" (or "base:") is given, whatever the plan does.
void TestOfflineRenderer::startsEmpty()
{
    const RevisionMap map = buildMap({makeRevision(u"aaaa1111"_s), makeRevision(u"bbbb2222"_s)});
    Expected<MigrationPlan> plan = MigrationPlan::stamp(map, {}, {u"bbbb2222"_s}, false);
    QVERIFY2(plan.hasValue(), qPrintable(plan ? QString() : plan.error().toString()));

    const OfflineRenderer renderer(map, dialectFor(u"sqlite"_s), false);
    Expected<QString> script = renderer.render(*plan, false);
    QVERIFY(script.hasValue());
    QCOMPARE(*script, u"-- Running stamp_revision  -> bbbb2222\n\n"
                      "INSERT INTO alembic_version (version_num) VALUES ('bbbb2222');\n\n"_s);
    Expected<QString> fromEmpty = renderer.render(*plan, true);
    QVERIFY(fromEmpty.hasValue());
    const QString create = Dialect::forBackend(DatabaseUrl::Backend::SQLite).createVersionTableSql();
    QCOMPARE(*fromEmpty, create + u";\n\n"_s + *script);
}

void TestOfflineRenderer::logLines()
{
    const RevisionMap map = buildMap({makeRevision(u"aaaa1111"_s), makeRevision(u"bbbb2222 aaaa1111"_s)});
    Expected<MigrationPlan> plan = MigrationPlan::upgrade(map, {}, u"head"_s);
    QVERIFY(plan.hasValue());

    QStringList log;
    QVERIFY(OfflineRenderer(map, dialectFor(u"postgresql"_s), true).render(*plan, true, &log).hasValue());
    QCOMPARE(log, (QStringList{u"Context impl PostgresqlImpl."_s, u"Generating static SQL"_s,
                               u"Will assume transactional DDL."_s,
                               u"Running upgrade  -> aaaa1111, message of aaaa1111"_s,
                               u"Running upgrade aaaa1111 -> bbbb2222, message of bbbb2222"_s}));
    log.clear();
    QVERIFY(OfflineRenderer(map, dialectFor(u"mysql"_s), false).render(*plan, true, &log).hasValue());
    QCOMPARE(log.mid(0, 3), (QStringList{u"Context impl MySQLImpl."_s, u"Generating static SQL"_s,
                                         u"Will assume non-transactional DDL."_s}));
    QCOMPARE(OfflineRenderer::alembicLogLine(u"Generating static SQL"_s),
             u"INFO  [alembic.runtime.migration] Generating static SQL"_s);
}

void TestOfflineRenderer::renderErrors()
{
    const RevisionMap map = buildMap({
        makeRevision(u"aaaa1111"_s, u"CREATE TABLE t (id INTEGER);\n"_s, u"DROP TABLE t;\n"_s),
        makeRevision(u"bbbb2222 aaaa1111"_s, {}, {}, Revision::Kind::Python),
        makeRevision(u"cccc3333 bbbb2222"_s, u"SELECT 1;\nINSERT INTO t VALUES ('unterminated);\n"_s),
    });
    const OfflineRenderer renderer(map, dialectFor(u"sqlite"_s), false);

    // A Python revision, upgrade and downgrade: the file and the revision are named.
    for (const bool up : {true, false}) {
        Expected<MigrationPlan> plan = up ? MigrationPlan::upgrade(map, {}, u"bbbb2222"_s)
                                          : MigrationPlan::downgrade(map, {u"bbbb2222"_s}, u"base"_s);
        QVERIFY(plan.hasValue());
        Expected<QString> script = renderer.render(*plan, up);
        QVERIFY(!script.hasValue());
        QCOMPARE(script.error().file(), versionsDir() + u"/bbbb2222.py"_s);
        QCOMPARE(script.error().revision(), u"bbbb2222"_s);
        QCOMPARE(script.error().toString(),
                 versionsDir() +
                     u"/bbbb2222.py: revision bbbb2222 is an Alembic Python script: its SQL comes from "
                     "running its Python code, which qmigrate cannot render with --sql (use Alembic's own "
                     "--sql for "
                     "it, or rewrite it as a .sql revision)"_s);
    }

    // The splitter's error, placed in the file: the string starts on the section's second line.
    {
        Expected<MigrationPlan> plan = MigrationPlan::upgrade(map, {u"bbbb2222"_s}, u"cccc3333"_s);
        QVERIFY(plan.hasValue());
        Expected<QString> script = renderer.render(*plan, false);
        QVERIFY(!script.hasValue());
        QCOMPARE(script.error().file(), versionsDir() + u"/cccc3333.sql"_s);
        QCOMPARE(script.error().line(), 13);
        QCOMPARE(script.error().revision(), u"cccc3333"_s);
        QVERIFY2(script.error().toString().startsWith(versionsDir() + u"/cccc3333.sql:13: "_s),
                 qPrintable(script.error().toString()));
    }

    // stamp --purge has no offline form.
    {
        Expected<MigrationPlan> plan = MigrationPlan::stamp(map, {u"aaaa1111"_s}, {u"cccc3333"_s}, true);
        QVERIFY(plan.hasValue());
        QVERIFY(plan->purge());
        Expected<QString> script = renderer.render(*plan, false);
        QVERIFY(!script.hasValue());
        QCOMPARE(script.error().message(), u"Can't use --purge with --sql mode"_s);
        QCOMPARE(script.error().kind(), EngineError::Kind::Usage);
    }
}

void TestOfflineRenderer::parse_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("sql");
    QTest::addColumn<bool>("purge");
    // "start=<hasStart>,<start>; rows=<rows>; targets=<targets>" or "error: <message>"
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, const QString &command, const QStringList &arguments, bool sql,
                        bool purge, const QString &expected) {
        QTest::newRow(name) << command << arguments << sql << purge << expected;
    };
    // Without a range an offline upgrade starts from base.
    row("upgrade head --sql", u"upgrade"_s, {u"head"_s}, true, false, u"start=0,; rows=; targets=head"_s);
    row("upgrade partial:head --sql", u"upgrade"_s, {u"0169:head"_s}, true, false,
        u"start=1,0169; rows=0169b51572d2; targets=head"_s);
    row("upgrade label:rev --sql", u"upgrade"_s, {u"telemetry:+2"_s}, true, false,
        u"start=1,telemetry; rows=575ce023861c; targets=+2"_s);
    row("upgrade head:head --sql", u"upgrade"_s, {u"head:head"_s}, true, false,
        u"start=1,head; rows=9abc688b6311; targets=head"_s);
    row("upgrade base:x --sql", u"upgrade"_s, {u"base:6aa6"_s}, true, false,
        u"start=1,base; rows=; targets=6aa6"_s);
    row("upgrade :x --sql (empty start = base)", u"upgrade"_s, {u":6aa6"_s}, true, false,
        u"start=1,; rows=; targets=6aa6"_s);
    row("upgrade online", u"upgrade"_s, {u"+2"_s}, false, false, u"start=0,; rows=; targets=+2"_s);
    row("upgrade range online", u"upgrade"_s, {u"0169:head"_s}, false, false,
        u"error: Range revision not allowed"_s);
    row("upgrade two colons", u"upgrade"_s, {u"a:b:c"_s}, true, false,
        u"error: Invalid revision range 'a:b:c': expected <fromrev>:<torev>"_s);
    row("upgrade unknown start", u"upgrade"_s, {u"zzzz:head"_s}, true, false,
        u"error: No such revision or branch 'zzzz'"_s);
    row("upgrade ambiguous start", u"upgrade"_s, {u"6:head"_s}, true, false,
        u"error: Multiple revisions start with '6': '696e23fe439e', '6aa67ef48cab'"_s);
    row("downgrade range --sql", u"downgrade"_s, {u"9abc:base"_s}, true, false,
        u"start=1,9abc; rows=9abc688b6311; targets=base"_s);
    row("downgrade online", u"downgrade"_s, {u"-1"_s}, false, false, u"start=0,; rows=; targets=-1"_s);
    row("downgrade --sql without range", u"downgrade"_s, {u"base"_s}, true, false,
        u"error: downgrade with --sql requires <fromrev>:<torev>"_s);
    row("downgrade --sql relative without range", u"downgrade"_s, {u"-1"_s}, true, false,
        u"error: downgrade with --sql requires <fromrev>:<torev>"_s);
    row("downgrade range online", u"downgrade"_s, {u"9abc:base"_s}, false, false,
        u"error: Range revision not allowed"_s);
    row("downgrade unknown start", u"downgrade"_s, {u"nosuch:base"_s}, true, false,
        u"error: No such revision or branch 'nosuch'"_s);
    row("stamp --sql", u"stamp"_s, {u"6aa6"_s, u"575c"_s}, true, false,
        u"start=0,; rows=; targets=6aa6 575c"_s);
    row("stamp --sql ranges, same start", u"stamp"_s, {u"83ca:6aa6"_s, u"575c"_s, u"83ca:bcdd"_s}, true,
        false, u"start=1,83ca; rows=83ca92fed024; targets=6aa6 575c bcdd"_s);
    row("stamp --sql two starts", u"stamp"_s, {u"83ca:6aa6"_s, u"83ca92fed024:bcdd"_s}, true, false,
        u"error: Stamp operation with --sql only supports a single starting revision at a time"_s);
    row("stamp --sql --purge", u"stamp"_s, {u"6aa6"_s}, true, true,
        u"error: Can't use --purge with --sql mode"_s);
    row("stamp --sql two colons", u"stamp"_s, {u"83ca:6aa6:x"_s}, true, false,
        u"error: Invalid revision range '83ca:6aa6:x': expected <fromrev>:<torev>"_s);
    row("stamp --sql unknown start", u"stamp"_s, {u"qqqq:6aa6"_s}, true, false,
        u"error: No such revision or branch 'qqqq'"_s);
    row("stamp online keeps arguments", u"stamp"_s, {u"6aa6"_s, u"83ca:bcdd"_s}, false, true,
        u"start=0,; rows=; targets=6aa6 83ca:bcdd"_s);
}

void TestOfflineRenderer::parse()
{
    QFETCH(QString, command);
    QFETCH(QStringList, arguments);
    QFETCH(bool, sql);
    QFETCH(bool, purge);
    QFETCH(QString, expected);

    Expected<OfflineRange> range =
        command == u"upgrade"_s     ? OfflineRenderer::parseUpgrade(m_example, arguments.value(0), sql)
        : command == u"downgrade"_s ? OfflineRenderer::parseDowngrade(m_example, arguments.value(0), sql)
                                    : OfflineRenderer::parseStamp(m_example, arguments, sql, purge);
    QString actual;
    if (range) {
        actual = u"start=%1,%2; rows=%3; targets=%4"_s.arg(range->hasStart ? 1 : 0)
                     .arg(range->start, range->startRows.join(QLatin1Char(' ')),
                          range->targets.join(QLatin1Char(' ')));
    } else {
        actual = u"error: "_s + range.error().message();
        QCOMPARE(range.error().kind(), EngineError::Kind::Usage);
    }
    if (expected.startsWith(u"error: "_s) && !actual.startsWith(u"error: "_s))
        QFAIL(qPrintable(u"expected an error, got "_s + actual));
    // Resolution errors may add hints after the part that names the revision.
    if (expected.startsWith(u"error: "_s))
        QVERIFY2(actual.startsWith(expected), qPrintable(actual));
    else
        QCOMPARE(actual, expected);
}

QTEST_GUILESS_MAIN(TestOfflineRenderer)
#include "tst_offlinerenderer.moc"
