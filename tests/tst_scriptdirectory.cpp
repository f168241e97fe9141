// SPDX-License-Identifier: MIT
#include "config/projectconfig.h"
#include "graph/revisionformatter.h"
#include "graph/revisionmap.h"
#include "scripts/revisiondoc.h"
#include "scripts/revisionsections.h"
#include "scripts/scriptdirectory.h"
#include "scripts/sqlstatementsplitter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString dataDir = QStringLiteral(QMIGRATE_TEST_DATA_DIR "/scriptdirectory");

QString data(const QString &relative)
{
    return QDir::cleanPath(dataDir + u'/' + relative);
}

// Paths of the scanned revisions relative to a root, in load order.
QStringList relativePaths(const QList<Revision> &revisions, const QString &root)
{
    QStringList out;
    const QDir dir(root);
    for (const Revision &rev : revisions)
        out.append(dir.relativeFilePath(rev.path));
    return out;
}

QString describe(const EngineError &error)
{
    EngineError shown = error;
    shown.setFile(QFileInfo(error.file()).fileName(), error.line());
    return shown.toString();
}

QStringList describeAll(const QList<EngineError> &errors)
{
    QStringList out;
    for (const EngineError &error : errors)
        out.append(describe(error));
    return out;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray sqlRevision(const QString &id, const QString &parent)
{
    return u"-- %1\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Create Date: 2026-01-01 00:00:00\n\n"
           "-- migrate:upgrade\nCREATE TABLE t_%1 (id INTEGER PRIMARY KEY);\n\n"
           "-- migrate:downgrade\nDROP TABLE t_%1;\n"_s.arg(id, parent)
               .toUtf8();
}

QByteArray pythonRevision(const QString &id, const QString &parent)
{
    return u"\"\"\"%1\n\nRevision ID: %1\nRevises: %2\nCreate Date: 2026-01-01 00:00:00\n\n\"\"\"\n"
           "from alembic import op\nimport sqlalchemy as sa\n\n\n# revision identifiers, used by Alembic.\n"
           "revision = '%1'\ndown_revision = %3\nbranch_labels = None\ndepends_on = None\n\n\n"
           "def upgrade() -> None:\n    op.execute(\"SELECT 1\")\n\n\n"
           "def downgrade() -> None:\n    pass\n"_s
               .arg(id, parent, parent.isEmpty() ? u"None"_s : u'\'' + parent + u'\'')
               .toUtf8();
}

} // namespace

class TestScriptDirectory : public QObject
{
    Q_OBJECT

private slots:
    void loadOrder_data();
    void loadOrder();
    void locationsInOrderMissingSkipped();
    void revisionFieldsAndKinds();
    void pathsAreAbsoluteAndClean();
    void duplicateLocation();
    void symlinkedLocation();
    void errorsCollected();
    void loadFailsWithFirstError();
    void loadSingleErrorHasNoCount();
    void loadSucceeds();
    void loadFromProjectConfig();
    void loadFromProjectConfigMissingFolders_data();
    void loadFromProjectConfigMissingFolders();
    void lineEndings();
    void unreadableFile();
    void sectionsAreReadFromTheFile();
    void sectionsOfAChangedFileAreRefused();
    void docIsReadFromTheFile();
    void manyFiles();
    void asciiNamesInCodePointOrder();
};

void TestScriptDirectory::loadOrder_data()
{
    QTest::addColumn<bool>("recursive");
    QTest::addColumn<QStringList>("expected");

    // Code point order (Python's sorted()): '.' < digits < upper case < '_' < lower case < U+00E4 < U+FF5A
    // < U+1F600 (a surrogate pair in UTF-16, which plain UTF-16 comparison would put before U+FF5A).
    const QStringList topLevel = {
        u".hidden_python.py"_s, u"10_ten.sql"_s,       u"9_nine.sql"_s,  u"B_upper.sql"_s,
        u"_underscore.sql"_s,   u"a_lower.sql"_s,      u"m_python.py"_s, u"z_last_ascii.sql"_s,
        u"ä_umlaut.sql"_s,      u"ｚ_fullwidth.sql"_s, u"😀_emoji.sql"_s,
    };
    QTest::newRow("flat") << false << topLevel;
    // Sub-directories after the parent's files, sorted, each walked depth first (os.walk top-down); a
    // directory whose name ends in ".sql" is a directory, not a candidate.
    QTest::newRow("recursive") << true
                               << topLevel + QStringList{u"Sub2/k_sub2.sql"_s, u"a_dir.sql/inside.sql"_s,
                                                         u"sub/0_sub_first.sql"_s, u"sub/y_sub.sql"_s,
                                                         u"sub/deeper/x_deep.sql"_s};
}

