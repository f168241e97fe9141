#include "database/qtsqlmessages.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    qmigrate::QtSqlMessages::install();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("qmigrate"));
    QApplication::setOrganizationName(QStringLiteral("qmigrate"));
    QApplication::setApplicationVersion(QStringLiteral(QMIGRATE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Visual database schema migrations."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QApplication::translate("main", "The project's alembic.ini, or its folder (default: the last project "
                                        "opened, or the bundled example on first start)."));
    parser.process(app);

    MainWindow window;
    const QStringList positional = parser.positionalArguments();
    window.openProject(positional.isEmpty()
                           ? MainWindow::startupProject(QStringLiteral(QMIGRATE_DEFAULT_PROJECT))
                           : positional.first());
    window.show();
    return app.exec();
}
