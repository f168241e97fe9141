// SPDX-License-Identifier: MIT
#include "revisions/graphlayout.h"

#include "graph/revisionmap.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <queue>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

bool isNode(LaneType t)
{
    return t == LaneType::MergeFork || t == LaneType::MergeForkL || t == LaneType::MergeForkR;
}
bool isHeadType(LaneType t)
{
    return t == LaneType::Head || t == LaneType::HeadL || t == LaneType::HeadR;
}
bool isJoin(LaneType t)
{
    return t == LaneType::Join || t == LaneType::JoinL || t == LaneType::JoinR;
}
bool isTail(LaneType t)
{
    return t == LaneType::Tail || t == LaneType::TailL || t == LaneType::TailR;
}

// The lane state machine of docs/revision-graph-layout.md (QGit's Lanes), with revision indices instead of
// shas; -1 in next means "waits for nothing".
class Lanes
{
public:
    std::vector<LaneType> type;
    std::vector<int> next;
    std::vector<int> branch; // the branch (GraphLayout::branchOf) whose line the column carries
    int active = 0;
    const std::vector<int> *branchOf = nullptr;

    int find(int revision, int from) const
    {
        for (size_t i = size_t(from); i < next.size(); ++i) {
            if (next[i] == revision)
                return int(i);
        }
        return -1;
    }

    // alsoCrossed: a column the fork step of the same row crosses is free too (see setMerge).
    // owner: the revision whose branch the new column's line belongs to.
    int add(LaneType kind, int revision, int from, int owner, bool alsoCrossed = false)
    {
        const int line = (*branchOf)[size_t(owner)];
        for (size_t i = size_t(from); i < type.size(); ++i) {
            if (type[i] == LaneType::Empty || (alsoCrossed && type[i] == LaneType::CrossEmpty)) {
                type[i] = kind;
                next[i] = revision;
                branch[i] = line;
                return int(i);
            }
        }
        type.push_back(kind);
        next.push_back(revision);
        branch.push_back(line);
        return int(type.size()) - 1;
    }

    void changeActive(int revision)
    {
        // A lane that waits for nothing ended in a base. QGit tests for INITIAL only, which misses a base
        // that is also a branch point (its node is a MERGE_FORK), and draws that lane on forever.
        LaneType &old = type[size_t(active)];
        old = next[size_t(active)] == -1 ? LaneType::Empty : LaneType::NotActive;
        int pos = find(revision, 0);
        if (pos != -1)
            type[size_t(pos)] = LaneType::Active;
        else
            pos = add(LaneType::Branch, revision, active, revision);
        active = pos;
    }

    void setFork(int revision)
    {
        int start = find(revision, 0);
        int end = start;
        for (int i = start; i != -1; i = find(revision, i + 1)) {
            end = i;
            type[size_t(i)] = LaneType::Tail;
        }
        type[size_t(active)] = LaneType::MergeFork;
        LaneType &s = type[size_t(start)];
        LaneType &e = type[size_t(end)];
        if (s == LaneType::MergeFork)
            s = LaneType::MergeForkL;
        if (e == LaneType::MergeFork)
            e = LaneType::MergeForkR;
        if (s == LaneType::Tail)
            s = LaneType::TailL;
        if (e == LaneType::Tail)
            e = LaneType::TailR;
        for (int i = start + 1; i < end; ++i) {
            LaneType &t = type[size_t(i)];
            if (t == LaneType::NotActive)
                t = LaneType::Cross;
            else if (t == LaneType::Empty)
                t = LaneType::CrossEmpty;
        }
    }