void TestScriptDirectory::loadOrder()
{
    QFETCH(bool, recursive);
    QFETCH(QStringList, expected);
    const QString root = data(u"ordered/versions"_s);
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({root}, recursive);
    QCOMPARE(describeAll(result.errors), QStringList());
    QCOMPARE(describeAll(result.warnings), QStringList());
    QCOMPARE(relativePaths(result.revisions, root), expected);
}

void TestScriptDirectory::locationsInOrderMissingSkipped()
{
    const QString ordered = data(u"ordered/versions"_s);
    const ScriptDirectory::ScanResult result =
        ScriptDirectory::scan({data(u"second"_s), data(u"does/not/exist"_s), ordered}, false);
    QCOMPARE(result.errors.size(), 0);
    QVERIFY(result.revisions.size() == 12);
    QCOMPARE(result.revisions.first().id, u"r_second"_s);
    QCOMPARE(result.revisions.at(1).id, u"r_hidden"_s);
    QCOMPARE(result.revisions.last().id, u"r_emoji"_s);

    const ScriptDirectory::ScanResult reversed = ScriptDirectory::scan({ordered, data(u"second"_s)}, false);
    QCOMPARE(reversed.revisions.last().id, u"r_second"_s);
}

void TestScriptDirectory::revisionFieldsAndKinds()
{
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({data(u"ordered/versions"_s)}, false);
    QCOMPARE(result.revisions.size(), 11);
    const Revision &python = result.revisions.at(6);
    QCOMPARE(python.id, u"r_m_python"_s);
    QCOMPARE(python.kind, Revision::Kind::Python);
    QCOMPARE(python.message, u"r_m_python"_s);
    const Revision &sql = result.revisions.at(5);
    QCOMPARE(sql.id, u"r_a_lower"_s);
    QCOMPARE(sql.kind, Revision::Kind::Sql);
    QCOMPARE(RevisionSections::read(sql)->upgrade(), u"SELECT 1;\n\n"_s);
    QCOMPARE(sql.downgradeLine, 10);
}

void TestScriptDirectory::pathsAreAbsoluteAndClean()
{
    const QString previous = QDir::currentPath();
    QVERIFY(QDir::setCurrent(dataDir));
    const ScriptDirectory::ScanResult result =
        ScriptDirectory::scan({u"ordered/./versions/../versions/"_s}, false);
    QVERIFY(QDir::setCurrent(previous));
    QCOMPARE(result.revisions.size(), 11);
    QCOMPARE(result.revisions.first().path, data(u"ordered/versions/.hidden_python.py"_s));
    for (const Revision &rev : result.revisions) {
        QVERIFY2(QDir::isAbsolutePath(rev.path), qPrintable(rev.path));
        QCOMPARE(rev.path, QDir::cleanPath(rev.path));
    }
}

void TestScriptDirectory::duplicateLocation()
{
    const QString second = data(u"second"_s);
    const ScriptDirectory::ScanResult result =
        ScriptDirectory::scan({second, second + u"/"_s, data(u"ordered/../second"_s)}, false);
    QCOMPARE(relativePaths(result.revisions, second), QStringList{u"0_second.sql"_s});
    const QString path = QFileInfo(second + u"/0_second.sql"_s).canonicalFilePath();
    const QString warning =
        u"File %1 loaded twice! ignoring. Please ensure version_locations is unique."_s.arg(path);
    QCOMPARE(result.warnings.size(), 2);
    QCOMPARE(result.warnings.at(0).message(), warning);
    QCOMPARE(result.warnings.at(0).file(), second + u"/0_second.sql"_s);
    QCOMPARE(result.warnings.at(1).message(), warning);
    QCOMPARE(result.errors.size(), 0);

    const Expected<ScriptDirectory> loaded = ScriptDirectory::load({second, second}, false);
    QVERIFY(loaded.hasValue());
    QCOMPARE(loaded->revisions().size(), 1);
    QCOMPARE(loaded->warnings().size(), 1);
    QCOMPARE(loaded->versionLocations(), (QStringList{second, second}));
}

