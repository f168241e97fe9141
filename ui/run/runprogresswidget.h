// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace qmigrate {

// The progress of one run: "Step n of m: upgrade a → b, message", the statement running now (its first
// line and file line) with its elapsed time ticking, a progress bar over the steps and a Cancel button.
//
// It knows nothing of the controller: the slots take MigrationController's signal arguments (without the
// token), so the owner connects them for the run it started and connects cancelRequested() to
// MigrationController::cancel(). The clock ticks (10 Hz) only between start() and finish().
class RunProgressWidget : public QWidget
{
    Q_OBJECT

public:
    explicit RunProgressWidget(QWidget *parent = nullptr);
    ~RunProgressWidget() override;

    bool isRunning() const { return m_running; }
    bool isCancelling() const { return m_cancelling; }

    // For tests and callers: what the widget shows.
    QString titleText() const;
    QString stepText() const;
    QString statementText() const;
    QString elapsedText() const;
    QString statusText() const;
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *cancelButton() const { return m_cancelButton; }

public Q_SLOTS:
    // A new run: title such as "Upgrade to head", stepCount from the plan (0 when not known yet; the first
    // onStepStarted() sets it).
    void start(const QString &title, int stepCount);
    // index is 0-based; logLine is the Migrator's "Running upgrade a -> b, message".
    void onStepStarted(int index, int count, const QString &logLine);
    // line: the statement's line in its revision file.
    void onStatementStarted(int line, const QString &text);
    void onStepFinished(int index, int count);
    // Back to showing no run (another project was opened); a running run stays shown.
    void clear();
    // The run ended: summary such as "Upgraded to 9abc688b6311" or the error's first line.
    void finish(bool ok, const QString &summary);

Q_SIGNALS:
    // The user asked to stop; emitted once per run. The widget then says it is cancelling and disables the
    // button.
    void cancelRequested();

private:
    void requestCancel();
    void tick();

    QLabel *m_title;
    QLabel *m_step;
    QLabel *m_statement;
    QLabel *m_elapsed;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancelButton;
    QTimer *m_ticker;
    QElapsedTimer m_runClock;
    QElapsedTimer m_statementClock;
    bool m_running = false;
    bool m_cancelling = false;
    bool m_stepStarted = false; // "Connecting…" is replaced once a step starts or the run ends
};

} // namespace qmigrate
