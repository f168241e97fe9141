// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "database/dialect.h"
#include "scripts/revision.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace qmigrate {

// One row of qmigrate_history: one applied, reverted or stamped step, or one that failed or was cancelled.
struct HistoryEntry
{
    enum class Direction { Upgrade, Downgrade, Stamp };
    // Running: the journal row of a step that cannot roll back (MySQL/MariaDB DDL, a "-- migrate:
    // no-transaction" statement), written and committed before the step starts and turned into success or
    // failed when it ends; one left behind belongs to a run that was killed in the middle of that step.
    enum class Outcome { Success, Failed, Cancelled, Running };

    qint64 id = 0; // given by the database; record() ignores it
    QString revision;
    Direction direction = Direction::Upgrade;
    QString checksum;   // ScriptChecksum of the whole file; empty for a stamp
    QString scriptText; // the normalised file text that ran (ScriptChecksum::Script::text)
    // Any time zone; stored as the instant and read back in UTC. record() takes the current time for an
    // invalid startedAt and stores NULL for an invalid finishedAt.
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 durationMs = 0;
    QString osUser; // record() fills in AuditHistory::currentOsUser() when empty
    QString host;   // record() fills in QSysInfo::machineHostName() when empty
    Outcome outcome = Outcome::Success;
    QString errorText;       // the failure or cancellation message
    QString qmigrateVersion; // record() fills in QCoreApplication::applicationVersion() when empty

    static QString directionName(Direction direction); // "upgrade", "downgrade", "stamp"
    static QString outcomeName(Outcome outcome);       // "success", "failed", "cancelled", "running"
    static std::optional<Direction> directionFromName(const QString &name);
    static std::optional<Outcome> outcomeFromName(const QString &name);
};

// What a journal row (outcome running) says of its step, kept in its error_text in words a person reads
// (`log`, `check`, the GUI) and that a resume reads back: how many of the step's statements are committed,
// and whether the one after them had started when the run ended, so that its outcome is not known.
struct JournalProgress
{
    int committed = 0;
    int total = 0;            // the step's statements; 0 when the row does not say
    bool nextStarted = false; // statement committed + 1 had started

    // "2 of 5 statements committed: line 3 CREATE TABLE a; line 8 CREATE INDEX b", then, when
    // `startedSummary` is not empty, "; then statement 3 started (line 12 ALTER TABLE a) and may or may not
    // have committed".
    static QString text(const QStringList &committedSummaries, int total, const QString &startedSummary);
    // The counts of a text written by text(); a journal row just started ("started; no statement committed
    // yet") or text of another shape reads as nothing committed, total 0.
    static JournalProgress read(const QString &text);
};

// Which rows AuditHistory::entries() reads.
struct HistoryFilter
{
    QString revision; // only this revision's rows (exact id) when not empty
    int limit = 0;    // at most this many rows when > 0
};

// A script whose file changed since it was applied: what `qmigrate-cli check` reports.
struct ChangedScript
{
    QString revision;
    QString path;            // the revision's file
    QString appliedChecksum; // from the history row
    QString currentChecksum; // of the file now
    QDateTime appliedAt;     // finished_at of the history row
    QString diff;            // TextDiff::unified(applied text, current text, "a/<file>", "b/<file>")
};

// The qmigrate_history table (beyond Alembic: alembic_version stays Alembic's own) on one open connection,
// in the schema of the dialect's version table. Every statement binds its values.
//
// Transactions are the caller's: AuditHistory never begins, commits or rolls back, so a row recorded inside a
// step's transaction commits or rolls back with that step. Consequences for the migrator:
//  - A failure row recorded inside the failed transaction disappears with its rollback: record failed and
//    cancelled rows after the rollback, outside the step's transaction (on every backend).
//  - MariaDB/MySQL commit implicitly around DDL, so call ensureTable() before the transaction begins (there,
//    CREATE TABLE inside it would commit the statements before it). On SQLite and PostgreSQL it may run
//    inside.
//  - On MariaDB a successful step's DDL is already committed whatever happens to the transaction; only its
//    version-table change and its history row (both InnoDB DML) still commit or roll back together.
class AuditHistory
{
public:
    static constexpr QLatin1StringView TableName{"qmigrate_history"};
    static constexpr QLatin1StringView IndexName{"ix_qmigrate_history_revision"};