void TestScriptDirectory::symlinkedLocation()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString link = tmp.filePath(u"alias"_s);
    QVERIFY(QFile::link(data(u"second"_s), link));
    const QString fileLink = tmp.filePath(u"own/0_link.sql"_s);
    QVERIFY(QDir().mkpath(tmp.filePath(u"own"_s)));
    QVERIFY(QFile::link(data(u"second/0_second.sql"_s), fileLink));

    const ScriptDirectory::ScanResult result =
        ScriptDirectory::scan({data(u"second"_s), link, tmp.filePath(u"own"_s)}, false);
    QCOMPARE(result.revisions.size(), 1);
    QCOMPARE(result.revisions.first().path, data(u"second/0_second.sql"_s));
    const QString canonical = QFileInfo(data(u"second/0_second.sql"_s)).canonicalFilePath();
    QCOMPARE(result.warnings.size(), 2);
    QCOMPARE(result.warnings.at(0).file(), link + u"/0_second.sql"_s);
    QCOMPARE(result.warnings.at(1).file(), fileLink);
    for (const EngineError &warning : result.warnings) {
        QCOMPARE(
            warning.message(),
            u"File %1 loaded twice! ignoring. Please ensure version_locations is unique."_s.arg(canonical));
    }
}

void TestScriptDirectory::errorsCollected()
{
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({data(u"errors"_s)}, false);
    QCOMPARE(relativePaths(result.revisions, data(u"errors"_s)),
             (QStringList{u"a_good.sql"_s, u"e_good.sql"_s}));
    QCOMPARE(describeAll(result.errors),
             (QStringList{
                 u"b_missing_id.sql:1: No 'Revision ID:' field in the comment header"_s,
                 u"c_unclosed.py:3: '(' was never closed"_s,
                 u"d_illegal.sql:3: Character(s) '@' not allowed in revision identifier 'e@d'"_s,
             }));
    QCOMPARE(result.errors.at(1).file(), data(u"errors/c_unclosed.py"_s));
}

void TestScriptDirectory::loadFailsWithFirstError()
{
    const Expected<ScriptDirectory> loaded =
        ScriptDirectory::load({data(u"second"_s), data(u"errors"_s), data(u"ordered/versions"_s)}, true);
    QVERIFY(!loaded.hasValue());
    QCOMPARE(loaded.error().message(),
             u"No 'Revision ID:' field in the comment header (and 2 more errors)"_s);
    QCOMPARE(loaded.error().file(), data(u"errors/b_missing_id.sql"_s));
    QCOMPARE(loaded.error().line(), 1);
    QCOMPARE(loaded.error().kind(), EngineError::Kind::Project);
}

void TestScriptDirectory::loadSingleErrorHasNoCount()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(u"a.sql"_s), sqlRevision(u"a1"_s, {})));
    QVERIFY(writeFile(tmp.filePath(u"b.py"_s), "revision = 'b1'\ndown_revision = 'b1'\n"));
    Expected<ScriptDirectory> loaded = ScriptDirectory::load({tmp.path()}, false);
    QVERIFY(!loaded.hasValue());
    QCOMPARE(describe(loaded.error()), u"b.py:2: Self-loop is detected in revisions (b1)"_s);
    QCOMPARE(loaded.error().revision(), u"b1"_s);

    QVERIFY(writeFile(tmp.filePath(u"c.sql"_s), "SELECT 1;\n"));
    loaded = ScriptDirectory::load({tmp.path()}, false);
    QVERIFY(!loaded.hasValue());
    QCOMPARE(describe(loaded.error()),
             u"b.py:2: Self-loop is detected in revisions (b1) (and 1 more error)"_s);
}

