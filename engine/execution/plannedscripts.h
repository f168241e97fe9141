// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "scripts/scriptchecksum.h"
#include "scripts/sqlstatementsplitter.h"

#include <QList>
#include <QString>

namespace qmigrate {

// Every script of a plan read again, checked against the text the plan was made from and split into its
// statements, before anything runs: a syntax slip or a COMMIT in the fifth revision never leaves the first
// four applied, and a file saved since the plan was made never runs unseen.
//
// The files are independent of each other, so a long plan is read on two threads; the outcome is the same as
// reading them one after another: the steps in plan order, or the error of the first step (in plan order)
// that fails.
class PlannedScripts
{
public:
    struct Step
    {
        ScriptChecksum::Script
            script;         // the file as read: its normalised text and checksum (none for a stamp)
        QString sectionSql; // the section the step runs, from that same read
        QList<SqlStatement> statements;
    };

    // `previewed`: the wording for a run the user previewed. `dryRun`: an Alembic Python revision is read and
    // checked but not refused (the plan can still be shown).
    static Expected<QList<Step>> read(const RevisionMap &map, const MigrationPlan &plan,
                                      DatabaseUrl::Backend backend, bool previewed, bool dryRun);

    // Plans shorter than this are read on the calling thread alone: starting a thread costs more than it
    // saves on a few files.
    static constexpr qsizetype ParallelFrom = 32;
};

} // namespace qmigrate
