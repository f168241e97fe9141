// SPDX-License-Identifier: MIT
#include "connections/connectionprofile.h"
#include "connections/connectionprofilestore.h"
#include "connections/connectionselector.h"
#include "connections/passwordstore.h"
#include "database/databaseconnection.h"
#include "dialogs/migrationerrordialog.h"
#include "dialogs/newrevisiondialog.h"
#include "dialogs/planpreviewdialog.h"
#include "editor/scripteditor.h"
#include "execution/migrator.h"
#include "mainwindowdriver.h"
#include "revisions/revisiondetails.h"
#include "revisions/revisiongraphview.h"
#include "revisions/revisionlistmodel.h"
#include "run/databasesession.h"
#include "run/historyfilterproxymodel.h"
#include "run/historymodel.h"
#include "run/historytable.h"
#include "run/logmodel.h"
#include "run/logpanel.h"
#include "run/runprogresswidget.h"
#include "scripts/scriptchecksum.h"
#include "testservers.h"
#include "window/mainwindow.h"

#include <Qsci/qsciscintilla.h>

#include "testfiles.h"
#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace qmigrate;
using Node = DatabaseState::Node;

namespace {

const QString base = u"cf60bc0183a4"_s;
const QString devices = u"83ca92fed024"_s;
const QString firmware = u"0169b51572d2"_s;
const QString head = u"9abc688b6311"_s;
QStringList versionRows(const MainWindow &window, const DatabaseUrl &url)
{
    Migrator migrator(window.session()->map(), url, window.session()->controller()->options());
    Expected<QStringList> rows = migrator.currentRows();
    return rows ? *rows : QStringList{u"<error: "_s + rows.error().toString() + u'>'};
}

} // namespace

class TstMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void opensBundledExample();
    void reportsBrokenProject();
    void opensAFolder();
    void graphListAndEditorFollowTheSelection();
    void upgradeAndDowngradeToHereOnSqlite();
    void failingRevisionShowsTheErrorDialog();
    void upgradeAndDowngradeToHereOnPostgresql();
    void recentProjectsAndStartup();
    void newProject();
    void newRevisionAndMergeFromTheGraph();
    void autogenerateFromTheDialog();
    void adoptTheSelectedDatabase();
    void editedPendingRevisionRunsAsSaved();
    void revisionWrittenOutsideShowsUpAndRuns();
    void fileChangedBetweenPreviewAndRunIsRefused();
    void brokenFileKeepsTheLastGoodProject();
    void unsavedEditsAskBeforeSwitching();
    void appliedRevisionEditedSinceIsMarked();

private:
    // Right-click menu action of a revision's row, triggered.
    void trigger(MainWindow &window, const QString &id, const QString &action);
    // Waits for the plan preview, checks its step count, clicks Run and waits for the run to end.
    void runPreviewedPlan(MainWindow &window, int steps, bool expectOk = true);
    // Copies the bundled example into dir, shows the window and opens the copy (openAndWait).
    bool openExampleCopy(MainWindow &window, const QTemporaryDir &dir);

    std::unique_ptr<QTemporaryDir> m_config;
};

void TstMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"qmigrate"_s); // as the application sets it
}

void TstMainWindow::init()
{
    // Every test starts without recent projects, window state or connection profiles.
    QSettings().clear();
}

void TstMainWindow::trigger(MainWindow &window, const QString &id, const QString &action)
{
    const QString error = triggerRevisionAction(window, id, action);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstMainWindow::runPreviewedPlan(MainWindow &window, int steps, bool expectOk)
{
    const QString error = ::runPreviewedPlan(window, steps, expectOk);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TstMainWindow::opensBundledExample()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    MainWindow window;
    QAbstractItemModelTester tester(window.revisionModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester historyTester(window.historyTable()->model(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(window.historyTable()->proxyModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));

    const RevisionListModel *model = window.revisionModel();
    QCOMPARE(model->rowCount(), 10);
    QVERIFY(model->index(0, RevisionListModel::MarkersColumn).data().toString().contains(u"head"_s));
    QCOMPARE(model->index(model->rowCount() - 1, RevisionListModel::ParentsColumn).data().toString(),
             u"<base>"_s);
    // The head is selected, its details shown and its script open.
    QCOMPARE(window.graphView()->selectedRevision(), head);
    QCOMPARE(window.revisionDetails()->revisionId(), head);
    QVERIFY(window.scriptEditor()->filePath().contains(head));
    // The project's own SQLite database is selected; it is empty, so everything is pending.
    QVERIFY(window.session()->databaseName().endsWith(u"/example.db"_s));
    QVERIFY(window.session()->state().isAtBase());
    QCOMPARE(window.graphView()->nodeState(base), Node::Pending);
    QVERIFY(window.upgradeHeadAction()->isEnabled());
    QVERIFY(!window.downgradeOneAction()->isEnabled()); // nothing to revert
}

void TstMainWindow::reportsBrokenProject()
{
    MainWindow window;
    QSignalSpy failed(&window, &MainWindow::projectFailed);
    window.openProject(u"/nonexistent/alembic.ini"_s);
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().toString().contains(u"/nonexistent/alembic.ini"_s));
    QCOMPARE(window.revisionModel()->rowCount(), 0);
}

void TstMainWindow::opensAFolder()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    MainWindow window;
    QVERIFY(openAndWait(window, dir.path())); // the folder holding alembic.ini
    QCOMPARE(window.revisionModel()->rowCount(), 10);
    QSignalSpy failed(&window, &MainWindow::projectFailed);
    window.openProject(dir.filePath(u"versions"_s)); // no alembic.ini there or above it? there is: above
    QVERIFY(failed.isEmpty());
    QTemporaryDir empty;
    window.openProject(empty.path());
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().first().toString().startsWith(u"No alembic.ini in "_s),
             qPrintable(failed.first().first().toString()));
}

