// SPDX-License-Identifier: MIT
#pragma once

#include "clicommand.h"

#include "alembic/revisionauthor.h"

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
    // Writes the revision (RevisionAuthor) and reports it.
    static int write(CliContext &context, RevisionAuthor::Request request);
    // "Generating <path> ...  done", or the revision as JSON.
    static int reportWritten(CliContext &context, const Revision &revision);
};

} // namespace qmigrate
