// SPDX-License-Identifier: MIT
#pragma once

#include "graph/revisionmap.h"

#include <QList>
#include <QStringList>

#include <vector>

namespace qmigrate {

// Where one database stands against a revision map, from the rows of its version table: which revisions
// are applied, which are its "effective current" revisions, and which rows name revisions the map does not
// contain. Pure; the GUI colours its graph from it and the CLI's `current` prints effectiveCurrent().
class DatabaseState
{
public:
    // What a revision is for this database, given a target the user is looking at.
    enum class Node : quint8 {
        Unknown,     // no database state is known
        Applied,     // applied (a row or implied by one) and not current
        Current,     // one of the effective current revisions
        Pending,     // not applied; an upgrade to the target would apply it
        OffPath,     // not applied, and not needed for the target
        WouldRevert, // applied; a downgrade to the target would revert it
    };

    DatabaseState() = default;
    // rows: alembic_version as read. Rows the map lacks are kept apart (unknownRows()); the rest decide what
    // is applied, through dependencies too, as Alembic's "effective current" does.
    DatabaseState(const RevisionMap &map, const QStringList &rows);

    bool isKnown() const { return m_known; }
    const QStringList &rows() const { return m_rows; }
    // Rows naming revisions these scripts do not contain (another branch's files, a deleted file…).
    const QStringList &unknownRows() const { return m_unknownRows; }
    bool isApplied(int revision) const;
    // The rows and everything they imply, minus the revisions with a versioned child in that set (so a
    // row's depends_on target shows too), in history order (newest first).
    const QList<int> &effectiveCurrent() const { return m_current; }
    bool isAtBase() const { return m_known && m_current.isEmpty(); }

    // The state of every revision (indexed by map index) with target as what "upgrade to here" or
    // "downgrade to here" would aim at: -1 for none (then every unapplied revision is pending, as for
    // "upgrade heads"). A target that is applied marks its applied descendants WouldRevert; one that is not
    // marks its unapplied ancestors Pending and the other unapplied revisions OffPath.
    std::vector<Node> nodeStates(const RevisionMap &map, int target = -1) const;

    static QString nodeName(Node node); // "applied", "current", …

private:
    bool m_known = false;
    QStringList m_rows;
    QStringList m_unknownRows;
    std::vector<char> m_applied;
    QList<int> m_current;
};

} // namespace qmigrate
