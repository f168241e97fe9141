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

// The QGit/GitQlient lane layout (docs/revision-graph-layout.md) of a revision map: pure computation on
// values, so it can run on a worker thread. Linear in rows x lanes. depends_on edges do not take part (they
// are not lanes).
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

    // "MERGE_FORK_L" etc., GitQlient's names (used by tests and debugging).
    static QString laneTypeName(LaneType type);
    // One row's lanes as "[ACTIVE NOT_ACTIVE]".
    static QString describeLanes(const GraphRow &row);

private:
    std::vector<GraphRow> m_rows;
    std::vector<GraphEdge> m_edges;
    std::vector<int> m_rowOf;
    int m_laneCount = 0;
};

} // namespace qmigrate
