// SPDX-License-Identifier: MIT
#include "dialogs/migrationerrordialog.h"
#include "project/project.h"
#include "run/migrationcontroller.h"
#include "run/runprogresswidget.h"

#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString exampleHead = u"9abc688b6311"_s;
const QString brokenId = u"ffff00000001"_s;
// The broken revision's lines: "-- migrate:upgrade" is line 9, its body starts at 10.
constexpr int brokenLine = 11;

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(text.toUtf8());
    return true;
}

QString revisionText(const QString &id, const QString &revises, const QString &message,
                     const QString &upgrade, const QString &downgrade)
{
    return u"-- %3\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Branch labels:\n-- Depends on:\n"
           u"-- Create Date: 2026-01-01 00:00:00.000000\n\n-- migrate:upgrade\n%4\n-- migrate:downgrade\n%5"_s
               .arg(id, revises, message, upgrade, downgrade);
}

// Connects the controller's signals for one run to the widget, as MainWindow does, and records the end.
class RunWiring : public QObject
{
public:
    RunWiring(MigrationController *controller, RunProgressWidget *widget)
        : m_controller(controller)
    {
        connect(controller, &MigrationController::stepStarted, widget,
                [this, widget](quint64 token, int index, int count, const QString &line) {
                    if (token == m_token)
                        widget->onStepStarted(index, count, line);
                });
        connect(controller, &MigrationController::statementStarted, widget,
                [this, widget](quint64 token, int line, const QString &text) {
                    if (token == m_token)
                        widget->onStatementStarted(line, text);
                });
        connect(controller, &MigrationController::stepFinished, widget,
                [this, widget](quint64 token, int index, int count, const QStringList &rows) {
                    if (token != m_token)
                        return;
                    widget->onStepFinished(index, count);
                    ++stepsFinished;
                    lastRows = rows;
                });
        connect(controller, &MigrationController::finished, widget,
                [this, widget](quint64 token, bool ok, const EngineError &error) {
                    if (token != m_token)
                        return;
                    widget->finish(ok, ok ? u"Done"_s : error.message().section(u'\n', 0, 0));
                    this->ok = ok;
                    this->error = error;
                    done = true;
                });
        connect(widget, &RunProgressWidget::cancelRequested, controller, &MigrationController::cancel);
    }

    void run(MigrationController::RunKind kind, const DatabaseUrl &url, const QString &target)
    {
        m_token = m_controller->run(url, kind, target);
    }

    bool done = false;
    bool ok = false;
    EngineError error;
    int stepsFinished = 0;
    QStringList lastRows;

private:
    MigrationController *m_controller;
    quint64 m_token = 0;
};

} // namespace

class TestRunWidgets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void failingRunThenErrorDialog();
    void clockTicksOnlyWhileRunning();
    void unknownStepCountIsBusyUntilTheFirstStep();
    void cancelIsRequestedOnce();
    void cancelStopsARealRun();
    void errorWithoutFileCannotOpen();

private:
    void openExampleWithBrokenRevision();
    DatabaseUrl sqliteUrl() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Project> m_project;
    std::unique_ptr<MigrationController> m_controller;
};

void TestRunWidgets::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestRunWidgets::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_controller = std::make_unique<MigrationController>();
}

void TestRunWidgets::cleanup()
{
    m_controller.reset();
    m_project.reset();
    m_dir.reset();
}

DatabaseUrl TestRunWidgets::sqliteUrl() const
{
    return *DatabaseUrl::parse(u"sqlite:///"_s + m_dir->filePath(u"x.db"_s));
}

void TestRunWidgets::openExampleWithBrokenRevision()
{
    QVERIFY(copyExample(m_dir->path()));
    QVERIFY(writeFile(m_dir->filePath(u"versions/%1_break_things.sql"_s.arg(brokenId)),
                      revisionText(brokenId, exampleHead, u"break things"_s,
                                   u"CREATE TABLE fine (id INTEGER);\nINSERT INTO no_such_table (id)\n"
                                   u"    VALUES (1);"_s,
                                   u"DROP TABLE fine;"_s)));
    Expected<Project> project = Project::open(m_dir->filePath(u"alembic.ini"_s));
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    m_project = std::make_unique<Project>(std::move(project.value()));
    m_controller->setProject(*m_project);
}

