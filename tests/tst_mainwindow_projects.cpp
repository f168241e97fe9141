// SPDX-License-Identifier: MIT
#include "connections/connectionprofile.h"
#include "connections/connectionprofilestore.h"
#include "connections/connectionselector.h"
#include "editor/scripteditor.h"
#include "mainwindowdriver.h"
#include "revisions/revisiondetails.h"
#include "revisions/revisiongraphview.h"
#include "run/databasesession.h"
#include "run/historymodel.h"
#include "run/historytable.h"
#include "run/runprogresswidget.h"
#include "testfiles.h"
#include "window/mainwindow.h"
#include "workspace/welcomepage.h"

#include <Qsci/qsciscintilla.h>

#include <QComboBox>
#include <QCommandLinkButton>
#include <QDialog>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

// Opening one project after another: the second gets its own database and nothing of the first stays on
// screen.
class TstMainWindowProjects : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void eachProjectKeepsItsOwnConnection();
    void anUnchangedConnectionChoiceIsNotWritten();
    void aProjectThatNamesNoDatabaseWaitsForAChoice();
    void nothingOfThePreviousProjectRemains();
    void firstStartOffersTheWaysToBegin();
    void aProjectThatFailsToOpenSaysSoInTheWindow();
    void downgradeOneStepAtAMergeOffersTheParents();
    void docksTakeAStripAndComeBackSane();

private:
    // A copy of the bundled example in a new folder under m_dir; its alembic.ini.
    QString exampleCopy(const QString &name);
    static QString databaseFile(const MainWindow &window);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TstMainWindowProjects::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"qmigrate"_s);
}

void TstMainWindowProjects::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
}

QString TstMainWindowProjects::exampleCopy(const QString &name)
{
    const QString folder = m_dir->filePath(name);
    if (!copyExample(folder))
        return {};
    return folder + u"/alembic.ini"_s;
}

QString TstMainWindowProjects::databaseFile(const MainWindow &window)
{
    const std::optional<DatabaseUrl> url = window.session()->url();
    return url ? url->database() : QString();
}

void TstMainWindowProjects::eachProjectKeepsItsOwnConnection()
{
    const QString shop = exampleCopy(u"shop"_s), blog = exampleCopy(u"blog"_s);
    QVERIFY(!shop.isEmpty() && !blog.isEmpty());
    const QString shared = m_dir->filePath(u"shared.db"_s);
    {
        MainWindow window;
        window.show();
        ConnectionProfile profile;
        profile.name = u"shared"_s;
        profile.sqliteFile = shared;
        QVERIFY(window.profileStore()->addOrUpdate(profile));

        QVERIFY(openAndWait(window, shop));
        QCOMPARE(databaseFile(window), m_dir->filePath(u"shop/example.db"_s));
        QVERIFY(window.connectionSelector()->selectProfile(u"shared"_s));
        QTRY_COMPARE(databaseFile(window), shared);

        // Another project starts on its own database, not on the one chosen for the first.
        QVERIFY(openAndWait(window, blog));
        QCOMPARE(databaseFile(window), m_dir->filePath(u"blog/example.db"_s));
        QCOMPARE(window.connectionSelector()->selectedProfileName(), QString());

        // The first project gets back the database chosen for it.
        QVERIFY(openAndWait(window, shop));
        QCOMPARE(databaseFile(window), shared);
        QCOMPARE(window.connectionSelector()->selectedProfileName(), u"shared"_s);
    }
    // And after a restart.
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, blog));
    QCOMPARE(databaseFile(window), m_dir->filePath(u"blog/example.db"_s));
    QVERIFY(openAndWait(window, shop));
    QCOMPARE(databaseFile(window), shared);
}

