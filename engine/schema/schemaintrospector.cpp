// SPDX-License-Identifier: MIT
#include "schema/schemaintrospector.h"

#include "database/databaseconnection.h"
#include "database/dialect.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <map>

using namespace Qt::StringLiterals;

namespace qmigrate {

using Backend = DatabaseUrl::Backend;

namespace {

// ---------------------------------------------------------------------------------------------------------
// Expression text: a small tokenizer and a canonical renderer.
//
// Catalogs hand back defaults, checks, index expressions and view bodies either as the user wrote them
// (SQLite keeps the CREATE text) or as the server re-prints them (PostgreSQL, MariaDB). Comparing such text
// byte for byte would make `IN ('a','b')` differ from `IN ('a', 'b')` and `"status"` from `status`, so every
// expression goes through one tokenizer and is printed again in one canonical way.

struct Token
{
    enum class Kind { Word, Quoted, String, Number, Punct };
    Kind kind = Kind::Punct;
    QString text; // Quoted: the name without quotes (unescaped); every other kind: the source text
};

bool isWordStart(QChar c)
{
    return c.isLetter() || c == u'_' || c.unicode() >= 0x80;
}

bool isWordChar(QChar c)
{
    return isWordStart(c) || c.isDigit() || c == u'$';
}

// Reads a quoted run starting at text[i] (the opening quote), doubling `close` as its escape, plus MySQL's
// backslash escapes when backslashEscapes; returns the index after the closing quote (or the end).
qsizetype skipQuoted(const QString &text, qsizetype i, QChar close, bool backslashEscapes)
{
    ++i;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (backslashEscapes && c == u'\\') {
            i += 2;
            continue;
        }
        if (c == close) {
            if (i + 1 < text.size() && text.at(i + 1) == close && close != u']') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return i;
}

QString unquote(const QString &quoted, QChar close)
{
    QString inner = quoted.mid(1, quoted.size() - (quoted.endsWith(close) ? 2 : 1));
    if (close != u']')
        inner.replace(QString(2, close), QString(close));
    return inner;
}

// The lexical rules of each backend, as far as catalog text and hand-written DDL need them: strings '…'
// ('' escapes; MySQL also \ escapes and "…" strings), quoted names "…" (PostgreSQL, SQLite), `…` (MySQL,
// SQLite) and […] (SQLite), comments -- and /* */, which are dropped.
QList<Token> tokenize(const QString &text, Backend backend)
{
    static const QStringList operators = {u"->>"_s, u"::"_s, u"<="_s, u">="_s, u"<>"_s, u"!="_s, u"||"_s,
                                          u"=="_s,  u"->"_s, u"<<"_s, u">>"_s, u"~~"_s, u"!~"_s, u"&&"_s};
    const bool mysql = backend == Backend::MySQL;
    QList<Token> tokens;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < text.size() ? text.at(i + 1) : QChar();
        if (c.isSpace()) {
            ++i;
        } else if (c == u'-' && next == u'-') {
            while (i < text.size() && text.at(i) != u'\n')
                ++i;
        } else if (c == u'/' && next == u'*') {
            const qsizetype end = text.indexOf(u"*/"_s, i + 2);
            i = end < 0 ? text.size() : end + 2;
        } else if (c == u'\'' || (mysql && c == u'"')) {
            const qsizetype end = skipQuoted(text, i, c, mysql);
            QString literal = text.mid(i, end - i);
            if (c == u'"') // MySQL's "…" string is the same literal as '…'
                literal = u'\'' + unquote(literal, c).replace(u'\'', u"''"_s) + u'\'';
            tokens.append({Token::Kind::String, literal});
            i = end;
        } else if (c == u'"' || (c == u'`' && backend != Backend::PostgreSQL) ||
                   (c == u'[' && backend == Backend::SQLite)) {
            const QChar close = c == u'[' ? u']' : c;
            const qsizetype end = skipQuoted(text, i, close, false);
            tokens.append({Token::Kind::Quoted, unquote(text.mid(i, end - i), close)});
            i = end;
        } else if (c.isDigit() || (c == u'.' && next.isDigit()) ||
                   ((c == u'-' || c == u'+') && next.isDigit() &&
                    (tokens.isEmpty() || (tokens.last().kind == Token::Kind::Punct &&
                                          tokens.last().text != u')' && tokens.last().text != u']')))) {
            // A sign directly after an operator, "(" or "," belongs to the number: "-1", not "- 1".
            qsizetype end = i + 1;
            while (end < text.size()) {
                const QChar d = text.at(end);
                if (d.isLetterOrNumber() || d == u'.' || d == u'_') {
                    ++end;
                } else if ((d == u'+' || d == u'-') &&
                           (text.at(end - 1) == u'e' || text.at(end - 1) == u'E')) {
                    ++end;
                } else {
                    break;
                }
            }
            tokens.append({Token::Kind::Number, text.mid(i, end - i)});
            i = end;
        } else if (isWordStart(c)) {
            qsizetype end = i + 1;
            while (end < text.size() && isWordChar(text.at(end)))
                ++end;
            tokens.append({Token::Kind::Word, text.mid(i, end - i)});
            i = end;
        } else {
            QString op(c);
            for (const QString &candidate : operators) {
                if (QStringView(text).mid(i).startsWith(candidate)) {
                    op = candidate;
                    break;
                }
            }
            tokens.append({Token::Kind::Punct, op});
            i += op.size();
        }
    }
    return tokens;
}

bool isPunct(const Token &token, QStringView text)
{
    return token.kind == Token::Kind::Punct && token.text == text;
}

bool isWord(const Token &token, QStringView lowerCaseWord)
{
    return token.kind == Token::Kind::Word && token.text.compare(lowerCaseWord, Qt::CaseInsensitive) == 0;
}

// The index of the ")" matching the "(" at open, or -1.
qsizetype matchingParen(const QList<Token> &tokens, qsizetype open)
{
    int depth = 0;
    for (qsizetype i = open; i < tokens.size(); ++i) {
        if (isPunct(tokens.at(i), u"("))
            ++depth;
        else if (isPunct(tokens.at(i), u")") && --depth == 0)
            return i;
    }
    return -1;
}

bool isPlainName(const QString &name)
{
    static const QRegularExpression plain(u"^[a-z_][a-z0-9_$]*$"_s);
    return plain.match(name).hasMatch();
}

// Folds case and quoting so that equivalent spellings become the same tokens:
//  - bare words are lower-cased: PostgreSQL folds unquoted names to lower case, SQLite and MariaDB compare
//    keywords and column names case-insensitively, and the servers print keywords in either case;
//  - a quoted name that needs no quotes loses them ("status" is status; "order" keeps them, or the text would
//    not parse again when autogenerate writes it back). SQLite compares even quoted names
//    case-insensitively, so its quoted names are lower-cased too; PostgreSQL's and MariaDB's keep their case
//    and stay quoted when they need it;
//  - `qualifier`.name loses the qualifier: MariaDB prints view bodies with the database name, which differs
//    between two scratch databases holding the same schema.
QList<Token> foldTokens(const QList<Token> &tokens, Backend backend, const QString &dropQualifier = {})
{
    const Dialect dialect = Dialect::forBackend(backend);
    QList<Token> folded;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        Token token = tokens.at(i);
        if (!dropQualifier.isEmpty() &&
            (token.kind == Token::Kind::Word || token.kind == Token::Kind::Quoted) &&
            token.text == dropQualifier && i + 1 < tokens.size() && isPunct(tokens.at(i + 1), u".")) {
            ++i;
            continue;
        }
        if (token.kind == Token::Kind::Word) {
            token.text = token.text.toLower();
        } else if (token.kind == Token::Kind::Quoted) {
            const QString name = backend == Backend::SQLite ? token.text.toLower() : token.text;
            if (isPlainName(name) && !dialect.isReservedWord(name))
                token = {Token::Kind::Word, name};
            else
                token.text = dialect.quoteIdentifier(name);
        }
        folded.append(token);
    }
    return folded;
}

// Removes parentheses around the whole expression: DEFAULT (0) and DEFAULT 0 are one default, CHECK
// ((a > b)) and CHECK (a > b) one check.
QList<Token> withoutOuterParens(QList<Token> tokens)
{
    while (tokens.size() >= 2 && isPunct(tokens.first(), u"(") &&
           matchingParen(tokens, 0) == tokens.size() - 1)
        tokens = tokens.mid(1, tokens.size() - 2);
    return tokens;
}

// Words after which "(" opens a list or subquery rather than a function's arguments: "in (…)", "and (…)".
bool spacedBeforeParen(const QString &word)
{
    static const QSet<QString> words = {
        u"in"_s,   u"and"_s,   u"or"_s,     u"not"_s,  u"exists"_s,  u"as"_s,       u"on"_s,   u"when"_s,
        u"then"_s, u"else"_s,  u"is"_s,     u"like"_s, u"between"_s, u"select"_s,   u"from"_s, u"where"_s,
        u"join"_s, u"check"_s, u"values"_s, u"with"_s, u"by"_s,      u"case"_s,     u"any"_s,  u"all"_s,
        u"some"_s, u"union"_s, u"using"_s,  u"over"_s, u"except"_s,  u"intersect"_s};
    return words.contains(word);
}

// One space between tokens except inside parentheses and brackets, before "," and ";", around "." and
// "::", and between a function name and its "(".
QString renderTokens(const QList<Token> &tokens)
{
    QString out;
    const Token *previous = nullptr;
    for (const Token &token : tokens) {
        if (previous) {
            bool space = true;
            const bool nameBefore =
                previous->kind == Token::Kind::Word || previous->kind == Token::Kind::Quoted;
            if (isPunct(*previous, u"(") || isPunct(*previous, u"[") || isPunct(token, u")") ||
                isPunct(token, u"]") || isPunct(token, u",") || isPunct(token, u";") ||
                isPunct(token, u".") || isPunct(*previous, u".") || isPunct(token, u"::") ||
                isPunct(*previous, u"::")) {
                space = false;
            } else if (isPunct(token, u"(")) {
                space = !(previous->kind == Token::Kind::Quoted ||
                          (previous->kind == Token::Kind::Word && !spacedBeforeParen(previous->text)));
            } else if (isPunct(token, u"[")) {
                space = !(nameBefore || isPunct(*previous, u")") || isPunct(*previous, u"]") ||
                          previous->kind == Token::Kind::String);
            }
            if (space)
                out += u' ';
        }
        out += token.text;
        previous = &token;
    }
    return out;
}

QString normaliseTokens(const QList<Token> &tokens, Backend backend, const QString &dropQualifier = {})
{
    return renderTokens(withoutOuterParens(foldTokens(tokens, backend, dropQualifier)));
}

QString normaliseExpression(const QString &text, Backend backend, const QString &dropQualifier = {})
{
    QList<Token> tokens = tokenize(text, backend);
    while (!tokens.isEmpty() && isPunct(tokens.last(), u";"))
        tokens.removeLast();
    return normaliseTokens(tokens, backend, dropQualifier);
}

// A default as the catalog gives it, normalised; none for no default or DEFAULT NULL (a nullable column
// defaults to NULL either way, and NOT NULL DEFAULT NULL only differs in error messages).
std::optional<QString> normaliseDefault(const QList<Token> &tokens, Backend backend)
{
    QString text = normaliseTokens(tokens, backend);
    if (text.isEmpty() || text == "null"_L1)
        return std::nullopt;
    // The same clock, spelled differently: MariaDB prints CURRENT_TIMESTAMP back as current_timestamp(),
    // PostgreSQL keeps now() apart from CURRENT_TIMESTAMP although both are transaction_timestamp(), and
    // MariaDB's NOW() is CURRENT_TIMESTAMP's synonym. SQLite has no now(), so there it stays what it is.
    static const QHash<QString, QString> clocks = {
        {u"current_timestamp()"_s, u"current_timestamp"_s},
        {u"current_date()"_s, u"current_date"_s},
        {u"current_time()"_s, u"current_time"_s},
    };
    text = clocks.value(text, text);
    if (backend != Backend::SQLite && text == "now()"_L1)
        text = u"current_timestamp"_s;
    return text;
}

std::optional<QString> normaliseDefault(const QString &text, Backend backend)
{
    return normaliseDefault(tokenize(text, backend), backend);
}

// ---------------------------------------------------------------------------------------------------------
// Catalog access.

EngineError queryError(const QString &what, const QSqlQuery &query)
{
    return EngineError(
        u"cannot read %1: %2"_s.arg(what, DatabaseConnection::serverMessage(query.lastError())),
        EngineError::Kind::Database);
}

// Runs sql with its bound values; on failure the error names what was being read.
Expected<void> run(QSqlQuery &query, const QString &sql, const QVariantList &values, const QString &what)
{
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return queryError(what, query);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec())
        return queryError(what, query);
    return {};
}

