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
                                        "opened; on first start the window offers the bundled example)."));
    parser.process(app);

    MainWindow window;
    window.setExampleProject(QStringLiteral(QMIGRATE_DEFAULT_PROJECT));
    const QStringList positional = parser.positionalArguments();
    const QString project = positional.isEmpty() ? MainWindow::startupProject() : positional.first();
    if (!project.isEmpty())
        window.openProject(project);
    window.show();
    return app.exec();
}
