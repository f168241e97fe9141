// SPDX-License-Identifier: MIT
#include "graph/headmaintainer.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

QString VersionChange::toString() const
{
    switch (kind) {
    case Kind::Insert:
        return u"INSERT "_s + to;
    case Kind::Update:
        return u"UPDATE "_s + from + u" -> "_s + to;
    case Kind::Delete:
        return u"DELETE "_s + from;
    }
    return {};
}

HeadMaintainer::HeadMaintainer(const RevisionMap &map, const QList<int> &rows)
    : m_map(&map)
    , m_rows(rows)
{
    recomputeApplied();
}

QStringList HeadMaintainer::rowIds() const
{
    QStringList ids;
    ids.reserve(m_rows.size());
    for (const int row : m_rows)
        ids.append(m_map->idOf(row));
    return ids;
}

void HeadMaintainer::recomputeApplied()
{
    m_applied.assign(size_t(m_map->size()), 0);
    for (const int revision : m_map->ancestors(m_rows))
        m_applied[size_t(revision)] = 1;
}

// Through all_nextrev rather than the normalized children: a dependency dropped by normalisation is declared
// by an applied versioned ancestor of the dependant, so the answer is the same.
bool HeadMaintainer::implied(int revision) const
{
    for (const int child : m_map->allChildren(revision)) {
        if (m_applied[size_t(child)])
            return true;
    }
    return false;
}

void HeadMaintainer::apply(const QList<VersionChange> &changes)
{
    for (const VersionChange &change : changes) {
        switch (change.kind) {
        case VersionChange::Kind::Insert:
            m_rows.append(m_map->indexOf(change.to));
            break;
        case VersionChange::Kind::Update:
            m_rows[m_rows.indexOf(m_map->indexOf(change.from))] = m_map->indexOf(change.to);
            break;
        case VersionChange::Kind::Delete:
            m_rows.removeOne(m_map->indexOf(change.from));
            break;
        }
    }
}

// Returns an explanation when the rows are not exactly the heads of the applied set, looking at the rows
// and at candidates (the revisions whose status the last step can have changed).
QString HeadMaintainer::checkRowsAreHeads(const QList<int> &candidates) const
{
    const auto check = [this](int revision) -> QString {
        const bool head = m_applied[size_t(revision)] && !implied(revision);
        if (isRow(revision) && !head) {
            return m_applied[size_t(revision)]
                       ? u"row %1 would be an ancestor of another applied revision"_s.arg(
                             m_map->idOf(revision))
                       : u"row %1 would not be applied"_s.arg(m_map->idOf(revision));
        }
        if (!isRow(revision) && head)
            return u"applied head %1 would have no row"_s.arg(m_map->idOf(revision));
        return {};
    };
    for (const int row : m_rows) {
        if (const QString problem = check(row); !problem.isEmpty())
            return problem;
    }
    for (const int candidate : candidates) {
        if (const QString problem = check(candidate); !problem.isEmpty())
            return problem;
    }
    return {};
}

Expected<QList<VersionChange>> HeadMaintainer::upgrade(int revision)
{
    const QString id = m_map->idOf(revision);
    if (m_applied[size_t(revision)])
        return EngineError(u"%1 is already applied"_s.arg(id));
    QList<int> parentRows;
    QList<int> candidates{revision};
    for (const int parent : m_map->normalizedDown(revision)) {
        if (!m_applied[size_t(parent)])
            return EngineError(u"%1 needs %2, which is not applied"_s.arg(id, m_map->idOf(parent)));
        if (isRow(parent))
            parentRows.append(parent);
        candidates.append(parent);
    }

    QList<VersionChange> changes;
    if (parentRows.isEmpty()) {
        changes.append(VersionChange::insert(id));
    } else {
        for (qsizetype i = 0; i + 1 < parentRows.size(); ++i)
            changes.append(VersionChange::remove(m_map->idOf(parentRows.at(i))));
        changes.append(VersionChange::update(m_map->idOf(parentRows.last()), id));
    }
    apply(changes);
    m_applied[size_t(revision)] = 1;
    if (const QString problem = checkRowsAreHeads(candidates); !problem.isEmpty())
        return EngineError(problem);
    return changes;
}

Expected<QList<VersionChange>> HeadMaintainer::downgrade(int revision)
{
    const QString id = m_map->idOf(revision);
    if (!m_applied[size_t(revision)])
        return EngineError(u"%1 is not applied"_s.arg(id));
    if (!isRow(revision))
        return EngineError(u"%1 is needed by another applied revision"_s.arg(id));
    m_applied[size_t(revision)] = 0;

    QList<int> uncovered;
    QList<int> candidates{revision};
    for (const int parent : m_map->normalizedDown(revision)) {
        if (!implied(parent))
            uncovered.append(parent);
        candidates.append(parent);
    }

    QList<VersionChange> changes;
    if (uncovered.isEmpty()) {
        changes.append(VersionChange::remove(id));
    } else {
        for (qsizetype i = 0; i + 1 < uncovered.size(); ++i)
            changes.append(VersionChange::insert(m_map->idOf(uncovered.at(i))));
        changes.append(VersionChange::update(id, m_map->idOf(uncovered.last())));
    }
    apply(changes);
    if (const QString problem = checkRowsAreHeads(candidates); !problem.isEmpty())
        return EngineError(problem);
    return changes;
}

Expected<QList<VersionChange>> HeadMaintainer::stamp(const QList<int> &from, int to, bool isUpgrade,
                                                     bool branchMove)
{
    const auto allRows = [this](const QList<int> &revisions) {
        for (const int r : revisions) {
            if (!isRow(r))
                return false;
        }
        return true;
    };
    QList<VersionChange> changes;
    if (!isUpgrade && branchMove) {
        for (const int head : from)
            changes.append(VersionChange::remove(m_map->idOf(head)));
    } else if (to >= 0 && isUpgrade && (branchMove || !allRows(from)) && !isRow(to)) {
        changes.append(VersionChange::insert(m_map->idOf(to)));
    } else if (to < 0 || from.isEmpty()) {
        // Alembic's update_version_num asserts one "from" revision here.
        return EngineError(to >= 0 && isRow(to) ? u"%1 is a row already"_s.arg(m_map->idOf(to))
                                                : u"there is no row to stamp from"_s);
    } else {
        for (qsizetype i = 0; i + 1 < from.size(); ++i)
            changes.append(VersionChange::remove(m_map->idOf(from.at(i))));
        changes.append(VersionChange::update(m_map->idOf(from.last()), m_map->idOf(to)));
    }

    // Steps are planned from the rows before the first one, so a later step can find its rows gone.
    QList<int> rows = m_rows;
    for (const VersionChange &change : std::as_const(changes)) {
        const int fromRow = change.from.isEmpty() ? -1 : m_map->indexOf(change.from);
        const int toRow = change.to.isEmpty() ? -1 : m_map->indexOf(change.to);
        if (fromRow >= 0 && !rows.contains(fromRow))
            return EngineError(u"%1 is not a row any more"_s.arg(change.from));
        if (toRow >= 0 && rows.contains(toRow))
            return EngineError(u"%1 is a row already"_s.arg(change.to));
        if (fromRow >= 0)
            rows.removeOne(fromRow);
        if (toRow >= 0)
            rows.append(toRow);
    }
    apply(changes);
    recomputeApplied();
    if (const QString problem = checkRowsAreHeads({}); !problem.isEmpty())
        return EngineError(problem);
    return changes;
}

} // namespace qmigrate
