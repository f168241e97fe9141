// SPDX-License-Identifier: MIT
#include "migratecommands.h"

#include "clicontext.h"

#include "graph/revisionmap.h"
#include "plan/offlinerenderer.h"
#include "plan/offlinescript.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

QList<CliCommand> MigrateCommands::commands()
{
    const QCommandLineOption sqlOption(
        u"sql"_s,
        u"Offline mode: print the SQL script instead of running it (no connection; ranges from:to)."_s);
    const QCommandLineOption dryRunOption(
        u"dry-run"_s,
        u"Connect and read the version table, print the plan (steps, statements with file:line, "
        u"version-table writes); change nothing."_s);
    const QCommandLineOption lockTimeoutOption(
        u"lock-timeout"_s, u"Seconds to wait for another run's lock (default 60)."_s, u"SECONDS"_s);
    const QCommandLineOption lockWaitOption(
        u"lock-wait"_s,
        u"Seconds a statement waits for a table or row lock another session holds before the step is tried "
        u"again (PostgreSQL lock_timeout, MariaDB lock_wait_timeout; default: qmigrate.lock_wait_timeout in "
        u"the ini, else 10; 0 = the server's own)."_s,
        u"SECONDS"_s);
    const QCommandLineOption lockRetriesOption(
        u"lock-retries"_s,
        u"How often a step whose statement gave up waiting for a lock runs again, after 1, 2, 4 ... s "
        u"(default: qmigrate.lock_retries, else 3)."_s,
        u"N"_s);
    const QCommandLineOption statementTimeoutOption(
        u"statement-timeout"_s,
        u"Seconds one statement may run (PostgreSQL statement_timeout, MariaDB max_statement_time; default: "
        u"qmigrate.statement_timeout, else 0 = no limit)."_s,
        u"SECONDS"_s);
    const QCommandLineOption allowRsuOption(
        u"allow-rsu"_s,
        u"Galera: run even though the node's wsrep_OSU_method is RSU, where DDL changes only that node (you "
        u"then run the same migration on every node yourself). Refused without it."_s);
    const QCommandLineOption purgeOption(u"purge"_s,
                                         u"Delete all rows of the version table before stamping."_s);
    const QCommandLineOption resumeOption(
        u"resume"_s,
        u"Continue the step a killed run left half done (see `current`): run its statements after those the "
        u"journal says committed, then write its version row. Takes no revision."_s);
    const QCommandLineOption resumeAfterOption(
        u"resume-after"_s,
        u"As --resume, with the number of the step's statements that are committed: when the journal says "
        u"the next one had started, check the database and give its number if it committed."_s,
        u"N"_s);
    const QList<QCommandLineOption> common{sqlOption,      dryRunOption,      lockTimeoutOption,
                                           lockWaitOption, lockRetriesOption, statementTimeoutOption,
                                           allowRsuOption};
    const auto handler = [](MigrationAction action) {
        return [action](CliContext &context, const QCommandLineParser &parser) {
            return migrate(context, parser, action);
        };
    };
    return {
        {u"upgrade"_s,
         u"Upgrade to a later version (default: head)."_s,
         u"Upgrade to a later version."_s,
         {{u"revision"_s, u"Target: a revision, head, heads, +N (default head)."_s}},
         common + QList<QCommandLineOption>{resumeOption, resumeAfterOption},
         0,
         1,
         handler(MigrationAction::Upgrade)},
        {u"downgrade"_s,
         u"Revert to a previous version (default: -1)."_s,
         u"Revert to a previous version."_s,
         {{u"revision"_s, u"Target: a revision, base, -N, label@-N (default -1)."_s}},
         common + QList<QCommandLineOption>{resumeOption, resumeAfterOption},
         0,
         1,
         handler(MigrationAction::Downgrade)},
        {u"stamp"_s,
         u"'stamp' the revision table with the given revision(s); don't run any migrations."_s,
         u"Write the given revision(s) to the version table without running any migration."_s,
         {{u"revisions"_s, u"One or more revisions, or base, head, heads."_s}},
         common + QList<QCommandLineOption>{purgeOption},
         1,
         -1,
         handler(MigrationAction::Stamp)},
    };
}

