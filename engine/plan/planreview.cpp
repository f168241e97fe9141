// SPDX-License-Identifier: MIT
#include "plan/planreview.h"

#include "scripts/sqlstatementsplitter.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

using Backend = DatabaseUrl::Backend;

// A token of one statement outside parentheses: a word (upper is its upper-case form), a quoted
// identifier (upper is "\""), or one punctuation character.
struct Token
{
    QString upper;
    QString raw;
};

// The statement's tokens outside parentheses, comments and string literals skipped. The statement comes from
// SqlStatementSplitter, so every construct in it is terminated; this only needs to know where they end.
class TopLevelTokens
{
public:
    TopLevelTokens(const QString &text, Backend backend)
        : m_text(text)
        , m_backend(backend)
    {
        scan();
    }

    const QList<Token> &tokens() const { return m_tokens; }

private:
    QChar at(qsizetype i) const { return i < m_text.size() ? m_text.at(i) : QChar(); }
    bool isWordChar(QChar c) const { return c.isLetterOrNumber() || c == u'_' || c == u'$'; }

    // The end of a quoted construct starting at i with quote q ('' or a backslash escapes inside).
    qsizetype skipQuoted(qsizetype i, QChar q, bool backslash) const
    {
        const qsizetype n = m_text.size();
        for (++i; i < n; ++i) {
            const QChar c = m_text.at(i);
            if (backslash && c == u'\\') {
                ++i;
            } else if (c == q) {
                if (at(i + 1) == q)
                    ++i;
                else
                    return i + 1;
            }
        }
        return n;
    }

    void scan()
    {
        const bool mysql = m_backend == Backend::MySQL;
        const bool postgres = m_backend == Backend::PostgreSQL;
        const qsizetype n = m_text.size();
        int depth = 0;
        qsizetype i = 0;
        while (i < n) {
            const QChar c = m_text.at(i);
            if (c.isSpace()) {
                ++i;
            } else if ((c == u'-' && at(i + 1) == u'-') || (mysql && c == u'#')) {
                const qsizetype eol = m_text.indexOf(u'\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == u'/' && at(i + 1) == u'*') {
                int nesting = 0;
                while (i < n) {
                    if (m_text.at(i) == u'/' && at(i + 1) == u'*' && (nesting == 0 || postgres)) {
                        ++nesting;
                        i += 2;
                    } else if (m_text.at(i) == u'*' && at(i + 1) == u'/') {
                        i += 2;
                        if (--nesting == 0)
                            break;
                    } else {
                        ++i;
                    }
                }
            } else if (c == u'\'' || (mysql && c == u'"')) {
                i = skipQuoted(i, c, mysql);
            } else if (postgres && (c == u'E' || c == u'e') && at(i + 1) == u'\'') {
                i = skipQuoted(i + 1, u'\'', true);
            } else if (c == u'"' || (c == u'`' && !postgres) || (c == u'[' && m_backend == Backend::SQLite)) {
                const qsizetype end = skipQuoted(i, c == u'[' ? u']' : c, false);
                if (depth == 0)
                    m_tokens.append({u"\""_s, m_text.sliced(i, end - i)});
                i = end;
            } else if (postgres && c == u'$' && !at(i + 1).isDigit()) {
                // A dollar quote $tag$…$tag$.
                qsizetype tagEnd = i + 1;
                while (tagEnd < n && isWordChar(m_text.at(tagEnd)) && m_text.at(tagEnd) != u'$')
                    ++tagEnd;
                if (at(tagEnd) != u'$') {
                    ++i;
                    continue;
                }
                const QString tag = m_text.sliced(i, tagEnd + 1 - i);
                const qsizetype close = m_text.indexOf(tag, tagEnd + 1);
                i = close < 0 ? n : close + tag.size();
            } else if (isWordChar(c)) {
                qsizetype end = i;
                while (end < n && isWordChar(m_text.at(end)))
                    ++end;
                if (depth == 0) {
                    const QString raw = m_text.sliced(i, end - i);
                    m_tokens.append({raw.toUpper(), raw});
                }
                i = end;
            } else {
                if (c == u'(') {
                    ++depth;
                } else if (c == u')') {
                    depth = qMax(0, depth - 1);
                } else if (depth == 0) {
                    m_tokens.append({QString(c), QString(c)});
                }
                ++i;
            }
        }
    }

    const QString &m_text;
    Backend m_backend;
    QList<Token> m_tokens;
};

// Reads names and keywords from the tokens of one statement.
class Reader
{
public:
    explicit Reader(const QList<Token> &tokens)
        : m_tokens(tokens)
    {}

