#include "cliapplication.h"

#include "audit/audithistory.h"
#include "authoring/projectinitializer.h"
#include "authoring/revisionwriter.h"
#include "database/databaseconnection.h"
#include "database/versiontable.h"
#include "execution/auditobserver.h"
#include "execution/migrator.h"
#include "graph/databasestate.h"
#include "graph/revisionformatter.h"
#include "graph/revisionmap.h"
#include "plan/offlinerenderer.h"
#include "project/project.h"
#include "project/pythoninterpreter.h"
#include "schema/autogenerator.h"
#include "schema/databaseadopter.h"
#include "schema/schemabuilder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>

#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

struct CommandInfo
{
    QString name;
    QString summary;
};

const QList<CommandInfo> &commands()
{
    static const QList<CommandInfo> list = {
        {u"init"_s, u"Create a new project in a directory (alembic.ini, template, versions/, schema.sql)."_s},
        {u"create"_s, u"Create a new revision file from the project's template (create \"message\")."_s},
        {u"revision"_s, u"Alias of create, as Alembic spells it (revision -m \"message\")."_s},
        {u"merge"_s, u"Create a revision that merges two or more heads (merge -m \"message\" heads)."_s},
        {u"edit"_s, u"Open a revision's file in $VISUAL or $EDITOR."_s},
        {u"history"_s, u"List revisions in history order (newest first)."_s},
        {u"heads"_s, u"Show the current head revisions of the scripts."_s},
        {u"branches"_s, u"Show branch points."_s},
        {u"show"_s, u"Show the revision(s) denoted by the given symbol."_s},
        {u"current"_s, u"Display the current revision(s) of the database."_s},
        {u"upgrade"_s, u"Upgrade to a later version (default: head)."_s},
        {u"downgrade"_s, u"Revert to a previous version (default: -1)."_s},
        {u"stamp"_s, u"'stamp' the revision table with the given revision(s); don't run any migrations."_s},
        {u"log"_s, u"Show the audit history of this database's migrations (newest first)."_s},
        {u"check"_s, u"Check for unmerged heads and for applied scripts changed since they were applied."_s},
    };
    return list;
}

// "-1", "-12", "label@-2", "-3:" and ":-2" are revision arguments, not options.
bool looksRelative(const QString &argument)
{
    return argument.size() > 1 && argument.at(0) == u'-' && argument.at(1).isDigit();
}

QStringList optionNamesTakingValues(const QList<QCommandLineOption> &options)
{
    QStringList names;
    for (const QCommandLineOption &option : options) {
        if (option.valueName().isEmpty())
            continue;
        for (const QString &name : option.names())
            names.append(name.size() == 1 ? u"-"_s + name : u"--"_s + name);
    }
    return names;
}

// Moves every positional argument behind "--" (keeping their order) so that "-1" is never read as an option.
QStringList separatePositionals(const QStringList &arguments, const QList<QCommandLineOption> &options)
{
    const QStringList valued = optionNamesTakingValues(options);
    QStringList optionArgs;
    QStringList positional;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == u"--"_s) {
            positional += arguments.mid(i + 1);
            break;
        }
        if (!argument.startsWith(u'-') || argument == u"-"_s || looksRelative(argument)) {
            positional.append(argument);
            continue;
        }
        optionArgs.append(argument);
        if (valued.contains(argument) && i + 1 < arguments.size())
            optionArgs.append(arguments.at(++i));
    }
    return optionArgs + QStringList{u"--"_s} + positional;
}

void printJson(QTextStream &out, const QJsonDocument &document)
{
    out << QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

QJsonDocument revisionsJson(const RevisionFormatter &formatter, const QList<int> &revisions)
{
    QJsonArray array;
    for (int index : revisions)
        array.append(formatter.toJson(index));
    return QJsonDocument(array);
}

// A revision as `current` shows it: what its text line says, or with verbose every field (as the text
// form's -v prints the whole log entry).
QJsonObject currentRevisionJson(const RevisionMap &map, int index, bool verbose)
{
    if (verbose)
        return RevisionFormatter(map).toJson(index);
    return QJsonObject{
        {u"revision"_s, map.idOf(index)},
        {u"message"_s, map.revision(index).message},
        {u"branch_labels"_s, QJsonArray::fromStringList(map.labels(index))},
        {u"is_head"_s, map.isRealHead(index)},
        {u"is_effective_head"_s, map.isEffectiveHead(index)},
    };
}

QJsonObject currentJson(const RevisionMap &map, const DatabaseState &state, bool verbose, const QString &url,
                        const QString &versionTable)
{
    QJsonArray rows;
    for (const QString &row : state.rows()) {
        const int index = map.indexOf(row);
        QJsonObject object =
            index < 0 ? QJsonObject{{u"revision"_s, row}} : currentRevisionJson(map, index, verbose);
        object.insert(u"known"_s, index >= 0);
        rows.append(object);
    }
    QJsonArray current;
    for (const int index : state.effectiveCurrent())
        current.append(currentRevisionJson(map, index, verbose));
    return QJsonObject{
        {u"url"_s, url},
        {u"version_table"_s, versionTable},
        {u"rows"_s, rows},
        {u"current"_s, current},
        {u"unknown_rows"_s, QJsonArray::fromStringList(state.unknownRows())},
    };
}

} // namespace

CliApplication::CliApplication(QTextStream &out, QTextStream &err)
    : m_out(out)
    , m_err(err)
{}

CliApplication::~CliApplication() = default;

int CliApplication::usageError(const QString &message, const QString &command)
{
    const QString who = command.isEmpty() ? m_program : m_program + u' ' + command;
    m_err << who << ": error: " << message << '\n' << "Try '" << who << " --help' for more information.\n";
    m_err.flush();
    m_exitCode = 2;
    return m_exitCode;
}

int CliApplication::fail(const EngineError &error)
{
    m_out.flush();
    m_err << "FAILED: " << error.toString() << '\n';
    m_err.flush();
    m_exitCode = error.kind() == EngineError::Kind::Database ? 1 : 2;
    return m_exitCode;
}

void CliApplication::printGlobalHelp(QTextStream &stream)
{
    stream << "Usage: " << m_program << " [-c CONFIG] [-n NAME] [--url URL] COMMAND [options]\n\n"
           << "Manage database schema migrations (Alembic-compatible revision graphs).\n\n"
           << "Global options:\n"
           << "  -c, --config FILE   Configuration file (default: $ALEMBIC_CONFIG or ./alembic.ini)\n"
           << "  -n, --name NAME     Section of the configuration file (default: alembic)\n"
           << "  --url URL           Database URL; overrides DB_HOST/DB_* and sqlalchemy.url (a password\n"
           << "                      in it is hidden from the process list at start)\n"
           << "  --password-stdin    Read the database password from the first line of standard input\n"
           << "  --password          Ask for the database password (standard input must be a terminal)\n"
           << "  -h, --help          Show this help\n"
           << "  --version           Show the version\n\n"
           << "Commands:\n";
    for (const CommandInfo &info : commands())
        stream << "  " << info.name.leftJustified(12) << info.summary << '\n';
    stream << "\nRun '" << m_program << " COMMAND --help' for a command's options.\n"
           << "Exit status: 0 ok, 1 database or migration error, 2 usage or project error.\n";
    stream.flush();
}

