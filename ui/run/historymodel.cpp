// SPDX-License-Identifier: MIT
#include "run/historymodel.h"

#include <QApplication>
#include <QPalette>
#include <QRegularExpression>
#include <QStringList>
#include <QStyle>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// The first line of an error, its "path/to/file.sql:12: " prefix cut to "file.sql:12: ": the column is narrow
// and the directory is the same for every row (the tooltip keeps the whole text).
QString errorSummary(const QString &errorText)
{
    static const QRegularExpression locatedPrefix(uR"(^(?:[A-Za-z]:)?[^:\n]*[/\\]([^/\\:\n]+:\d+: ))"_s);
    QString line = errorText.section(u'\n', 0, 0);
    const QRegularExpressionMatch match = locatedPrefix.match(line);
    if (match.hasMatch())
        line.replace(0, match.capturedLength(0), match.captured(1));
    return line;
}

} // namespace

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    updateColours();
    if (QStyle *style = QApplication::style()) {
        m_failedIcon = style->standardIcon(QStyle::SP_MessageBoxCritical);
        m_cancelledIcon = style->standardIcon(QStyle::SP_BrowserStop);
        m_interruptedIcon = style->standardIcon(QStyle::SP_MessageBoxWarning);
    }
}

void HistoryModel::updateColours()
{
    const QPalette palette = QGuiApplication::palette();
    const QColor text = palette.color(QPalette::Text);
    // A red as light or dark as the theme's text, so failures stand out without glaring on either a light
    // or a dark palette.
    const int lightness = std::clamp(text.lightness(), 60, 200);
    m_failedBrush = QBrush(QColor::fromHsl(0, 150, lightness));
    m_cancelledBrush = palette.brush(QPalette::PlaceholderText);
}

void HistoryModel::setEntries(QList<HistoryEntry> entries)
{
    beginResetModel();
    updateColours();
    m_entries = std::move(entries);
    m_rows.clear();
    m_rows.reserve(m_entries.size());
    for (const HistoryEntry &entry : std::as_const(m_entries))
        m_rows.append(makeRow(entry));
    endResetModel();
}

HistoryModel::Row HistoryModel::makeRow(const HistoryEntry &entry) const
{
    Row row;
    row.when = when(entry);
    row.whenText = formatTime(row.when);
    row.revisionText = shortRevision(entry.revision);
    row.durationText = formatDuration(entry.durationMs);
    row.errorLine = errorSummary(entry.errorText);

    QStringList tip;
    tip.append(tr("Revision: %1").arg(entry.revision));
    if (!entry.checksum.isEmpty())
        tip.append(tr("Checksum: %1").arg(entry.checksum));
    tip.append(tr("Started: %1").arg(formatTime(entry.startedAt)));
    if (entry.finishedAt.isValid())
        tip.append(tr("Finished: %1").arg(formatTime(entry.finishedAt)));
    if (!entry.qmigrateVersion.isEmpty())
        tip.append(tr("qmigrate %1").arg(entry.qmigrateVersion));
    if (!entry.errorText.isEmpty())
        tip.append(tr("Error: %1").arg(entry.errorText));
    row.toolTip = tip.join(u'\n');

    row.searchText = QStringList{entry.revision,
                                 entry.osUser,
                                 entry.host,
                                 HistoryEntry::directionName(entry.direction),
                                 HistoryEntry::outcomeName(entry.outcome),
                                 entry.errorText}
                         .join(u'\n')
                         .toLower();
    return row;
}

QString HistoryModel::formatDuration(qint64 milliseconds)
{
    milliseconds = std::max<qint64>(0, milliseconds);
    if (milliseconds < 1000)
        return u"%1 ms"_s.arg(milliseconds);
    const qint64 tenths = (milliseconds + 50) / 100;
    if (tenths < 600)
        return u"%1.%2 s"_s.arg(tenths / 10).arg(tenths % 10);
    // Rounded to whole seconds, so 59,960 ms reads "1 min 0 s", not "60.0 s".
    const qint64 seconds = (milliseconds + 500) / 1000;
    if (seconds < 60 * 60)
        return u"%1 min %2 s"_s.arg(seconds / 60).arg(seconds % 60);
    return u"%1 h %2 min"_s.arg(seconds / 3600).arg(seconds % 3600 / 60);
}

QDateTime HistoryModel::when(const HistoryEntry &entry)
{
    return entry.finishedAt.isValid() ? entry.finishedAt : entry.startedAt;
}

QString HistoryModel::formatTime(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : QString();
}

QString HistoryModel::shortRevision(const QString &revision)
{
    QStringList ids = revision.split(u", "_s);
    for (QString &id : ids)
        id.truncate(12);
    return ids.join(u", "_s);
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry &entry = m_entries.at(index.row());
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case WhenColumn:
            return role == SortRole ? QVariant(row.when) : QVariant(row.whenText);
        case RevisionColumn:
            return role == SortRole ? entry.revision : row.revisionText;
        case DirectionColumn:
            return HistoryEntry::directionName(entry.direction);
        case OutcomeColumn:
            return HistoryEntry::outcomeName(entry.outcome);
        case DurationColumn:
            return role == SortRole ? QVariant(entry.durationMs) : QVariant(row.durationText);
        case UserColumn:
            return entry.osUser;
        case HostColumn:
            return entry.host;
        case ErrorColumn:
            return role == SortRole ? entry.errorText : row.errorLine;
        }
        return {};
    case Qt::ToolTipRole:
        return row.toolTip;
    case Qt::ForegroundRole:
        switch (entry.outcome) {
        case HistoryEntry::Outcome::Success:
            return {};
        case HistoryEntry::Outcome::Failed:
        case HistoryEntry::Outcome::Running: // left half done by a run that was killed: as loud as a failure
            return m_failedBrush;
        case HistoryEntry::Outcome::Cancelled:
            return m_cancelledBrush;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != OutcomeColumn)
            return {};
        switch (entry.outcome) {
        case HistoryEntry::Outcome::Success:
            return {};
        case HistoryEntry::Outcome::Failed:
            return m_failedIcon;
        case HistoryEntry::Outcome::Running:
            return m_interruptedIcon;
        case HistoryEntry::Outcome::Cancelled:
            return m_cancelledIcon;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RevisionIdRole:
        return entry.revision;
    case OutcomeRole:
        return int(entry.outcome);
    case SearchTextRole:
        return row.searchText;
    }
    return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case WhenColumn:
        return tr("When");
    case RevisionColumn:
        return tr("Revision");
    case DirectionColumn:
        return tr("Direction");
    case OutcomeColumn:
        return tr("Outcome");
    case DurationColumn:
        return tr("Duration");
    case UserColumn:
        return tr("User");
    case HostColumn:
        return tr("Host");
    case ErrorColumn:
        return tr("Error");
    }
    return {};
}

} // namespace qmigrate
