// SPDX-License-Identifier: MIT
#include "run/logmodel.h"

#include <QApplication>
#include <QFont>
#include <QPixmap>
#include <QStringView>
#include <QStyle>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QString severityName(LogModel::Severity severity)
{
    switch (severity) {
    case LogModel::Severity::Info:
        return u"info"_s;
    case LogModel::Severity::Warning:
        return u"warning"_s;
    case LogModel::Severity::Error:
        return u"error"_s;
    }
    return {};
}

} // namespace

LogModel::LogModel(QObject *parent)
    : QAbstractListModel(parent)
{
    // Loaded once: data() is called for every visible row on every repaint.
    if (QStyle *style = QApplication::style()) {
        m_warningIcon = style->standardIcon(QStyle::SP_MessageBoxWarning);
        m_errorIcon = style->standardIcon(QStyle::SP_MessageBoxCritical);
    }
    // Info rows get an empty icon of the same size so that every row's text starts at the same column.
    QPixmap blank(64, 64);
    blank.fill(Qt::transparent);
    m_infoIcon = QIcon(blank);
}

void LogModel::setMaximumLines(int maximum)
{
    m_maximumLines = std::max(1, maximum);
    trimTo(m_maximumLines);
}

void LogModel::appendText(const QString &text, Severity severity)
{
    const QDateTime now = QDateTime::currentDateTime();
    QStringView rest(text);
    if (rest.endsWith(u'\n'))
        rest.chop(1);
    for (QStringView part : rest.split(u'\n')) {
        if (part.endsWith(u'\r'))
            part.chop(1);
        Line line;
        line.time = now;
        line.severity = severity;
        line.message = part.toString();
        appendLine(std::move(line));
    }
}

void LogModel::appendLocated(const QString &message, const QString &file, int line, Severity severity)
{
    Line entry;
    entry.time = QDateTime::currentDateTime();
    entry.severity = severity;
    // A multi-line diagnostic stays one row, so that activating it always knows its location.
    entry.message = QString(message).replace(u'\n', u' ');
    entry.file = file;
    entry.line = line;
    appendLine(std::move(entry));
}

void LogModel::appendLine(Line line)
{
    line.display = line.time.toString(u"HH:mm:ss"_s) + u"  "_s + line.message;
    // Trim first so the model never holds more than the bound, even between the two signals.
    trimTo(m_maximumLines - 1);
    const int row = int(m_lines.size());
    beginInsertRows({}, row, row);
    m_lines.push_back(std::move(line));
    endInsertRows();
}

void LogModel::trimTo(int maximum)
{
    const int excess = int(m_lines.size()) - std::max(0, maximum);
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_lines.erase(m_lines.begin(), m_lines.begin() + excess);
    endRemoveRows();
}

void LogModel::clear()
{
    if (m_lines.empty())
        return;
    beginResetModel();
    m_lines.clear();
    endResetModel();
}

QString LogModel::copyText(int row) const
{
    const Line &entry = line(row);
    return u"%1 %2 %3"_s.arg(entry.time.toString(u"HH:mm:ss"_s), severityName(entry.severity), entry.message);
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line &entry = line(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return entry.display;
    case Qt::ToolTipRole:
        // The whole message: a long line is elided in the view.
        if (!entry.file.isEmpty())
            return tr("%1\n\nDouble-click to open %2 at line %3")
                .arg(entry.message, entry.file)
                .arg(entry.line);
        return entry.message;
    case Qt::DecorationRole:
        switch (entry.severity) {
        case Severity::Info:
            return m_infoIcon;
        case Severity::Warning:
            return m_warningIcon;
        case Severity::Error:
            return m_errorIcon;
        }
        return {};
    case Qt::FontRole:
        if (!entry.file.isEmpty()) {
            // Underlined like a link: the row can be opened. The view's font stays the base.
            QFont font;
            font.setUnderline(true);
            return font;
        }
        return {};
    case SeverityRole:
        return int(entry.severity);
    case TimestampRole:
        return entry.time;
    case MessageRole:
        return entry.message;
    case FileRole:
        return entry.file;
    case LineRole:
        return entry.line;
    }
    return {};
}

} // namespace qmigrate
