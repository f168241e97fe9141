// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "schema/schemaintrospector.h"
#include "scripts/sqlstatementsplitter.h"
#include "testdatabase.h"
#include "testservers.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QString dataPath(const QString &relative)
{
    return QStringLiteral(QMIGRATE_TEST_DATA_DIR "/introspection/") + relative;
}

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QString errorText(const Expected<SchemaSnapshot> &snapshot)
{
    return snapshot ? QString() : snapshot.error().toString();
}

// Whether a dump matches its committed fixture; when not, both are printed in full (QTest cuts long
// failure messages), so a changed rule's new fixture can be reviewed and copied from the log.
bool matchesFixture(const QString &fixture, const QString &actual)
{
    if (fixture == actual)
        return true;
    qInfo().noquote() << u"\n--- expected\n%1--- actual\n%2--- end"_s.arg(fixture, actual);
    return false;
}

bool copyTree(const QString &from, const QString &to)
{
    QDir source(from);
    if (!QDir().mkpath(to))
        return false;
    const QFileInfoList entries = source.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo &entry : entries) {
        const QString target = to + u'/' + entry.fileName();
        if (entry.isDir() ? !copyTree(entry.filePath(), target) : !QFile::copy(entry.filePath(), target))
            return false;
    }
    return true;
}

} // namespace

