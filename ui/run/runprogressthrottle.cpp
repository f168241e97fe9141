// SPDX-License-Identifier: MIT
#include "run/runprogressthrottle.h"

namespace qmigrate {

RunProgressThrottle::RunProgressThrottle(std::chrono::milliseconds interval, QObject *parent)
    : QObject(parent)
{
    m_cooldown.setSingleShot(true);
    m_cooldown.setInterval(interval);
    connect(&m_cooldown, &QTimer::timeout, this, [this] {
        if (isPending()) {
            flush();
            m_cooldown.start();
        }
    });
}

void RunProgressThrottle::addStepStarted(int index, int count, const QString &logLine)
{
    m_newestStartedStep = index;
    m_started = Started{index, count, logLine};
    m_statement.reset(); // a statement of an earlier step is out of date
    report();
}

void RunProgressThrottle::addStatementStarted(int line, const QString &text)
{
    m_statement = Statement{m_newestStartedStep, line, text};
    report();
}

void RunProgressThrottle::addStepFinished(int index, int count, const QStringList &rowsAfter)
{
    m_finished = Finished{index, count, rowsAfter};
    report();
}

void RunProgressThrottle::report()
{
    if (m_cooldown.isActive())
        return;
    flush();
    m_cooldown.start();
}

void RunProgressThrottle::flush()
{
    const std::optional<Finished> finished = std::exchange(m_finished, std::nullopt);
    const std::optional<Started> started = std::exchange(m_started, std::nullopt);
    const std::optional<Statement> statement = std::exchange(m_statement, std::nullopt);
    const int finishedUpTo = finished ? finished->index : -1;
    if (finished)
        emit stepFinished(finished->index, finished->count, finished->rowsAfter);
    if (started && started->index > finishedUpTo)
        emit stepStarted(started->index, started->count, started->logLine);
    if (statement && (!finished || statement->step > finished->index))
        emit statementStarted(statement->line, statement->text);
}

void RunProgressThrottle::discard()
{
    m_cooldown.stop();
    m_newestStartedStep = -1;
    m_started.reset();
    m_statement.reset();
    m_finished.reset();
}

bool RunProgressThrottle::isPending() const
{
    return m_started || m_statement || m_finished;
}

} // namespace qmigrate
