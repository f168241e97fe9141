// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "scripts/revision.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace qmigrate {

// `init DIR --from-database`: puts an existing database under migrations. It makes a new project in DIR
// (ProjectInitializer) whose sqlalchemy.url names the database (without its password), writes a baseline
// revision whose upgrade recreates the database's schema as introspected (tables, keys, indexes, foreign
// keys, checks, views; DdlWriter from an empty schema) and whose downgrade drops it, then stamps the
// database at the baseline (version table only; the stamp is recorded in qmigrate_history).
// A database that already has version rows is refused, and so is one without tables. Blocks on the server.
class DatabaseAdopter
{
public:
    struct Result
    {
        QString iniPath;
        Revision baseline;
        QStringList writtenFiles;
        QStringList reviewNotes;
    };

    // log receives the stamp's plan and progress lines ("Running stamp_revision  -> …") before it is done.
    // cancel, when set, is looked at before the project is made and again before the baseline is written:
    // a cancelled adoption leaves the database as it was. Once the baseline is being written the adoption
    // runs to its end, so that a project never has a baseline its database is not stamped at.
    static Expected<Result> adopt(const QString &directory, const DatabaseUrl &url,
                                  const std::function<void(const QString &)> &log = {},
                                  const std::atomic_bool *cancel = nullptr);
};

} // namespace qmigrate