class TstSchemaIntrospector : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }

    std::unique_ptr<TestDatabase> scratch(const QString &backend, const QString &name)
    {
        return std::make_unique<TestDatabase>(backend, u"tst_schemaintrospector_"_s + name, m_tmp);
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    // The fixture schema's snapshot, fact by fact, as committed in <backend>/expected.txt.
    void snapshot_data() { addBackends(); }
    void snapshot()
    {
        QFETCH(QString, backend);
        auto db = scratch(backend, u"snapshot"_s);
        QVERIFY2(db->error().isEmpty(), qPrintable(db->error()));
        const QString error = db->execute(readText(dataPath(backend + u"/schema.sql"_s)));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> snapshot = db->snapshot();
        QVERIFY2(snapshot, qPrintable(errorText(snapshot)));
        const QString expected = readText(dataPath(backend + u"/expected.txt"_s));
        QVERIFY(!expected.isEmpty());
        QVERIFY2(matchesFixture(expected, snapshot->toText()),
                 "the snapshot differs from expected.txt (above)");
        QVERIFY(snapshot->differences(*snapshot).isEmpty());
    }

    // The same schema written another way (quoted names, type aliases, case, spacing, comments) reads back
    // equal, on two databases of the same server.
    void spellings_data() { addBackends(); }
    void spellings()
    {
        QFETCH(QString, backend);
        auto plain = scratch(backend, u"spelling_a"_s);
        auto spelled = scratch(backend, u"spelling_b"_s);
        QVERIFY2(plain->error().isEmpty(), qPrintable(plain->error()));
        QVERIFY2(spelled->error().isEmpty(), qPrintable(spelled->error()));
        QString error = plain->execute(readText(dataPath(backend + u"/schema.sql"_s)));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = spelled->execute(readText(dataPath(backend + u"/spelled.sql"_s)));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> a = plain->snapshot();
        Expected<SchemaSnapshot> b = spelled->snapshot();
        QVERIFY2(a, qPrintable(errorText(a)));
        QVERIFY2(b, qPrintable(errorText(b)));
        QVERIFY2(a->differences(*b).isEmpty(), qPrintable(a->differences(*b).join(u'\n')));
        QVERIFY(*a == *b);
        QCOMPARE(a->toText(), b->toText());
        QCOMPARE(a->tables.size(), 3);
    }

    // Each single change to the schema makes the snapshots differ, and differences() names that change.
    void singleChange_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QStringList>("expected"); // every piece must be in one line of differences()
        struct Change
        {
            const char *name;
            QString from;
            QString to;
            QStringList expected;
        };
        const QList<Change> changes = {
            {"add column",
             u"    notes TEXT\n"_s,
             u"    notes TEXT,\n    contact_email VARCHAR(254)\n"_s,
             {u"table locations: column contact_email: "_s, u": only in other"_s}},
            {"drop index",
             u"CREATE INDEX ix_devices_location_id ON devices (location_id);\n"_s,
             {},
             {u"table devices: index ix_devices_location_id (location_id): only in this"_s}},
            {"change default",
             u"DEFAULT 'UTC'"_s,
             u"DEFAULT 'GMT'"_s,
             {u"table locations: column timezone: default 'UTC' vs 'GMT'"_s}},
            {"change nullability",
             u"    name VARCHAR(100) NOT NULL,\n"_s,
             u"    name VARCHAR(100),\n"_s,
             {u"table locations: column name: not null vs null"_s}},
            {"add foreign key",
             u"    CONSTRAINT uq_devices_serial_number UNIQUE (serial_number)\n"_s,
             u"    CONSTRAINT uq_devices_serial_number UNIQUE (serial_number),\n"
             u"    FOREIGN KEY (replaced_by) REFERENCES devices (id)\n"_s,
             {u"table devices: foreign key "_s, u"(replaced_by) references devices (id): only in other"_s}},
            {"change type",
             u"    model VARCHAR(64),\n"_s,
             u"    model VARCHAR(80),\n"_s,
             {u"table devices: column model: type "_s, u"(64) vs "_s, u"(80)"_s}},
            {"boolean to smallint",
             u"    active BOOLEAN NOT NULL DEFAULT TRUE,\n"_s,
             u"    active SMALLINT NOT NULL DEFAULT 1,\n"_s,
             {u"table devices: column active: type "_s, u" vs smallint"_s}},
            {"change check",
             u"status IN ('active', 'retired')"_s,
             u"status IN ('active', 'retired', 'lost')"_s,
             {u"table devices: check "_s, u"'lost'"_s}},
            {"change view",
             u"WHERE d.status = 'active';"_s,
             u"WHERE d.status <> 'retired';"_s,
             {u"view active_devices: definition "_s, u"<> 'retired'"_s}},
        };
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s, u"mariadb"_s}) {
            for (const Change &change : changes) {
                QTest::addRow("%s %s", qPrintable(backend), change.name)
                    << backend << change.from << change.to << change.expected;
            }
        }
    }
    void singleChange()
    {
        QFETCH(QString, backend);
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QStringList, expected);
        const QString schema = readText(dataPath(backend + u"/schema.sql"_s));
        QCOMPARE(schema.count(from), 1);
        QString changed = schema;
        changed.replace(from, to);

        auto before = scratch(backend, u"change_a"_s);
        auto after = scratch(backend, u"change_b"_s);
        QVERIFY2(before->error().isEmpty(), qPrintable(before->error()));
        QVERIFY2(after->error().isEmpty(), qPrintable(after->error()));
        QString error = before->execute(schema);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = after->execute(changed);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> a = before->snapshot();
        Expected<SchemaSnapshot> b = after->snapshot();
        QVERIFY2(a, qPrintable(errorText(a)));
        QVERIFY2(b, qPrintable(errorText(b)));
        QVERIFY(!(*a == *b));
        const QStringList differences = a->differences(*b);
        const auto matches = [&expected](const QString &line) {
            return std::all_of(expected.cbegin(), expected.cend(),
                               [&line](const QString &piece) { return line.contains(piece); });
        };
        QVERIFY2(std::any_of(differences.cbegin(), differences.cend(), matches),
                 qPrintable(u"no line has all of [%1] in:\n%2"_s.arg(expected.join(u" | "_s),
                                                                     differences.join(u'\n'))));
        // Seen from the other side the same change reads the other way round.
        QVERIFY(!b->differences(*a).isEmpty());
    }

    // A quoted reserved word keeps its quotes in expressions and views, so that the text parses again when
    // autogenerate writes it back into DDL.
    void reservedWordsKeepQuotes_data() { addBackends(); }
    void reservedWordsKeepQuotes()
    {
        QFETCH(QString, backend);
        const QString quote = backend == "mariadb"_L1 ? u"`"_s : u"\""_s;
        auto db = scratch(backend, u"reserved"_s);
        QVERIFY2(db->error().isEmpty(), qPrintable(db->error()));
        const QString error =
            db->execute(u"CREATE TABLE %1order%1 (%1group%1 INTEGER, %1status%1 INTEGER, CONSTRAINT ck_group "
                        u"CHECK (%1group%1 > 0));\n"
                        u"CREATE VIEW v AS SELECT %1group%1, %1status%1 FROM %1order%1;\n"_s.arg(quote));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> snapshot = db->snapshot();
        QVERIFY2(snapshot, qPrintable(errorText(snapshot)));
        QCOMPARE(snapshot->tables.size(), 1);
        QCOMPARE(snapshot->tables.first().checks.size(), 1);
        QCOMPARE(snapshot->tables.first().checks.first().expression, u"%1group%1 > 0"_s.arg(quote));
        const QString definition = snapshot->view(u"v"_s)->definition;
        QVERIFY2(definition.contains(u"%1group%1"_s.arg(quote)), qPrintable(definition));
        QVERIFY2(definition.contains(u"from %1order%1"_s.arg(quote)), qPrintable(definition));
        QVERIFY2(!definition.contains(u"%1status%1"_s.arg(quote)), qPrintable(definition)); // not reserved
    }

    // One normalisation rule per row: two spellings that must read back equal, or two schemas that must not.
    void normalisationRules_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<bool>("equal");
        const QString parent = u"CREATE TABLE p (id INTEGER PRIMARY KEY);\n"_s;
        QTest::newRow("sqlite negative default in parentheses")
            << u"sqlite"_s << u"CREATE TABLE t (a INTEGER DEFAULT -1)"_s
            << u"CREATE TABLE t (a INTEGER DEFAULT (-1))"_s << true;
        QTest::newRow("sqlite names are case-insensitive")
            << u"sqlite"_s << u"CREATE TABLE T (A INTEGER)"_s << u"CREATE TABLE t (a INTEGER)"_s << true;
        QTest::newRow("sqlite string literals keep their case")
            << u"sqlite"_s << u"CREATE TABLE t (a TEXT DEFAULT 'a')"_s
            << u"CREATE TABLE t (a TEXT DEFAULT 'A')"_s << false;
        QTest::newRow("sqlite declared type kept as written")
            << u"sqlite"_s << u"CREATE TABLE t (a INT)"_s << u"CREATE TABLE t (a INTEGER)"_s << false;
        QTest::newRow("sqlite comment marker inside a string")
            << u"sqlite"_s << u"CREATE TABLE t (a TEXT CHECK (a <> '--x'))"_s
            << u"CREATE TABLE t (a TEXT CHECK (a <> '--y'))"_s << false;
        QTest::newRow("sqlite check spacing") << u"sqlite"_s << u"CREATE TABLE t (a INTEGER CHECK(a>0))"_s
                                              << u"CREATE TABLE t (a INTEGER, CHECK ( a > 0 ))"_s << true;
        QTest::newRow("sqlite rowid alias is never null")
            << u"sqlite"_s << u"CREATE TABLE t (id INTEGER PRIMARY KEY)"_s
            << u"CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY)"_s << true;
        QTest::newRow("sqlite autoincrement")
            << u"sqlite"_s << u"CREATE TABLE t (id INTEGER PRIMARY KEY)"_s
            << u"CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)"_s << false;
        QTest::newRow("postgresql quoted names keep their case")
            << u"postgresql"_s << u"CREATE TABLE t (\"A\" integer)"_s << u"CREATE TABLE t (A integer)"_s
            << false;
        QTest::newRow("postgresql serial and identity both generate")
            << u"postgresql"_s << u"CREATE TABLE t (id serial)"_s
            << u"CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY)"_s << true;
        QTest::newRow("postgresql cast to the column type")
            << u"postgresql"_s << u"CREATE TABLE t (a text DEFAULT 'x')"_s
            << u"CREATE TABLE t (a text DEFAULT 'x'::text)"_s << true;
        QTest::newRow("postgresql now() is current_timestamp")
            << u"postgresql"_s << u"CREATE TABLE t (a timestamp DEFAULT now())"_s
            << u"CREATE TABLE t (a timestamp DEFAULT CURRENT_TIMESTAMP)"_s << true;
        QTest::newRow("postgresql default null is none")
            << u"postgresql"_s << u"CREATE TABLE t (a varchar(5) DEFAULT NULL)"_s
            << u"CREATE TABLE t (a varchar(5))"_s << true;
        QTest::newRow("postgresql other defaults differ")
            << u"postgresql"_s << u"CREATE TABLE t (a integer DEFAULT 1)"_s
            << u"CREATE TABLE t (a integer DEFAULT -1)"_s << false;
        QTest::newRow("mariadb display width dropped")
            << u"mariadb"_s << u"CREATE TABLE t (a int(5))"_s << u"CREATE TABLE t (a int)"_s << true;
        QTest::newRow("mariadb tinyint(1) is not tinyint")
            << u"mariadb"_s << u"CREATE TABLE t (a tinyint(1))"_s << u"CREATE TABLE t (a tinyint)"_s << false;
        QTest::newRow("mariadb default null is none")
            << u"mariadb"_s << u"CREATE TABLE t (a int DEFAULT NULL)"_s << u"CREATE TABLE t (a int)"_s
            << true;
        QTest::newRow("mariadb quoted numeric default")
            << u"mariadb"_s << u"CREATE TABLE t (a int DEFAULT '5')"_s
            << u"CREATE TABLE t (a int DEFAULT 5)"_s << true;
        QTest::newRow("mariadb restrict is no action")
            << u"mariadb"_s << parent + u"CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES p (id))"_s
            << parent + u"CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES p (id) ON DELETE RESTRICT)"_s
            << true;
        QTest::newRow("mariadb cascade is not no action")
            << u"mariadb"_s << parent + u"CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES p (id))"_s
            << parent + u"CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE)"_s
            << false;
    }
    void normalisationRules()
    {
        QFETCH(QString, backend);
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(bool, equal);
        auto a = scratch(backend, u"rule_a"_s);
        auto b = scratch(backend, u"rule_b"_s);
        QVERIFY2(a->error().isEmpty(), qPrintable(a->error()));
        QVERIFY2(b->error().isEmpty(), qPrintable(b->error()));
        QString error = a->execute(first);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = b->execute(second);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> snapshotA = a->snapshot();
        Expected<SchemaSnapshot> snapshotB = b->snapshot();
        QVERIFY2(snapshotA, qPrintable(errorText(snapshotA)));
        QVERIFY2(snapshotB, qPrintable(errorText(snapshotB)));
        QVERIFY(!snapshotA->tables.isEmpty());
        QCOMPARE(*snapshotA == *snapshotB, equal);
        QCOMPARE(snapshotA->differences(*snapshotB).isEmpty(), equal);
        if (equal)
            QCOMPARE(snapshotA->toText(), snapshotB->toText());
    }

    // The version table (configurable) and qmigrate_history are never part of the schema; more tables can
    // be left out by name.
    void excludedTables_data() { addBackends(); }
    void excludedTables()
    {
        QFETCH(QString, backend);
        auto db = scratch(backend, u"excluded"_s);
        QVERIFY2(db->error().isEmpty(), qPrintable(db->error()));
        const QString error =
            db->execute(u"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);\n"
                        u"CREATE TABLE qmigrate_history (id INTEGER PRIMARY KEY, revision VARCHAR(32));\n"
                        u"CREATE TABLE my_versions (version_num VARCHAR(32) NOT NULL PRIMARY KEY);\n"
                        u"CREATE TABLE scratch (id INTEGER PRIMARY KEY);\n"
                        u"CREATE TABLE kept (id INTEGER PRIMARY KEY);\n"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto tableNames = [](const SchemaSnapshot &snapshot) {
            QStringList names;
            for (const SchemaTable &table : snapshot.tables)
                names.append(table.name);
            return names;
        };

        Expected<SchemaSnapshot> defaults = db->snapshot();
        QVERIFY2(defaults, qPrintable(errorText(defaults)));
        QCOMPARE(tableNames(*defaults), (QStringList{u"kept"_s, u"my_versions"_s, u"scratch"_s}));

        IntrospectOptions options;
        options.versionTable = u"my_versions"_s;
        options.excludedTables = {u"scratch"_s};
        Expected<SchemaSnapshot> configured = db->snapshot(options);
        QVERIFY2(configured, qPrintable(errorText(configured)));
        QCOMPARE(tableNames(*configured), (QStringList{u"alembic_version"_s, u"kept"_s}));
    }

    // The bundled example's revisions, applied up to its heads by the Migrator, introspect on every backend,
    // and give the same snapshot as the project's schema.sql (the model `check` compares with head). The
    // SQLite snapshot is committed in example/sqlite.txt.
    void example_data() { addBackends(); }
    void example()
    {
        QFETCH(QString, backend);
        const QString dir = m_tmp.filePath(u"example_"_s + backend);
        QVERIFY(copyTree(QStringLiteral(QMIGRATE_SOURCE_DIR "/migrations"), dir));
        QFile::remove(dir + u"/example.db"_s);
        Expected<Project> project = Project::open(dir + u"/alembic.ini"_s);
        QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));

        auto revisions = scratch(backend, u"example_revisions"_s);
        QVERIFY2(revisions->error().isEmpty(), qPrintable(revisions->error()));
        Migrator migrator(project->map(), revisions->url(), MigratorOptions::fromConfig(project->config()));
        Migrator::Request request;
        request.kind = Migrator::Request::Kind::Upgrade;
        request.targets = {u"heads"_s};
        Expected<Migrator::Result> result = migrator.run(request);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QCOMPARE(result->completedSteps, int(project->map().size()));

        Expected<SchemaSnapshot> atHead = revisions->snapshot();
        QVERIFY2(atHead, qPrintable(errorText(atHead)));
        QCOMPARE(atHead->tables.size(), 9);
        QCOMPARE(atHead->views.size(), 1);
        QVERIFY(!atHead->table(u"alembic_version"_s));
        if (backend == "sqlite"_L1) {
            const QString expected = readText(dataPath(u"example/sqlite.txt"_s));
            QVERIFY(!expected.isEmpty());
            QVERIFY2(matchesFixture(expected, atHead->toText()),
                     "the snapshot differs from example/sqlite.txt (above)");
        }

        auto model = scratch(backend, u"example_model"_s);
        QVERIFY2(model->error().isEmpty(), qPrintable(model->error()));
        const QString error = model->execute(readText(dir + u"/schema.sql"_s));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> fromModel = model->snapshot();
        QVERIFY2(fromModel, qPrintable(errorText(fromModel)));
        QVERIFY2(atHead->differences(*fromModel).isEmpty(),
                 qPrintable(atHead->differences(*fromModel).join(u'\n')));
    }

    // Read errors name what was being read.
    void errors()
    {
        auto db = scratch(u"sqlite"_s, u"errors"_s);
        QVERIFY2(db->error().isEmpty(), qPrintable(db->error()));
        IntrospectOptions options;
        options.schema = u"nowhere"_s;
        Expected<SchemaSnapshot> missing = db->snapshot(options);
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind(), EngineError::Kind::Database);
        QCOMPARE(missing.error().message(),
                 u"cannot read the schema: SQLite has no attached database named 'nowhere'"_s);

        QSqlDatabase closed;
        Expected<SchemaSnapshot> notOpen = SchemaIntrospector::read(closed, DatabaseUrl::Backend::PostgreSQL);
        QVERIFY(!notOpen);
        QCOMPARE(notOpen.error().message(), u"cannot read the schema: the connection is not open"_s);
    }

    // A hand-built snapshot: sort() orders it, and each kind of difference reads as documented.
    void differencesWording()
    {
        SchemaSnapshot a;
        SchemaTable devices;
        devices.name = u"devices"_s;
        devices.columns = {{u"id"_s, u"integer"_s, false, std::nullopt, true},
                           {u"firmware"_s, u"text"_s, true, std::nullopt, false}};
        devices.primaryKey = {QString(), {u"id"_s}};
        devices.indexes = {{u"ix_b"_s, {u"firmware"_s}, false, {}, {}}, {u"ix_a"_s, {u"id"_s}, true, {}, {}}};
        a.tables = {devices};
        a.views = {{u"v"_s, u"select 1"_s}};
        SchemaSnapshot b = a;
        b.tables[0].columns[1].type = u"varchar(64)"_s;
        b.tables[0].columns[1].nullable = false;
        b.tables[0].columns[1].defaultExpr = u"'1.0'"_s;
        b.tables[0].indexes.removeLast();
        b.tables.append(SchemaTable{u"notes"_s, {}, {}, {}, {}, {}, {}});
        b.views.clear();

        SchemaSnapshot sorted = a;
        sorted.sort();
        QCOMPARE(sorted.tables[0].indexes[0].name, u"ix_a"_s);
        QCOMPARE(a.differences(sorted),
                 QStringList{u"the snapshots hold the same facts in another order (call sort() on both)"_s});
        QCOMPARE(a.differences(b), (QStringList{
                                       u"table devices: column firmware: type text vs varchar(64)"_s,
                                       u"table devices: column firmware: null vs not null"_s,
                                       u"table devices: column firmware: default none vs '1.0'"_s,
                                       u"table devices: unique index ix_a (id): only in this"_s,
                                       u"table notes: only in other"_s,
                                       u"view v: only in this"_s,
                                   }));
        QCOMPARE(sorted.toText(), u"table devices\n"
                                  u"  column id: integer not null autoincrement\n"
                                  u"  column firmware: text\n"
                                  u"  primary key (id)\n"
                                  u"  unique index ix_a (id)\n"
                                  u"  index ix_b (firmware)\n"
                                  u"view v: select 1\n"_s);
    }
};

QTEST_GUILESS_MAIN(TstSchemaIntrospector)
#include "tst_schemaintrospector.moc"
