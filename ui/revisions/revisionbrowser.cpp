// SPDX-License-Identifier: MIT
#include "revisions/revisionbrowser.h"

#include "revisions/revisiondetails.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisiongraphview.h"
#include "revisions/revisionlistmodel.h"
#include "revisions/revisionlistview.h"

#include <QSet>

namespace qmigrate {

RevisionBrowser::RevisionBrowser(QWidget *window)
    : QObject(window)
    , m_list(new RevisionListView(window))
    , m_graphPanel(new RevisionGraphPanel(window))
    , m_details(new RevisionDetails(window))
{
    connect(m_list, &RevisionListView::revisionSelected, this, &RevisionBrowser::selectRevision);
    connect(graph(), &RevisionGraphView::revisionSelected, this, &RevisionBrowser::selectRevision);
    // The graph's search highlights (and with Filter, narrows) the list too.
    connect(m_graphPanel, &RevisionGraphPanel::searchChanged, m_list, &RevisionListView::setSearch);
    connect(m_details, &RevisionDetails::revisionActivated, this, &RevisionBrowser::selectRevision);
    // The graph is laid out off the UI thread and arrives after the list: give it the list's selection then.
    connect(graph(), &RevisionGraphView::graphChanged, this, [this] {
        if (const QString id = m_list->currentRevision(); !id.isEmpty())
            graph()->selectRevision(id);
        graph()->setDatabaseState(m_state, m_databaseName);
    });
}

RevisionGraphView *RevisionBrowser::graph() const
{
    return m_graphPanel->view();
}

void RevisionBrowser::showMap(std::shared_ptr<const RevisionMap> map, const QList<int> &history, bool reread,
                              const QString &select)
{
    const QString selected = graph()->selectedRevision();
    m_map = map;
    m_list->setMap(map, history);
    graph()->showMap(map, history); // laid out off the UI thread
    if (!select.isEmpty()) {
        selectRevision(select);
    } else if (reread && map->indexOf(selected) >= 0) {
        // The details are of the new text.
        m_details->setRevision(*map, map->indexOf(selected));
        selectRevision(selected);
    } else if (m_list->revisionModel()->rowCount() > 0) {
        m_list->setCurrentIndex(m_list->revisionModel()->index(0, 0));
    }
    updateDetailsState();
}

void RevisionBrowser::updateDetailsState()
{
    const int revision = m_map->indexOf(m_details->revisionId());
    m_details->setAppliedOnDatabase(
        m_state.isKnown() && revision >= 0 ? std::optional(m_state.isApplied(revision)) : std::nullopt);
}

void RevisionBrowser::selectRevision(const QString &id)
{
    if (graph()->selectedRevision() != id)
        graph()->selectRevision(id);
    m_list->selectRevision(id);
    const int revision = m_map->indexOf(id);
    if (revision < 0)
        return;
    if (m_details->revisionId() != id)
        m_details->setRevision(*m_map, revision);
    updateDetailsState();
    emit scriptSelected(m_map->revision(revision).path);
}

void RevisionBrowser::setDatabase(const DatabaseState &state, const QString &databaseName,
                                  const QList<HistoryEntry> &history)
{
    m_state = state;
    m_databaseName = databaseName;
    graph()->setDatabaseState(state, databaseName);
    updateDetailsState();
    m_details->setHistory(history, databaseName);
}

void RevisionBrowser::setEditedScripts(const QList<ChangedScript> &edited)
{
    QSet<QString> ids;
    for (const ChangedScript &script : edited)
        ids.insert(script.revision);
    graph()->setEditedRevisions(ids);
    m_details->setEditedScripts(edited);
}

} // namespace qmigrate
