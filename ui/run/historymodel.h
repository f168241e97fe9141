// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"

#include <QAbstractTableModel>
#include <QBrush>
#include <QIcon>
#include <QList>
#include <QString>

namespace qmigrate {

// The rows of qmigrate_history (HistoryEntry, in the order given: AuditHistory reads them newest first), one
// row each. Display strings are made once in setEntries(); data() only reads stored values.
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        WhenColumn,      // finished (else started) time, local
        RevisionColumn,  // ids shortened to 12 characters
        DirectionColumn, // upgrade / downgrade / stamp
        OutcomeColumn,   // success / failed / cancelled
        DurationColumn,  // "35 ms", "2.4 s", "1 min 3 s"
        UserColumn,
        HostColumn,
        ErrorColumn, // first line of the error text
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, // raw value: QDateTime for When, qint64 ms for Duration, else text
        RevisionIdRole,              // the entry's full revision text
        OutcomeRole,                 // HistoryEntry::Outcome as int
        SearchTextRole,              // what the table's filter matches, lower case
    };

    explicit HistoryModel(QObject *parent = nullptr);

    // Replaces every row (a model reset).
    void setEntries(QList<HistoryEntry> entries);
    const QList<HistoryEntry> &entries() const { return m_entries; }
    // row must be valid.
    const HistoryEntry &entry(int row) const { return m_entries.at(row); }

    // "35 ms", "2.4 s", "1 min 3 s", "2 h 5 min": how long a step took, for people.
    static QString formatDuration(qint64 milliseconds);
    // The time a row is listed under: finishedAt when recorded, else startedAt.
    static QDateTime when(const HistoryEntry &entry);
    // Local time, "yyyy-MM-dd HH:mm:ss"; empty for an invalid time.
    static QString formatTime(const QDateTime &time);
    // A revision column value with each comma-separated id cut to 12 characters (stamps name several).
    static QString shortRevision(const QString &revision);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QDateTime when;
        QString whenText;
        QString revisionText;
        QString durationText;
        QString errorLine;
        QString toolTip;
        QString searchText;
    };
    Row makeRow(const HistoryEntry &entry) const;
    void updateColours();

    QList<HistoryEntry> m_entries;
    QList<Row> m_rows;
    QBrush m_failedBrush;
    QBrush m_cancelledBrush;
    QIcon m_failedIcon;
    QIcon m_cancelledIcon;
    QIcon m_interruptedIcon;
};

} // namespace qmigrate
