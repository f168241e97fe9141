// SPDX-License-Identifier: MIT
#include "scripts/pythonrevisionparser.h"
#include "scripts/sqlrevisionparser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString dataDir = QStringLiteral(QMIGRATE_TEST_DATA_DIR "/parsers");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    return file.readAll();
}

QString fileText(const QString &path)
{
    return QString::fromUtf8(readAll(path));
}

// An error as the expected files write it: the file's base name instead of its absolute path.
QString describe(const EngineError &error)
{
    EngineError shown = error;
    shown.setFile(QFileInfo(error.file()).fileName(), error.line());
    return shown.toString();
}

QString quoted(const QStringList &list)
{
    QStringList out;
    for (const QString &entry : list)
        out.append(u'\'' + entry + u'\'');
    return out.join(u", "_s);
}

// The text format of the .expected files: "key: value" lines, then "--- section" blocks whose text runs up to
// the newline before the next block (or the end of the file).
QString render(const Revision &rev, const QString &longDoc, const QList<EngineError> &warnings,
               const RevisionSections &sections = {})
{
    QString out;
    const auto field = [&out](QLatin1StringView key, const QString &value) {
        out += key + u": "_s + value + u'\n';
    };
    const auto section = [&out](QLatin1StringView key, const QString &value) {
        out += u"--- "_s + key + u'\n' + value + u'\n';
    };
    field("kind"_L1, rev.kind == Revision::Kind::Sql ? u"sql"_s : u"python"_s);
    field("id"_L1, rev.id);
    field("idLine"_L1, QString::number(rev.idLine));
    field("downRevisions"_L1, quoted(rev.downRevisions));
    field("downRevisionLine"_L1, QString::number(rev.downRevisionLine));
    field("branchLabels"_L1, quoted(rev.branchLabels));
    field("branchLabelsLine"_L1, QString::number(rev.branchLabelsLine));
    field("dependsOn"_L1, quoted(rev.dependsOn));
    field("dependsOnLine"_L1, QString::number(rev.dependsOnLine));
    field("createDate"_L1, QString::fromUtf8(rev.createDate));
    if (rev.kind == Revision::Kind::Sql) {
        field("upgradeLine"_L1, QString::number(rev.upgradeLine));
        field("downgradeLine"_L1, QString::number(rev.downgradeLine));
    }
    section("message"_L1, rev.message);
    section("longDoc"_L1, longDoc);
    if (rev.kind == Revision::Kind::Sql) {
        section("upgradeSql"_L1, sections.upgrade());
        section("downgradeSql"_L1, sections.downgrade());
    }
    QStringList warningLines;
    for (const EngineError &warning : warnings)
        warningLines.append(describe(warning));
    section("warnings"_L1, warningLines.join(u'\n'));
    return out;
}

Expected<Revision> parseFile(const QString &path, QList<EngineError> *warnings,
                             RevisionSections *sections = nullptr, QString *longDoc = nullptr)
{
    const QByteArray content = readAll(path);
    if (path.endsWith(u".sql"))
        return SqlRevisionParser::parse(path, content, sections, longDoc);
    return PythonRevisionParser::parse(path, content, warnings, nullptr, longDoc);
}

void addCases(const QString &kind, const QString &outcome, const QString &expectedSuffix)
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expectedPath");
    const QDir dir(dataDir + u'/' + kind + u'/' + outcome);
    const QString pattern = kind == u"sql" ? u"*.sql"_s : u"*.py"_s;
    const QStringList files = dir.entryList({pattern}, QDir::Files, QDir::Name);
    QVERIFY2(!files.isEmpty(), qPrintable(dir.path()));
    for (const QString &name : files) {
        const QString base = QFileInfo(name).completeBaseName();
        QTest::newRow(qPrintable(base))
            << dir.absoluteFilePath(name) << dir.absoluteFilePath(base + expectedSuffix);
    }
}

} // namespace