int CliApplication::run(const QStringList &arguments)
{
    if (!arguments.isEmpty())
        m_program = QFileInfo(arguments.first()).fileName();

    QCommandLineParser global;
    global.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption configOption({u"c"_s, u"config"_s}, u"Configuration file."_s, u"FILE"_s);
    const QCommandLineOption nameOption({u"n"_s, u"name"_s}, u"Configuration section."_s, u"NAME"_s);
    const QCommandLineOption urlOption(u"url"_s, u"Database URL."_s, u"URL"_s);
    const QCommandLineOption pythonOption(
        u"python"_s,
        u"The Python interpreter that runs an Alembic project's own Alembic (default: $QMIGRATE_PYTHON, else "
        u"a virtual environment of the project, python3 on PATH or /usr/bin/python3, whichever has Alembic)."_s,
        u"PROGRAM"_s);
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show help."_s);
    const QCommandLineOption versionOption(u"version"_s, u"Show the version."_s);
    const QCommandLineOption passwordStdinOption(
        u"password-stdin"_s, u"Read the database password from the first line of standard input."_s);
    const QCommandLineOption passwordPromptOption(u"password"_s, u"Ask for the database password."_s);
    global.addOptions({configOption, nameOption, urlOption, pythonOption, passwordStdinOption,
                       passwordPromptOption, helpOption, versionOption});
    if (!global.parse(arguments))
        return usageError(global.errorText());
    if (global.isSet(versionOption)) {
        m_out << m_program << ' ' << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    const QStringList rest = global.positionalArguments();
    if (global.isSet(helpOption)) {
        printGlobalHelp(m_out);
        return 0;
    }
    if (rest.isEmpty()) {
        printGlobalHelp(m_err);
        return 2;
    }

    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    m_configPath = global.value(configOption);
    if (m_configPath.isEmpty())
        m_configPath = environment.value(u"ALEMBIC_CONFIG"_s, u"alembic.ini"_s);
    if (global.isSet(nameOption))
        m_section = global.value(nameOption);
    m_urlOverride = global.value(urlOption);
    if (global.isSet(passwordStdinOption) && global.isSet(passwordPromptOption))
        return usageError(u"--password-stdin and --password both read the password: give one"_s);
    if (global.isSet(passwordStdinOption) || global.isSet(passwordPromptOption)) {
        Expected<QString> password = readPassword(global.isSet(passwordPromptOption));
        if (!password)
            return usageError(password.error().message());
        m_passwordOverride = *password;
    }
    if (global.isSet(pythonOption)) {
        m_pythonOverride = global.value(pythonOption);
        m_pythonOverrideSource = u"--python"_s;
    } else if (!environment.value(u"QMIGRATE_PYTHON"_s).isEmpty()) {
        m_pythonOverride = environment.value(u"QMIGRATE_PYTHON"_s);
        m_pythonOverrideSource = u"$QMIGRATE_PYTHON"_s;
    }

    const QString command = rest.first();
    const QStringList commandArguments = rest.mid(1);
    if (command == u"history"_s)
        return runHistory(commandArguments);
    if (command == u"heads"_s)
        return runHeads(commandArguments);
    if (command == u"branches"_s)
        return runBranches(commandArguments);
    if (command == u"show"_s)
        return runShow(commandArguments);
    if (command == u"current"_s)
        return runCurrent(commandArguments);
    if (command == u"upgrade"_s || command == u"downgrade"_s || command == u"stamp"_s)
        return runMigration(command, commandArguments);
    if (command == u"log"_s)
        return runLog(commandArguments);
    if (command == u"check"_s)
        return runCheck(commandArguments);
    if (command == u"init"_s)
        return runInit(commandArguments);
    if (command == u"create"_s || command == u"revision"_s)
        return runRevision(command, commandArguments);
    if (command == u"merge"_s)
        return runMerge(commandArguments);
    if (command == u"edit"_s)
        return runEdit(commandArguments);
    return usageError(u"unknown command '%1'"_s.arg(command));
}

bool CliApplication::parseCommand(QCommandLineParser &parser, const QList<QCommandLineOption> &options,
                                  const QString &command, const QStringList &arguments, int minPositional,
                                  int maxPositional)
{
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show help for this command."_s);
    parser.addOptions(options);
    parser.addOption(helpOption);
    const QStringList prepared = separatePositionals(arguments, options);
    if (!parser.parse(QStringList{m_program} + prepared)) {
        usageError(parser.errorText(), command);
        return false;
    }
    if (parser.isSet(helpOption)) {
        QString help = parser.helpText();
        // helpText() names only the program; put the command after it.
        help.replace(u"Usage: "_s + m_program, u"Usage: "_s + m_program + u' ' + command);
        m_out << help;
        m_out.flush();
        m_exitCode = 0;
        return false;
    }
    const qsizetype count = parser.positionalArguments().size();
    if (count < minPositional) {
        usageError(u"missing argument"_s, command);
        return false;
    }
    if (maxPositional >= 0 && count > maxPositional) {
        usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().at(maxPositional)),
                   command);
        return false;
    }
    return true;
}

Project::OpenOptions CliApplication::projectOpenOptions(const QString &section) const
{
    Project::OpenOptions options;
    options.section = section;
    options.python = m_pythonOverride;
    options.pythonSource = m_pythonOverrideSource;
    return options;
}

bool CliApplication::loadProject()
{
    Expected<Project> project = Project::open(m_configPath, projectOpenOptions(m_section));
    if (!project) {
        fail(project.error());
        return false;
    }
    for (const EngineError &warning : project->warnings())
        m_err << "WARNING: " << warning.toString() << '\n';
    m_err.flush();
    if (!m_urlOverride.isEmpty())
        project->config().setUrlOverride(m_urlOverride);
    if (!m_passwordOverride.isEmpty())
        project->config().setPasswordOverride(m_passwordOverride);
    m_project = std::make_unique<Project>(std::move(project.value()));
    return true;
}

namespace {

const QCommandLineOption verboseOption({u"v"_s, u"verbose"_s}, u"Use more verbose output."_s);
const QCommandLineOption jsonOption(u"json"_s, u"Print machine-readable JSON instead of text."_s);

} // namespace

int CliApplication::runHistory(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"List revisions in history order, newest first."_s);
    const QCommandLineOption rangeOption(
        {u"r"_s, u"rev-range"_s}, u"Range of revisions: [start]:[end], [start]: or :[end] (inclusive)."_s,
        u"RANGE"_s);
    const QCommandLineOption indicateOption({u"i"_s, u"indicate-current"_s},
                                            u"Mark the database's current revisions (connects to it)."_s);
    if (!parseCommand(parser, {rangeOption, verboseOption, indicateOption, jsonOption}, u"history"_s,
                      arguments, 0, 0))
        return m_exitCode;
    QString lower;
    QString upper;
    if (parser.isSet(rangeOption)) {
        const QString range = parser.value(rangeOption).trimmed();
        const QStringList parts = range.split(u':');
        if (parts.size() != 2)
            return fail(EngineError(u"History range requires [start]:[end], [start]:, or :[end]"_s,
                                    EngineError::Kind::Usage));
        lower = parts.at(0);
        upper = parts.at(1);
    }
    if (!loadProject())
        return m_exitCode;
    const RevisionMap &map = m_project->map();
    // "current" in the range and -i read the version table's rows, as Alembic does through env.py.
    const bool needsDatabase = parser.isSet(indicateOption) || lower == u"current"_s || upper == u"current"_s;
    QStringList rows;
    if (needsDatabase) {
        Expected<QStringList> current = readCurrentRows();
        if (!current)
            return fail(current.error());
        rows = *current;
    }
    Expected<QList<int>> revisions = map.historyRange(lower, upper, needsDatabase ? &rows : nullptr);
    if (!revisions)
        return fail(revisions.error());
    RevisionFormatter formatter(map);
    if (parser.isSet(indicateOption)) {
        QSet<int> current;
        for (const QString &row : std::as_const(rows))
            current.insert(map.indexOf(row));
        formatter.setCurrent(current);
    }
    if (parser.isSet(jsonOption)) {
        printJson(m_out, revisionsJson(formatter, *revisions));
        return 0;
    }
    const bool verbose = parser.isSet(verboseOption);
    RevisionFormatter::LineOptions options;
    options.includeBranches = true;
    options.includeDoc = true;
    options.includeParents = true;
    for (int index : *revisions)
        m_out << formatter.format(index, verbose, options) << '\n';
    return 0;
}

