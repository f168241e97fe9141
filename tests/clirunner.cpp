// SPDX-License-Identifier: MIT
#include "clirunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

using namespace Qt::StringLiterals;

CliResult runCli(const QStringList &arguments, const QString &workingDirectory,
                 const QProcessEnvironment &overrides)
{
    QProcess process;
    process.setProgram(QStringLiteral(QMIGRATE_CLI_PATH));
    process.setArguments(arguments);
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(u"DB_HOST"_s);
    environment.remove(u"ALEMBIC_CONFIG"_s);
    environment.remove(u"QMIGRATE_PYTHON"_s);
    environment.insert(overrides);
    process.setProcessEnvironment(environment);
    process.start();
    CliResult result;
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit)
        return result;
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    // What qmigrate-cli printed, kept for the secret sweep (tst_secretsweep), which looks for the suite's
    // passwords in it. Not the arguments: those are the test's input and may carry a password on purpose.
    // One write per run, appended, so that CLI tests running in parallel do not interleave inside a record.
    QFile log(QStringLiteral(QMIGRATE_CLI_OUTPUT_LOG));
    if (log.open(QIODevice::WriteOnly | QIODevice::Append))
        log.write((QStringLiteral("$ qmigrate-cli (exit %1)\n%2%3\n")
                       .arg(result.exitCode)
                       .arg(result.out, result.err))
                      .toUtf8());
    return result;
}

bool writeLinearSqlProject(const QString &folder, const QList<SqlRevisionSpec> &revisions,
                           const QString &iniLines)
{
    if (!QDir().mkpath(folder + QStringLiteral("/versions")))
        return false;
    if (!writeAll(folder + QStringLiteral("/alembic.ini"),
                  (QStringLiteral("[alembic]\nscript_location = %(here)s\n") + iniLines).toUtf8()))
        return false;
    QString parent;
    for (const SqlRevisionSpec &revision : revisions) {
        const QString text =
            QStringLiteral("-- %1\n--\n-- Revision ID: %1\n-- Revises: %2\n\n-- migrate:upgrade\n%3\n\n"
                           "-- migrate:downgrade\n%4\n")
                .arg(revision.id, parent, revision.upgrade, revision.downgrade);
        if (!writeAll(folder + QStringLiteral("/versions/%1.sql").arg(revision.id), text.toUtf8()))
            return false;
        parent = revision.id;
    }
    return true;
}

bool waitForStandardError(QProcess &process, const QByteArray &text, QByteArray *collected, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!collected->contains(text) && clock.elapsed() < timeoutMs &&
           process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        *collected += process.readAllStandardError();
    }
    *collected += process.readAllStandardError();
    return collected->contains(text);
}

bool startCliUntil(QProcess &process, const QStringList &arguments, const QByteArray &text,
                   QByteArray *collected, int timeoutMs)
{
    process.start(QStringLiteral(QMIGRATE_CLI_PATH), arguments);
    return process.waitForStarted() && waitForStandardError(process, text, collected, timeoutMs);
}
