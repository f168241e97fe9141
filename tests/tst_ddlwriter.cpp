// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "schema/ddlwriter.h"
#include "schema/schemadiff.h"
#include "schema/schemaintrospector.h"
#include "scripts/sqlstatementsplitter.h"
#include "testdatabase.h"
#include "testservers.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QString errorText(const Expected<SchemaSnapshot> &snapshot)
{
    return snapshot ? QString() : snapshot.error().toString();
}

// An auto-incrementing integer primary key column, as each backend spells it.
QString autoId(const QString &backend)
{
    if (backend == "postgresql"_L1)
        return u"id SERIAL PRIMARY KEY"_s;
    if (backend == "mariadb"_L1)
        return u"id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY"_s;
    return u"id INTEGER PRIMARY KEY AUTOINCREMENT"_s;
}

// The schema every round trip starts from; a case replaces pieces of it.
const QString baseSchema = u"CREATE TABLE locations (\n"
                           u"    id INTEGER NOT NULL,\n"
                           u"    name VARCHAR(100) NOT NULL,\n"
                           u"    timezone VARCHAR(64) DEFAULT 'UTC',\n"
                           u"    PRIMARY KEY (id)\n"
                           u");\n"
                           u"CREATE TABLE devices (\n"
                           u"    id INTEGER NOT NULL,\n"
                           u"    serial VARCHAR(50) NOT NULL,\n"
                           u"    location_id INTEGER,\n"
                           u"    model VARCHAR(64),\n"
                           u"    PRIMARY KEY (id)\n"
                           u");\n"_s;
const QString baseRows =
    u"INSERT INTO locations (id, name) VALUES (1, 'HQ');\n"
    u"INSERT INTO devices (id, serial, location_id, model) VALUES (1, 'S1', 1, 'm1');\n"_s;

QString replaced(QString text, const QString &before, const QString &after)
{
    Q_ASSERT(text.count(before) == 1);
    return text.replace(before, after);
}

bool hasNote(const MigrationDraft &draft, const QString &piece)
{
    return std::any_of(draft.reviewNotes.cbegin(), draft.reviewNotes.cend(),
                       [&piece](const QString &note) { return note.contains(piece); });
}

QString draftText(const MigrationDraft &draft)
{
    return u"--- upgrade\n%1--- downgrade\n%2--- notes\n%3"_s.arg(draft.upgradeSql, draft.downgradeSql,
                                                                  draft.reviewNotes.join(u'\n'));
}

SchemaColumn column(const QString &name, const QString &type, bool nullable = true)
{
    SchemaColumn result;
    result.name = name;
    result.type = type;
    result.nullable = nullable;
    return result;
}

SchemaTable table(const QString &name, const QList<SchemaColumn> &columns)
{
    SchemaTable result;
    result.name = name;
    result.columns = columns;
    result.primaryKey.columns = {columns.first().name};
    return result;
}

SchemaSnapshot snapshotOf(const QList<SchemaTable> &tables)
{
    SchemaSnapshot snapshot;
    snapshot.tables = tables;
    snapshot.sort();
    return snapshot;
}

} // namespace

class TstDdlWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    std::unique_ptr<TestDatabase> scratch(const QString &backend, const QString &name)
    {
        return std::make_unique<TestDatabase>(backend, u"tst_ddlwriter_"_s + name, m_tmp);
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    // The upgrade takes a database holding `from` to exactly `to` (rows kept), the downgrade back to exactly
    // `from`, with the statements split by SqlStatementSplitter and run in order.
    void roundTrip_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        const QString modelColumn = u"    model VARCHAR(64),\n"_s;
        const QString devicesKey = u"    model VARCHAR(64),\n    PRIMARY KEY (id)\n"_s;
        const QString view = u"CREATE VIEW device_serials AS SELECT id, serial FROM devices;\n"_s;
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s, u"mariadb"_s}) {
            struct Case
            {
                const char *slug;
                QString from;
                QString to;
            };
            QList<Case> cases = {
                {"add_table", baseSchema,
                 baseSchema +
                     u"CREATE TABLE tags (\n    %1,\n    device_id INTEGER NOT NULL,\n"
                     u"    label VARCHAR(32) NOT NULL,\n    CONSTRAINT uq_tags_label UNIQUE (label),\n"
                     u"    CONSTRAINT fk_tags_device FOREIGN KEY (device_id) REFERENCES devices (id) "
                     u"ON DELETE CASCADE\n);\n"
                     u"CREATE INDEX ix_tags_device ON tags (device_id);\n"_s.arg(autoId(backend))},
                {"add_column", baseSchema,
                 replaced(baseSchema, modelColumn, modelColumn + u"    notes TEXT,\n"_s)},
                {"add_column_default", baseSchema,
                 replaced(baseSchema, modelColumn,
                          modelColumn + u"    status VARCHAR(16) NOT NULL DEFAULT 'new',\n"_s)},
                {"drop_column", replaced(baseSchema, modelColumn, modelColumn + u"    notes TEXT,\n"_s),
                 baseSchema},
                {"drop_indexed_column",
                 replaced(baseSchema, modelColumn, modelColumn + u"    notes VARCHAR(20),\n"_s) +
                     u"CREATE INDEX ix_devices_notes ON devices (notes);\n"_s,
                 baseSchema},
                {"add_index", baseSchema,
                 baseSchema + u"CREATE INDEX ix_devices_model ON devices (model);\n"_s},
                {"drop_index", baseSchema + u"CREATE INDEX ix_devices_model ON devices (model);\n"_s,
                 baseSchema},
                {"add_foreign_key", baseSchema,
                 replaced(baseSchema, devicesKey,
                          devicesKey + u"    , CONSTRAINT fk_devices_location FOREIGN KEY (location_id) "
                                       u"REFERENCES locations (id) ON DELETE SET NULL\n"_s)},
                {"change_default", baseSchema, replaced(baseSchema, u"DEFAULT 'UTC'"_s, u"DEFAULT 'GMT'"_s)},
                {"change_nullability", baseSchema,
                 replaced(baseSchema, modelColumn, u"    model VARCHAR(64) NOT NULL,\n"_s)},
                {"change_type", baseSchema,
                 replaced(baseSchema, u"serial VARCHAR(50)"_s, u"serial VARCHAR(100)"_s)},
                {"change_type_under_view", baseSchema + view,
                 replaced(baseSchema, u"serial VARCHAR(50)"_s, u"serial VARCHAR(100)"_s) + view},
                {"create_view", baseSchema, baseSchema + view},
                {"add_unique", baseSchema,
                 replaced(baseSchema, devicesKey,
                          devicesKey + u"    , CONSTRAINT uq_devices_serial UNIQUE (serial)\n"_s)},
                {"add_check", baseSchema,
                 replaced(
                     baseSchema, u"    PRIMARY KEY (id)\n);\nCREATE TABLE devices"_s,
                     u"    PRIMARY KEY (id),\n    CONSTRAINT ck_locations_name CHECK (length(name) > 0)\n"
                     u");\nCREATE TABLE devices"_s)},
            };
            const QString quote = backend == "mariadb"_L1 ? u"`"_s : u"\""_s;
            cases.append(
                {"reserved_names", baseSchema,
                 baseSchema + u"CREATE TABLE %1order%1 (\n    %1group%1 INTEGER NOT NULL PRIMARY KEY,\n"
                              u"    %1Label%1 VARCHAR(10),\n    %1unit price%1 INTEGER DEFAULT 0\n);\n"
                              u"CREATE INDEX %1Ix Label%1 ON %1order%1 (%1Label%1);\n"
                              u"CREATE VIEW %1select%1 AS SELECT %1group%1 FROM %1order%1;\n"_s.arg(quote)});
            cases.append({"change_primary_key", baseSchema,
                          replaced(baseSchema, u"    model VARCHAR(64),\n    PRIMARY KEY (id)\n"_s,
                                   u"    model VARCHAR(64),\n    PRIMARY KEY (id, serial)\n"_s)});
            const QString sites = u"CREATE TABLE sites (id INTEGER NOT NULL PRIMARY KEY);\n"_s;
            const QString stations =
                u"CREATE TABLE stations (id INTEGER NOT NULL PRIMARY KEY, site_id INTEGER%1);\n"_s;
            cases.append({"drop_referenced_table",
                          baseSchema + sites +
                              stations.arg(u",\n    CONSTRAINT fk_stations_site FOREIGN KEY (site_id) "
                                           u"REFERENCES sites (id)"_s),
                          baseSchema + stations.arg(QString())});
            // Two new tables that reference each other: MariaDB and PostgreSQL need one key added after both.
            const QString cycle = u"CREATE TABLE cycle_a (id INTEGER NOT NULL PRIMARY KEY, b_id INTEGER%1);\n"
                                  u"CREATE TABLE cycle_b (id INTEGER NOT NULL PRIMARY KEY, a_id INTEGER,\n"
                                  u"    CONSTRAINT fk_b_a FOREIGN KEY (a_id) REFERENCES cycle_a (id));\n%2"_s;
            const QString cycleKey = u"CONSTRAINT fk_a_b FOREIGN KEY (b_id) REFERENCES cycle_b (id)"_s;
            cases.append(
                {"new_cycle", baseSchema,
                 baseSchema + (backend == "sqlite"_L1 ? cycle.arg(u",\n    "_s + cycleKey, QString())
                                                      : cycle.arg(QString(), u"ALTER TABLE cycle_a ADD "_s +
                                                                                 cycleKey + u";\n"_s))});
            if (backend != "postgresql"_L1) { // PostgreSQL can only append a column
                cases.append({"add_column_in_the_middle", baseSchema,
                              replaced(baseSchema, u"    location_id INTEGER,\n"_s,
                                       u"    batch VARCHAR(8),\n    location_id INTEGER,\n"_s)});
            }
            for (const Case &c : cases) {
                QTest::addRow("%s %s", qPrintable(backend), c.slug)
                    << backend << QString::fromLatin1(c.slug) << c.from << c.to;
            }
        }
    }
    void roundTrip()
    {
        QFETCH(QString, backend);
        QFETCH(QString, slug);
        QFETCH(QString, from);
        QFETCH(QString, to);
        auto work = scratch(backend, slug + u"_a"_s);
        auto target = scratch(backend, slug + u"_b"_s);
        QVERIFY2(work->error().isEmpty(), qPrintable(work->error()));
        QVERIFY2(target->error().isEmpty(), qPrintable(target->error()));
        QString error = work->execute(from);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = target->execute(to);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> fromSnapshot = work->snapshot();
        Expected<SchemaSnapshot> toSnapshot = target->snapshot();
        QVERIFY2(fromSnapshot, qPrintable(errorText(fromSnapshot)));
        QVERIFY2(toSnapshot, qPrintable(errorText(toSnapshot)));
        QVERIFY(!(*fromSnapshot == *toSnapshot));
        error = work->execute(baseRows);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        Expected<MigrationDraft> draft = DdlWriter::write(*fromSnapshot, *toSnapshot, testBackend(backend));
        QVERIFY2(draft, qPrintable(draft ? QString() : draft.error().toString()));
        QVERIFY(!draft->upgradeSql.isEmpty());
        QVERIFY(!draft->downgradeSql.isEmpty());
        const SqlStatementSplitter splitter(testBackend(backend));
        QVERIFY(splitter.split(draft->upgradeSql));
        QVERIFY(splitter.split(draft->downgradeSql));

        error = work->execute(draft->upgradeSql);
        QVERIFY2(error.isEmpty(), qPrintable(error + u'\n' + draftText(*draft)));
        Expected<SchemaSnapshot> upgraded = work->snapshot();
        QVERIFY2(upgraded, qPrintable(errorText(upgraded)));
        QVERIFY2(*upgraded == *toSnapshot,
                 qPrintable(upgraded->differences(*toSnapshot).join(u'\n') + u'\n' + draftText(*draft)));
        QCOMPARE(work->count(u"devices"_s), 1);
        QCOMPARE(work->count(u"locations"_s), 1);

        error = work->execute(draft->downgradeSql);
        QVERIFY2(error.isEmpty(), qPrintable(error + u'\n' + draftText(*draft)));
        Expected<SchemaSnapshot> downgraded = work->snapshot();
        QVERIFY2(downgraded, qPrintable(errorText(downgraded)));
        QVERIFY2(*downgraded == *fromSnapshot,
                 qPrintable(downgraded->differences(*fromSnapshot).join(u'\n') + u'\n' + draftText(*draft)));
        QCOMPARE(work->count(u"devices"_s), 1);
        QCOMPARE(work->count(u"locations"_s), 1);
    }

    // Two new tables where the first in name order references the second: the referenced one is created
    // first and dropped last, and both directions run.
    void dependencyOrder_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
        QTest::newRow("mariadb") << u"mariadb"_s;
    }
    void dependencyOrder()
    {
        QFETCH(QString, backend);
        const QString to =
            baseSchema +
            u"CREATE TABLE a_child (\n    id INTEGER NOT NULL PRIMARY KEY,\n"
            u"    parent_id INTEGER,\n"
            u"    CONSTRAINT fk_a_child_parent FOREIGN KEY (parent_id) REFERENCES b_parent (id)\n"
            u");\n"
            u"CREATE TABLE b_parent (\n    id INTEGER NOT NULL PRIMARY KEY,\n"
            u"    location_id INTEGER,\n"
            u"    CONSTRAINT fk_b_parent_location FOREIGN KEY (location_id) REFERENCES locations (id)\n"
            u");\n"
            u"CREATE VIEW parents AS SELECT b.id, c.id AS child_id FROM b_parent b "
            u"JOIN a_child c ON c.parent_id = b.id;\n"_s;
        auto work = scratch(backend, u"order_a"_s);
        auto target = scratch(backend, u"order_b"_s);
        QVERIFY2(work->error().isEmpty(), qPrintable(work->error()));
        QVERIFY2(target->error().isEmpty(), qPrintable(target->error()));
        QString error = work->execute(baseSchema);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // MariaDB checks the referenced table at CREATE: the target is built in dependency order by hand.
        error = target->execute(baseSchema);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const qsizetype child = to.indexOf(u"CREATE TABLE a_child"_s);
        const qsizetype parent = to.indexOf(u"CREATE TABLE b_parent"_s);
        const qsizetype viewAt = to.indexOf(u"CREATE VIEW"_s);
        error =
            target->execute(to.mid(parent, viewAt - parent) + to.mid(child, parent - child) + to.mid(viewAt));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> fromSnapshot = work->snapshot();
        Expected<SchemaSnapshot> toSnapshot = target->snapshot();
        QVERIFY2(fromSnapshot, qPrintable(errorText(fromSnapshot)));
        QVERIFY2(toSnapshot, qPrintable(errorText(toSnapshot)));

        Expected<MigrationDraft> draft = DdlWriter::write(*fromSnapshot, *toSnapshot, testBackend(backend));
        QVERIFY(draft);
        const QString &up = draft->upgradeSql;
        const QString &down = draft->downgradeSql;
        QVERIFY2(up.indexOf(u"CREATE TABLE b_parent"_s) >= 0, qPrintable(up));
        QVERIFY2(up.indexOf(u"CREATE TABLE b_parent"_s) < up.indexOf(u"CREATE TABLE a_child"_s),
                 qPrintable(up));
        QVERIFY2(up.indexOf(u"CREATE TABLE a_child"_s) < up.indexOf(u"CREATE VIEW parents"_s),
                 qPrintable(up));
        QVERIFY2(down.indexOf(u"DROP VIEW parents"_s) >= 0, qPrintable(down));
        QVERIFY2(down.indexOf(u"DROP VIEW parents"_s) < down.indexOf(u"DROP TABLE a_child"_s),
                 qPrintable(down));
        QVERIFY2(down.indexOf(u"DROP TABLE a_child"_s) < down.indexOf(u"DROP TABLE b_parent"_s),
                 qPrintable(down));
        QVERIFY(hasNote(*draft, u"downgrade: table a_child is dropped: data in a_child will be lost"_s));

        error = work->execute(up);
        QVERIFY2(error.isEmpty(), qPrintable(error + u'\n' + draftText(*draft)));
        Expected<SchemaSnapshot> upgraded = work->snapshot();
        QVERIFY(upgraded);
        QVERIFY2(*upgraded == *toSnapshot, qPrintable(upgraded->differences(*toSnapshot).join(u'\n')));
        error = work->execute(down);
        QVERIFY2(error.isEmpty(), qPrintable(error + u'\n' + draftText(*draft)));
        Expected<SchemaSnapshot> downgraded = work->snapshot();
        QVERIFY(downgraded);
        QVERIFY2(*downgraded == *fromSnapshot,
                 qPrintable(downgraded->differences(*fromSnapshot).join(u'\n')));
    }

    // Equal snapshots give an empty draft, with no notes.
    void noChange_data() { dependencyOrder_data(); }
    void noChange()
    {
        QFETCH(QString, backend);
        auto db = scratch(backend, u"nochange"_s);
        QVERIFY2(db->error().isEmpty(), qPrintable(db->error()));
        const QString error = db->execute(baseSchema + u"CREATE VIEW v AS SELECT id FROM devices;\n"_s);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Expected<SchemaSnapshot> snapshot = db->snapshot();
        QVERIFY2(snapshot, qPrintable(errorText(snapshot)));
        QVERIFY(SchemaDiff::compare(*snapshot, *snapshot).isEmpty());
        Expected<MigrationDraft> draft = DdlWriter::write(*snapshot, *snapshot, testBackend(backend));
        QVERIFY(draft);
        QVERIFY(draft->isEmpty());
        QCOMPARE(draft->upgradeSql, QString());
        QCOMPARE(draft->downgradeSql, QString());
        QCOMPARE(draft->reviewNotes, QStringList());
    }

    // What may lose data or fail is written as a review line in the SQL and listed in reviewNotes.
    void reviewNotes_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<SchemaSnapshot>("from");
        QTest::addColumn<SchemaSnapshot>("to");
        QTest::addColumn<QStringList>("notes"); // each must be a piece of one note
        const SchemaColumn id = column(u"id"_s, u"integer"_s, false);
        const SchemaSnapshot base = snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"varchar(100)"_s)})});
        for (const QString &backend : {u"sqlite"_s, u"postgresql"_s, u"mariadb"_s}) {
            const auto row = [&backend](const char *name) {
                return &(QTest::addRow("%s %s", qPrintable(backend), name) << backend);
            };
            *row("drop column") << base << snapshotOf({table(u"t"_s, {id})})
                                << QStringList{u"upgrade: column t.a is dropped: data in t.a will be lost"_s};
            *row("narrow varchar") << base
                                   << snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"varchar(50)"_s)})})
                                   << QStringList{
                                          u"upgrade: type of t.a narrows from varchar(100) to varchar(50)"_s};
            *row("bigint to integer")
                << snapshotOf({table(u"t"_s, {id, column(u"n"_s, u"bigint"_s)})})
                << snapshotOf({table(u"t"_s, {id, column(u"n"_s, u"integer"_s)})})
                << QStringList{u"upgrade: type of t.n narrows from bigint to integer"_s};
            *row("text to varchar") << snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"text"_s)})}) << base
                                    << QStringList{
                                           u"upgrade: type of t.a narrows from text to varchar(100)"_s};
            *row("column rename")
                << base << snapshotOf({table(u"t"_s, {id, column(u"b"_s, u"varchar(100)"_s)})})
                << QStringList{
                       u"upgrade: possible rename of column t.a to t.b: data would be lost; replace with "
                       u"a RENAME if so"_s,
                       u"downgrade: possible rename of column t.b to t.a"_s};
            *row("table rename")
                << base << snapshotOf({table(u"things"_s, {id, column(u"a"_s, u"varchar(100)"_s)})})
                << QStringList{u"upgrade: possible rename of table t to things: data would be lost"_s,
                               u"downgrade: possible rename of table things to t"_s};
            *row("not null without default")
                << base << snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"varchar(100)"_s, false)})})
                << QStringList{
                       u"upgrade: t.a becomes NOT NULL without a default: existing NULLs will make this fail"_s};
            *row("add not null column")
                << base
                << snapshotOf({table(
                       u"t"_s, {id, column(u"a"_s, u"varchar(100)"_s), column(u"c"_s, u"integer"_s, false)})})
                << QStringList{u"upgrade: column t.c is added NOT NULL without a default"_s,
                               u"downgrade: column t.c is dropped: data in t.c will be lost"_s};
        }
        QTest::newRow("postgresql text to integer")
            << u"postgresql"_s << snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"text"_s)})})
            << snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"integer"_s)})})
            << QStringList{
                   u"upgrade: type of t.a changes from text to integer: check that every existing value "
                   u"converts"_s,
                   u"downgrade: type of t.a changes from integer to text"_s};
        QTest::newRow("postgresql column in the middle")
            << u"postgresql"_s << base
            << snapshotOf(
                   {table(u"t"_s, {id, column(u"m"_s, u"integer"_s), column(u"a"_s, u"varchar(100)"_s)})})
            << QStringList{
                   u"upgrade: PostgreSQL adds columns at the end: t gets the column order (id, a, m), not "
                   u"(id, m, a)"_s};
        QTest::newRow("postgresql generator")
            << u"postgresql"_s << base <<
            [&] {
                SchemaSnapshot generated = base;
                generated.tables.first().columns.first().autoIncrement = true;
                return generated;
            }()
            << QStringList{
                   u"upgrade: t.id gets a generator (serial or identity): write that change by hand"_s};
    }
    void reviewNotes()
    {
        QFETCH(QString, backend);
        QFETCH(SchemaSnapshot, from);
        QFETCH(SchemaSnapshot, to);
        QFETCH(QStringList, notes);
        Expected<MigrationDraft> draft = DdlWriter::write(from, to, testBackend(backend));
        QVERIFY(draft);
        for (const QString &note : notes) {
            QVERIFY2(hasNote(*draft, note), qPrintable(note + u"\nnot in\n"_s + draftText(*draft)));
            const bool upgrade = note.startsWith(u"upgrade: "_s);
            const QString line = u"-- qmigrate: review: "_s + note.mid(note.indexOf(u' ') + 1);
            QVERIFY2((upgrade ? draft->upgradeSql : draft->downgradeSql).contains(line),
                     qPrintable(line + u"\nnot in\n"_s + draftText(*draft)));
        }
        const SqlStatementSplitter splitter(testBackend(backend));
        QVERIFY(splitter.split(draft->upgradeSql));
        QVERIFY(splitter.split(draft->downgradeSql));
    }

    // A widening change needs no review; a narrowing one does (in the other direction).
    void wideningIsQuiet()
    {
        const SchemaColumn id = column(u"id"_s, u"integer"_s, false);
        const SchemaSnapshot narrow =
            snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"character varying(50)"_s)})});
        const SchemaSnapshot wide =
            snapshotOf({table(u"t"_s, {id, column(u"a"_s, u"character varying(100)"_s)})});
        Expected<MigrationDraft> draft = DdlWriter::write(narrow, wide, DatabaseUrl::Backend::PostgreSQL);
        QVERIFY(draft);
        QCOMPARE(draft->upgradeSql, u"ALTER TABLE t ALTER COLUMN a TYPE character varying(100);\n"_s);
        QCOMPARE(draft->reviewNotes,
                 QStringList{u"downgrade: type of t.a narrows from character varying(100) to character "
                             u"varying(50): values that do not fit will fail or be cut"_s});
    }

    // Names are quoted only when the dialect needs it: reserved words, upper case, special characters.
    void quoting_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("expected");
        QTest::newRow("postgresql") << u"postgresql"_s
                                    << u"CREATE TABLE \"order\" (\n    id integer NOT NULL,\n    \"Total\" "
                                       u"integer,\n    \"unit price\" integer,\n    plain integer,\n"
                                       u"    PRIMARY KEY (id)\n);\n"_s;
        QTest::newRow("mariadb") << u"mariadb"_s
                                 << u"CREATE TABLE `order` (\n    id integer NOT NULL,\n    `Total` integer "
                                    u"NULL,\n    `unit price` integer NULL,\n    plain integer NULL,\n"
                                    u"    PRIMARY KEY (id)\n);\n"_s;
        QTest::newRow("sqlite") << u"sqlite"_s
                                << u"CREATE TABLE \"order\" (\n    id integer NOT NULL,\n    \"Total\" "
                                   u"integer,\n    \"unit price\" integer,\n    plain integer,\n"
                                   u"    PRIMARY KEY (id)\n);\n"_s;
    }
    void quoting()
    {
        QFETCH(QString, backend);
        QFETCH(QString, expected);
        const SchemaSnapshot to = snapshotOf(
            {table(u"order"_s, {column(u"id"_s, u"integer"_s, false), column(u"Total"_s, u"integer"_s),
                                column(u"unit price"_s, u"integer"_s), column(u"plain"_s, u"integer"_s)})});
        Expected<MigrationDraft> draft = DdlWriter::write(SchemaSnapshot(), to, testBackend(backend));
        QVERIFY(draft);
        QCOMPARE(draft->upgradeSql, expected);
    }

    // The change list: tables in name order, drops before adds, views last.
    void schemaDiffOrder()
    {
        const SchemaColumn id = column(u"id"_s, u"integer"_s, false);
        SchemaTable devices = table(u"devices"_s, {id, column(u"a"_s, u"text"_s), column(u"b"_s, u"text"_s)});
        SchemaSnapshot from = snapshotOf({devices, table(u"old"_s, {id})});
        devices.columns = {id, column(u"b"_s, u"varchar(10)"_s, false), column(u"c"_s, u"text"_s)};
        devices.indexes = {{u"ix_c"_s, {u"c"_s}, false, QString(), QString()}};
        SchemaSnapshot to = snapshotOf({devices, table(u"alpha"_s, {id})});
        to.views = {{u"v"_s, u"select 1"_s}};
        QStringList lines;
        for (const SchemaChange &change : SchemaDiff::compare(from, to))
            lines.append(change.toString());
        QCOMPARE(lines, (QStringList{
                            u"create table alpha"_s,
                            u"drop column devices.a: text"_s,
                            u"add column devices.c: text"_s,
                            u"alter column type devices.b: text -> varchar(10)"_s,
                            u"alter column nullability devices.b: null -> not null"_s,
                            u"add index devices.ix_c: (c)"_s,
                            u"drop table old"_s,
                            u"create view v: select 1"_s,
                        }));
        QVERIFY(SchemaDiff::compare(to, to).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstDdlWriter)
#include "tst_ddlwriter.moc"
