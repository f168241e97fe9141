// SPDX-License-Identifier: MIT
#include "authoringcommands.h"

#include "clicontext.h"

#include "authoring/projectinitializer.h"
#include "config/projectconfig.h"
#include "graph/revisionmap.h"
#include "schema/databaseadopter.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace qmigrate {

QList<CliCommand> AuthoringCommands::commands()
{
    const QCommandLineOption messageOption({u"m"_s, u"message"_s}, u"Message of the revision."_s,
                                           u"MESSAGE"_s);
    const QCommandLineOption revIdOption(u"rev-id"_s, u"Use this id instead of a generated one."_s, u"ID"_s);
    const QString createDescription =
        u"Create a new revision file from the project's script.sql.tmpl, on the head (or on --head). Prints "
        u"the path of the new file."_s;
    const QList<QCommandLineOption> createOptions{
        messageOption,
        QCommandLineOption(
            u"head"_s,
            u"Revision the new one is based on (default head): an id, a prefix, label@head, base "
            u"for a new root; repeat it for a merge."_s,
            u"HEAD"_s),
        QCommandLineOption(u"splice"_s, u"Allow a --head that is not a head (starts a new branch there)."_s),
        QCommandLineOption(u"branch-label"_s, u"Branch label for the new revision."_s, u"LABEL"_s),
        QCommandLineOption(u"depends-on"_s,
                           u"A revision (id, prefix or label) the new one depends on; repeatable."_s,
                           u"REV"_s),
        revIdOption,
        QCommandLineOption(u"version-path"_s, u"Version location to write into (one of version_locations)."_s,
                           u"PATH"_s),
        QCommandLineOption(
            u"autogenerate"_s,
            u"Draft the upgrade and downgrade SQL: the difference between the schema the revisions build up "
            u"to the new revision's parent (--head; on a scratch database of the configured backend) and "
            u"schema.sql. Review it before running it: what cannot be expressed safely is marked with "
            u"-- qmigrate: review: lines."_s),
        QCommandLineOption(
            u"from-database"_s,
            u"With --autogenerate: compare schema.sql with the configured database as it is, instead of the "
            u"revisions replayed; the new revision must then go on the revision the database is at."_s),
        CliCommand::jsonOption(),
    };
    return {
        {u"init"_s,
         u"Create a new project in a directory (alembic.ini, template, versions/, schema.sql)."_s,
         u"Create a new native SQL project in DIR: alembic.ini (script_location = the directory, a SQLite "
         u"URL, the DB_* environment rule in its comments), script.sql.tmpl, versions/, schema.sql and "
         u"README.md. Refuses, writing nothing, when any of them exists already."_s,
         {{u"directory"_s, u"The project directory (created if missing)."_s}},
         {QCommandLineOption(
             u"from-database"_s,
             u"Adopt an existing database (--url, or the DB_* environment): the new project names it, its "
             u"first revision (the baseline) recreates the database's schema as introspected, and the "
             u"database is stamped at it. Refused for a database that already has a version table with "
             u"rows."_s)},
         1,
         1,
         &AuthoringCommands::init},
        {u"create"_s,
         u"Create a new revision file from the project's template (create \"message\")."_s,
         createDescription,
         {{u"message"_s, u"The message (or -m); it also names the file."_s}},
         createOptions,
         0,
         1,
         [](CliContext &context, const QCommandLineParser &parser) {
             return create(context, parser, u"create"_s);
         }},
        {u"revision"_s,
         u"Alias of create, as Alembic spells it (revision -m \"message\")."_s,
         createDescription + u" As in Alembic, the message is given with -m MESSAGE (create also takes it as "
                             u"an argument): revision -m \"add the orders table\"."_s,
         {},
         createOptions,
         0,
         0,
         [](CliContext &context, const QCommandLineParser &parser) {
             return create(context, parser, u"revision"_s);
         }},
        {u"merge"_s,
         u"Create a revision that merges two or more heads (merge -m \"message\" heads)."_s,
         u"Create a revision whose parents are the given revisions (heads), joining their branches. 'heads' "
         u"names every head."_s,
         {{u"revisions"_s, u"Two or more heads (ids, prefixes, label@head), or heads."_s}},
         {QCommandLineOption({u"m"_s, u"message"_s}, u"Message of the merge."_s, u"MESSAGE"_s),
          QCommandLineOption(u"branch-label"_s, u"Branch label for the merge revision."_s, u"LABEL"_s),
          revIdOption, CliCommand::jsonOption()},
         1,
         -1,
         &AuthoringCommands::merge},
        {u"edit"_s,
         u"Open a revision's file in $VISUAL or $EDITOR."_s,
         u"Open the file of a revision in $VISUAL, else $EDITOR (a command line: 'code -w' works), else "
         u"sensible-editor or editor, whichever is found first on PATH, and wait for the editor to exit. "
         u"'current' opens the database's current revisions."_s,
         {{u"revision"_s, u"An id, a prefix, a label, head, current..."_s}},
         {},
         1,
         1,
         &AuthoringCommands::edit},
    };
}

