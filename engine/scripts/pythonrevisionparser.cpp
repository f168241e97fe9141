// SPDX-License-Identifier: MIT
#include "scripts/pythonrevisionparser.h"

#include "scripts/moduleconstantresolver.h"
#include "scripts/pythonliteralparser.h"
#include "scripts/pythontokenizer.h"
#include "scripts/scripttext.h"

#include <QFileInfo>

#include <optional>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

using Type = PythonToken::Type;

using Value = PythonLiteralParser::Value;

enum Field { RevisionField, DownRevisionField, BranchLabelsField, DependsOnField, FieldCount };

constexpr QLatin1StringView fieldNames[FieldCount] = {
    QLatin1StringView("revision"),
    QLatin1StringView("down_revision"),
    QLatin1StringView("branch_labels"),
    QLatin1StringView("depends_on"),
};

struct Assignment
{
    int line = 0;
    std::optional<Value> value; // empty: only Python can compute it
    QString expression;
};

bool isLegacyRevisionFileName(QStringView name, QStringView *id)
{
    if (!name.endsWith(u".py"))
        return false;
    const QStringView stem = name.chopped(3);
    if (stem.isEmpty())
        return false;
    for (const QChar c : stem) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    *id = stem;
    return true;
}

class Parser
{
public:
    Parser(const QString &path, const QString &text, QList<EngineError> *warnings,
           ModuleConstantResolver *resolver)
        : m_path(path)
        , m_text(text)
        , m_source(text)
        , m_warnings(warnings)
        , m_resolver(resolver)
    {}

    // The whole doc, stripped, goes to longDocOut when it is given (the revision keeps only its message).
    Expected<Revision> run(QString *longDocOut);

private:
    EngineError error(const QString &message, int line) const { return EngineError(message, m_path, line); }
    void statement(const QList<PythonToken> &tokens, qsizetype begin, qsizetype end);
    bool listField(Field field, Revision *rev, QStringList *out, EngineError *err);

    const QString &m_path;
    const QString &m_text;
    QStringView m_source;
    QList<EngineError> *m_warnings;
    ModuleConstantResolver *m_resolver;
    Assignment m_fields[FieldCount];
};

void Parser::statement(const QList<PythonToken> &tokens, qsizetype begin, qsizetype end)
{
    if (end - begin < 2 || tokens.at(begin).type != Type::Name)
        return;
    const QStringView name = tokens.at(begin).text(m_source);
    int field = 0;
    while (field < FieldCount && name != fieldNames[field])
        ++field;
    if (field == FieldCount)
        return;

    const PythonToken &second = tokens.at(begin + 1);
    const QStringView op = second.text(m_source);
    qsizetype valueBegin = -1;
    if (op == u"=") {
        valueBegin = begin + 2;
    } else if (op == u":") {
        // An annotation: its own brackets are balanced, so the first "=" outside them starts the value.
        int depth = 0;
        for (qsizetype i = begin + 2; i < end; ++i) {
            const QStringView t = tokens.at(i).text(m_source);
            if (tokens.at(i).type != Type::Op)
                continue;
            if (t == u"(" || t == u"[" || t == u"{")
                ++depth;
            else if (t == u")" || t == u"]" || t == u"}")
                --depth;
            else if (depth == 0 && t == u"=") {
                valueBegin = i + 1;
                break;
            }
        }
        if (valueBegin < 0)
            return; // a bare annotation assigns nothing
    } else if (second.type == Type::Op && op.size() == 2 && op.endsWith(u'=') && op != u"==") {
        valueBegin = begin + 2; // augmented assignment: always computed
    } else {
        return;
    }

    Assignment assignment;
    assignment.line = tokens.at(begin).line;
    if (valueBegin < end) {
        assignment.expression =
            m_source.sliced(tokens.at(valueBegin).start, tokens.at(end - 1).end - tokens.at(valueBegin).start)
                .toString()
                .simplified();
    }
    if (op == u"=" || op == u":") {
        bool chained = false;
        int depth = 0;
        for (qsizetype i = valueBegin; i < end && !chained; ++i) {
            const QStringView t = tokens.at(i).text(m_source);
            if (tokens.at(i).type != Type::Op)
                continue;
            if (t == u"(" || t == u"[" || t == u"{")
                ++depth;
            else if (t == u")" || t == u"]" || t == u"}")
                --depth;
            else
                chained = depth == 0 && t == u"=";
        }
        if (!chained && valueBegin < end)
            assignment.value = PythonLiteralParser(m_source, tokens, valueBegin, end).parse();
    } else {
        assignment.expression = u"%1 %2"_s.arg(op, assignment.expression);
    }
    m_fields[field] = std::move(assignment);
}

bool Parser::listField(Field field, Revision *rev, QStringList *out, EngineError *err)
{
    const Assignment &assignment = m_fields[field];
    if (!assignment.line)
        return true;
    std::optional<Value> resolved = assignment.value;
    if (!resolved && m_resolver) {
        resolved = m_resolver->resolve(m_path, m_text, QString(fieldNames[field]));
        if (resolved)
            rev->addComputedField(u"%1 from %2"_s.arg(fieldNames[field], resolved->origins.join(u", "_s)));
    }
    if (!resolved) {
        m_warnings->append(
            error(u"Cannot read '%1' without running Python: %2; the field is left empty (the "
                  "project's Alembic can resolve it)"_s.arg(fieldNames[field], assignment.expression),
                  assignment.line));
        rev->addUnresolvedField(fieldNames[field]);
        return true;
    }
    const Value &value = *resolved;
    if (value.kind == Value::Kind::String)
        *out = QStringList{value.string}; // sized exactly, as every revision keeps it
    else if (value.kind == Value::Kind::Sequence)
        *out = value.sequence;
    // Alembic 1.8.1 reads depends_on through to_tuple() and then tuple_rev_as_scalar(): "", ("",) and [""]
    // all end as "", which it takes as no dependency. down_revision skips to_tuple(), so only a plain "" is
    // a base there; ("",) fails in Alembic with a KeyError. An empty branch label stays a label that no
    // identifier can name. Those stay errors below.
    const bool emptyMeansNone =
        field == DependsOnField || (field == DownRevisionField && value.kind == Value::Kind::String);
    if (emptyMeansNone && out->size() == 1 && out->first().isEmpty())
        out->clear();
    for (const QString &entry : std::as_const(*out)) {
        if (entry.isEmpty()) {
            *err = error(u"Empty string in '%1'"_s.arg(fieldNames[field]), assignment.line);
            return false;
        }
    }
    return true;
}

