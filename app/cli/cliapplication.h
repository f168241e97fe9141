// SPDX-License-Identifier: MIT
#pragma once

#include "clicontext.h"

#include <QStringList>
#include <QTextStream>

namespace qmigrate {

// qmigrate-cli: global options, then one sub-command (CommandRegistry) with its own options.
// Exit codes: 0 ok, 1 database or migration error, 2 usage or project error.
class CliApplication
{
public:
    CliApplication(QTextStream &out, QTextStream &err);
    ~CliApplication();

    int run(const QStringList &arguments);

private:
    // The password from standard input: its first line, or typed at a prompt with echo off.
    Expected<QString> readPassword(bool prompt);
    void printGlobalHelp(QTextStream &stream);

    CliContext m_context;
};

} // namespace qmigrate
