#include "database/qtsqlmessages.h"
#include "screenshotsession.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    qmigrate::QtSqlMessages::install();
    QApplication app(argc, argv);
    // Settings, recent projects and connection profiles in a throwaway place of the program's own: the
    // pictures show a first start, and the user's own profiles stay out of them and untouched.
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(u"qmigrate"_s);
    QApplication::setApplicationName(u"qmigrate-screenshots"_s);
    QSettings().clear();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Writes the pictures of docs/screenshots: the main window on copies of the bundled example, under a "
        "real X server (xvfb-run) with a window manager. The connection dialog's picture connects to the "
        "PostgreSQL test server (tests/servers/start-postgresql.sh; $QMIGRATE_SERVERS_DIR names its state "
        "directory)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"directory"_s, u"Where the PNG files are written."_s);
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QString directory = parser.positionalArguments().constFirst();
    if (!QDir().mkpath(directory)) {
        qCritical("cannot create %s", qPrintable(QDir::toNativeSeparators(directory)));
        return 1;
    }

    ScreenshotSession session(directory);
    const QString error = session.run();
    if (!error.isEmpty()) {
        qCritical("%s", qPrintable(error));
        return 1;
    }
    return 0;
}
