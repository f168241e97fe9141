// SPDX-License-Identifier: MIT
#include "graph/revisionformatter.h"

#include "graph/revisionmap.h"
#include "scripts/revisiondoc.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QJsonArray toJsonArray(const QStringList &values)
{
    QJsonArray array;
    for (const QString &value : values)
        array.append(value);
    return array;
}

QJsonArray idArray(const RevisionMap &map, RevisionMap::Indices indices)
{
    QJsonArray array;
    for (int index : indices)
        array.append(map.idOf(index));
    return array;
}

// items.join(", ") at the end of `out`, without the joined copy.
void appendJoined(QString &out, const QStringList &items)
{
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += u", "_s;
        out += items.at(i);
    }
}

} // namespace

RevisionFormatter::RevisionFormatter(const RevisionMap &map)
    : m_map(map)
{}

void RevisionFormatter::appendDownRevision(QString &out, int index) const
{
    const Revision &revision = m_map.revision(index);
    if (revision.downRevisions.isEmpty())
        out += u"<base>"_s;
    else
        appendJoined(out, revision.downRevisions);
}

QString RevisionFormatter::formatDownRevision(int index) const
{
    QString text;
    appendDownRevision(text, index);
    return text;
}

QString RevisionFormatter::labelsText(int index) const
{
    return m_map.labels(index).join(u", "_s);
}

QString RevisionFormatter::oneLine(int index, const LineOptions &options) const
{
    QString text;
    appendOneLine(text, index, options);
    return text;
}

void RevisionFormatter::appendOneLine(QString &out, int index, const LineOptions &options) const
{
    const Revision &revision = m_map.revision(index);
    if (options.includeParents) {
        appendDownRevision(out, index);
        if (!revision.dependsOn.isEmpty()) {
            out += u" ("_s;
            appendJoined(out, revision.dependsOn);
            out += u')';
        }
        out += u" -> "_s;
    }
    out += revision.id;
    if (options.includeBranches && !m_map.labels(index).isEmpty()) {
        out += u" ("_s;
        appendJoined(out, m_map.labels(index));
        out += u')';
    }
    if (options.headIndicators || options.treeIndicators) {
        if (m_map.isRealHead(index))
            out += u" (head)"_s;
        else if (m_map.isHead(index))
            out += u" (effective head)"_s;
        if (m_current.contains(index))
            out += u" (current)"_s;
    }
    if (options.treeIndicators) {
        if (m_map.isBranchPoint(index))
            out += u" (branchpoint)"_s;
        if (m_map.isMergePoint(index))
            out += u" (mergepoint)"_s;
    }
    if (options.includeDoc) {
        out += u", "_s;
        out += revision.message;
    }
}

QString RevisionFormatter::logEntry(int index) const
{
    const Revision &revision = m_map.revision(index);
    QString entry = u"Rev: "_s + revision.id;
    if (m_map.isHead(index))
        entry += u" (head)"_s;
    if (m_map.isBranchPoint(index))
        entry += u" (branchpoint)"_s;
    if (m_map.isMergePoint(index))
        entry += u" (mergepoint)"_s;
    if (m_current.contains(index))
        entry += u" (current)"_s;
    entry += u'\n';
    entry += (m_map.isMergePoint(index) ? u"Merges: "_s : u"Parent: "_s) + formatDownRevision(index) + u'\n';
    if (!revision.dependsOn.isEmpty())
        entry += u"Also depends on: "_s + revision.dependsOn.join(u", "_s) + u'\n';
    if (m_map.isBranchPoint(index))
        entry += u"Branches into: "_s + m_map.idsOf(m_map.children(index)).join(u", "_s) + u'\n';
    if (!m_map.labels(index).isEmpty())
        entry += u"Branch names: "_s + labelsText(index) + u'\n';
    entry += u"Path: "_s + revision.path + u'\n';
    entry += u'\n';
    // The doc is not kept in memory; a file that cannot be read now (or changed since the project was
    // loaded) says so where its doc would be.
    const Expected<QString> doc = RevisionDoc::read(revision);
    const QString longDoc = doc ? *doc : u"(doc not available: %1)"_s.arg(doc.error().toString());
    // str.splitlines() drops the empty piece after a trailing newline; the doc is stripped, so there is none.
    const QStringList docLines = longDoc.split(u'\n');
    QStringList indented;
    if (!longDoc.isEmpty()) {
        for (const QString &line : docLines)
            indented.append(u"    "_s + line);
    }
    entry += indented.join(u'\n') + u'\n';
    return entry;
}

QString RevisionFormatter::format(int index, bool verbose, const LineOptions &options) const
{
    return verbose ? logEntry(index) : oneLine(index, options);
}

QJsonObject RevisionFormatter::toJson(int index) const
{
    const Revision &revision = m_map.revision(index);
    QJsonObject object;
    object.insert(u"revision"_s, revision.id);
    object.insert(u"down_revisions"_s, toJsonArray(revision.downRevisions));
    object.insert(u"depends_on"_s, toJsonArray(revision.dependsOn));
    object.insert(u"branch_labels"_s, toJsonArray(m_map.labels(index)));
    object.insert(u"declared_branch_labels"_s, toJsonArray(revision.branchLabels));
    object.insert(u"children"_s, idArray(m_map, m_map.children(index)));
    object.insert(u"is_head"_s, m_map.isRealHead(index));
    object.insert(u"is_effective_head"_s, m_map.isEffectiveHead(index));
    object.insert(u"is_base"_s, m_map.isBase(index));
    object.insert(u"is_branch_point"_s, m_map.isBranchPoint(index));
    object.insert(u"is_merge_point"_s, m_map.isMergePoint(index));
    if (!m_current.isEmpty())
        object.insert(u"is_current"_s, m_current.contains(index));
    object.insert(u"message"_s, revision.message);
    if (const Expected<QString> doc = RevisionDoc::read(revision); doc) {
        object.insert(u"doc"_s, *doc);
    } else {
        object.insert(u"doc"_s, QJsonValue::Null);
        object.insert(u"doc_error"_s, doc.error().toString());
    }
    object.insert(u"create_date"_s, QString::fromUtf8(revision.createDate));
    object.insert(u"path"_s, revision.path);
    object.insert(u"kind"_s, revision.kind == Revision::Kind::Sql ? u"sql"_s : u"python"_s);
    return object;
}

} // namespace qmigrate
