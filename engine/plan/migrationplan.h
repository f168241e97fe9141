// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "graph/headmaintainer.h"
#include "graph/revisionmap.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace qmigrate {

// One step of a plan: a revision's upgrade or downgrade, or a stamp, with its exact writes to the version
// table and the rows after them.
struct MigrationStep
{
    enum class Direction { Upgrade, Downgrade, Stamp };

    Direction direction = Direction::Upgrade;
    int revision = -1; // map index; -1 for stamp steps
    // As Alembic prints them: upgrade = versioned parents -> the revision; downgrade = the revision ->
    // versioned parents (depends_on never shown); stamp = the lineage-filtered rows -> the destination (empty
    // for base).
    QStringList fromRevisions;
    QStringList toRevisions;
    QString doc; // the revision's message; empty for stamps
    // Upgrade and downgrade steps: the revision and its file as the plan was made from it. The checksum
    // (ScriptChecksum) is of the text the plan's SQL came from; a run refuses to start when the file on disk
    // no longer has it, so what runs is what was planned and shown.
    QString revisionId;
    QString scriptPath;
    QString scriptChecksum;
    QList<VersionChange> versionChanges;
    QStringList rowsAfter; // alembic_version after this step, in row order (see HeadMaintainer)

    // "upgrade", "downgrade", "stamp_revision" (Alembic's migration_fn.__name__).
    QString name() const;
    // "upgrade a35234d98c14 -> 3bd87e32742f": the offline "-- Running …" comment without "-- Running ".
    QString shortLog() const;
    // "Running upgrade 1503909ba7f6 -> a5b70f5b9391, add orders index",
    // "Running stamp_revision 473ea28d19b4, 849f2264101d -> 3bd87e32742f" (no doc for stamps).
    QString logLine() const;
};

// What an upgrade, downgrade or stamp will do, computed from the rows of alembic_version before the run
// (docs/alembic-compatibility.md). Pure: no database access, so the same plan drives the online run,
// offline --sql and --dry-run.
//
// The current rows are checked first: every row must be a revision of the map (else the database was
// migrated with scripts this project does not contain) and no row may be an ancestor of another. After
// every step the rows are checked to be exactly the heads of what is applied; a violation is reported as an
// internal error naming the step (it would be a bug in the rules, never a state the plan writes).
//
// Differences from Alembic, all deliberate:
//  - set-ordered choices (which parent row is UPDATEd in a merge or unmerge) follow normalized_down order,
//    see HeadMaintainer; the row sets are Alembic's;
//  - an unmerge never re-inserts a parent that another applied revision still implies (Alembic >= 1.13.1
//    fixed this only when no other rows exist);
//  - stamp destinations that overlap (one an ancestor of another) are refused instead of written as
//    overlapping rows, and duplicates are stamped once.
class MigrationPlan
{
public:
    // upgrade TARGET ("Upgrade plan"): steps parents first.
    static Expected<MigrationPlan> upgrade(const RevisionMap &map, const QStringList &currentRows,
                                           const QString &target);
    // downgrade TARGET ("Downgrade plan"): steps children first. Alembic's "downgrade -1 from multiple heads
    // is ambiguous" warning is appended to warnings when given.
    static Expected<MigrationPlan> downgrade(const RevisionMap &map, const QStringList &currentRows,
                                             const QString &target, QStringList *warnings = nullptr);
    // stamp TARGET... (Alembic's _stamp_revs). With purge the table is emptied first (one DELETE without
    // WHERE, see purge()) and the current rows are neither read nor checked: that is how a database stamped
    // by unknown scripts is repaired.
    static Expected<MigrationPlan> stamp(const RevisionMap &map, const QStringList &currentRows,
                                         const QStringList &targets, bool purge);

    // The rows as indices, after checking them as described above. Duplicates are dropped.
    static Expected<QList<int>> checkRows(const RevisionMap &map, const QStringList &rows);

    MigrationPlan() = default;

    const QList<MigrationStep> &steps() const { return m_steps; }
    bool isEmpty() const { return m_steps.isEmpty() && !m_purge; }
    // The whole table is deleted before the first step (stamp --purge).
    bool purge() const { return m_purge; }
    QStringList rowsBefore() const { return m_rowsBefore; }
    // Rows once the purge (if any) is done and before the first step.
    QStringList rowsAtStart() const { return m_purge ? QStringList() : m_rowsBefore; }
    QStringList rowsAfterStep(qsizetype step) const { return m_steps.at(step).rowsAfter; }
    QStringList rowsAfter() const { return m_steps.isEmpty() ? rowsAtStart() : m_steps.last().rowsAfter; }

private:
    // The steps for revisions in run order, with the version-table writes HeadMaintainer gives for them.
    static Expected<MigrationPlan> fromRevisionSteps(const RevisionMap &map, const QStringList &currentRows,
                                                     const QList<int> &rows, const QList<int> &revisions,
                                                     bool upgrade);

    QList<MigrationStep> m_steps;
    QStringList m_rowsBefore;
    bool m_purge = false;
};

} // namespace qmigrate
