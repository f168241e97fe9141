// SPDX-License-Identifier: MIT
#include "cliapplication.h"

#include "commandregistry.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QProcessEnvironment>

#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace qmigrate {

CliApplication::CliApplication(QTextStream &out, QTextStream &err)
    : m_context(out, err)
{}

CliApplication::~CliApplication() = default;

void CliApplication::printGlobalHelp(QTextStream &stream)
{
    const QString &program = m_context.program();
    stream << "Usage: " << program << " [-c CONFIG] [-n NAME] [--url URL] COMMAND [options]\n\n"
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
    for (const CliCommand &command : CommandRegistry::commands())
        stream << "  " << command.name.leftJustified(12) << command.summary << '\n';
    stream << "\nRun '" << program << " COMMAND --help' for a command's options.\n"
           << "Exit status: 0 ok, 1 database or migration error, 2 usage or project error.\n";
    stream.flush();
}

int CliApplication::run(const QStringList &arguments)
{
    if (!arguments.isEmpty())
        m_context.setProgram(QFileInfo(arguments.first()).fileName());

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
        return m_context.usageError(global.errorText());
    if (global.isSet(versionOption)) {
        m_context.out() << m_context.program() << ' ' << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    const QStringList rest = global.positionalArguments();
    if (global.isSet(helpOption)) {
        printGlobalHelp(m_context.out());
        return 0;
    }
    if (rest.isEmpty()) {
        printGlobalHelp(m_context.err());
        return 2;
    }

    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    CliContext::GlobalOptions options;
    options.configPath = global.value(configOption);
    if (options.configPath.isEmpty())
        options.configPath = environment.value(u"ALEMBIC_CONFIG"_s, u"alembic.ini"_s);
    if (global.isSet(nameOption))
        options.section = global.value(nameOption);
    options.urlOverride = global.value(urlOption);
    if (global.isSet(passwordStdinOption) && global.isSet(passwordPromptOption))
        return m_context.usageError(u"--password-stdin and --password both read the password: give one"_s);
    if (global.isSet(passwordStdinOption) || global.isSet(passwordPromptOption)) {
        Expected<QString> password = readPassword(global.isSet(passwordPromptOption));
        if (!password)
            return m_context.usageError(password.error().message());
        options.passwordOverride = *password;
    }
    if (global.isSet(pythonOption)) {
        options.pythonOverride = global.value(pythonOption);
        options.pythonOverrideSource = u"--python"_s;
    } else if (!environment.value(u"QMIGRATE_PYTHON"_s).isEmpty()) {
        options.pythonOverride = environment.value(u"QMIGRATE_PYTHON"_s);
        options.pythonOverrideSource = u"$QMIGRATE_PYTHON"_s;
    }
    m_context.setOptions(options);

    const QString name = rest.first();
    const CliCommand *command = CommandRegistry::find(name);
    if (!command)
        return m_context.usageError(u"unknown command '%1'"_s.arg(name));
    return command->execute(m_context, rest.mid(1));
}

Expected<QString> CliApplication::readPassword(bool prompt)
{
    QTextStream &err = m_context.err();
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    if (prompt && !terminal)
        return EngineError(u"--password asks on a terminal, and standard input is not one; use "
                           u"--password-stdin to pipe the password in"_s);
    termios saved{};
    const bool hideTyping = prompt && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (prompt) {
        err << "Password: ";
        err.flush();
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
        err << '\n';
        err.flush();
    }
    if (!read || line.empty())
        return EngineError(prompt ? u"No password was typed"_s
                                  : u"--password-stdin: standard input gave no password line"_s);
    if (line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

} // namespace qmigrate
