// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace qmigrate {

// What a run does to the version table: the one enum of the CLI's commands, the GUI's actions, Migrator
// requests and offline scripts.
enum class MigrationAction { Upgrade, Downgrade, Stamp };

// "upgrade", "downgrade", "stamp": the command names, as Alembic spells them.
QString migrationActionName(MigrationAction action);
// The action a command name means; nullopt for any other text.
std::optional<MigrationAction> migrationActionFromName(const QString &name);

} // namespace qmigrate