QStringList jsonStrings(const QVariant &value)
{
    QStringList list;
    const QJsonArray array = QJsonDocument::fromJson(value.toString().toUtf8()).array();
    for (const QJsonValue &item : array)
        list.append(item.toString());
    return list;
}

class Excluded
{
public:
    Excluded(const IntrospectOptions &options, bool caseInsensitive)
        : m_caseInsensitive(caseInsensitive)
    {
        for (const QString &name : options.excludedTables)
            m_names.insert(fold(name));
        m_names.insert(fold(options.versionTable));
        m_names.insert(u"qmigrate_history"_s);
    }
    bool contains(const QString &name) const { return m_names.contains(fold(name)); }

private:
    QString fold(const QString &name) const { return m_caseInsensitive ? name.toLower() : name; }
    bool m_caseInsensitive;
    QSet<QString> m_names;
};

// Foreign key actions in one spelling: lower case, as the rest of the snapshot.
QString actionName(const QString &action)
{
    return action.trimmed().toLower();
}

// ---------------------------------------------------------------------------------------------------------
// SQLite: sqlite_master and the table-valued pragma functions.

struct SqliteCreateTable
{
    bool autoIncrement = false;
    bool withoutRowid = false;
    QList<SchemaCheck> checks;
};

QString sqliteName(const Token &token)
{
    return token.text.toLower();
}