    // The database must stay open while this object is used. The dialect gives the backend and the schema
    // (its version table's schema).
    AuditHistory(QSqlDatabase db, Dialect dialect);

    QString qualifiedTable() const; // schema.qmigrate_history, quoted where needed

    // Errors are EngineError Kind::Database naming the table and the server's message.
    Expected<bool> tableExists() const;
    // Creates the table and its index on revision unless the table exists (IF NOT EXISTS all the same).
    Expected<void> ensureTable() const;
    // Inserts the entry; returns the new row's id.
    Expected<qint64> record(const HistoryEntry &entry) const;
    // The end of a journal row (outcome running): its outcome, finish time, duration and error text.
    Expected<void> finish(qint64 id, const HistoryEntry &entry) const;
    // A journal row's progress: what of its step is committed so far (kept in error_text).
    Expected<void> setProgress(qint64 id, const QString &progress) const;
    // The journal rows still running, oldest first: steps of runs that died in them (or of the run that
    // holds the lock now). Empty when the table does not exist.
    Expected<QList<HistoryEntry>> interruptedSteps() const;
    // Closes the interrupted rows (outcome failed) with `resolution` appended to their text: for the stamp
    // that records how the database was settled.
    Expected<void> resolveInterrupted(const QString &resolution) const;
    // Newest first (by id, i.e. in the order they were recorded).
    Expected<QList<HistoryEntry>> entries(const HistoryFilter &filter = {}) const;
    // The newest successful upgrade of the revision unless a successful downgrade of it came later (stamps
    // and failures are ignored): the text `check` compares the file against. nullopt when there is none.
    Expected<std::optional<HistoryEntry>> latestApplied(const QString &revisionId) const;
    // For every revision whose id is in appliedRevisionIds and that has a latestApplied() row: the file's
    // current checksum compared with the row's; the changed ones, in the order of `revisions`. Revisions
    // applied without history (e.g. by Alembic) are skipped. An unreadable file is an error naming it.
    Expected<QList<ChangedScript>> changedScripts(const QList<Revision> &revisions,
                                                  const QStringList &appliedRevisionIds) const;

    // The same rule on rows already read (newest first, as entries() gives them) and on the checksums the
    // revisions were read with (Revision::checksum), for a caller that keeps both in memory (the GUI): an
    // applied revision whose newest successful upgrade or downgrade row is an upgrade with a checksum other
    // than its file's now. The diff reads the file's current text.
    static QList<ChangedScript> changedScripts(const QList<HistoryEntry> &newestFirst,
                                               const QList<const Revision *> &appliedRevisions);

    static QString currentOsUser(); // $USER, else $USERNAME (Windows), else empty
    static QString currentHost();   // QSysInfo::machineHostName()

    // The statements ensureTable() runs, for tests and for showing with --dry-run.
    QString createTableSql() const;
    // The INSERT of record() with named parameters (:revision, :direction, :checksum, :script_text,
    // :started_at, :finished_at, :duration_ms, :os_user, :host, :outcome, :error_text, :qmigrate_version),
    // for the Alembic driver, which writes the row of a step inside its transaction through SQLAlchemy.
    static QString insertSqlWithNames(const Dialect &dialect);
    // The same INSERT with positional placeholders, and the values it binds for `entry` in their order (user,
    // host and version as the entry has them: record() fills them in first).
    static QString insertSql(const Dialect &dialect);
    static QVariantList insertValues(const HistoryEntry &entry, DatabaseUrl::Backend backend);
    // The columns insertSql() names, in the order of insertValues().
    static const QStringList &insertColumnNames();
    // A timestamp as the backend's column takes it: NULL for an invalid one.
    static QVariant timestampValue(const QDateTime &dt, DatabaseUrl::Backend backend);
    QString createIndexSql() const;

private:
    EngineError databaseError(const QString &what, const QString &serverMessage) const;
    QString selectColumnsSql() const;

    QSqlDatabase m_db;
    Dialect m_dialect;
};

} // namespace qmigrate
