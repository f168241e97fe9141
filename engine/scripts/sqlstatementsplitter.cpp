// SPDX-License-Identifier: MIT
#include "scripts/sqlstatementsplitter.h"

#include <QStringList>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace qmigrate {

QString SqlStatement::summary() const
{
    QString first = text.section(u'\n', 0, 0).simplified();
    if (first.size() > 60)
        first = first.left(57) + u"..."_s;
    else if (text.contains(u'\n'))
        first += u" ..."_s;
    return first;
}

namespace {

using Backend = DatabaseUrl::Backend;

bool isWordStart(QChar c)
{
    return c.isLetter() || c == u'_' || c.unicode() >= 0x80;
}

bool isWordChar(QChar c)
{
    return isWordStart(c) || c.isDigit() || c == u'$';
}

// The words that make a CREATE statement carry a body whose own ";" do not end it.
bool isCompoundKeyword(Backend backend, const QString &word)
{
    switch (backend) {
    case Backend::SQLite:
        return word == "TRIGGER"_L1;
    case Backend::MySQL:
        return word == "TRIGGER"_L1 || word == "PROCEDURE"_L1 || word == "FUNCTION"_L1 || word == "EVENT"_L1;
    case Backend::PostgreSQL:
        return word == "FUNCTION"_L1 || word == "PROCEDURE"_L1;
    }
    return false;
}

// A word or quoted identifier at parenthesis depth 0, upper-cased; quoted identifiers are kept as "\"".
using Words = QStringList;

QString wordAt(const Words &words, qsizetype i)
{
    return i < words.size() ? words.at(i) : QString();
}

bool isTransactionControl(const Words &w)
{
    const QString first = wordAt(w, 0);
    const QString second = wordAt(w, 1);
    if (first == "BEGIN"_L1 || first == "COMMIT"_L1 || first == "ROLLBACK"_L1 || first == "SAVEPOINT"_L1 ||
        first == "RELEASE"_L1 || first == "ABORT"_L1 || first == "XA"_L1)
        return true;
    if (first == "START"_L1 || first == "PREPARE"_L1)
        return second == "TRANSACTION"_L1;
    // "END" alone is COMMIT on SQLite and PostgreSQL.
    if (first == "END"_L1)
        return second.isEmpty() || second == "TRANSACTION"_L1 || second == "WORK"_L1;
    return false;
}

// Constant tables rather than function-local QStringLists: nothing to build on first use, and safe to read
// from the two threads that read a run's scripts.
template<size_t N> bool isOneOf(QStringView word, const std::array<QLatin1StringView, N> &words)
{
    return std::find(words.cbegin(), words.cend(), word) != words.cend();
}

SqlStatement::Kind kindOf(const Words &w)
{
    static constexpr std::array ddl = {"CREATE"_L1,   "ALTER"_L1,  "DROP"_L1,
                                       "TRUNCATE"_L1, "RENAME"_L1, "COMMENT"_L1};
    static constexpr std::array dml = {"SELECT"_L1, "INSERT"_L1, "UPDATE"_L1, "DELETE"_L1, "REPLACE"_L1,
                                       "MERGE"_L1,  "WITH"_L1,   "VALUES"_L1, "COPY"_L1,   "UPSERT"_L1};
    const QString first = wordAt(w, 0);
    if (isOneOf(first, ddl))
        return SqlStatement::Kind::Ddl;
    if (isOneOf(first, dml))
        return SqlStatement::Kind::Dml;
    return SqlStatement::Kind::Other;
}

bool isDestructive(const Words &w)
{
    const QString first = wordAt(w, 0);
    const QString second = wordAt(w, 1);
    if (first == "TRUNCATE"_L1)
        return true;
    if (first == "DROP"_L1) {
        if (second == "TEMPORARY"_L1)
            return wordAt(w, 2) == "TABLE"_L1;
        return second == "TABLE"_L1 || second == "SCHEMA"_L1 || second == "DATABASE"_L1;
    }
    if (first == "DELETE"_L1)
        return !w.contains("WHERE"_L1);
    if (first == "ALTER"_L1 && second == "TABLE"_L1) {
        // What may follow DROP in ALTER TABLE without losing rows or columns.
        static constexpr std::array harmless = {
            "CONSTRAINT"_L1, "INDEX"_L1,  "KEY"_L1,      "PRIMARY"_L1,    "FOREIGN"_L1, "CHECK"_L1,
            "DEFAULT"_L1,    "NOT"_L1,    "IDENTITY"_L1, "EXPRESSION"_L1, "TRIGGER"_L1, "SYSTEM"_L1,
            "PERIOD"_L1,     "UNIQUE"_L1, "FULLTEXT"_L1, "SPATIAL"_L1};
        for (qsizetype i = 2; i + 1 < w.size(); ++i) {
            if (w.at(i) == "DROP"_L1 && !isOneOf(w.at(i + 1), harmless))
                return true; // COLUMN, PARTITION or a bare column name
        }
    }
    return false;
}

class Scanner
{
public:
    Scanner(Backend backend, const QString &sql, int firstLine)
        : m_backend(backend)
        , m_sql(sql)
        , m_line(firstLine)
    {}