// Opening a project tells the store the connection it uses, mostly the one stored already: no write of the
// settings file then, which took a lock file, the file and a sync to disk in the pass showing the project.
void TstMainWindowProjects::anUnchangedConnectionChoiceIsNotWritten()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(u"profiles.ini"_s);
    ConnectionProfileStore store(ini);
    store.setCurrentProfileName(u"/projects/shop"_s, u"local"_s);
    QVERIFY(QFile::exists(ini));
    QVERIFY(QFile::remove(ini));
    store.setCurrentProfileName(u"/projects/shop"_s, u"local"_s);
    store.setCurrentProfileName(u"/projects/blog"_s, QString()); // its own database, as before
    QVERIFY(!QFile::exists(ini));
    QCOMPARE(store.currentProfileName(u"/projects/shop"_s), u"local"_s);
    // A change is written.
    store.setCurrentProfileName(u"/projects/shop"_s, QString());
    QVERIFY(QFile::exists(ini));
    QCOMPARE(store.currentProfileName(u"/projects/shop"_s), QString());
}

void TstMainWindowProjects::aProjectThatNamesNoDatabaseWaitsForAChoice()
{
    const QString shop = exampleCopy(u"shop"_s), bare = exampleCopy(u"bare"_s);
    QVERIFY(!shop.isEmpty() && !bare.isEmpty());
    QByteArray ini = readAll(bare);
    const qsizetype at = ini.indexOf("sqlalchemy.url");
    QVERIFY(at >= 0);
    ini.remove(at, ini.indexOf('\n', at) - at + 1);
    QVERIFY(writeAll(bare, ini));

    MainWindow window;
    window.show();
    ConnectionProfile profile;
    profile.name = u"shared"_s;
    profile.sqliteFile = m_dir->filePath(u"shared.db"_s);
    QVERIFY(window.profileStore()->addOrUpdate(profile));
    QVERIFY(openAndWait(window, shop));
    QVERIFY(window.session()->hasDatabase());

    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    window.openProject(bare);
    QVERIFY(loaded.wait(20000));
    // Not the profile listed first, nor the previous project's database: none, and the window says why.
    QVERIFY(!window.session()->hasDatabase());
    QCOMPARE(window.connectionSelector()->comboBox()->currentIndex(), -1);
    QVERIFY2(window.statusText().contains(u"names no database"_s), qPrintable(window.statusText()));
    QVERIFY(window.historyTable()->isShowingPlaceholder());
    QVERIFY(!window.upgradeHeadAction()->isEnabled());

    // Chosen once, remembered for it.
    QVERIFY(window.connectionSelector()->selectProfile(u"shared"_s));
    QTRY_VERIFY(window.session()->state().isKnown());
    QVERIFY(openAndWait(window, shop));
    QVERIFY(openAndWait(window, bare));
    QCOMPARE(window.connectionSelector()->selectedProfileName(), u"shared"_s);
}

void TstMainWindowProjects::nothingOfThePreviousProjectRemains()
{
    const QString shop = exampleCopy(u"shop"_s);
    QVERIFY(!shop.isEmpty());
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, shop));

    // A run in the first project, and a revision of it selected with its script in the editor.
    window.upgradeHeadAction()->trigger();
    const QString ran = runPreviewedPlan(window, 10);
    QVERIFY2(ran.isEmpty(), qPrintable(ran));
    QVERIFY(!window.runProgress()->statusText().isEmpty());
    QVERIFY(!window.graphView()->selectedRevision().isEmpty());
    QTRY_VERIFY(window.scriptEditor()->filePath().startsWith(m_dir->filePath(u"shop"_s)));

    // With an unsaved edit in the editor.
    window.scriptEditor()->textEdit()->append(u"\n-- a note\n"_s);
    QVERIFY(window.scriptEditor()->isModified());

    // New Project: an empty one. The edit is asked about, not lost silently.
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QVERIFY(window.createProject(m_dir->filePath(u"fresh"_s)));
    QVERIFY(loaded.wait(20000));
    QTRY_VERIFY(window.unsavedEditsQuestion() && window.unsavedEditsQuestion()->isVisible());
    QVERIFY2(window.unsavedEditsQuestion()->informativeText().contains(u"closing"_s),
             qPrintable(window.unsavedEditsQuestion()->informativeText()));
    window.unsavedEditsQuestion()->button(QMessageBox::Discard)->click();
    QTRY_VERIFY(window.session()->state().isKnown());
    QCOMPARE(window.graphView()->selectedRevision(), QString());
    QCOMPARE(window.graphView()->selectedRow(), -1);
    QCOMPARE(window.scriptEditor()->filePath(), QString());
    QCOMPARE(window.scriptEditor()->text(), QString());
    QCOMPARE(window.runProgress()->titleText(), QString());
    QCOMPARE(window.runProgress()->statusText(), QString());
    QCOMPARE(window.runProgress()->progressBar()->value(), 0);
    QCOMPARE(window.historyTable()->model()->rowCount(), 0);
    QVERIFY2(!window.statusText().contains(u"shop"_s), qPrintable(window.statusText()));
}

