// SPDX-License-Identifier: MIT
#pragma once

#include "run/logmodel.h"

#include <QString>
#include <QWidget>

class QListView;
class QPushButton;

namespace qmigrate {

class EngineError;

// The log dock: timestamped lines with a severity, in a monospace list that follows new lines unless the
// user scrolled up to read, bounded to LogModel::maximumLines() (10,000 by default). Diagnostics that name a
// file are underlined; activating one (double-click or Enter) emits openLocation(). "Copy" copies the
// selected lines (all lines when none is selected) to the clipboard; "Clear" empties the log.
class LogPanel : public QWidget
{
    Q_OBJECT

public:
    using Severity = LogModel::Severity;

    explicit LogPanel(QWidget *parent = nullptr);

    // Several lines in text become several rows with the same time and severity.
    void appendLine(const QString &text, Severity severity = Severity::Info);
    // "file:line: message" (EngineError::toString()); activatable when the error names a file.
    void appendDiagnostic(const EngineError &error, Severity severity = Severity::Error);
    void clear();
    // The text "Copy" puts on the clipboard: the selected lines, or all lines, one per row.
    QString copyText() const;
    void copyToClipboard() const;

    // Owned by the panel; for tests and for MainWindow's own actions.
    LogModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    QPushButton *clearButton() const { return m_clearButton; }
    QPushButton *copyButton() const { return m_copyButton; }
    // Whether new lines scroll the view to the end (false while the user reads further up).
    bool isFollowing() const { return m_following; }

signals:
    void openLocation(const QString &file, int line);

private:
    LogModel *m_model = nullptr;
    QListView *m_view = nullptr;
    QPushButton *m_clearButton = nullptr;
    QPushButton *m_copyButton = nullptr;
    bool m_following = true;
};

} // namespace qmigrate
