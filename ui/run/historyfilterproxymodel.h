// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"

#include <QSortFilterProxyModel>
#include <QString>

#include <optional>

namespace qmigrate {

// Filters a HistoryModel by text (a case-insensitive substring of the revision id, user, host, direction,
// outcome or error text, from HistoryModel::SearchTextRole) and by outcome, and sorts by
// HistoryModel::SortRole, so dates sort chronologically and durations numerically.
class HistoryFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit HistoryFilterProxyModel(QObject *parent = nullptr);

    // Empty (or only blanks) matches every row.
    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    // nullopt shows every outcome.
    void setOutcomeFilter(std::optional<HistoryEntry::Outcome> outcome);
    std::optional<HistoryEntry::Outcome> outcomeFilter() const { return m_outcome; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text; // trimmed, lower case
    std::optional<HistoryEntry::Outcome> m_outcome;
};

} // namespace qmigrate