void TestScriptDirectory::loadSucceeds()
{
    Expected<ScriptDirectory> loaded = ScriptDirectory::load({data(u"ordered/versions"_s)}, true);
    QVERIFY(loaded.hasValue());
    QCOMPARE(loaded->revisions().size(), 16);
    QCOMPARE(loaded->versionLocations(), QStringList{data(u"ordered/versions"_s)});
    const QList<Revision> taken = loaded->takeRevisions();
    QCOMPARE(taken.size(), 16);
    QCOMPARE(taken.last().id, u"r_deep"_s);
}

void TestScriptDirectory::loadFromProjectConfig()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(u"alembic.ini"_s),
                      "[alembic]\nscript_location = migrations\nrecursive_version_locations = true\n"));
    QVERIFY(writeFile(tmp.filePath(u"migrations/versions/b.sql"_s), sqlRevision(u"b1"_s, u"a1"_s)));
    QVERIFY(writeFile(tmp.filePath(u"migrations/versions/a.sql"_s), sqlRevision(u"a1"_s, {})));
    QVERIFY(writeFile(tmp.filePath(u"migrations/versions/2026/c.py"_s), pythonRevision(u"c1"_s, u"b1"_s)));
    const Expected<ProjectConfig> config =
        ProjectConfig::load(tmp.filePath(u"alembic.ini"_s), u"alembic"_s, QProcessEnvironment());
    QVERIFY2(config.hasValue(), qPrintable(config.hasValue() ? QString() : config.error().toString()));
    const Expected<ScriptDirectory> loaded = ScriptDirectory::load(*config);
    QVERIFY2(loaded.hasValue(), qPrintable(loaded.hasValue() ? QString() : loaded.error().toString()));
    QCOMPARE(relativePaths(loaded->revisions(), tmp.filePath(u"migrations/versions"_s)),
             (QStringList{u"a.sql"_s, u"b.sql"_s, u"2026/c.py"_s}));
}

void TestScriptDirectory::loadFromProjectConfigMissingFolders_data()
{
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<QStringList>("folders"); // made before loading
    QTest::addColumn<QByteArray>("files");    // made before loading
    QTest::addColumn<QString>("error");       // %T: the temporary directory; empty: loads

    QTest::newRow("script_location missing")
        << QByteArray("[alembic]\nscript_location = migrations\n") << QStringList() << QByteArray()
        << u"alembic.ini:2: The script_location folder %T/migrations does not exist"_s;
    QTest::newRow("script_location a file")
        << QByteArray("[alembic]\nscript_location = migrations\n") << QStringList()
        << QByteArray("migrations") << u"alembic.ini:2: The script_location %T/migrations is not a folder"_s;
    // A new project whose first revision is not written yet has no versions/ (git keeps no empty folder).
    QTest::newRow("default versions missing") << QByteArray("[alembic]\nscript_location = migrations\n")
                                              << QStringList{u"migrations"_s} << QByteArray() << QString();
    QTest::newRow("version location missing")
        << QByteArray("[alembic]\nscript_location = migrations\n# two\nversion_locations = %(here)s/a, "
                      "%(here)s/b\n")
        << QStringList{u"migrations"_s, u"a"_s} << QByteArray()
        << u"alembic.ini:4: The version_locations folder %T/b does not exist"_s;
    QTest::newRow("version location a file")
        << QByteArray("[alembic]\nscript_location = migrations\nversion_locations = a b\n")
        << QStringList{u"migrations"_s, u"b"_s} << QByteArray("a")
        << u"alembic.ini:3: The version_locations entry %T/a is not a folder"_s;
    QTest::newRow("version locations present")
        << QByteArray("[alembic]\nscript_location = migrations\nversion_locations = a b\n")
        << QStringList{u"migrations"_s, u"a"_s, u"b"_s} << QByteArray() << QString();
}