void TestRunWidgets::failingRunThenErrorDialog()
{
    openExampleWithBrokenRevision();
    RunProgressWidget widget;
    RunWiring wiring(m_controller.get(), &widget);
    widget.start(u"Upgrade to head"_s, 11);
    QVERIFY(widget.isRunning());
    QCOMPARE(widget.titleText(), u"Upgrade to head"_s);
    QVERIFY(widget.cancelButton()->isEnabled());
    QCOMPARE(widget.progressBar()->maximum(), 11);
    QCOMPARE(widget.progressBar()->value(), 0);

    const DatabaseUrl url = sqliteUrl();
    wiring.run(MigrationController::RunKind::Upgrade, url, u"head"_s);
    QTRY_VERIFY_WITH_TIMEOUT(wiring.done, 60000);
    QVERIFY(!wiring.ok);

    // Ten steps finished before the eleventh failed at its second statement.
    QCOMPARE(wiring.stepsFinished, 10);
    QCOMPARE(widget.progressBar()->value(), 10);
    QCOMPARE(widget.progressBar()->maximum(), 11);
    QCOMPARE(widget.stepText(), u"Step 11 of 11: upgrade %1 → %2, break things"_s.arg(exampleHead, brokenId));
    QVERIFY(!widget.isRunning());
    QVERIFY(!widget.cancelButton()->isEnabled());
    QCOMPARE(widget.statusText(), wiring.error.message().section(u'\n', 0, 0));
    QVERIFY(widget.elapsedText().startsWith(u"total "_s));

    // The error names the revision, its file and the failing statement's line.
    const QString file =
        QDir(m_dir->filePath(u"versions"_s)).absoluteFilePath(brokenId + u"_break_things.sql"_s);
    QCOMPARE(wiring.error.revision(), brokenId);
    QCOMPARE(QFileInfo(wiring.error.file()).canonicalFilePath(), QFileInfo(file).canonicalFilePath());
    QCOMPARE(wiring.error.line(), brokenLine);

    // The whole run was one transaction (the example's transaction_per_migration = false): the database is
    // back at base, which the state read after the failure says.
    QSignalSpy stateSpy(m_controller.get(), &MigrationController::stateRead);
    m_controller->readState(url);
    QVERIFY(stateSpy.wait(60000));
    const QStringList rowsNow = stateSpy.at(0).at(1).toStringList();
    QCOMPARE(rowsNow, QStringList());

    MigrationErrorDialog dialog;
    dialog.setError(wiring.error, rowsNow);
    QVERIFY2(dialog.headingText().contains(brokenId), qPrintable(dialog.headingText()));
    QCOMPARE(dialog.locationText(),
             u"File: %1, line %2"_s.arg(QDir::toNativeSeparators(wiring.error.file())).arg(brokenLine));
    QCOMPARE(dialog.messageText(), wiring.error.message());
    QVERIFY2(dialog.messageText().contains(u"no_such_table"_s), qPrintable(dialog.messageText()));
    QVERIFY(dialog.findChild<QPlainTextEdit *>(u"errorMessage"_s)->isReadOnly());
    QCOMPARE(dialog.stateText(), u"The database is still at base: its version table has no rows."_s);
    dialog.setError(wiring.error, {exampleHead});
    QCOMPARE(dialog.stateText(), u"The database is still at %1."_s.arg(exampleHead));

    dialog.open();
    QVERIFY(dialog.openButton()->isEnabled());
    QCOMPARE(dialog.openButton()->text(), u"Open at the failing line"_s);
    QSignalSpy openSpy(&dialog, &MigrationErrorDialog::openLocation);
    QTest::mouseClick(dialog.openButton(), Qt::LeftButton);
    QCOMPARE(openSpy.size(), 1);
    QCOMPARE(openSpy.at(0).at(0).toString(), wiring.error.file());
    QCOMPARE(openSpy.at(0).at(1).toInt(), brokenLine);
    QVERIFY(!dialog.isVisible());
}

void TestRunWidgets::clockTicksOnlyWhileRunning()
{
    RunProgressWidget widget;
    auto *ticker = widget.findChild<QTimer *>(u"runTicker"_s);
    QVERIFY(ticker);
    QVERIFY(!ticker->isActive());
    widget.start(u"Upgrade to head"_s, 3);
    QVERIFY(ticker->isActive());
    QCOMPARE(ticker->interval(), 100);
    widget.onStepStarted(0, 3, u"Running upgrade  -> cf60bc0183a4, create locations table"_s);
    QCOMPARE(widget.stepText(), u"Step 1 of 3: upgrade base → cf60bc0183a4, create locations table"_s);
    widget.onStatementStarted(12, u"CREATE TABLE locations (\n    id INTEGER PRIMARY KEY\n)"_s);
    QCOMPARE(widget.statementText(), u"Line 12: CREATE TABLE locations ( …"_s);
    QVERIFY2(widget.elapsedText().startsWith(u"statement 0.0 s"_s), qPrintable(widget.elapsedText()));
    // The statement's time ticks while it runs.
    QTRY_VERIFY_WITH_TIMEOUT(!widget.elapsedText().startsWith(u"statement 0.0 s"_s), 5000);
    QVERIFY2(widget.elapsedText().contains(u" · total "_s), qPrintable(widget.elapsedText()));
    widget.onStepFinished(0, 3);
    QCOMPARE(widget.progressBar()->value(), 1);
    widget.finish(true, u"Upgraded to cf60bc0183a4"_s);
    QVERIFY(!ticker->isActive());
    QCOMPARE(widget.progressBar()->value(), 3);
    QCOMPARE(widget.statusText(), u"Upgraded to cf60bc0183a4"_s);
    QCOMPARE(widget.statementText(), QString());
}

