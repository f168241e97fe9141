// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"

#include <QList>
#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;

namespace qmigrate {

class HistoryFilterProxyModel;
class HistoryModel;

// The audit history of the selected connection (qmigrate_history), as a table sortable by every column
// (newest first to start with) and filtered by a text and an outcome. Without rows it shows why instead of
// an empty table: no connection selected, or no history on that database yet.
class HistoryTable : public QWidget
{
    Q_OBJECT

public:
    enum OutcomeChoice { AllOutcomes, SuccessOutcome, FailedOutcome, CancelledOutcome };

    explicit HistoryTable(QWidget *parent = nullptr);

    // The rows of one database, in any order (MigrationController::stateRead gives them newest first).
    // An empty list shows "No qmigrate_history on this database yet".
    void setEntries(const QList<HistoryEntry> &entries);
    // No rows, and reason (default: "No connection selected") in place of the table.
    void clear(const QString &reason = {});

    // Whether the placeholder is shown instead of the table, and its text.
    bool isShowingPlaceholder() const;
    QString placeholderText() const;

    // Owned by the table; for tests.
    HistoryModel *model() const { return m_model; }
    HistoryFilterProxyModel *proxyModel() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *outcomeCombo() const { return m_outcome; }

signals:
    // A row was double-clicked (or activated with Enter): its revision id. A stamp's row names the first of
    // its revisions; a stamp to base emits nothing.
    void revisionActivated(const QString &id);

private:
    void showPlaceholder(const QString &text);
    void activateRow(const QModelIndex &proxyIndex);

    HistoryModel *m_model = nullptr;
    HistoryFilterProxyModel *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_outcome = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QTableView *m_view = nullptr;
};

} // namespace qmigrate