void TstMainWindow::graphListAndEditorFollowTheSelection()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));
    QTRY_COMPARE(window.graphView()->selectedRevision(), head);

    // Selecting in the graph moves the list, the details and the editor.
    window.graphView()->setFocus();
    QTest::keyClick(window.graphView(), Qt::Key_Down);
    const QString second = window.revisionModel()->index(1, 0).data().toString();
    QCOMPARE(window.graphView()->selectedRevision(), second);
    QCOMPARE(window.revisionView()->currentIndex().row(), 1);
    QCOMPARE(window.revisionDetails()->revisionId(), second);
    QVERIFY(window.scriptEditor()->filePath().contains(second));

    // Unsaved edits are never thrown away to follow the selection.
    QTest::keyClicks(window.scriptEditor()->textEdit(), u"-- note "_s);
    QVERIFY(window.scriptEditor()->isModified());
    QTest::keyClick(window.graphView(), Qt::Key_Down);
    QCOMPARE(window.graphView()->selectedRevision(), window.revisionModel()->index(2, 0).data().toString());
    QVERIFY(window.scriptEditor()->filePath().contains(second));
}

bool TstMainWindow::openExampleCopy(MainWindow &window, const QTemporaryDir &dir)
{
    if (!copyExample(dir.path()))
        return false;
    window.show();
    return openAndWait(window, dir.filePath(u"alembic.ini"_s));
}

namespace {

const QString headFile = u"versions/9abc688b6311_add_contact_email_to_locations.sql"_s;

// The head of the example with another column added by its upgrade.
QString headRevisionText(const QString &column)
{
    return u"-- add contact email to locations\n--\n-- Revision ID: 9abc688b6311\n-- Revises: 2f2467916363\n"
           u"-- Branch labels:\n-- Depends on:\n-- Create Date: 2026-06-15 17:23:12.806453\n\n"
           u"-- migrate:upgrade\nALTER TABLE locations ADD COLUMN %1 VARCHAR(254);\n\n"
           u"-- migrate:downgrade\nALTER TABLE locations DROP COLUMN %1;\n"_s.arg(column);
}

QStringList columnsOf(const DatabaseUrl &url, const QString &baseDirectory, const QString &table)
{
    Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(url, baseDirectory);
    if (!connection)
        return {u"<error: "_s + connection.error().toString() + u'>'};
    QSqlQuery query((*connection)->database());
    QStringList columns;
    if (!query.exec(u"SELECT name FROM pragma_table_info('%1')"_s.arg(table)))
        return {u"<error>"_s};
    while (query.next())
        columns.append(query.value(0).toString());
    return columns;
}

// The newest audit row of a revision (the window's history dock reads them all).
HistoryEntry newestEntryOf(const MainWindow &window, const QString &revision)
{
    for (const HistoryEntry &entry : window.session()->history()) {
        if (entry.revision == revision)
            return entry;
    }
    return {};
}

QString normalizedFile(const QString &path)
{
    const Expected<ScriptChecksum::Script> script = ScriptChecksum::readFile(path);
    return script ? script->text : QString();
}

} // namespace