void TestScriptDirectory::loadFromProjectConfigMissingFolders()
{
    QFETCH(QByteArray, ini);
    QFETCH(QStringList, folders);
    QFETCH(QByteArray, files);
    QFETCH(QString, error);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(u"alembic.ini"_s), ini));
    for (const QString &folder : std::as_const(folders))
        QVERIFY(QDir(tmp.path()).mkpath(folder));
    if (!files.isEmpty())
        QVERIFY(writeFile(tmp.filePath(QString::fromUtf8(files)), "x"));
    const Expected<ProjectConfig> config =
        ProjectConfig::load(tmp.filePath(u"alembic.ini"_s), u"alembic"_s, QProcessEnvironment());
    QVERIFY2(config.hasValue(), qPrintable(config.hasValue() ? QString() : config.error().toString()));
    const Expected<ScriptDirectory> loaded = ScriptDirectory::load(*config);
    if (error.isEmpty()) {
        QVERIFY2(loaded.hasValue(), qPrintable(loaded.hasValue() ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->revisions().size(), 0);
        return;
    }
    QVERIFY(!loaded.hasValue());
    QCOMPARE(describe(loaded.error()), QString(error).replace(u"%T"_s, tmp.path()));
    QCOMPARE(loaded.error().file(), tmp.filePath(u"alembic.ini"_s));
    QCOMPARE(loaded.error().kind(), EngineError::Kind::Project);
}

void TestScriptDirectory::lineEndings()
{
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({data(u"lineendings"_s)}, false);
    QCOMPARE(describeAll(result.errors), QStringList());
    QCOMPARE(result.revisions.size(), 3);
    const Revision &bom = result.revisions.at(0);
    QCOMPARE(bom.id, u"le_bom_crlf"_s);
    QCOMPARE(bom.idLine, 3);
    QCOMPARE(RevisionSections::read(bom)->upgrade(), u"SELECT 1;\n"_s);
    QCOMPARE(bom.upgradeLine, 7);
    QCOMPARE(bom.downgradeLine, 9);
    const Revision &python = result.revisions.at(1);
    QCOMPARE(python.id, u"le_py"_s);
    const Expected<QString> pythonDoc = RevisionDoc::read(python);
    QVERIFY(pythonDoc);
    QCOMPARE(*pythonDoc, u"bom crlf python\n\nmore"_s);
    QCOMPARE(python.downRevisions, QStringList{u"le_bom_crlf"_s});
    QCOMPARE(python.downRevisionLine, 5);
    const Revision &mac = result.revisions.at(2);
    QCOMPARE(mac.id, u"le_cr"_s);
    QCOMPARE(mac.downRevisions, QStringList{u"le_py"_s});
    QCOMPARE(mac.upgradeLine, 7);
    QCOMPARE(RevisionSections::read(mac)->downgrade(), u"SELECT 2;\n\n"_s);
    QCOMPARE(
        describeAll(result.warnings),
        QStringList{u"b_python.py:8: Cannot read 'depends_on' without running Python: helpers.deps(); the "
                    "field is left empty (the project's Alembic can resolve it)"_s});
}

void TestScriptDirectory::unreadableFile()
{
    // Dangling links: listed like files (as os.listdir lists them), unreadable whoever runs the test.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeFile(tmp.filePath(u"a.sql"_s), sqlRevision(u"a1"_s, {})));
    QVERIFY(QFile::link(tmp.filePath(u"gone1"_s), tmp.filePath(u"b.sql"_s)));
    QVERIFY(QFile::link(tmp.filePath(u"gone2"_s), tmp.filePath(u"c.py"_s)));
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()}, false);
    QCOMPARE(result.revisions.size(), 1);
    QCOMPARE(result.warnings.size(), 0);
    QCOMPARE(result.errors.size(), 2);
    QCOMPARE(result.errors.at(0).file(), tmp.filePath(u"b.sql"_s));
    QCOMPARE(result.errors.at(1).file(), tmp.filePath(u"c.py"_s));
    for (const EngineError &error : result.errors)
        QCOMPARE(error.message(), u"Cannot read the file: No such file or directory"_s);
}