    Expected<QList<SqlStatement>> run();

private:
    QChar at(qsizetype i) const { return i < m_sql.size() ? m_sql.at(i) : QChar(); }
    int column(qsizetype offset) const { return int(offset - m_lineStart) + 1; }
    // Moves to `to`, counting the line breaks passed over.
    void advanceTo(qsizetype to)
    {
        for (; m_pos < to; ++m_pos) {
            if (m_sql.at(m_pos) == u'\n') {
                ++m_line;
                m_lineStart = m_pos + 1;
            }
        }
    }
    bool isMySql() const { return m_backend == Backend::MySQL; }
    bool isPostgres() const { return m_backend == Backend::PostgreSQL; }
    bool atDelimiter(qsizetype i) const
    {
        return m_delimiter == ";"_L1 ? at(i) == u';' : QStringView(m_sql).sliced(i).startsWith(m_delimiter);
    }

    // A significant token spans [from, to): starts the statement if none is open.
    void significant(qsizetype from, int line, int col, qsizetype to);
    void word(const QString &upper, int line);
    void finishStatement();

    EngineError error(const QString &message, int line) const
    {
        return EngineError(message, QString(), line);
    }

    bool skipLineComment();
    bool skipBlockComment(int &errorLine);
    bool scanQuoted(QChar quote, bool backslashEscapes);
    bool tryDelimiterDirective(QString &errorMessage);

    Backend m_backend;
    const QString &m_sql;
    qsizetype m_pos = 0;
    int m_line;
    qsizetype m_lineStart = 0;
    QString m_delimiter = u";"_s;
    QList<SqlStatement> m_statements;