// The SQL that runs is the SQL saved, whether it was saved outside the app or in its editor: the preview
// shows it, the database gets it, and the audit history records exactly it.
void TstMainWindow::editedPendingRevisionRunsAsSaved()
{
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(openExampleCopy(window, dir));
    const DatabaseUrl url = *window.session()->url();
    const QString headPath = dir.filePath(headFile);

    // Another editor saves the pending head: the project is read again without a refresh.
    QVERIFY(writeAndWaitForReread(window, headPath, headRevisionText(u"contact_phone"_s)));
    window.upgradeHeadAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.planPreview()->isVisible(), 20000);
    const int last = window.planPreview()->stepCount() - 1;
    QVERIFY2(window.planPreview()->sqlOfStep(last).contains(u"contact_phone"_s),
             qPrintable(window.planPreview()->sqlOfStep(last)));
    runPreviewedPlan(window, 10);
    QCOMPARE(versionRows(window, url), QStringList{head});
    QVERIFY(columnsOf(url, dir.path(), u"locations"_s).contains(u"contact_phone"_s));
    QVERIFY(!columnsOf(url, dir.path(), u"locations"_s).contains(u"contact_email"_s));
    QCOMPARE(newestEntryOf(window, head).scriptText, normalizedFile(headPath));

    // Back one step, then the app's own editor changes the head again and saves it.
    window.downgradeOneAction()->trigger();
    runPreviewedPlan(window, 1);
    QVERIFY(!columnsOf(url, dir.path(), u"locations"_s).contains(u"contact_phone"_s));
    window.graphView()->selectRevision(head);
    QTRY_COMPARE(window.scriptEditor()->filePath(), QFileInfo(headPath).absoluteFilePath());
    QSignalSpy reread(&window, &MainWindow::projectLoaded);
    QsciScintilla *text = window.scriptEditor()->textEdit();
    text->setText(text->text().replace(u"contact_phone"_s, u"contact_fax"_s));
    QVERIFY(window.scriptEditor()->isModified());
    QString error;
    QVERIFY2(window.scriptEditor()->save(&error), qPrintable(error));
    QVERIFY(reread.wait(20000));
    window.upgradeHeadAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.planPreview()->isVisible(), 20000);
    QVERIFY2(window.planPreview()->sqlOfStep(0).contains(u"contact_fax"_s),
             qPrintable(window.planPreview()->sqlOfStep(0)));
    runPreviewedPlan(window, 1);
    QVERIFY(columnsOf(url, dir.path(), u"locations"_s).contains(u"contact_fax"_s));
    const HistoryEntry ran = newestEntryOf(window, head);
    QCOMPARE(ran.direction, HistoryEntry::Direction::Upgrade);
    QVERIFY(ran.scriptText.contains(u"ADD COLUMN contact_fax"_s));
    QCOMPARE(ran.scriptText, normalizedFile(headPath));
}

// A revision written by another tool (qmigrate-cli create, git pull) shows up and can be run at once.
void TstMainWindow::revisionWrittenOutsideShowsUpAndRuns()
{
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(openExampleCopy(window, dir));
    const DatabaseUrl url = *window.session()->url();
    QCOMPARE(window.revisionModel()->rowCount(), 10);
    QVERIFY(writeAndWaitForReread(
        window, dir.filePath(u"versions/feedbeef0002_add_notes.sql"_s),
        u"-- add notes\n--\n-- Revision ID: feedbeef0002\n-- Revises: 9abc688b6311\n-- Branch labels:\n"
        u"-- Depends on:\n-- Create Date: 2026-12-04 00:00:00.000000\n\n-- migrate:upgrade\n"
        u"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n\n-- migrate:downgrade\nDROP TABLE notes;\n"_s));
    QCOMPARE(window.revisionModel()->rowCount(), 11);
    QTRY_VERIFY(window.graphView()->map().indexOf(u"feedbeef0002"_s) >= 0);
    window.upgradeHeadAction()->trigger();
    runPreviewedPlan(window, 11);
    QCOMPARE(versionRows(window, url), QStringList{u"feedbeef0002"_s});
    QCOMPARE(columnsOf(url, dir.path(), u"notes"_s), (QStringList{u"id"_s, u"body"_s}));
    window.graphView()->selectRevision(u"feedbeef0002"_s);
    QTRY_COMPARE(window.graphView()->nodeState(u"feedbeef0002"_s), Node::Current);
    QCOMPARE(window.graphView()->nodeState(head), Node::Applied);
}

