#include "cliapplication.h"
#include "qtsqlmessages.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char *argv[])
{
    qmigrate::QtSqlMessages::install();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qmigrate-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QMIGRATE_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    qmigrate::CliApplication cli(out, err);
    const int status = cli.run(QCoreApplication::arguments());
    out.flush();
    err.flush();
    return status;
}
