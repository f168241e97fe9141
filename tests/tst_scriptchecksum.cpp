// SPDX-License-Identifier: MIT
#include "core/textdiff.h"
#include "scripts/scriptchecksum.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qmigrate::ScriptChecksum;
using qmigrate::Sha256Digest;
using qmigrate::TextDiff;

namespace {

// QVERIFY2 evaluates its message even when the check passes: only read the error when there is one.
template<typename T> QByteArray why(const qmigrate::Expected<T> &result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

// Applies a unified diff made by TextDiff to oldText: checks every hunk's header against its lines and that
// context and removed lines are where the header says. Returns the new text, or an error text starting "!".
QString applyUnified(const QString &oldText, const QString &diff)
{
    QStringList oldLines = oldText.split(u'\n');
    oldLines.removeLast(); // the texts used here end with "\n"
    QStringList lines = diff.split(u'\n');
    lines.removeLast();
    if (lines.size() < 2 || !lines[0].startsWith(u"--- "_s) || !lines[1].startsWith(u"+++ "_s))
        return u"!headers"_s;
    static const QRegularExpression header(u"^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@$"_s);
    QStringList result;
    qsizetype oldPos = 0; // 0-based index of the next old line not yet copied
    qsizetype i = 2;
    while (i < lines.size()) {
        const auto m = header.match(lines[i]);
        if (!m.hasMatch())
            return u"!bad hunk header: "_s + lines[i];
        const int oldCount = m.captured(2).isEmpty() ? 1 : m.captured(2).toInt();
        const int newCount = m.captured(4).isEmpty() ? 1 : m.captured(4).toInt();
        // An empty range names the line before it.
        const qsizetype oldStart = m.captured(1).toInt() - (oldCount == 0 ? 0 : 1);
        const qsizetype newStart = m.captured(3).toInt() - (newCount == 0 ? 0 : 1);
        if (oldStart < oldPos)
            return u"!overlapping hunks"_s;
        while (oldPos < oldStart)
            result << oldLines[oldPos++];
        if (result.size() != newStart)
            return u"!new start %1, expected %2"_s.arg(newStart).arg(result.size());
        int seenOld = 0;
        int seenNew = 0;
        for (++i; i < lines.size() && !lines[i].startsWith(u"@@"_s); ++i) {
            const QChar kind = lines[i].at(0);
            const QString text = lines[i].mid(1);
            if (kind != u'+') {
                if (oldPos >= oldLines.size() || oldLines[oldPos] != text)
                    return u"!old line %1 is not \"%2\""_s.arg(oldPos + 1).arg(text);
                ++oldPos;
                ++seenOld;
            }
            if (kind != u'-') {
                result << text;
                ++seenNew;
            }
        }
        if (seenOld != oldCount || seenNew != newCount)
            return u"!hunk counts -%1 +%2, lines -%3 +%4"_s.arg(oldCount).arg(newCount).arg(seenOld).arg(
                seenNew);
    }
    while (oldPos < oldLines.size())
        result << oldLines[oldPos++];
    return result.isEmpty() ? QString() : result.join(u'\n') + u'\n';
}

} // namespace

// Checksums must ignore what editors and checkouts change on their own (line ends, BOM, trailing blanks) and
// catch everything else; the diff must be what `diff -u` prints (the expected texts below are GNU diff's).
class TstScriptChecksum : public QObject
{
    Q_OBJECT

private:
    static QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
    {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            return {};
        return path;
    }

