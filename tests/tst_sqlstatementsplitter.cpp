// SPDX-License-Identifier: MIT
#include "scripts/sqlrevisionparser.h"
#include "scripts/sqlstatementsplitter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

Q_DECLARE_METATYPE(qmigrate::DatabaseUrl::Backend)
Q_DECLARE_METATYPE(qmigrate::SqlStatement::Kind)

namespace {

using Backend = DatabaseUrl::Backend;

// "line:column|text" per statement: the whole expectation of a split in one comparable list.
QStringList describe(const QList<SqlStatement> &statements)
{
    QStringList out;
    for (const SqlStatement &s : statements)
        out << u"%1:%2|%3"_s.arg(s.line).arg(s.column).arg(s.text);
    return out;
}

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(file.readAll());
}

} // namespace

class TestSqlStatementSplitter : public QObject
{
    Q_OBJECT

private slots:
    void split_data();
    void split();
    void errors_data();
    void errors();
    void classification_data();
    void classification();
    void noTransactionMarker();
    void scripts_data();
    void scripts();
    void bundledExample();
};

void TestSqlStatementSplitter::split_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("firstLine");
    QTest::addColumn<QStringList>("expected");

    const Backend lite = Backend::SQLite;
    const Backend pg = Backend::PostgreSQL;
    const Backend my = Backend::MySQL;

    // Basics, every dialect.
    QTest::newRow("single") << lite << u"SELECT 1;"_s << 1 << QStringList{u"1:1|SELECT 1"_s};
    QTest::newRow("two_on_one_line") << pg << u"SELECT 1; SELECT 2;"_s << 1
                                     << QStringList{u"1:1|SELECT 1"_s, u"1:11|SELECT 2"_s};
    QTest::newRow("no_trailing_semicolon")
        << my << u"SELECT 1;\nSELECT 2"_s << 1 << QStringList{u"1:1|SELECT 1"_s, u"2:1|SELECT 2"_s};
    QTest::newRow("empty_statements_dropped")
        << lite << u";;\n  ;SELECT 1;;\n;"_s << 1 << QStringList{u"2:4|SELECT 1"_s};
    QTest::newRow("empty_input") << pg << QString() << 1 << QStringList{};
    QTest::newRow("whitespace_only") << pg << u"  \n\t\n"_s << 1 << QStringList{};
    QTest::newRow("comment_only") << lite << u"-- nothing\n/* still\nnothing */\n"_s << 1 << QStringList{};
    QTest::newRow("first_line_offset") << lite << u"\n\n  CREATE TABLE t (id INT);\n"_s << 12
                                       << QStringList{u"14:3|CREATE TABLE t (id INT)"_s};
    QTest::newRow("multiline_statement_kept_verbatim")
        << lite << u"CREATE TABLE t (\n    id INTEGER,\n    name TEXT\n);\nDROP TABLE t;"_s << 5
        << QStringList{u"5:1|CREATE TABLE t (\n    id INTEGER,\n    name TEXT\n)"_s, u"9:1|DROP TABLE t"_s};
    QTest::newRow("crlf_line_endings")
        << lite << u"SELECT 1;\r\nSELECT 2;\r\n"_s << 1 << QStringList{u"1:1|SELECT 1"_s, u"2:1|SELECT 2"_s};
    QTest::newRow("leading_comment_not_part_of_statement")
        << pg << u"-- explain\n/* more */ SELECT 1; -- after\n"_s << 3 << QStringList{u"4:12|SELECT 1"_s};
    QTest::newRow("trailing_comment_before_semicolon_dropped")
        << lite << u"SELECT 1 -- one\n;\nSELECT 2 /* two */"_s << 1
        << QStringList{u"1:1|SELECT 1"_s, u"3:1|SELECT 2"_s};
    QTest::newRow("inner_comment_kept")
        << lite << u"SELECT 1, -- a ; b\n 2;"_s << 1 << QStringList{u"1:1|SELECT 1, -- a ; b\n 2"_s};

    // Quotes.
    QTest::newRow("single_quote_semicolon")
        << lite << u"INSERT INTO t VALUES ('a;b'); SELECT 2;"_s << 1
        << QStringList{u"1:1|INSERT INTO t VALUES ('a;b')"_s, u"1:31|SELECT 2"_s};
    QTest::newRow("doubled_single_quote") << pg << u"SELECT 'it''s; fine'; SELECT 2;"_s << 1
                                          << QStringList{u"1:1|SELECT 'it''s; fine'"_s, u"1:23|SELECT 2"_s};
    QTest::newRow("single_quote_comment")
        << lite << u"SELECT '-- not a comment;'; SELECT '/*';"_s << 1
        << QStringList{u"1:1|SELECT '-- not a comment;'"_s, u"1:29|SELECT '/*'"_s};
    QTest::newRow("multiline_string_counts_lines")
        << lite << u"SELECT 'a\nb\nc';\nSELECT 2;"_s << 1
        << QStringList{u"1:1|SELECT 'a\nb\nc'"_s, u"4:1|SELECT 2"_s};
    QTest::newRow("double_quoted_identifier")
        << pg << u"CREATE TABLE \"a;\"\"b\" (x INT); SELECT 2;"_s << 1
        << QStringList{u"1:1|CREATE TABLE \"a;\"\"b\" (x INT)"_s, u"1:31|SELECT 2"_s};
    QTest::newRow("backslash_is_plain_in_sqlite") << lite << u"SELECT 'a\\'; SELECT 2;"_s << 1
                                                  << QStringList{u"1:1|SELECT 'a\\'"_s, u"1:14|SELECT 2"_s};
    QTest::newRow("backslash_is_plain_in_postgresql")
        << pg << u"SELECT 'a\\'; SELECT 2;"_s << 1 << QStringList{u"1:1|SELECT 'a\\'"_s, u"1:14|SELECT 2"_s};
    QTest::newRow("mysql_backslash_escape") << my << u"SELECT 'a\\';b'; SELECT 2;"_s << 1
                                            << QStringList{u"1:1|SELECT 'a\\';b'"_s, u"1:17|SELECT 2"_s};
    QTest::newRow("mysql_double_quoted_string")
        << my << u"SELECT \"a\\\";b\"; SELECT 2;"_s << 1
        << QStringList{u"1:1|SELECT \"a\\\";b\""_s, u"1:17|SELECT 2"_s};
    QTest::newRow("mysql_backticks") << my << u"CREATE TABLE `a;b` (`c``;` INT); SELECT 2;"_s << 1
                                     << QStringList{u"1:1|CREATE TABLE `a;b` (`c``;` INT)"_s,
                                                    u"1:34|SELECT 2"_s};
    QTest::newRow("sqlite_backticks_and_brackets")
        << lite << u"SELECT `a;b`, [c;d]; SELECT 2;"_s << 1
        << QStringList{u"1:1|SELECT `a;b`, [c;d]"_s, u"1:22|SELECT 2"_s};
    QTest::newRow("postgresql_e_string") << pg << u"SELECT E'it\\'s; here'; SELECT 2;"_s << 1
                                         << QStringList{u"1:1|SELECT E'it\\'s; here'"_s, u"1:24|SELECT 2"_s};
    QTest::newRow("postgresql_identifier_ending_in_e")
        << pg << u"SELECT type'a\\'; SELECT 2;"_s << 1
        << QStringList{u"1:1|SELECT type'a\\'"_s, u"1:18|SELECT 2"_s};

    // Comments per dialect.
    QTest::newRow("mysql_dashdash_needs_space") << my << u"SELECT 1--1;\nSELECT 2; -- c;\n"_s << 1
                                                << QStringList{u"1:1|SELECT 1--1"_s, u"2:1|SELECT 2"_s};
    QTest::newRow("postgresql_dashdash_without_space")
        << pg << u"SELECT 1--1;\nSELECT 2;\n"_s << 1 << QStringList{u"1:1|SELECT 1--1;\nSELECT 2"_s};
    QTest::newRow("mysql_hash_comment")
        << my << u"# header; still comment\nSELECT 1; # trailing;\n"_s << 1 << QStringList{u"2:1|SELECT 1"_s};
    QTest::newRow("hash_is_not_a_comment_in_postgresql")
        << pg << u"SELECT 1 # 2;"_s << 1 << QStringList{u"1:1|SELECT 1 # 2"_s};
    QTest::newRow("block_comment_with_semicolon")
        << lite << u"SELECT /* ; */ 1; SELECT 2;"_s << 1
        << QStringList{u"1:1|SELECT /* ; */ 1"_s, u"1:19|SELECT 2"_s};
    QTest::newRow("postgresql_nested_block_comment")
        << pg << u"/* outer /* inner; */ still; */ SELECT 1;"_s << 1 << QStringList{u"1:33|SELECT 1"_s};
    QTest::newRow("sqlite_block_comment_does_not_nest")
        << lite << u"/* outer /* inner */ SELECT 1;"_s << 1 << QStringList{u"1:22|SELECT 1"_s};
    QTest::newRow("mysql_executable_comment_is_a_statement")
        << my << u"/*!40101 SET NAMES utf8 */;\nSELECT 1;"_s << 1
        << QStringList{u"1:1|/*!40101 SET NAMES utf8 */"_s, u"2:1|SELECT 1"_s};

    // PostgreSQL dollar quoting.
    QTest::newRow("dollar_quote_with_semicolon")
        << pg << u"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2;"_s << 1
        << QStringList{u"1:1|CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql"_s,
                       u"2:1|SELECT 2"_s};
    QTest::newRow("tagged_dollar_quote_containing_dollars")
        << pg << u"DO $body$ BEGIN PERFORM $$;$$; END $body$;\nSELECT 2;"_s << 1
        << QStringList{u"1:1|DO $body$ BEGIN PERFORM $$;$$; END $body$"_s, u"2:1|SELECT 2"_s};
    QTest::newRow("dollar_parameter_is_not_a_quote")
        << pg << u"PREPARE p AS SELECT $1 + $2; EXECUTE p(1, 2);"_s << 1
        << QStringList{u"1:1|PREPARE p AS SELECT $1 + $2"_s, u"1:30|EXECUTE p(1, 2)"_s};
    QTest::newRow("dollar_inside_identifier_is_not_a_quote")
        << pg << u"SELECT a$b$ FROM t; SELECT 2;"_s << 1
        << QStringList{u"1:1|SELECT a$b$ FROM t"_s, u"1:21|SELECT 2"_s};
    QTest::newRow("dollar_quote_multiline_line_numbers")
        << pg << u"SELECT $x$\n;\n;\n$x$;\nSELECT 2;"_s << 1
        << QStringList{u"1:1|SELECT $x$\n;\n;\n$x$"_s, u"5:1|SELECT 2"_s};
    QTest::newRow("dollar_is_plain_in_mysql")
        << my << u"SELECT '$$'; SELECT $$;"_s << 1 << QStringList{u"1:1|SELECT '$$'"_s, u"1:14|SELECT $$"_s};

    // BEGIN … END bodies.
    QTest::newRow("sqlite_trigger_body")
        << lite
        << u"CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\n  DELETE FROM v;\nEND;\nSELECT 1;"_s
        << 1
        << QStringList{
               u"1:1|CREATE TRIGGER trg AFTER INSERT ON t BEGIN\n  UPDATE u SET n = n + 1;\n  DELETE FROM v;\nEND"_s,
               u"5:1|SELECT 1"_s};
    QTest::newRow("sqlite_trigger_with_case_end")
        << lite
        << u"CREATE TEMP TRIGGER IF NOT EXISTS trg BEFORE UPDATE ON t WHEN CASE WHEN 1 THEN 1 END BEGIN "
           "SELECT CASE WHEN NEW.a THEN RAISE(ABORT, 'x;') END; END; SELECT 1;"_s
        << 1
        << QStringList{
               u"1:1|CREATE TEMP TRIGGER IF NOT EXISTS trg BEFORE UPDATE ON t WHEN CASE WHEN 1 THEN 1 END "
               "BEGIN SELECT CASE WHEN NEW.a THEN RAISE(ABORT, 'x;') END; END"_s,
               u"1:149|SELECT 1"_s};
    QTest::newRow("sqlite_begin_transaction_is_a_statement")
        << lite << u"BEGIN; CREATE TABLE t (x); COMMIT;"_s << 1
        << QStringList{u"1:1|BEGIN"_s, u"1:8|CREATE TABLE t (x)"_s, u"1:28|COMMIT"_s};
    QTest::newRow("sqlite_table_named_like_trigger_words")
        << lite << u"CREATE TABLE t (begin_at INT, \"end\" INT); SELECT 1;"_s << 1
        << QStringList{u"1:1|CREATE TABLE t (begin_at INT, \"end\" INT)"_s, u"1:43|SELECT 1"_s};
    QTest::newRow("mysql_trigger_without_begin")
        << my << u"CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1; SELECT 1;"_s << 1
        << QStringList{u"1:1|CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1"_s,
                       u"1:67|SELECT 1"_s};
    QTest::newRow("mysql_procedure_nested_blocks")
        << my
        << u"CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  DECLARE i INT DEFAULT 0;\n"
           "  lbl: LOOP\n    IF i > n THEN LEAVE lbl; END IF;\n    SET i = IF(i > 3, i + 2, i + 1);\n"
           "    CASE i WHEN 1 THEN SELECT 1; ELSE BEGIN SELECT 2; END; END CASE;\n  END LOOP lbl;\n"
           "  WHILE i > 0 DO SET i = i - 1; END WHILE;\n  REPEAT SET i = REPEAT('x', 1); UNTIL i END "
           "REPEAT;\n"
           "  DROP TABLE IF EXISTS tmp;\nEND;\nSELECT 1;"_s
        << 1
        << QStringList{
               u"1:1|CREATE DEFINER=`root`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  DECLARE i INT DEFAULT 0;\n"
               "  lbl: LOOP\n    IF i > n THEN LEAVE lbl; END IF;\n    SET i = IF(i > 3, i + 2, i + 1);\n"
               "    CASE i WHEN 1 THEN SELECT 1; ELSE BEGIN SELECT 2; END; END CASE;\n  END LOOP lbl;\n"
               "  WHILE i > 0 DO SET i = i - 1; END WHILE;\n  REPEAT SET i = REPEAT('x', 1); UNTIL i END "
               "REPEAT;\n"
               "  DROP TABLE IF EXISTS tmp;\nEND"_s,
               u"13:1|SELECT 1"_s};
    QTest::newRow("mysql_function_single_statement")
        << my << u"CREATE FUNCTION f() RETURNS INT DETERMINISTIC RETURN IF(1, 2, 3); SELECT 1;"_s << 1
        << QStringList{u"1:1|CREATE FUNCTION f() RETURNS INT DETERMINISTIC RETURN IF(1, 2, 3)"_s,
                       u"1:67|SELECT 1"_s};
    QTest::newRow("mysql_table_with_function_column")
        << my << u"CREATE TABLE t (function INT, `begin` INT); SELECT 1;"_s << 1
        << QStringList{u"1:1|CREATE TABLE t (function INT, `begin` INT)"_s, u"1:45|SELECT 1"_s};
    QTest::newRow("postgresql_begin_atomic")
        << pg
        << u"CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a;\n  SELECT CASE WHEN a > 0 THEN 1 END;\nEND;\nSELECT 2;"_s
        << 1
        << QStringList{
               u"1:1|CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a;\n  SELECT CASE WHEN a > 0 THEN 1 END;\nEND"_s,
               u"6:1|SELECT 2"_s};
    QTest::newRow("postgresql_rule_with_parenthesized_statements")
        << pg
        << u"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); DELETE FROM v);\nSELECT 2;"_s
        << 1
        << QStringList{
               u"1:1|CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); DELETE FROM v)"_s,
               u"2:1|SELECT 2"_s};
    QTest::newRow("postgresql_begin_is_a_statement")
        << pg << u"BEGIN; SELECT 1; END;"_s << 1
        << QStringList{u"1:1|BEGIN"_s, u"1:8|SELECT 1"_s, u"1:18|END"_s};

    // MySQL DELIMITER.
    QTest::newRow("mysql_delimiter")
        << my << u"DELIMITER //\nCREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND //\nDELIMITER ;\nSELECT 2;"_s
        << 1 << QStringList{u"2:1|CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND"_s, u"7:1|SELECT 2"_s};
    QTest::newRow("mysql_delimiter_glued_to_end")
        << my << u"delimiter $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nSELECT 2$$\nDELIMITER ;\n"_s << 1
        << QStringList{u"2:1|CREATE PROCEDURE p() BEGIN SELECT 1; END"_s, u"3:1|SELECT 2"_s};
    QTest::newRow("mysql_delimiter_inside_string_ignored")
        << my << u"DELIMITER //\nSELECT '//';//\nDELIMITER ;"_s << 1 << QStringList{u"2:1|SELECT '//';"_s};
    QTest::newRow("delimiter_is_a_word_outside_mysql")
        << lite << u"SELECT delimiter FROM t;"_s << 1 << QStringList{u"1:1|SELECT delimiter FROM t"_s};
    QTest::newRow("mysql_column_named_delimiter_mid_statement")
        << my << u"SELECT\ndelimiter FROM t;"_s << 1 << QStringList{u"1:1|SELECT\ndelimiter FROM t"_s};
}

