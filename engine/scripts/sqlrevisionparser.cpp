// SPDX-License-Identifier: MIT
#include "scripts/sqlrevisionparser.h"

#include "scripts/scripttext.h"

#include <QVarLengthArray>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

struct Line
{
    QStringView text;
    int number;
};

bool isBlank(QStringView line)
{
    for (const QChar c : line) {
        if (!c.isSpace())
            return false;
    }
    return true;
}

// The text of a "--" comment line without the "--" and one following space.
QStringView commentBody(QStringView line)
{
    QStringView body = line.sliced(2);
    if (body.startsWith(QLatin1Char(' ')))
        body = body.sliced(1);
    return body;
}

// "-- migrate:<name>", tolerating spaces after "--" and trailing spaces; sets *rest to text after the name.
bool isMarker(QStringView line, QStringView *name, QStringView *rest)
{
    static constexpr QLatin1StringView prefix("migrate:");
    if (!line.startsWith(u"--"))
        return false;
    const QStringView body = line.sliced(2).trimmed();
    if (!body.startsWith(prefix))
        return false;
    const QStringView tail = body.sliced(prefix.size());
    qsizetype end = 0;
    while (end < tail.size() && !tail.at(end).isSpace())
        ++end;
    *name = tail.first(end);
    *rest = tail.sliced(end).trimmed();
    return true;
}

enum Field { RevisionId, Revises, BranchLabels, DependsOn, CreateDate, FieldCount };

constexpr QLatin1StringView fieldKeys[FieldCount] = {
    QLatin1StringView("Revision ID:"), QLatin1StringView("Revises:"),     QLatin1StringView("Branch labels:"),
    QLatin1StringView("Depends on:"),  QLatin1StringView("Create Date:"),
};

class Parser
{
public:
    Parser(const QString &path, const QString &text, RevisionSections *sections)
        : m_path(path)
        , m_text(text)
        , m_sections(sections)
    {}

    // The whole doc, stripped, goes to longDocOut when it is given (the revision keeps only its message).
    Expected<Revision> run(QString *longDocOut);

private:
    EngineError error(const QString &message, int line) const { return EngineError(message, m_path, line); }
    bool splitList(Field field, QStringView value, int line, QStringList *out, EngineError *err) const;

    const QString &m_path;
    const QString &m_text;
    RevisionSections *m_sections;
};

bool Parser::splitList(Field field, QStringView value, int line, QStringList *out, EngineError *err) const
{
    if (value.isEmpty())
        return true;
    // Exactly the entries' room: every revision keeps this list, and appending to an empty one would
    // allocate room to grow.
    out->reserve(value.count(QLatin1Char(',')) + 1);
    for (const QStringView part : value.tokenize(QLatin1Char(','))) {
        const QStringView entry = part.trimmed();
        if (entry.isEmpty()) {
            *err = error(u"Empty entry in the '%1' list '%2'"_s.arg(fieldKeys[field], value), line);
            return false;
        }
        for (const QChar c : entry) {
            if (c.isSpace()) {
                *err = error(
                    u"Entry '%1' in the '%2' list contains whitespace (separate entries with commas)"_s.arg(
                        entry, fieldKeys[field]),
                    line);
                return false;
            }
        }
        out->append(entry.toString());
    }
    return true;
}

