// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QIcon>
#include <QString>

#include <deque>

namespace qmigrate {

// The lines of the log panel, oldest first, bounded: appending beyond maximumLines() drops the oldest lines
// (announced with beginRemoveRows), so a long session costs constant memory. Each line is formatted once when
// appended; data() only reads stored values, which keeps scrolling through thousands of lines cheap.
class LogModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum class Severity { Info, Warning, Error };
    Q_ENUM(Severity)

    enum Role {
        SeverityRole = Qt::UserRole + 1, // Severity as int
        TimestampRole,                   // QDateTime (local time) of the append
        MessageRole,                     // the text without timestamp
        FileRole,                        // a diagnostic's file, else empty
        LineRole,                        // a diagnostic's 1-based line, else 0
    };

    struct Line
    {
        QDateTime time;
        Severity severity = Severity::Info;
        QString message;
        QString file; // set for diagnostics that can be opened
        int line = 0;
        QString display; // "hh:mm:ss  message", made once on append
    };

    static constexpr int DefaultMaximumLines = 10000;

    explicit LogModel(QObject *parent = nullptr);

    // At least 1; drops the oldest lines at once when lowered below rowCount().
    void setMaximumLines(int maximum);
    int maximumLines() const { return m_maximumLines; }

    // Appends one row per line of text ('\n' splits it; a trailing newline adds nothing), all with the
    // current time and the given severity, then trims the front to the bound.
    void appendText(const QString &text, Severity severity = Severity::Info);
    // Appends one row that knows its location: file and line go to FileRole/LineRole.
    void appendLocated(const QString &message, const QString &file, int line, Severity severity);
    void clear();

    // row must be valid.
    const Line &line(int row) const { return m_lines[size_t(row)]; }
    // "hh:mm:ss severity message", for copying.
    QString copyText(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    void appendLine(Line line);
    void trimTo(int maximum);

    std::deque<Line> m_lines;
    int m_maximumLines = DefaultMaximumLines;
    QIcon m_infoIcon;
    QIcon m_warningIcon;
    QIcon m_errorIcon;
};

} // namespace qmigrate
