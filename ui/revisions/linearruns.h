// SPDX-License-Identifier: MIT
#pragma once

#include <vector>

namespace qmigrate {

class GraphLayout;
class RevisionMap;

// The long linear runs of a laid-out graph, and the rows the graph view shows when some of them are
// collapsed, each into one row (an elided edge, as gitk and Sublime Merge draw long histories). A run is a
// chain of revisions on consecutive rows of one lane, each with exactly one parent (the next row) and one
// child, with no depends_on in or out and no branch label of its own: its rows all have the same lanes, so
// one row can stand for them. A view concern only: the layout's rows keep their numbers, and this maps them
// to the view's rows and back in constant time. Building and every change are linear in the rows.
class LinearRuns
{
public:
    struct Run
    {
        int first = 0; // layout rows, inclusive
        int last = 0;
        int length() const { return last - first + 1; }
    };
    // Runs of more than eight revisions: a shorter one is no shorter drawn than collapsed and announced.
    static constexpr int defaultMinimumLength = 9;

    // pinned: by map index, revisions kept on rows of their own (the database's current revisions); empty
    // for none. Every run starts collapsed.
    static LinearRuns find(const RevisionMap &map, const GraphLayout &layout,
                           const std::vector<char> &pinned = {}, int minimumLength = defaultMinimumLength);

    const std::vector<Run> &runs() const { return m_runs; }
    bool isCollapsed(int run) const { return m_collapsed[size_t(run)] != 0; }
    void setCollapsed(int run, bool collapsed);
    void setAllCollapsed(bool collapsed);
    // By run, 1 for collapsed: all at once, one rebuild.
    void setCollapsed(std::vector<char> collapsed);
    // The run a layout row is in, or -1.
    int runOfRow(int row) const
    {
        return row >= 0 && size_t(row) < m_runOfRow.size() ? m_runOfRow[size_t(row)] : -1;
    }
    // Whether a layout row is inside a collapsed run.
    bool isHidden(int row) const
    {
        const int run = runOfRow(row);
        return run >= 0 && isCollapsed(run);
    }

    // The view's rows: one per layout row, but one per collapsed run.
    int displayRowCount() const { return int(m_rowOfDisplay.size()) - 1; }
    int displayRowOf(int row) const
    {
        return row >= 0 && size_t(row) < m_displayOfRow.size() ? m_displayOfRow[size_t(row)] : -1;
    }
    // The first layout row a view row shows, and its last.
    int firstRowOf(int displayRow) const { return m_rowOfDisplay[size_t(displayRow)]; }
    int lastRowOf(int displayRow) const { return m_rowOfDisplay[size_t(displayRow) + 1] - 1; }
    // The collapsed run a view row shows, or -1 for a revision's own row.
    int collapsedRunAt(int displayRow) const;

private:
    void rebuild();

    std::vector<Run> m_runs;
    std::vector<char> m_collapsed;
    std::vector<int> m_runOfRow;
    std::vector<int> m_displayOfRow;
    std::vector<int> m_rowOfDisplay{0}; // with the end as a sentinel
};

} // namespace qmigrate
