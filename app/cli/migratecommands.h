// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

#include "alembic/projectrun.h"

namespace qmigrate {

class CliContext;

// The commands that move a database: upgrade, downgrade and stamp, run online (one ProjectRun, or its plan
// with --dry-run) or rendered as a script with --sql.
class MigrateCommands
{
public:
    static QList<CliCommand> commands();

private:
    static int migrate(CliContext &context, const QCommandLineParser &parser, MigrationAction action);
    // --sql: the plan rendered as a script, no connection.
    static int offline(CliContext &context, MigrationAction action, const QStringList &targets, bool purge);
    // --dry-run: the plan the run would follow, with every statement and version-table write.
    // Printed from the dry run's PlanDetails: nothing is split or rendered again here.
    static int printDryRun(CliContext &context, const DatabaseUrl &url, const ProjectRun::Result &result);
};

} // namespace qmigrate