// The preview is what runs: a file saved between the preview and Run refuses the run, naming the file.
void TstMainWindow::fileChangedBetweenPreviewAndRunIsRefused()
{
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(openExampleCopy(window, dir));
    const DatabaseUrl url = *window.session()->url();
    const QString headPath = dir.filePath(headFile);
    window.upgradeHeadAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.planPreview()->isVisible(), 20000);
    QVERIFY(window.planPreview()->sqlOfStep(9).contains(u"contact_email"_s));
    QVERIFY(writeAndWaitForReread(window, headPath, headRevisionText(u"contact_phone"_s)));
    QVERIFY(window.planPreview()->isVisible()); // the preview stays as the user saw it
    runPreviewedPlan(window, 10, false);
    MigrationErrorDialog *dialog = window.errorDialog();
    QTRY_VERIFY(dialog->isVisible());
    const QString shown =
        dialog->headingText() + u'\n' + dialog->locationText() + u'\n' + dialog->messageText();
    QVERIFY2(shown.contains(u"9abc688b6311_add_contact_email_to_locations.sql"_s), qPrintable(shown));
    QVERIFY2(shown.contains(u"changed since the preview: re-open the preview"_s), qPrintable(shown));
    QCOMPARE(versionRows(window, url), QStringList()); // nothing ran
    QVERIFY(!columnsOf(url, dir.path(), u"locations"_s).contains(u"contact_email"_s));

    // A new preview shows the saved text, and that is what runs.
    dialog->close();
    window.upgradeHeadAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window.planPreview()->isVisible(), 20000);
    QVERIFY(window.planPreview()->sqlOfStep(9).contains(u"contact_phone"_s));
    runPreviewedPlan(window, 10);
    QVERIFY(columnsOf(url, dir.path(), u"locations"_s).contains(u"contact_phone"_s));
}

// A half-typed header never empties the window: the last good project stays, a banner names the file and
// line, and fixing the file clears it.
void TstMainWindow::brokenFileKeepsTheLastGoodProject()
{
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(openExampleCopy(window, dir));
    const QString headPath = dir.filePath(headFile);
    const QString good = QString::fromUtf8(readAll(headPath));
    QString broken = good;
    broken.replace(u"-- Revises: 2f2467916363"_s, u"-- Revises: 2f24679163xx"_s);
    QFile file(headPath);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(broken.toUtf8());
    file.close();
    QTRY_VERIFY_WITH_TIMEOUT(window.projectBanner()->isVisible(), 20000);
    const QString banner = window.projectBanner()->text();
    QVERIFY2(banner.contains(u"9abc688b6311_add_contact_email_to_locations.sql:4"_s), qPrintable(banner));
    QVERIFY2(banner.contains(u"2f24679163xx"_s), qPrintable(banner));
    QCOMPARE(window.revisionModel()->rowCount(), 10); // the last good project
    QCOMPARE(window.graphView()->map().size(), 10);

    QVERIFY(writeAndWaitForReread(window, headPath, good + u"-- fixed\n"_s));
    QVERIFY(!window.projectBanner()->isVisible());
}

// Following the selection never drops unsaved edits silently: Save, Discard or Cancel.
void TstMainWindow::unsavedEditsAskBeforeSwitching()
{
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(openExampleCopy(window, dir));
    const QString headPath = QFileInfo(dir.filePath(headFile)).absoluteFilePath();
    const QByteArray onDisk = readAll(headPath);
    window.graphView()->selectRevision(head);
    QTRY_COMPARE(window.scriptEditor()->filePath(), headPath);
    QsciScintilla *text = window.scriptEditor()->textEdit();
    text->append(u"-- a note\n"_s);
    QVERIFY(window.scriptEditor()->isModified());

    // Cancel: the editor keeps the edits and the selection comes back to the revision being edited.
    window.graphView()->selectRevision(firmware);
    QTRY_VERIFY(window.unsavedEditsQuestion() && window.unsavedEditsQuestion()->isVisible());
    QTest::mouseClick(window.unsavedEditsQuestion()->button(QMessageBox::Cancel), Qt::LeftButton);
    QTRY_COMPARE(window.graphView()->selectedRevision(), head);
    QCOMPARE(window.scriptEditor()->filePath(), headPath);
    QVERIFY(window.scriptEditor()->isModified());

    // Discard: the other script opens; the file keeps its text.
    window.graphView()->selectRevision(firmware);
    QTRY_VERIFY(window.unsavedEditsQuestion() && window.unsavedEditsQuestion()->isVisible());
    QTest::mouseClick(window.unsavedEditsQuestion()->button(QMessageBox::Discard), Qt::LeftButton);
    QTRY_VERIFY(window.scriptEditor()->filePath().contains(firmware));
    QVERIFY(!window.scriptEditor()->isModified());
    QCOMPARE(readAll(headPath), onDisk);

    // Save: the edit is written, then the other script opens.
    window.graphView()->selectRevision(head);
    QTRY_COMPARE(window.scriptEditor()->filePath(), headPath);
    window.scriptEditor()->textEdit()->append(u"-- kept\n"_s);
    window.graphView()->selectRevision(firmware);
    QTRY_VERIFY(window.unsavedEditsQuestion() && window.unsavedEditsQuestion()->isVisible());
    QTest::mouseClick(window.unsavedEditsQuestion()->button(QMessageBox::Save), Qt::LeftButton);
    QTRY_VERIFY(window.scriptEditor()->filePath().contains(firmware));
    QVERIFY(readAll(headPath).contains("-- kept"));
}

