// SPDX-License-Identifier: MIT
// Alembic .py revisions read without Python: PythonTokenizer on its own, then PythonRevisionParser without
// and with a ModuleConstantResolver (whose project folder does not exist, so only the file itself is
// followed).

#include "fuzzcheck.h"

#include "scripts/moduleconstantresolver.h"
#include "scripts/pythonrevisionparser.h"
#include "scripts/pythontokenizer.h"
#include "scripts/scripttext.h"

#include <cstdint>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// A legacy file name (hex digits only), so that a file without a 'revision' variable still has an id.
const QString path = u"/nonexistent/qmigrate-fuzz/versions/1a2b3c4d.py"_s;

// Tokens come in order, each non-empty and inside the text, at the line and column they report.
void checkTokens(const QString &text)
{
    const QList<qsizetype> starts = fuzz::lineStarts(text);
    PythonTokenizer tokenizer(text);
    QList<PythonToken> tokens;
    qsizetype previousEnd = 0;
    while (tokenizer.next(&tokens)) {
        FUZZ_CHECK(!tokens.isEmpty());
        for (const PythonToken &token : std::as_const(tokens)) {
            FUZZ_CHECK(token.start >= previousEnd && token.start < token.end && token.end <= text.size());
            FUZZ_CHECK(token.line == fuzz::lineOf(starts, token.start));
            FUZZ_CHECK(token.column == token.start - starts.at(token.line - 1));
            previousEnd = token.end;
            if (token.type != PythonToken::Type::String)
                continue;
            FUZZ_CHECK(token.prefixLength <= 2 && (token.quoteLength == 1 || token.quoteLength == 3));
            FUZZ_CHECK(token.end - token.start >= token.prefixLength + 2 * token.quoteLength);
            const QChar quote = text.at(token.start + token.prefixLength);
            FUZZ_CHECK(quote == u'\'' || quote == u'"');
            FUZZ_CHECK(text.at(token.end - 1) == quote);
            QString value;
            PythonTokenizer::stringValue(text, token, &value);
        }
    }
    if (tokenizer.hasError())
        FUZZ_CHECK(tokenizer.errorLine() >= 1 && tokenizer.errorLine() <= starts.size());
}

void checkRevision(const QString &text, const Expected<Revision> &rev, const QList<EngineError> &warnings)
{
    const int lines = int(text.count(u'\n')) + 1;
    if (!rev) {
        FUZZ_CHECK(rev.error().file() == path);
        FUZZ_CHECK(rev.error().line() >= 0 && rev.error().line() <= lines);
        return;
    }
    FUZZ_CHECK(rev->kind == Revision::Kind::Python && rev->path == path);
    FUZZ_CHECK(!rev->id.isEmpty() && ScriptText::illegalCharactersMessage(rev->id).isEmpty());
    FUZZ_CHECK(rev->idLine >= 0 && rev->idLine <= lines);
    for (const QStringList *list : {&rev->downRevisions, &rev->branchLabels, &rev->dependsOn}) {
        for (const QString &entry : *list)
            FUZZ_CHECK(!entry.isEmpty());
    }
    FUZZ_CHECK(!rev->downRevisions.contains(rev->id) && !rev->dependsOn.contains(rev->id));
    for (const EngineError &warning : warnings) {
        FUZZ_CHECK(warning.file() == path);
        FUZZ_CHECK(warning.line() >= 0 && warning.line() <= lines);
    }
    // An unresolved field is left empty and has its warning.
    FUZZ_CHECK(warnings.size() >= rev->unresolvedFields().size());
    const auto field = [&rev](const QString &name) -> const QStringList * {
        if (name == u"down_revision")
            return &rev->downRevisions;
        if (name == u"branch_labels")
            return &rev->branchLabels;
        if (name == u"depends_on")
            return &rev->dependsOn;
        return nullptr;
    };
    for (const QString &name : rev->unresolvedFields()) {
        FUZZ_CHECK(field(name) != nullptr);
        FUZZ_CHECK(field(name)->isEmpty());
    }
    // An id too long for alembic_version is a warning that names it as written.
    if (rev->id.size() > ScriptText::MaxIdLength) {
        const QString named =
            u"'"_s + rev->id + u"' is "_s + QString::number(rev->id.size()) + u" characters"_s;
        FUZZ_CHECK(std::any_of(warnings.cbegin(), warnings.cend(), [&named](const EngineError &warning) {
            return warning.message().contains(named);
        }));
    }
}

// A resolver only fills fields the literal reading left empty: it can add errors, never remove one, and it
// changes neither the id nor a field read as a literal.
void compare(const Expected<Revision> &plain, const Expected<Revision> &resolved)
{
    if (!plain) {
        FUZZ_CHECK(!resolved);
        return;
    }
    if (!resolved)
        return;
    FUZZ_CHECK(plain->id == resolved->id && plain->idLine == resolved->idLine);
    FUZZ_CHECK(plain->computedFields().isEmpty());
    const auto computed = [&resolved](const QString &name) {
        return std::any_of(resolved->computedFields().cbegin(), resolved->computedFields().cend(),
                           [&name](const QString &entry) { return entry.startsWith(name + u' '); });
    };
    if (!computed(u"down_revision"_s))
        FUZZ_CHECK(plain->downRevisions == resolved->downRevisions);
    if (!computed(u"branch_labels"_s))
        FUZZ_CHECK(plain->branchLabels == resolved->branchLabels);
    if (!computed(u"depends_on"_s))
        FUZZ_CHECK(plain->dependsOn == resolved->dependsOn);
    for (const QString &name : resolved->unresolvedFields())
        FUZZ_CHECK(plain->unresolvedFields().contains(name));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::setUp();
    const QByteArray content = fuzz::rawBytes(data, size);
    const Expected<QString> text = ScriptText::decode(path, content);
    if (text)
        checkTokens(*text);

    QList<EngineError> plainWarnings;
    const Expected<Revision> plain = PythonRevisionParser::parse(path, content, &plainWarnings);
    ModuleConstantResolver resolver;
    QList<EngineError> resolvedWarnings;
    const Expected<Revision> resolved =
        PythonRevisionParser::parse(path, content, &resolvedWarnings, &resolver);
    if (!text) {
        FUZZ_CHECK(!plain && !resolved);
        return 0;
    }
    checkRevision(*text, plain, plainWarnings);
    checkRevision(*text, resolved, resolvedWarnings);
    compare(plain, resolved);
    return 0;
}
