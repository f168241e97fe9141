// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <span>
#include <vector>

namespace qmigrate {

class RevisionMap;

// The glyph state of one lane in one row (docs/revision-graph-layout.md, GitQlient's LaneType). "MergeFork"
// is the node of a revision that merges and/or where several children's lanes converge.
enum class LaneType : quint8 {
    Empty,
    Active,
    NotActive,
    MergeFork,
    MergeForkL,
    MergeForkR,
    Join,
    JoinL,
    JoinR,
    Head,
    HeadL,
    HeadR,
    Tail,
    TailL,
    TailR,
    Cross,
    CrossEmpty,
    Initial,
    Branch,
};

// One row of the graph, newest on top.
struct GraphRow
{
    int revision = -1;           // index in the RevisionMap
    int lane = 0;                // the column of the revision's node
    std::vector<LaneType> lanes; // the state of every column across this row
    // The branch (GraphLayout::branchOf) whose line each column carries across this row, -1 for an empty
    // column. In the node's column it is the line coming down into the node; below the node the line is the
    // node's own branch.
    std::vector<int> laneBranches;
};

// One down_revision edge from a child to its parent: along the child's row from childLane to lane, straight
// down lane to the parent's row, then along that row into parentLane when lane != parentLane (there lane is
// a Tail into the parent's node).
struct GraphEdge
{
    enum class Kind : quint8 {
        Straight, // one lane from child to parent
        Branch,   // the child's lane ends in a Tail into the parent's node: the parent is a branch point
        Merge,    // a merge connector along the child's row into a Join or Head lane
    };
    Kind kind = Kind::Straight;
    int child = -1; // revision indices
    int parent = -1;
    int childRow = -1;
    int parentRow = -1;
    int childLane = 0;
    int lane = 0;
    int parentLane = 0;
};

// A depends_on edge, drawn dashed in a gutter right of the lanes: along the dependant's row to its track,
// along the track to the dependency's row, then along that row into the dependency's node.
struct DependencyEdge
{
    int revision = -1;   // the dependant (revision indices)
    int dependency = -1; // what it depends on
    int fromRow = -1;
    int toRow = -1;
    int track = 0; // column of the gutter; edges sharing a track never share a row
    int topRow() const { return fromRow < toRow ? fromRow : toRow; }
    int bottomRow() const { return fromRow < toRow ? toRow : fromRow; }
};

// The QGit/GitQlient lane layout (docs/revision-graph-layout.md) of a revision map: pure computation on
// values, so it can run on a worker thread. Linear in rows x lanes. depends_on edges do not take part (they
// are not lanes); they get their own tracks beside the lanes.
class GraphLayout
{
public:
    // Rows in map.history() order (every revision above its parents).
    static GraphLayout compute(const RevisionMap &map);
    // Rows in the given order, which must list every revision before its parents.
    static GraphLayout compute(const RevisionMap &map, const QList<int> &order);

    const std::vector<GraphRow> &rows() const { return m_rows; }
    const std::vector<GraphEdge> &edges() const { return m_edges; }
    int rowOf(int revision) const
    {
        return revision >= 0 && size_t(revision) < m_rowOf.size() ? m_rowOf[size_t(revision)] : -1;
    }
    // The widest row's number of columns.
    int laneCount() const { return m_laneCount; }

    // The first revision of the branch a revision is on: a base, or a revision that does not continue its
    // first parent's line. A parent's line goes on into one child only, the same one whatever children are
    // added later (see branchContinues() in graphlayout.cpp), so that branch colours keyed on it are stable.
    int branchOf(int revision) const
    {
        return revision >= 0 && size_t(revision) < m_branchOf.size() ? m_branchOf[size_t(revision)]
                                                                     : revision;
    }

    // Every depends_on edge whose rows are both laid out, dependants in row order.
    const std::vector<DependencyEdge> &dependencyEdges() const { return m_dependencies; }
    // The gutter's number of tracks (0 without depends_on edges).
    int dependencyTrackCount() const { return m_dependencyTracks; }
    // The indices (in dependencyEdges()) of the edges crossing rows [firstRow, lastRow], each once. Costs
    // what those edges cost, not what the graph costs: painting asks it for the exposed rows.
    std::vector<int> dependencyEdgesIn(int firstRow, int lastRow) const;

    // "MERGE_FORK_L" etc., GitQlient's names (used by tests and debugging).
    static QString laneTypeName(LaneType type);
    // One row's lanes as "[ACTIVE NOT_ACTIVE]".
    static QString describeLanes(const GraphRow &row);

private:
    void computeDependencies(const RevisionMap &map);

    std::vector<GraphRow> m_rows;
    std::vector<GraphEdge> m_edges;
    std::vector<int> m_rowOf;
    std::vector<int> m_branchOf;
    int m_laneCount = 0;
    std::vector<DependencyEdge> m_dependencies;
    // The edges crossing each block of dependencyBlockRows rows.
    std::vector<std::vector<int>> m_dependencyBlocks;
    int m_dependencyTracks = 0;
};

} // namespace qmigrate
