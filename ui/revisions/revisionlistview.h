// SPDX-License-Identifier: MIT
#pragma once

#include "graph/revisionmap.h"
#include "revisions/revisionsearch.h"

#include <QTreeView>

#include <memory>

class RevisionListModel;

namespace qmigrate {

// The revision list (the Revisions dock): one row per revision, newest first, over its own
// RevisionListModel. Selecting a row says which revision; selectRevision() follows a selection made
// elsewhere.
class RevisionListView : public QTreeView
{
    Q_OBJECT

public:
    explicit RevisionListView(QWidget *parent = nullptr);

    RevisionListModel *revisionModel() const { return m_model; }
    void setMap(std::shared_ptr<const RevisionMap> map);
    // The same with the map's history() order worked out already (off the UI thread).
    void setMap(std::shared_ptr<const RevisionMap> map, const QList<int> &history);
    // The id of the current row; empty without one.
    QString currentRevision() const;
    void selectRevision(const QString &id);
    // The graph panel's search (RevisionGraphPanel::searchChanged): the matches are highlighted, and with
    // filter only they are shown. Kept for the next map.
    void setSearch(const QString &text, bool filter);
    QString searchText() const { return m_searchText; }
    bool isFiltered() const { return m_filtered; }

signals:
    void revisionSelected(const QString &id);

protected:
    void changeEvent(QEvent *event) override;

private:
    void sizeColumns();
    void applySearch();

    RevisionListModel *m_model;
    QString m_searchText;
    RevisionSearch m_search;
    bool m_filter = false;
    bool m_filtered = false; // whether rows are hidden now
};

} // namespace qmigrate