// What only the CREATE TABLE text says: CHECK constraints (with their CONSTRAINT name, if any), the
// AUTOINCREMENT keyword and WITHOUT ROWID. The tokenizer skips strings, quoted names and comments, so a
// "check" inside them is never taken for the keyword; a column named check must be quoted in SQLite and
// then is a Quoted token, not a Word.
SqliteCreateTable parseSqliteCreateTable(const QString &sql)
{
    SqliteCreateTable result;
    const QList<Token> tokens = tokenize(sql, Backend::SQLite);
    qsizetype open = -1;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        if (isPunct(tokens.at(i), u"(")) {
            open = i;
            break;
        }
    }
    if (open < 0)
        return result; // CREATE TABLE … AS SELECT: no constraints to find
    const qsizetype close = matchingParen(tokens, open);
    const qsizetype end = close < 0 ? tokens.size() : close;
    int depth = 0;
    QString pendingName;
    qsizetype pendingAt = -1;
    for (qsizetype i = open + 1; i < end; ++i) {
        const Token &token = tokens.at(i);
        if (isPunct(token, u"(")) {
            ++depth;
        } else if (isPunct(token, u")")) {
            --depth;
        } else if (isWord(token, u"autoincrement")) {
            result.autoIncrement = true;
        } else if (depth == 0 && isWord(token, u"constraint") && i + 1 < end) {
            pendingName = sqliteName(tokens.at(i + 1));
            pendingAt = i + 2;
            ++i;
        } else if (depth == 0 && isWord(token, u"check") && i + 1 < end && isPunct(tokens.at(i + 1), u"(")) {
            const qsizetype exprClose = matchingParen(tokens, i + 1);
            if (exprClose < 0)
                break;
            result.checks.append({i == pendingAt ? pendingName : QString(),
                                  normaliseTokens(tokens.mid(i + 2, exprClose - i - 2), Backend::SQLite)});
            i = exprClose;
        }
    }
    for (qsizetype i = end + 1; i + 1 < tokens.size(); ++i) {
        if (isWord(tokens.at(i), u"without") && isWord(tokens.at(i + 1), u"rowid"))
            result.withoutRowid = true;
    }
    return result;
}

struct SqliteCreateIndex
{
    QList<QList<Token>> items; // the indexed expressions as written, ASC/DESC/COLLATE removed
    QString where;
};

SqliteCreateIndex parseSqliteCreateIndex(const QString &sql)
{
    SqliteCreateIndex result;
    const QList<Token> tokens = tokenize(sql, Backend::SQLite);
    qsizetype open = -1;
    for (qsizetype i = 0; i + 2 < tokens.size(); ++i) {
        if (isWord(tokens.at(i), u"on") && isPunct(tokens.at(i + 2), u"(")) {
            open = i + 2;
            break;
        }
    }
    if (open < 0)
        return result;
    const qsizetype close = matchingParen(tokens, open);
    if (close < 0)
        return result;
    QList<Token> item;
    int depth = 0;
    const auto finishItem = [&result, &item] {
        // The key's options are not part of the expression (pragma_index_xinfo reports desc itself).
        if (item.size() >= 1 && (isWord(item.last(), u"asc") || isWord(item.last(), u"desc")))
            item.removeLast();
        if (item.size() >= 2 && isWord(item.at(item.size() - 2), u"collate"))
            item.resize(item.size() - 2);
        result.items.append(item);
        item.clear();
    };
    for (qsizetype i = open + 1; i < close; ++i) {
        const Token &token = tokens.at(i);
        if (isPunct(token, u"("))
            ++depth;
        else if (isPunct(token, u")"))
            --depth;
        if (depth == 0 && isPunct(token, u",")) {
            finishItem();
            continue;
        }
        item.append(token);
    }
    finishItem();
    if (close + 1 < tokens.size() && isWord(tokens.at(close + 1), u"where"))
        result.where = normaliseTokens(tokens.mid(close + 2), Backend::SQLite);
    return result;
}

