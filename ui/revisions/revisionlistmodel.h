// SPDX-License-Identifier: MIT
#pragma once

#include "graph/revisionmap.h"

#include <QAbstractTableModel>
#include <QColor>

#include <memory>
#include <vector>

// The revisions of a project in history order (newest first), one row each. Reads a RevisionMap snapshot
// that the model shares. Setting a map only orders the rows; data() builds a cell's text when the view asks
// for it, which is for the visible rows only, so opening 10,000 revisions with hundreds of inherited branch
// labels each does not freeze the window.
class RevisionListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RevisionColumn, ParentsColumn, LabelsColumn, MarkersColumn, MessageColumn, ColumnCount };
    enum Role { RevisionIdRole = Qt::UserRole + 1, FilePathRole, SearchMatchRole };

    explicit RevisionListModel(QObject *parent = nullptr);

    // The map is shared, not copied: the GUI's one project.
    void setMap(std::shared_ptr<const qmigrate::RevisionMap> map);
    void setMap(qmigrate::RevisionMap map);
    // The rows in the order given: the map's history(), worked out by the caller (off the UI thread), so
    // that setting even 100,000 revisions costs no more than copying their indexes.
    void setMap(std::shared_ptr<const qmigrate::RevisionMap> map, const QList<int> &history);
    const qmigrate::RevisionMap &map() const { return *m_map; }
    // The map index of the revision shown in a row.
    int revisionIndex(int row) const
    {
        return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)] : -1;
    }

    // The row showing a map index, or -1.
    int rowOf(int revision) const
    {
        return revision >= 0 && size_t(revision) < m_rowOf.size() ? m_rowOf[size_t(revision)] : -1;
    }
    // The search's matches by map index (RevisionSearch::match; empty: no search): their rows get the
    // search highlight as background and SearchMatchRole true.
    void setMatches(std::vector<char> matches, bool dark);
    bool isMatch(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // How many branch labels a cell (and its tooltip) lists before "and N more".
    static constexpr int shownLabels = 4;
    static constexpr int shownLabelsInToolTip = 30;

private:
    QString parentsText(const qmigrate::Revision &revision) const;
    QString labelsText(int revision, int shown) const;
    QString markersText(int revision) const;

    std::shared_ptr<const qmigrate::RevisionMap> m_map = std::make_shared<const qmigrate::RevisionMap>();
    std::vector<int> m_rows; // map indexes in history order
    std::vector<int> m_rowOf;
    std::vector<char> m_matches;
    QColor m_highlight;
};