int CliApplication::runHeads(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Show the head revisions of the scripts (effective heads included)."_s);
    const QCommandLineOption resolveOption(u"resolve-dependencies"_s,
                                           u"Treat dependencies as down revisions: list only real heads."_s);
    if (!parseCommand(parser, {verboseOption, resolveOption, jsonOption}, u"heads"_s, arguments, 0, 0))
        return m_exitCode;
    if (!loadProject())
        return m_exitCode;
    const RevisionMap &map = m_project->map();
    const QList<int> heads = parser.isSet(resolveOption) ? map.realHeads() : map.heads();
    RevisionFormatter formatter(map);
    if (parser.isSet(jsonOption)) {
        printJson(m_out, revisionsJson(formatter, heads));
        return 0;
    }
    RevisionFormatter::LineOptions options;
    options.includeBranches = true;
    options.treeIndicators = false;
    for (int index : heads)
        m_out << formatter.format(index, parser.isSet(verboseOption), options) << '\n';
    return 0;
}

int CliApplication::runBranches(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Show branch points and the revisions they branch into."_s);
    if (!parseCommand(parser, {verboseOption, jsonOption}, u"branches"_s, arguments, 0, 0))
        return m_exitCode;
    if (!loadProject())
        return m_exitCode;
    const RevisionMap &map = m_project->map();
    const bool verbose = parser.isSet(verboseOption);
    RevisionFormatter formatter(map);
    QJsonArray array;
    for (int index : map.history()) {
        if (!map.isBranchPoint(index))
            continue;
        if (parser.isSet(jsonOption)) {
            QJsonObject object = formatter.toJson(index);
            QJsonArray children;
            for (int child : map.children(index))
                children.append(formatter.toJson(child));
            object.insert(u"branches_into"_s, children);
            array.append(object);
            continue;
        }
        RevisionFormatter::LineOptions options;
        options.includeBranches = true;
        m_out << formatter.format(index, verbose, options) << '\n';
        const QString indent(map.idOf(index).size(), u' ');
        RevisionFormatter::LineOptions childOptions;
        childOptions.includeBranches = true;
        childOptions.includeDoc = verbose;
        QStringList lines;
        for (int child : map.children(index))
            lines.append(indent + u" -> "_s + formatter.oneLine(child, childOptions));
        m_out << lines.join(u'\n') << "\n\n";
    }
    if (parser.isSet(jsonOption))
        printJson(m_out, QJsonDocument(array));
    return 0;
}

int CliApplication::runShow(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Show the revision(s) denoted by the given symbol."_s);
    parser.addPositionalArgument(u"rev"_s, u"A revision id, prefix, label, head(s), base or label@rev."_s);
    if (!parseCommand(parser, {jsonOption}, u"show"_s, arguments, 1, 1))
        return m_exitCode;
    const QString symbol = parser.positionalArguments().constFirst();
    if (!loadProject())
        return m_exitCode;
    const RevisionMap &map = m_project->map();
    Expected<QList<int>> revisions = QList<int>();
    if (symbol == u"current"_s) {
        // The rows of the version table, each as a verbose entry (Alembic's "show current").
        Expected<QStringList> rows = readCurrentRows();
        if (!rows)
            return fail(rows.error());
        revisions = MigrationPlan::checkRows(map, *rows);
    } else {
        revisions = map.resolve(symbol);
    }
    if (!revisions)
        return fail(revisions.error());
    RevisionFormatter formatter(map);
    if (parser.isSet(jsonOption)) {
        printJson(m_out, revisionsJson(formatter, *revisions));
        return 0;
    }
    for (int index : *revisions)
        m_out << formatter.logEntry(index) << '\n';
    return 0;
}

} // namespace qmigrate

namespace qmigrate {

Expected<QString> CliApplication::readPassword(bool prompt)
{
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    if (prompt && !terminal)
        return EngineError(u"--password asks on a terminal, and standard input is not one; use "
                           u"--password-stdin to pipe the password in"_s);
    termios saved{};
    const bool hideTyping = prompt && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (prompt) {
        m_err << "Password: ";
        m_err.flush();
    }
    if (hideTyping) {
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    std::string line;
    const bool read = bool(std::getline(std::cin, line));
    if (hideTyping) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        m_err << '\n';
        m_err.flush();
    }
    if (!read || line.empty())
        return EngineError(prompt ? u"No password was typed"_s
                                  : u"--password-stdin: standard input gave no password line"_s);
    if (line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

void CliApplication::logInfo(const QString &line)
{
    m_err << "INFO  [qmigrate] " << line << '\n';
    m_err.flush();
}

void CliApplication::logWarning(const QString &line)
{
    m_err << "WARNING [qmigrate] " << line << '\n';
    m_err.flush();
}

MigratorCallbacks CliApplication::alembicCallbacks()
{
    MigratorCallbacks callbacks;
    // The project's own output (Alembic's "Running upgrade" log lines among it) as Alembic prints it.
    callbacks.output = [this](const QString &line) {
        m_err << line << '\n';
        m_err.flush();
    };
    callbacks.warning = [this](const QString &warning) { logWarning(warning); };
    return callbacks;
}

Expected<QStringList> CliApplication::readCurrentRows()
{
    Expected<DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url)
        return url.error();
    Migrator migrator(m_project->map(), *url, MigratorOptions::fromConfig(m_project->config()));
    Expected<QStringList> rows = migrator.currentRows();
    if (!rows)
        return rows.error();
    // Rows naming revisions this project lacks, or overlapping rows, are reported here rather than guessed.
    Expected<QList<int>> checked = MigrationPlan::checkRows(m_project->map(), *rows);
    if (!checked)
        return checked.error();
    return *rows;
}

int CliApplication::runCurrent(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Display the current revision(s) of the database: the rows of the version table and the revisions "
        u"they imply through dependencies. Never creates the version table."_s);
    if (!parseCommand(parser, {verboseOption, jsonOption}, u"current"_s, arguments, 0, 0))
        return m_exitCode;
    if (!loadProject())
        return m_exitCode;
    Expected<DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url)
        return fail(url.error());
    const RevisionMap &map = m_project->map();
    Migrator migrator(map, *url, MigratorOptions::fromConfig(m_project->config()));
    logInfo(u"Context impl %1."_s.arg(migrator.dialect().alembicImplName()));
    logInfo(migrator.dialect().transactionalDdl() ? u"Will assume transactional DDL."_s
                                                  : u"Will assume non-transactional DDL."_s);
    QList<HistoryEntry> interrupted;
    Expected<QStringList> rows = migrator.currentRows(&interrupted);
    if (!rows)
        return fail(rows.error());
    if (!interrupted.isEmpty())
        logWarning(Migrator::interruptedStepsMessage(map, interrupted, *rows));
    const Expected<QList<int>> indices = MigrationPlan::checkRows(map, *rows);
    // Alembic's "effective current" (DatabaseState): Alembic prints it in set order; history order (newest
    // first) makes the output stable.
    const DatabaseState state(map, *rows);
    const bool verbose = parser.isSet(verboseOption);
    if (parser.isSet(jsonOption)) {
        // Printed even when a row names a revision these scripts lack: which rows the table holds is what
        // a caller needs then. The exit status stays the text form's.
        printJson(m_out, QJsonDocument(currentJson(map, state, verbose, url->toDisplayString(),
                                                   migrator.dialect().qualifiedVersionTable())));
        return indices ? 0 : fail(indices.error());
    }
    if (!indices)
        return fail(indices.error());
    if (verbose && m_project->isAlembicPython()) {
        // Which Python would run this project's Alembic, as a log line: stdout keeps Alembic's format.
        PythonInterpreter::Request request;
        request.explicitProgram = m_pythonOverride;
        request.explicitSource = m_pythonOverrideSource;
        request.iniPath = m_project->config().iniPath();
        request.databaseUrl = url->toUrlStringWithPassword();
        const Expected<PythonInterpreter::Info> python = PythonInterpreter::resolve(request);
        logInfo(u"Python for this project's Alembic: "_s + (!python ? python.error().message()
                                                            : python->canRunAlembic()
                                                                ? python->summary()
                                                                : python->installAdvice()));
    }
    if (verbose)
        m_out << "Current revision(s) for " << url->toDisplayString() << ":\n";
    RevisionFormatter formatter(map);
    for (const int index : state.effectiveCurrent()) {
        if (verbose)
            m_out << formatter.logEntry(index) << '\n';
        else
            m_out << formatter.oneLine(index, RevisionFormatter::LineOptions()) << '\n';
    }
    return 0;
}