void TestScriptDirectory::sectionsAreReadFromTheFile()
{
    QTemporaryDir tmp;
    QVERIFY(writeFile(tmp.filePath(u"a.sql"_s), sqlRevision(u"a1"_s, {})));
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()}, false);
    QCOMPARE(result.revisions.size(), 1);
    const Revision &revision = result.revisions.first();
    // Trailing whitespace does not change the checksum, so the sections of the same SQL still read.
    QVERIFY(writeFile(tmp.filePath(u"a.sql"_s), sqlRevision(u"a1"_s, {}).replace(";\n", ";  \n")));
    const Expected<RevisionSections> sections = RevisionSections::read(revision);
    QVERIFY2(sections, qPrintable(sections ? QString() : sections.error().toString()));
    QCOMPARE(sections->upgrade(), u"CREATE TABLE t_a1 (id INTEGER PRIMARY KEY);  \n\n"_s);
    QCOMPARE(sections->downgrade(), u"DROP TABLE t_a1;  \n"_s);
    QCOMPARE(sections->upgradeLine(), revision.upgradeLine);
    QCOMPARE(sections->downgradeLine(), revision.downgradeLine);
    QCOMPARE(RevisionSections::readSql(revision, false), u"DROP TABLE t_a1;  \n"_s);
}

// What runs is what was shown: a file edited after the scan is an error naming it, never its new SQL.
void TestScriptDirectory::sectionsOfAChangedFileAreRefused()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"a.sql"_s);
    QVERIFY(writeFile(path, sqlRevision(u"a1"_s, {})));
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()}, false);
    QCOMPARE(result.revisions.size(), 1);
    const Revision &revision = result.revisions.first();
    QVERIFY(writeFile(path, sqlRevision(u"a1"_s, {}).replace("DROP TABLE", "DROP VIEW")));
    const Expected<RevisionSections> sections = RevisionSections::read(revision);
    QVERIFY(!sections);
    QCOMPARE(sections.error().file(), path);
    QCOMPARE(sections.error().revision(), u"a1"_s);
    QVERIFY2(sections.error().message().contains(u"changed since the project was loaded"_s),
             qPrintable(sections.error().message()));
    QCOMPARE(RevisionSections::readSql(revision, false), QString());
    const Expected<QList<SqlStatement>> statements =
        SqlStatementSplitter(DatabaseUrl::Backend::SQLite).splitSection(revision, false);
    QVERIFY(!statements);
    QCOMPARE(statements.error().message(), sections.error().message());

    QVERIFY(QFile::remove(path));
    const Expected<RevisionSections> gone = RevisionSections::read(revision);
    QVERIFY(!gone);
    QCOMPARE(gone.error().file(), path);
}

// A loaded revision keeps only its message; the whole doc comes from the file, for both kinds, and only while
// the file is the text that was loaded: verbose history then says where the doc would be.
void TestScriptDirectory::docIsReadFromTheFile()
{
    QTemporaryDir tmp;
    const QString sqlPath = tmp.filePath(u"a.sql"_s);
    const QString pythonPath = tmp.filePath(u"b.py"_s);
    QVERIFY(writeFile(sqlPath, sqlRevision(u"a1"_s, {})));
    QVERIFY(writeFile(pythonPath, pythonRevision(u"b2"_s, u"a1"_s)));
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()}, false);
    QCOMPARE(result.revisions.size(), 2);
    const Revision &sql = result.revisions.at(0);
    const Revision &python = result.revisions.at(1);
    QCOMPARE(sql.message, u"a1"_s);
    QCOMPARE(RevisionDoc::read(sql).value(),
             u"a1\n\nRevision ID: a1\nRevises:\nCreate Date: 2026-01-01 00:00:00"_s);
    QCOMPARE(RevisionDoc::read(python).value(),
             u"b2\n\nRevision ID: b2\nRevises: a1\nCreate Date: 2026-01-01 00:00:00"_s);

    Expected<RevisionMap> map = RevisionMap::build(result.revisions);
    QVERIFY(map);
    const RevisionFormatter formatter(*map);
    QVERIFY2(formatter.logEntry(0).endsWith(u"\n\n    a1\n    \n    Revision ID: a1\n    Revises:\n"
                                            "    Create Date: 2026-01-01 00:00:00\n"_s),
             qPrintable(formatter.logEntry(0)));

    QVERIFY(writeFile(sqlPath, sqlRevision(u"a1"_s, {}).replace("-- a1\n", "-- a1 edited\n")));
    const Expected<QString> changed = RevisionDoc::read(sql);
    QVERIFY(!changed);
    QCOMPARE(changed.error().file(), sqlPath);
    QCOMPARE(changed.error().revision(), u"a1"_s);
    QVERIFY2(changed.error().message().contains(u"changed since the project was loaded"_s),
             qPrintable(changed.error().message()));
    const QString entry = formatter.logEntry(0);
    QVERIFY2(entry.contains(u"    (doc not available: "_s) &&
                 entry.contains(u"changed since the project was loaded"_s),
             qPrintable(entry));
    const QJsonObject json = formatter.toJson(0);
    QVERIFY(json.value(u"doc"_s).isNull());
    QVERIFY(json.value(u"doc_error"_s).toString().contains(u"changed since the project was loaded"_s));
    QCOMPARE(json.value(u"message"_s).toString(), u"a1"_s);
}

