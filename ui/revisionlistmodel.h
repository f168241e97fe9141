#pragma once

#include "revisionmap.h"

#include <QAbstractTableModel>

// The revisions of a project in history order (newest first), one row each. Reads a RevisionMap snapshot
// that the model owns; data() only reads precomputed values.
class RevisionListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RevisionColumn, ParentsColumn, LabelsColumn, MarkersColumn, MessageColumn, ColumnCount };
    enum Role { RevisionIdRole = Qt::UserRole + 1, FilePathRole };

    explicit RevisionListModel(QObject *parent = nullptr);

    void setMap(qmigrate::RevisionMap map);
    const qmigrate::RevisionMap &map() const { return m_map; }

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

    qmigrate::RevisionMap m_map;
    QList<Row> m_rows;
};