int AuthoringCommands::init(CliContext &context, const QCommandLineParser &parser)
{
    QTextStream &out = context.out();
    const QString directory = parser.positionalArguments().first();
    if (parser.isSet(u"from-database"_s)) {
        Expected<QString> urlText = ProjectConfig::urlWithoutIni(context.options().urlOverride,
                                                                 QProcessEnvironment::systemEnvironment());
        if (!urlText)
            return context.fail(urlText.error());
        if (urlText->isEmpty())
            return context.usageError(u"--from-database needs the database: give --url, or set DB_HOST"_s,
                                      u"init"_s);
        Expected<DatabaseUrl> url = DatabaseUrl::parse(*urlText);
        if (!url)
            return context.fail(url.error());
        Expected<DatabaseAdopter::Result> adopted = DatabaseAdopter::adopt(
            directory, *url, [&context](const QString &line) { context.logInfo(line); });
        if (!adopted)
            return context.fail(adopted.error());
        for (const QString &file : std::as_const(adopted->writtenFiles))
            out << "Generating " << QDir::toNativeSeparators(file) << " ...  done\n";
        for (const QString &note : std::as_const(adopted->reviewNotes))
            out << "  Review: " << note << '\n';
        out << "Stamped " << url->toDisplayString() << " at " << adopted->baseline.id
            << " (the version table only; no SQL ran).\n";
        return 0;
    }
    Expected<ProjectInitializer::Result> result = ProjectInitializer::init(directory);
    if (!result)
        return context.fail(result.error());
    for (const QString &created : std::as_const(result->createdDirectories))
        out << "Creating directory " << QDir::toNativeSeparators(created) << " ...  done\n";
    for (const QString &file : std::as_const(result->writtenFiles))
        out << "Generating " << QDir::toNativeSeparators(file) << " ...  done\n";
    out << "Please edit the database URL in '" << QDir::toNativeSeparators(result->iniPath)
        << "' (or set DB_HOST and the other DB_* variables) before proceeding.\n";
    return 0;
}

int AuthoringCommands::reportWritten(CliContext &context, const Revision &revision)
{
    if (context.json()) {
        const auto array = [](const QStringList &values) { return QJsonArray::fromStringList(values); };
        context.printJson(QJsonDocument(QJsonObject{
            {u"path"_s, revision.path},
            {u"revision"_s, revision.id},
            {u"down_revisions"_s, array(revision.downRevisions)},
            {u"branch_labels"_s, array(revision.branchLabels)},
            {u"depends_on"_s, array(revision.dependsOn)},
            {u"message"_s, revision.message},
            {u"create_date"_s, QString::fromUtf8(revision.createDate)},
        }));
        return 0;
    }
    context.out() << "Generating " << QDir::toNativeSeparators(revision.path) << " ...  done\n";
    return 0;
}

int AuthoringCommands::create(CliContext &context, const QCommandLineParser &parser, const QString &command)
{
    const bool autogenerate = parser.isSet(u"autogenerate"_s);
    const bool fromDatabase = parser.isSet(u"from-database"_s);
    if (fromDatabase && !autogenerate)
        return context.usageError(u"--from-database goes with --autogenerate"_s, command);
    if (parser.isSet(u"message"_s) && !parser.positionalArguments().isEmpty())
        return context.usageError(u"give the message once: as an argument or with -m, not both"_s, command);

    RevisionAuthor::Request request;
    NewRevision &revision = request.revision;
    revision.message =
        parser.isSet(u"message"_s) ? parser.value(u"message"_s) : parser.positionalArguments().value(0);
    if (parser.isSet(u"head"_s))
        revision.heads = parser.values(u"head"_s);
    revision.splice = parser.isSet(u"splice"_s);
    revision.branchLabels = parser.values(u"branch-label"_s);
    revision.dependsOn = parser.values(u"depends-on"_s);
    revision.revId = parser.value(u"rev-id"_s);
    revision.versionPath = parser.value(u"version-path"_s);
    request.fromDatabase = fromDatabase;
    if (!context.loadProject())
        return context.exitCode();
    const Project &project = context.project();
    if (project.isAlembicPython() && fromDatabase)
        return context.usageError(
            u"--from-database is for SQL projects: Alembic's --autogenerate always compares "
            u"env.py's target_metadata with the database"_s,
            command);
    if (autogenerate) {
        Expected<DatabaseUrl> url = project.config().databaseUrl();
        if (!url)
            return context.fail(url.error());
        request.autogenerate = *url;
    }
    return write(context, request);
}

