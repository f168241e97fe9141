// SPDX-License-Identifier: MIT
#include "config/inifile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qmigrate::IniFile;

// Expected values and messages were produced by Python 3.11's configparser.ConfigParser({"here": "/H"})
// reading the same text from a file (see tests/data/config/configparser_truth.py). Where qmigrate
// deliberately differs (BOM accepted, interpolation messages without the raw value) the row says so.
class TstIniFile : public QObject
{
    Q_OBJECT

private:
    static IniFile parsed(const QString &text)
    {
        auto ini = IniFile::parse(text, u"t.ini"_s);
        if (!ini)
            qFatal("unexpected parse error: %s", qPrintable(ini.error().toString()));
        ini->setDefaults({{u"here"_s, u"/H"_s}});
        return *ini;
    }

private slots:
    void values_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");

        QTest::newRow("equals") << u"[a]\nkey = value\n"_s << u"a"_s << u"key"_s << u"value"_s;
        QTest::newRow("colon") << u"[a]\nkey: value\n"_s << u"a"_s << u"key"_s << u"value"_s;
        QTest::newRow("upper_key") << u"[a]\nMyKey = v\n"_s << u"a"_s << u"MYKEY"_s << u"v"_s;
        QTest::newRow("strip") << u"[a]\n  key   =   spaced value   \n"_s << u"a"_s << u"key"_s
                               << u"spaced value"_s;
        QTest::newRow("first_delim") << u"[a]\nsqlalchemy.url = postgresql://u:p@h/db\n"_s << u"a"_s
                                     << u"sqlalchemy.url"_s << u"postgresql://u:p@h/db"_s;
        QTest::newRow("colon_first") << u"[a]\nk: a = b\n"_s << u"a"_s << u"k"_s << u"a = b"_s;
        QTest::newRow("key_spaces") << u"[a]\nmy key = v\n"_s << u"a"_s << u"my key"_s << u"v"_s;
        QTest::newRow("empty_value") << u"[a]\nk =\n"_s << u"a"_s << u"k"_s << QString();
        QTest::newRow("continuation")
            << u"[a]\nk = one\n  two\n\tthree\n"_s << u"a"_s << u"k"_s << u"one\ntwo\nthree"_s;
        QTest::newRow("blank_in_value")
            << u"[a]\nk = one\n\n  two\n"_s << u"a"_s << u"k"_s << u"one\n\ntwo"_s;
        QTest::newRow("trailing_blanks") << u"[a]\nk = one\n\n\nnext = 2\n"_s << u"a"_s << u"k"_s << u"one"_s;
        QTest::newRow("comment_in_value")
            << u"[a]\nk = one\n# c\n  ; c2\n  two\n"_s << u"a"_s << u"k"_s << u"one\ntwo"_s;
        QTest::newRow("inline_hash_kept")
            << u"[a]\nk = v # not a comment\n"_s << u"a"_s << u"k"_s << u"v # not a comment"_s;
        QTest::newRow("default_fallback")
            << u"[DEFAULT]\nk = d\n[a]\nx = 1\n"_s << u"a"_s << u"k"_s << u"d"_s;
        QTest::newRow("section_beats_default")
            << u"[DEFAULT]\nk = d\n[a]\nk = s\n"_s << u"a"_s << u"k"_s << u"s"_s;
        QTest::newRow("here") << u"[a]\nk = %(here)s/migrations\n"_s << u"a"_s << u"k"_s
                              << u"/H/migrations"_s;
        QTest::newRow("here_upper") << u"[a]\nk = %(HERE)s\n"_s << u"a"_s << u"k"_s << u"/H"_s;
        QTest::newRow("percent_escape")
            << u"[a]\nk = 100%% sure %%(here)s\n"_s << u"a"_s << u"k"_s << u"100% sure %(here)s"_s;
        QTest::newRow("nested") << u"[a]\nbase = %(here)s/x\nk = %(base)s/y\n"_s << u"a"_s << u"k"_s
                                << u"/H/x/y"_s;
        QTest::newRow("default_uses_section")
            << u"[DEFAULT]\nk = %(name)s!\n[a]\nname = A\n"_s << u"a"_s << u"k"_s << u"A!"_s;
        QTest::newRow("file_default_beats_here")
            << u"[DEFAULT]\nhere = /file\n[a]\nk = %(here)s\n"_s << u"a"_s << u"k"_s << u"/file"_s;
        QTest::newRow("header_junk") << u"[a] trailing\nk = v\n"_s << u"a"_s << u"k"_s << u"v"_s;
        QTest::newRow("header_bracket") << u"[a]b]\nk = v\n"_s << u"a]b"_s << u"k"_s << u"v"_s;
        QTest::newRow("header_spaces") << u"[ a ]\nk = v\n"_s << u" a "_s << u"k"_s << u"v"_s;
        QTest::newRow("indented_header_is_value")
            << u"[a]\nk = v\n  [b]\n"_s << u"a"_s << u"k"_s << u"v\n[b]"_s;
        QTest::newRow("indented_key_after_header")
            << u"[a]\n  k = v\n  j = w\n"_s << u"a"_s << u"j"_s << u"w"_s;
        QTest::newRow("crlf") << u"[a]\r\nk = one\r\n  two\r\n"_s << u"a"_s << u"k"_s << u"one\ntwo"_s;
        QTest::newRow("cr") << u"[a]\rk = v\r"_s << u"a"_s << u"k"_s << u"v"_s;
        QTest::newRow("no_final_newline") << u"[a]\nk = v"_s << u"a"_s << u"k"_s << u"v"_s;
        QTest::newRow("multi_value_interp")
            << u"[a]\nk = %(here)s/a\n  %(here)s/b\n"_s << u"a"_s << u"k"_s << u"/H/a\n/H/b"_s;
        QTest::newRow("repeated_default_section")
            << u"[DEFAULT]\nx = 1\n[a]\n[DEFAULT]\ny = 2\n"_s << u"a"_s << u"y"_s << u"2"_s;
        // Python keeps U+FEFF and then finds no section header; qmigrate accepts the BOM.
        QTest::newRow("bom") << u"\uFEFF[a]\nk = v\n"_s << u"a"_s << u"k"_s << u"v"_s;
        QTest::newRow("absent_key_fallback") << u"[a]\nx = 1\n"_s << u"a"_s << u"missing"_s << u"FALLBACK"_s;
    }

    void values()
    {
        QFETCH(QString, text);
        QFETCH(QString, section);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        const IniFile ini = parsed(text);
        const auto value = ini.value(section, key, u"FALLBACK"_s);
        QVERIFY2(value, qPrintable(value ? QString() : value.error().toString()));
        QCOMPARE(*value, expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("key"); // empty: the error comes from parsing
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");

        QTest::newRow("dup_section") << u"[a]\nx=1\n[b]\n[a]\n"_s << QString()
                                     << u"While reading from 't.ini' [line  4]: section 'a' already exists"_s
                                     << 4;
        QTest::newRow("dup_key")
            << u"[a]\nx = 1\nX = 2\n"_s << QString()
            << u"While reading from 't.ini' [line  3]: option 'x' in section 'a' already exists"_s << 3;
        QTest::newRow("dup_default_key")
            << u"[DEFAULT]\nx = 1\n[DEFAULT]\nx = 2\n"_s << QString()
            << u"While reading from 't.ini' [line  4]: option 'x' in section 'DEFAULT' already exists"_s << 4;
        QTest::newRow("dup_line_two_digits")
            << u"[a]\n\n\n\n\n\n\n\n\n\n\nk = 1\nk = 2\n"_s << QString()
            << u"While reading from 't.ini' [line 13]: option 'k' in section 'a' already exists"_s << 13;
        QTest::newRow("no_header")
            << u"# c\nx = 1\n"_s << QString()
            << u"File contains no section headers.\nfile: 't.ini', line: 2\n'x = 1\\n'"_s << 2;
        QTest::newRow("no_header_last")
            << u"x = 1"_s << QString()
            << u"File contains no section headers.\nfile: 't.ini', line: 1\n'x = 1'"_s << 1;
        QTest::newRow("bad_line") << u"[a]\nx = 1\ngarbage\n"_s << QString()
                                  << u"Source contains parsing errors: 't.ini'\n\t[line  3]: 'garbage\\n'"_s
                                  << 3;
        QTest::newRow("two_bad")
            << u"[a]\ngarbage\n= x\nok = 1\n"_s << QString()
            << u"Source contains parsing errors: 't.ini'\n\t[line  2]: 'garbage\\n'\n\t[line  3]: "
               "'= x\\n'"_s
            << 2;
        QTest::newRow("empty_brackets")
            << u"[a]\n[]\n"_s << QString()
            << u"Source contains parsing errors: 't.ini'\n\t[line  2]: '[]\\n'"_s << 2;
        QTest::newRow("quote_line") << u"[a]\nit's\n"_s << QString()
                                    << u"Source contains parsing errors: 't.ini'\n\t[line  2]: \"it's\\n\""_s
                                    << 2;
        // Interpolation messages: configparser's text without "found: …" / "Raw value: …", which could
        // print a password from sqlalchemy.url.
        QTest::newRow("bad_percent")
            << u"[a]\nx = 1\nk = 50%\n"_s << u"k"_s
            << u"'%' must be followed by '%' or '(' in option 'k' in section 'a' (write '%%' "
               "for a literal percent sign)"_s
            << 3;
        QTest::newRow("missing_key")
            << u"[alembic]\nx = %(y)s\n"_s << u"x"_s
            << u"Bad value substitution: option 'x' in section 'alembic' contains an "
               "interpolation key 'y' which is not a valid option name"_s
            << 2;
        QTest::newRow("bad_ref")
            << u"[a]\nk = %(x\n"_s << u"k"_s
            << u"bad interpolation variable reference in option 'k' in section 'a': expected "
               "'%(name)s'"_s
            << 2;
        QTest::newRow("bad_ref_no_s")
            << u"[a]\n\nk = %(x)d\n"_s << u"k"_s
            << u"bad interpolation variable reference in option 'k' in section 'a': "
               "expected '%(name)s'"_s
            << 3;
        QTest::newRow("recursion")
            << u"[a]\nk = %(j)s\nj = %(k)s\n"_s << u"k"_s
            << u"Recursion limit exceeded in value substitution: option 'k' in section 'a' "
               "contains an interpolation key which cannot be substituted in 10 steps"_s
            << 2;
        // configparser has no such limit: it takes seconds, or all memory, on references that fan out.
        QTest::newRow("fan_out")
            << u"[a]\nk0 =\n"_s +
                   [] {
                       QString lines;
                       for (int i = 1; i <= 5; ++i)
                           lines += u"k"_s + QString::number(i) + u" = "_s +
                                    (u"%(k"_s + QString::number(i - 1) + u")s"_s).repeated(10) + u'\n';
                       return lines;
                   }()
            << u"k5"_s
            << u"Value substitution in option 'k5' in section 'a' goes beyond 100000 references or 1048576 "
               "characters: its interpolation keys fan out too far"_s
            << 7;
        QTest::newRow("error_in_referenced_key")
            << u"[a]\nk = %(j)s\nj = 5%\n"_s << u"k"_s
            << u"'%' must be followed by '%' or '(' in option 'k' in section "
               "'a' (write '%%' for a literal percent sign)"_s
            << 2;
    }

    void errors()
    {
        QFETCH(QString, text);
        QFETCH(QString, key);
        QFETCH(QString, message);
        QFETCH(int, line);
        auto ini = IniFile::parse(text, u"t.ini"_s);
        if (key.isEmpty()) {
            QVERIFY(!ini);
            QCOMPARE(ini.error().message(), message);
            QCOMPARE(ini.error().file(), u"t.ini"_s);
            QCOMPARE(ini.error().line(), line);
            return;
        }
        QVERIFY2(ini, qPrintable(ini ? QString() : ini.error().toString()));
        const QString section = ini->sections().constFirst();
        const auto value = ini->value(section, key);
        QVERIFY(!value);
        QCOMPARE(value.error().message(), message);
        QCOMPARE(value.error().file(), u"t.ini"_s);
        QCOMPARE(value.error().line(), line);
        QCOMPARE(value.error().toString(), u"t.ini:%1: %2"_s.arg(line).arg(message));
    }

    void interpolationErrorHidesRawValue()
    {
        const IniFile ini = parsed(u"[alembic]\nsqlalchemy.url = postgresql://u:s3cr%40t@%(host)s/db\n"_s);
        const auto value = ini.value(u"alembic"_s, u"sqlalchemy.url"_s);
        QVERIFY(!value);
        QVERIFY(!value.error().toString().contains(u"s3cr"_s));
        QCOMPARE(value.error().line(), 2);
    }

    void structure()
    {
        const IniFile ini = parsed(
            u"[DEFAULT]\nshared = 1\n[alembic]\nScript_Location = x\nmulti = a\n  b\n[loggers]\nkeys = root\n"_s);
        QCOMPARE(ini.sections(), (QStringList{u"alembic"_s, u"loggers"_s}));
        QVERIFY(ini.hasSection(u"alembic"_s));
        QVERIFY(!ini.hasSection(u"Alembic"_s)); // section names are case-sensitive
        QVERIFY(!ini.hasSection(u"DEFAULT"_s));
        QCOMPARE(ini.keys(u"alembic"_s), (QStringList{u"script_location"_s, u"multi"_s}));
        QVERIFY(ini.contains(u"alembic"_s, u"SCRIPT_LOCATION"_s));
        QVERIFY(ini.contains(u"alembic"_s, u"shared"_s)); // from [DEFAULT]
        QVERIFY(ini.contains(u"loggers"_s, u"here"_s));   // from the extra defaults
        QVERIFY(!ini.contains(u"alembic"_s, u"nope"_s));
        QVERIFY(!ini.contains(u"nosuch"_s, u"shared"_s));
        QCOMPARE(ini.lineOf(u"alembic"_s, u"multi"_s), 5);
        QCOMPARE(ini.lineOf(u"alembic"_s, u"shared"_s), 2);
        QCOMPARE(ini.lineOf(u"alembic"_s, u"here"_s), 0);
        QCOMPARE(ini.rawValue(u"alembic"_s, u"multi"_s), u"a\nb"_s);
        QCOMPARE(ini.rawValue(u"alembic"_s, u"here"_s), u"/H"_s);
        const auto missing = ini.value(u"nosuch"_s, u"x"_s);
        QVERIFY(!missing);
        QCOMPARE(missing.error().message(), u"No section: 'nosuch'"_s);
        QCOMPARE(missing.error().file(), u"t.ini"_s);
    }

    void rawValueIsNotInterpolated()
    {
        const IniFile ini = parsed(u"[a]\nk = %(here)s %%\n"_s);
        QCOMPARE(ini.rawValue(u"a"_s, u"k"_s), u"%(here)s %%"_s);
    }

    void literalPercentInExtraDefault()
    {
        auto ini = IniFile::parse(u"[a]\nk = %(here)s/x\n"_s, u"t.ini"_s);
        QVERIFY(ini);
        ini->setDefaults({{u"here"_s, u"/tmp/100%(x)s"_s}});
        QCOMPARE(*ini->value(u"a"_s, u"k"_s), u"/tmp/100%(x)s/x"_s);
    }

    void loadFromFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"alembic.ini"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\xEF\xBB\xBF[alembic]\r\nscript_location = %(here)s/m\xC3\xA9\r\n");
        file.close();
        auto ini = IniFile::load(path);
        QVERIFY2(ini, qPrintable(ini ? QString() : ini.error().toString()));
        QCOMPARE(ini->path(), path);
        ini->setDefaults({{u"here"_s, dir.path()}});
        QCOMPARE(*ini->value(u"alembic"_s, u"script_location"_s), dir.path() + u"/m\u00e9"_s);
    }

    void loadErrorNamesFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"missing.ini"_s);
        const auto ini = IniFile::load(path);
        QVERIFY(!ini);
        QCOMPARE(ini.error().file(), path);
        QVERIFY(ini.error().message().startsWith(u"Cannot read "_s + path));

        const QString bad = dir.filePath(u"bad.ini"_s);
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[alembic]\nscript_location = x\nnonsense\n");
        file.close();
        const auto parsedBad = IniFile::load(bad);
        QVERIFY(!parsedBad);
        QCOMPARE(parsedBad.error().file(), bad);
        QCOMPARE(parsedBad.error().line(), 3);
        QCOMPARE(parsedBad.error().message(),
                 u"Source contains parsing errors: '%1'\n\t[line  3]: 'nonsense\\n'"_s.arg(bad));
    }

    void pythonRepr_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"abc"_s << u"'abc'"_s;
        QTest::newRow("single") << u"it's"_s << u"\"it's\""_s;
        QTest::newRow("both") << u"it's \"x\""_s << u"'it\\'s \"x\"'"_s;
        QTest::newRow("controls") << u"a\tb\n\u0001\\"_s << u"'a\\tb\\n\\x01\\\\'"_s;
        QTest::newRow("unicode") << u"caf\u00e9"_s << u"'caf\u00e9'"_s;
    }

    void pythonRepr()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(IniFile::pythonRepr(text), expected);
    }
};

QTEST_GUILESS_MAIN(TstIniFile)
#include "tst_inifile.moc"
