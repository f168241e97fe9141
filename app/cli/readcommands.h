// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace qmigrate {

class CliContext;

// The commands that read the scripts (and for current, the database): history, heads, branches, show,
// current.
class ReadCommands
{
public:
    static QList<CliCommand> commands();

private:
    static int history(CliContext &context, const QCommandLineParser &parser);
    static int heads(CliContext &context, const QCommandLineParser &parser);
    static int branches(CliContext &context, const QCommandLineParser &parser);
    static int show(CliContext &context, const QCommandLineParser &parser);
    static int current(CliContext &context, const QCommandLineParser &parser);
};

} // namespace qmigrate