int AuthoringCommands::merge(CliContext &context, const QCommandLineParser &parser)
{
    if (!context.loadProject())
        return context.exitCode();
    RevisionAuthor::Request request;
    request.revision.message = parser.value(u"message"_s);
    request.revision.branchLabels = parser.values(u"branch-label"_s);
    request.revision.revId = parser.value(u"rev-id"_s);
    request.mergeRevisions = parser.positionalArguments();
    return write(context, request);
}

int AuthoringCommands::write(CliContext &context, RevisionAuthor::Request request)
{
    request.python = context.options().pythonOverride;
    request.pythonSource = context.options().pythonOverrideSource;
    MigratorCallbacks callbacks = context.alembicCallbacks();
    callbacks.output = [print = callbacks.output](const QString &line) {
        // An Alembic project's own "Generating <path> ...  done": qmigrate prints it on stdout below, as for
        // SQL projects.
        if (!(line.trimmed().startsWith(u"Generating "_s) && line.trimmed().endsWith(u"done"_s)))
            print(line);
    };
    Expected<RevisionAuthor::Result> result = RevisionAuthor::write(context.project(), request, callbacks);
    if (!result)
        return context.fail(result.error());
    if (!result->unchangedComparedWith.isEmpty()) {
        context.out() << "No changes: " << result->unchangedComparedWith << " equals "
                      << QDir::toNativeSeparators(result->modelPath) << "; no revision written.\n";
        return 0;
    }
    int status = 0;
    for (const Revision &revision : std::as_const(result->written))
        status = reportWritten(context, revision);
    if (!context.json()) {
        for (const QString &note : std::as_const(result->reviewNotes))
            context.out() << "  Review: " << note << '\n';
    }
    return status;
}

int AuthoringCommands::edit(CliContext &context, const QCommandLineParser &parser)
{
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString editor = environment.value(u"VISUAL"_s).trimmed();
    if (editor.isEmpty())
        editor = environment.value(u"EDITOR"_s).trimmed();
    // Debian's choice of editor (sensible-editor, then the editor alternative) when the user made none.
    for (const QString &fallback : {u"sensible-editor"_s, u"editor"_s}) {
        if (!editor.isEmpty())
            break;
        if (!QStandardPaths::findExecutable(fallback).isEmpty())
            editor = fallback;
    }
    const QStringList editorCommand = QProcess::splitCommand(editor);
    if (editorCommand.isEmpty()) {
        return context.fail(
            EngineError(u"No editor: VISUAL and EDITOR are not set and neither sensible-editor "
                        u"nor editor is on PATH; set one of them to the editor to open "
                        u"revision files with (e.g. EDITOR=nano)"_s,
                        EngineError::Kind::Usage));
    }
    const QString symbol = parser.positionalArguments().constFirst();
    if (!context.loadProject())
        return context.exitCode();
    const RevisionMap &map = context.project().map();
    const Expected<QList<int>> revisions = context.revisionsNamed(symbol);
    if (!revisions)
        return context.fail(revisions.error());
    if (symbol == u"current"_s && revisions->isEmpty())
        return context.fail(EngineError(u"No current revisions"_s, EngineError::Kind::Usage));
    if (revisions->isEmpty())
        return context.fail(EngineError(u"No revision files indicated by symbol '%1'"_s.arg(symbol),
                                        EngineError::Kind::Usage));
    context.out().flush();
    for (int index : std::as_const(*revisions)) {
        const QString path = map.revision(index).path;
        // A terminal editor needs the terminal: its input and output are this process's.
        QProcess process;
        process.setProgram(editorCommand.first());
        process.setArguments(editorCommand.mid(1) + QStringList{path});
        process.setProcessChannelMode(QProcess::ForwardedChannels);
        process.setInputChannelMode(QProcess::ForwardedInputChannel);
        process.start();
        if (!process.waitForStarted(-1)) {
            return context.fail(
                EngineError(u"Cannot start the editor '%1': %2"_s.arg(editor, process.errorString()), path, 0,
                            map.idOf(index), EngineError::Kind::Usage));
        }
        process.waitForFinished(-1);
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            return context.fail(EngineError(
                u"The editor '%1' failed (%2)"_s.arg(editor, process.exitStatus() == QProcess::NormalExit
                                                                 ? u"exit status %1"_s.arg(process.exitCode())
                                                                 : process.errorString()),
                path, 0, map.idOf(index)));
        }
    }
    return 0;
}

} // namespace qmigrate
