// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QStackedLayout;
class QTableView;

namespace qmigrate {

class HistoryModel;
class RevisionMap;
struct Revision;

// What is known about one revision: its id, message, place in the graph (parents, children, branch labels,
// dependencies, each id a link), file, create date and kind, and for the selected database what its audit
// history says (applied, reverted, failed, or not applied) with the revision's own history rows.
//
// Copies what it shows when given it (no reference to the map is kept; no database is read). The description
// (the doc past the message) is read from the revision's file off the UI thread and shows up once read.
// setRevision() and setHistory() may come in either order; each redraws only its own part.
class RevisionDetails : public QWidget
{
    Q_OBJECT

public:
    explicit RevisionDetails(QWidget *parent = nullptr);

    // How many branch labels are listed before "and N more" (beyond the revision's own, always listed).
    static constexpr int shownLabels = 6;

    // An index outside the map clears the revision part.
    void setRevision(const RevisionMap &map, int revisionIndex);
    // Every row of one database (newest first, as AuditHistory gives them); the revision's rows are picked
    // here. An empty databaseDisplay means no connection is selected.
    void setHistory(const QList<HistoryEntry> &entries, const QString &databaseDisplay);
    // Whether the shown revision is applied on the database, from its version rows; nullopt while they are
    // not known (not connected, or still reading), so that no "not applied" is shown for a database that
    // could not be read.
    void setAppliedOnDatabase(std::optional<bool> applied);
    // Applied revisions edited since (DatabaseSession::editedScripts()): the shown one gets an "Edited" line
    // and the diff between the text that ran and the file now.
    void setEditedScripts(const QList<ChangedScript> &edited);
    // Forgets the revision and the history.
    void clear();

    QString revisionId() const { return m_id; }
    // The state line for the database, e.g. "Applied on x.db at 2026-01-01 10:00:00 by ann@box, took 35 ms".
    QString stateText() const;
    // The rows of the shown revision in the history list; owned by the widget. For tests.
    HistoryModel *historyModel() const { return m_historyModel; }

signals:
    // A parent, child or dependency id was clicked.
    void revisionActivated(const QString &id);
    // The file link was clicked: the revision's absolute path.
    void openFile(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;

private:
    // The widgets of one form row, found by object name in tests ("parentsValue" etc.).
    QLabel *addRow(const QString &label, const QString &objectName);
    void setRowVisible(QLabel *value, bool visible);
    void setLinks(QLabel *value, const QStringList &ids, const QString &none);
    void updateHistory();
    void readDescription(const Revision &revision);
    static QString stateFor(const HistoryEntry &entry, const QString &database);

    // The revision as shown.
    QString m_id;
    QString m_path;
    QList<HistoryEntry> m_allEntries;
    QHash<QString, QList<qsizetype>> m_entriesOf; // revision id -> its rows in m_allEntries, newest first
    QString m_database;
    std::optional<bool> m_applied;
    QList<ChangedScript> m_edited;
    quint64 m_descriptionRequest = 0; // only the newest read is shown

    QStackedLayout *m_stack = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_longDoc = nullptr;
    QLabel *m_placeholder = nullptr;
    QWidget *m_body = nullptr;
    QFormLayout *m_form = nullptr;
    QLabel *m_idValue = nullptr;
    QLabel *m_kindValue = nullptr;
    QLabel *m_parentsValue = nullptr;
    QLabel *m_childrenValue = nullptr;
    QLabel *m_labelsValue = nullptr;
    QLabel *m_dependsValue = nullptr;
    QLabel *m_dependantsValue = nullptr;
    QLabel *m_computedValue = nullptr;
    QLabel *m_fileValue = nullptr;
    QLabel *m_dateValue = nullptr;
    QLabel *m_stateValue = nullptr;
    QLabel *m_editedValue = nullptr;
    QPlainTextEdit *m_editedDiff = nullptr;
    HistoryModel *m_historyModel = nullptr;
    QTableView *m_historyView = nullptr;
};

} // namespace qmigrate
