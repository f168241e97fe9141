// SPDX-License-Identifier: MIT
// create --autogenerate through the real qmigrate-cli on SQLite, PostgreSQL and MariaDB: change schema.sql,
// draft the revision, apply it, and the database then equals the model (create --autogenerate
// --from-database finds nothing to do); downgrade it, and the database equals the model before the change.
#include "clirunner.h"
#include "testservers.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QString describe(const CliResult &result)
{
    return u"exit %1\nstdout:\n%2\nstderr:\n%3"_s.arg(result.exitCode).arg(result.out, result.err);
}

} // namespace

class TstCliAutogenerate : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void noChangeWritesNothing();
    void brokenModelWritesNothing();
    void draftOnASplicedParent_data();
    void draftOnASplicedParent();
    void fromDatabaseNeedsTheDatabasesRevision();
    void draftOnAMergeAndOnANewRoot();
};

void TstCliAutogenerate::roundTrip_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QByteArray>("from"); // a line of schema.sql ...
    QTest::addColumn<QByteArray>("to");   // ... and what it becomes
    QTest::addColumn<QString>("review");  // a review note the draft must carry ("" for none)
    struct Change
    {
        const char *name;
        QByteArray from;
        QByteArray to;
        QString review;
    };
    const QList<Change> changes = {
        {"add table", "CREATE INDEX ix_devices_location_id ON devices (location_id);\n",
         "CREATE INDEX ix_devices_location_id ON devices (location_id);\n\nCREATE TABLE notes (\n    id "
         "INTEGER PRIMARY KEY,\n    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,\n"
         "    body VARCHAR(200) NOT NULL\n);\n",
         u"table notes is dropped"_s},
        {"add column", "    contact_email VARCHAR(254)\n",
         "    contact_email VARCHAR(254),\n    phone VARCHAR(32)\n", u"locations.phone is dropped"_s},
        {"drop column", "    model VARCHAR(64),\n", "", u"devices.model is dropped"_s},
        {"add index", "CREATE INDEX ix_devices_location_id ON devices (location_id);\n",
         "CREATE INDEX ix_devices_location_id ON devices (location_id);\nCREATE INDEX ix_devices_name ON "
         "devices "
         "(name);\n",
         QString()},
        {"change default", "timezone VARCHAR(64) NOT NULL DEFAULT 'UTC'",
         "timezone VARCHAR(64) NOT NULL DEFAULT 'Europe/Berlin'", QString()},
    };
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s, u"mariadb"_s}) {
        for (const Change &change : changes) {
            QTest::addRow("%s, %s", qPrintable(backend), change.name)
                << backend << change.from << change.to << change.review;
        }
    }
    // A foreign key on an existing column. schema.sql creates devices before sensors: SQLite takes the
    // reference inline anyway (it resolves it later); the servers need it added once both tables exist.
    QTest::addRow("sqlite, add foreign key")
        << u"sqlite"_s << QByteArray("    primary_sensor_id INTEGER\n")
        << QByteArray("    primary_sensor_id INTEGER REFERENCES sensors (id)\n") << QString();
    const QByteArray lastLine = "LEFT JOIN locations AS l ON l.id = d.location_id;\n";
    for (const QString &backend : {u"postgresql"_s, u"mariadb"_s}) {
        QTest::addRow("%s, add foreign key", qPrintable(backend))
            << backend << lastLine
            << lastLine + "\nALTER TABLE devices ADD CONSTRAINT fk_devices_primary_sensor FOREIGN KEY "
                          "(primary_sensor_id) REFERENCES sensors (id);\n"
            << QString();
    }
}

