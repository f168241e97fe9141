// SPDX-License-Identifier: MIT
// Native SQL revision files: ScriptText::decode, SqlRevisionParser and the sections through the statement
// splitter of each backend, as ScriptDirectory and the migrator read them.

#include "fuzzcheck.h"

#include "scripts/scripttext.h"
#include "scripts/sqlrevisionparser.h"
#include "scripts/sqlstatementsplitter.h"

#include <cstdint>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString path = u"/nonexistent/qmigrate-fuzz/versions/1a2b3c4d_fuzz.sql"_s;

// Strict UTF-8: the text is exactly the bytes, less a leading BOM and with CRLF and CR read as LF.
void checkDecoding(const QByteArray &content, const Expected<QString> &text)
{
    if (!text) {
        FUZZ_CHECK(text.error().file() == path);
        FUZZ_CHECK(text.error().line() >= 1 && text.error().line() <= content.count('\n') + 1);
        return;
    }
    QByteArray expected = content.startsWith("\xEF\xBB\xBF") ? content.sliced(3) : content;
    expected.replace("\r\n", "\n").replace('\r', '\n');
    FUZZ_CHECK(text->toUtf8() == expected);
}

void checkRevision(const QString &text, const Revision &rev, const RevisionSections &sections)
{
    FUZZ_CHECK(rev.kind == Revision::Kind::Sql);
    FUZZ_CHECK(rev.path == path);
    FUZZ_CHECK(!rev.id.isEmpty() && rev.id.size() <= ScriptText::MaxIdLength);
    FUZZ_CHECK(ScriptText::illegalCharactersMessage(rev.id).isEmpty());
    for (const QChar c : rev.id)
        FUZZ_CHECK(!c.isSpace());
    for (const QStringList *list : {&rev.downRevisions, &rev.branchLabels, &rev.dependsOn}) {
        for (const QString &entry : *list) {
            FUZZ_CHECK(!entry.isEmpty());
            for (const QChar c : entry)
                FUZZ_CHECK(!c.isSpace() && c != u',');
        }
    }
    FUZZ_CHECK(!rev.downRevisions.contains(rev.id) && !rev.dependsOn.contains(rev.id));

    // Each section is the text from the line after its marker: upgrade, then downgrade to the end.
    const QList<qsizetype> starts = fuzz::lineStarts(text);
    FUZZ_CHECK(rev.upgradeLine >= 2 && rev.upgradeLine < rev.downgradeLine);
    FUZZ_CHECK(rev.downgradeLine <= starts.size() + 1);
    const auto sectionAt = [&](int line, const QString &sql) {
        const qsizetype start = line <= starts.size() ? starts.at(line - 1) : text.size();
        return QStringView(text).sliced(start).startsWith(sql);
    };
    FUZZ_CHECK(sections.upgradeLine() == rev.upgradeLine && sections.downgradeLine() == rev.downgradeLine);
    FUZZ_CHECK(sectionAt(rev.upgradeLine, sections.upgrade()));
    FUZZ_CHECK(sectionAt(rev.downgradeLine, sections.downgrade()));
    FUZZ_CHECK(text.endsWith(sections.downgrade()));

    for (const auto backend :
         {DatabaseUrl::Backend::SQLite, DatabaseUrl::Backend::PostgreSQL, DatabaseUrl::Backend::MySQL}) {
        const SqlStatementSplitter splitter(backend);
        for (const bool upgrade : {true, false}) {
            const Expected<QList<SqlStatement>> statements = splitter.splitSection(rev, sections, upgrade);
            const int firstLine = upgrade ? rev.upgradeLine : rev.downgradeLine;
            if (!statements) {
                FUZZ_CHECK(statements.error().file() == path && statements.error().revision() == rev.id);
                FUZZ_CHECK(statements.error().line() >= firstLine);
                continue;
            }
            for (const SqlStatement &statement : *statements)
                FUZZ_CHECK(statement.line >= firstLine && !statement.text.isEmpty());
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::setUp();
    const QByteArray content = fuzz::rawBytes(data, size);
    const Expected<QString> text = ScriptText::decode(path, content);
    checkDecoding(content, text);

    RevisionSections sections;
    const Expected<Revision> rev = SqlRevisionParser::parse(path, content, &sections);
    if (!text) {
        FUZZ_CHECK(!rev && rev.error().message() == text.error().message());
        return 0;
    }
    if (!rev) {
        FUZZ_CHECK(rev.error().file() == path);
        FUZZ_CHECK(rev.error().line() >= 1 && rev.error().line() <= text->count(u'\n') + 1);
        return 0;
    }
    checkRevision(*text, *rev, sections);
    return 0;
}