    bool atEnd() const { return m_pos >= m_tokens.size(); }
    QString peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_tokens.size() ? m_tokens.at(m_pos + ahead).upper : QString();
    }
    void skip(qsizetype count = 1) { m_pos += count; }
    bool accept(QLatin1StringView word)
    {
        if (peek() != word)
            return false;
        ++m_pos;
        return true;
    }
    void skipIfExists()
    {
        if (peek() == "IF"_L1 && peek(1) == "EXISTS"_L1)
            m_pos += 2;
    }
    // A possibly qualified name (schema.table, "quoted".x) as written; empty when none follows.
    QString name()
    {
        QString result;
        while (!atEnd()) {
            const Token &token = m_tokens.at(m_pos);
            const bool isName = token.upper == u"\""_s || token.upper.front().isLetterOrNumber() ||
                                token.upper.front() == u'_';
            if (!isName)
                break;
            result += token.raw;
            ++m_pos;
            if (peek() != "."_L1)
                break;
            result += u'.';
            ++m_pos;
        }
        return result;
    }
    // Names separated by commas: DROP TABLE a, b.
    QStringList names()
    {
        QStringList result;
        for (;;) {
            const QString next = name();
            if (next.isEmpty())
                break;
            result.append(next);
            if (!accept(","_L1))
                break;
        }
        return result;
    }
    bool containsWord(QLatin1StringView word) const
    {
        for (qsizetype i = m_pos; i < m_tokens.size(); ++i) {
            if (m_tokens.at(i).upper == word)
                return true;
        }
        return false;
    }

private:
    const QList<Token> &m_tokens;
    qsizetype m_pos = 0;
};

struct Finding
{
    PlanWarning::Kind kind;
    QString text;
};

QString orUnnamed(const QString &name)
{
    return name.isEmpty() ? u"(unnamed)"_s : name;
}

// What a statement does that a reviewer must see, from its top-level words.
QList<Finding> findingsOf(const SqlStatement &statement, Backend backend)
{
    using Kind = PlanWarning::Kind;
    const TopLevelTokens scanned(statement.text, backend);
    Reader r(scanned.tokens());
    QList<Finding> found;
    if (r.accept("TRUNCATE"_L1)) {
        r.accept("TABLE"_L1);
        r.accept("ONLY"_L1);
        for (const QString &table : r.names())
            found.append({Kind::Truncate, u"empties table %1 (TRUNCATE)"_s.arg(table)});
        if (found.isEmpty())
            found.append({Kind::Truncate, u"empties a table (TRUNCATE)"_s});
        return found;
    }
    if (r.accept("DELETE"_L1)) {
        if (r.containsWord("WHERE"_L1))
            return {};
        r.accept("FROM"_L1);
        r.accept("ONLY"_L1);
        return {{Kind::DeleteWithoutWhere,
                 u"deletes every row of %1 (DELETE without WHERE)"_s.arg(orUnnamed(r.name()))}};
    }
    if (r.accept("DROP"_L1)) {
        if (!r.accept("TEMPORARY"_L1))
            r.accept("TEMP"_L1);
        if (r.accept("TABLE"_L1)) {
            r.skipIfExists();
            const QStringList tables = r.names();
            for (const QString &table : tables)
                found.append({Kind::DropTable, u"drops table %1 and all its rows"_s.arg(table)});
            if (tables.isEmpty())
                found.append({Kind::DropTable, u"drops a table and all its rows"_s});
            return found;
        }
        if (r.peek() == "SCHEMA"_L1 || r.peek() == "DATABASE"_L1) {
            const QString what = r.peek().toLower();
            r.skip();
            r.skipIfExists();
            return {{Kind::DropSchema,
                     u"drops %1 %2 and everything in it"_s.arg(what, orUnnamed(r.names().join(u", "_s)))}};
        }
        // DROP INDEX / VIEW / MATERIALIZED VIEW / TRIGGER / …: nothing stored is lost, but it is gone.
        QString what = r.peek().toLower();
        r.skip();
        if (what == "materialized"_L1 || what == "foreign"_L1 || what == "unique"_L1) {
            what += u' ' + r.peek().toLower();
            r.skip();
        }
        r.accept("CONCURRENTLY"_L1);
        r.skipIfExists();
        const QString objects = r.names().join(u", "_s);
        return {{Kind::DropOther, u"drops %1 %2"_s.arg(what, orUnnamed(objects))}};
    }
    if (r.accept("ALTER"_L1) && r.accept("TABLE"_L1)) {
        r.skipIfExists();
        r.accept("ONLY"_L1);
        const QString table = orUnnamed(r.name());
        // What may follow DROP in ALTER TABLE without losing data (SqlStatementSplitter's list).
        static const QStringList harmless = {u"CONSTRAINT"_s, u"INDEX"_s,      u"KEY"_s,      u"PRIMARY"_s,
                                             u"FOREIGN"_s,    u"CHECK"_s,      u"DEFAULT"_s,  u"NOT"_s,
                                             u"IDENTITY"_s,   u"EXPRESSION"_s, u"TRIGGER"_s,  u"SYSTEM"_s,
                                             u"PERIOD"_s,     u"UNIQUE"_s,     u"FULLTEXT"_s, u"SPATIAL"_s};
        while (!r.atEnd()) {
            if (!r.accept("DROP"_L1)) {
                r.skip();
                continue;
            }
            if (harmless.contains(r.peek()))
                continue;
            if (r.accept("PARTITION"_L1)) {
                found.append({Kind::DropPartition, u"drops partition %1 of table %2 and its rows"_s.arg(
                                                       orUnnamed(r.names().join(u", "_s)), table)});
                continue;
            }
            r.accept("COLUMN"_L1);
            r.skipIfExists();
            found.append({Kind::DropColumn,
                          u"drops column %1 of table %2 and its data"_s.arg(orUnnamed(r.name()), table)});
        }
    }
    return found;
}