Expected<Revision> Parser::run(QString *longDocOut)
{
    Revision rev;
    QString longDoc;
    rev.kind = Revision::Kind::Python;
    rev.path = m_path;

    PythonTokenizer tokenizer(m_source);
    QList<PythonToken> tokens;
    bool first = true;
    while (tokenizer.next(&tokens)) {
        const bool isFirst = first;
        first = false;
        if (tokens.first().column != 0)
            continue; // inside a def, class, if ...: not a module-level assignment
        if (isFirst) {
            bool docstring = true;
            QString doc;
            for (const PythonToken &token : std::as_const(tokens)) {
                QString part;
                if (!PythonTokenizer::stringValue(m_source, token, &part)) {
                    docstring = false;
                    break;
                }
                doc += part;
            }
            if (docstring) {
                longDoc = std::move(doc).trimmed();
                continue;
            }
        }
        qsizetype begin = 0;
        int depth = 0;
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            const PythonToken &token = tokens.at(i);
            if (token.type != Type::Op || token.end - token.start != 1)
                continue;
            const QChar c = m_source.at(token.start);
            if (c == u'(' || c == u'[' || c == u'{') {
                ++depth;
            } else if (c == u')' || c == u']' || c == u'}') {
                --depth;
            } else if (c == u';' && depth == 0) {
                statement(tokens, begin, i);
                begin = i + 1;
            }
        }
        statement(tokens, begin, tokens.size());
    }
    if (tokenizer.hasError())
        return error(tokenizer.errorMessage(), tokenizer.errorLine());

    rev.message = ScriptText::firstParagraph(longDoc);
    rev.createDate = ScriptText::compactUtf8(ScriptText::createDate(longDoc));
    if (longDocOut)
        *longDocOut = std::move(longDoc);

    const Assignment &revision = m_fields[RevisionField];
    if (!revision.line) {
        const QString fileName = QFileInfo(m_path).fileName();
        QStringView legacyId;
        if (!isLegacyRevisionFileName(fileName, &legacyId)) {
            return error(
                u"Could not determine revision id from filename %1. Be sure the 'revision' variable is "
                "declared inside the script (please see 'Upgrading from Alembic 0.1 to 0.2' in the "
                "documentation)."_s.arg(fileName),
                0);
        }
        rev.id = legacyId.toString();
    } else {
        if (!revision.value) {
            return error(
                u"Cannot read 'revision' without running Python: %1; the revision id must be a string "
                "literal"_s.arg(revision.expression),
                revision.line);
        }
        if (revision.value->kind != Value::Kind::String) {
            return error(u"'revision' must be a string, not %1"_s.arg(revision.expression), revision.line);
        }
        if (revision.value->string.isEmpty())
            return error(u"Empty 'revision'"_s, revision.line);
        rev.id = revision.value->string;
        rev.idLine = revision.line;
    }
    if (const QString illegal = ScriptText::illegalCharactersMessage(rev.id); !illegal.isEmpty())
        return error(illegal, rev.idLine).setRevision(rev.id);
    if (rev.id.size() > ScriptText::MaxIdLength)
        m_warnings->append(error(ScriptText::tooLongMessage(rev.id), rev.idLine).setRevision(rev.id));

    if (!m_fields[DownRevisionField].line) {
        return error(u"No module-level 'down_revision' variable (write 'down_revision = None' for a base)"_s,
                     rev.idLine)
            .setRevision(rev.id);
    }
    EngineError listError;
    if (!listField(DownRevisionField, &rev, &rev.downRevisions, &listError) ||
        !listField(BranchLabelsField, &rev, &rev.branchLabels, &listError) ||
        !listField(DependsOnField, &rev, &rev.dependsOn, &listError)) {
        return listError.setRevision(rev.id);
    }
    rev.downRevisionLine = m_fields[DownRevisionField].line;
    rev.branchLabelsLine = m_fields[BranchLabelsField].line;
    rev.dependsOnLine = m_fields[DependsOnField].line;
    if (rev.downRevisions.contains(rev.id)) {
        return error(u"Self-loop is detected in revisions (%1)"_s.arg(rev.id), rev.downRevisionLine)
            .setRevision(rev.id);
    }
    if (rev.dependsOn.contains(rev.id)) {
        return error(u"Dependency self-loop is detected in revisions (%1)"_s.arg(rev.id), rev.dependsOnLine)
            .setRevision(rev.id);
    }
    return rev;
}

} // namespace

Expected<Revision> PythonRevisionParser::parse(const QString &path, const QByteArray &content,
                                               QList<EngineError> *warnings, ModuleConstantResolver *resolver,
                                               QString *longDoc)
{
    Expected<QString> text = ScriptText::decode(path, content);
    if (!text)
        return text.error();
    QList<EngineError> ignored;
    return Parser(path, *text, warnings ? warnings : &ignored, resolver).run(longDoc);
}

} // namespace qmigrate
