// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "schema/schemasnapshot.h"

#include <QString>
#include <QStringList>

#include <atomic>

namespace qmigrate {

class Project;

// The schemas that autogenerate and `check` compare, each built for real on a scratch database of the
// backend the project targets (ScratchDatabase) and read back with SchemaIntrospector, so both sides are
// normalised the same way:
//  - fromRevisions: the revisions applied up to targets (heads by default) with the project's own Migrator;
//  - fromModel: the project's schema.sql applied statement by statement;
//  - fromDatabase: a live database as it is.
// Every call blocks on the server: run it off the UI thread.
class SchemaBuilder
{
public:
    // <script_location>/schema.sql.
    static QString modelPath(const Project &project);

    // Each target is an upgrade target, applied in turn, so several give the schema under a merge of them;
    // none gives the empty schema under a new root. cancel, when set, stops the replay before its next
    // statement (the Migrator's cancel token).
    static Expected<SchemaSnapshot> fromRevisions(const Project &project, const DatabaseUrl &like,
                                                  const QStringList &targets = {QStringLiteral("heads")},
                                                  const std::atomic_bool *cancel = nullptr);
    // Errors name schema.sql and the line of the statement the server refused.
    static Expected<SchemaSnapshot> fromModel(const Project &project, const DatabaseUrl &like);
    static Expected<SchemaSnapshot> fromDatabase(const Project &project, const DatabaseUrl &url);
};

} // namespace qmigrate
