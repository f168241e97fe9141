// SPDX-License-Identifier: MIT
#include "database/qtsqlmessages.h"
#include "exampleproject.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

// --help and --version only print: they are answered before QApplication exists, which needs a display
// (man pages are made from this output on build machines without one).
bool asksOnlyForText(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const char *argument = argv[i];
        if (std::strcmp(argument, "--") == 0)
            return false;
        for (const char *text : {"-h", "--help", "-?", "--help-all", "-v", "--version"}) {
            if (std::strcmp(argument, text) == 0)
                return true;
        }
    }
    return false;
}

void identify()
{
    QCoreApplication::setApplicationName(u"qmigrate"_s);
    QCoreApplication::setOrganizationName(u"qmigrate"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(QMIGRATE_VERSION));
}

QCommandLineOption exampleOption()
{
    return QCommandLineOption(
        u"example"_s, QCoreApplication::translate(
                          "main", "Open the example project: your own copy of it, made on first start "
                                  "in %1.")
                          .arg(QDir::toNativeSeparators(ExampleProject::userCopyDirectory())));
}

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Visual database schema migrations."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(exampleOption());
    parser.addPositionalArgument(
        u"project"_s, QCoreApplication::translate(
                          "main", "The project's alembic.ini, or its folder (default: the last project "
                                  "opened; on first start the window offers the example)."));
}

} // namespace

int main(int argc, char *argv[])
{
    qmigrate::QtSqlMessages::install();
    if (asksOnlyForText(argc, argv)) {
        QCoreApplication app(argc, argv);
        identify();
        QCommandLineParser parser;
        describe(parser);
        parser.process(app); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    identify();
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);
    const QStringList positional = parser.positionalArguments();
    const bool openExample = parser.isSet(exampleOption());
    if (openExample && !positional.isEmpty()) {
        std::fputs(
            qPrintable(QCoreApplication::translate("main", "Give a project or --example, not both.\n")),
            stderr);
        return 2;
    }

    const qmigrate::Expected<QString> example = ExampleProject::userCopy();
    if (!example) {
        std::fputs(qPrintable(example.error().message() + u'\n'), stderr);
        if (openExample)
            return 2;
    }

    MainWindow window;
    window.setExampleProject(example ? *example : QString());
    QString project;
    if (openExample)
        project = *example;
    else
        project = positional.isEmpty() ? MainWindow::startupProject() : positional.first();
    if (!project.isEmpty())
        window.openProject(project);
    window.show();
    return app.exec();
}
