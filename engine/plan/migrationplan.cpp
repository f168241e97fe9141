// SPDX-License-Identifier: MIT
#include "plan/migrationplan.h"

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// A revision step that breaks the invariant is a bug in the rules; a stamp step can also fail because
// _stamp_revs plans every destination from the rows before the first one (the later step finds its rows
// gone), which Alembic would report as a failed DELETE/UPDATE.
EngineError stepError(qsizetype stepNumber, const MigrationStep &step, const QString &problem)
{
    const QString what = step.direction == MigrationStep::Direction::Stamp
                             ? u"These stamp destinations cannot be applied one after the other"_s
                             : u"Internal error"_s;
    EngineError error(u"%1: step %2 (%3): %4"_s.arg(what).arg(stepNumber).arg(step.shortLog(), problem),
                      step.direction == MigrationStep::Direction::Stamp ? EngineError::Kind::Usage
                                                                        : EngineError::Kind::Project);
    if (!step.toRevisions.isEmpty() || !step.fromRevisions.isEmpty()) {
        error.setRevision(step.direction == MigrationStep::Direction::Downgrade ? step.fromRevisions.value(0)
                                                                                : step.toRevisions.value(0));
    }
    return error;
}

MigrationStep revisionStep(const RevisionMap &map, int revision, bool upgrade)
{
    MigrationStep step;
    step.direction = upgrade ? MigrationStep::Direction::Upgrade : MigrationStep::Direction::Downgrade;
    step.revision = revision;
    const Revision &script = map.revision(revision);
    QStringList self{script.id};
    QStringList parents = map.idsOf(map.parents(revision));
    step.fromRevisions = upgrade ? parents : self;
    step.toRevisions = upgrade ? self : parents;
    step.doc = script.message;
    step.revisionId = script.id;
    step.scriptPath = script.path;
    step.scriptChecksum = script.checksum.toHex();
    return step;
}

std::vector<char> maskOf(qsizetype size, const QList<int> &indices)
{
    std::vector<char> mask(size_t(size), 0);
    for (const int index : indices)
        mask[size_t(index)] = 1;
    return mask;
}

} // namespace

QString MigrationStep::name() const
{
    switch (direction) {
    case Direction::Upgrade:
        return u"upgrade"_s;
    case Direction::Downgrade:
        return u"downgrade"_s;
    case Direction::Stamp:
        return u"stamp_revision"_s;
    }
    return {};
}

QString MigrationStep::shortLog() const
{
    return name() + QLatin1Char(' ') + fromRevisions.join(u", "_s) + u" -> "_s + toRevisions.join(u", "_s);
}

QString MigrationStep::logLine() const
{
    return u"Running "_s + shortLog() + (doc.isEmpty() ? QString() : u", "_s + doc);
}

Expected<QList<int>> MigrationPlan::checkRows(const RevisionMap &map, const QStringList &rows)
{
    QList<int> indices;
    for (const QString &row : rows) {
        const int index = map.indexOf(row);
        if (index < 0) {
            EngineError error(
                u"Can't locate revision identified by '%1', which the version table lists as applied: the "
                "database was migrated with revision scripts this project does not contain (another branch "
                "or a newer version of the project?)"_s.arg(row),
                EngineError::Kind::Database);
            error.setRevision(row);
            return error;
        }
        if (!indices.contains(index))
            indices.append(index);
    }
    for (const int row : std::as_const(indices)) {
        const std::vector<char> below = maskOf(map.size(), map.ancestors({row}));
        QStringList overlaps;
        for (const int other : std::as_const(indices)) {
            if (other != row && below[size_t(other)])
                overlaps.append(map.idOf(other));
        }
        if (!overlaps.isEmpty()) {
            EngineError error(
                u"Requested revision %1 overlaps with other requested revisions %2 (rows of the "
                "version table; a row must not be an ancestor of another)"_s.arg(map.idOf(row),
                                                                                 overlaps.join(u", "_s)),
                EngineError::Kind::Database);
            error.setRevision(map.idOf(row));
            return error;
        }
    }
    return indices;
}

Expected<MigrationPlan> MigrationPlan::fromRevisionSteps(const RevisionMap &map,
                                                         const QStringList &currentRows,
                                                         const QList<int> &rows, const QList<int> &revisions,
                                                         bool upgrade)
{
    MigrationPlan plan;
    plan.m_rowsBefore = currentRows;
    HeadMaintainer heads(map, rows);
    for (const int revision : revisions) {
        MigrationStep step = revisionStep(map, revision, upgrade);
        Expected<QList<VersionChange>> changes =
            upgrade ? heads.upgrade(revision) : heads.downgrade(revision);
        if (!changes)
            return stepError(plan.m_steps.size() + 1, step, changes.error().message());
        step.versionChanges = std::move(*changes);
        step.rowsAfter = heads.rowIds();
        plan.m_steps.append(std::move(step));
    }
    return plan;
}

Expected<MigrationPlan> MigrationPlan::upgrade(const RevisionMap &map, const QStringList &currentRows,
                                               const QString &target)
{
    const Expected<QList<int>> rows = checkRows(map, currentRows);
    if (!rows)
        return rows.error();
    const Expected<QList<int>> revisions = map.upgradeSteps(target, map.idsOf(*rows));
    if (!revisions)
        return revisions.error();
    return fromRevisionSteps(map, currentRows, *rows, *revisions, true);
}