class TestScriptParsers : public QObject
{
    Q_OBJECT

private slots:
    void sqlGood_data() { addCases(u"sql"_s, u"good"_s, u".expected"_s); }
    void sqlGood() { good(); }
    void sqlBad_data() { addCases(u"sql"_s, u"bad"_s, u".error"_s); }
    void sqlBad() { bad(); }
    void pythonGood_data() { addCases(u"python"_s, u"good"_s, u".expected"_s); }
    void pythonGood() { good(); }
    void pythonBad_data() { addCases(u"python"_s, u"bad"_s, u".error"_s); }
    void pythonBad() { bad(); }

    void caseCounts();
    void pathIsKept();
    void lineEndingsDoNotChangeResult();
    void noWarningsPointerIsAccepted();
    void fieldNotesAreCopiedOnWrite();
    void emptyStrings_data();
    void emptyStrings();

private:
    void good();
    void bad();
};

void TestScriptParsers::good()
{
    QFETCH(QString, path);
    QFETCH(QString, expectedPath);
    QList<EngineError> warnings;
    RevisionSections sections;
    QString longDoc;
    const Expected<Revision> rev = parseFile(path, &warnings, &sections, &longDoc);
    QVERIFY2(rev.hasValue(), qPrintable(rev.hasValue() ? QString() : describe(rev.error())));
    QVERIFY2(QFileInfo::exists(expectedPath), qPrintable(expectedPath));
    const QString actual = render(*rev, longDoc, warnings, sections);
    const QString expected = fileText(expectedPath);
    if (actual != expected) {
        // Leaves the actual rendering next to the build for a diff.
        QFile out(QDir::temp().filePath(QFileInfo(expectedPath).fileName() + u".actual"_s));
        if (out.open(QIODevice::WriteOnly))
            out.write(actual.toUtf8());
        qWarning("actual output written to %s", qPrintable(out.fileName()));
    }
    QCOMPARE(actual.split(u'\n'), expected.split(u'\n'));
    QCOMPARE(rev->path, path);
    for (const EngineError &warning : std::as_const(warnings))
        QCOMPARE(warning.file(), path);
}

void TestScriptParsers::bad()
{
    QFETCH(QString, path);
    QFETCH(QString, expectedPath);
    QList<EngineError> warnings;
    const Expected<Revision> rev = parseFile(path, &warnings);
    QVERIFY2(!rev.hasValue(), "parsing should have failed");
    QVERIFY2(QFileInfo::exists(expectedPath), qPrintable(expectedPath));
    QCOMPARE(describe(rev.error()), fileText(expectedPath).trimmed());
    QCOMPARE(rev.error().file(), path);
    QCOMPARE(rev.error().kind(), EngineError::Kind::Project);
}

void TestScriptParsers::caseCounts()
{
    const auto count = [](const QString &sub, const QString &pattern) {
        return QDir(dataDir + u'/' + sub).entryList({pattern}, QDir::Files).size();
    };
    QVERIFY(count(u"sql/good"_s, u"*.sql"_s) >= 10);
    QVERIFY(count(u"sql/bad"_s, u"*.sql"_s) >= 15);
    QVERIFY(count(u"python/good"_s, u"*.py"_s) >= 15);
    QVERIFY(count(u"python/bad"_s, u"*.py"_s) >= 10);
}

void TestScriptParsers::pathIsKept()
{
    const QByteArray sql =
        "-- m\n--\n-- Revision ID: abc\n-- Revises:\n\n-- migrate:upgrade\n-- migrate:downgrade\n";
    RevisionSections sections;
    const Expected<Revision> rev = SqlRevisionParser::parse(u"/some/where/abc_m.sql"_s, sql, &sections);
    QVERIFY(rev.hasValue());
    QCOMPARE(rev->path, u"/some/where/abc_m.sql"_s);
    QCOMPARE(rev->kind, Revision::Kind::Sql);
    QCOMPARE(sections.upgrade(), QString());
    QCOMPARE(sections.downgrade(), QString());
    QCOMPARE(sections.upgradeLine(), 7);
    QCOMPARE(sections.downgradeLine(), 8);
    QCOMPARE(rev->upgradeLine, 7);
    QCOMPARE(rev->downgradeLine, 8);
}

