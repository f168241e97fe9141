#include "clirunner.h"

#include <QDir>
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
    return result;
}
