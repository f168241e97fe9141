// SPDX-License-Identifier: MIT
#include "clicommand.h"

#include "clicontext.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

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

bool hasOption(const QList<QCommandLineOption> &options, const QString &name)
{
    return std::any_of(options.cbegin(), options.cend(),
                       [&name](const QCommandLineOption &option) { return option.names().contains(name); });
}

} // namespace

QCommandLineOption CliCommand::verboseOption()
{
    return QCommandLineOption({u"v"_s, u"verbose"_s}, u"Use more verbose output."_s);
}

QCommandLineOption CliCommand::jsonOption()
{
    return QCommandLineOption(u"json"_s, u"Print machine-readable JSON instead of text."_s);
}

int CliCommand::execute(CliContext &context, const QStringList &commandLine) const
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    for (const Argument &argument : arguments)
        parser.addPositionalArgument(argument.name, argument.description);
    const QCommandLineOption helpOption({u"h"_s, u"help"_s}, u"Show help for this command."_s);
    parser.addOptions(options);
    parser.addOption(helpOption);
    const QString program = context.program();
    if (!parser.parse(QStringList{program} + separatePositionals(commandLine, options)))
        return context.usageError(parser.errorText(), name);
    if (parser.isSet(helpOption)) {
        QString help = parser.helpText();
        // helpText() names the executable as it was started (a full path, often) and not the command: the
        // Usage line gets the program's name and the command's instead.
        const QString executable =
            QCoreApplication::instance() ? QCoreApplication::arguments().value(0) : u"<executable_name>"_s;
        help.replace(u"Usage: "_s + executable, u"Usage: "_s + program + u' ' + name);
        context.out() << help;
        context.out().flush();
        context.setExitCode(0);
        return 0;
    }
    const qsizetype count = parser.positionalArguments().size();
    if (count < minArguments)
        return context.usageError(u"missing argument"_s, name);
    if (maxArguments >= 0 && count > maxArguments)
        return context.usageError(
            u"unexpected argument '%1'"_s.arg(parser.positionalArguments().at(maxArguments)), name);
    context.setOutputMode(hasOption(options, u"json"_s) && parser.isSet(u"json"_s),
                          hasOption(options, u"verbose"_s) && parser.isSet(u"verbose"_s));
    return run(context, parser);
}

} // namespace qmigrate
