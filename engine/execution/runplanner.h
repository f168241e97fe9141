// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "execution/migrator.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "scripts/revisionsections.h"
#include "scripts/scriptchecksum.h"

#include <QString>
#include <QStringList>

namespace qmigrate {

// What every online run does once it holds the lock and has read the version rows, whoever executes the
// steps (the Migrator for SQL revisions, the project's own Alembic for Python ones): the plan for the
// request, refused when the database or the plan is no longer what the user was shown, and every script of
// the plan read again and checked against the text the plan was made from. One rule for both runners, so
// "what runs is what was shown" means the same everywhere.
class RunPlanner
{
public:
    // Fails (nothing run) when the rows differ from the request's expected or previewed rows, when the plan
    // cannot be made, or when it is not the previewed plan. Alembic's warnings (e.g. "downgrade -1 from
    // multiple heads is ambiguous") go to *warnings.
    static Expected<MigrationPlan> plan(const RevisionMap &map, const Migrator::Request &request,
                                        const QStringList &rows, QStringList *warnings);

    // The step's file as it is on disk now (its normalised text and checksum); an error naming the revision
    // and its file when that is not the text the plan was made from (`previewed`: the wording for a run the
    // user previewed). Stamp steps have no file: an empty Script.
    // With `sections`, a native SQL revision's sections are parsed from the same read (one read per file).
    static Expected<ScriptChecksum::Script> readPlannedScript(const RevisionMap &map,
                                                              const MigrationStep &step, bool previewed,
                                                              RevisionSections *sections = nullptr);

    // "a, b", or "no revision (empty)".
    static QString rowsText(const QStringList &rows);
    // Row order in alembic_version carries no meaning, nor do duplicates.
    static bool sameRows(QStringList a, QStringList b);
};

} // namespace qmigrate