    // Returns the lane chosen for each parent (the active lane for the first).
    void setMerge(std::span<const int> parents, std::vector<int> &parentLanes)
    {
        LaneType &t = type[size_t(active)];
        const bool wasFork = t == LaneType::MergeFork;
        const bool wasForkL = t == LaneType::MergeForkL;
        const bool wasForkR = t == LaneType::MergeForkR;
        bool startJoinWasCross = false;
        bool endJoinWasCross = false;
        bool endHeadWasCrossed = false;
        // The fork step of this row draws its connector up to the last TAIL, forkEnd.
        int forkEnd = active;
        for (size_t i = 0; i < type.size(); ++i) {
            if (isTail(type[i]))
                forkEnd = int(i);
        }
        t = LaneType::MergeFork;
        int start = active;
        int end = active;
        for (size_t k = 1; k < parents.size(); ++k) {
            int idx = find(parents[k], 0);
            if (idx != -1) {
                if (idx > end) {
                    end = idx;
                    endJoinWasCross = type[size_t(idx)] == LaneType::Cross;
                }
                if (idx < start) {
                    start = idx;
                    startJoinWasCross = type[size_t(idx)] == LaneType::Cross;
                }
                type[size_t(idx)] = LaneType::Join;
            } else {
                // Deviation from QGit: a free column the fork connector of this row crosses is taken too (it
                // stays a full-width HEAD, below). QGit only takes EMPTY ones, so a revision that both merges
                // and is a branch point leaves a hole inside its fork span that no later row can reuse, and a
                // trunk of such revisions gains a column per revision.
                // The line up to a merge belongs to the merged branch, as it does below the merged parent.
                idx = add(LaneType::Head, parents[k], end + 1, parents[k], true);
                endHeadWasCrossed = idx < forkEnd;
                end = idx;
            }
            parentLanes.push_back(idx);
        }
        LaneType &s = type[size_t(start)];
        LaneType &e = type[size_t(end)];
        if (s == LaneType::MergeFork && !wasFork && !wasForkR)
            s = LaneType::MergeForkL;
        if (e == LaneType::MergeFork && !wasFork && !wasForkL)
            e = LaneType::MergeForkR;
        if (s == LaneType::Join && !startJoinWasCross)
            s = LaneType::JoinL;
        if (e == LaneType::Join && !endJoinWasCross)
            e = LaneType::JoinR;
        if (s == LaneType::Head)
            s = LaneType::HeadL;
        if (e == LaneType::Head && !endHeadWasCrossed)
            e = LaneType::HeadR;
        for (int i = start + 1; i < end; ++i) {
            LaneType &m = type[size_t(i)];
            if (m == LaneType::NotActive)
                m = LaneType::Cross;
            else if (m == LaneType::Empty)
                m = LaneType::CrossEmpty;
            else if (m == LaneType::TailR || m == LaneType::TailL)
                m = LaneType::Tail;
        }
    }

    void afterMerge()
    {
        for (LaneType &t : type) {
            if (isHeadType(t) || isJoin(t) || t == LaneType::Cross)
                t = LaneType::NotActive;
            else if (t == LaneType::CrossEmpty)
                t = LaneType::Empty;
            else if (isNode(t))
                t = LaneType::Active;
        }
    }

    void afterFork()
    {
        for (LaneType &t : type) {
            if (t == LaneType::Cross)
                t = LaneType::NotActive;
            else if (isTail(t) || t == LaneType::CrossEmpty)
                t = LaneType::Empty;
            if (isNode(t))
                t = LaneType::Active;
        }
        while (!type.empty() && type.back() == LaneType::Empty) {
            type.pop_back();
            next.pop_back();
            branch.pop_back();
        }
    }
};

// Whether child a, rather than its sibling b, carries on their first parent's line. A branch keeps its colour
// only if this never changes when a revision is added, so a newcomer must lose against the children already
// there: a child that declares a branch label starts a named branch (Alembic's --branch-label); then the
// older Create Date wins (every generated script has one); load order is the last resort, as files load in
// name order and a new file may sort before an old one.
bool branchContinues(const RevisionMap &map, int a, int b)
{
    const Revision &ra = map.revision(a);
    const Revision &rb = map.revision(b);
    const bool labelledA = !ra.branchLabels.isEmpty();
    const bool labelledB = !rb.branchLabels.isEmpty();
    if (labelledA != labelledB)
        return !labelledA;
    if (!ra.createDate.isEmpty() && !rb.createDate.isEmpty() && ra.createDate != rb.createDate)
        return ra.createDate < rb.createDate;
    return a < b;
}

constexpr int dependencyBlockRows = 64;

} // namespace

GraphLayout GraphLayout::compute(const RevisionMap &map)
{
    return compute(map, map.history());
}