void TstMainWindowProjects::firstStartOffersTheWaysToBegin()
{
    const QString example = exampleCopy(u"example"_s);
    QVERIFY(!example.isEmpty());
    QCOMPARE(MainWindow::startupProject(), QString()); // no recent project
    MainWindow window;
    window.setExampleProject(example);
    window.show();
    QVERIFY(window.isShowingWelcome());
    WelcomePage *welcome = window.welcomePage();
    QVERIFY(welcome->isVisible());
    QVERIFY(welcome->openExampleButton()->isVisible());
    QVERIFY(welcome->openProjectButton()->isVisible());
    QVERIFY(welcome->adoptButton()->isVisible());

    // Adopt with no database chosen yet: the connections come first.
    QTest::mouseClick(welcome->adoptButton(), Qt::LeftButton);
    QWidget *connections = nullptr;
    QTRY_VERIFY((connections = window.findChild<QDialog *>(u"connectionDialog"_s)) &&
                connections->isVisible());
    connections->close();

    // Open the example.
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QTest::mouseClick(welcome->openExampleButton(), Qt::LeftButton);
    QVERIFY(loaded.wait(20000));
    QVERIFY(!window.isShowingWelcome());
    QVERIFY(window.graphView()->isVisible());
    // Laid out in one pass, painted in the next: the page is not left unpainted.
    QTRY_VERIFY(window.graphView()->updatesEnabled() && window.revisionDetails()->updatesEnabled());
    QCOMPARE(MainWindow::startupProject(), example); // the next start opens it

    // Without an example to offer, its button is not shown.
    MainWindow bare;
    bare.setExampleProject(m_dir->filePath(u"nowhere/alembic.ini"_s));
    bare.show();
    QVERIFY(!bare.welcomePage()->openExampleButton()->isVisible());
}

void TstMainWindowProjects::aProjectThatFailsToOpenSaysSoInTheWindow()
{
    const QString broken = exampleCopy(u"broken"_s);
    QVERIFY(!broken.isEmpty());
    QVERIFY(writeAll(broken, "[alembic]\nscript_location = %(here)s/nowhere\n"));
    MainWindow window;
    window.show();
    QSignalSpy failed(&window, &MainWindow::projectFailed);
    window.openProject(broken);
    QVERIFY(failed.wait(20000));
    QMessageBox *message = nullptr;
    QTRY_VERIFY((message = window.problemMessage()) && message->isVisible());
    // What happened, which file, and what to do; the whole message, not a status line cut at the window's
    // edge.
    QVERIFY2(message->text().contains(broken), qPrintable(message->text()));
    QVERIFY2(message->informativeText().contains(u"nowhere"_s), qPrintable(message->informativeText()));
    QVERIFY2(message->informativeText().contains(u"open the project again"_s),
             qPrintable(message->informativeText()));
    message->close();
}