// An applied revision whose file changes is marked at once: a chip on its node, and Details with the diff.
void TstMainWindow::appliedRevisionEditedSinceIsMarked()
{
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(openExampleCopy(window, dir));
    window.upgradeHeadAction()->trigger();
    runPreviewedPlan(window, 10);
    QVERIFY(!window.graphView()->isMarkedEdited(head));
    const QString headPath = dir.filePath(headFile);
    QVERIFY(writeAndWaitForReread(window, headPath, headRevisionText(u"contact_phone"_s)));
    QTRY_VERIFY(window.graphView()->isMarkedEdited(head));
    QVERIFY(!window.graphView()->isMarkedEdited(firmware));
    QCOMPARE(window.session()->editedScripts().size(), 1);
    window.graphView()->selectRevision(head);
    auto *edited = window.revisionDetails()->findChild<QLabel *>(u"editedValue"_s);
    auto *diff = window.revisionDetails()->findChild<QPlainTextEdit *>(u"editedDiff"_s);
    QVERIFY(edited && diff);
    QTRY_VERIFY(edited->isVisibleTo(window.revisionDetails()));
    QVERIFY2(edited->text().startsWith(u"Edited since applied"_s), qPrintable(edited->text()));
    QVERIFY2(
        diff->toPlainText().contains(u"-ALTER TABLE locations ADD COLUMN contact_email VARCHAR(254);"_s) &&
            diff->toPlainText().contains(u"+ALTER TABLE locations ADD COLUMN contact_phone VARCHAR(254);"_s),
        qPrintable(diff->toPlainText()));

    // Put back as it was applied: the mark goes.
    QVERIFY(writeAndWaitForReread(window, headPath, headRevisionText(u"contact_email"_s)));
    QTRY_VERIFY(!window.graphView()->isMarkedEdited(head));
    QVERIFY(!edited->isVisibleTo(window.revisionDetails()));
}

void TstMainWindow::upgradeAndDowngradeToHereOnSqlite()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));
    const DatabaseUrl url = *window.session()->url();

    // Upgrade to here on the firmware revision: locations, devices, firmware.
    QSignalSpy recoloured(window.session(), &DatabaseSession::stepFinished);
    trigger(window, firmware, u"upgradeToHere"_s);
    QVERIFY(QTest::qWaitFor([&] { return window.planPreview()->isVisible(); }, 20000));
    QCOMPARE(window.planPreview()->stepTexts().first(),
             u"1. upgrade base → cf60bc0183a4, create locations table"_s);
    runPreviewedPlan(window, 3);
    // The graph was recoloured as the steps went (merged when they come faster than ~30 a second).
    QVERIFY(recoloured.count() >= 1 && recoloured.count() <= 3);
    QCOMPARE(recoloured.last().at(0).toInt(), 2);
    QCOMPARE(versionRows(window, url), QStringList{firmware});
    RevisionGraphView *graph = window.graphView();
    QCOMPARE(graph->nodeState(firmware), Node::Current);
    QCOMPARE(graph->nodeState(devices), Node::Applied);
    QCOMPARE(graph->nodeState(base), Node::Applied);
    QCOMPARE(graph->nodeState(head), Node::Pending);
    QCOMPARE(window.runProgress()->progressBar()->value(), 3);
    // The script of an applied revision says so.
    QVERIFY(window.scriptEditor()->appliedBannerText().startsWith(u"Applied on "_s));
    // The history dock shows the three steps.
    QCOMPARE(window.historyTable()->model()->rowCount(), 3);

    // Downgrade to here on devices: firmware is reverted.
    trigger(window, devices, u"downgradeToHere"_s);
    runPreviewedPlan(window, 1);
    QCOMPARE(versionRows(window, url), QStringList{devices});
    QCOMPARE(graph->nodeState(devices), Node::Current);
    QCOMPARE(graph->nodeState(firmware), Node::Pending);
    QCOMPARE(window.historyTable()->model()->rowCount(), 4);
    QCOMPARE(window.historyTable()->model()->entry(0).direction, HistoryEntry::Direction::Downgrade);
    QVERIFY(window.revisionDetails()->stateText().startsWith(u"Applied on "_s));

    // Cancelling the preview runs nothing.
    trigger(window, head, u"upgradeToHere"_s);
    QTRY_VERIFY(window.planPreview()->isVisible());
    QTest::mouseClick(window.planPreview()->cancelButton(), Qt::LeftButton);
    QVERIFY(!window.session()->hasPreparedPlan());
    QVERIFY(!window.session()->isRunning());
    QCOMPARE(versionRows(window, url), QStringList{devices});

    // Stamp here writes the version table only: one stamp step, no script runs.
    trigger(window, head, u"stampHere"_s);
    runPreviewedPlan(window, 1);
    QCOMPARE(versionRows(window, url), QStringList{head});
    QCOMPARE(graph->nodeState(head), Node::Current);
    QCOMPARE(window.historyTable()->model()->entry(0).direction, HistoryEntry::Direction::Stamp);
}