int CliApplication::runOffline(const QString &command, const QStringList &arguments, bool purge)
{
    if (!loadProject())
        return m_exitCode;
    const RevisionMap &map = m_project->map();
    const ProjectConfig &config = m_project->config();
    // Offline mode connects to nothing; the URL only picks the dialect, as in Alembic.
    Expected<DatabaseUrl> url = config.databaseUrl();
    if (!url)
        return fail(url.error());
    if (m_project->isAlembicPython()) {
        // The script is what the project's Alembic writes: its env.py's run_migrations_offline().
        Expected<AlembicRunnerOptions> options = alembicRunnerOptions(*url);
        if (!options)
            return fail(options.error());
        AlembicRunner runner(*m_project, *url, *options);
        runner.setCallbacks(alembicCallbacks());
        Expected<QString> script = runner.renderOffline(command, arguments, purge);
        if (!script)
            return fail(script.error());
        m_out << *script;
        return 0;
    }
    const bool stamp = command == u"stamp"_s;
    const bool downgrade = command == u"downgrade"_s;
    const QString single = arguments.value(0, downgrade ? QString() : u"head"_s);
    Expected<OfflineRange> range = stamp       ? OfflineRenderer::parseStamp(map, arguments, true, purge)
                                   : downgrade ? OfflineRenderer::parseDowngrade(map, single, true)
                                               : OfflineRenderer::parseUpgrade(map, single, true);
    if (!range)
        return fail(range.error());
    QStringList warnings;
    Expected<MigrationPlan> plan =
        stamp       ? MigrationPlan::stamp(map, range->startRows, range->targets, purge)
        : downgrade ? MigrationPlan::downgrade(map, range->startRows, range->target(), &warnings)
                    : MigrationPlan::upgrade(map, range->startRows, range->target());
    if (!plan)
        return fail(plan.error());
    for (const QString &warning : std::as_const(warnings))
        logWarning(warning);
    Dialect dialect = Dialect::forBackend(url->backend());
    dialect.setVersionTable(config.versionTable());
    dialect.setVersionTableSchema(config.versionTableSchema());
    const OfflineRenderer renderer(map, dialect, config.transactionPerMigration());
    QStringList logLines;
    Expected<QString> script = renderer.render(*plan, range->startRows.isEmpty(), &logLines);
    if (!script)
        return fail(script.error());
    for (const QString &line : std::as_const(logLines))
        m_err << OfflineRenderer::alembicLogLine(line) << '\n';
    m_err.flush();
    m_out << *script;
    return 0;
}