// The SELECT of a CREATE VIEW: everything after the first AS outside parentheses (a column list in
// parentheses may come before it).
QString sqliteViewDefinition(const QString &sql)
{
    const QList<Token> tokens = tokenize(sql, Backend::SQLite);
    int depth = 0;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        if (isPunct(tokens.at(i), u"("))
            ++depth;
        else if (isPunct(tokens.at(i), u")"))
            --depth;
        else if (depth == 0 && isWord(tokens.at(i), u"as"))
            return normaliseTokens(tokens.mid(i + 1), Backend::SQLite);
    }
    return normaliseTokens(tokens, Backend::SQLite);
}

class SqliteReader
{
public:
    SqliteReader(QSqlDatabase &db, const IntrospectOptions &options)
        : m_db(db)
        , m_schema(options.schema.isEmpty() ? u"main"_s : options.schema)
        , m_excluded(options, true)
    {}

    Expected<SchemaSnapshot> read()
    {
        QSqlQuery query(m_db);
        if (auto done = run(query, u"SELECT 1 FROM pragma_database_list WHERE name = ?"_s, {m_schema},
                            u"the attached databases"_s);
            !done)
            return done.error();
        if (!query.next())
            return EngineError(
                u"cannot read the schema: SQLite has no attached database named '%1'"_s.arg(m_schema),
                EngineError::Kind::Database);

        // sqlite_% objects are SQLite's own (sqlite_sequence, sqlite_stat1, …); virtual tables are left out
        // with them for now: their shadow tables are implementation detail of the module.
        const QString master =
            Dialect::forBackend(Backend::SQLite).quoteIdentifier(m_schema) + u".sqlite_master"_s;
        if (auto done = run(query,
                            u"SELECT type, name, sql FROM %1 WHERE type IN ('table', 'view', 'index') "
                            u"AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"_s.arg(master),
                            {}, u"the table list (sqlite_master)"_s);
            !done)
            return done.error();
        struct Object
        {
            QString type, name, sql;
        };
        QList<Object> objects;
        while (query.next()) {
            objects.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toString()});
            if (objects.last().type == "index"_L1)
                m_indexSql.insert(objects.last().name, objects.last().sql);
        }

        SchemaSnapshot snapshot;
        for (const Object &object : objects) {
            if (object.type == "view"_L1) {
                snapshot.views.append({object.name.toLower(), sqliteViewDefinition(object.sql)});
            } else if (object.type == "table"_L1 && !m_excluded.contains(object.name) &&
                       !object.sql.startsWith(u"CREATE VIRTUAL"_s, Qt::CaseInsensitive)) {
                Expected<SchemaTable> table = readTable(object.name, object.sql);
                if (!table)
                    return table.error();
                snapshot.tables.append(std::move(*table));
            }
        }
        snapshot.sort();
        return snapshot;
    }