void TstMainWindow::failingRevisionShowsTheErrorDialog()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    // A revision on top of the head whose second statement fails: the table exists already.
    const QString failing = dir.filePath(u"versions/feedbeef0001_broken.sql"_s);
    QFile file(failing);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("-- broken\n--\n-- Revision ID: feedbeef0001\n-- Revises: 9abc688b6311\n-- Branch labels:\n"
               "-- Depends on:\n-- Create Date: 2026-12-01 00:00:00.000000\n\n-- migrate:upgrade\n"
               "CREATE TABLE audit_notes (id INTEGER PRIMARY KEY);\nCREATE TABLE locations (id INTEGER);\n\n"
               "-- migrate:downgrade\nDROP TABLE audit_notes;\n");
    file.close();

    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));
    const DatabaseUrl url = *window.session()->url();
    trigger(window, head, u"upgradeToHere"_s);
    runPreviewedPlan(window, 10);
    QCOMPARE(versionRows(window, url), QStringList{head});

    // Upgrade to head: the one step fails, the error dialog names revision, file and line.
    window.upgradeHeadAction()->trigger();
    runPreviewedPlan(window, 1, false);
    MigrationErrorDialog *dialog = window.errorDialog();
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY2(dialog->headingText().contains(u"feedbeef0001"_s), qPrintable(dialog->headingText()));
    QVERIFY2(dialog->locationText().contains(u"feedbeef0001_broken.sql"_s) &&
                 dialog->locationText().contains(u"line 11"_s),
             qPrintable(dialog->locationText()));
    QVERIFY2(dialog->messageText().contains(u"already exists"_s), qPrintable(dialog->messageText()));
    QVERIFY2(dialog->stateText().contains(head), qPrintable(dialog->stateText()));
    // The database is still at the previous step, and the graph says so.
    QCOMPARE(versionRows(window, url), QStringList{head});
    QCOMPARE(window.graphView()->nodeState(head), Node::Current);
    QCOMPARE(window.graphView()->nodeState(u"feedbeef0001"_s), Node::Pending);
    QCOMPARE(window.historyTable()->model()->entry(0).outcome, HistoryEntry::Outcome::Failed);

    // "Open at the failing line" opens the script there.
    QTest::mouseClick(dialog->openButton(), Qt::LeftButton);
    QCOMPARE(QFileInfo(window.scriptEditor()->filePath()).fileName(), u"feedbeef0001_broken.sql"_s);
    QCOMPARE(window.scriptEditor()->cursorLine(), 11);
    // The failing line carries the server's message.
    QVERIFY2(window.scriptEditor()->diagnosticText(11).contains(u"already exists"_s),
             qPrintable(window.scriptEditor()->diagnosticText(11)));
    // The failure is in the log too, as a diagnostic naming the file and line.
    bool logged = false;
    for (int row = 0; row < window.logPanel()->model()->rowCount(); ++row)
        logged = logged || window.logPanel()->model()->index(row).data().toString().contains(
                               u"feedbeef0001_broken.sql:11"_s);
    QVERIFY(logged);
}