void TestScriptParsers::lineEndingsDoNotChangeResult()
{
    const QByteArray lf =
        "\"\"\"msg\n\nRevision ID: x\n\"\"\"\nrevision = 'abc'\ndown_revision = (\n  'p1',\n  'p2')\n";
    QByteArray crlf = lf;
    crlf.replace("\n", "\r\n");
    QString docA;
    QString docB;
    const Expected<Revision> a = PythonRevisionParser::parse(u"/p/a.py"_s, lf, nullptr, nullptr, &docA);
    const Expected<Revision> b =
        PythonRevisionParser::parse(u"/p/a.py"_s, "\xef\xbb\xbf" + crlf, nullptr, nullptr, &docB);
    QVERIFY(a.hasValue() && b.hasValue());
    QCOMPARE(docA, u"msg\n\nRevision ID: x"_s);
    QCOMPARE(render(*a, docA, {}), render(*b, docB, {}));
    QCOMPARE(b->downRevisions, (QStringList{u"p1"_s, u"p2"_s}));
    QCOMPARE(b->downRevisionLine, 6);
}

// Revisions are copied freely (the GUI's worker, the map): a copy that resolves a field leaves the original's
// notes as they were.
void TestScriptParsers::fieldNotesAreCopiedOnWrite()
{
    QList<EngineError> warnings;
    const Expected<Revision> parsed = PythonRevisionParser::parse(
        u"/p/b.py"_s, "revision = 'b'\ndown_revision = f(x)\nbranch_labels = g()\n", &warnings);
    QVERIFY(parsed);
    const Revision original = *parsed;
    QCOMPARE(original.unresolvedFields(), (QStringList{u"down_revision"_s, u"branch_labels"_s}));
    QVERIFY(original.computedFields().isEmpty());
    QVERIFY(original.hasFieldNotes());

    Revision copy = original;
    QVERIFY(copy.sameFieldNotes(original));
    copy.resolveField(u"down_revision"_s, u"Python (Alembic)"_s);
    QCOMPARE(copy.unresolvedFields(), QStringList{u"branch_labels"_s});
    QCOMPARE(copy.computedFields(), QStringList{u"down_revision from Python (Alembic)"_s});
    QCOMPARE(original.unresolvedFields(), (QStringList{u"down_revision"_s, u"branch_labels"_s}));
    QVERIFY(original.computedFields().isEmpty());
    QVERIFY(!copy.sameFieldNotes(original));

    const Expected<Revision> literal =
        PythonRevisionParser::parse(u"/p/c.py"_s, "revision = 'c'\ndown_revision = None\n", &warnings);
    QVERIFY(literal);
    QVERIFY(!literal->hasFieldNotes());
    QVERIFY(literal->computedFields().isEmpty() && literal->unresolvedFields().isEmpty());
}

void TestScriptParsers::noWarningsPointerIsAccepted()
{
    const Expected<Revision> rev =
        PythonRevisionParser::parse(u"/p/b.py"_s, "revision = 'b'\ndown_revision = f(x)\n", nullptr);
    QVERIFY(rev.hasValue());
    QCOMPARE(rev->downRevisions, QStringList());
}

