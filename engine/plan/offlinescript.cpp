// SPDX-License-Identifier: MIT
#include "plan/offlinescript.h"

#include "database/dialect.h"
#include "plan/offlinerenderer.h"

namespace qmigrate {

Expected<OfflineScript::Result> OfflineScript::render(const RevisionMap &map, const ProjectConfig &config,
                                                      const DatabaseUrl &url, MigrationAction action,
                                                      const QStringList &targets, bool purge,
                                                      const std::function<void(const QString &)> &warning)
{
    Expected<OfflineRange> range = OfflineRenderer::parseTargets(map, action, targets, true, purge);
    if (!range)
        return range.error();
    QStringList warnings;
    Expected<MigrationPlan> plan = OfflineRenderer::plan(map, action, *range, purge, &warnings);
    if (!plan)
        return plan.error();
    if (warning) {
        for (const QString &text : std::as_const(warnings))
            warning(text);
    }
    // No database name: an offline script runs wherever it is fed, so it names no database.
    Dialect dialect = Dialect::forBackend(url.backend());
    dialect.setVersionTable(config.versionTable());
    dialect.setVersionTableSchema(config.versionTableSchema());
    const OfflineRenderer renderer(map, dialect, config.transactionPerMigration());
    Result result;
    Expected<QString> script = renderer.render(*plan, range->startRows.isEmpty(), &result.logLines);
    if (!script)
        return script.error();
    result.script = *script;
    return result;
}

} // namespace qmigrate
