#pragma once

#include <QColor>
#include <QString>

#include <vector>

namespace qmigrate {

class RevisionMap;

// What the revision search matches, for the graph and the Revisions list alike, so that both show the same
// revisions for the same text.
class RevisionSearch
{
public:
    // By map index, 1 for each revision the text matches; empty for a blank text. A revision matches when
    // the text resolves to it as Alembic resolves a revision argument ("label@head", "heads", a branch
    // label, an id or an unambiguous prefix), when its id starts with the text, when its message contains
    // it, or when one of its branch labels (declared or carried down the branch) contains it; all but the
    // Alembic forms ignore case. Linear in the number of revisions.
    static std::vector<char> match(const RevisionMap &map, const QString &text);

    // The band behind a matching row. A highlighter's yellow: none of the colours the graph's legend
    // explains (applied green, would-be-reverted red, pending orange, selection blue).
    static QColor highlightColour(bool dark);
};

} // namespace qmigrate
