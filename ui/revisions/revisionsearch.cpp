#include "revisions/revisionsearch.h"

#include "graph/revisionmap.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

std::vector<char> RevisionSearch::match(const RevisionMap &map, const QString &text)
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
    // Most revisions share their label set with their parent (labels() returns the same list), so each set
    // is searched once per run of revisions carrying it rather than once per revision.
    const QStringList *labelSet = nullptr;
    bool labelSetMatches = false;
    for (int index = 0; index < map.size(); ++index) {
        if (found[size_t(index)])
            continue;
        const Revision &revision = map.revision(index);
        if (revision.id.startsWith(needle, Qt::CaseInsensitive) ||
            revision.message.contains(needle, Qt::CaseInsensitive)) {
            found[size_t(index)] = 1;
            continue;
        }
        const QStringList &labels = map.labels(index);
        if (&labels != labelSet) {
            labelSet = &labels;
            labelSetMatches = std::any_of(labels.begin(), labels.end(), [&](const QString &label) {
                return label.contains(needle, Qt::CaseInsensitive);
            });
        }
        found[size_t(index)] = labelSetMatches ? 1 : 0;
    }
    return found;
}

QColor RevisionSearch::highlightColour(bool dark)
{
    return dark ? QColor(0x8a, 0x7a, 0x10) : QColor(0xff, 0xec, 0x6e);
}

} // namespace qmigrate