int CliApplication::runMigration(const QString &command, const QStringList &arguments)
{
    QCommandLineParser parser;
    const bool stamp = command == u"stamp"_s;
    const bool downgrade = command == u"downgrade"_s;
    if (stamp) {
        parser.setApplicationDescription(
            u"Write the given revision(s) to the version table without running any migration."_s);
        parser.addPositionalArgument(u"revisions"_s, u"One or more revisions, or base, head, heads."_s);
    } else if (downgrade) {
        parser.setApplicationDescription(u"Revert to a previous version."_s);
        parser.addPositionalArgument(u"revision"_s,
                                     u"Target: a revision, base, -N, label@-N (default -1)."_s);
    } else {
        parser.setApplicationDescription(u"Upgrade to a later version."_s);
        parser.addPositionalArgument(u"revision"_s, u"Target: a revision, head, heads, +N (default head)."_s);
    }
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
    QList<QCommandLineOption> options{sqlOption,      dryRunOption,      lockTimeoutOption,
                                      lockWaitOption, lockRetriesOption, statementTimeoutOption};
    if (stamp)
        options.append(purgeOption);
    else
        options.append({resumeOption, resumeAfterOption});
    if (!parseCommand(parser, options, command, arguments, stamp ? 1 : 0, stamp ? -1 : 1))
        return m_exitCode;
    const bool resume = !stamp && (parser.isSet(resumeOption) || parser.isSet(resumeAfterOption));
    int resumeAfter = -1;
    if (resume) {
        if (parser.isSet(sqlOption))
            return usageError(u"--resume continues a run on the database; it cannot be combined with --sql"_s,
                              command);
        if (!parser.positionalArguments().isEmpty())
            return usageError(u"--resume continues the interrupted step and takes no revision"_s, command);
        if (parser.isSet(resumeAfterOption)) {
            bool ok = false;
            resumeAfter = parser.value(resumeAfterOption).toInt(&ok);
            if (!ok || resumeAfter < 0)
                return usageError(u"--resume-after needs a number of statements, 0 or more, not '%1'"_s.arg(
                                      parser.value(resumeAfterOption)),
                                  command);
        }
    }
    if (parser.isSet(sqlOption)) {
        if (parser.isSet(dryRunOption))
            return usageError(u"--sql already changes nothing; it cannot be combined with --dry-run"_s,
                              command);
        return runOffline(command, parser.positionalArguments(), stamp && parser.isSet(purgeOption));
    }
    MigratorOptions migratorOptions;
    if (parser.isSet(lockTimeoutOption)) {
        bool ok = false;
        const int seconds = parser.value(lockTimeoutOption).toInt(&ok);
        if (!ok || seconds < 0)
            return usageError(
                u"--lock-timeout needs a number of seconds, not '%1'"_s.arg(parser.value(lockTimeoutOption)),
                command);
        migratorOptions.lockTimeoutSeconds = seconds;
    }
    if (!loadProject())
        return m_exitCode;
    Expected<DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url)
        return fail(url.error());
    const int lockTimeout = migratorOptions.lockTimeoutSeconds;
    migratorOptions = MigratorOptions::fromConfig(m_project->config());
    migratorOptions.lockTimeoutSeconds = lockTimeout;
    // The command line wins over the ini's qmigrate.* keys.
    for (const auto &[option, target] :
         {std::pair{&lockWaitOption, &migratorOptions.lockWaitSeconds},
          std::pair{&lockRetriesOption, &migratorOptions.lockRetries},
          std::pair{&statementTimeoutOption, &migratorOptions.statementTimeoutSeconds}}) {
        if (!parser.isSet(*option))
            continue;
        bool ok = false;
        const int value = parser.value(*option).toInt(&ok);
        if (!ok || value < 0)
            return usageError(u"--%1 needs a whole number, 0 or more, not '%2'"_s.arg(option->names().first(),
                                                                                      parser.value(*option)),
                              command);
        *target = value;
    }
    migratorOptions.applicationName = u"qmigrate-cli"_s;

    Migrator::Request request;
    request.kind = stamp       ? Migrator::Request::Kind::Stamp
                   : downgrade ? Migrator::Request::Kind::Downgrade
                               : Migrator::Request::Kind::Upgrade;
    request.targets = parser.positionalArguments();
    request.resume = resume;
    request.resumeAfter = resumeAfter;
    if (request.targets.isEmpty() && !resume)
        request.targets = {downgrade ? u"-1"_s : u"head"_s};
    if (!resume) {
        // "from:to" is offline syntax; the parsers give Alembic's "Range revision not allowed" online.
        const RevisionMap &map = m_project->map();
        Expected<OfflineRange> range =
            stamp       ? OfflineRenderer::parseStamp(map, request.targets, false, false)
            : downgrade ? OfflineRenderer::parseDowngrade(map, request.targets.first(), false)
                        : OfflineRenderer::parseUpgrade(map, request.targets.first(), false);
        if (!range)
            return fail(range.error());
    }
    request.purge = stamp && parser.isSet(purgeOption);
    request.dryRun = parser.isSet(dryRunOption);

    if (m_project->isAlembicPython() && !request.dryRun)
        return runAlembic(request, *url, migratorOptions.lockTimeoutSeconds);

    const RevisionMap &map = m_project->map();
    Migrator migrator(map, *url, migratorOptions);
    MigratorCallbacks callbacks;
    callbacks.log = [this](const QString &line) { logInfo(line); };
    callbacks.warning = [this](const QString &warning) { logWarning(warning); };
    migrator.setCallbacks(callbacks);
    // Every online run is recorded; a dry run never calls the observer.
    AuditObserver observer;
    migrator.setObserver(&observer);
    Expected<Migrator::Result> result = migrator.run(request);
    for (const QString &error : observer.recordingErrors())
        logWarning(u"The audit history could not record the failure: "_s + error);
    if (!result)
        return fail(result.error());
    if (!request.dryRun)
        return 0;

    const MigrationPlan &plan = result->plan;
    m_out << "Dry run: read " << migrator.dialect().qualifiedVersionTable() << " on "
          << url->toDisplayString() << " (nothing was changed).\n";
    m_out << "Current rows: " << (plan.rowsBefore().isEmpty() ? u"(none)"_s : plan.rowsBefore().join(u", "_s))
          << '\n';
    if (plan.isEmpty()) {
        m_out << "Nothing to do.\n";
        return 0;
    }
    if (plan.purge())
        m_out << "\nPurge: " << migrator.dialect().deleteAllVersionsSql() << '\n';
    const SqlStatementSplitter splitter(url->backend());
    // An Alembic project's steps as its own Alembic writes them offline (one child process for the plan).
    std::optional<AlembicRunner::RenderedPlan> rendered;
    QString notRendered;
    if (m_project->isAlembicPython() && !plan.steps().isEmpty()) {
        Expected<AlembicRunnerOptions> runnerOptions = alembicRunnerOptions(*url);
        Expected<AlembicRunner::RenderedPlan> offline =
            runnerOptions ? AlembicRunner(*m_project, *url, *runnerOptions).renderPlan(plan)
                          : Expected<AlembicRunner::RenderedPlan>(runnerOptions.error());
        if (offline)
            rendered = *offline;
        else
            notRendered = offline.error().toString();
    }
    for (qsizetype stepIndex = 0; stepIndex < plan.steps().size(); ++stepIndex) {
        const MigrationStep &step = plan.steps().at(stepIndex);
        m_out << '\n' << step.logLine() << '\n';
        if (step.revision >= 0) {
            const Revision &revision = map.revision(step.revision);
            const bool up = step.direction == MigrationStep::Direction::Upgrade;
            if (revision.kind == Revision::Kind::Python) {
                m_out << "  " << revision.path
                      << " (Alembic Python revision), as Alembic's offline mode writes it:\n";
                if (!rendered) {
                    m_out << "    (not rendered: " << notRendered << ")\n";
                } else if (rendered->failedStep >= 0 && stepIndex >= rendered->failedStep) {
                    m_out
                        << (stepIndex == rendered->failedStep
                                ? u"    (this revision reads the database; its SQL is known when it runs: %1)\n"_s
                                      .arg(rendered->failure)
                                : u"    (not rendered: an earlier step reads the database)\n"_s);
                } else {
                    QString text = rendered->stepScripts.value(stepIndex).trimmed();
                    text.replace(u'\n', u"\n    "_s);
                    m_out << "    " << text << '\n';
                    continue; // Alembic's text already holds the version-table write
                }
            } else {
                Expected<QList<SqlStatement>> statements = splitter.splitSection(revision, up);
                if (!statements)
                    return fail(statements.error());
                const qsizetype skipped = stepIndex == 0 ? result->skippedStatements : 0;
                if (skipped > 0)
                    m_out << "  (statements 1 to " << skipped
                          << " were committed by the interrupted run; the resume runs the rest)\n";
                for (qsizetype position = skipped; position < statements->size(); ++position) {
                    const SqlStatement &statement = statements->at(position);
                    QString text = statement.text;
                    text.replace(u'\n', u"\n    "_s);
                    m_out << "  " << revision.path << ':' << statement.line << ":\n    " << text << ";\n";
                }
            }
        }
        for (const VersionChange &change : step.versionChanges)
            m_out << "  " << migrator.dialect().versionTable() << ": " << change.toString() << '\n';
    }
    m_out << "\nRows after: " << (plan.rowsAfter().isEmpty() ? u"(none)"_s : plan.rowsAfter().join(u", "_s))
          << '\n';
    return 0;
}

Expected<AlembicRunnerOptions> CliApplication::alembicRunnerOptions(const std::optional<DatabaseUrl> &url)
{
    return AlembicRunner::optionsFor(*m_project, url, m_pythonOverride, m_pythonOverrideSource);
}

int CliApplication::runAlembic(const Migrator::Request &request, const DatabaseUrl &url,
                               int lockTimeoutSeconds)
{
    Expected<AlembicRunnerOptions> options = alembicRunnerOptions(url);
    if (!options)
        return fail(options.error());
    options->lockTimeoutSeconds = lockTimeoutSeconds;
    AlembicRunner runner(*m_project, url, *options);
    runner.setCallbacks(alembicCallbacks());
    Expected<Migrator::Result> result = runner.run(request);
    if (!result)
        return fail(result.error());
    return 0;
}

int CliApplication::runAlembicAuthoring(const NewRevision &request, const QStringList &mergeRevisions,
                                        bool autogenerate, bool json)
{
    // Alembic needs a database only to autogenerate; a plain create or merge works on a project whose
    // alembic.ini still has `alembic init`'s placeholder URL.
    std::optional<DatabaseUrl> url;
    if (autogenerate) {
        Expected<DatabaseUrl> configured = m_project->config().databaseUrl();
        if (!configured)
            return fail(configured.error());
        url = *configured;
    }
    Expected<AlembicRunnerOptions> options = alembicRunnerOptions(url);
    if (!options)
        return fail(options.error());
    AlembicRunner runner =
        url ? AlembicRunner(*m_project, *url, *options) : AlembicRunner(*m_project, *options);
    MigratorCallbacks callbacks = alembicCallbacks();
    callbacks.output = [this, print = callbacks.output](const QString &line) {
        // Alembic's own "Generating <path> ...  done": qmigrate prints it on stdout below, as for SQL
        // projects.
        if (!(line.trimmed().startsWith(u"Generating "_s) && line.trimmed().endsWith(u"done"_s)))
            print(line);
    };
    runner.setCallbacks(callbacks);
    Expected<AlembicRunner::Written> written =
        mergeRevisions.isEmpty()
            ? runner.createRevision(request, autogenerate)
            : runner.merge(mergeRevisions, request.message, request.branchLabels, request.revId);
    if (!written)
        return fail(written.error());
    // The files as qmigrate reads them: what the graph, history and the GUI will show.
    Expected<Project> reread =
        Project::open(m_project->config().iniPath(), projectOpenOptions(m_project->config().section()));
    if (!reread)
        return fail(reread.error());
    int status = 0;
    for (const QString &id : std::as_const(written->revisions)) {
        const int index = reread->map().indexOf(id);
        if (index < 0)
            return fail(
                EngineError(u"Alembic wrote revision %1, which qmigrate cannot read back from %2"_s.arg(
                    id, written->paths.value(written->revisions.indexOf(id)))));
        status = reportWritten(reread->map().revision(index), json);
    }
    if (!json) {
        for (const QString &note : std::as_const(written->reviewNotes))
            m_out << "  Review: " << note << '\n';
    }
    return status;
}

