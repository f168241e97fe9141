// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "database/dialect.h"
#include "graph/revisionmap.h"
#include "plan/migrationaction.h"
#include "plan/migrationplan.h"
#include "plan/plandetails.h"

#include <QString>
#include <QStringList>

namespace qmigrate {

// What an upgrade, downgrade or stamp argument asks for once the "from:to" range of --sql mode is split off
// (docs/alembic-compatibility.md, "Relative identifiers", "Offline SQL").
struct OfflineRange
{
    bool hasStart = false; // a "from:" part was given
    QString start;         // that part as typed
    // The rows the run starts from (Alembic's H offline): the resolved start revision, full id; empty when no
    // range is given or the start is "base" (or empty). Pass these as the current rows to MigrationPlan.
    QStringList startRows;
    // The destination(s) as typed, for MigrationPlan (upgrade/downgrade: exactly one; stamp: one per
    // argument, in argument order).
    QStringList targets;

    QString target() const { return targets.value(0); }
};

// Renders a MigrationPlan as the script Alembic prints with --sql (docs/alembic-compatibility.md, "Offline
// SQL"), byte for byte, following Alembic main (no DROP TABLE of the version table at the end of a run that
// ends with no rows; 1.8.1 printed one). Per step:
//
//     [BEGIN;]                          transactional-DDL dialect with transaction_per_migration
//     [CREATE TABLE alembic_version …;] when the step starts with no rows
//     -- Running upgrade a -> b
//     <each statement of the revision section>;
//     <each version-table statement>;
//     [COMMIT;]
//
// every item followed by one blank line; without transaction_per_migration a transactional-DDL dialect
// (PostgreSQL, as Alembic: not SQLite) wraps the whole run in one BEGIN;/COMMIT; instead. Statements come
// from SqlStatementSplitter for the dialect's backend, without their terminators, tabs replaced by four
// spaces. Statements after a "-- migrate:no-transaction" marker are enclosed in COMMIT;/BEGIN; when a
// transaction is open, as Alembic's autocommit_block() writes them offline. Stamp steps write only the
// version table.
class OfflineRenderer
{
public:
    // map must outlive the renderer (only a pointer is kept; render(PlanDetails) does not read it); the
    // dialect carries the version table's name and schema.
    OfflineRenderer(const RevisionMap &map, const Dialect &dialect, bool transactionPerMigration);

    // The script. startsEmpty: the version table is assumed missing before the first step, so its CREATE
    // TABLE comes first (Alembic: no "from:" given, or "base:"; pass OfflineRange::startRows.isEmpty()). As
    // in Alembic, a later step that would start with no rows gets one too.
    //
    // logLines receives Alembic's log messages for stderr, without the "INFO  [alembic.runtime.migration] "
    // prefix (see alembicLogLine): "Context impl SQLiteImpl.", "Generating static SQL", "Will assume
    // non-transactional DDL." then one "Running …" line per step.
    //
    // Errors: a plan with purge ("Can't use --purge with --sql mode"); a step of a Python (Alembic .py)
    // revision, whose SQL only Python can produce (names the file and the revision); a section the splitter
    // rejects (names the file, the line and the revision).
    Expected<QString> render(const MigrationPlan &plan, bool startsEmpty,
                             QStringList *logLines = nullptr) const;
    // The same from a plan's details, whose statements are already split (a dry run's, for the GUI's "Copy
    // as SQL script"): the script of details.plan(), nothing split again. details must be for this
    // renderer's backend; the version-table writes are rendered here, in their offline form.
    Expected<QString> render(const PlanDetails &details, bool startsEmpty,
                             QStringList *logLines = nullptr) const;

    // "INFO  [alembic.runtime.migration] <message>", the line Alembic's default logging writes to stderr.
    static QString alembicLogLine(const QString &message);

    // upgrade [from:]to. Online (sql false) a range is refused: "Range revision not allowed". Without a
    // range the run starts from base. The start is resolved like Alembic's get_revision (ids, partial ids,
    // labels, head; "base" or empty = no rows).
    static Expected<OfflineRange> parseUpgrade(const RevisionMap &map, const QString &argument, bool sql);
    // downgrade from:to. With --sql the range is required ("downgrade with --sql requires
    // <fromrev>:<torev>"); online it is refused as for upgrade.
    static Expected<OfflineRange> parseDowngrade(const RevisionMap &map, const QString &argument, bool sql);
    // stamp [from:]to... With --sql each argument may carry a range; every given start must be the same text
    // ("Stamp operation with --sql only supports a single starting revision at a time"), and purge is refused
    // ("Can't use --purge with --sql mode"). Online the arguments are the destinations as they are.
    static Expected<OfflineRange> parseStamp(const RevisionMap &map, const QStringList &arguments, bool sql,
                                             bool purge);

    // The targets a command means when it is given none: head for upgrade, -1 for downgrade, none for stamp.
    static QStringList defaultTargets(MigrationAction action);
    // parseUpgrade, parseDowngrade or parseStamp for the action. Upgrade and downgrade read the first target
    // (upgrade: head when there is none; downgrade: none, which --sql refuses).
    static Expected<OfflineRange> parseTargets(const RevisionMap &map, MigrationAction action,
                                               const QStringList &targets, bool sql, bool purge);
    // The range's plan: from its start rows to its targets (MigrationPlan::upgrade, downgrade or stamp).
    // warnings receives the downgrade's, e.g. "downgrade -1 from multiple heads is ambiguous".
    static Expected<MigrationPlan> plan(const RevisionMap &map, MigrationAction action,
                                        const OfflineRange &range, bool purge,
                                        QStringList *warnings = nullptr);

    // The start of a range as rows: empty for "base" or an empty start, else the one revision it names.
    static Expected<QStringList> resolveStart(const RevisionMap &map, const QString &start);

private:
    const RevisionMap *m_map;
    Dialect m_dialect;
    bool m_transactionPerMigration;
};

} // namespace qmigrate
