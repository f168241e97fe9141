// SPDX-License-Identifier: MIT
#pragma once

#include "authoring/revisionwriter.h"
#include "config/databaseurl.h"
#include "core/expected.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "scripts/revision.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>

namespace qmigrate {

// A new revision or a merge, whichever kind the project is: a native SQL project's file written from its
// template (RevisionWriter), its SQL drafted first on request (Autogenerator); an Alembic Python project's
// through its own Alembic (AlembicRunner), the new files then read back as qmigrate reads them, so that what
// is reported is what the graph will show. Runs on the calling thread.
class RevisionAuthor
{
public:
    struct Request
    {
        // The message, parents (heads, splice), branch labels, dependencies, id and version path.
        NewRevision revision;
        // Not empty: a merge of these revisions (ids, prefixes, label@head, heads) with the message, branch
        // labels and id of `revision`.
        QStringList mergeRevisions;
        // Set: draft the SQL against this database's backend (a native project builds the schema on a
        // scratch database; an Alembic project's --autogenerate compares with this database).
        std::optional<DatabaseUrl> autogenerate;
        // With autogenerate, native projects only: compare the model with the database as it is instead of
        // the revisions replayed.
        bool fromDatabase = false;
        // The interpreter of an Alembic project (AlembicRunner::optionsFor) and where it was chosen.
        QString python;
        QString pythonSource;
        // Set by a front end that can cancel: an autogenerate stops at its next statement, and nothing is
        // written once it is set (a file being written is written whole). Must outlive write().
        const std::atomic_bool *cancel = nullptr;
    };

    struct Result
    {
        // The new revisions as qmigrate reads them; empty when autogenerate found nothing to write.
        QList<Revision> written;
        // What a drafted upgrade does that needs a look ("drops table t and its data").
        QStringList reviewNotes;
        // Autogenerate found no difference: what was compared with the model, and the model's path.
        QString unchangedComparedWith;
        QString modelPath;
    };

    // `callbacks` receive what an Alembic project's own code prints (output, warning).
    static Expected<Result> write(const Project &project, const Request &request,
                                  const MigratorCallbacks &callbacks = {});

private:
    static Expected<Result> writeNative(const Project &project, const Request &request);
    static Expected<Result> writeThroughAlembic(const Project &project, const Request &request,
                                                const MigratorCallbacks &callbacks);
};

} // namespace qmigrate
