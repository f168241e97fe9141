// SPDX-License-Identifier: MIT
#pragma once

#include "testfiles.h" // copyExample, readAll, writeAll for the CLI tests

#include <QList>
#include <QProcess>
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

// One revision of a native project written by writeLinearSqlProject(): its id, and its upgrade and downgrade
// SQL as they go below "-- migrate:upgrade" and "-- migrate:downgrade".
struct SqlRevisionSpec
{
    QString id;
    QString upgrade;
    QString downgrade = QStringLiteral("SELECT 1;");
};

// A native project in `folder`: alembic.ini (script_location = %(here)s, then `iniLines`) and one
// versions/<id>.sql per revision, each revising the one before it. False when a file cannot be written.
bool writeLinearSqlProject(const QString &folder, const QList<SqlRevisionSpec> &revisions,
                           const QString &iniLines = {});

// Starts qmigrate-cli with `arguments` and reads its standard error until it contains `text` (as
// waitForStandardError). False when it did not start, ended first or the time ran out.
bool startCliUntil(QProcess &process, const QStringList &arguments, const QByteArray &text,
                   QByteArray *collected, int timeoutMs = 30000);

// Reads the process's standard error until it contains `text`, the process ends or `timeoutMs` pass; what
// was read is appended to `collected`. True when the text was seen.
bool waitForStandardError(QProcess &process, const QByteArray &text, QByteArray *collected,
                          int timeoutMs = 30000);
