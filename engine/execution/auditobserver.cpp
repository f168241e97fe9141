// SPDX-License-Identifier: MIT
#include "execution/auditobserver.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace qmigrate {

QString AuditObserver::stampRevision(const MigrationStep &step)
{
    return step.toRevisions.isEmpty() ? u"base"_s : step.toRevisions.join(u", "_s);
}

HistoryEntry AuditObserver::entryFor(const MigrationStepReport &report) const
{
    HistoryEntry entry;
    switch (report.step->direction) {
    case MigrationStep::Direction::Upgrade:
        entry.direction = HistoryEntry::Direction::Upgrade;
        break;
    case MigrationStep::Direction::Downgrade:
        entry.direction = HistoryEntry::Direction::Downgrade;
        break;
    case MigrationStep::Direction::Stamp:
        entry.direction = HistoryEntry::Direction::Stamp;
        break;
    }
    entry.revision = report.revision ? report.revision->id : stampRevision(*report.step);
    entry.startedAt = report.started;
    entry.finishedAt = report.finished.isValid() ? report.finished : QDateTime::currentDateTimeUtc();
    entry.durationMs =
        entry.startedAt.isValid() ? qMax<qint64>(0, entry.startedAt.msecsTo(entry.finishedAt)) : 0;
    return entry;
}

Expected<void> AuditObserver::runStarted(QSqlDatabase &db, const Dialect &dialect)
{
    m_dialect = dialect;
    m_journalId = 0;
    m_writer.reset();
    m_pendingRows.clear();
    m_pendingSteps.clear();
    return AuditHistory(db, dialect).ensureTable();
}

HistoryWriter &AuditObserver::writer(const QSqlDatabase &db)
{
    if (!m_writer || m_writerConnection != db.connectionName()) {
        m_writer.reset();
        m_writer.emplace(db, *m_dialect);
        m_writerConnection = db.connectionName();
    }
    return *m_writer;
}

void AuditObserver::connectionClosing()
{
    m_writer.reset();
    m_writerConnection.clear();
    // The transaction they belonged to ended with the connection.
    m_pendingRows.clear();
    m_pendingSteps.clear();
}

Expected<void> AuditObserver::writeKeptRecords(QSqlDatabase &db, int *failedStep)
{
    if (m_pendingRows.isEmpty())
        return {};
    qsizetype failedAt = -1;
    Expected<void> written = writer(db).insertAll(m_pendingRows, &failedAt);
    if (!written && failedAt >= 0 && failedAt < m_pendingSteps.size())
        *failedStep = m_pendingSteps.at(failedAt);
    m_pendingRows.clear();
    m_pendingSteps.clear();
    return written;
}

void AuditObserver::transactionRolledBack()
{
    m_pendingRows.clear();
    m_pendingSteps.clear();
}

void AuditObserver::rolledBackToStep(int stepIndex)
{
    // The rows are kept in the order of their steps.
    qsizetype keep = m_pendingSteps.size();
    while (keep > 0 && m_pendingSteps.at(keep - 1) >= stepIndex)
        --keep;
    m_pendingRows.resize(keep);
    m_pendingSteps.resize(keep);
}

Expected<HistoryEntry> AuditObserver::successEntry(const MigrationStepReport &report) const
{
    HistoryEntry entry = entryFor(report);
    if (report.revision) {
        // The file as the Migrator read and checked it before the run: the text that ran. Reading the file
        // again here could record an edit saved during the run as applied.
        if (report.fileChecksum.isEmpty())
            return EngineError(u"AuditObserver: no script text for revision %1"_s.arg(report.revision->id),
                               EngineError::Kind::Database);
        entry.checksum = report.fileChecksum;
        entry.scriptText = report.fileText;
    }
    entry.outcome = HistoryEntry::Outcome::Success;
    if (report.resumedAfter > 0)
        entry.errorText =
            u"Resumed by %1@%2 after statement %3: the interrupted run committed statements 1 to "
            u"%3, this one ran the rest."_s.arg(AuditHistory::currentOsUser(), AuditHistory::currentHost())
                .arg(report.resumedAfter);
    else if (report.resumedAfter == 0)
        entry.errorText = u"Resumed by %1@%2: the interrupted run committed none of its statements, this one "
                          u"ran them all."_s.arg(AuditHistory::currentOsUser(), AuditHistory::currentHost());
    return entry;
}

