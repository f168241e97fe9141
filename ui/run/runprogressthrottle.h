// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <chrono>
#include <optional>

namespace qmigrate {

// A run's progress, passed on at most once per interval. A worker reports every step and statement; a run
// of thousands of small steps would otherwise have the window recolour the graph, reread the state and lay
// out the Run dock thousands of times, and fall minutes behind a run that took seconds. The first report
// after a quiet interval goes out at once; later ones within the interval are merged, keeping the newest
// of each kind, and go out when it ends (or at flush(), which a run's end calls).
class RunProgressThrottle : public QObject
{
    Q_OBJECT

public:
    explicit RunProgressThrottle(std::chrono::milliseconds interval, QObject *parent = nullptr);

    void addStepStarted(int index, int count, const QString &logLine);
    void addStatementStarted(int line, const QString &text);
    void addStepFinished(int index, int count, const QStringList &rowsAfter);

    // Passes on what is pending now, in the order a reader expects: the newest finished step, then the
    // newest started one when it is later, then its newest statement when that step is still running.
    void flush();
    // Forgets what is pending (the run it belongs to is no longer shown).
    void discard();
    bool isPending() const;

signals:
    void stepStarted(int index, int count, const QString &logLine);
    void statementStarted(int line, const QString &text);
    void stepFinished(int index, int count, const QStringList &rowsAfter);

private:
    void report();

    struct Started
    {
        int index;
        int count;
        QString logLine;
    };
    struct Statement
    {
        int step; // the index of the step it belongs to
        int line;
        QString text;
    };
    struct Finished
    {
        int index;
        int count;
        QStringList rowsAfter;
    };

    QTimer m_cooldown;
    int m_newestStartedStep = -1;
    std::optional<Started> m_started;
    std::optional<Statement> m_statement;
    std::optional<Finished> m_finished;
};

} // namespace qmigrate