int MigrateCommands::migrate(CliContext &context, const QCommandLineParser &parser, MigrationAction action)
{
    const QString command = migrationActionName(action);
    const bool stamp = action == MigrationAction::Stamp;
    const bool resume = !stamp && (parser.isSet(u"resume"_s) || parser.isSet(u"resume-after"_s));
    int resumeAfter = -1;
    if (resume) {
        if (parser.isSet(u"sql"_s))
            return context.usageError(
                u"--resume continues a run on the database; it cannot be combined with --sql"_s, command);
        if (!parser.positionalArguments().isEmpty())
            return context.usageError(u"--resume continues the interrupted step and takes no revision"_s,
                                      command);
        if (parser.isSet(u"resume-after"_s)) {
            bool ok = false;
            resumeAfter = parser.value(u"resume-after"_s).toInt(&ok);
            if (!ok || resumeAfter < 0)
                return context.usageError(
                    u"--resume-after needs a number of statements, 0 or more, not '%1'"_s.arg(
                        parser.value(u"resume-after"_s)),
                    command);
        }
    }
    const bool purge = stamp && parser.isSet(u"purge"_s);
    if (parser.isSet(u"sql"_s)) {
        if (parser.isSet(u"dry-run"_s))
            return context.usageError(
                u"--sql already changes nothing; it cannot be combined with --dry-run"_s, command);
        return offline(context, action, parser.positionalArguments(), purge);
    }
    MigratorOptions migratorOptions;
    if (parser.isSet(u"lock-timeout"_s)) {
        bool ok = false;
        const int seconds = parser.value(u"lock-timeout"_s).toInt(&ok);
        if (!ok || seconds < 0)
            return context.usageError(
                u"--lock-timeout needs a number of seconds, not '%1'"_s.arg(parser.value(u"lock-timeout"_s)),
                command);
        migratorOptions.lockTimeoutSeconds = seconds;
    }
    if (!context.loadProject())
        return context.exitCode();
    const Project &project = context.project();
    Expected<DatabaseUrl> url = project.config().databaseUrl();
    if (!url)
        return context.fail(url.error());
    const int lockTimeout = migratorOptions.lockTimeoutSeconds;
    migratorOptions = MigratorOptions::fromConfig(project.config());
    migratorOptions.lockTimeoutSeconds = lockTimeout;
    migratorOptions.allowRsu = parser.isSet(u"allow-rsu"_s);
    // The command line wins over the ini's qmigrate.* keys.
    for (const auto &[name, target] :
         {std::pair{u"lock-wait"_s, &migratorOptions.lockWaitSeconds},
          std::pair{u"lock-retries"_s, &migratorOptions.lockRetries},
          std::pair{u"statement-timeout"_s, &migratorOptions.statementTimeoutSeconds}}) {
        if (!parser.isSet(name))
            continue;
        bool ok = false;
        const int value = parser.value(name).toInt(&ok);
        if (!ok || value < 0)
            return context.usageError(
                u"--%1 needs a whole number, 0 or more, not '%2'"_s.arg(name, parser.value(name)), command);
        *target = value;
    }
    migratorOptions.applicationName = CliContext::applicationName();

    Migrator::Request request;
    request.kind = action;
    request.targets = parser.positionalArguments();
    request.resume = resume;
    request.resumeAfter = resumeAfter;
    if (request.targets.isEmpty() && !resume)
        request.targets = OfflineRenderer::defaultTargets(action);
    if (!resume) {
        // "from:to" is offline syntax; the parsers give Alembic's "Range revision not allowed" online.
        Expected<OfflineRange> range =
            OfflineRenderer::parseTargets(project.map(), action, request.targets, false, false);
        if (!range)
            return context.fail(range.error());
    }
    request.purge = purge;
    request.dryRun = parser.isSet(u"dry-run"_s);

    ProjectRun run(project, *url, migratorOptions, context.options().pythonOverride,
                   context.options().pythonOverrideSource);
    if (run.usesAlembic(request)) {
        // The project's own output (its Alembic's "Running upgrade" lines among it) as Alembic prints it.
        run.setCallbacks(context.alembicCallbacks());
    } else {
        MigratorCallbacks callbacks;
        callbacks.log = [&context](const QString &line) { context.logInfo(line); };
        callbacks.warning = [&context](const QString &warning) { context.logWarning(warning); };
        run.setCallbacks(callbacks);
    }
    Expected<ProjectRun::Result> result = run.run(request);
    for (const QString &error : run.auditErrors())
        context.logWarning(u"The audit history could not record the failure: "_s + error);
    if (!result)
        return context.fail(result.error());
    if (!request.dryRun)
        return 0;
    return printDryRun(context, *url, *result);
}

