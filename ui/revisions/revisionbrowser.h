// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"
#include "graph/databasestate.h"
#include "graph/revisionmap.h"

#include <QObject>

#include <memory>

class QWidget;

namespace qmigrate {

class RevisionDetails;
class RevisionGraphPanel;
class RevisionGraphView;
class RevisionListView;

// The revision views of one project, kept on one selected revision: the graph, the list and the details.
// Selecting a revision in any of them (or asking with selectRevision()) selects it in all and says which
// script is now the selected one. It makes the views; the window places them.
class RevisionBrowser : public QObject
{
    Q_OBJECT

public:
    // The views are children of window.
    explicit RevisionBrowser(QWidget *window);

    RevisionListView *list() const { return m_list; }
    RevisionGraphPanel *graphPanel() const { return m_graphPanel; }
    RevisionGraphView *graph() const;
    RevisionDetails *details() const { return m_details; }

    // The project's revisions, with their history order (map->history(), worked out off the UI thread) that
    // the list shows and the graph is laid out in. Selected after: select when given (a revision just
    // written), else on a re-read the revision selected before when it is still there, else the newest.
    void showMap(std::shared_ptr<const RevisionMap> map, const QList<int> &history, bool reread,
                 const QString &select);
    void selectRevision(const QString &id);
    // The selected database as the graph colours it and the details list its audit rows.
    void setDatabase(const DatabaseState &state, const QString &databaseName,
                     const QList<HistoryEntry> &history);
    // Applied revisions whose file changed since: marked in the graph, the diff in the details.
    void setEditedScripts(const QList<ChangedScript> &edited);

signals:
    // The selected revision's file.
    void scriptSelected(const QString &path);

private:
    // Tells the details whether the revision they show is applied on the database, when that is known.
    void updateDetailsState();

    RevisionListView *m_list;
    RevisionGraphPanel *m_graphPanel;
    RevisionDetails *m_details;
    std::shared_ptr<const RevisionMap> m_map = std::make_shared<const RevisionMap>();
    DatabaseState m_state;
    QString m_databaseName;
};

} // namespace qmigrate
