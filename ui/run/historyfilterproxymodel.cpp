// SPDX-License-Identifier: MIT
#include "run/historyfilterproxymodel.h"

#include "run/historymodel.h"

namespace qmigrate {

HistoryFilterProxyModel::HistoryFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(HistoryModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // Re-filter and re-sort when setEntries() resets the source.
    setDynamicSortFilter(true);
}

void HistoryFilterProxyModel::setFilterText(const QString &text)
{
    const QString normalized = text.trimmed().toLower();
    if (normalized == m_text)
        return;
    m_text = normalized;
    invalidateFilter();
}

void HistoryFilterProxyModel::setOutcomeFilter(std::optional<HistoryEntry::Outcome> outcome)
{
    if (outcome == m_outcome)
        return;
    m_outcome = outcome;
    invalidateFilter();
}

bool HistoryFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_outcome && index.data(HistoryModel::OutcomeRole).toInt() != int(*m_outcome))
        return false;
    return m_text.isEmpty() || index.data(HistoryModel::SearchTextRole).toString().contains(m_text);
}

} // namespace qmigrate
