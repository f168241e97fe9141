// SPDX-License-Identifier: MIT
#include "revisions/linearruns.h"

#include "graph/revisionmap.h"
#include "revisions/graphlayout.h"

namespace qmigrate {

LinearRuns LinearRuns::find(const RevisionMap &map, const GraphLayout &layout,
                            const std::vector<char> &pinned, int minimumLength)
{
    LinearRuns result;
    const auto &rows = layout.rows();
    const auto inChain = [&](int revision) {
        return map.parents(revision).size() == 1 && map.children(revision).size() == 1 &&
               map.allChildren(revision).size() == 1 && map.dependencies(revision).empty() &&
               map.revision(revision).branchLabels.isEmpty() &&
               !(size_t(revision) < pinned.size() && pinned[size_t(revision)]);
    };
    result.m_runOfRow.assign(rows.size(), -1);
    size_t start = 0;
    const auto close = [&](size_t end) { // rows [start, end)
        if (end > start && int(end - start) >= minimumLength) {
            const int run = int(result.m_runs.size());
            result.m_runs.push_back({int(start), int(end) - 1});
            for (size_t row = start; row < end; ++row)
                result.m_runOfRow[row] = run;
        }
    };
    for (size_t row = 0; row < rows.size(); ++row) {
        const GraphRow &here = rows[row];
        if (!inChain(here.revision)) {
            close(row);
            start = row + 1;
            continue;
        }
        // The chain goes on from the row above when that row's only parent is this one and the lanes
        // across both rows are the same (then one row can stand for both).
        const bool continues = row > start && map.parents(rows[row - 1].revision)[0] == here.revision &&
                               rows[row - 1].lane == here.lane && rows[row - 1].lanes == here.lanes;
        if (!continues) {
            close(row);
            start = row;
        }
    }
    close(rows.size());
    result.m_collapsed.assign(result.m_runs.size(), 1);
    result.rebuild();
    return result;
}

void LinearRuns::setCollapsed(int run, bool collapsed)
{
    if (run < 0 || size_t(run) >= m_runs.size() || isCollapsed(run) == collapsed)
        return;
    m_collapsed[size_t(run)] = collapsed ? 1 : 0;
    rebuild();
}

void LinearRuns::setAllCollapsed(bool collapsed)
{
    m_collapsed.assign(m_runs.size(), collapsed ? 1 : 0);
    rebuild();
}

void LinearRuns::setCollapsed(std::vector<char> collapsed)
{
    collapsed.resize(m_runs.size(), 0);
    m_collapsed = std::move(collapsed);
    rebuild();
}

int LinearRuns::collapsedRunAt(int displayRow) const
{
    if (displayRow < 0 || displayRow >= displayRowCount())
        return -1;
    const int first = firstRowOf(displayRow);
    return first != lastRowOf(displayRow) || isHidden(first) ? runOfRow(first) : -1;
}

void LinearRuns::rebuild()
{
    const size_t rows = m_runOfRow.size();
    m_displayOfRow.assign(rows, -1);
    m_rowOfDisplay.clear();
    m_rowOfDisplay.reserve(rows + 1);
    for (size_t row = 0; row < rows; ++row) {
        const int run = m_runOfRow[row];
        if (!(run >= 0 && m_collapsed[size_t(run)] && int(row) != m_runs[size_t(run)].first))
            m_rowOfDisplay.push_back(int(row));
        m_displayOfRow[row] = int(m_rowOfDisplay.size()) - 1;
    }
    m_rowOfDisplay.push_back(int(rows));
}

} // namespace qmigrate
