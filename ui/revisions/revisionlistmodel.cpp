#include "revisions/revisionlistmodel.h"

#include "revisions/revisionsearch.h"

#include <QStringList>

using namespace Qt::StringLiterals;

RevisionListModel::RevisionListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RevisionListModel::setMap(qmigrate::RevisionMap map)
{
    setMap(std::make_shared<const qmigrate::RevisionMap>(std::move(map)));
}

void RevisionListModel::setMap(std::shared_ptr<const qmigrate::RevisionMap> map)
{
    beginResetModel();
    m_map = std::move(map);
    m_rows.clear();
    m_matches.clear();
    const QList<int> order = m_map->history();
    m_rows.reserve(order.size());
    m_rowOf.assign(size_t(m_map->size()), -1);
    // tr() looks the text up each call: once per model, not once per row.
    const QString head = tr("head"), effectiveHead = tr("effective head"), branchPoint = tr("branch point"),
                  mergePoint = tr("merge point");
    for (int index : order) {
        const qmigrate::Revision &revision = m_map->revision(index);
        Row row;
        row.revision = index;
        row.parents = revision.downRevisions.isEmpty() ? u"<base>"_s : revision.downRevisions.join(u", "_s);
        if (!revision.dependsOn.isEmpty())
            row.parents += u" (depends on "_s + revision.dependsOn.join(u", "_s) + u')';
        row.labels = m_map->labels(index).join(u", "_s);
        QStringList markers;
        if (m_map->isRealHead(index))
            markers.append(head);
        else if (m_map->isEffectiveHead(index))
            markers.append(effectiveHead);
        if (m_map->isBranchPoint(index))
            markers.append(branchPoint);
        if (m_map->isMergePoint(index))
            markers.append(mergePoint);
        row.markers = markers.join(u", "_s);
        m_rowOf[size_t(index)] = int(m_rows.size());
        m_rows.append(row);
    }
    endResetModel();
}

void RevisionListModel::setMatches(std::vector<char> matches, bool dark)
{
    if (matches.empty() && m_matches.empty())
        return;
    m_matches = std::move(matches);
    m_highlight = qmigrate::RevisionSearch::highlightColour(dark);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                         {Qt::BackgroundRole, SearchMatchRole});
}

bool RevisionListModel::isMatch(int row) const
{
    const int revision = revisionIndex(row);
    return revision >= 0 && size_t(revision) < m_matches.size() && m_matches[size_t(revision)];
}

int RevisionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RevisionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RevisionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const qmigrate::Revision &revision = m_map->revision(row.revision);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RevisionColumn:
            return revision.id;
        case ParentsColumn:
            return row.parents;
        case LabelsColumn:
            return row.labels;
        case MarkersColumn:
            return row.markers;
        case MessageColumn:
            return revision.message;
        }
        break;
    case Qt::ToolTipRole:
        return revision.path;
    case RevisionIdRole:
        return revision.id;
    case FilePathRole:
        return revision.path;
    case SearchMatchRole:
        return isMatch(index.row());
    case Qt::BackgroundRole:
        if (isMatch(index.row()))
            return m_highlight;
        break;
    }
    return {};
}

QVariant RevisionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RevisionColumn:
        return tr("Revision");
    case ParentsColumn:
        return tr("Parents");
    case LabelsColumn:
        return tr("Branch labels");
    case MarkersColumn:
        return tr("Role");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}