private:
    Expected<QStringList> primaryKeyColumns(const QString &table)
    {
        QSqlQuery query(m_db);
        if (auto done = run(query, u"SELECT name FROM pragma_table_xinfo(?, ?) WHERE pk > 0 ORDER BY pk"_s,
                            {table, m_schema}, u"the primary key of table %1"_s.arg(table));
            !done)
            return done.error();
        QStringList columns;
        while (query.next())
            columns.append(query.value(0).toString().toLower());
        return columns;
    }

    Expected<SchemaTable> readTable(const QString &name, const QString &sql)
    {
        SchemaTable table;
        table.name = name.toLower();
        const SqliteCreateTable parsed = parseSqliteCreateTable(sql);
        table.checks = parsed.checks;

        QSqlQuery query(m_db);
        // hidden: 0 ordinary, 1 hidden (virtual tables), 2 and 3 generated columns (kept: they are columns).
        if (auto done = run(query,
                            u"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?, ?) "
                            u"WHERE hidden <> 1 ORDER BY cid"_s,
                            {name, m_schema}, u"the columns of table %1"_s.arg(name));
            !done)
            return done.error();
        QList<std::pair<int, QString>> keyParts;
        while (query.next()) {
            SchemaColumn column;
            column.name = query.value(0).toString().toLower();
            // The declared type is kept as written (SQLite only derives an affinity from it, so the text is
            // all there is to compare), in lower case with canonical spacing: VARCHAR (64) is varchar(64).
            column.type = renderTokens(
                foldTokens(tokenize(query.value(1).toString(), Backend::SQLite), Backend::SQLite));
            column.nullable = query.value(2).toInt() == 0;
            if (!query.value(3).isNull()) {
                QList<Token> tokens = tokenize(query.value(3).toString(), Backend::SQLite);
                // DEFAULT "x": a default cannot name a column, so SQLite takes the quoted name for the
                // string 'x' (its double-quoted string fallback), and so does the snapshot.
                if (tokens.size() == 1 && tokens.first().kind == Token::Kind::Quoted)
                    tokens.first() = {Token::Kind::String,
                                      u'\'' + tokens.first().text.replace(u'\'', u"''"_s) + u'\''};
                column.defaultExpr = normaliseDefault(tokens, Backend::SQLite);
            }
            if (const int pk = query.value(4).toInt(); pk > 0)
                keyParts.append({pk, column.name});
            table.columns.append(column);
        }
        std::sort(keyParts.begin(), keyParts.end());
        for (const auto &part : keyParts)
            table.primaryKey.columns.append(part.second);
        // A single INTEGER PRIMARY KEY column of a rowid table is the rowid itself: it cannot hold NULL
        // (inserting NULL assigns the next rowid) whatever the catalog's notnull says, and AUTOINCREMENT
        // can only stand on it.
        if (keyParts.size() == 1 && !parsed.withoutRowid) {
            for (SchemaColumn &column : table.columns) {
                if (column.name == keyParts.first().second && column.type == "integer"_L1) {
                    column.nullable = false;
                    column.autoIncrement = parsed.autoIncrement;
                }
            }
        }

        if (auto done = readIndexes(name, table); !done)
            return done.error();
        if (auto done = readForeignKeys(name, table); !done)
            return done.error();
        return table;
    }

    Expected<void> readIndexes(const QString &tableName, SchemaTable &table)
    {
        QSqlQuery list(m_db);
        if (auto done =
                run(list,
                    u"SELECT name, \"unique\", origin, partial FROM pragma_index_list(?, ?) ORDER BY name"_s,
                    {tableName, m_schema}, u"the indexes of table %1"_s.arg(tableName));
            !done)
            return done;
        struct IndexRow
        {
            QString name;
            bool unique;
            QString origin;
            bool partial;
        };
        QList<IndexRow> rows;
        while (list.next()) {
            rows.append({list.value(0).toString(), list.value(1).toInt() != 0, list.value(2).toString(),
                         list.value(3).toInt() != 0});
        }
        for (const IndexRow &row : rows) {
            // The primary key's own index (origin pk) is the primary key, read from the columns above.
            if (row.origin == "pk"_L1)
                continue;
            QSqlQuery info(m_db);
            if (auto done = run(info,
                                u"SELECT cid, name, \"desc\" FROM pragma_index_xinfo(?, ?) WHERE key = 1 "
                                u"ORDER BY seqno"_s,
                                {row.name, m_schema}, u"the columns of index %1"_s.arg(row.name));
                !done)
                return done;
            const SqliteCreateIndex parsed = row.origin == "c"_L1
                                                 ? parseSqliteCreateIndex(m_indexSql.value(row.name))
                                                 : SqliteCreateIndex();
            QStringList columns;
            for (int position = 0; info.next(); ++position) {
                QString column;
                if (info.value(0).toInt() == -2) // an expression: only the CREATE INDEX text has it
                    column = u'(' + normaliseTokens(parsed.items.value(position), Backend::SQLite) + u')';
                else
                    column = info.value(1).toString().toLower();
                if (info.value(2).toInt() != 0)
                    column += u" desc"_s;
                columns.append(column);
            }
            // An automatic index behind UNIQUE (origin u) is the constraint; its sqlite_autoindex_* name is
            // SQLite's invention and would differ with the order of the constraints, so it is not kept.
            if (row.origin == "u"_L1) {
                table.uniqueConstraints.append({QString(), columns});
                continue;
            }
            SchemaIndex index;
            index.name = row.name.toLower();
            index.columns = columns;
            index.unique = row.unique;
            if (row.partial)
                index.where = parsed.where;
            table.indexes.append(index);
        }
        return {};
    }

    Expected<void> readForeignKeys(const QString &tableName, SchemaTable &table)
    {
        QSqlQuery query(m_db);
        if (auto done = run(query,
                            u"SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                            u"FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq"_s,
                            {tableName, m_schema}, u"the foreign keys of table %1"_s.arg(tableName));
            !done)
            return done;
        std::map<int, SchemaForeignKey> keys;
        QHash<int, QString> referencedAsWritten;
        bool referencesPrimaryKey = false;
        while (query.next()) {
            SchemaForeignKey &key = keys[query.value(0).toInt()];
            key.referencedTable = query.value(1).toString().toLower();
            referencedAsWritten.insert(query.value(0).toInt(), query.value(1).toString());
            key.columns.append(query.value(2).toString().toLower());
            if (query.value(3).isNull())
                referencesPrimaryKey = true;
            else
                key.referencedColumns.append(query.value(3).toString().toLower());
            key.onUpdate = actionName(query.value(4).toString());
            key.onDelete = actionName(query.value(5).toString());
        }
        for (auto &[id, key] : keys) {
            // REFERENCES parent without a column list means the parent's primary key: spelled out, so that
            // both ways of writing the same key compare equal.
            if (referencesPrimaryKey && key.referencedColumns.isEmpty()) {
                Expected<QStringList> columns = primaryKeyColumns(referencedAsWritten.value(id));
                if (!columns)
                    return columns.error();
                key.referencedColumns = *columns;
            }
            table.foreignKeys.append(key);
        }
        return {};
    }

    QSqlDatabase &m_db;
    QString m_schema;
    Excluded m_excluded;
    QHash<QString, QString> m_indexSql;
};

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL: pg_catalog, one query per kind of object for the whole schema.

bool isPostgresStringType(const QString &type)
{
    return type == "text"_L1 || type.startsWith("character varying"_L1) || type.startsWith("character("_L1) ||
           type == "character"_L1;
}

// PostgreSQL prints a default literal with a cast to the column's type ('active'::character varying on a
// character varying(16) column, 'x'::text on text): the cast adds nothing, and DDL that wrote the literal
// without it must compare equal. A string literal cast to text or unbounded character varying on a string
// column ('active'::text on a varchar column, which PostgreSQL keeps as written) stores the same value too.
// NULL::anything is NULL. Every other cast changes or checks the value and is kept.
QList<Token> withoutOwnTypeCast(const QList<Token> &tokens, const QString &columnType)
{
    if (tokens.size() < 3 || !isPunct(tokens.at(1), u"::"))
        return tokens;
    const Token &literal = tokens.first();
    if (literal.kind != Token::Kind::String && literal.kind != Token::Kind::Number &&
        !isWord(literal, u"null"))
        return tokens;
    const QString castType = renderTokens(foldTokens(tokens.mid(2), Backend::PostgreSQL));
    const QString baseType = columnType.section(u'(', 0, 0);
    const bool sameString = literal.kind == Token::Kind::String && isPostgresStringType(columnType) &&
                            (castType == "text"_L1 || castType == "character varying"_L1);
    if (castType == columnType || castType == baseType || sameString || isWord(literal, u"null"))
        return {literal};
    return tokens;
}

QString postgresAction(const QString &code)
{
    // pg_constraint.confdeltype / confupdtype
    static const QHash<QString, QString> names = {{u"a"_s, u"no action"_s},
                                                  {u"r"_s, u"restrict"_s},
                                                  {u"c"_s, u"cascade"_s},
                                                  {u"n"_s, u"set null"_s},
                                                  {u"d"_s, u"set default"_s}};
    return names.value(code, code);
}

