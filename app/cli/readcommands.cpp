// SPDX-License-Identifier: MIT
#include "readcommands.h"

#include "clicontext.h"

#include "database/serverprobe.h"
#include "execution/databasestatus.h"
#include "execution/migrator.h"
#include "graph/databasestate.h"
#include "graph/revisionformatter.h"
#include "graph/revisionmap.h"
#include "project/pythoninterpreter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

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

QList<CliCommand> ReadCommands::commands()
{
    const QCommandLineOption verbose = CliCommand::verboseOption();
    const QCommandLineOption json = CliCommand::jsonOption();
    return {
        {u"history"_s,
         u"List revisions in history order (newest first)."_s,
         u"List revisions in history order, newest first."_s,
         {},
         {QCommandLineOption({u"r"_s, u"rev-range"_s},
                             u"Range of revisions: [start]:[end], [start]: or :[end] (inclusive)."_s,
                             u"RANGE"_s),
          verbose,
          QCommandLineOption({u"i"_s, u"indicate-current"_s},
                             u"Mark the database's current revisions (connects to it)."_s),
          json},
         0,
         0,
         &ReadCommands::history},
        {u"heads"_s,
         u"Show the current head revisions of the scripts."_s,
         u"Show the head revisions of the scripts (effective heads included)."_s,
         {},
         {verbose,
          QCommandLineOption(u"resolve-dependencies"_s,
                             u"Treat dependencies as down revisions: list only real heads."_s),
          json},
         0,
         0,
         &ReadCommands::heads},
        {u"branches"_s,
         u"Show branch points."_s,
         u"Show branch points and the revisions they branch into."_s,
         {},
         {verbose, json},
         0,
         0,
         &ReadCommands::branches},
        {u"show"_s,
         u"Show the revision(s) denoted by the given symbol."_s,
         u"Show the revision(s) denoted by the given symbol."_s,
         {{u"rev"_s, u"A revision id, prefix, label, head(s), base or label@rev."_s}},
         {json},
         1,
         1,
         &ReadCommands::show},
        {u"current"_s,
         u"Display the current revision(s) of the database."_s,
         u"Display the current revision(s) of the database: the rows of the version table and the revisions "
         u"they imply through dependencies. Never creates the version table."_s,
         {},
         {verbose, json},
         0,
         0,
         &ReadCommands::current},
    };
}

int ReadCommands::history(CliContext &context, const QCommandLineParser &parser)
{
    QString lower;
    QString upper;
    if (parser.isSet(u"rev-range"_s)) {
        const QString range = parser.value(u"rev-range"_s).trimmed();
        const QStringList parts = range.split(u':');
        if (parts.size() != 2)
            return context.fail(EngineError(u"History range requires [start]:[end], [start]:, or :[end]"_s,
                                            EngineError::Kind::Usage));
        lower = parts.at(0);
        upper = parts.at(1);
    }
    if (!context.loadProject())
        return context.exitCode();
    const RevisionMap &map = context.project().map();
    const bool indicate = parser.isSet(u"indicate-current"_s);
    // "current" in the range and -i read the version table's rows, as Alembic does through env.py.
    const bool needsDatabase = indicate || lower == u"current"_s || upper == u"current"_s;
    QStringList rows;
    if (needsDatabase) {
        Expected<QStringList> current = context.currentRows();
        if (!current)
            return context.fail(current.error());
        rows = *current;
    }
    Expected<QList<int>> revisions = map.historyRange(lower, upper, needsDatabase ? &rows : nullptr);
    if (!revisions)
        return context.fail(revisions.error());
    RevisionFormatter formatter(map);
    if (indicate) {
        QSet<int> current;
        for (const QString &row : std::as_const(rows))
            current.insert(map.indexOf(row));
        formatter.setCurrent(current);
    }
    if (context.json()) {
        context.printJson(revisionsJson(formatter, *revisions));
        return 0;
    }
    RevisionFormatter::LineOptions options;
    options.includeBranches = true;
    options.includeDoc = true;
    options.includeParents = true;
    if (context.verbose()) {
        for (int index : *revisions)
            context.out() << formatter.logEntry(index) << '\n';
        return 0;
    }
    // Lines are gathered into pieces of about 32 KiB, each written at once.
    constexpr qsizetype kPiece = 1 << 15;
    QString piece;
    piece.reserve(kPiece + 1024);
    for (int index : *revisions) {
        formatter.appendOneLine(piece, index, options);
        piece += u'\n';
        if (piece.size() >= kPiece) {
            context.out() << piece;
            piece.resize(0); // keeps its capacity
        }
    }
    context.out() << piece;
    return 0;
}

int ReadCommands::heads(CliContext &context, const QCommandLineParser &parser)
{
    if (!context.loadProject())
        return context.exitCode();
    const RevisionMap &map = context.project().map();
    const QList<int> heads = parser.isSet(u"resolve-dependencies"_s) ? map.realHeads() : map.heads();
    RevisionFormatter formatter(map);
    if (context.json()) {
        context.printJson(revisionsJson(formatter, heads));
        return 0;
    }
    RevisionFormatter::LineOptions options;
    options.includeBranches = true;
    options.treeIndicators = false;
    for (int index : heads)
        context.out() << formatter.format(index, context.verbose(), options) << '\n';
    return 0;
}