void TestRunWidgets::unknownStepCountIsBusyUntilTheFirstStep()
{
    RunProgressWidget widget;
    widget.start(u"Stamp head"_s, 0);
    QCOMPARE(widget.progressBar()->maximum(), 0);
    QCOMPARE(widget.stepText(), u"Connecting…"_s);
    widget.onStepStarted(0, 2, u"Running stamp_revision  -> 9abc688b6311"_s);
    QCOMPARE(widget.progressBar()->maximum(), 2);
    QCOMPARE(widget.stepText(), u"Step 1 of 2: stamp base → 9abc688b6311"_s);
    widget.finish(false, u"failed"_s);
    QCOMPARE(widget.progressBar()->value(), 0);
    // A run that ends before any step stops the busy bar.
    widget.start(u"Upgrade to head"_s, 0);
    widget.finish(true, u"Nothing to do"_s);
    QCOMPARE(widget.progressBar()->maximum(), 1);
    QCOMPARE(widget.progressBar()->value(), 1);
    QCOMPARE(widget.stepText(), u"Nothing to run"_s);
    // A run refused before it connected (no Python for an Alembic project, say) does not stay "Connecting…".
    widget.start(u"Upgrade to head"_s, 3);
    widget.finish(false, u"No Python"_s);
    QCOMPARE(widget.stepText(), u"Stopped before the first step"_s);
    QCOMPARE(widget.statusText(), u"No Python"_s);
}

void TestRunWidgets::cancelIsRequestedOnce()
{
    RunProgressWidget widget;
    QSignalSpy cancelSpy(&widget, &RunProgressWidget::cancelRequested);
    QVERIFY(!widget.cancelButton()->isEnabled());
    widget.start(u"Downgrade to base"_s, 5);
    QTest::mouseClick(widget.cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelSpy.size(), 1);
    QVERIFY(widget.isCancelling());
    QVERIFY(!widget.cancelButton()->isEnabled());
    QCOMPARE(widget.statusText(), u"Cancelling after the current statement…"_s);
    QTest::mouseClick(widget.cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelSpy.size(), 1);
    // A new run can be cancelled again.
    widget.finish(false, u"cancelled"_s);
    widget.start(u"Upgrade to head"_s, 5);
    QVERIFY(!widget.isCancelling());
    QVERIFY(widget.cancelButton()->isEnabled());
    QTest::mouseClick(widget.cancelButton(), Qt::LeftButton);
    QCOMPARE(cancelSpy.size(), 2);
}

void TestRunWidgets::cancelStopsARealRun()
{
    // Each step takes a while (a few hundred thousand generated rows).
    QVERIFY(QDir().mkpath(m_dir->filePath(u"versions"_s)));
    QVERIFY(writeFile(m_dir->filePath(u"alembic.ini"_s),
                      u"[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/x.db\n"
                      u"transaction_per_migration = true\n"_s));
    for (int i = 0; i < 30; ++i) {
        const QString id = u"r%1"_s.arg(i, 3, 10, QLatin1Char('0'));
        const QString parent = i == 0 ? QString() : u"r%1"_s.arg(i - 1, 3, 10, QLatin1Char('0'));
        QVERIFY(writeFile(
            m_dir->filePath(u"versions/%1_rev.sql"_s.arg(id)),
            revisionText(id, parent, u"big table %1"_s.arg(i),
                         u"CREATE TABLE t%1 AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + "
                         u"1 FROM c WHERE n < 200000) SELECT n FROM c;"_s.arg(i),
                         u"DROP TABLE t%1;"_s.arg(i))));
    }
    Expected<Project> project = Project::open(m_dir->filePath(u"alembic.ini"_s));
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    m_project = std::make_unique<Project>(std::move(project.value()));
    m_controller->setProject(*m_project);

    RunProgressWidget widget;
    RunWiring wiring(m_controller.get(), &widget);
    widget.start(u"Upgrade to head"_s, 30);
    wiring.run(MigrationController::RunKind::Upgrade, sqliteUrl(), u"head"_s);
    QTRY_VERIFY_WITH_TIMEOUT(wiring.stepsFinished > 0, 60000);
    QTest::mouseClick(widget.cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(wiring.done, 60000);
    QVERIFY(!wiring.ok);
    QVERIFY2(wiring.error.message().contains(u"cancelled by the user"_s),
             qPrintable(wiring.error.toString()));
    QVERIFY(wiring.stepsFinished < 30);
    QCOMPARE(widget.progressBar()->value(), wiring.stepsFinished);
    QVERIFY(!widget.isRunning());
}

void TestRunWidgets::errorWithoutFileCannotOpen()
{
    MigrationErrorDialog dialog;
    dialog.setError(EngineError(u"could not connect to server"_s, EngineError::Kind::Database),
                    {u"a"_s, u"b"_s});
    QCOMPARE(dialog.headingText(), u"The migration failed"_s);
    QCOMPARE(dialog.locationText(), u"No file is named by this error."_s);
    QCOMPARE(dialog.stateText(), u"The database is still at a, b."_s);
    QVERIFY(!dialog.openButton()->isEnabled());
}

QTEST_MAIN(TestRunWidgets)
#include "tst_runwidgets.moc"