class PostgresReader
{
public:
    PostgresReader(QSqlDatabase &db, const IntrospectOptions &options)
        : m_db(db)
        , m_schema(options.schema.isEmpty() ? u"public"_s : options.schema)
        , m_excluded(options, false)
    {}

    Expected<SchemaSnapshot> read()
    {
        if (auto done = readColumns(); !done)
            return done.error();
        if (auto done = readConstraints(); !done)
            return done.error();
        if (auto done = readIndexes(); !done)
            return done.error();
        if (auto done = readViews(); !done)
            return done.error();
        SchemaSnapshot snapshot;
        for (auto &[name, table] : m_tables)
            snapshot.tables.append(std::move(table));
        snapshot.views = m_views;
        snapshot.sort();
        return snapshot;
    }

private:
    // Ordinary and partitioned tables; partitions are part of their parent.
    static QString tablesCondition()
    {
        return u"n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition"_s;
    }

    SchemaTable *table(const QString &name)
    {
        auto it = m_tables.find(name);
        return it == m_tables.end() ? nullptr : &it->second;
    }

    Expected<void> readColumns()
    {
        QSqlQuery query(m_db);
        if (auto done =
                run(query,
                    u"SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
                    u"a.attnotnull, "
                    u"pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated "
                    u"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    u"LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT "
                    u"a.attisdropped "
                    u"LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                    u"WHERE "_s +
                        tablesCondition() + u" ORDER BY c.relname, a.attnum"_s,
                    {m_schema}, u"the columns of schema %1"_s.arg(m_schema));
            !done)
            return done;
        static const QRegularExpression sequenceDefault(u"^nextval\\('.*'(::regclass)?\\)$"_s);
        while (query.next()) {
            const QString tableName = query.value(0).toString();
            if (m_excluded.contains(tableName))
                continue;
            SchemaTable &entry = m_tables[tableName];
            entry.name = tableName;
            if (query.value(1).isNull())
                continue; // CREATE TABLE t (): a table without columns is still a table
            SchemaColumn column;
            column.name = query.value(1).toString();
            // format_type is PostgreSQL's one spelling of a type: int4 and int are integer, varchar(n) is
            // character varying(n), bool is boolean, timestamp is timestamp without time zone.
            column.type = query.value(2).toString();
            column.nullable = !query.value(3).toBool();
            const QString defaultText = query.value(4).toString();
            const QString identity = query.value(5).toString();
            const QString generated = query.value(6).toString();
            if (!identity.isEmpty()) {
                column.autoIncrement = true; // GENERATED … AS IDENTITY
            } else if (sequenceDefault.match(defaultText).hasMatch()) {
                // serial/bigserial: the sequence's name is derived from the table's, so it is not compared.
                column.autoIncrement = true;
            } else if (generated == "s"_L1) {
                column.defaultExpr = u"generated always as (%1) stored"_s.arg(
                    normaliseExpression(defaultText, Backend::PostgreSQL));
            } else if (!query.value(4).isNull()) {
                column.defaultExpr = normaliseDefault(
                    withoutOwnTypeCast(tokenize(defaultText, Backend::PostgreSQL), column.type),
                    Backend::PostgreSQL);
            }
            entry.columns.append(column);
        }
        return {};
    }

    Expected<void> readConstraints()
    {
        QSqlQuery query(m_db);
        // Column lists come as JSON arrays in key order, so names with commas or quotes survive.
        if (auto done = run(
                query,
                u"SELECT c.relname, con.conname, con.contype, "
                u"(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY "
                u"AS k(attnum, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND "
                u"a.attnum = k.attnum)::text, "
                u"CASE WHEN rn.nspname = n.nspname THEN rc.relname ELSE rn.nspname || '.' || rc.relname END, "
                u"(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY "
                u"AS k(attnum, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND "
                u"a.attnum = k.attnum)::text, "
                u"con.confdeltype, con.confupdtype, pg_catalog.pg_get_constraintdef(con.oid, true) "
                u"FROM pg_catalog.pg_constraint con "
                u"JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
                u"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                u"LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
                u"LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
                u"WHERE "_s +
                    tablesCondition() +
                    u" AND con.contype IN ('p', 'u', 'f', 'c') ORDER BY c.relname, con.conname"_s,
                {m_schema}, u"the constraints of schema %1"_s.arg(m_schema));
            !done)
            return done;
        while (query.next()) {
            SchemaTable *entry = table(query.value(0).toString());
            if (!entry)
                continue;
            const QString name = query.value(1).toString();
            const QString type = query.value(2).toString();
            const QStringList columns = jsonStrings(query.value(3));
            if (type == "p"_L1) {
                entry->primaryKey = {name, columns};
            } else if (type == "u"_L1) {
                entry->uniqueConstraints.append({name, columns});
            } else if (type == "f"_L1) {
                SchemaForeignKey key;
                key.name = name;
                key.columns = columns;
                key.referencedTable = query.value(4).toString();
                key.referencedColumns = jsonStrings(query.value(5));
                key.onDelete = postgresAction(query.value(6).toString());
                key.onUpdate = postgresAction(query.value(7).toString());
                entry->foreignKeys.append(key);
            } else {
                // "CHECK (expression)" [NOT VALID]: the keyword goes, the expression is compared.
                QList<Token> tokens = tokenize(query.value(8).toString(), Backend::PostgreSQL);
                if (!tokens.isEmpty() && isWord(tokens.first(), u"check"))
                    tokens.removeFirst();
                entry->checks.append({name, normaliseTokens(tokens, Backend::PostgreSQL)});
            }
        }
        return {};
    }