GraphLayout GraphLayout::compute(const RevisionMap &map, const QList<int> &order)
{
    GraphLayout layout;
    layout.m_rows.reserve(size_t(order.size()));
    layout.m_rowOf.assign(size_t(map.size()), -1);
    for (qsizetype row = 0; row < order.size(); ++row)
        layout.m_rowOf[size_t(order.at(row))] = int(row);
    if (order.isEmpty())
        return layout;

    // Branches, from the bases up: a revision is on its first parent's branch when it is the child that
    // continues that parent's line.
    layout.m_branchOf.resize(size_t(map.size()));
    std::iota(layout.m_branchOf.begin(), layout.m_branchOf.end(), 0);
    std::vector<int> continuation(size_t(map.size()), -1);
    for (const int r : order) {
        const RevisionMap::Indices parents = map.parents(r);
        if (parents.empty() || layout.rowOf(parents.front()) < 0)
            continue;
        int &chosen = continuation[size_t(parents.front())];
        if (chosen < 0 || branchContinues(map, r, chosen))
            chosen = r;
    }
    for (qsizetype row = order.size() - 1; row >= 0; --row) {
        const int r = order.at(row);
        const RevisionMap::Indices parents = map.parents(r);
        if (!parents.empty() && continuation[size_t(parents.front())] == r)
            layout.m_branchOf[size_t(r)] = layout.m_branchOf[size_t(parents.front())];
    }

    Lanes lanes;
    lanes.branchOf = &layout.m_branchOf;
    lanes.add(LaneType::Branch, order.first(), 0, order.first());
    std::vector<int> parentLanes;
    for (qsizetype row = 0; row < order.size(); ++row) {
        const int r = order.at(row);
        const RevisionMap::Indices parents = map.parents(r);
        const int pos = lanes.find(r, 0);
        const bool discontinuity = pos != lanes.active;
        const bool fork = pos != -1 && lanes.find(r, pos + 1) != -1;
        const bool merge = parents.size() > 1;
        if (discontinuity)
            lanes.changeActive(r);
        if (fork)
            lanes.setFork(r);
        parentLanes.clear();
        if (!parents.empty())
            parentLanes.push_back(lanes.active);
        if (merge)
            lanes.setMerge(parents, parentLanes);
        if (parents.empty() && !isNode(lanes.type[size_t(lanes.active)]))
            lanes.type[size_t(lanes.active)] = LaneType::Initial;

        GraphRow graphRow{r, lanes.active, lanes.type, lanes.branch};
        for (size_t i = 0; i < graphRow.lanes.size(); ++i) {
            if (graphRow.lanes[i] == LaneType::Empty || graphRow.lanes[i] == LaneType::CrossEmpty)
                graphRow.laneBranches[i] = -1;
        }
        layout.m_rows.push_back(std::move(graphRow));
        layout.m_laneCount = std::max(layout.m_laneCount, int(lanes.type.size()));
        for (size_t k = 0; k < parents.size(); ++k) {
            GraphEdge edge;
            edge.child = r;
            edge.parent = parents[k];
            edge.childRow = int(row);
            edge.childLane = lanes.active;
            edge.lane = parentLanes[k];
            layout.m_edges.push_back(edge);
        }

        lanes.next[size_t(lanes.active)] = parents.empty() ? -1 : parents.front();
        lanes.branch[size_t(lanes.active)] = layout.m_branchOf[size_t(r)];
        if (merge)
            lanes.afterMerge();
        if (fork)
            lanes.afterFork();
        if (lanes.type[size_t(lanes.active)] == LaneType::Branch)
            lanes.type[size_t(lanes.active)] = LaneType::Active;
    }
    // A parent missing from order (a partial order) keeps row -1 and its edge ends nowhere.
    for (GraphEdge &edge : layout.m_edges) {
        edge.parentRow = layout.rowOf(edge.parent);
        edge.parentLane = edge.parentRow >= 0 ? layout.m_rows[size_t(edge.parentRow)].lane : edge.lane;
        edge.kind = edge.lane != edge.childLane    ? GraphEdge::Kind::Merge
                    : edge.lane != edge.parentLane ? GraphEdge::Kind::Branch
                                                   : GraphEdge::Kind::Straight;
    }
    layout.computeDependencies(map);
    return layout;
}

