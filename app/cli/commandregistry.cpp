// SPDX-License-Identifier: MIT
#include "commandregistry.h"

#include "auditcommands.h"
#include "authoringcommands.h"
#include "migratecommands.h"
#include "readcommands.h"

namespace qmigrate {

const QList<CliCommand> &CommandRegistry::commands()
{
    static const QList<CliCommand> list = AuthoringCommands::commands() + ReadCommands::commands() +
                                          MigrateCommands::commands() + AuditCommands::commands();
    return list;
}

const CliCommand *CommandRegistry::find(const QString &name)
{
    for (const CliCommand &command : commands()) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

} // namespace qmigrate
