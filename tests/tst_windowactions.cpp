// SPDX-License-Identifier: MIT
#include "dialogs/aboutdialog.h"
#include "dialogs/gettingstarteddialog.h"
#include "dialogs/newrevisiondialog.h"
#include "dialogs/planpreviewdialog.h"
#include "editor/findbar.h"
#include "editor/scripteditor.h"
#include "mainwindowdriver.h"
#include "revisions/revisiongraphpanel.h"
#include "revisions/revisiongraphview.h"
#include "run/databasesession.h"
#include "testfiles.h"
#include "window/actiontable.h"
#include "window/mainwindow.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>
#include <QWidgetAction>

using namespace Qt::StringLiterals;
using namespace qmigrate;

// The window from the keyboard: shortcuts that do what their menu item says, shown in menus and tooltips,
// and a mnemonic for every menu and menu item.
class TstWindowActions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void shortcutsAreShownInMenusAndTooltips();
    void everyMenuItemHasItsOwnMnemonic();
    void everyToolbarActionIsInAMenu();
    void shortcutsDoWhatTheMenuSays();
    void ctrlFFindsARevisionInTheGraphAndTextInTheEditor();
    void helpShowsGettingStartedAndAbout();

private:
    // Opens a copy of the bundled example in a shown, active window.
    bool openExample(MainWindow &window);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TstWindowActions::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"qmigrate"_s);
}

void TstWindowActions::init()
{
    QSettings().clear();
    m_dir = std::make_unique<QTemporaryDir>();
}

bool TstWindowActions::openExample(MainWindow &window)
{
    if (!m_dir->isValid() || !copyExample(m_dir->path()))
        return false;
    window.show();
    if (!QTest::qWaitForWindowActive(&window))
        return false;
    return openAndWait(window, m_dir->filePath(u"alembic.ini"_s));
}

void TstWindowActions::shortcutsAreShownInMenusAndTooltips()
{
    MainWindow window;
    QVERIFY(openExample(window));
    const QList<std::pair<QString, QKeySequence>> expected = {
        {u"upgradeHead"_s, QKeySequence(u"Ctrl+Shift+U"_s)},
        {u"downgradeOne"_s, QKeySequence(u"Ctrl+Shift+D"_s)},
        {u"refresh"_s, QKeySequence(u"F5"_s)},
        {u"findRevision"_s, QKeySequence(u"Ctrl+F"_s)},
        {u"newRevision"_s, QKeySequence(u"Ctrl+N"_s)},
    };
    for (const auto &[name, shortcut] : expected) {
        const QAction *action = window.findChild<QAction *>(name);
        QVERIFY2(action, qPrintable(name));
        QCOMPARE(action->shortcut(), shortcut);
        // A menu item shows its action's shortcut; a toolbar button only its tooltip.
        const QString keys = shortcut.toString(QKeySequence::NativeText);
        QVERIFY2(action->toolTip().endsWith(u" ("_s + keys + u')'),
                 qPrintable(name + u": "_s + action->toolTip()));
        QVERIFY2(!action->toolTip().contains(u'&'), qPrintable(action->toolTip()));
    }
    // An action with its own tooltip keeps it; one without gets its menu text as a sentence.
    QCOMPARE(window.findChild<QAction *>(u"newRevision"_s)->toolTip(),
             u"New Revision (%1)"_s.arg(QKeySequence(u"Ctrl+N"_s).toString(QKeySequence::NativeText)));
    QVERIFY(window.upgradeHeadAction()->toolTip().startsWith(u"Upgrade the selected database"_s));
}

void TstWindowActions::everyMenuItemHasItsOwnMnemonic()
{
    MainWindow window;
    QVERIFY(openExample(window));
    QSet<QChar> menuLetters;
    const QList<QAction *> menus = window.menuBar()->actions();
    QVERIFY(menus.size() >= 4);
    for (const QAction *menuAction : menus) {
        const QChar menuLetter = ActionTable::mnemonicOf(menuAction->text()).value_or(QChar());
        QVERIFY2(!menuLetter.isNull(), qPrintable(u"menu without a mnemonic: "_s + menuAction->text()));
        QVERIFY2(!menuLetters.contains(menuLetter),
                 qPrintable(u"menu mnemonic used twice: "_s + menuAction->text()));
        menuLetters.insert(menuLetter);
        QSet<QChar> letters;
        for (const QAction *item : menuAction->menu()->actions()) {
            if (item->isSeparator())
                continue;
            const QString where = menuAction->text() + u" > "_s + item->text();
            const QChar letter = ActionTable::mnemonicOf(item->text()).value_or(QChar());
            QVERIFY2(!letter.isNull(), qPrintable(u"no mnemonic: "_s + where));
            QVERIFY2(!letters.contains(letter), qPrintable(u"mnemonic used twice in its menu: "_s + where));
            letters.insert(letter);
        }
    }
}

void TstWindowActions::everyToolbarActionIsInAMenu()
{
    MainWindow window;
    QVERIFY(openExample(window));
    QSet<const QAction *> inMenus;
    for (const QAction *menuAction : window.menuBar()->actions()) {
        for (const QAction *item : menuAction->menu()->actions())
            inMenus.insert(item);
    }
    const auto toolBars = window.findChildren<QToolBar *>();
    QVERIFY(!toolBars.isEmpty());
    int buttons = 0;
    for (const QToolBar *toolBar : toolBars) {
        for (const QAction *action : toolBar->actions()) {
            if (action->isSeparator() || qobject_cast<const QWidgetAction *>(action))
                continue;
            ++buttons;
            QVERIFY2(inMenus.contains(action), qPrintable(u"only on the toolbar: "_s + action->text()));
        }
    }
    QVERIFY(buttons >= 5);
    // The toolbar's database list is a widget, so the menu has an item that opens it.
    QAction *choose = window.findChild<QAction *>(u"chooseDatabase"_s);
    QVERIFY(choose);
    QVERIFY(inMenus.contains(choose));
    auto *combo = window.findChild<QComboBox *>(u"connectionCombo"_s);
    QVERIFY(combo);
    choose->trigger();
    QTRY_VERIFY(combo->view()->isVisible());
    combo->hidePopup();
    QTRY_VERIFY(combo->hasFocus());
}

