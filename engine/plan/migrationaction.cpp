// SPDX-License-Identifier: MIT
#include "plan/migrationaction.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

QString migrationActionName(MigrationAction action)
{
    switch (action) {
    case MigrationAction::Upgrade:
        return u"upgrade"_s;
    case MigrationAction::Downgrade:
        return u"downgrade"_s;
    case MigrationAction::Stamp:
        return u"stamp"_s;
    }
    return {};
}

std::optional<MigrationAction> migrationActionFromName(const QString &name)
{
    for (const MigrationAction action :
         {MigrationAction::Upgrade, MigrationAction::Downgrade, MigrationAction::Stamp}) {
        if (name == migrationActionName(action))
            return action;
    }
    return std::nullopt;
}

} // namespace qmigrate
