// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QString>

#include <memory>
#include <vector>

namespace qmigrate {

class RevisionMap;

// What the revision search matches, for the graph and the Revisions list alike, so that both show the same
// revisions for the same text. One per view and map: the first search folds the messages' case once, so that
// every later search of the map is a plain scan (a case-insensitive scan of 10,000 messages costs several
// times more).
class RevisionSearch
{
public:
    RevisionSearch() = default;
    explicit RevisionSearch(std::shared_ptr<const RevisionMap> map);

    // The map to search; it is kept, not copied.
    void setMap(std::shared_ptr<const RevisionMap> map);

    // By map index, 1 for each revision the text matches; empty for a blank text. A revision matches when
    // the text resolves to it as Alembic resolves a revision argument ("label@head", "heads", a branch
    // label, an id or an unambiguous prefix), when its id starts with the text, when its message contains
    // it, or when one of its branch labels (declared or carried down the branch) contains it; all but the
    // Alembic forms ignore case. Linear in the number of revisions.
    std::vector<char> match(const QString &text) const;
    // The same, once, without keeping anything.
    static std::vector<char> match(const RevisionMap &map, const QString &text);

    // The band behind a matching row. A highlighter's yellow: none of the colours the graph's legend
    // explains (applied green, would-be-reverted red, pending orange, selection blue).
    static QColor highlightColour(bool dark);

private:
    static std::vector<char> match(const RevisionMap &map, const QString &text,
                                   const std::vector<QString> *foldedMessages);

    std::shared_ptr<const RevisionMap> m_map;
    mutable std::vector<QString> m_foldedMessages; // by map index, made by the first search
};

} // namespace qmigrate