void TstMainWindow::upgradeAndDowngradeToHereOnPostgresql()
{
    const TestServer server = TestServers::freshDatabase(TestServers::postgresql(), u"gui_flow"_s);
    QMIGRATE_REQUIRE_SERVER(server);
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));

    // A saved connection profile; the password goes through the PasswordStore (the keychain, or this
    // session's memory where no keychain runs), never into the settings.
    ConnectionProfile profile = ConnectionProfile::fromUrl(u"test server"_s, server.url());
    QString error;
    QVERIFY2(window.profileStore()->addOrUpdate(profile, &error), qPrintable(error));
    window.passwordStore()->setSessionPassword(profile.name, server.password);
    QSignalSpy state(window.session(), &DatabaseSession::stateChanged);
    QVERIFY(window.connectionSelector()->selectProfile(profile.name));
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->databaseName().startsWith(u"postgresql://"_s), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->state().isKnown(), 20000);
    QVERIFY(window.session()->state().isAtBase());
    const DatabaseUrl url = *window.session()->url();
    QCOMPARE(url.backend(), DatabaseUrl::Backend::PostgreSQL);

    trigger(window, head, u"upgradeToHere"_s);
    runPreviewedPlan(window, 10);
    QCOMPARE(versionRows(window, url), QStringList{head});
    QCOMPARE(window.graphView()->nodeState(head), Node::Current);
    QCOMPARE(window.graphView()->nodeState(firmware), Node::Applied);

    trigger(window, base, u"downgradeToHere"_s);
    runPreviewedPlan(window, 9);
    QCOMPARE(versionRows(window, url), QStringList{base});
    QCOMPARE(window.graphView()->nodeState(base), Node::Current);
    QCOMPARE(window.graphView()->nodeState(head), Node::Pending);
    QCOMPARE(window.historyTable()->model()->rowCount(), 19);
}

void TstMainWindow::recentProjectsAndStartup()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    QCOMPARE(MainWindow::startupProject(), QString()); // first start: the welcome page
    {
        MainWindow window;
        QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));
        QCOMPARE(window.recentProjects(), QStringList{dir.filePath(u"alembic.ini"_s)});
    }
    QCOMPARE(MainWindow::startupProject(), dir.filePath(u"alembic.ini"_s));
    QFile::remove(dir.filePath(u"alembic.ini"_s));
    QCOMPARE(MainWindow::startupProject(), QString()); // gone: the welcome page again
}

void TstMainWindow::newProject()
{
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    QVERIFY(window.createProject(dir.filePath(u"fresh"_s)));
    QVERIFY(loaded.wait(20000));
    QCOMPARE(loaded.first().at(0).toString(), dir.filePath(u"fresh/alembic.ini"_s));
    QVERIFY(QFileInfo::exists(dir.filePath(u"fresh/script.sql.tmpl"_s)));
    QCOMPARE(window.revisionModel()->rowCount(), 0);
    QTRY_VERIFY(window.session()->state().isKnown()); // its own SQLite database, empty
    QVERIFY(window.session()->state().isAtBase());
    // A second time is refused and writes nothing.
    QVERIFY(!window.createProject(dir.filePath(u"fresh"_s)));
}

void TstMainWindow::newRevisionAndMergeFromTheGraph()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));
    QVERIFY(!window.mergeHeadsAction()->isEnabled()); // one head

    // "New revision on top…" of the head: the dialog writes it, the project is read again, it is selected.
    trigger(window, head, u"newRevisionOnTop"_s);
    NewRevisionDialog *dialog = window.newRevisionDialog();
    QTRY_VERIFY(dialog->isVisible());
    QTest::keyClicks(dialog->messageEdit(), u"add firmware rollout table"_s);
    QSignalSpy reloaded(&window, &MainWindow::projectLoaded);
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QVERIFY(reloaded.wait(20000));
    QCOMPARE(window.revisionModel()->rowCount(), 11);
    const QString newHead = window.session()->map().idOf(window.session()->map().realHeads().first());
    QTRY_COMPARE(window.graphView()->selectedRevision(), newHead);
    QVERIFY(window.scriptEditor()->filePath().endsWith(newHead + u"_add_firmware_rollout_table.sql"_s));

    // A second revision on an older one (spliced) makes two heads; Merge Heads joins them again.
    trigger(window, u"2f2467916363"_s, u"newRevisionOnTop"_s);
    QTRY_VERIFY(dialog->isVisible());
    QTest::keyClicks(dialog->messageEdit(), u"hotfix"_s);
    dialog->spliceCheck()->setChecked(true);
    reloaded.clear();
    QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->errorText()));
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QVERIFY2(reloaded.wait(20000), qPrintable(dialog->errorText()));
    QCOMPARE(window.session()->map().realHeads().size(), 2);
    QTRY_VERIFY(!window.graphView()->headerWarning().isEmpty());
    QVERIFY(window.mergeHeadsAction()->isEnabled());
    window.mergeHeadsAction()->trigger();
    QTRY_VERIFY(dialog->isVisible());
    QCOMPARE(dialog->mode(), NewRevisionDialog::Mode::Merge);
    QCOMPARE(dialog->checkedMergeHeads().size(), 2);
    QTest::keyClicks(dialog->messageEdit(), u"merge hotfix"_s);
    reloaded.clear();
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QVERIFY(reloaded.wait(20000));
    QCOMPARE(window.revisionModel()->rowCount(), 13);
    QCOMPARE(window.session()->map().realHeads().size(), 1);
    QTRY_VERIFY(window.graphView()->headerWarning().isEmpty());
    QVERIFY(!window.mergeHeadsAction()->isEnabled());
}

