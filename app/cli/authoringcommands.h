#pragma once

#include "clicommand.h"

#include "authoring/revisionwriter.h"

namespace qmigrate {

class CliContext;

// The commands that write files: init (a new project, or one adopted from a database), create and its
// alias revision, merge, and edit (a revision's file in the user's editor).
class AuthoringCommands
{
public:
    static QList<CliCommand> commands();

private:
    static int init(CliContext &context, const QCommandLineParser &parser);
    // create "msg" and revision -m "msg".
    static int create(CliContext &context, const QCommandLineParser &parser, const QString &command);
    static int merge(CliContext &context, const QCommandLineParser &parser);
    static int edit(CliContext &context, const QCommandLineParser &parser);
    // create/revision (mergeRevisions empty) and merge of an Alembic Python project, through its own
    // Alembic; a merge takes its message, branch labels and id from `request`.
    static int alembicAuthoring(CliContext &context, const NewRevision &request,
                                const QStringList &mergeRevisions, bool autogenerate);
    // "Generating <path> ...  done", or the revision as JSON.
    static int reportWritten(CliContext &context, const Revision &revision);
};

} // namespace qmigrate