Expected<MigrationPlan> MigrationPlan::downgrade(const RevisionMap &map, const QStringList &currentRows,
                                                 const QString &target, QStringList *warnings)
{
    const Expected<QList<int>> rows = checkRows(map, currentRows);
    if (!rows)
        return rows.error();
    const Expected<QList<int>> revisions = map.downgradeSteps(target, map.idsOf(*rows), warnings);
    if (!revisions)
        return revisions.error();
    return fromRevisionSteps(map, currentRows, *rows, *revisions, false);
}

Expected<MigrationPlan> MigrationPlan::stamp(const RevisionMap &map, const QStringList &currentRows,
                                             const QStringList &targets, bool purge)
{
    QList<int> rows;
    if (!purge) {
        const Expected<QList<int>> checked = checkRows(map, currentRows);
        if (!checked)
            return checked.error();
        rows = *checked;
    }
    const QStringList destinations = targets.isEmpty() ? QStringList{u"base"_s} : targets;

    // Resolve every destination first, so that a bad one fails before anything is planned.
    QList<int> dests;
    QList<QList<int>> sharesOf;
    for (const QString &destination : destinations) {
        Expected<QList<int>> resolved = map.resolve(destination);
        if (!resolved) {
            if (resolved.error().message().startsWith(u"Multiple head revisions are present"_s)) {
                return EngineError(u"Multiple heads are present; please specify a single target revision"_s,
                                   EngineError::Kind::Usage);
            }
            return resolved.error();
        }
        // _stamp_revs keeps the current heads that share lineage with the destination or with its branch
        // label ("label@base" has no revision but still names a lineage).
        QList<int> shares = *resolved;
        if (const qsizetype at = destination.indexOf(QLatin1Char('@')); at > 0) {
            if (const Expected<QList<int>> label = map.resolve(destination.left(at)); label)
                shares += *label;
        }
        sharesOf.append(shares);
        for (const int dest : std::as_const(*resolved)) {
            if (!dests.contains(dest))
                dests.append(dest);
        }
    }
    for (const int dest : std::as_const(dests)) {
        const std::vector<char> below = maskOf(map.size(), map.ancestors({dest}));
        QStringList overlaps;
        for (const int other : std::as_const(dests)) {
            if (other != dest && below[size_t(other)])
                overlaps.append(map.idOf(other));
        }
        if (!overlaps.isEmpty()) {
            return EngineError(u"Requested revision %1 overlaps with other requested revisions %2"_s.arg(
                                   map.idOf(dest), overlaps.join(u", "_s)),
                               EngineError::Kind::Usage);
        }
    }

    QList<int> filtered;
    for (const QList<int> &shares : std::as_const(sharesOf)) {
        for (const int head : std::as_const(rows)) {
            if (filtered.contains(head))
                continue;
            bool related = shares.isEmpty();
            if (!related) {
                std::vector<char> lineage = maskOf(map.size(), map.ancestors({head}));
                for (const int d : map.descendants({head}))
                    lineage[size_t(d)] = 1;
                for (const int share : shares)
                    related = related || lineage[size_t(share)];
            }
            if (related)
                filtered.append(head);
        }
    }

    struct Planned
    {
        QList<int> from;
        int to = -1;
        bool isUpgrade = true;
        bool branchMove = false;
    };
    QList<Planned> planned;
    if (dests.isEmpty()) {
        for (const int head : std::as_const(filtered))
            planned.append({{head}, -1, false, true});
    }
    for (const int dest : std::as_const(dests)) {
        if (filtered.contains(dest))
            continue;
        const std::vector<char> above = maskOf(map.size(), map.descendants({dest}));
        const std::vector<char> below = maskOf(map.size(), map.ancestors({dest}));
        const auto any = [&filtered](const std::vector<char> &mask) {
            return std::any_of(filtered.cbegin(), filtered.cend(),
                               [&mask](int h) { return mask[size_t(h)]; });
        };
        if (any(above))
            planned.append({filtered, dest, false, false});
        else if (any(below))
            planned.append({filtered, dest, true, false});
        else
            planned.append({{}, dest, true, true});
    }

    MigrationPlan plan;
    plan.m_rowsBefore = currentRows;
    plan.m_purge = purge;
    HeadMaintainer heads(map, rows);
    for (const Planned &p : std::as_const(planned)) {
        MigrationStep step;
        step.direction = MigrationStep::Direction::Stamp;
        step.fromRevisions = map.idsOf(p.from);
        if (p.to >= 0)
            step.toRevisions = QStringList{map.idOf(p.to)};
        Expected<QList<VersionChange>> changes = heads.stamp(p.from, p.to, p.isUpgrade, p.branchMove);
        if (!changes)
            return stepError(plan.m_steps.size() + 1, step, changes.error().message());
        step.versionChanges = std::move(*changes);
        step.rowsAfter = heads.rowIds();
        plan.m_steps.append(std::move(step));
    }
    return plan;
}

} // namespace qmigrate