int ReadCommands::branches(CliContext &context, const QCommandLineParser &)
{
    if (!context.loadProject())
        return context.exitCode();
    const RevisionMap &map = context.project().map();
    const bool verbose = context.verbose();
    RevisionFormatter formatter(map);
    QJsonArray array;
    for (int index : map.history()) {
        if (!map.isBranchPoint(index))
            continue;
        if (context.json()) {
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
        context.out() << formatter.format(index, verbose, options) << '\n';
        const QString indent(map.idOf(index).size(), u' ');
        RevisionFormatter::LineOptions childOptions;
        childOptions.includeBranches = true;
        childOptions.includeDoc = verbose;
        QStringList lines;
        for (int child : map.children(index))
            lines.append(indent + u" -> "_s + formatter.oneLine(child, childOptions));
        context.out() << lines.join(u'\n') << "\n\n";
    }
    if (context.json())
        context.printJson(QJsonDocument(array));
    return 0;
}

int ReadCommands::show(CliContext &context, const QCommandLineParser &parser)
{
    const QString symbol = parser.positionalArguments().constFirst();
    if (!context.loadProject())
        return context.exitCode();
    const RevisionMap &map = context.project().map();
    // "current": the rows of the version table, each as a verbose entry (Alembic's "show current").
    const Expected<QList<int>> revisions = context.revisionsNamed(symbol);
    if (!revisions)
        return context.fail(revisions.error());
    RevisionFormatter formatter(map);
    if (context.json()) {
        context.printJson(revisionsJson(formatter, *revisions));
        return 0;
    }
    for (int index : *revisions)
        context.out() << formatter.logEntry(index) << '\n';
    return 0;
}

int ReadCommands::current(CliContext &context, const QCommandLineParser &)
{
    if (!context.loadProject())
        return context.exitCode();
    const Project &project = context.project();
    Expected<DatabaseUrl> url = project.config().databaseUrl();
    if (!url)
        return context.fail(url.error());
    const RevisionMap &map = project.map();
    DatabaseStatus status(project, *url, CliContext::applicationName());
    context.logInfo(u"Context impl %1."_s.arg(status.dialect().alembicImplName()));
    context.logInfo(status.dialect().transactionalDdl() ? u"Will assume transactional DDL."_s
                                                        : u"Will assume non-transactional DDL."_s);
    Expected<QStringList> rows = status.versionRows();
    if (!rows)
        return context.fail(rows.error());
    Expected<QList<HistoryEntry>> interrupted = status.interruptedSteps();
    if (!interrupted)
        return context.fail(interrupted.error());
    if (!interrupted->isEmpty())
        context.logWarning(Migrator::interruptedStepsMessage(map, *interrupted, *rows));
    // Alembic's "effective current" (DatabaseState): Alembic prints it in set order; history order (newest
    // first) makes the output stable.
    const DatabaseState state(map, *rows);
    const Expected<QList<int>> indices = status.revisionsOf(*rows);
    const bool verbose = context.verbose();
    if (context.json()) {
        // Printed even when a row names a revision these scripts lack: which rows the table holds is what
        // a caller needs then. The exit status stays the text form's.
        context.printJson(QJsonDocument(currentJson(map, state, verbose, url->toDisplayString(),
                                                    status.dialect().qualifiedVersionTable())));
        return indices ? 0 : context.fail(indices.error());
    }
    if (!indices)
        return context.fail(indices.error());
    if (verbose && project.isAlembicPython()) {
        // Which Python would run this project's Alembic, as a log line: stdout keeps Alembic's format.
        PythonInterpreter::Request request;
        request.explicitProgram = context.options().pythonOverride;
        request.explicitSource = context.options().pythonOverrideSource;
        request.iniPath = project.config().iniPath();
        request.databaseUrl = url->toUrlStringWithPassword();
        const Expected<PythonInterpreter::Info> python = PythonInterpreter::resolve(request);
        context.logInfo(u"Python for this project's Alembic: "_s + (!python ? python.error().message()
                                                                    : python->canRunAlembic()
                                                                        ? python->summary()
                                                                        : python->installAdvice()));
    }
    if (verbose && url->backend() == DatabaseUrl::Backend::MySQL) {
        // Which cluster answered, as a log line: stdout keeps Alembic's format.
        const Expected<ServerInfo> server = ServerProbe::probe(*url, project.config().here());
        if (server && server->cluster.galera)
            context.logInfo(u"%1; node %2 is %3."_s.arg(server->cluster.summary(), server->cluster.nodeName,
                                                        server->cluster.state));
    }
    if (verbose)
        context.out() << "Current revision(s) for " << url->toDisplayString() << ":\n";
    RevisionFormatter formatter(map);
    for (const int index : state.effectiveCurrent()) {
        if (verbose)
            context.out() << formatter.logEntry(index) << '\n';
        else
            context.out() << formatter.oneLine(index, RevisionFormatter::LineOptions()) << '\n';
    }
    return 0;
}

} // namespace qmigrate
