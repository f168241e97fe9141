// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"

#include <QDialog>
#include <QString>
#include <QStringList>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace qmigrate {

// Explains a failed run: the revision, its file and line, the whole message (the Migrator's text holds the
// statement and the server's answer; selectable), and where the database stands now. "Open at the failing
// line" emits openLocation() for the owner to open the script there. Show it with open().
class MigrationErrorDialog : public QDialog
{
    Q_OBJECT

public:
    explicit MigrationErrorDialog(QWidget *parent = nullptr);
    ~MigrationErrorDialog() override;

    // rowsNow: alembic_version's rows after the failure (the last finished step's rowsAfter, or the rows
    // before the run when no step finished).
    void setError(const EngineError &error, const QStringList &rowsNow);

    // For tests and callers: what the dialog shows.
    QString headingText() const;
    QString locationText() const;
    QString messageText() const;
    QString stateText() const;
    QPushButton *openButton() const { return m_openButton; }

Q_SIGNALS:
    // file: absolute path; line: 1-based, 0 when the error names no line.
    void openLocation(const QString &file, int line);

private:
    EngineError m_error;
    QLabel *m_heading;
    QLabel *m_location;
    QPlainTextEdit *m_message;
    QLabel *m_state;
    QPushButton *m_openButton;
};

} // namespace qmigrate