PlanWarning warningAt(PlanWarning::Kind kind, int step, const Revision &revision, int line,
                      const QString &text)
{
    return {kind, step, revision.id, revision.path, line, text};
}

} // namespace

bool PlanWarning::isDestructive() const
{
    switch (kind) {
    case Kind::DropTable:
    case Kind::DropColumn:
    case Kind::DropSchema:
    case Kind::DropPartition:
    case Kind::Truncate:
    case Kind::DeleteWithoutWhere:
        return true;
    case Kind::DropOther:
    case Kind::EmptyDowngrade:
    case Kind::NotTransactional:
    case Kind::OutsideTransaction:
    case Kind::PythonRevision:
    case Kind::ScriptError:
        return false;
    }
    return false;
}

QString PlanWarning::toString() const
{
    return EngineError(text, file, line).toString();
}

QList<PlanWarning> PlanReview::review(const RevisionMap &map, const MigrationPlan &plan, Backend backend)
{
    const SqlStatementSplitter splitter(backend);
    return review(map, plan, backend, [&](int step) {
        const MigrationStep &planned = plan.steps().at(step);
        return splitter.splitSection(map.revision(planned.revision),
                                     planned.direction == MigrationStep::Direction::Upgrade);
    });
}

QList<PlanWarning> PlanReview::review(const RevisionMap &map, const MigrationPlan &plan, Backend backend,
                                      const StatementsOfStep &statementsOf)
{
    using Kind = PlanWarning::Kind;
    const SqlStatementSplitter splitter(backend);
    QList<PlanWarning> warnings;
    bool pythonNoted = false;
    for (int index = 0; index < plan.steps().size(); ++index) {
        const MigrationStep &step = plan.steps().at(index);
        if (step.direction == MigrationStep::Direction::Stamp || step.revision < 0)
            continue;
        const Revision &revision = map.revision(step.revision);
        if (revision.kind == Revision::Kind::Python) {
            // Said once, at the first such step: every step of an Alembic project is one.
            if (!pythonNoted) {
                warnings.append(warningAt(
                    Kind::PythonRevision, index, revision, 0,
                    u"%1 is an Alembic Python revision: the SQL shown for such steps is what Alembic's "
                    u"offline "
                    u"mode writes; code that reads the database decides its statements when it runs"_s.arg(
                        revision.id)));
                pythonNoted = true;
            }
            continue;
        }
        const bool upgrade = step.direction == MigrationStep::Direction::Upgrade;
        const Expected<QList<SqlStatement>> statements = statementsOf(index);
        if (!statements) {
            warnings.append(warningAt(Kind::ScriptError, index, revision, statements.error().line(),
                                      statements.error().message()));
            continue;
        }
        int firstDdlLine = 0;
        int firstOutsideLine = 0;
        for (const SqlStatement &statement : std::as_const(*statements)) {
            for (const Finding &finding : findingsOf(statement, backend))
                warnings.append(warningAt(finding.kind, index, revision, statement.line, finding.text));
            if (statement.kind == SqlStatement::Kind::Ddl && firstDdlLine == 0)
                firstDdlLine = statement.line;
            if (statement.noTransaction && firstOutsideLine == 0)
                firstOutsideLine = statement.line;
        }
        if (backend == Backend::MySQL && firstDdlLine > 0) {
            warnings.append(
                warningAt(Kind::NotTransactional, index, revision, firstDdlLine,
                          u"MySQL/MariaDB commit every DDL statement at once: if this step fails, "
                          u"what ran before the failure stays applied and cannot be rolled back"_s));
        } else if (backend != Backend::MySQL && firstOutsideLine > 0) {
            warnings.append(warningAt(Kind::OutsideTransaction, index, revision, firstOutsideLine,
                                      u"runs outside any transaction (-- migrate:no-transaction): the steps "
                                      u"before it are committed first and it cannot be rolled back"_s));
        }
        if (upgrade) {
            Expected<QList<SqlStatement>> downgrade = splitter.splitSection(revision, false);
            if (downgrade && downgrade->isEmpty()) {
                warnings.append(warningAt(Kind::EmptyDowngrade, index, revision, revision.downgradeLine,
                                          u"the downgrade section of %1 is empty: this step cannot be "
                                          u"downgraded"_s.arg(revision.id)));
            }
        } else if (statements->isEmpty()) {
            warnings.append(
                warningAt(Kind::EmptyDowngrade, index, revision, revision.downgradeLine,
                          u"the downgrade section of %1 is empty: what its upgrade changed stays in "
                          u"the database"_s.arg(revision.id)));
        }
    }
    return warnings;
}

} // namespace qmigrate