void TestSqlStatementSplitter::split()
{
    QFETCH(Backend, backend);
    QFETCH(QString, sql);
    QFETCH(int, firstLine);
    QFETCH(QStringList, expected);

    const auto result = SqlStatementSplitter(backend).split(sql, firstLine);
    QVERIFY2(result.hasValue(), qPrintable(result.hasValue() ? QString() : result.error().toString()));
    QCOMPARE(describe(*result), expected);
}

void TestSqlStatementSplitter::errors_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("firstLine");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");

    QTest::newRow("unterminated_single_quote") << Backend::SQLite << u"SELECT 1;\nSELECT 'abc;\nSELECT 2;"_s
                                               << 10 << u"unterminated string literal"_s << 11;
    QTest::newRow("escaped_quote_at_end")
        << Backend::PostgreSQL << u"SELECT 'it'';"_s << 1 << u"unterminated string literal"_s << 1;
    QTest::newRow("mysql_backslash_escaped_closing_quote")
        << Backend::MySQL << u"\nSELECT 'abc\\';"_s << 1 << u"unterminated string literal"_s << 2;
    QTest::newRow("postgresql_e_string_escaped_closing_quote")
        << Backend::PostgreSQL << u"SELECT E'abc\\';"_s << 3 << u"unterminated string literal"_s << 3;
    QTest::newRow("unterminated_double_quote_identifier")
        << Backend::PostgreSQL << u"SELECT 1;\n\nCREATE TABLE \"abc (x INT);"_s << 1
        << u"unterminated quoted identifier"_s << 3;
    QTest::newRow("unterminated_backtick")
        << Backend::MySQL << u"SELECT `a;"_s << 7 << u"unterminated quoted identifier"_s << 7;
    QTest::newRow("unterminated_bracket")
        << Backend::SQLite << u"SELECT [a;"_s << 1 << u"unterminated quoted identifier"_s << 1;
    QTest::newRow("unterminated_block_comment")
        << Backend::SQLite << u"SELECT 1;\n/* open\n\n"_s << 5 << u"unterminated /* comment"_s << 6;
    QTest::newRow("postgresql_nested_comment_not_closed")
        << Backend::PostgreSQL << u"/* a /* b */ SELECT 1;"_s << 1 << u"unterminated /* comment"_s << 1;
    QTest::newRow("unterminated_dollar_quote")
        << Backend::PostgreSQL << u"SELECT 1;\nDO $body$ BEGIN END $bod$;"_s << 20
        << u"unterminated dollar-quoted string $body$"_s << 21;
    QTest::newRow("unterminated_sqlite_trigger")
        << Backend::SQLite << u"SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON x\nBEGIN\n  SELECT 1;\n"_s << 1
        << u"unterminated BEGIN/END block: no END for the block opened here"_s << 3;
    QTest::newRow("unterminated_mysql_procedure")
        << Backend::MySQL << u"CREATE PROCEDURE p()\nBEGIN\n  IF 1 THEN SELECT 1; END IF;\n"_s << 40
        << u"unterminated BEGIN/END block: no END for the block opened here"_s << 41;
    QTest::newRow("mysql_empty_delimiter") << Backend::MySQL << u"SELECT 1;\nDELIMITER   \nSELECT 2;"_s << 1
                                           << u"DELIMITER needs a delimiter, e.g. \"DELIMITER //\""_s << 2;
}