void TstCliAutogenerate::roundTrip()
{
    QFETCH(QString, backend);
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, review);
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    QString url = u"sqlite:///"_s + dir.filePath(u"db.sqlite"_s);
    if (backend != u"sqlite"_s) {
        const qmigrate::TestServer server =
            qmigrate::TestServers::freshDatabase(qmigrate::TestServers::server(backend), u"autogenerate"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        url = server.url().toUrlStringWithPassword();
    }
    const auto cli = [&](const QStringList &arguments) {
        return runCli(QStringList{u"-c"_s, dir.filePath(u"alembic.ini"_s), u"--url"_s, url} + arguments);
    };
    CliResult result = cli({u"upgrade"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));

    const QString model = dir.filePath(u"schema.sql"_s);
    const QByteArray original = readAll(model);
    QByteArray changed = original;
    changed.replace(from, to);
    QVERIFY2(changed != original, from.constData());
    QVERIFY(writeAll(model, changed));

    // The draft.
    result = cli({u"create"_s, u"--autogenerate"_s, u"--rev-id"_s, u"a0a0a0a0a0a0"_s, u"model change"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY2(result.out.startsWith(u"Generating "_s), qPrintable(describe(result)));
    if (!review.isEmpty())
        QVERIFY2(result.out.contains(review), qPrintable(describe(result)));
    const QStringList drafts = QDir(dir.filePath(u"versions"_s)).entryList({u"a0a0a0a0a0a0_*.sql"_s});
    QCOMPARE(drafts.size(), 1);

    // Applied, the database equals the model.
    result = cli({u"upgrade"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"nothing"_s});
    QVERIFY2(result.exitCode == 0 &&
                 result.out.startsWith(u"No changes: the schema of the database equals "_s),
             qPrintable(describe(result) + u"\ndraft:\n"_s +
                        QString::fromUtf8(readAll(dir.filePath(u"versions/"_s + drafts.first())))));
    // ... and check agrees: the model equals the schema at head.
    result = cli({u"check"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));

    // Downgraded, the database equals the model before the change. A draft from the database goes on the
    // revision the database is at, no longer a head.
    result = cli({u"downgrade"_s, u"-1"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(writeAll(model, original));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"--head"_s, u"9abc688b6311"_s,
                  u"--splice"_s, u"nothing"_s});
    QVERIFY2(result.exitCode == 0 &&
                 result.out.startsWith(u"No changes: the schema of the database equals "_s),
             qPrintable(describe(result)));
}

void TstCliAutogenerate::noChangeWritesNothing()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    const QStringList before = QDir(dir.filePath(u"versions"_s)).entryList(QDir::Files);
    const CliResult result =
        runCli({u"-c"_s, dir.filePath(u"alembic.ini"_s), u"create"_s, u"--autogenerate"_s, u"same"_s});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, u"No changes: the schema at head equals %1; no revision written.\n"_s.arg(
                             QDir::toNativeSeparators(dir.filePath(u"schema.sql"_s))));
    QCOMPARE(QDir(dir.filePath(u"versions"_s)).entryList(QDir::Files), before);
}

void TstCliAutogenerate::brokenModelWritesNothing()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    const QString model = dir.filePath(u"schema.sql"_s);
    const QByteArray original = readAll(model);
    QVERIFY(writeAll(model, original + "\nCREATE TABLE broken (id INTEGER PRIMARY KEY,, x);\n"));
    const QStringList before = QDir(dir.filePath(u"versions"_s)).entryList(QDir::Files);
    const CliResult result =
        runCli({u"-c"_s, dir.filePath(u"alembic.ini"_s), u"create"_s, u"--autogenerate"_s, u"broken"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith(u"FAILED: %1:%2: schema.sql does not apply on sqlite: "_s.arg(model).arg(
                 original.count('\n') + 2)),
             qPrintable(describe(result)));
    QCOMPARE(QDir(dir.filePath(u"versions"_s)).entryList(QDir::Files), before);
    // --from-database alone is a usage error.
    const CliResult usage =
        runCli({u"-c"_s, dir.filePath(u"alembic.ini"_s), u"create"_s, u"--from-database"_s, u"x"_s});
    QCOMPARE(usage.exitCode, 2);
    QVERIFY2(usage.err.contains(u"--from-database goes with --autogenerate"_s), qPrintable(describe(usage)));
}

// A column added to a table that exists only after the trunk revision chosen as the parent: the draft must
// start from the schema at that parent (which has no sensors table yet), not from the schema at head.
void TstCliAutogenerate::draftOnASplicedParent_data()
{
    QTest::addColumn<QString>("backend");
    for (const QString &backend : {u"sqlite"_s, u"postgresql"_s, u"mariadb"_s})
        QTest::newRow(qPrintable(backend)) << backend;
}

void TstCliAutogenerate::draftOnASplicedParent()
{
    QFETCH(QString, backend);
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    QString url = u"sqlite:///"_s + dir.filePath(u"db.sqlite"_s);
    if (backend != u"sqlite"_s) {
        const qmigrate::TestServer server = qmigrate::TestServers::freshDatabase(
            qmigrate::TestServers::server(backend), u"autogenerate_splice"_s);
        QMIGRATE_REQUIRE_SERVER(server);
        url = server.url().toUrlStringWithPassword();
    }
    const auto cli = [&](const QStringList &arguments) {
        return runCli(QStringList{u"-c"_s, dir.filePath(u"alembic.ini"_s), u"--url"_s, url} + arguments);
    };
    const QString model = dir.filePath(u"schema.sql"_s);
    QByteArray changed = readAll(model);
    QVERIFY(changed.contains("    max_value REAL,\n"));
    changed.replace("    max_value REAL,\n", "    max_value REAL,\n    calibrated_at TIMESTAMP,\n");
    QVERIFY(writeAll(model, changed));

    CliResult result = cli({u"create"_s, u"--autogenerate"_s, u"--head"_s, u"83ca92fed024"_s, u"--splice"_s,
                            u"--rev-id"_s, u"b1b1b1b1b1b1"_s, u"calibrate sensors"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const QStringList drafts = QDir(dir.filePath(u"versions"_s)).entryList({u"b1b1b1b1b1b1_*.sql"_s});
    QCOMPARE(drafts.size(), 1);
    const QString draft = QString::fromUtf8(readAll(dir.filePath(u"versions/"_s + drafts.first())));
    // What the revisions after 83ca92fed024 added is part of the draft; the sensors table is created whole.
    QVERIFY2(draft.contains(u"-- Revises: 83ca92fed024\n"_s), qPrintable(draft));
    QVERIFY2(draft.contains(u"CREATE TABLE sensors"_s, Qt::CaseInsensitive), qPrintable(draft));
    QVERIFY2(draft.contains(u"contact_email"_s), qPrintable(draft));
    QVERIFY2(!draft.contains(u"ALTER TABLE sensors ADD"_s, Qt::CaseInsensitive), qPrintable(draft));

    // Applied on top of its parent, the database equals the model.
    result = cli({u"upgrade"_s, u"b1b1b1b1b1b1"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result) + u"\ndraft:\n"_s + draft));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"--head"_s, u"b1b1b1b1b1b1"_s,
                  u"nothing"_s});
    QVERIFY2(result.exitCode == 0 &&
                 result.out.startsWith(u"No changes: the schema of the database equals "_s),
             qPrintable(describe(result) + u"\ndraft:\n"_s + draft));
    // ... and its downgrade takes it back.
    result = cli({u"downgrade"_s, u"83ca92fed024"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result) + u"\ndraft:\n"_s + draft));
}

