// SPDX-License-Identifier: MIT
// How the real qmigrate-cli presents itself: each command's --help names the command whatever path the
// program was started by, revision's help tells how the message is given, and edit finds an editor the way
// Debian programs do when the user set none.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "clirunner.h"

using namespace Qt::StringLiterals;

namespace {

bool writeExecutable(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
        return false;
    file.close();
    return file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
}

QString readText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QString describe(const CliResult &result)
{
    return u"exit %1\nstdout:\n%2\nstderr:\n%3"_s.arg(result.exitCode).arg(result.out, result.err);
}

} // namespace

class TstCliUsage : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void commandHelpNamesTheCommand_data();
    void commandHelpNamesTheCommand();
    void revisionHelpShowsTheMessage();
    void editFallsBackToTheSystemEditor();
};

void TstCliUsage::init()
{
    qunsetenv("VISUAL");
    qunsetenv("EDITOR");
}

void TstCliUsage::commandHelpNamesTheCommand_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("usage");
    QTest::newRow("history") << u"history"_s << u"Usage: qmigrate-cli history [options]\n"_s;
    QTest::newRow("show") << u"show"_s << u"Usage: qmigrate-cli show [options] rev\n"_s;
    QTest::newRow("revision") << u"revision"_s << u"Usage: qmigrate-cli revision [options]\n"_s;
}

void TstCliUsage::commandHelpNamesTheCommand()
{
    QFETCH(QString, command);
    QFETCH(QString, usage);
    // runCli starts the program by its full path, as a packaged /usr/bin/qmigrate-cli often is.
    const CliResult result = runCli({command, u"--help"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY2(result.out.startsWith(usage), qPrintable(describe(result)));
}

void TstCliUsage::revisionHelpShowsTheMessage()
{
    const CliResult result = runCli({u"revision"_s, u"--help"_s});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY2(result.out.contains(u"the message is given with -m MESSAGE"_s), qPrintable(result.out));
    QVERIFY2(result.out.contains(u"-m, --message <MESSAGE>"_s), qPrintable(result.out));
}

void TstCliUsage::editFallsBackToTheSystemEditor()
{
    QTemporaryDir tmp;
    QVERIFY(copyExample(tmp.path()));
    // PATH holds only the editors this test writes: what the system has installed plays no part.
    const QString bin = tmp.path() + u"/bin"_s;
    QVERIFY(QDir().mkpath(bin));
    const QString log = tmp.path() + u"/editor.log"_s;
    for (const QString &name : {u"sensible-editor"_s, u"editor"_s})
        QVERIFY(
            writeExecutable(bin + u'/' + name, u"#!/bin/sh\necho \"%1 $1\" >> \"%2\"\n"_s.arg(name, log)));
    QProcessEnvironment path;
    path.insert(u"PATH"_s, bin);
    const QString head = tmp.path() + u"/versions/9abc688b6311_add_contact_email_to_locations.sql"_s;

    const CliResult sensible = runCli({u"edit"_s, u"head"_s}, tmp.path(), path);
    QVERIFY2(sensible.exitCode == 0, qPrintable(describe(sensible)));
    QCOMPARE(readText(log), u"sensible-editor %1\n"_s.arg(head));

    QVERIFY(QFile::remove(bin + u"/sensible-editor"_s));
    const CliResult editor = runCli({u"edit"_s, u"head"_s}, tmp.path(), path);
    QVERIFY2(editor.exitCode == 0, qPrintable(describe(editor)));
    QCOMPARE(readText(log), u"sensible-editor %1\neditor %1\n"_s.arg(head));

    // EDITOR still comes before them.
    QProcessEnvironment chosen = path;
    chosen.insert(u"EDITOR"_s, bin + u"/editor"_s);
    QVERIFY(writeExecutable(bin + u"/sensible-editor"_s, u"#!/bin/sh\nexit 9\n"_s));
    const CliResult explicitEditor = runCli({u"edit"_s, u"head"_s}, tmp.path(), chosen);
    QVERIFY2(explicitEditor.exitCode == 0, qPrintable(describe(explicitEditor)));

    QVERIFY(QFile::remove(bin + u"/sensible-editor"_s));
    QVERIFY(QFile::remove(bin + u"/editor"_s));
    const CliResult none = runCli({u"edit"_s, u"head"_s}, tmp.path(), path);
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.startsWith(u"FAILED: No editor: VISUAL and EDITOR are not set and neither "
                                 u"sensible-editor nor editor is on PATH"_s),
             qPrintable(describe(none)));
    QCOMPARE(none.out, QString());
}

QTEST_GUILESS_MAIN(TstCliUsage)
#include "tst_cli_usage.moc"
