// SPDX-License-Identifier: MIT
// SqlStatementSplitter on arbitrary SQL, with each backend's lexical rules (SQLite, PostgreSQL, MySQL).

#include "fuzzcheck.h"

#include "scripts/sqlstatementsplitter.h"

#include <cstdint>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

using Backend = DatabaseUrl::Backend;

bool sameStatement(const SqlStatement &a, const SqlStatement &b)
{
    return a.text == b.text && a.kind == b.kind && a.transactionControl == b.transactionControl &&
           a.destructive == b.destructive;
}

void checkSplit(Backend backend, const QString &sql, int firstLine)
{
    const SqlStatementSplitter splitter(backend);
    const Expected<QList<SqlStatement>> statements = splitter.split(sql, firstLine);
    const QList<qsizetype> starts = fuzz::lineStarts(sql);
    const int lastLine = firstLine + int(starts.size()) - 1;
    if (!statements) {
        const EngineError &error = statements.error();
        FUZZ_CHECK(error.file().isEmpty() && error.kind() == EngineError::Kind::Project);
        FUZZ_CHECK(error.line() >= firstLine && error.line() <= lastLine);
        // splitSection reports the same error with the revision's file and id.
        Revision revision;
        revision.id = u"1a2b3c4d"_s;
        revision.path = u"/nonexistent/qmigrate-fuzz/versions/1a2b3c4d_fuzz.sql"_s;
        revision.downgradeLine = firstLine;
        const Expected<QList<SqlStatement>> section =
            splitter.splitSection(revision, RevisionSections({}, 0, sql, firstLine), false);
        FUZZ_CHECK(!section && section.error().message() == error.message());
        FUZZ_CHECK(section.error().file() == revision.path && section.error().revision() == revision.id);
        FUZZ_CHECK(section.error().line() == error.line());
        return;
    }

    // Each statement is the input's text at the line and column it reports, in input order, and starts with a
    // significant character.
    qsizetype previousEnd = 0;
    for (const SqlStatement &statement : *statements) {
        FUZZ_CHECK(!statement.text.isEmpty() && !statement.text.front().isSpace());
        FUZZ_CHECK(statement.line >= firstLine && statement.line <= lastLine && statement.column >= 1);
        const qsizetype offset = starts.at(statement.line - firstLine) + statement.column - 1;
        FUZZ_CHECK(offset >= previousEnd && offset < sql.size());
        FUZZ_CHECK(fuzz::lineOf(starts, offset) == statement.line - firstLine + 1);
        FUZZ_CHECK(QStringView(sql).sliced(offset).startsWith(statement.text));
        previousEnd = offset + statement.text.size();
    }

    // A statement stands on its own: split again, alone or (for all but the last, which may have ended with
    // the input) with a ";" appended as renderers do, it is the same single statement. Not after a MySQL
    // DELIMITER directive, where statements are ended by another delimiter and may hold ";".
    if (backend == Backend::MySQL && sql.contains(u"delimiter"_s, Qt::CaseInsensitive))
        return;
    for (qsizetype i = 0; i < statements->size(); ++i) {
        const SqlStatement &statement = statements->at(i);
        // MySQL reads "--" followed by the end of the text as a comment: "SELECT 1--" (split from "SELECT
        // 1--;") runs as "SELECT 1" on its own, as it does when the mysql client sends it. Only its
        // terminated form can be compared.
        const bool mysqlTrailingDashes = backend == Backend::MySQL && statement.text.endsWith(u"--"_s);
        if (!mysqlTrailingDashes) {
            const Expected<QList<SqlStatement>> alone = splitter.split(statement.text);
            FUZZ_CHECK(alone && alone->size() == 1 && sameStatement(alone->first(), statement));
            FUZZ_CHECK(alone->first().line == 1 && alone->first().column == 1);
        }
        if (i + 1 == statements->size())
            break;
        const Expected<QList<SqlStatement>> terminated = splitter.split(statement.text + u";\n"_s);
        FUZZ_CHECK(terminated && terminated->size() == 1 && sameStatement(terminated->first(), statement));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::setUp();
    const QString sql = fuzz::fromUtf8(data, size);
    // The first byte picks the line the text starts on; it stays part of the SQL, so that a seed file is read
    // as written, by every backend.
    const int firstLine = size > 0 ? 1 + data[0] % 16 : 1;
    for (const Backend backend : {Backend::SQLite, Backend::PostgreSQL, Backend::MySQL})
        checkSplit(backend, sql, firstLine);
    return 0;
}