    // What readFile() gives for content, without a file.
    static QString asReadFromFile(const QByteArray &content)
    {
        QStringDecoder decoder(QStringDecoder::Utf8);
        return ScriptChecksum::checksum(QString(decoder.decode(content)));
    }

private slots:
    void normalize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << u""_s << u""_s;
        QTest::newRow("only blank lines") << u"\n  \n\t\n"_s << u""_s;
        QTest::newRow("final newline added") << u"SELECT 1;"_s << u"SELECT 1;\n"_s;
        QTest::newRow("crlf") << u"a\r\nb\r\n"_s << u"a\nb\n"_s;
        QTest::newRow("lone cr") << u"a\rb\r"_s << u"a\nb\n"_s;
        QTest::newRow("mixed line ends") << u"a\r\n\rb\nc"_s << u"a\n\nb\nc\n"_s;
        QTest::newRow("bom") << u"\uFEFFa\n"_s << u"a\n"_s;
        QTest::newRow("bom not at start kept") << u"a\uFEFF\n"_s << u"a\uFEFF\n"_s;
        QTest::newRow("trailing spaces and tabs") << u"a  \t\nb \n"_s << u"a\nb\n"_s;
        QTest::newRow("leading spaces kept") << u"  a\n\tb\n"_s << u"  a\n\tb\n"_s;
        QTest::newRow("inner blank lines kept") << u"a\n\n \nb\n"_s << u"a\n\n\nb\n"_s;
        QTest::newRow("leading blank lines kept") << u"\n\na\n"_s << u"\n\na\n"_s;
        QTest::newRow("trailing blank lines dropped") << u"a\n\n\n  \n"_s << u"a\n"_s;
        QTest::newRow("non-ascii") << u"-- café ☕\r\n"_s << u"-- café ☕\n"_s;
    }