// What Alembic 1.8.1 makes of empty strings, checked with its ScriptDirectory: Script.__init__ turns
// depends_on into a tuple and Revision.__init__ back into a scalar when it holds one entry, so "", ('',) and
// [''] all end as "", which names no dependency; down_revision = "" is a base. Any other empty entry
// (down_revision = ('',), ('a', '') anywhere) fails there with a KeyError, and an empty branch label
// becomes a label "" that no identifier can name: both stay errors here.
void TestScriptParsers::emptyStrings_data()
{
    QTest::addColumn<QString>("assignments"); // after the docstring and "revision = 'b'"
    QTest::addColumn<QStringList>("downRevisions");
    QTest::addColumn<QStringList>("dependsOn");
    QTest::addColumn<QString>("error"); // empty: parses

    const QStringList a{u"a"_s};
    const QStringList none;
    QTest::newRow("depends_on double quotes")
        << u"down_revision = 'a'\ndepends_on = \"\"\n"_s << a << none << QString();
    QTest::newRow("depends_on single quotes")
        << u"down_revision = 'a'\ndepends_on = ''\n"_s << a << none << QString();
    QTest::newRow("depends_on tuple")
        << u"down_revision = 'a'\ndepends_on = (\"\",)\n"_s << a << none << QString();
    QTest::newRow("depends_on list") << u"down_revision = 'a'\ndepends_on = [\"\"]\n"_s << a << none
                                     << QString();
    QTest::newRow("depends_on annotated")
        << u"down_revision = 'a'\ndepends_on: Union[str, Sequence[str], None] = ''\n"_s << a << none
        << QString();
    QTest::newRow("depends_on concatenated")
        << u"down_revision = 'a'\ndepends_on = '' \"\"\n"_s << a << none << QString();
    // Alembic itself reports a dependency cycle for a base whose depends_on is "" (its "real base" test
    // asks for depends_on None): not an error worth copying.
    QTest::newRow("depends_on on a base")
        << u"down_revision = None\ndepends_on = ''\n"_s << none << none << QString();
    QTest::newRow("depends_on two empty") << u"down_revision = 'a'\ndepends_on = ('', '')\n"_s << none << none
                                          << u"x.py:4: Empty string in 'depends_on'"_s;
    QTest::newRow("depends_on id and empty") << u"down_revision = 'a'\ndepends_on = ['', 'a']\n"_s << none
                                             << none << u"x.py:4: Empty string in 'depends_on'"_s;
    QTest::newRow("down_revision empty string") << u"down_revision = ''\n"_s << none << none << QString();
    QTest::newRow("down_revision empty tuple entry")
        << u"down_revision = ('',)\n"_s << none << none << u"x.py:3: Empty string in 'down_revision'"_s;
    QTest::newRow("down_revision empty list entry")
        << u"down_revision = [\"\"]\n"_s << none << none << u"x.py:3: Empty string in 'down_revision'"_s;
    QTest::newRow("branch_labels empty string") << u"down_revision = 'a'\nbranch_labels = ''\n"_s << none
                                                << none << u"x.py:4: Empty string in 'branch_labels'"_s;
    QTest::newRow("branch_labels empty tuple entry")
        << u"down_revision = 'a'\nbranch_labels = ('',)\n"_s << none << none
        << u"x.py:4: Empty string in 'branch_labels'"_s;
}

void TestScriptParsers::emptyStrings()
{
    QFETCH(QString, assignments);
    QFETCH(QStringList, downRevisions);
    QFETCH(QStringList, dependsOn);
    QFETCH(QString, error);
    const QByteArray content = (u"\"\"\"doc\"\"\"\nrevision = 'b'\n"_s + assignments).toUtf8();
    QList<EngineError> warnings;
    const Expected<Revision> rev = PythonRevisionParser::parse(u"/p/x.py"_s, content, &warnings);
    if (!error.isEmpty()) {
        QVERIFY2(!rev.hasValue(), "parsing should have failed");
        QCOMPARE(describe(rev.error()), error);
        QCOMPARE(rev.error().revision(), u"b"_s);
        return;
    }
    QVERIFY2(rev.hasValue(), qPrintable(rev.hasValue() ? QString() : describe(rev.error())));
    QCOMPARE(rev->downRevisions, downRevisions);
    QCOMPARE(rev->dependsOn, dependsOn);
    QCOMPARE(rev->branchLabels, QStringList());
    QCOMPARE(warnings.size(), 0);
}

QTEST_GUILESS_MAIN(TestScriptParsers)
#include "tst_scriptparsers.moc"