// A draft from the live database fits only a revision whose parent is where the database is.
void TstCliAutogenerate::fromDatabaseNeedsTheDatabasesRevision()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    const auto cli = [&](const QStringList &arguments) {
        return runCli(QStringList{u"-c"_s, dir.filePath(u"alembic.ini"_s)} + arguments);
    };
    const QString model = dir.filePath(u"schema.sql"_s);
    QByteArray changed = readAll(model);
    changed.replace("    contact_email VARCHAR(254)\n",
                    "    contact_email VARCHAR(254),\n    phone VARCHAR(32)\n");
    QVERIFY(writeAll(model, changed));
    const QStringList before = QDir(dir.filePath(u"versions"_s)).entryList(QDir::Files);

    // The database at head, the new revision spliced onto the trunk.
    CliResult result = cli({u"upgrade"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"--head"_s, u"83ca92fed024"_s,
                  u"--splice"_s, u"x"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith(
                 u"FAILED: The database is at 9abc688b6311 but the new revision goes on 83ca92fed024"_s),
             qPrintable(describe(result)));
    QCOMPARE(QDir(dir.filePath(u"versions"_s)).entryList(QDir::Files), before);

    // The database behind, the new revision on head.
    result = cli({u"downgrade"_s, u"83ca92fed024"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"x"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith(
                 u"FAILED: The database is at 83ca92fed024 but the new revision goes on 9abc688b6311"_s),
             qPrintable(describe(result)));
    QCOMPARE(QDir(dir.filePath(u"versions"_s)).entryList(QDir::Files), before);

    // An empty database is at base.
    QVERIFY(QFile::remove(dir.filePath(u"example.db"_s)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"x"_s});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(
        result.err.startsWith(u"FAILED: The database is at base but the new revision goes on 9abc688b6311"_s),
        qPrintable(describe(result)));

    // On the database's own revision it drafts, and the draft applies.
    result = cli({u"upgrade"_s, u"83ca92fed024"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"--head"_s, u"83ca92fed024"_s,
                  u"--splice"_s, u"--rev-id"_s, u"c2c2c2c2c2c2"_s, u"x"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"upgrade"_s, u"c2c2c2c2c2c2"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"--head"_s, u"c2c2c2c2c2c2"_s,
                  u"nothing"_s});
    QVERIFY2(result.exitCode == 0 &&
                 result.out.startsWith(u"No changes: the schema of the database equals "_s),
             qPrintable(describe(result)));
}

// Several parents: the schema under the merge of them. No parent: the empty schema.
void TstCliAutogenerate::draftOnAMergeAndOnANewRoot()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    const auto cli = [&](const QStringList &arguments) {
        return runCli(QStringList{u"-c"_s, dir.filePath(u"alembic.ini"_s)} + arguments);
    };
    CliResult result = cli({u"create"_s, u"--head"_s, u"83ca92fed024"_s, u"--splice"_s, u"--rev-id"_s,
                            u"5de5de5de5de"_s, u"side branch"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--head"_s, u"9abc688b6311"_s, u"--head"_s,
                  u"5de5de5de5de"_s, u"merge"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(result.out,
             u"No changes: the schema at 9abc688b6311, 5de5de5de5de equals %1; no revision written.\n"_s.arg(
                 QDir::toNativeSeparators(dir.filePath(u"schema.sql"_s))));

    result = cli({u"create"_s, u"--autogenerate"_s, u"--head"_s, u"base"_s, u"--rev-id"_s, u"e0e0e0e0e0e0"_s,
                  u"new root"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"upgrade"_s, u"e0e0e0e0e0e0"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = cli({u"create"_s, u"--autogenerate"_s, u"--from-database"_s, u"--head"_s, u"e0e0e0e0e0e0"_s,
                  u"nothing"_s});
    QVERIFY2(result.exitCode == 0 &&
                 result.out.startsWith(u"No changes: the schema of the database equals "_s),
             qPrintable(describe(result)));
}

QTEST_GUILESS_MAIN(TstCliAutogenerate)
#include "tst_cli_autogenerate.moc"
