// SPDX-License-Identifier: MIT
#include "database/qtsqlmessages.h"
#include "screenshotsession.h"

#include <QApplication>
#include <QColor>
#include <QCommandLineParser>
#include <QDir>
#include <QPalette>
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
    QApplication::setApplicationVersion(QStringLiteral(QMIGRATE_VERSION)); // Help > About shows it
    QSettings().clear();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Writes the pictures of docs/screenshots: the main window on copies of the bundled example, under a "
        "real X server (xvfb-run) with a window manager. The connection dialog's picture connects to the "
        "PostgreSQL test server (tests/servers/start-postgresql.sh; $QMIGRATE_SERVERS_DIR names its state "
        "directory)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"directory"_s, u"Where the PNG files are written."_s);
    const QCommandLineOption dark(u"dark"_s, u"A dark palette (Fusion), as a dark desktop theme gives."_s);
    parser.addOption(dark);
    parser.process(app);
    if (parser.isSet(dark)) {
        QApplication::setStyle(u"Fusion"_s);
        QPalette palette;
        palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
        palette.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
        palette.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
        palette.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
        palette.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
        palette.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
        palette.setColor(QPalette::ButtonText, QColor(0xdf, 0xe1, 0xe5));
        palette.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
        palette.setColor(QPalette::ToolTipText, QColor(0xdf, 0xe1, 0xe5));
        palette.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
        palette.setColor(QPalette::HighlightedText, Qt::white);
        palette.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
        palette.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
        for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            palette.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7d, 0x82));
        QApplication::setPalette(palette);
    }
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
