// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace qmigrate {

class CliContext;

// The commands that audit a database: log (its qmigrate_history) and check (heads, interrupted steps,
// scripts edited since applied, the schema against its model).
class AuditCommands
{
public:
    static QList<CliCommand> commands();

private:
    static int log(CliContext &context, const QCommandLineParser &parser);
    static int check(CliContext &context, const QCommandLineParser &parser);
};

} // namespace qmigrate
