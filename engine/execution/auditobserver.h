// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"
#include "audit/historywriter.h"
#include "execution/migrator.h"
#include "scripts/scriptchecksum.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace qmigrate {

// Writes the audit history (qmigrate_history) of a Migrator run: one row per applied, reverted or stamped
// step (outcome success), recorded inside the step's transaction so that it commits or rolls back with the
// step, and one row per failed or cancelled step, recorded after the rollback with the error text.
//
// Upgrade and downgrade rows carry the checksum and normalised text of the revision's whole file as the
// Migrator read and checked it before the run (MigrationStepReport::fileText): the text that ran; stamp rows
// carry neither, and their revision is the step's destination rows ("a, b"), or "base" for a stamp to base.
//
// The table is created in runStarted(): on MySQL/MariaDB the Migrator has no run transaction open there, so
// the implicit commit of CREATE TABLE takes nothing with it; on SQLite and PostgreSQL the creation is part of
// the run's transaction, so a failure rolls it back too, and stepFailed() creates it again before recording.
// A step that commits part of its work as it goes (MySQL/MariaDB DDL, "-- migrate:no-transaction") gets its
// row first, with outcome running, committed before the step starts and updated after each statement that
// commits; the step's end turns that row into success (inside the step's last transaction, with its version
// write) or failed. A run killed in such a step leaves the running row behind: AuditHistory::
// interruptedSteps() finds it. A run that resumes that step goes on in the same row, and its success text
// says which statements ran in which run.
// A success row costs what the row itself costs: the account, host and version are looked up once per run.
// On PostgreSQL a step that commits on its own (transaction_per_migration) has its row travel in the
// statement of its version write (stepAppliedStatement). Otherwise the row is kept back until its transaction
// is about to commit (writeKeptRecords) and written then, with the rows of the other steps that transaction
// holds (HistoryWriter::insertAll): on SQLite every step's DDL changes the schema, which would make SQLite
// prepare a statement kept from one step to the next again at every step; on PostgreSQL the rows go in one
// statement. The rows commit or roll back with their steps all the same (a rollback drops them:
// transactionRolledBack).
// One object may observe several runs, one at a time.
class AuditObserver : public MigrationObserver
{
public:
    Expected<void> runStarted(QSqlDatabase &db, const Dialect &dialect) override;
    Expected<void> stepApplied(QSqlDatabase &db, const MigrationStepReport &report) override;
    void stepFailed(QSqlDatabase &db, const MigrationStepReport &report, const EngineError &error) override;
    Expected<void> stepJournalStarted(QSqlDatabase &db, const MigrationStepReport &report) override;
    Expected<void> stepJournalResumed(QSqlDatabase &db, const MigrationStepReport &report,
                                      qint64 journalId) override;
    Expected<void> stepJournalProgress(QSqlDatabase &db, const MigrationStepReport &report,
                                       const QString &progress) override;
    QString stepAppliedStatement(const QSqlDatabase &db, const MigrationStepReport &report) override;
    Expected<void> writeKeptRecords(QSqlDatabase &db, int *failedStep) override;
    void transactionRolledBack() override;
    void rolledBackToStep(int stepIndex) override;
    void connectionClosing() override;

    // Failures to record a failure row (stepFailed cannot report them): for the caller to show as warnings.
    QStringList recordingErrors() const { return m_recordingErrors; }

    // The revision column of a stamp step's row.
    static QString stampRevision(const MigrationStep &step);

private:
    HistoryEntry entryFor(const MigrationStepReport &report) const;
    // The success row of a step (stepApplied, stepAppliedStatement); the error when the step has no text.
    Expected<HistoryEntry> successEntry(const MigrationStepReport &report) const;
    // The run's writer on db's connection (a new one after a reconnect).
    HistoryWriter &writer(const QSqlDatabase &db);

    std::optional<Dialect> m_dialect;
    std::optional<HistoryWriter> m_writer;
    QString m_writerConnection; // the connection name m_writer writes on
    qint64 m_journalId = 0;     // the running row of the step in progress, when it has one
    // Success rows of the open transaction's steps, not written yet, and their steps' indexes.
    QList<HistoryEntry> m_pendingRows;
    QList<int> m_pendingSteps;
    QStringList m_recordingErrors;
};

} // namespace qmigrate
