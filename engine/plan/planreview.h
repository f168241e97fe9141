// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "scripts/sqlstatementsplitter.h"

#include <QList>
#include <QString>

#include <functional>

namespace qmigrate {

// Something a user should know about a plan before running it. Every warning about a statement names the
// revision, its file and the statement's 1-based line in that file.
struct PlanWarning
{
    enum class Kind {
        DropTable,          // DROP [TEMPORARY] TABLE (IF EXISTS too)
        DropColumn,         // ALTER TABLE … DROP [COLUMN] x (MySQL's bare "DROP x" too)
        DropSchema,         // DROP SCHEMA / DATABASE
        DropPartition,      // ALTER TABLE … DROP PARTITION
        DropOther,          // DROP INDEX / VIEW / TRIGGER / SEQUENCE / FUNCTION / …: no rows lost, but gone
        Truncate,           // TRUNCATE
        DeleteWithoutWhere, // DELETE without a top-level WHERE
        EmptyDowngrade,     // the revision's downgrade section runs nothing
        NotTransactional,   // MySQL/MariaDB: DDL commits implicitly, the step cannot be rolled back
        OutsideTransaction, // a "-- migrate:no-transaction" statement: the step is not atomic
        PythonRevision, // the first Alembic .py revision of a plan: its SQL is Alembic's offline rendering
        ScriptError,    // the section cannot be split (unterminated string, …): the run will refuse it
    };

    Kind kind = Kind::DropTable;
    int step = -1;    // 0-based index into MigrationPlan::steps()
    QString revision; // the step's revision id; empty for stamp steps
    QString file;     // absolute path of the revision file; empty for stamp steps
    int line = 0;     // 1-based line in file; 0 when the warning is about the whole step
    QString text;     // one sentence, without the location: "drops table devices"

    // Data is lost for good (a DROP TABLE/COLUMN/SCHEMA/PARTITION, TRUNCATE, DELETE without WHERE).
    bool isDestructive() const;
    // "file:line: text" (or "file: text", or "text").
    QString toString() const;
    friend bool operator==(const PlanWarning &, const PlanWarning &) = default;
};

// The warnings a plan preview shows, found by reading the SQL each step will run. Pure: no database.
class PlanReview
{
public:
    // Statements come from SqlStatementSplitter for backend, so a DROP TABLE inside a string or a comment is
    // never flagged. Warnings come in step order; within a step first the statements' in line order, then
    // the ones about the whole step. Per step:
    //  - each destructive or dropping statement of the section the step runs, case-insensitively;
    //  - an upgrade whose revision's downgrade section runs nothing ("cannot be downgraded"), and a
    //    downgrade that runs nothing (its upgrade's changes stay);
    //  - on MySQL/MariaDB, one NotTransactional per step that runs DDL (at its first DDL statement);
    //  - one OutsideTransaction per step with "-- migrate:no-transaction" statements, where DDL is
    //    transactional (on MySQL NotTransactional already says it);
    //  - a Python revision, whose SQL cannot be read; a section the splitter rejects (its error's line).
    // Stamp steps run no SQL and get none. map must be the one the plan was made from.
    static QList<PlanWarning> review(const RevisionMap &map, const MigrationPlan &plan,
                                     DatabaseUrl::Backend backend);

    // The section a step runs, split for backend: its statements, or the splitter's error. Asked once per
    // step of a native SQL revision, in step order.
    using StatementsOfStep = std::function<Expected<QList<SqlStatement>>(int step)>;
    // The same warnings from sections split elsewhere (the dry run's split, see PlanDetails), so that a
    // plan's SQL is split once. Only the downgrade section of an upgrade step, which no run of the plan
    // splits, is split here: to tell whether it runs nothing.
    static QList<PlanWarning> review(const RevisionMap &map, const MigrationPlan &plan,
                                     DatabaseUrl::Backend backend, const StatementsOfStep &statementsOf);
};

} // namespace qmigrate
