#pragma once

#include "graph/revisionmap.h"

#include <QAbstractTableModel>

#include <memory>

// The revisions of a project in history order (newest first), one row each. Reads a RevisionMap snapshot
// that the model owns; data() only reads precomputed values.
class RevisionListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RevisionColumn, ParentsColumn, LabelsColumn, MarkersColumn, MessageColumn, ColumnCount };
    enum Role { RevisionIdRole = Qt::UserRole + 1, FilePathRole };

    explicit RevisionListModel(QObject *parent = nullptr);

    // The map is shared, not copied: the GUI's one project.
    void setMap(std::shared_ptr<const qmigrate::RevisionMap> map);
    void setMap(qmigrate::RevisionMap map);
    const qmigrate::RevisionMap &map() const { return *m_map; }
    // The map index of the revision shown in a row.
    int revisionIndex(int row) const
    {
        return row >= 0 && row < m_rows.size() ? m_rows.at(row).revision : -1;
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        int revision = -1;
        QString parents;
        QString labels;
        QString markers;
    };

    std::shared_ptr<const qmigrate::RevisionMap> m_map = std::make_shared<const qmigrate::RevisionMap>();
    QList<Row> m_rows;
};