void TstMainWindowProjects::downgradeOneStepAtAMergeOffersTheParents()
{
    const QString shop = exampleCopy(u"shop"_s);
    QVERIFY(!shop.isEmpty());
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, shop));
    const QString merge = u"32863478822d"_s;
    const QString error = triggerRevisionAction(window, merge, u"upgradeToHere"_s);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    const QString ran = runPreviewedPlan(window, 8);
    QVERIFY2(ran.isEmpty(), qPrintable(ran));

    // "-1" from a merge is an ambiguous walk: the window asks which parent instead of failing.
    QSignalSpy failed(window.session(), &DatabaseSession::failed);
    QTRY_VERIFY(window.downgradeOneAction()->isEnabled());
    window.downgradeOneAction()->trigger();
    QMenu *choices = window.downgradeChoices();
    QVERIFY(choices);
    QTRY_VERIFY(choices->isVisible());
    QStringList texts;
    QAction *toSensorAlerts = nullptr;
    for (QAction *action : choices->actions()) {
        if (action->isSeparator())
            continue;
        texts.append(action->text());
        if (action->text().contains(u"down to bcddf3f8350c"_s))
            toSensorAlerts = action;
    }
    QCOMPARE(texts.size(), 2);
    QVERIFY2(texts.at(0).contains(merge) && texts.at(1).contains(merge), qPrintable(texts.join(u'\n')));
    QVERIFY2(toSensorAlerts, qPrintable(texts.join(u'\n')));
    toSensorAlerts->trigger();
    // The plan of that choice, shown first as always: the merge reverted.
    const QString reverted = runPreviewedPlan(window, 1);
    QVERIFY2(reverted.isEmpty(), qPrintable(reverted));
    QVERIFY(failed.isEmpty());
    QVERIFY(!window.session()->state().isApplied(window.session()->map().indexOf(merge)));

    // Now at two heads: asked again, one choice per head.
    QTRY_VERIFY(window.downgradeOneAction()->isEnabled());
    window.downgradeOneAction()->trigger();
    QTRY_VERIFY(window.downgradeChoices() && window.downgradeChoices()->isVisible());
    int heads = 0;
    for (QAction *action : window.downgradeChoices()->actions())
        heads += action->isSeparator() ? 0 : 1;
    QCOMPARE(heads, 2);
    window.downgradeChoices()->close();
}

void TstMainWindowProjects::docksTakeAStripAndComeBackSane()
{
    const QString shop = exampleCopy(u"shop"_s);
    QVERIFY(!shop.isEmpty());
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, shop));
        // First start: the docks below are a strip, the graph has most of the height.
        auto *log = window.findChild<QDockWidget *>(u"logDock"_s);
        QVERIFY(log);
        QTRY_VERIFY(log->height() > 0);
        QVERIFY2(log->height() <= window.height() / 3,
                 qPrintable(u"%1 of %2"_s.arg(log->height()).arg(window.height())));
        QVERIFY(window.graphView()->height() > log->height());

        // A dock floated, then left at a size and place no screen has.
        auto *history = window.findChild<QDockWidget *>(u"historyDock"_s);
        history->setFloating(true);
        history->setGeometry(-5000, -4000, 9000, 7000);
        window.close();
    }
    MainWindow window;
    window.show();
    auto *history = window.findChild<QDockWidget *>(u"historyDock"_s);
    QVERIFY(history->isFloating());
    const QRect available = window.screen()->availableGeometry();
    QVERIFY2(available.contains(history->geometry()), qPrintable(u"%1,%2 %3x%4 on %5x%6"_s.arg(history->x())
                                                                     .arg(history->y())
                                                                     .arg(history->width())
                                                                     .arg(history->height())
                                                                     .arg(available.width())
                                                                     .arg(available.height())));
    QVERIFY(history->width() >= std::min(360, available.width()) &&
            history->height() >= std::min(220, available.height()));
}

QTEST_MAIN(TstMainWindowProjects)
#include "tst_mainwindow_projects.moc"
