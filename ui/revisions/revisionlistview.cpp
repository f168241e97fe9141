#include "revisions/revisionlistview.h"

#include "revisions/revisionlistmodel.h"

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
    m_model->setMap(std::move(map));
    sizeColumns();
}

QString RevisionListView::currentRevision() const
{
    return currentIndex().data(RevisionListModel::RevisionIdRole).toString();
}

void RevisionListView::selectRevision(const QString &id)
{
    if (currentRevision() == id)
        return;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        if (index.data(RevisionListModel::RevisionIdRole).toString() == id) {
            setCurrentIndex(index);
            return;
        }
    }
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