    Expected<void> readIndexes()
    {
        QSqlQuery query(m_db);
        // Indexes that only back a primary key, unique or exclusion constraint are that constraint.
        // Per key column: its table column's number (0 for an expression), the column's name, the
        // expression as PostgreSQL prints it, and the DESC flag (bit 0 of indoption).
        if (auto done =
                run(query,
                    u"SELECT c.relname, i.relname, ix.indisunique, "
                    u"(SELECT json_agg(json_build_array(ix.indkey[k - 1], "
                    u"(SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = ix.indrelid AND "
                    u"a.attnum = ix.indkey[k - 1]), pg_catalog.pg_get_indexdef(ix.indexrelid, k, true), "
                    u"(ix.indoption[k - 1]::integer & 1)) ORDER BY k) "
                    u"FROM generate_series(1, ix.indnkeyatts) AS k)::text, "
                    u"pg_catalog.pg_get_expr(ix.indpred, ix.indrelid, true), am.amname "
                    u"FROM pg_catalog.pg_index ix "
                    u"JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
                    u"JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid "
                    u"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    u"JOIN pg_catalog.pg_am am ON am.oid = i.relam "
                    u"WHERE "_s +
                        tablesCondition() +
                        u" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = "
                        u"ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x')) "
                        u"ORDER BY c.relname, i.relname"_s,
                    {m_schema}, u"the indexes of schema %1"_s.arg(m_schema));
            !done)
            return done;
        while (query.next()) {
            SchemaTable *entry = table(query.value(0).toString());
            if (!entry)
                continue;
            SchemaIndex index;
            index.name = query.value(1).toString();
            index.unique = query.value(2).toBool();
            const QJsonArray keys = QJsonDocument::fromJson(query.value(3).toString().toUtf8()).array();
            for (const QJsonValue &value : keys) {
                const QJsonArray key = value.toArray();
                QString column =
                    key.at(0).toInt() == 0
                        ? u'(' + normaliseExpression(key.at(2).toString(), Backend::PostgreSQL) + u')'
                        : key.at(1).toString();
                if (key.at(3).toInt() != 0)
                    column += u" desc"_s;
                index.columns.append(column);
            }
            if (!query.value(4).isNull())
                index.where = normaliseExpression(query.value(4).toString(), Backend::PostgreSQL);
            if (const QString method = query.value(5).toString(); method != "btree"_L1)
                index.method = method;
            entry->indexes.append(index);
        }
        return {};
    }

    Expected<void> readViews()
    {
        QSqlQuery query(m_db);
        if (auto done =
                run(query,
                    u"SELECT c.relname, pg_catalog.pg_get_viewdef(c.oid, true) FROM pg_catalog.pg_class c "
                    u"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    u"WHERE n.nspname = ? AND c.relkind = 'v' ORDER BY c.relname"_s,
                    {m_schema}, u"the views of schema %1"_s.arg(m_schema));
            !done)
            return done;
        while (query.next())
            m_views.append({query.value(0).toString(),
                            normaliseExpression(query.value(1).toString(), Backend::PostgreSQL)});
        return {};
    }

    QSqlDatabase &m_db;
    QString m_schema;
    Excluded m_excluded;
    std::map<QString, SchemaTable> m_tables;
    QList<SchemaView> m_views;
};

// ---------------------------------------------------------------------------------------------------------
// MariaDB (and MySQL): information_schema, one query per kind of object for the whole database.

// COLUMN_TYPE without integer display widths: int(11) and int(10) are the same int (the width only pads
// output, and MySQL 8 stopped printing it), but tinyint(1) is how MariaDB spells BOOLEAN and stays apart
// from tinyint. Attributes after the type (unsigned, zerofill) are kept.
QString mariadbType(const QString &columnType)
{
    static const QRegularExpression displayWidth(
        u"^(tinyint|smallint|mediumint|int|integer|bigint)\\((\\d+)\\)"_s);
    QString type = columnType.trimmed().toLower();
    const QRegularExpressionMatch match = displayWidth.match(type);
    if (match.hasMatch() && !(match.captured(1) == "tinyint"_L1 && match.captured(2) == "1"_L1))
        type = match.captured(1) + type.mid(match.capturedEnd(0));
    return type;
}

QString mariadbAction(const QString &rule)
{
    // InnoDB treats NO ACTION as RESTRICT and reports RESTRICT when the DDL named no action at all: one
    // spelling, the standard's default, so that "no clause" compares equal on every backend's dump.
    const QString action = actionName(rule);
    return action == "restrict"_L1 ? u"no action"_s : action;
}

class MariadbReader
{
public:
    MariadbReader(QSqlDatabase &db, const IntrospectOptions &options)
        : m_db(db)
        , m_schema(options.schema)
        , m_excluded(options, false)
    {}

    Expected<SchemaSnapshot> read()
    {
        if (m_schema.isEmpty()) {
            QSqlQuery query(m_db);
            if (auto done = run(query, u"SELECT DATABASE()"_s, {}, u"the current database"_s); !done)
                return done.error();
            if (!query.next() || query.value(0).isNull())
                return EngineError(u"cannot read the schema: the connection has no current database"_s,
                                   EngineError::Kind::Database);
            m_schema = query.value(0).toString();
        }
        for (const auto step :
             {&MariadbReader::readTables, &MariadbReader::readColumns, &MariadbReader::readIndexes,
              &MariadbReader::readForeignKeys, &MariadbReader::readChecks, &MariadbReader::readViews}) {
            if (auto done = (this->*step)(); !done)
                return done.error();
        }
        SchemaSnapshot snapshot;
        for (auto &[name, table] : m_tables)
            snapshot.tables.append(std::move(table));
        snapshot.views = m_views;
        snapshot.sort();
        return snapshot;
    }

private:
    SchemaTable *table(const QString &name)
    {
        auto it = m_tables.find(name);
        return it == m_tables.end() ? nullptr : &it->second;
    }

    Expected<void> readTables()
    {
        QSqlQuery query(m_db);
        if (auto done = run(query,
                            u"SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "
                            u"AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')"_s,
                            {m_schema}, u"the tables of database %1"_s.arg(m_schema));
            !done)
            return done;
        while (query.next()) {
            const QString name = query.value(0).toString();
            if (!m_excluded.contains(name))
                m_tables[name].name = name;
        }
        return {};
    }