Expected<Revision> Parser::run(QString *longDocOut)
{
    Revision rev;
    rev.kind = Revision::Kind::Sql;
    rev.path = m_path;

    const QStringView text(m_text);
    int fieldLine[FieldCount] = {};
    QStringView fieldValue[FieldCount];
    QVarLengthArray<QStringView, 16> docLines;

    enum class State { BeforeHeader, Header, AfterHeader, Upgrade, Downgrade } state = State::BeforeHeader;
    int upgradeMarkerLine = 0;
    int downgradeMarkerLine = 0;
    qsizetype upgradeStart = -1;
    qsizetype upgradeEnd = -1;
    qsizetype downgradeStart = -1;

    int lineNumber = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        const qsizetype next = end < 0 ? text.size() : end + 1;
        if (end < 0)
            end = text.size();
        ++lineNumber;
        const QStringView line = text.sliced(start, end - start);
        const qsizetype lineStart = start;
        start = next;

        QStringView markerName;
        QStringView markerRest;
        if (isMarker(line, &markerName, &markerRest)) {
            const bool up = markerName == u"upgrade";
            const bool down = markerName == u"downgrade";
            // Inside a section, "-- migrate:no-transaction" stays part of the SQL: the statement splitter
            // reads it and the migrator runs what follows outside the transaction.
            if (markerName == u"no-transaction" && markerRest.isEmpty() &&
                (state == State::Upgrade || state == State::Downgrade))
                continue;
            if (!up && !down) {
                return error(u"Unknown marker '-- migrate:%1'; expected '-- migrate:upgrade', "
                             "'-- migrate:downgrade' or, inside a section, '-- migrate:no-transaction'"_s.arg(
                                 markerName),
                             lineNumber);
            }
            if (!markerRest.isEmpty()) {
                return error(u"Unexpected text '%1' after '-- migrate:%2'"_s.arg(markerRest, markerName),
                             lineNumber);
            }
            if (up) {
                if (upgradeMarkerLine) {
                    return error(
                        u"Duplicate '-- migrate:upgrade' marker (first on line %1)"_s.arg(upgradeMarkerLine),
                        lineNumber);
                }
                if (state == State::BeforeHeader)
                    return error(u"The file has no comment header before '-- migrate:upgrade'"_s, lineNumber);
                upgradeMarkerLine = lineNumber;
                upgradeStart = next;
                state = State::Upgrade;
            } else {
                if (downgradeMarkerLine) {
                    return error(u"Duplicate '-- migrate:downgrade' marker (first on line %1)"_s.arg(
                                     downgradeMarkerLine),
                                 lineNumber);
                }
                if (!upgradeMarkerLine) {
                    return error(
                        u"'-- migrate:downgrade' comes before '-- migrate:upgrade'; the upgrade section "
                        "must come first"_s,
                        lineNumber);
                }
                downgradeMarkerLine = lineNumber;
                upgradeEnd = lineStart;
                downgradeStart = next;
                state = State::Downgrade;
            }
            continue;
        }

        switch (state) {
        case State::BeforeHeader:
            if (isBlank(line))
                break;
            if (!line.startsWith(u"--")) {
                return error(u"SQL before the comment header; a revision file starts with its '--' header "
                             "comment"_s,
                             lineNumber);
            }
            state = State::Header;
            Q_FALLTHROUGH();
        case State::Header: {
            if (!line.startsWith(u"--")) {
                state = State::AfterHeader;
                if (!isBlank(line)) {
                    return error(u"SQL before the '-- migrate:upgrade' marker"_s, lineNumber);
                }
                break;
            }
            QStringView body = commentBody(line);
            // Trailing blanks would hide the paragraph break that ends the message.
            while (!body.isEmpty() && body.back().isSpace())
                body.chop(1);
            docLines.append(body);
            const QStringView key = body.trimmed();
            for (int f = 0; f < FieldCount; ++f) {
                if (!key.startsWith(fieldKeys[f]))
                    continue;
                if (fieldLine[f]) {
                    return error(u"Duplicate '%1' field (first given on line %2)"_s.arg(fieldKeys[f])
                                     .arg(fieldLine[f]),
                                 lineNumber);
                }
                fieldLine[f] = lineNumber;
                fieldValue[f] = key.sliced(fieldKeys[f].size()).trimmed();
                break;
            }
            break;
        }
        case State::AfterHeader:
            if (!isBlank(line) && !line.startsWith(u"--"))
                return error(u"SQL before the '-- migrate:upgrade' marker"_s, lineNumber);
            break;
        case State::Upgrade:
        case State::Downgrade:
            break;
        }
    }

    if (!fieldLine[RevisionId])
        return error(u"No 'Revision ID:' field in the comment header"_s, 1);
    const int idLine = fieldLine[RevisionId];
    const QStringView id = fieldValue[RevisionId];
    if (id.isEmpty())
        return error(u"Empty 'Revision ID:'"_s, idLine);
    for (const QChar c : id) {
        if (c.isSpace())
            return error(u"Revision identifier '%1' contains whitespace"_s.arg(id), idLine);
    }
    if (const QString illegal = ScriptText::illegalCharactersMessage(id); !illegal.isEmpty())
        return error(illegal, idLine);
    if (id.size() > ScriptText::MaxIdLength)
        return error(ScriptText::tooLongMessage(id), idLine);
    rev.id = id.toString();
    rev.idLine = idLine;

    EngineError listError;
    if (!splitList(Revises, fieldValue[Revises], fieldLine[Revises], &rev.downRevisions, &listError) ||
        !splitList(BranchLabels, fieldValue[BranchLabels], fieldLine[BranchLabels], &rev.branchLabels,
                   &listError) ||
        !splitList(DependsOn, fieldValue[DependsOn], fieldLine[DependsOn], &rev.dependsOn, &listError)) {
        return listError.setRevision(rev.id);
    }
    rev.downRevisionLine = fieldLine[Revises];
    rev.branchLabelsLine = fieldLine[BranchLabels];
    rev.dependsOnLine = fieldLine[DependsOn];
    if (rev.downRevisions.contains(rev.id)) {
        return error(u"Self-loop is detected in revisions (%1)"_s.arg(rev.id), rev.downRevisionLine)
            .setRevision(rev.id);
    }
    if (rev.dependsOn.contains(rev.id)) {
        return error(u"Dependency self-loop is detected in revisions (%1)"_s.arg(rev.id), rev.dependsOnLine)
            .setRevision(rev.id);
    }
    rev.createDate = ScriptText::compactUtf8(fieldValue[CreateDate]);

    if (!upgradeMarkerLine)
        return error(u"No '-- migrate:upgrade' marker"_s, 1).setRevision(rev.id);
    if (!downgradeMarkerLine) {
        return error(
                   u"No '-- migrate:downgrade' marker after '-- migrate:upgrade' (an empty downgrade section "
                   "is fine, the marker is not optional)"_s,
                   upgradeMarkerLine)
            .setRevision(rev.id);
    }

    QString doc;
    qsizetype docSize = docLines.size();
    for (const QStringView docLine : std::as_const(docLines))
        docSize += docLine.size();
    doc.reserve(docSize);
    for (const QStringView docLine : std::as_const(docLines)) {
        doc += docLine;
        doc += QLatin1Char('\n');
    }
    QString longDoc = std::move(doc).trimmed();
    rev.message = ScriptText::firstParagraph(longDoc);
    if (longDocOut)
        *longDocOut = std::move(longDoc);
    rev.upgradeLine = upgradeMarkerLine + 1;
    rev.downgradeLine = downgradeMarkerLine + 1;
    if (m_sections) {
        *m_sections =
            RevisionSections(m_text.sliced(upgradeStart, upgradeEnd - upgradeStart), rev.upgradeLine,
                             m_text.sliced(qMin(downgradeStart, m_text.size())), rev.downgradeLine);
    }
    return rev;
}

} // namespace

Expected<Revision> SqlRevisionParser::parse(const QString &path, const QByteArray &content,
                                            RevisionSections *sections, QString *longDoc)
{
    Expected<QString> text = ScriptText::decode(path, content);
    if (!text)
        return text.error();
    return Parser(path, *text, sections).run(longDoc);
}

} // namespace qmigrate
