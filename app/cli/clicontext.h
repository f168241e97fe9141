// SPDX-License-Identifier: MIT
#pragma once

#include "alembic/alembicrunner.h"
#include "core/engineerror.h"
#include "core/expected.h"
#include "project/project.h"

#include <QJsonDocument>
#include <QString>
#include <QTextStream>

#include <memory>
#include <optional>

namespace qmigrate {

// What every command handler shares: the global options, the project they load, the output streams and
// the ways a run ends (fail, usageError), so that each handler only translates its arguments into engine
// calls and the engine's results into text.
class CliContext
{
public:
    // The global options, as parsed before the command.
    struct GlobalOptions
    {
        QString configPath;
        QString section = QStringLiteral("alembic");
        QString urlOverride;
        QString passwordOverride;     // --password-stdin or --password
        QString pythonOverride;       // --python
        QString pythonOverrideSource; // "--python" or "$QMIGRATE_PYTHON"
    };

    CliContext(QTextStream &out, QTextStream &err);
    ~CliContext();

    // What the database server shows as this client (PostgreSQL's application_name).
    static QString applicationName() { return QStringLiteral("qmigrate-cli"); }

    QTextStream &out() const { return m_out; }
    QTextStream &err() const { return m_err; }
    const QString &program() const { return m_program; }
    void setProgram(const QString &program) { m_program = program; }
    const GlobalOptions &options() const { return m_options; }
    void setOptions(GlobalOptions options) { m_options = std::move(options); }
    // The command's --json and --verbose, when it has them.
    bool json() const { return m_json; }
    bool verbose() const { return m_verbose; }
    void setOutputMode(bool json, bool verbose);
    int exitCode() const { return m_exitCode; }
    void setExitCode(int code) { m_exitCode = code; }

    // Opens the project of the global options (printing its warnings, applying --url and the password);
    // false after printing the error.
    bool loadProject();
    // Valid after loadProject() returned true.
    Project &project() const { return *m_project; }
    Project::OpenOptions projectOpenOptions(const QString &section) const;
    // The interpreter for the project's own Alembic (--python, $QMIGRATE_PYTHON, else auto-detected) and the
    // driver; an error naming what to install when it cannot run Alembic (on `url`, when given).
    Expected<AlembicRunnerOptions> alembicRunnerOptions(const std::optional<DatabaseUrl> &url) const;
    // Where a run of the project's own Alembic prints: its output on stderr as Alembic prints it, qmigrate's
    // warnings marked as such.
    MigratorCallbacks alembicCallbacks();

    // The database's version rows, checked against the scripts (rows naming revisions the scripts lack are
    // an error); never creates the version table.
    Expected<QStringList> currentRows();
    // The same as the project's revisions.
    Expected<QList<int>> currentRevisions();
    // What a command's revision argument names: "current" is the database's revisions (currentRevisions),
    // anything else the project's map resolves (ids, prefixes, heads, label@head...).
    Expected<QList<int>> revisionsNamed(const QString &symbol);

    // Alembic's log line format on stderr: "INFO  [qmigrate] <line>".
    void logInfo(const QString &line);
    void logWarning(const QString &line);
    void printJson(const QJsonDocument &document);
    // Prints the error and returns the exit code: 1 for database errors, 2 for the rest.
    int fail(const EngineError &error);
    // Prints the usage error with the hint to --help and returns 2.
    int usageError(const QString &message, const QString &command = {});

private:
    QTextStream &m_out;
    QTextStream &m_err;
    QString m_program = QStringLiteral("qmigrate-cli");
    GlobalOptions m_options;
    bool m_json = false;
    bool m_verbose = false;
    int m_exitCode = 0;
    std::unique_ptr<Project> m_project;
};

} // namespace qmigrate
