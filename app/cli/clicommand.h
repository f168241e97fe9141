// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace qmigrate {

class CliContext;

// One sub-command, declared once: the global --help lists its name and summary, its own --help is made
// from its description, arguments and options, and the parse checks its argument count before the handler
// runs. Relative revision arguments such as "-1" or "-3:" look like options, so they are separated before
// QCommandLineParser sees them.
struct CliCommand
{
    struct Argument
    {
        QString name;
        QString description;
    };
    using Handler = std::function<int(CliContext &context, const QCommandLineParser &parser)>;

    QString name;
    QString summary;     // the line in the global --help
    QString description; // the text of the command's own --help
    QList<Argument> arguments;
    QList<QCommandLineOption> options;
    int minArguments = 0;
    int maxArguments = 0; // -1: no limit
    Handler run;

    // Parses `commandLine` (the arguments after the command's name) and runs the handler; prints the
    // command's help for --help and a usage error for arguments it does not take.
    int execute(CliContext &context, const QStringList &commandLine) const;

    // The options several commands share.
    static QCommandLineOption verboseOption();
    static QCommandLineOption jsonOption();
};

} // namespace qmigrate