void TstWindowActions::shortcutsDoWhatTheMenuSays()
{
    MainWindow window;
    QVERIFY(openExample(window));
    window.graphView()->setFocus();
    QTRY_VERIFY(window.graphView()->hasFocus());

    // Upgrade to Head: the plan preview of the whole project.
    PlanPreviewDialog *preview = window.planPreview();
    QVERIFY(!preview->isVisible());
    QTest::keyClick(window.graphView(), Qt::Key_U, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(preview->isVisible());
    QVERIFY(preview->stepCount() > 1);
    preview->reject();
    QTRY_VERIFY(!preview->isVisible());

    // Refresh reads the project and the database again.
    // The offscreen platform gives no window the focus back when a dialog closes; a window manager does.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTRY_VERIFY(window.findChild<QAction *>(u"refresh"_s)->isEnabled());
    QSignalSpy stateRead(window.session(), &DatabaseSession::stateChanged);
    QTest::keyClick(window.graphView(), Qt::Key_F5);
    QVERIFY(stateRead.wait(20000));

    // New Revision opens its dialog.
    QTRY_VERIFY(window.newRevisionAction()->isEnabled());
    QTest::keyClick(window.graphView(), Qt::Key_N, Qt::ControlModifier);
    QTRY_VERIFY(window.newRevisionDialog() && window.newRevisionDialog()->isVisible());
    window.newRevisionDialog()->reject();
}

void TstWindowActions::ctrlFFindsARevisionInTheGraphAndTextInTheEditor()
{
    MainWindow window;
    QVERIFY(openExample(window));
    QLineEdit *search = window.graphPanel()->searchField();

    window.graphView()->setFocus();
    QTRY_VERIFY(window.graphView()->hasFocus());
    QTest::keyClick(window.graphView(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(search->hasFocus());

    // From the revision list too.
    window.revisionView()->setFocus();
    QTRY_VERIFY(window.revisionView()->hasFocus());
    QTest::keyClick(window.revisionView(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(search->hasFocus());

    // In the editor, Ctrl+F is the editor's own find bar, and the graph's search is left alone.
    ScriptEditor *editor = window.findChild<ScriptEditor *>();
    QVERIFY(editor);
    QTRY_VERIFY(!editor->text().isEmpty());
    auto *tabs = window.findChild<QTabWidget *>();
    QVERIFY(tabs);
    tabs->setCurrentWidget(editor);
    QWidget *editorArea = editor->textEdit();
    editorArea->setFocus();
    QTRY_VERIFY(editorArea->hasFocus());
    QVERIFY(!editor->findBar()->isVisible());
    QTest::keyClick(editorArea, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(editor->findBar()->isVisible());
    QVERIFY(!search->hasFocus());
}

void TstWindowActions::helpShowsGettingStartedAndAbout()
{
    QCoreApplication::setApplicationVersion(u"9.8.7"_s);
    MainWindow window;
    QVERIFY(openExample(window));

    // F1: the workflow in this app.
    QAction *gettingStarted = window.findChild<QAction *>(u"gettingStarted"_s);
    QVERIFY(gettingStarted);
    QCOMPARE(gettingStarted->shortcut(), QKeySequence(QKeySequence::HelpContents));
    gettingStarted->trigger();
    QTRY_VERIFY(window.gettingStartedDialog() && window.gettingStartedDialog()->isVisible());
    const QString guide = window.gettingStartedDialog()->browser()->toPlainText();
    for (const QString &topic : {u"Open a project"_s, u"Browse"_s, u"Create and edit revisions"_s,
                                 u"Upgrade and downgrade"_s, u"Offline SQL"_s, u"Alembic projects"_s})
        QVERIFY2(guide.contains(topic), qPrintable(topic));
    window.gettingStartedDialog()->close();

    // About: version, Qt, the drivers found, the licence.
    window.findChild<QAction *>(u"about"_s)->trigger();
    QTRY_VERIFY(window.aboutDialog() && window.aboutDialog()->isVisible());
    const QString about = window.aboutDialog()->summaryText();
    QVERIFY2(about.contains(u"qmigrate 9.8.7"_s), qPrintable(about));
    QVERIFY2(about.contains(u"Qt "_s + QString::fromLatin1(qVersion())), qPrintable(about));
    QVERIFY2(about.contains(u"SQLite (QSQLITE): found"_s), qPrintable(about));
    QVERIFY2(about.contains(u"MIT"_s), qPrintable(about));
    QVERIFY(window.aboutDialog()->licenceText().startsWith(u"MIT License"_s));
    // A missing driver says which package brings it.
    QCOMPARE(AboutDialog::driverLines({u"QSQLITE"_s}).at(1),
             u"  PostgreSQL (QPSQL): missing — install libqt6sql6-psql"_s);
    window.aboutDialog()->close();
}

QTEST_MAIN(TstWindowActions)
#include "tst_windowactions.moc"