void TestSqlStatementSplitter::errors()
{
    QFETCH(Backend, backend);
    QFETCH(QString, sql);
    QFETCH(int, firstLine);
    QFETCH(QString, message);
    QFETCH(int, line);

    const auto result = SqlStatementSplitter(backend).split(sql, firstLine);
    QVERIFY(!result.hasValue());
    QCOMPARE(result.error().message(), message);
    QCOMPARE(result.error().line(), line);
    QVERIFY(result.error().file().isEmpty());
    // The caller names the file; the printed form then reads "file:line: message".
    EngineError named = result.error();
    named.setFile(u"versions/abc_x.sql"_s, named.line());
    QCOMPARE(named.toString(), u"versions/abc_x.sql:%1: %2"_s.arg(line).arg(message));
}

void TestSqlStatementSplitter::classification_data()
{
    QTest::addColumn<Backend>("backend");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<SqlStatement::Kind>("kind");
    QTest::addColumn<bool>("transactionControl");
    QTest::addColumn<bool>("destructive");

    using K = SqlStatement::Kind;
    const Backend lite = Backend::SQLite;
    const Backend pg = Backend::PostgreSQL;
    const Backend my = Backend::MySQL;
    QTest::newRow("create_table") << lite << u"CREATE TABLE t (x INT)"_s << K::Ddl << false << false;
    QTest::newRow("alter_add_column")
        << pg << u"ALTER TABLE t ADD COLUMN y INT"_s << K::Ddl << false << false;
    QTest::newRow("drop_table") << lite << u"drop table t"_s << K::Ddl << false << true;
    QTest::newRow("drop_table_if_exists") << pg << u"DROP TABLE IF EXISTS t"_s << K::Ddl << false << true;
    QTest::newRow("drop_temporary_table") << my << u"DROP TEMPORARY TABLE t"_s << K::Ddl << false << true;
    QTest::newRow("drop_schema") << pg << u"DROP SCHEMA s CASCADE"_s << K::Ddl << false << true;
    QTest::newRow("drop_index") << lite << u"DROP INDEX ix"_s << K::Ddl << false << false;
    QTest::newRow("drop_view") << pg << u"DROP VIEW v"_s << K::Ddl << false << false;
    QTest::newRow("drop_column") << lite << u"ALTER TABLE t DROP COLUMN c"_s << K::Ddl << false << true;
    QTest::newRow("drop_bare_column")
        << my << u"ALTER TABLE t ADD x INT, DROP c"_s << K::Ddl << false << true;
    QTest::newRow("drop_quoted_column") << pg << u"ALTER TABLE t DROP \"Col\""_s << K::Ddl << false << true;
    QTest::newRow("drop_partition") << my << u"ALTER TABLE t DROP PARTITION p0"_s << K::Ddl << false << true;
    QTest::newRow("drop_constraint") << pg << u"ALTER TABLE t DROP CONSTRAINT ck"_s << K::Ddl << false
                                     << false;
    QTest::newRow("drop_default") << pg << u"ALTER TABLE t ALTER COLUMN c DROP DEFAULT"_s << K::Ddl << false
                                  << false;
    QTest::newRow("drop_not_null") << pg << u"ALTER TABLE t ALTER c DROP NOT NULL"_s << K::Ddl << false
                                   << false;
    QTest::newRow("drop_index_mysql")
        << my << u"ALTER TABLE t DROP INDEX ix, DROP FOREIGN KEY fk"_s << K::Ddl << false << false;
    QTest::newRow("truncate") << pg << u"TRUNCATE t"_s << K::Ddl << false << true;
    QTest::newRow("delete_without_where") << lite << u"DELETE FROM t"_s << K::Dml << false << true;
    QTest::newRow("delete_with_where") << lite << u"DELETE FROM t WHERE id = 1"_s << K::Dml << false << false;
    QTest::newRow("delete_where_only_in_subquery")
        << pg << u"DELETE FROM t USING (SELECT id FROM u WHERE x) s"_s << K::Dml << false << true;
    QTest::newRow("delete_where_in_string")
        << my << u"DELETE FROM t -- WHERE x\n"_s << K::Dml << false << true;
    QTest::newRow("insert") << lite << u"INSERT INTO t VALUES (1)"_s << K::Dml << false << false;
    QTest::newRow("update") << pg << u"UPDATE t SET x = 1"_s << K::Dml << false << false;
    QTest::newRow("with_select") << pg << u"WITH a AS (SELECT 1) SELECT * FROM a"_s << K::Dml << false
                                 << false;
    QTest::newRow("pragma") << lite << u"PRAGMA foreign_keys = ON"_s << K::Other << false << false;
    QTest::newRow("begin") << lite << u"BEGIN"_s << K::Other << true << false;
    QTest::newRow("begin_immediate") << lite << u"BEGIN IMMEDIATE TRANSACTION"_s << K::Other << true << false;
    QTest::newRow("commit") << pg << u"COMMIT"_s << K::Other << true << false;
    QTest::newRow("end") << pg << u"END"_s << K::Other << true << false;
    QTest::newRow("rollback_to_savepoint") << pg << u"ROLLBACK TO SAVEPOINT s"_s << K::Other << true << false;
    QTest::newRow("start_transaction") << my << u"START TRANSACTION"_s << K::Other << true << false;
    QTest::newRow("savepoint") << my << u"SAVEPOINT s1"_s << K::Other << true << false;
    QTest::newRow("release_savepoint") << pg << u"RELEASE SAVEPOINT s1"_s << K::Other << true << false;
    QTest::newRow("prepare_transaction") << pg << u"PREPARE TRANSACTION 'x'"_s << K::Other << true << false;
    QTest::newRow("prepare_statement") << pg << u"PREPARE p AS SELECT 1"_s << K::Other << false << false;
    QTest::newRow("xa_start") << my << u"XA START 'x'"_s << K::Other << true << false;
    QTest::newRow("do_block_is_not_begin")
        << pg << u"DO $$ BEGIN NULL; END $$"_s << K::Other << false << false;
}