    Expected<void> readColumns()
    {
        QSqlQuery query(m_db);
        if (auto done =
                run(query,
                    u"SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA "
                    u"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? "
                    u"ORDER BY TABLE_NAME, ORDINAL_POSITION"_s,
                    {m_schema}, u"the columns of database %1"_s.arg(m_schema));
            !done)
            return done;
        while (query.next()) {
            SchemaTable *entry = table(query.value(0).toString());
            if (!entry)
                continue; // a view's columns, or an excluded table's
            SchemaColumn column;
            column.name = query.value(1).toString();
            column.type = mariadbType(query.value(2).toString());
            column.nullable = query.value(3).toString() == "YES"_L1;
            // Since 10.2.7 COLUMN_DEFAULT is an expression: SQL NULL means no default, the text NULL means
            // DEFAULT NULL (which every nullable column has, so both are none), literals come quoted.
            if (!query.value(4).isNull())
                column.defaultExpr = normaliseDefault(query.value(4).toString(), Backend::MySQL);
            column.autoIncrement =
                query.value(5).toString().contains(u"auto_increment"_s, Qt::CaseInsensitive);
            entry->columns.append(column);
        }
        return {};
    }

    Expected<void> readIndexes()
    {
        QSqlQuery query(m_db);
        if (auto done = run(query,
                            u"SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, "
                            u"INDEX_TYPE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? "
                            u"ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"_s,
                            {m_schema}, u"the indexes of database %1"_s.arg(m_schema));
            !done)
            return done;
        struct Key
        {
            bool unique = false;
            QString method;
            QStringList columns;
        };
        std::map<std::pair<QString, QString>, Key> keys;
        while (query.next()) {
            if (!table(query.value(0).toString()))
                continue;
            Key &key = keys[{query.value(0).toString(), query.value(1).toString()}];
            key.unique = query.value(2).toInt() == 0;
            const QString type = query.value(6).toString().toLower();
            key.method = type == "btree"_L1 ? QString() : type;
            QString column = query.value(3).toString();
            if (!query.value(4).isNull())
                column += u"(%1)"_s.arg(query.value(4).toString()); // a prefix key
            if (query.value(5).toString() == "D"_L1)
                column += u" desc"_s;
            key.columns.append(column);
        }
        for (auto &[where, key] : keys) {
            SchemaTable *entry = table(where.first);
            if (where.second == "PRIMARY"_L1) {
                entry->primaryKey.columns = key.columns; // always named PRIMARY: nothing to compare
            } else if (key.unique && key.method.isEmpty()) {
                // UNIQUE (x) and CREATE UNIQUE INDEX make the same object in MariaDB: reported as the
                // constraint either way.
                entry->uniqueConstraints.append({where.second, key.columns});
            } else {
                entry->indexes.append({where.second, key.columns, key.unique, QString(), key.method});
            }
        }
        return {};
    }

    Expected<void> readForeignKeys()
    {
        QSqlQuery query(m_db);
        if (auto done =
                run(query,
                    u"SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
                    u"k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE "
                    u"FROM information_schema.KEY_COLUMN_USAGE k "
                    u"JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = "
                    u"k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = "
                    u"k.CONSTRAINT_NAME "
                    u"WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL "
                    u"ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"_s,
                    {m_schema}, u"the foreign keys of database %1"_s.arg(m_schema));
            !done)
            return done;
        std::map<std::pair<QString, QString>, SchemaForeignKey> keys;
        while (query.next()) {
            if (!table(query.value(0).toString()))
                continue;
            SchemaForeignKey &key = keys[{query.value(0).toString(), query.value(1).toString()}];
            key.name = query.value(1).toString();
            key.columns.append(query.value(2).toString());
            const QString referencedSchema = query.value(3).toString();
            key.referencedTable = referencedSchema == m_schema
                                      ? query.value(4).toString()
                                      : referencedSchema + u'.' + query.value(4).toString();
            key.referencedColumns.append(query.value(5).toString());
            key.onUpdate = mariadbAction(query.value(6).toString());
            key.onDelete = mariadbAction(query.value(7).toString());
        }
        for (auto &[where, key] : keys)
            table(where.first)->foreignKeys.append(key);
        return {};
    }

    Expected<void> readChecks()
    {
        QSqlQuery query(m_db);
        if (auto done = run(query,
                            u"SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM "
                            u"information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? "
                            u"ORDER BY TABLE_NAME, CONSTRAINT_NAME"_s,
                            {m_schema}, u"the check constraints of database %1"_s.arg(m_schema));
            !done)
            return done;
        while (query.next()) {
            if (SchemaTable *entry = table(query.value(0).toString()))
                entry->checks.append({query.value(1).toString(),
                                      normaliseExpression(query.value(2).toString(), Backend::MySQL)});
        }
        return {};
    }

    Expected<void> readViews()
    {
        QSqlQuery query(m_db);
        // VIEWS also holds DEFINER and SECURITY_TYPE: who created a view is not part of the schema.
        if (auto done = run(query,
                            u"SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                            u"WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME"_s,
                            {m_schema}, u"the views of database %1"_s.arg(m_schema));
            !done)
            return done;
        while (query.next())
            m_views.append({query.value(0).toString(),
                            normaliseExpression(query.value(1).toString(), Backend::MySQL, m_schema)});
        return {};
    }

    QSqlDatabase &m_db;
    QString m_schema;
    Excluded m_excluded;
    std::map<QString, SchemaTable> m_tables;
    QList<SchemaView> m_views;
};

} // namespace

Expected<SchemaSnapshot> SchemaIntrospector::read(QSqlDatabase &db, DatabaseUrl::Backend backend,
                                                  const IntrospectOptions &options)
{
    if (!db.isOpen())
        return EngineError(u"cannot read the schema: the connection is not open"_s,
                           EngineError::Kind::Database);
    switch (backend) {
    case Backend::SQLite:
        return SqliteReader(db, options).read();
    case Backend::PostgreSQL:
        return PostgresReader(db, options).read();
    case Backend::MySQL:
        break;
    }
    return MariadbReader(db, options).read();
}

} // namespace qmigrate