void TestScriptDirectory::manyFiles()
{
    // QMIGRATE_SCAN_FILES=100000 for the full-size check; the default keeps the suite fast. The time is
    // printed, not judged: a loaded machine would fail a budget here, and make bench measures the scan.
    const int count = qEnvironmentVariableIsSet("QMIGRATE_SCAN_FILES")
                          ? qEnvironmentVariableIntValue("QMIGRATE_SCAN_FILES")
                          : 10000;
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    for (int i = 0; i < count; ++i) {
        const QString id = u"%1"_s.arg(i, 12, 16, QLatin1Char('0'));
        const QString parent = i ? u"%1"_s.arg(i - 1, 12, 16, QLatin1Char('0')) : QString();
        const bool python = i % 5 == 0;
        const QString name =
            tmp.filePath(u"d%1/%2_step.%3"_s.arg(i % 7).arg(id, python ? u"py"_s : u"sql"_s));
        QVERIFY(writeFile(name, python ? pythonRevision(id, parent) : sqlRevision(id, parent)));
    }
    QElapsedTimer timer;
    timer.start();
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()}, true);
    const qint64 elapsed = timer.elapsed();
    qInfo("scanned and parsed %d files in %lld ms", count, elapsed);
    QCOMPARE(result.errors.size(), 0);
    QCOMPARE(result.warnings.size(), 0);
    QCOMPARE(result.revisions.size(), count);
}

void TestScriptDirectory::asciiNamesInCodePointOrder()
{
    // ASCII names are sorted by a key of the bytes after the prefix they all share: names that tie on that
    // key, names that are prefixes of others and names that differ only at the end must still come out in
    // Python's order.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QRandomGenerator random(15);
    const QString alphabet = u"0123456789ABCZ_az-."_s;
    QStringList names = {u"2024_01_01_x.py"_s,          u"2024_01_01_x.py.sql"_s,
                         u"2024_01_01_.sql"_s,          u"2024_01_01_abcdefgh1.sql"_s,
                         u"2024_01_01_abcdefgh0.sql"_s, u"2024_01_01_abcdefgh.sql"_s};
    for (int i = 0; i < 300; ++i) {
        QString name = u"2024_01_0"_s;
        const int length = int(random.bounded(1, 14));
        for (int c = 0; c < length; ++c)
            name += alphabet.at(int(random.bounded(alphabet.size())));
        name += random.bounded(2) ? u".sql"_s : u".py"_s;
        if (!names.contains(name))
            names.append(name);
    }
    for (qsizetype i = 0; i < names.size(); ++i) {
        const QString id = u"r%1"_s.arg(i);
        const bool python = names.at(i).endsWith(u".py"_s);
        QVERIFY(writeFile(tmp.filePath(names.at(i)),
                          python ? pythonRevision(id, QString()) : sqlRevision(id, QString())));
    }
    QStringList expected = names;
    std::sort(expected.begin(), expected.end()); // UTF-16 order, which is code point order for ASCII
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()}, false);
    QCOMPARE(result.errors.size(), 0);
    QCOMPARE(relativePaths(result.revisions, tmp.path()), expected);
}

QTEST_GUILESS_MAIN(TestScriptDirectory)
#include "tst_scriptdirectory.moc"