int MigrateCommands::printDryRun(CliContext &context, const DatabaseUrl &url,
                                 const ProjectRun::Result &result)
{
    QTextStream &out = context.out();
    const PlanDetails &details = result.run.details;
    const MigrationPlan &plan = details.plan();
    out << "Dry run: read " << details.qualifiedVersionTable() << " on " << url.toDisplayString()
        << " (nothing was changed).\n";
    out << "Current rows: " << (plan.rowsBefore().isEmpty() ? u"(none)"_s : plan.rowsBefore().join(u", "_s))
        << '\n';
    if (plan.isEmpty()) {
        out << "Nothing to do.\n";
        return 0;
    }
    if (plan.purge())
        out << "\nPurge: " << details.purgeSql() << '\n';
    const std::optional<AlembicRunner::RenderedPlan> &rendered = result.rendered;
    for (qsizetype stepIndex = 0; stepIndex < plan.steps().size(); ++stepIndex) {
        const MigrationStep &step = plan.steps().at(stepIndex);
        const PlanDetails::Step &detail = details.steps().at(stepIndex);
        out << '\n' << step.logLine() << '\n';
        if (detail.python) {
            out << "  " << detail.file
                << " (Alembic Python revision), as Alembic's offline mode writes it:\n";
            if (!rendered) {
                out << "    (not rendered: " << result.notRendered << ")\n";
            } else if (rendered->failedStep >= 0 && stepIndex >= rendered->failedStep) {
                out << (stepIndex == rendered->failedStep
                            ? u"    (this revision reads the database; its SQL is known when it runs: %1)\n"_s
                                  .arg(rendered->failure)
                            : u"    (not rendered: an earlier step reads the database)\n"_s);
            } else {
                QString text = rendered->stepScripts.value(stepIndex).trimmed();
                text.replace(u'\n', u"\n    "_s);
                out << "    " << text << '\n';
                continue; // Alembic's text already holds the version-table write
            }
        } else if (!detail.isStamp()) {
            const qsizetype skipped = stepIndex == 0 ? result.run.skippedStatements : 0;
            if (skipped > 0)
                out << "  (statements 1 to " << skipped
                    << " were committed by the interrupted run; the resume runs the rest)\n";
            for (qsizetype position = skipped; position < detail.statements.size(); ++position) {
                const SqlStatement &statement = detail.statements.at(position);
                QString text = statement.text;
                text.replace(u'\n', u"\n    "_s);
                out << "  " << detail.file << ':' << statement.line << ":\n    " << text << ";\n";
            }
        }
        for (const VersionChange &change : step.versionChanges)
            out << "  " << details.versionTable() << ": " << change.toString() << '\n';
    }
    out << "\nRows after: " << (plan.rowsAfter().isEmpty() ? u"(none)"_s : plan.rowsAfter().join(u", "_s))
        << '\n';
    return 0;
}

int MigrateCommands::offline(CliContext &context, MigrationAction action, const QStringList &targets,
                             bool purge)
{
    if (!context.loadProject())
        return context.exitCode();
    const Project &project = context.project();
    // Offline mode connects to nothing; the URL only picks the dialect, as in Alembic.
    Expected<DatabaseUrl> url = project.config().databaseUrl();
    if (!url)
        return context.fail(url.error());
    if (project.isAlembicPython()) {
        // The script is what the project's Alembic writes: its env.py's run_migrations_offline().
        Expected<AlembicRunnerOptions> options = context.alembicRunnerOptions(*url);
        if (!options)
            return context.fail(options.error());
        AlembicRunner runner(project, *url, *options);
        runner.setCallbacks(context.alembicCallbacks());
        Expected<QString> script = runner.renderOffline(migrationActionName(action), targets, purge);
        if (!script)
            return context.fail(script.error());
        context.out() << *script;
        return 0;
    }
    Expected<OfflineScript::Result> script =
        OfflineScript::render(project.map(), project.config(), *url, action, targets, purge,
                              [&context](const QString &warning) { context.logWarning(warning); });
    if (!script)
        return context.fail(script.error());
    for (const QString &line : std::as_const(script->logLines))
        context.err() << OfflineRenderer::alembicLogLine(line) << '\n';
    context.err().flush();
    context.out() << script->script;
    return 0;
}

} // namespace qmigrate