namespace {

QString utcText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"-"_s;
}

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
}

// ISO 8601 in UTC with milliseconds ("…Z"), null when unknown.
QJsonValue isoUtc(const QDateTime &value)
{
    return value.isValid() ? QJsonValue(value.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonObject historyJson(const HistoryEntry &entry)
{
    // Everything but the script text, which `check` diffs and which would swamp the listing.
    return QJsonObject{
        {u"id"_s, entry.id},
        {u"revision"_s, entry.revision},
        {u"direction"_s, HistoryEntry::directionName(entry.direction)},
        {u"outcome"_s, HistoryEntry::outcomeName(entry.outcome)},
        {u"checksum"_s, entry.checksum.isEmpty() ? QJsonValue() : QJsonValue(entry.checksum)},
        {u"started_at"_s, isoUtc(entry.startedAt)},
        {u"finished_at"_s, isoUtc(entry.finishedAt)},
        {u"duration_ms"_s, entry.durationMs},
        {u"os_user"_s, entry.osUser},
        {u"host"_s, entry.host},
        {u"error_text"_s, entry.errorText.isEmpty() ? QJsonValue() : QJsonValue(entry.errorText)},
        {u"qmigrate_version"_s, entry.qmigrateVersion},
    };
}

} // namespace

int CliApplication::runLog(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Show the audit history of the database (the qmigrate_history table, beside the version table): one "
        u"line per applied, reverted or stamped step and per failure, newest first. Times are UTC."_s);
    const QCommandLineOption revisionOption(
        {u"r"_s, u"revision"_s}, u"Only the rows of this revision (an id, a unique prefix or a label)."_s,
        u"REV"_s);
    const QCommandLineOption limitOption({u"n"_s, u"limit"_s}, u"At most this many rows."_s, u"LIMIT"_s);
    if (!parseCommand(parser, {jsonOption, revisionOption, limitOption}, u"log"_s, arguments, 0, 0))
        return m_exitCode;
    HistoryFilter filter;
    filter.revision = parser.value(revisionOption);
    if (parser.isSet(limitOption)) {
        bool ok = false;
        filter.limit = parser.value(limitOption).toInt(&ok);
        if (!ok || filter.limit <= 0)
            return usageError(u"--limit needs a positive number, not '%1'"_s.arg(parser.value(limitOption)),
                              u"log"_s);
    }
    if (!loadProject())
        return m_exitCode;
    if (!filter.revision.isEmpty()) {
        // A prefix or label of a revision the scripts still have; the history may also name revisions whose
        // files are gone, so anything else is taken as an exact id.
        Expected<QList<int>> resolved = m_project->map().resolve(filter.revision);
        if (resolved && resolved->size() == 1)
            filter.revision = m_project->map().idOf(resolved->first());
    }
    Expected<DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url)
        return fail(url.error());
    const Migrator migrator(m_project->map(), *url, MigratorOptions::fromConfig(m_project->config()));
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(*url, m_project->config().here(), u"qmigrate-cli"_s);
    if (!connection)
        return fail(connection.error());
    const AuditHistory history((*connection)->database(), migrator.dialect());
    Expected<bool> exists = history.tableExists();
    if (!exists)
        return fail(exists.error());
    QList<HistoryEntry> entries;
    if (*exists) {
        Expected<QList<HistoryEntry>> read = history.entries(filter);
        if (!read)
            return fail(read.error());
        entries = *read;
    }
    if (parser.isSet(jsonOption)) {
        QJsonArray array;
        for (const HistoryEntry &entry : std::as_const(entries))
            array.append(historyJson(entry));
        printJson(m_out, QJsonDocument(array));
        return 0;
    }
    if (!*exists) {
        m_out << "No audit history yet: " << history.qualifiedTable() << " does not exist on "
              << url->toDisplayString() << " (it is created by the first upgrade, downgrade or stamp).\n";
        return 0;
    }
    if (entries.isEmpty()) {
        m_out << "No audit history rows"
              << (filter.revision.isEmpty() ? QString() : u" for revision "_s + filter.revision) << ".\n";
        return 0;
    }
    const QStringList header = {u"When (UTC)"_s, u"Direction"_s, u"Revision"_s,
                                u"Outcome"_s,    u"Duration"_s,  u"User@host"_s};
    QList<QStringList> rows;
    for (const HistoryEntry &entry : std::as_const(entries))
        rows.append({utcText(entry.startedAt), HistoryEntry::directionName(entry.direction), entry.revision,
                     HistoryEntry::outcomeName(entry.outcome), durationText(entry.durationMs),
                     entry.osUser.isEmpty() ? entry.host : entry.osUser + u'@' + entry.host});
    QList<qsizetype> widths;
    for (const QString &title : header)
        widths.append(title.size());
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = qMax(widths[i], row.at(i).size());
    }
    const auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i)
            text += i + 1 < cells.size() ? cells.at(i).leftJustified(widths[i] + 2) : cells.at(i);
        m_out << text << '\n';
    };
    line(header);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        line(rows.at(i));
        const HistoryEntry &entry = entries.at(i);
        if (!entry.errorText.isEmpty())
            m_out << "    " << entry.errorText.section(u'\n', 0, 0) << '\n';
    }
    return 0;
}