void TstMainWindow::autogenerateFromTheDialog()
{
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path()));
    QByteArray model = readAll(dir.filePath(u"schema.sql"_s));
    QVERIFY(model.contains("    contact_email VARCHAR(254)\n"));
    model.replace("    contact_email VARCHAR(254)\n",
                  "    contact_email VARCHAR(254),\n    phone VARCHAR(32)\n");
    QVERIFY(writeAll(dir.filePath(u"schema.sql"_s), model));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"alembic.ini"_s)));
    window.newRevisionAction()->trigger();
    NewRevisionDialog *dialog = window.newRevisionDialog();
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY2(dialog->autogenerateCheck()->isEnabled(), qPrintable(dialog->autogenerateCheck()->toolTip()));
    dialog->autogenerateCheck()->setChecked(true);
    QTest::keyClicks(dialog->messageEdit(), u"add location phone"_s);
    QSignalSpy reloaded(&window, &MainWindow::projectLoaded);
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QVERIFY2(reloaded.wait(30000), qPrintable(dialog->errorText()));
    // The draft is the new head's script, open in the editor.
    const QString script = QString::fromUtf8(readAll(window.scriptEditor()->filePath()));
    QVERIFY2(script.contains(u"ALTER TABLE locations ADD COLUMN phone varchar(32);"_s), qPrintable(script));
    QVERIFY2(script.contains(u"-- qmigrate: review: column locations.phone is dropped"_s),
             qPrintable(script));
    // In merge mode there is nothing to draft.
    window.mergeHeadsAction()->setEnabled(true);
    window.mergeHeadsAction()->trigger();
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY(!dialog->autogenerateCheck()->isEnabled());
    dialog->reject();
}

void TstMainWindow::adoptTheSelectedDatabase()
{
    // An existing database without migrations, picked as the connection of some open project.
    QTemporaryDir dir;
    QVERIFY(copyExample(dir.path() + u"/current"_s));
    const QString shop = dir.filePath(u"shop.db"_s);
    {
        const DatabaseUrl url = *DatabaseUrl::parse(u"sqlite:///"_s + shop);
        auto connection = DatabaseConnection::open(url, QString());
        QVERIFY(connection);
        QSqlQuery query((*connection)->database());
        QVERIFY(
            query.exec(u"CREATE TABLE customers (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL)"_s));
        QVERIFY(query.exec(u"CREATE INDEX ix_customers_email ON customers (email)"_s));
    }
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, dir.filePath(u"current/alembic.ini"_s)));
    ConnectionProfile profile =
        ConnectionProfile::fromUrl(u"shop"_s, *DatabaseUrl::parse(u"sqlite:///"_s + shop));
    QVERIFY(window.profileStore()->addOrUpdate(profile));
    QVERIFY(window.connectionSelector()->selectProfile(profile.name));
    QTRY_VERIFY(window.session()->databaseName().endsWith(u"/shop.db"_s));

    QSignalSpy adopted(&window, &MainWindow::adoptionFinished);
    QSignalSpy loaded(&window, &MainWindow::projectLoaded);
    window.adoptDatabase(dir.filePath(u"adopted"_s));
    QVERIFY(adopted.wait(30000));
    QVERIFY2(adopted.first().at(0).toBool(), qPrintable(adopted.first().at(1).toString()));
    // The adopted project may have been read before the adoption's own answer arrived.
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
    QCOMPARE(loaded.last().at(0).toString(), dir.filePath(u"adopted/alembic.ini"_s));
    // The new project has the baseline, and its own URL is the adopted database, stamped at it.
    QCOMPARE(window.revisionModel()->rowCount(), 1);
    QTRY_VERIFY(window.session()->state().isKnown());
    QVERIFY(window.session()->databaseName().endsWith(u"/shop.db"_s));
    const QString baseline = window.session()->map().idOf(0);
    QCOMPARE(window.graphView()->nodeState(baseline), Node::Current);
    // Adopting it again is refused.
    window.adoptDatabase(dir.filePath(u"again"_s));
    QVERIFY(adopted.wait(30000));
    QCOMPARE(adopted.last().at(0).toBool(), false);
    QVERIFY2(adopted.last().at(1).toString().contains(u"already under migrations"_s),
             qPrintable(adopted.last().at(1).toString()));
}

QTEST_MAIN(TstMainWindow)
#include "tst_mainwindow.moc"