    // The statement being read.
    qsizetype m_start = -1;
    qsizetype m_end = -1; // end of its last significant token
    int m_startLine = 0;
    int m_startColumn = 0;
    Words m_words;
    int m_parenDepth = 0;
    bool m_compound = false;
    int m_blockDepth = 0;
    int m_blockLine = 0;
    QString m_lastWord;      // the previous token if it was a word, else empty
    QChar m_lastPunctuation; // the previous token if it was punctuation, else null
    bool m_noTransaction = false;
};

void Scanner::significant(qsizetype from, int line, int col, qsizetype to)
{
    if (m_start < 0) {
        m_start = from;
        m_startLine = line;
        m_startColumn = col;
    }
    m_end = to;
}

void Scanner::word(const QString &upper, int line)
{
    if (m_parenDepth == 0)
        m_words.append(upper);
    // The keyword comes early and outside parentheses: "CREATE DEFINER=CURRENT_USER() PROCEDURE p()",
    // "CREATE TEMP TRIGGER IF NOT EXISTS t", but not "CREATE TABLE t (function TEXT)".
    if (!m_compound && m_parenDepth == 0 && m_words.size() > 1 && m_words.size() <= 8 &&
        m_words.constFirst() == "CREATE"_L1 && isCompoundKeyword(m_backend, upper))
        m_compound = true;

    if (m_compound && m_delimiter == ";"_L1) {
        const bool afterEnd = m_lastWord == "END"_L1;
        // MySQL's IF and REPEAT are also functions: they open a block only where a statement starts.
        const bool statementStart = m_lastPunctuation == u';' || m_lastPunctuation == u':' ||
                                    m_lastWord == "BEGIN"_L1 || m_lastWord == "THEN"_L1 ||
                                    m_lastWord == "ELSE"_L1 || m_lastWord == "DO"_L1 ||
                                    m_lastWord == "LOOP"_L1 || m_lastWord == "REPEAT"_L1;
        bool opens = false;
        switch (m_backend) {
        case Backend::SQLite:
            opens = upper == "BEGIN"_L1 || upper == "CASE"_L1;
            break;
        case Backend::MySQL:
            if (upper == "BEGIN"_L1)
                opens = true;
            else if (upper == "CASE"_L1 || upper == "LOOP"_L1 || upper == "WHILE"_L1)
                opens = !afterEnd;
            else if (upper == "IF"_L1 || upper == "REPEAT"_L1)
                opens = !afterEnd && statementStart;
            break;
        case Backend::PostgreSQL:
            opens = upper == "CASE"_L1 || (upper == "ATOMIC"_L1 && m_lastWord == "BEGIN"_L1);
            break;
        }
        if (opens) {
            if (m_blockDepth == 0)
                m_blockLine = line;
            ++m_blockDepth;
        } else if (upper == "END"_L1 && m_blockDepth > 0) {
            --m_blockDepth;
        }
    }
    m_lastWord = upper;
    m_lastPunctuation = QChar();
}

void Scanner::finishStatement()
{
    if (m_start >= 0) {
        SqlStatement st;
        st.text = m_sql.sliced(m_start, m_end - m_start);
        st.line = m_startLine;
        st.column = m_startColumn;
        st.kind = kindOf(m_words);
        st.transactionControl = isTransactionControl(m_words);
        st.destructive = isDestructive(m_words);
        st.noTransaction = m_noTransaction;
        m_statements.append(std::move(st));
        m_noTransaction = false;
    }
    m_start = m_end = -1;
    m_words.clear();
    m_parenDepth = 0;
    m_compound = false;
    m_blockDepth = 0;
    m_lastWord.clear();
    m_lastPunctuation = QChar();
}

bool Scanner::skipLineComment()
{
    qsizetype eol = m_sql.indexOf(u'\n', m_pos);
    if (eol < 0)
        eol = m_sql.size();
    const QStringView body = QStringView(m_sql).sliced(m_pos, eol - m_pos);
    const QStringView content = body.startsWith(u'#') ? body.sliced(1) : body.sliced(2);
    if (content.trimmed() == "migrate:no-transaction"_L1)
        m_noTransaction = true;
    advanceTo(eol);
    return true;
}

// At "/*"; PostgreSQL nests block comments, the others end at the first "*/".
bool Scanner::skipBlockComment(int &errorLine)
{
    errorLine = m_line;
    int depth = 0;
    qsizetype i = m_pos;
    const qsizetype n = m_sql.size();
    while (i < n) {
        if (m_sql.at(i) == u'/' && at(i + 1) == u'*') {
            if (depth == 0 || isPostgres())
                ++depth;
            i += 2;
        } else if (m_sql.at(i) == u'*' && at(i + 1) == u'/') {
            i += 2;
            if (--depth == 0) {
                advanceTo(i);
                return true;
            }
        } else {
            ++i;
        }
    }
    return false;
}

// At an opening quote; doubled quotes escape it, and so does a backslash when backslashEscapes.
bool Scanner::scanQuoted(QChar quote, bool backslashEscapes)
{
    const QChar close = quote == u'[' ? QChar(u']') : quote;
    qsizetype i = m_pos + 1;
    const qsizetype n = m_sql.size();
    while (i < n) {
        const QChar c = m_sql.at(i);
        if (backslashEscapes && c == u'\\') {
            i += 2;
        } else if (c == close) {
            if (close != u']' && at(i + 1) == close) {
                i += 2;
            } else {
                advanceTo(i + 1);
                return true;
            }
        } else {
            ++i;
        }
    }
    return false;
}

// MySQL client directive "DELIMITER xx" where a statement would start: consumes the line.
bool Scanner::tryDelimiterDirective(QString &errorMessage)
{
    static constexpr auto keyword = "DELIMITER"_L1;
    const QStringView rest = QStringView(m_sql).sliced(m_pos);
    if (!rest.startsWith(keyword, Qt::CaseInsensitive))
        return false;
    const QChar after = at(m_pos + keyword.size());
    if (!(after.isNull() || after == u' ' || after == u'\t' || after == u'\n' || after == u'\r'))
        return false;
    qsizetype eol = m_sql.indexOf(u'\n', m_pos);
    if (eol < 0)
        eol = m_sql.size();
    const QStringView args = QStringView(m_sql).sliced(m_pos + keyword.size(), eol - m_pos - keyword.size());
    const QString delimiter = args.trimmed().toString().section(u' ', 0, 0).section(u'\t', 0, 0);
    if (delimiter.isEmpty()) {
        errorMessage = u"DELIMITER needs a delimiter, e.g. \"DELIMITER //\""_s;
        return true;
    }
    if (delimiter.contains(u'\\')) {
        errorMessage = u"DELIMITER cannot contain a backslash"_s;
        return true;
    }
    m_delimiter = delimiter;
    advanceTo(eol);
    return true;
}

Expected<QList<SqlStatement>> Scanner::run()
{
    const qsizetype n = m_sql.size();
    while (m_pos < n) {
        const QChar c = m_sql.at(m_pos);
        if (c == u'\n') {
            advanceTo(m_pos + 1);
            continue;
        }
        if (c.isSpace()) {
            ++m_pos;
            continue;
        }
        const int line = m_line;
        const int col = column(m_pos);
        const qsizetype from = m_pos;

        if (isMySql() && m_start < 0 && (c == u'D' || c == u'd')) {
            QString message;
            if (tryDelimiterDirective(message)) {
                if (!message.isEmpty())
                    return error(message, line);
                continue;
            }
        }

        // Comments. MySQL wants whitespace (or the end) after "--"; "--x" is two minus signs there.
        if (c == u'-' && at(m_pos + 1) == u'-') {
            const QChar third = at(m_pos + 2);
            if (!isMySql() || third.isNull() || third.isSpace() || third.unicode() < 0x20) {
                skipLineComment();
                continue;
            }
        }
        if (c == u'#' && isMySql()) {
            skipLineComment();
            continue;
        }
        if (c == u'/' && at(m_pos + 1) == u'*') {
            // MySQL runs /*! … */ and reads hints in /*+ … */: they are statement text.
            const bool executable = isMySql() && (at(m_pos + 2) == u'!' || at(m_pos + 2) == u'+');
            int errorLine = 0;
            if (!skipBlockComment(errorLine))
                return error(u"unterminated /* comment"_s, errorLine);
            if (executable)
                significant(from, line, col, m_pos);
            continue;
        }

        // Like psql, PostgreSQL keeps ";" inside parentheses: CREATE RULE … DO (INSERT …; UPDATE …).
        if (m_blockDepth == 0 && !(isPostgres() && m_parenDepth > 0) && atDelimiter(m_pos)) {
            advanceTo(m_pos + m_delimiter.size());
            finishStatement();
            continue;
        }

        if (c == u'\'' || (c == u'"' && isMySql())) {
            if (!scanQuoted(c, isMySql()))
                return error(u"unterminated string literal"_s, line);
            significant(from, line, col, m_pos);
            m_lastWord.clear();
            m_lastPunctuation = QChar();
            continue;
        }
        if (c == u'"' || (c == u'`' && m_backend != Backend::PostgreSQL) ||
            (c == u'[' && m_backend == Backend::SQLite)) {
            if (!scanQuoted(c, false))
                return error(u"unterminated quoted identifier"_s, line);
            significant(from, line, col, m_pos);
            if (m_parenDepth == 0)
                m_words.append(u"\""_s);
            m_lastWord.clear();
            m_lastPunctuation = QChar();
            continue;
        }
        if (c == u'$' && isPostgres()) {
            qsizetype i = m_pos + 1;
            if (at(i).isDigit()) { // $1: a parameter
                while (at(i).isDigit())
                    ++i;
                advanceTo(i);
                significant(from, line, col, m_pos);
                continue;
            }
            if (isWordStart(at(i))) {
                while (isWordChar(at(i)) && at(i) != u'$')
                    ++i;
            }
            if (at(i) == u'$') {
                const QString tag = m_sql.sliced(m_pos, i + 1 - m_pos);
                const qsizetype close = m_sql.indexOf(tag, i + 1);
                if (close < 0)
                    return error(u"unterminated dollar-quoted string %1"_s.arg(tag), line);
                advanceTo(close + tag.size());
                significant(from, line, col, m_pos);
                m_lastWord.clear();
                m_lastPunctuation = QChar();
                continue;
            }
            // A lone "$": fall through as punctuation.
        }
        if (isWordStart(c)) {
            qsizetype i = m_pos + 1;
            const bool customDelimiter = m_delimiter != ";"_L1;
            while (i < n && isWordChar(m_sql.at(i)) && !(customDelimiter && atDelimiter(i)))
                ++i;
            // PostgreSQL's E'…' strings take backslash escapes.
            if (isPostgres() && i == m_pos + 1 && (c == u'E' || c == u'e') && at(i) == u'\'') {
                m_pos = i;
                if (!scanQuoted(u'\'', true))
                    return error(u"unterminated string literal"_s, line);
                significant(from, line, col, m_pos);
                m_lastWord.clear();
                m_lastPunctuation = QChar();
                continue;
            }
            const QString upper = m_sql.sliced(m_pos, i - m_pos).toUpper();
            m_pos = i;
            significant(from, line, col, m_pos);
            word(upper, line);
            continue;
        }
        if (c.isDigit()) {
            qsizetype i = m_pos + 1;
            while (i < n && (m_sql.at(i).isLetterOrNumber() || m_sql.at(i) == u'.' || m_sql.at(i) == u'_'))
                ++i;
            m_pos = i;
            significant(from, line, col, m_pos);
            m_lastWord.clear();
            m_lastPunctuation = QChar();
            continue;
        }

        // Punctuation.
        if (c == u'(') {
            ++m_parenDepth;
        } else if (c == u')' && m_parenDepth > 0) {
            --m_parenDepth;
        }
        ++m_pos;
        significant(from, line, col, m_pos);
        m_lastWord.clear();
        m_lastPunctuation = c;
    }

    if (m_blockDepth > 0)
        return error(u"unterminated BEGIN/END block: no END for the block opened here"_s, m_blockLine);
    finishStatement();
    return m_statements;
}

} // namespace

SqlStatementSplitter::SqlStatementSplitter(DatabaseUrl::Backend backend)
    : m_backend(backend)
{}

Expected<QList<SqlStatement>> SqlStatementSplitter::split(const QString &sql, int firstLine) const
{
    Scanner scanner(m_backend, sql, firstLine);
    return scanner.run();
}

Expected<QList<SqlStatement>> SqlStatementSplitter::splitSection(const Revision &revision, bool upgrade) const
{
    const Expected<RevisionSections> sections = RevisionSections::read(revision);
    if (!sections)
        return sections.error();
    return splitSection(revision, *sections, upgrade);
}

Expected<QList<SqlStatement>> SqlStatementSplitter::splitSection(const Revision &revision,
                                                                 const RevisionSections &sections,
                                                                 bool upgrade) const
{
    Expected<QList<SqlStatement>> statements = split(sections.sql(upgrade), sections.firstLine(upgrade));
    if (!statements) {
        EngineError error = statements.error();
        error.setFile(revision.path, error.line()).setRevision(revision.id);
        return error;
    }
    return statements;
}

} // namespace qmigrate