int CliApplication::runCheck(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Check the scripts and the database: fails (exit 1) when the scripts have several heads that need a "
        u"merge, or when the file of an applied revision changed since it was applied (compared with the "
        u"text kept in the audit history; the diff is shown). Revisions applied without the audit history "
        u"(e.g. by Alembic) cannot be compared and are skipped; a database without a version table is only "
        u"checked for heads. When the project has a schema.sql model, it also fails when the schema the "
        u"revisions build at head differs from the model (both are built on scratch databases of the "
        u"configured backend and compared; the differences are listed). It also fails when a killed run left "
        u"a step half applied (MariaDB DDL, no-transaction statements), naming what of it committed. --json "
        u"prints {ok, problems}, each problem with its kind (multiple-heads, interrupted-step, "
        u"edited-since-applied, schema-differs) and details."_s);
    if (!parseCommand(parser, {jsonOption}, u"check"_s, arguments, 0, 0))
        return m_exitCode;
    if (!loadProject())
        return m_exitCode;
    const RevisionMap &map = m_project->map();
    const bool json = parser.isSet(jsonOption);
    int problems = 0;
    QJsonArray problemsJson;
    // Text is printed as each problem is found, so that what was found stays on screen when a later step
    // fails; JSON is printed whole at the end. Each problem's "message" is the first line of its text.
    const auto report = [&](const QString &kind, const QString &text, QJsonObject details) {
        ++problems;
        if (!json) {
            m_out << (problems > 1 ? "\n" : "") << text;
            return;
        }
        details.insert(u"kind"_s, kind);
        details.insert(u"message"_s, text.section(u'\n', 0, 0));
        problemsJson.append(details);
    };

    const QList<int> heads = map.realHeads();
    if (heads.size() > 1) {
        QStringList ids;
        for (int head : heads)
            ids.append(map.idOf(head));
        report(u"multiple-heads"_s,
               u"Multiple heads: %1.\nMerge them into one (a merge revision whose Revises lists all of them) "
               u"before upgrading to head.\n"_s.arg(ids.join(u", "_s)),
               {{u"heads"_s, QJsonArray::fromStringList(ids)}});
    }

    Expected<DatabaseUrl> url = m_project->config().databaseUrl();
    if (!url)
        return fail(url.error());
    const Migrator migrator(map, *url, MigratorOptions::fromConfig(m_project->config()));
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(*url, m_project->config().here(), u"qmigrate-cli"_s);
    if (!connection)
        return fail(connection.error());
    // An empty list when there is no version table: then only the heads are checked.
    Expected<QStringList> rows = VersionTable((*connection)->database(), migrator.dialect()).readRows();
    if (!rows)
        return fail(rows.error());
    const AuditHistory history((*connection)->database(), migrator.dialect());
    Expected<bool> exists = history.tableExists();
    if (!exists)
        return fail(exists.error());
    if (*exists) {
        Expected<QList<HistoryEntry>> interrupted = history.interruptedSteps();
        if (!interrupted)
            return fail(interrupted.error());
        for (const HistoryEntry &entry : std::as_const(*interrupted)) {
            report(u"interrupted-step"_s, Migrator::interruptedStepsMessage(map, {entry}, *rows) + u'\n',
                   {{u"revision"_s, entry.revision},
                    {u"direction"_s, HistoryEntry::directionName(entry.direction)},
                    {u"progress"_s, entry.errorText}});
        }
    }
    if (!rows->isEmpty() && *exists) {
        Expected<QList<int>> indices = MigrationPlan::checkRows(map, *rows);
        if (!indices)
            return fail(indices.error());
        QStringList applied;
        for (int index : map.ancestors(*indices, true))
            applied.append(map.idOf(index));
        // Oldest first, so that the report reads in the order the scripts ran.
        QList<int> order = map.history();
        std::reverse(order.begin(), order.end());
        QList<Revision> revisions;
        for (int index : std::as_const(order))
            revisions.append(map.revision(index));
        Expected<QList<ChangedScript>> changed = history.changedScripts(revisions, applied);
        if (!changed)
            return fail(changed.error());
        for (const ChangedScript &script : std::as_const(*changed)) {
            QString text =
                u"Revision %1 changed since it was applied at %2 UTC: %3\n"_s.arg(
                    script.revision, utcText(script.appliedAt), QDir::toNativeSeparators(script.path)) +
                script.diff;
            if (!text.endsWith(u'\n'))
                text += u'\n';
            report(u"edited-since-applied"_s, text,
                   {{u"revision"_s, script.revision},
                    {u"path"_s, script.path},
                    {u"applied_at"_s, isoUtc(script.appliedAt)},
                    {u"diff"_s, script.diff}});
        }
    }
    // The model against what the revisions build, when the project keeps a model (and has one head).
    if (QFileInfo::exists(SchemaBuilder::modelPath(*m_project)) && heads.size() == 1) {
        Expected<SchemaSnapshot> model = SchemaBuilder::fromModel(*m_project, *url);
        if (!model)
            return fail(model.error());
        Expected<SchemaSnapshot> atHead = SchemaBuilder::fromRevisions(*m_project, *url);
        if (!atHead)
            return fail(atHead.error());
        const QStringList differences = atHead->differences(*model);
        if (!differences.isEmpty()) {
            const QString modelPath = SchemaBuilder::modelPath(*m_project);
            QString text = u"The schema at head differs from %1 (head first, then the model):\n"_s.arg(
                QDir::toNativeSeparators(modelPath));
            for (const QString &difference : differences)
                text += u"  "_s + difference + u'\n';
            report(u"schema-differs"_s, text,
                   {{u"model"_s, modelPath}, {u"differences"_s, QJsonArray::fromStringList(differences)}});
        }
    }
    if (json)
        printJson(m_out, QJsonDocument(QJsonObject{{u"ok"_s, problems == 0}, {u"problems"_s, problemsJson}}));
    if (problems == 0) {
        if (!json)
            m_out << "No problems found.\n";
        return 0;
    }
    m_out.flush();
    m_err << "FAILED: " << problems << (problems == 1 ? " problem" : " problems") << " found.\n";
    m_err.flush();
    m_exitCode = 1;
    return m_exitCode;
}

int CliApplication::runInit(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Create a new native SQL project in DIR: alembic.ini (script_location = the directory, a SQLite "
        u"URL, "
        u"the DB_* environment rule in its comments), script.sql.tmpl, versions/, schema.sql and README.md. "
        u"Refuses, writing nothing, when any of them exists already."_s);
    parser.addPositionalArgument(u"directory"_s, u"The project directory (created if missing)."_s);
    const QCommandLineOption fromDatabaseOption(
        u"from-database"_s,
        u"Adopt an existing database (--url, or the DB_* environment): the new project names it, its first "
        u"revision (the baseline) recreates the database's schema as introspected, and the database is "
        u"stamped "
        u"at it. Refused for a database that already has a version table with rows."_s);
    if (!parseCommand(parser, {fromDatabaseOption}, u"init"_s, arguments, 1, 1))
        return m_exitCode;
    if (parser.isSet(fromDatabaseOption)) {
        const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        QString urlText = m_urlOverride;
        if (urlText.isEmpty() && !environment.value(u"DB_HOST"_s).isEmpty()) {
            Expected<QString> fromEnvironment = ProjectConfig::environmentUrl(environment);
            if (!fromEnvironment)
                return fail(fromEnvironment.error());
            urlText = *fromEnvironment;
        }
        if (urlText.isEmpty())
            return usageError(u"--from-database needs the database: give --url, or set DB_HOST"_s, u"init"_s);
        Expected<DatabaseUrl> url = DatabaseUrl::parse(urlText);
        if (!url)
            return fail(url.error());
        Expected<DatabaseAdopter::Result> adopted = DatabaseAdopter::adopt(
            parser.positionalArguments().first(), *url, [this](const QString &line) { logInfo(line); });
        if (!adopted)
            return fail(adopted.error());
        for (const QString &file : std::as_const(adopted->writtenFiles))
            m_out << "Generating " << QDir::toNativeSeparators(file) << " ...  done\n";
        for (const QString &note : std::as_const(adopted->reviewNotes))
            m_out << "  Review: " << note << '\n';
        m_out << "Stamped " << url->toDisplayString() << " at " << adopted->baseline.id
              << " (the version table only; no SQL ran).\n";
        return 0;
    }
    Expected<ProjectInitializer::Result> result =
        ProjectInitializer::init(parser.positionalArguments().first());
    if (!result)
        return fail(result.error());
    for (const QString &directory : std::as_const(result->createdDirectories))
        m_out << "Creating directory " << QDir::toNativeSeparators(directory) << " ...  done\n";
    for (const QString &file : std::as_const(result->writtenFiles))
        m_out << "Generating " << QDir::toNativeSeparators(file) << " ...  done\n";
    m_out << "Please edit the database URL in '" << QDir::toNativeSeparators(result->iniPath)
          << "' (or set DB_HOST and the other DB_* variables) before proceeding.\n";
    return 0;
}

int CliApplication::reportWritten(const Revision &revision, bool json)
{
    if (json) {
        const auto array = [](const QStringList &values) { return QJsonArray::fromStringList(values); };
        printJson(m_out, QJsonDocument(QJsonObject{
                             {u"path"_s, revision.path},
                             {u"revision"_s, revision.id},
                             {u"down_revisions"_s, array(revision.downRevisions)},
                             {u"branch_labels"_s, array(revision.branchLabels)},
                             {u"depends_on"_s, array(revision.dependsOn)},
                             {u"message"_s, revision.message},
                             {u"create_date"_s, revision.createDate},
                         }));
        return 0;
    }
    m_out << "Generating " << QDir::toNativeSeparators(revision.path) << " ...  done\n";
    return 0;
}