void TestSqlStatementSplitter::classification()
{
    QFETCH(Backend, backend);
    QFETCH(QString, sql);
    QFETCH(SqlStatement::Kind, kind);
    QFETCH(bool, transactionControl);
    QFETCH(bool, destructive);

    const auto result = SqlStatementSplitter(backend).split(sql);
    QVERIFY(result.hasValue());
    QCOMPARE(result->size(), 1);
    const SqlStatement &st = result->constFirst();
    QCOMPARE(st.kind, kind);
    QCOMPARE(st.transactionControl, transactionControl);
    QCOMPARE(st.destructive, destructive);
}

void TestSqlStatementSplitter::noTransactionMarker()
{
    const QString sql =
        u"CREATE TABLE t (x INT);\n-- migrate:no-transaction\nCREATE INDEX CONCURRENTLY ix ON t (x);\n"
        "SELECT 1;\n--   migrate:no-transaction   \n\nVACUUM;"_s;
    const auto result = SqlStatementSplitter(DatabaseUrl::Backend::PostgreSQL).split(sql);
    QVERIFY(result.hasValue());
    QCOMPARE(result->size(), 4);
    QCOMPARE(result->at(0).noTransaction, false);
    QCOMPARE(result->at(1).noTransaction, true);
    QCOMPARE(result->at(1).line, 3);
    QCOMPARE(result->at(2).noTransaction, false);
    QCOMPARE(result->at(3).noTransaction, true);
    QCOMPARE(result->at(3).text, u"VACUUM"_s);
}

