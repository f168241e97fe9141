// SPDX-License-Identifier: MIT
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
    const QList<int> history = map->history();
    setMap(std::move(map), history);
}

void RevisionListModel::setMap(std::shared_ptr<const qmigrate::RevisionMap> map, const QList<int> &history)
{
    beginResetModel();
    m_map = std::move(map);
    m_matches.clear();
    m_rows.assign(history.cbegin(), history.cend());
    m_rowOf.assign(size_t(m_map->size()), -1);
    for (size_t row = 0; row < m_rows.size(); ++row)
        m_rowOf[size_t(m_rows[row])] = int(row);
    endResetModel();
}

QString RevisionListModel::parentsText(const qmigrate::Revision &revision) const
{
    QString text = revision.downRevisions.isEmpty() ? u"<base>"_s : revision.downRevisions.join(u", "_s);
    if (!revision.dependsOn.isEmpty())
        text += u" (depends on "_s + revision.dependsOn.join(u", "_s) + u')';
    return text;
}

QString RevisionListModel::labelsText(int revision, int shown) const
{
    // "a, b and 1 more" would be no shorter than "a, b, c".
    const QStringList &labels = m_map->labels(revision);
    if (labels.size() <= shown + 1)
        return labels.join(u", "_s);
    return tr("%1 and %n more", nullptr, int(labels.size()) - shown).arg(labels.first(shown).join(u", "_s));
}

QString RevisionListModel::markersText(int revision) const
{
    QStringList markers;
    if (m_map->isRealHead(revision))
        markers.append(tr("head"));
    else if (m_map->isEffectiveHead(revision))
        markers.append(tr("effective head"));
    if (m_map->isBranchPoint(revision))
        markers.append(tr("branch point"));
    if (m_map->isMergePoint(revision))
        markers.append(tr("merge point"));
    return markers.join(u", "_s);
}

void RevisionListModel::setMatches(std::vector<char> matches, bool dark)
{
    if (matches.empty() && m_matches.empty())
        return;
    m_matches = std::move(matches);
    m_highlight = qmigrate::RevisionSearch::highlightColour(dark);
    if (!m_rows.empty())
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
    const int revisionIndex = m_rows[size_t(index.row())];
    const qmigrate::Revision &revision = m_map->revision(revisionIndex);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RevisionColumn:
            return revision.id;
        case ParentsColumn:
            return parentsText(revision);
        case LabelsColumn:
            return labelsText(revisionIndex, shownLabels);
        case MarkersColumn:
            return markersText(revisionIndex);
        case MessageColumn:
            return revision.message;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == LabelsColumn && m_map->labels(revisionIndex).size() > shownLabels + 1)
            return labelsText(revisionIndex, shownLabelsInToolTip);
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