QString AuditObserver::stepAppliedStatement(const QSqlDatabase &db, const MigrationStepReport &report)
{
    // A journaled step finishes its own row (an UPDATE by id) in stepApplied().
    if (!m_dialect || !report.step || m_journalId != 0)
        return {};
    const Expected<HistoryEntry> entry = successEntry(report);
    if (!entry)
        return {}; // stepApplied() reports it
    return writer(db).insertStatement(*entry);
}

Expected<void> AuditObserver::stepApplied(QSqlDatabase &db, const MigrationStepReport &report)
{
    if (!m_dialect || !report.step)
        return EngineError(u"AuditObserver: stepApplied before runStarted"_s, EngineError::Kind::Database);
    Expected<HistoryEntry> entry = successEntry(report);
    if (!entry)
        return entry.error();
    if (m_journalId != 0) {
        // Kept until it is written: when the update fails, the step fails and stepFailed() closes the row.
        Expected<void> finished = AuditHistory(db, *m_dialect).finish(m_journalId, *entry);
        if (finished)
            m_journalId = 0;
        return finished;
    }
    // The writer's account, host and version are filled in now: the row says who ran the step and with what,
    // whenever it is written.
    m_pendingRows.append(writer(db).filled(*entry));
    m_pendingSteps.append(report.index);
    return {};
}

Expected<void> AuditObserver::stepJournalStarted(QSqlDatabase &db, const MigrationStepReport &report)
{
    if (!m_dialect || !report.step)
        return EngineError(u"AuditObserver: stepJournalStarted before runStarted"_s,
                           EngineError::Kind::Database);
    HistoryEntry entry = entryFor(report);
    entry.finishedAt = QDateTime();
    entry.durationMs = 0;
    if (report.revision) {
        entry.checksum = report.fileChecksum;
        entry.scriptText = report.fileText;
    }
    entry.outcome = HistoryEntry::Outcome::Running;
    entry.errorText = u"started; no statement committed yet"_s;
    Expected<qint64> id = AuditHistory(db, *m_dialect).record(entry);
    if (!id)
        return id.error();
    if (*id == 0)
        return EngineError(u"The audit history gave the journal row no id"_s, EngineError::Kind::Database);
    m_journalId = *id;
    return {};
}

Expected<void> AuditObserver::stepJournalResumed(QSqlDatabase &db, const MigrationStepReport &report,
                                                 qint64 journalId)
{
    Q_UNUSED(db);
    if (!m_dialect || !report.step)
        return EngineError(u"AuditObserver: stepJournalResumed before runStarted"_s,
                           EngineError::Kind::Database);
    m_journalId = journalId;
    return {};
}

Expected<void> AuditObserver::stepJournalProgress(QSqlDatabase &db, const MigrationStepReport &report,
                                                  const QString &progress)
{
    Q_UNUSED(report);
    if (!m_dialect || m_journalId == 0)
        return {};
    return AuditHistory(db, *m_dialect).setProgress(m_journalId, progress);
}

void AuditObserver::stepFailed(QSqlDatabase &db, const MigrationStepReport &report, const EngineError &error)
{
    if (!m_dialect || !report.step)
        return;
    HistoryEntry entry = entryFor(report);
    if (report.revision && !report.fileChecksum.isEmpty()) {
        entry.checksum = report.fileChecksum;
        entry.scriptText = report.fileText;
    }
    entry.outcome = report.cancelled ? HistoryEntry::Outcome::Cancelled : HistoryEntry::Outcome::Failed;
    entry.errorText = error.toString();
    const AuditHistory history(db, *m_dialect);
    if (const qint64 journal = std::exchange(m_journalId, 0)) {
        if (Expected<void> finished = history.finish(journal, entry); !finished)
            m_recordingErrors.append(finished.error().message());
        return;
    }
    // The rollback may have taken the table's creation with it (SQLite, PostgreSQL).
    if (Expected<void> created = history.ensureTable(); !created) {
        m_recordingErrors.append(created.error().message());
        return;
    }
    Expected<qint64> id = history.record(entry);
    if (!id)
        m_recordingErrors.append(id.error().message());
}

} // namespace qmigrate
