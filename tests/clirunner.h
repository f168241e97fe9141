#pragma once

#include "testfiles.h" // copyExample, readAll, writeAll for the CLI tests

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// Runs the real qmigrate-cli binary for the CLI tests, with DB_HOST, ALEMBIC_CONFIG and QMIGRATE_PYTHON
// removed from its environment so that the developer's own settings never leak into a test.
struct CliResult
{
    int exitCode = -1; // -1: did not finish normally within a minute
    QString out;
    QString err;
};

// `overrides` are set on top (DB_*, QMIGRATE_PYTHON, PATH, ...).
CliResult runCli(const QStringList &arguments, const QString &workingDirectory = {},
                 const QProcessEnvironment &overrides = {});
