// SPDX-License-Identifier: MIT
#include "revisions/revisionsearch.h"

#include "graph/revisionmap.h"

#include <QSet>
#include <QStringMatcher>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

RevisionSearch::RevisionSearch(std::shared_ptr<const RevisionMap> map)
{
    setMap(std::move(map));
}

void RevisionSearch::setMap(std::shared_ptr<const RevisionMap> map)
{
    m_map = std::move(map);
    m_foldedMessages.clear();
}

std::vector<char> RevisionSearch::match(const QString &text) const
{
    if (!m_map || text.trimmed().isEmpty())
        return {};
    if (m_foldedMessages.size() != size_t(m_map->size())) {
        m_foldedMessages.clear();
        m_foldedMessages.reserve(size_t(m_map->size()));
        for (const Revision &revision : m_map->revisions())
            m_foldedMessages.push_back(revision.message.toCaseFolded());
    }
    return match(*m_map, text, &m_foldedMessages);
}

std::vector<char> RevisionSearch::match(const RevisionMap &map, const QString &text)
{
    return match(map, text, nullptr);
}

std::vector<char> RevisionSearch::match(const RevisionMap &map, const QString &text,
                                        const std::vector<QString> *foldedMessages)
{
    const QString needle = text.trimmed();
    std::vector<char> found;
    if (needle.isEmpty())
        return found;
    found.assign(size_t(map.size()), 0);
    // Relative forms ("-2", "label@+1") are steps from the database or the heads, not names: a search for
    // "-1" means the text.
    const QString token = needle.mid(needle.indexOf(u'@') + 1);
    if (!token.startsWith(u'-') && !token.startsWith(u'+')) {
        if (const Expected<QList<int>> resolved = map.resolve(needle)) {
            for (const int index : *resolved)
                found[size_t(index)] = 1;
        }
    }
    const QString foldedNeedle = needle.toCaseFolded();
    const QStringMatcher inFolded(foldedNeedle, Qt::CaseSensitive);
    const QStringMatcher inMessage(needle, Qt::CaseInsensitive);
    // The labels containing the text, among those declared (every label a revision carries is declared by
    // one): usually none, and then no revision's labels need a look.
    QSet<QString> labels;
    for (const Revision &revision : map.revisions()) {
        for (const QString &label : revision.branchLabels) {
            if (label.contains(needle, Qt::CaseInsensitive))
                labels.insert(label);
        }
    }
    for (int index = 0; index < map.size(); ++index) {
        if (found[size_t(index)])
            continue;
        const Revision &revision = map.revision(index);
        const bool inText = foldedMessages ? inFolded.indexIn((*foldedMessages)[size_t(index)]) >= 0
                                           : inMessage.indexIn(revision.message) >= 0;
        const auto labelled = [&] {
            const QStringList &carried = map.labels(index);
            return std::any_of(carried.begin(), carried.end(),
                               [&](const QString &label) { return labels.contains(label); });
        };
        if (inText || revision.id.startsWith(needle, Qt::CaseInsensitive) ||
            (!labels.isEmpty() && labelled()))
            found[size_t(index)] = 1;
    }
    return found;
}

QColor RevisionSearch::highlightColour(bool dark)
{
    return dark ? QColor(0x8a, 0x7a, 0x10) : QColor(0xff, 0xec, 0x6e);
}

} // namespace qmigrate
