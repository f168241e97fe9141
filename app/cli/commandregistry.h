// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

namespace qmigrate {

// Every sub-command of qmigrate-cli, in the order the global --help lists them.
class CommandRegistry
{
public:
    static const QList<CliCommand> &commands();
    // nullptr for a name no command has.
    static const CliCommand *find(const QString &name);
};

} // namespace qmigrate