    void normalize()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(ScriptChecksum::normalize(text), expected);
    }

    // The byte-level checksum of a file's content (taken for every revision when a project is read) must
    // equal the checksum of its decoded text, whatever the line ends, spaces and characters.
    void checksumOfContentMatchesText()
    {
        QFETCH(QString, text);
        QCOMPARE(ScriptChecksum::checksumOfContent(text.toUtf8()), asReadFromFile(text.toUtf8()));
        if (!text.startsWith(QChar(0xFEFF)))
            QCOMPARE(ScriptChecksum::checksumOfContent(text.toUtf8()), ScriptChecksum::checksum(text));
    }

    void checksumOfContentMatchesTextOnRandomTexts()
    {
        const QString alphabet = u"ab; \t\r\n\v\f\u00A0\u3000\u2003é☕\uFEFF"_s;
        QRandomGenerator random(20261204);
        for (int round = 0; round < 5000; ++round) {
            QString text;
            const int length = int(random.bounded(40));
            for (int i = 0; i < length; ++i)
                text.append(alphabet.at(int(random.bounded(alphabet.size()))));
            QCOMPARE(ScriptChecksum::checksumOfContent(text.toUtf8()), asReadFromFile(text.toUtf8()));
        }
    }

    // A file written with the content and checked by readFile(), as a run checks a revision's file.
    void checksumOfContentMatchesReadFile()
    {
        QTemporaryDir dir;
        const QList<QByteArray> contents{"SELECT 1;  \r\n\r\n",
                                         "\xEF\xBB\xBF\xEF\xBB\xBF"
                                         "a\n",
                                         "-- caf\xC3\xA9\xC2\xA0\n", "a\rb\r\n\n"};
        for (const QByteArray &content : contents) {
            const QString path = writeFile(dir, u"f.sql"_s, content);
            QVERIFY(!path.isEmpty());
            const auto script = ScriptChecksum::readFile(path);
            QVERIFY(script);
            QCOMPARE(ScriptChecksum::checksumOfContent(content), script->checksum);
        }
    }

    void checksumOfContentMatchesText_data()
    {
        normalize_data();
        QTest::newRow("nbsp at a line end") << u"a\u00A0\nb\n"_s << QString();
        QTest::newRow("ideographic space at a line end") << u"a \u3000 \r\nb"_s << QString();
        QTest::newRow("only nbsp lines at the end") << u"a\n\u00A0\n\u2003\n"_s << QString();
        QTest::newRow("non-ascii at a line end") << u"-- é\n-- ☕\r\n"_s << QString();
        QTest::newRow("vertical tab and form feed") << u"a\v\f\n\fb\n"_s << QString();
    }

    void knownVectors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        // sha256sum of "SELECT 1;\n" and of nothing.
        QTest::newRow("select") << u"SELECT 1;\n"_s
                                << u"b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"_s;
        QTest::newRow("select crlf bom no final newline")
            << u"\uFEFFSELECT 1;   "_s
            << u"b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"_s;
        QTest::newRow("empty") << u""_s
                               << u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s;
    }

    void knownVectors()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(ScriptChecksum::checksum(text), expected);
    }

    // What a loaded revision keeps: the same digest as bytes, with the hex text round-tripping, and nothing
    // that is not exactly 64 hex digits taken for a digest.
    void digestHoldsTheChecksum()
    {
        const QByteArray content = "\xEF\xBB\xBFSELECT 1;   \r\n\r\n";
        const Sha256Digest digest = ScriptChecksum::digestOfContent(content);
        QVERIFY(!digest.isNull());
        QCOMPARE(digest.toHex(), u"b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd"_s);
        QCOMPARE(digest.bytes(), QByteArray::fromHex(digest.toHex().toLatin1()));
        QCOMPARE(Sha256Digest::fromHex(digest.toHex()), digest);
        QCOMPARE(Sha256Digest::fromHex(digest.toHex().toUpper()), digest);
        QVERIFY(ScriptChecksum::digestOfContent("SELECT 2;\n") != digest);
        QCOMPARE(Sha256Digest::fromBytes(digest.bytes()), digest);

        QVERIFY(Sha256Digest().isNull());
        QCOMPARE(Sha256Digest().toHex(), QString());
        QVERIFY(Sha256Digest().bytes().isEmpty());
        QVERIFY(Sha256Digest() != digest);
        QString notHex = digest.toHex();
        notHex[63] = u'g';
        QVERIFY(Sha256Digest::fromHex(notHex).isNull());
        QVERIFY(Sha256Digest::fromHex(digest.toHex().chopped(1)).isNull());
        QVERIFY(Sha256Digest::fromHex(digest.toHex() + u'0').isNull());
        QVERIFY(Sha256Digest::fromBytes(digest.bytes().first(31)).isNull());
    }

    void sameChecksum_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        const QString base = u"-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\nDROP TABLE t;\n"_s;
        QTest::newRow("crlf") << base << QString(base).replace(u"\n"_s, u"\r\n"_s);
        QTest::newRow("cr") << base << QString(base).replace(u'\n', u'\r');
        QTest::newRow("bom") << base << u"\uFEFF"_s + base;
        QTest::newRow("trailing spaces") << base << QString(base).replace(u";\n"_s, u";  \t\n"_s);
        QTest::newRow("trailing empty lines") << base << base + u"\n\n   \n"_s;
        QTest::newRow("no final newline") << base << base.chopped(1);
        QTest::newRow("all at once") << base
                                     << u"\uFEFF"_s + QString(base).replace(u"\n"_s, u" \r\n"_s) + u"\r\n"_s;
    }

    void sameChecksum()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QCOMPARE(ScriptChecksum::checksum(a), ScriptChecksum::checksum(b));
    }

    void differentChecksum_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        const QString base = u"-- migrate:up\nCREATE TABLE t (id INT);\n\n-- migrate:down\nDROP TABLE t;\n"_s;
        QTest::newRow("changed word") << base << QString(base).replace(u"INT"_s, u"BIGINT"_s);
        QTest::newRow("case") << base << QString(base).replace(u"DROP"_s, u"drop"_s);
        QTest::newRow("indentation") << base << QString(base).replace(u"DROP"_s, u"  DROP"_s);
        QTest::newRow("inner space") << base << QString(base).replace(u"(id INT)"_s, u"(id  INT)"_s);
        QTest::newRow("blank line removed") << base << QString(base).replace(u";\n\n"_s, u";\n"_s);
        QTest::newRow("leading blank line") << base << u"\n"_s + base;
        QTest::newRow("header edited") << base << u"-- a comment\n"_s + base;
    }

    void differentChecksum()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QVERIFY(ScriptChecksum::checksum(a) != ScriptChecksum::checksum(b));
    }

    void readFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString unix = writeFile(dir, u"unix.sql"_s, "SELECT 'caf\xc3\xa9';\n");
        const QString windows =
            writeFile(dir, u"windows.sql"_s, "\xef\xbb\xbfSELECT 'caf\xc3\xa9';  \r\n\r\n");
        QVERIFY(!unix.isEmpty() && !windows.isEmpty());
        const auto a = ScriptChecksum::readFile(unix);
        const auto b = ScriptChecksum::readFile(windows);
        QVERIFY2(a, why(a).constData());
        QVERIFY2(b, why(b).constData());
        QCOMPARE(a->text, u"SELECT 'café';\n"_s);
        QCOMPARE(b->text, a->text);
        QCOMPARE(a->checksum, b->checksum);
        QCOMPARE(
            a->checksum,
            QString::fromLatin1(
                QCryptographicHash::hash("SELECT 'caf\xc3\xa9';\n", QCryptographicHash::Sha256).toHex()));
    }

    void readFileErrors()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString invalid = writeFile(dir, u"invalid.sql"_s, "SELECT 1;\nSELECT '\xff';\n");
        QVERIFY(!invalid.isEmpty());
        const auto bad = ScriptChecksum::readFile(invalid);
        QVERIFY(!bad);
        QCOMPARE(bad.error().file(), invalid);
        QCOMPARE(bad.error().line(), 2);
        QCOMPARE(bad.error().toString(), invalid + u":2: The file is not valid UTF-8"_s);

        const QString missing = dir.filePath(u"missing.sql"_s);
        const auto none = ScriptChecksum::readFile(missing);
        QVERIFY(!none);
        QCOMPARE(none.error().file(), missing);
        QVERIFY2(none.error().toString().startsWith(missing + u": Cannot read the script: "_s),
                 why(none).constData());
    }

    void unifiedDiff_data()
    {
        QTest::addColumn<QString>("oldText");
        QTest::addColumn<QString>("newText");
        QTest::addColumn<int>("context");
        QTest::addColumn<QString>("expected");
        QTest::newRow("equal") << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s
                               << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s << 3 << u""_s;
        QTest::newRow("one line changed")
            << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s
            << u"l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\nl9\nl10\n"_s << 3
            << u"--- a/x.sql\n+++ b/x.sql\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n"_s;
        QTest::newRow("insert at start")
            << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s
            << u"new\nl1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s << 3
            << u"--- a/x.sql\n+++ b/x.sql\n@@ -1,3 +1,4 @@\n+new\n l1\n l2\n l3\n"_s;
        QTest::newRow("delete at end")
            << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n"_s
            << 3 << u"--- a/x.sql\n+++ b/x.sql\n@@ -7,4 +7,3 @@\n l7\n l8\n l9\n-l10\n"_s;
        QTest::newRow("two hunks")
            << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nl17\nl18\nl19\nl20\n"_s
            << u"l1\nl2\nX\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nY\nl18\nl19\nl20\n"_s
            << 3
            << u"--- a/x.sql\n+++ b/x.sql\n@@ -1,6 +1,6 @@\n l1\n l2\n-l3\n+X\n l4\n l5\n l6\n@@ -14,7 +14,7 @@\n l14\n l15\n l16\n-l17\n+Y\n l18\n l19\n l20\n"_s;
        QTest::newRow("gap of six merges")
            << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nl17\nl18\nl19\nl20\n"_s
            << u"l1\nl2\nl3\nl4\nX\nl6\nl7\nl8\nl9\nl10\nl11\nY\nl13\nl14\nl15\nl16\nl17\nl18\nl19\nl20\n"_s
            << 3
            << u"--- a/x.sql\n+++ b/x.sql\n@@ -2,14 +2,14 @@\n l2\n l3\n l4\n-l5\n+X\n l6\n l7\n l8\n l9\n l10\n l11\n-l12\n+Y\n l13\n l14\n l15\n"_s;
        QTest::newRow("gap of seven splits")
            << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14\nl15\nl16\nl17\nl18\nl19\nl20\n"_s
            << u"l1\nl2\nl3\nl4\nX\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nY\nl14\nl15\nl16\nl17\nl18\nl19\nl20\n"_s
            << 3
            << u"--- a/x.sql\n+++ b/x.sql\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+X\n l6\n l7\n l8\n@@ -10,7 +10,7 @@\n l10\n l11\n l12\n-l13\n+Y\n l14\n l15\n l16\n"_s;
        QTest::newRow("no newline at end")
            << u"a\nb\n"_s << u"a\nb"_s << 3
            << u"--- a/x.sql\n+++ b/x.sql\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n"_s;
        QTest::newRow("from empty") << u""_s << u"a\nb\n"_s << 3
                                    << u"--- a/x.sql\n+++ b/x.sql\n@@ -0,0 +1,2 @@\n+a\n+b\n"_s;
        QTest::newRow("to empty") << u"a\n"_s << u""_s << 3
                                  << u"--- a/x.sql\n+++ b/x.sql\n@@ -1 +0,0 @@\n-a\n"_s;
        QTest::newRow("context 0") << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s
                                   << u"l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\nl9\nl10\n"_s << 0
                                   << u"--- a/x.sql\n+++ b/x.sql\n@@ -5 +5 @@\n-l5\n+L5\n"_s;
        QTest::newRow("context 1 replace two by three")
            << u"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n"_s
            << u"l1\nl2\nl3\nA\nB\nC\nl6\nl7\nl8\nl9\nl10\n"_s << 1
            << u"--- a/x.sql\n+++ b/x.sql\n@@ -3,4 +3,5 @@\n l3\n-l4\n-l5\n+A\n+B\n+C\n l6\n"_s;
        QTest::newRow("non-ascii") << u"café\nx\n"_s << u"caffè\nx\n"_s << 3
                                   << u"--- a/x.sql\n+++ b/x.sql\n@@ -1,2 +1,2 @@\n-café\n+caffè\n x\n"_s;
    }

    void unifiedDiff()
    {
        QFETCH(QString, oldText);
        QFETCH(QString, newText);
        QFETCH(int, context);
        QFETCH(QString, expected);
        QCOMPARE(TextDiff::unified(oldText, newText, u"a/x.sql"_s, u"b/x.sql"_s, context), expected);
    }
    // Random edits of random texts: the diff must turn the old text into the new one, hunk headers
    // included; with full context the diff is never empty unless the texts are equal.
    void unifiedDiffApplies_data()
    {
        QTest::addColumn<int>("context");
        QTest::newRow("context 0") << 0;
        QTest::newRow("context 1") << 1;
        QTest::newRow("context 3") << 3;
    }

    void unifiedDiffApplies()
    {
        QFETCH(int, context);
        QRandomGenerator random(20261124u + static_cast<quint32>(context));
        auto randomText = [&](int lines) {
            QString text;
            for (int i = 0; i < lines; ++i)
                text += QString(QChar(u'a' + random.bounded(4))) + u'\n';
            return text;
        };
        for (int round = 0; round < 500; ++round) {
            const QString oldText = randomText(random.bounded(40));
            const QString newText = random.bounded(3) == 0 ? randomText(random.bounded(40)) : [&] {
                QStringList lines = oldText.split(u'\n');
                lines.removeLast();
                for (int edits = random.bounded(1, 6); edits > 0; --edits) {
                    const int at = lines.isEmpty() ? 0 : random.bounded(static_cast<int>(lines.size()));
                    switch (random.bounded(3)) {
                    case 0:
                        lines.insert(at, u"new"_s);
                        break;
                    case 1:
                        if (!lines.isEmpty())
                            lines.removeAt(at);
                        break;
                    default:
                        if (!lines.isEmpty())
                            lines[at] = u"changed"_s;
                        break;
                    }
                }
                return lines.isEmpty() ? QString() : lines.join(u'\n') + u'\n';
            }();
            const QString diff = TextDiff::unified(oldText, newText, u"a"_s, u"b"_s, context);
            QCOMPARE(diff.isEmpty(), oldText == newText);
            if (diff.isEmpty())
                continue;
            const QString applied = applyUnified(oldText, diff);
            QVERIFY2(applied == newText,
                     qPrintable(u"round %1\nold:\n%2\nnew:\n%3\ndiff:\n%4\napplied: %5"_s.arg(round).arg(
                         oldText, newText, diff, applied)));
        }
    }
};

QTEST_GUILESS_MAIN(TstScriptChecksum)
#include "tst_scriptchecksum.moc"
