#pragma once

#include "clicommand.h"

#include "execution/migrator.h"

namespace qmigrate {

class CliContext;

// The commands that move a database: upgrade, downgrade and stamp, run online (one Migrator run, or its plan
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
    static int printDryRun(CliContext &context, const DatabaseUrl &url, const Dialect &dialect,
                           const Migrator::Result &result);
    // An Alembic Python project's run, through its own Alembic.
    static int runAlembic(CliContext &context, const Migrator::Request &request, const DatabaseUrl &url,
                          int lockTimeoutSeconds);
};

} // namespace qmigrate