// Whole scripts: <name>.sql split for the backend in the name's prefix, against <name>.expected, which
// holds one "== line:column" header per statement followed by the statement text.
void TestSqlStatementSplitter::scripts_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(QMIGRATE_TEST_DATA_DIR "/splitter"));
    const QStringList files = dir.entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 3);
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

void TestSqlStatementSplitter::scripts()
{
    QFETCH(QString, path);
    const QString name = QFileInfo(path).fileName();
    Backend backend = Backend::SQLite;
    if (name.startsWith("postgresql_"_L1))
        backend = Backend::PostgreSQL;
    else if (name.startsWith("mysql_"_L1))
        backend = Backend::MySQL;
    else
        QVERIFY(name.startsWith("sqlite_"_L1));

    const QString sql = readFile(path);
    QVERIFY(!sql.isEmpty());
    const QString expectedPath = path.chopped(4) + ".expected"_L1;

    const auto result = SqlStatementSplitter(backend).split(sql);
    QVERIFY2(result.hasValue(), qPrintable(result.hasValue() ? QString() : result.error().toString()));
    QString actual;
    for (const SqlStatement &s : *result)
        actual += u"== %1:%2\n%3\n"_s.arg(s.line).arg(s.column).arg(s.text);
    // To add a script: run once with QMIGRATE_REGENERATE=1, then read the .expected file line by line. The
    // comparison below still runs, as after tst_offlinerenderer's regeneration: a write that went wrong
    // fails.
    if (qEnvironmentVariableIsSet("QMIGRATE_REGENERATE")) {
        QFile out(expectedPath);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QVERIFY(out.write(actual.toUtf8()) == actual.toUtf8().size());
    }
    const QString expectedText = readFile(expectedPath);
    QVERIFY(!expectedText.isEmpty());
    QCOMPARE(actual, expectedText);
}

