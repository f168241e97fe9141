// SPDX-License-Identifier: MIT
#include "revisions/revisionlistview.h"

#include "revisions/revisionlistmodel.h"
#include "revisions/revisionsearch.h"

#include <QEvent>
#include <QHeaderView>

using namespace Qt::StringLiterals;

namespace qmigrate {

RevisionListView::RevisionListView(QWidget *parent)
    : QTreeView(parent)
    , m_model(new RevisionListModel(this))
{
    setModel(m_model);
    setRootIsDecorated(false);
    setUniformRowHeights(true); // keeps 100k rows cheap to lay out
    setAlternatingRowColors(true);
    header()->setStretchLastSection(true);
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const QString id = current.data(RevisionListModel::RevisionIdRole).toString();
                if (!id.isEmpty())
                    emit revisionSelected(id);
            });
}

void RevisionListView::setMap(std::shared_ptr<const RevisionMap> map)
{
    const QList<int> history = map->history();
    setMap(std::move(map), history);
}

void RevisionListView::setMap(std::shared_ptr<const RevisionMap> map, const QList<int> &history)
{
    m_search.setMap(map);
    m_model->setMap(std::move(map), history);
    // A reset forgets hidden rows.
    m_filtered = false;
    applySearch();
    sizeColumns();
}

void RevisionListView::setSearch(const QString &text, bool filter)
{
    if (text == m_searchText && filter == m_filter)
        return;
    m_searchText = text;
    m_filter = filter;
    applySearch();
}

// Rows are hidden in the view rather than filtered through a proxy, so that the model's indexes stay the
// ones every caller of revisionModel() already uses. Linear in the rows, once per search.
void RevisionListView::applySearch()
{
    std::vector<char> matches = m_search.match(m_searchText);
    const bool filter = m_filter && !matches.empty();
    const bool dark = palette().color(QPalette::Base).lightnessF() < 0.5;
    m_model->setMatches(std::move(matches), dark);
    if (!filter && !m_filtered)
        return;
    const QModelIndex root;
    for (int row = 0; row < m_model->rowCount(); ++row)
        setRowHidden(row, root, filter && !m_model->isMatch(row));
    m_filtered = filter;
    if (const QModelIndex current = currentIndex(); current.isValid())
        scrollTo(current);
}

void RevisionListView::changeEvent(QEvent *event)
{
    QTreeView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_searchText.trimmed().isEmpty())
        applySearch();
}

QString RevisionListView::currentRevision() const
{
    return currentIndex().data(RevisionListModel::RevisionIdRole).toString();
}

void RevisionListView::selectRevision(const QString &id)
{
    if (currentRevision() == id)
        return;
    if (const int row = m_model->rowOf(m_model->map().indexOf(id)); row >= 0)
        setCurrentIndex(m_model->index(row, 0));
}

// Widths from what the columns can hold rather than QTreeView::resizeColumnToContents, which lays out and
// measures every row: a quarter of a second of frozen window on 10,000 revisions.
void RevisionListView::sizeColumns()
{
    const QFontMetrics metrics = fontMetrics();
    const int id = metrics.horizontalAdvance(u"0123456789abc"_s) + 16;
    setColumnWidth(RevisionListModel::RevisionColumn, id);
    setColumnWidth(RevisionListModel::ParentsColumn, 2 * id + metrics.horizontalAdvance(u", "_s));
    setColumnWidth(RevisionListModel::LabelsColumn, metrics.horizontalAdvance(u"telemetry, label"_s));
    setColumnWidth(RevisionListModel::MarkersColumn,
                   metrics.horizontalAdvance(u"head, branch point, merge point"_s) + 16);
}

} // namespace qmigrate
