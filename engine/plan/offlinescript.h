// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "config/projectconfig.h"
#include "core/expected.h"
#include "graph/revisionmap.h"
#include "plan/migrationaction.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace qmigrate {

// `upgrade|downgrade|stamp --sql` of a native SQL project as one call: the targets (with their "from:"
// ranges) parsed, the plan made, the script rendered for the URL's dialect and the project's version table.
// Connects to nothing: the URL only picks the dialect, as in Alembic.
class OfflineScript
{
public:
    struct Result
    {
        QString script;
        // Alembic's log messages for stderr, without their prefix (OfflineRenderer::alembicLogLine).
        QStringList logLines;
    };

    // `warning` receives the plan's warnings as soon as the plan is made, before the script is rendered.
    static Expected<Result> render(const RevisionMap &map, const ProjectConfig &config,
                                   const DatabaseUrl &url, MigrationAction action, const QStringList &targets,
                                   bool purge,
                                   const std::function<void(const QString &warning)> &warning = {});
};

} // namespace qmigrate