int CliApplication::runRevision(const QString &command, const QStringList &arguments)
{
    const bool create = command == u"create"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Create a new revision file from the project's script.sql.tmpl, on the head (or on --head). Prints "
        u"the path of the new file."_s);
    if (create)
        parser.addPositionalArgument(u"message"_s, u"The message (or -m); it also names the file."_s);
    const QCommandLineOption messageOption({u"m"_s, u"message"_s}, u"Message of the revision."_s,
                                           u"MESSAGE"_s);
    const QCommandLineOption headOption(
        u"head"_s,
        u"Revision the new one is based on (default head): an id, a prefix, label@head, base for a new root; "
        u"repeat it for a merge."_s,
        u"HEAD"_s);
    const QCommandLineOption spliceOption(
        u"splice"_s, u"Allow a --head that is not a head (starts a new branch there)."_s);
    const QCommandLineOption branchLabelOption(u"branch-label"_s, u"Branch label for the new revision."_s,
                                               u"LABEL"_s);
    const QCommandLineOption dependsOnOption(
        u"depends-on"_s, u"A revision (id, prefix or label) the new one depends on; repeatable."_s, u"REV"_s);
    const QCommandLineOption revIdOption(u"rev-id"_s, u"Use this id instead of a generated one."_s, u"ID"_s);
    const QCommandLineOption versionPathOption(
        u"version-path"_s, u"Version location to write into (one of version_locations)."_s, u"PATH"_s);
    const QCommandLineOption autogenerateOption(
        u"autogenerate"_s,
        u"Draft the upgrade and downgrade SQL: the difference between the schema the revisions build up to "
        u"the new revision's parent (--head; on a scratch database of the configured backend) and "
        u"schema.sql. Review it before running it: what cannot be expressed safely is marked with "
        u"-- qmigrate: review: lines."_s);
    const QCommandLineOption fromDatabaseOption(
        u"from-database"_s,
        u"With --autogenerate: compare schema.sql with the configured database as it is, instead of the "
        u"revisions replayed; the new revision must then go on the revision the database is at."_s);
    if (!parseCommand(parser,
                      {messageOption, headOption, spliceOption, branchLabelOption, dependsOnOption,
                       revIdOption, versionPathOption, autogenerateOption, fromDatabaseOption, jsonOption},
                      command, arguments, 0, create ? 1 : 0))
        return m_exitCode;
    if (parser.isSet(fromDatabaseOption) && !parser.isSet(autogenerateOption))
        return usageError(u"--from-database goes with --autogenerate"_s, command);
    if (parser.isSet(messageOption) && !parser.positionalArguments().isEmpty())
        return usageError(u"give the message once: as an argument or with -m, not both"_s, command);

    NewRevision request;
    request.message =
        parser.isSet(messageOption) ? parser.value(messageOption) : parser.positionalArguments().value(0);
    if (parser.isSet(headOption))
        request.heads = parser.values(headOption);
    request.splice = parser.isSet(spliceOption);
    request.branchLabels = parser.values(branchLabelOption);
    request.dependsOn = parser.values(dependsOnOption);
    request.revId = parser.value(revIdOption);
    request.versionPath = parser.value(versionPathOption);
    if (!loadProject())
        return m_exitCode;
    if (m_project->isAlembicPython()) {
        if (parser.isSet(fromDatabaseOption))
            return usageError(
                u"--from-database is for SQL projects: Alembic's --autogenerate always compares "
                u"env.py's target_metadata with the database"_s,
                command);
        return runAlembicAuthoring(request, {}, parser.isSet(autogenerateOption), parser.isSet(jsonOption));
    }
    QStringList reviewNotes;
    if (parser.isSet(autogenerateOption)) {
        Expected<DatabaseUrl> url = m_project->config().databaseUrl();
        if (!url)
            return fail(url.error());
        Expected<AutogeneratedDraft> draft =
            Autogenerator::draft(*m_project, request, *url, parser.isSet(fromDatabaseOption));
        if (!draft)
            return fail(draft.error());
        if (draft->sql.isEmpty()) {
            m_out << "No changes: " << draft->comparedWith << " equals "
                  << QDir::toNativeSeparators(SchemaBuilder::modelPath(*m_project))
                  << "; no revision written.\n";
            return 0;
        }
        request.upgradeSql = draft->sql.upgradeSql;
        request.downgradeSql = draft->sql.downgradeSql;
        reviewNotes = draft->sql.reviewNotes;
    }
    Expected<Revision> written = RevisionWriter::create(*m_project, request);
    if (!written)
        return fail(written.error());
    const int status = reportWritten(*written, parser.isSet(jsonOption));
    if (!parser.isSet(jsonOption)) {
        for (const QString &note : std::as_const(reviewNotes))
            m_out << "  Review: " << note << '\n';
    }
    return status;
}

int CliApplication::runMerge(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Create a revision whose parents are the given revisions (heads), joining their branches. "
        u"'heads' names every head."_s);
    parser.addPositionalArgument(u"revisions"_s,
                                 u"Two or more heads (ids, prefixes, label@head), or heads."_s);
    const QCommandLineOption messageOption({u"m"_s, u"message"_s}, u"Message of the merge."_s, u"MESSAGE"_s);
    const QCommandLineOption branchLabelOption(u"branch-label"_s, u"Branch label for the merge revision."_s,
                                               u"LABEL"_s);
    const QCommandLineOption revIdOption(u"rev-id"_s, u"Use this id instead of a generated one."_s, u"ID"_s);
    if (!parseCommand(parser, {messageOption, branchLabelOption, revIdOption, jsonOption}, u"merge"_s,
                      arguments, 1, -1))
        return m_exitCode;
    if (!loadProject())
        return m_exitCode;
    if (m_project->isAlembicPython()) {
        NewRevision merge;
        merge.message = parser.value(messageOption);
        merge.branchLabels = parser.values(branchLabelOption);
        merge.revId = parser.value(revIdOption);
        return runAlembicAuthoring(merge, parser.positionalArguments(), false, parser.isSet(jsonOption));
    }
    Expected<Revision> written =
        RevisionWriter::merge(*m_project, parser.positionalArguments(), parser.value(messageOption),
                              parser.values(branchLabelOption), parser.value(revIdOption));
    if (!written)
        return fail(written.error());
    return reportWritten(*written, parser.isSet(jsonOption));
}

int CliApplication::runEdit(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Open the file of a revision in $VISUAL or $EDITOR (a command line: 'code -w' works) and wait for "
        u"the editor to exit. 'current' opens the database's current revisions."_s);
    parser.addPositionalArgument(u"revision"_s, u"An id, a prefix, a label, head, current..."_s);
    if (!parseCommand(parser, {}, u"edit"_s, arguments, 1, 1))
        return m_exitCode;
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString editor = environment.value(u"VISUAL"_s).trimmed();
    if (editor.isEmpty())
        editor = environment.value(u"EDITOR"_s).trimmed();
    const QStringList editorCommand = QProcess::splitCommand(editor);
    if (editorCommand.isEmpty()) {
        return fail(EngineError(u"Neither VISUAL nor EDITOR is set; set one of them to the editor to open "
                                u"revision files with (e.g. EDITOR=nano)"_s,
                                EngineError::Kind::Usage));
    }
    const QString symbol = parser.positionalArguments().constFirst();
    if (!loadProject())
        return m_exitCode;
    const RevisionMap &map = m_project->map();
    Expected<QList<int>> revisions = QList<int>();
    if (symbol == u"current"_s) {
        Expected<QStringList> rows = readCurrentRows();
        if (!rows)
            return fail(rows.error());
        revisions = MigrationPlan::checkRows(map, *rows);
        if (revisions && revisions->isEmpty())
            return fail(EngineError(u"No current revisions"_s, EngineError::Kind::Usage));
    } else {
        revisions = map.resolve(symbol);
    }
    if (!revisions)
        return fail(revisions.error());
    if (revisions->isEmpty())
        return fail(EngineError(u"No revision files indicated by symbol '%1'"_s.arg(symbol),
                                EngineError::Kind::Usage));
    m_out.flush();
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
            return fail(EngineError(u"Cannot start the editor '%1': %2"_s.arg(editor, process.errorString()),
                                    path, 0, map.idOf(index), EngineError::Kind::Usage));
        }
        process.waitForFinished(-1);
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            return fail(EngineError(
                u"The editor '%1' failed (%2)"_s.arg(editor, process.exitStatus() == QProcess::NormalExit
                                                                 ? u"exit status %1"_s.arg(process.exitCode())
                                                                 : process.errorString()),
                path, 0, map.idOf(index)));
        }
    }
    return 0;
}

} // namespace qmigrate
