// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "graph/revisionmap.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace qmigrate {

// One write to the version table. Update: from -> to; Insert: to; Delete: from.
struct VersionChange
{
    enum class Kind { Insert, Update, Delete };

    Kind kind = Kind::Insert;
    QString from;
    QString to;

    static VersionChange insert(const QString &to) { return {Kind::Insert, {}, to}; }
    static VersionChange update(const QString &from, const QString &to) { return {Kind::Update, from, to}; }
    static VersionChange remove(const QString &from) { return {Kind::Delete, from, {}}; }

    // "INSERT x", "UPDATE a -> b", "DELETE x".
    QString toString() const;
    friend bool operator==(const VersionChange &, const VersionChange &) = default;
};

// The rows of alembic_version while a plan runs, and the writes each step makes to them (Alembic's
// HeadMaintainer; docs/alembic-compatibility.md, "Version-table bookkeeping").
//
// Revision steps are not computed from Alembic's set arithmetic but from what the step means: the rows are
// always the heads of the applied set (the rows plus all their ancestors through normalized_down), so
//  - upgrade R: the rows among R's normalized_down go away and R takes their place: none -> INSERT R (create
//    branch), one -> UPDATE it to R, several -> DELETE all but the last, UPDATE the last to R (merge);
//  - downgrade R: R goes away and each member of normalized_down(R) that nothing else applied still needs
//    comes back: none -> DELETE R, one -> UPDATE R to it, several -> INSERT all but the last, UPDATE R to the
//    last (unmerge).
// That gives Alembic's rows in every case where Alembic's are consistent, including the >= 1.13.1 unmerge fix
// (a parent that is an ancestor of another parent is not re-inserted), and also where Alembic would still
// write overlapping rows (an unmerge while other rows exist, docs/alembic-compatibility.md, "Where qmigrate
// differs on purpose"). Where Alembic picks from a Python set (which parent row is UPDATEd in a merge or
// unmerge) the order of normalized_down decides: down_revision in file order, then depends_on in file order,
// the last one is UPDATEd.
//
// Row order: an UPDATE keeps the row's place, an INSERT appends and a DELETE removes, like the rowid order
// SQLite returns for "SELECT version_num FROM alembic_version".
//
// After every write the invariant is checked: every row is applied and no applied revision is a child of a
// row (no row is an ancestor of another), and nothing applied lost its row.
class HeadMaintainer
{
public:
    // rows: validated revision indices (no unknown ids, no overlaps).
    HeadMaintainer(const RevisionMap &map, const QList<int> &rows);

    const QList<int> &rows() const { return m_rows; }
    QStringList rowIds() const;

    // The writes for one step; an error (plain message, no step context) when the step cannot apply to the
    // current rows: the revision is already applied / not applied, or a parent is missing.
    Expected<QList<VersionChange>> upgrade(int revision);
    Expected<QList<VersionChange>> downgrade(int revision);
    // Alembic's StampStep: from (the lineage-filtered current heads) -> to (-1 = base). isUpgrade and
    // branchMove as _stamp_revs sets them. Dispatch is Alembic's literally (delete branch, create branch,
    // merge, plain update); the result is checked for overlapping rows afterwards.
    Expected<QList<VersionChange>> stamp(const QList<int> &from, int to, bool isUpgrade, bool branchMove);

private:
    bool implied(int revision) const; // an applied revision needs it
    bool isRow(int revision) const { return m_rows.contains(revision); }
    void apply(const QList<VersionChange> &changes);
    QString checkRowsAreHeads(const QList<int> &candidates) const;
    void recomputeApplied();

    const RevisionMap *m_map;
    QList<int> m_rows;
    std::vector<char> m_applied;
};

} // namespace qmigrate