void GraphLayout::computeDependencies(const RevisionMap &map)
{
    for (const GraphRow &row : m_rows) {
        for (const int dependency : map.dependencies(row.revision)) {
            const int toRow = rowOf(dependency);
            if (toRow >= 0)
                m_dependencies.push_back(
                    DependencyEdge{row.revision, dependency, rowOf(row.revision), toRow, 0});
        }
    }
    if (m_dependencies.empty())
        return;
    // Tracks by greedy interval colouring, edges by top row: an edge takes the lowest track free since the
    // row above its top, so the gutter is as narrow as the most edges crossing one row.
    std::vector<int> byTop(m_dependencies.size());
    std::iota(byTop.begin(), byTop.end(), 0);
    std::stable_sort(byTop.begin(), byTop.end(), [this](int a, int b) {
        return m_dependencies[size_t(a)].topRow() < m_dependencies[size_t(b)].topRow();
    });
    using Busy = std::pair<int, int>; // bottom row, track
    std::priority_queue<Busy, std::vector<Busy>, std::greater<>> busy;
    std::priority_queue<int, std::vector<int>, std::greater<>> free;
    for (const int index : byTop) {
        DependencyEdge &edge = m_dependencies[size_t(index)];
        while (!busy.empty() && busy.top().first < edge.topRow()) {
            free.push(busy.top().second);
            busy.pop();
        }
        if (free.empty()) {
            edge.track = m_dependencyTracks++;
        } else {
            edge.track = free.top();
            free.pop();
        }
        busy.emplace(edge.bottomRow(), edge.track);
    }
    m_dependencyBlocks.resize((m_rows.size() + dependencyBlockRows - 1) / dependencyBlockRows);
    for (size_t index = 0; index < m_dependencies.size(); ++index) {
        const DependencyEdge &edge = m_dependencies[index];
        for (int block = edge.topRow() / dependencyBlockRows; block <= edge.bottomRow() / dependencyBlockRows;
             ++block)
            m_dependencyBlocks[size_t(block)].push_back(int(index));
    }
}

std::vector<int> GraphLayout::dependencyEdgesIn(int firstRow, int lastRow) const
{
    std::vector<int> found;
    if (m_dependencyBlocks.empty() || lastRow < firstRow)
        return found;
    const int firstBlock = std::max(0, firstRow / dependencyBlockRows);
    const int lastBlock = std::min(int(m_dependencyBlocks.size()) - 1, lastRow / dependencyBlockRows);
    for (int block = firstBlock; block <= lastBlock; ++block) {
        for (const int index : m_dependencyBlocks[size_t(block)]) {
            const DependencyEdge &edge = m_dependencies[size_t(index)];
            // An edge is listed in every block it crosses: take it in the first of those the query covers.
            if (std::max(firstBlock, edge.topRow() / dependencyBlockRows) != block)
                continue;
            if (edge.bottomRow() >= firstRow && edge.topRow() <= lastRow)
                found.push_back(index);
        }
    }
    return found;
}

QString GraphLayout::laneTypeName(LaneType type)
{
    switch (type) {
    case LaneType::Empty:
        return u"EMPTY"_s;
    case LaneType::Active:
        return u"ACTIVE"_s;
    case LaneType::NotActive:
        return u"NOT_ACTIVE"_s;
    case LaneType::MergeFork:
        return u"MERGE_FORK"_s;
    case LaneType::MergeForkL:
        return u"MERGE_FORK_L"_s;
    case LaneType::MergeForkR:
        return u"MERGE_FORK_R"_s;
    case LaneType::Join:
        return u"JOIN"_s;
    case LaneType::JoinL:
        return u"JOIN_L"_s;
    case LaneType::JoinR:
        return u"JOIN_R"_s;
    case LaneType::Head:
        return u"HEAD"_s;
    case LaneType::HeadL:
        return u"HEAD_L"_s;
    case LaneType::HeadR:
        return u"HEAD_R"_s;
    case LaneType::Tail:
        return u"TAIL"_s;
    case LaneType::TailL:
        return u"TAIL_L"_s;
    case LaneType::TailR:
        return u"TAIL_R"_s;
    case LaneType::Cross:
        return u"CROSS"_s;
    case LaneType::CrossEmpty:
        return u"CROSS_EMPTY"_s;
    case LaneType::Initial:
        return u"INITIAL"_s;
    case LaneType::Branch:
        return u"BRANCH"_s;
    }
    return {};
}

QString GraphLayout::describeLanes(const GraphRow &row)
{
    QStringList names;
    names.reserve(qsizetype(row.lanes.size()));
    for (const LaneType type : row.lanes)
        names.append(laneTypeName(type));
    return u"["_s + names.join(QLatin1Char(' ')) + u"]"_s;
}

} // namespace qmigrate