// Every upgrade and downgrade section of the bundled example splits; the counts and first lines below
// were read off the files by hand.
void TestSqlStatementSplitter::bundledExample()
{
    struct Expect
    {
        const char *file;
        int upCount;
        int upFirstLine;
        int downCount;
        int downFirstLine;
    };
    const Expect expectations[] = {
        {"0169b51572d2_create_firmware_tables.sql", 3, 13, 2, 34},
        {"2f2467916363_add_maintenance_windows.sql", 2, 13, 1, 26},
        {"32863478822d_merge_telemetry_into_trunk.sql", 1, 13, 1, 34},
        {"575ce023861c_create_sensors_and_readings_tables.sql", 3, 13, 2, 31},
        {"696e23fe439e_add_primary_sensor_to_devices.sql", 2, 15, 1, 23},
        {"6aa67ef48cab_track_device_firmware_history.sql", 2, 13, 1, 24},
        {"83ca92fed024_create_devices_table.sql", 2, 10, 1, 24},
        {"9abc688b6311_add_contact_email_to_locations.sql", 1, 10, 1, 13},
        {"bcddf3f8350c_add_sensor_alerts.sql", 3, 13, 2, 27},
        {"cf60bc0183a4_create_locations_table.sql", 1, 13, 1, 21},
    };
    const QDir versions(QStringLiteral(QMIGRATE_SOURCE_DIR "/migrations/versions"));
    const QStringList files = versions.entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), qsizetype(std::size(expectations)));
    for (const Expect &e : expectations) {
        const QString path = versions.filePath(QString::fromLatin1(e.file));
        RevisionSections sections;
        const auto revision = SqlRevisionParser::parse(path, readFile(path).toUtf8(), &sections);
        QVERIFY2(revision.hasValue(), qPrintable(path));
        const SqlStatementSplitter splitter(DatabaseUrl::Backend::SQLite);
        const auto up = splitter.split(sections.upgrade(), sections.upgradeLine());
        const auto down = splitter.split(sections.downgrade(), sections.downgradeLine());
        QVERIFY2(up.hasValue() && down.hasValue(), qPrintable(path));
        QCOMPARE(up->size(), e.upCount);
        QCOMPARE(down->size(), e.downCount);
        QCOMPARE(up->constFirst().line, e.upFirstLine);
        QCOMPARE(down->constFirst().line, e.downFirstLine);
        for (const SqlStatement &s : *up)
            QVERIFY(!s.text.endsWith(u';'));
        if (QLatin1StringView(e.file).startsWith("696e23fe439e"_L1)) {
            // The backfill follows a comment line and spans three lines; the comment is not part of it.
            const SqlStatement &backfill = up->at(1);
            QCOMPARE(backfill.line, 18);
            QVERIFY(backfill.text.startsWith("UPDATE devices SET primary_sensor_id = (\n"_L1));
            QVERIFY(backfill.text.endsWith("\n)"_L1));
            QCOMPARE(backfill.text.count(u'\n'), 2);
        }
    }
}

QTEST_GUILESS_MAIN(TestSqlStatementSplitter)
#include "tst_sqlstatementsplitter.moc"
