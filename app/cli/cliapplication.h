#pragma once

#include "alembic/alembicrunner.h"
#include "core/engineerror.h"
#include "core/expected.h"
#include "project/project.h"
#include "scripts/revision.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <memory>
#include <optional>

namespace qmigrate {

// qmigrate-cli: global options, then one sub-command with its own options. Relative revision arguments
// such as "-1" or "-3:" look like options, so they are separated before QCommandLineParser sees them.
// Exit codes: 0 ok, 1 database or migration error, 2 usage or project error.
class CliApplication
{
public:
    CliApplication(QTextStream &out, QTextStream &err);
    ~CliApplication();

    int run(const QStringList &arguments);

private:
    int runHistory(const QStringList &arguments);
    int runHeads(const QStringList &arguments);
    int runBranches(const QStringList &arguments);
    int runShow(const QStringList &arguments);
    int runCurrent(const QStringList &arguments);
    // upgrade, downgrade and stamp: one Migrator run, or its plan with --dry-run.
    int runMigration(const QString &command, const QStringList &arguments);
    // upgrade/downgrade/stamp --sql: the plan rendered as a script, no connection.
    int runOffline(const QString &command, const QStringList &arguments, bool purge);
    // The audit history (qmigrate_history), newest first.
    int runLog(const QStringList &arguments);
    // Several real heads, applied scripts changed since they were applied, or a schema at head that differs
    // from schema.sql: exit 1, in text or (--json) as {ok, problems}.
    int runCheck(const QStringList &arguments);
    // init DIR: a new native SQL project.
    int runInit(const QStringList &arguments);
    // create "msg" and its alias revision -m "msg": a new revision file from the project's template.
    int runRevision(const QString &command, const QStringList &arguments);
    // merge REV REV... -m "msg" (or merge heads).
    int runMerge(const QStringList &arguments);
    // edit REV: the revision's file in $VISUAL / $EDITOR, waiting for the editor to exit.
    int runEdit(const QStringList &arguments);
    // "Generating <path> ...  done", or the revision as JSON.
    int reportWritten(const Revision &revision, bool json);

    // Parses a sub-command's arguments; false after printing the error (or help) and setting m_exitCode.
    bool parseCommand(QCommandLineParser &parser, const QList<QCommandLineOption> &options,
                      const QString &command, const QStringList &arguments, int minPositional,
                      int maxPositional);
    bool loadProject();
    Project::OpenOptions projectOpenOptions(const QString &section) const;
    // The interpreter for the project's own Alembic (--python, $QMIGRATE_PYTHON, else auto-detected) and the
    // driver; an error naming what to install when it cannot run Alembic (on `url`, when given).
    Expected<AlembicRunnerOptions> alembicRunnerOptions(const std::optional<DatabaseUrl> &url);
    // create/revision (mergeRevisions empty) and merge of an Alembic Python project, through its own Alembic;
    // a merge takes its message, branch labels and id from `request`.
    int runAlembicAuthoring(const NewRevision &request, const QStringList &mergeRevisions, bool autogenerate,
                            bool json);
    // upgrade, downgrade, stamp of an Alembic Python project, through its own Alembic.
    int runAlembic(const Migrator::Request &request, const DatabaseUrl &url, int lockTimeoutSeconds);
    // The version table's rows (checked against the map); never creates the table.
    Expected<QStringList> readCurrentRows();
    // Alembic's log line format on stderr: "INFO  [qmigrate] <line>".
    void logInfo(const QString &line);
    // The password from standard input: its first line, or typed at a prompt with echo off.
    Expected<QString> readPassword(bool prompt);
    void logWarning(const QString &line);
    // Where a run of the project's own Alembic prints: its output on stderr as Alembic prints it, qmigrate's
    // warnings marked as such.
    MigratorCallbacks alembicCallbacks();
    int fail(const EngineError &error);
    int usageError(const QString &message, const QString &command = {});
    void printGlobalHelp(QTextStream &stream);

    QTextStream &m_out;
    QTextStream &m_err;
    QString m_program = QStringLiteral("qmigrate-cli");
    QString m_configPath;
    QString m_section = QStringLiteral("alembic");
    QString m_urlOverride;
    QString m_passwordOverride;     // --password-stdin or --password
    QString m_pythonOverride;       // --python
    QString m_pythonOverrideSource; // "--python" or "$QMIGRATE_PYTHON"
    int m_exitCode = 0;
    std::unique_ptr<Project> m_project;
};

} // namespace qmigrate
