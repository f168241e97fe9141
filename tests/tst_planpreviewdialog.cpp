// SPDX-License-Identifier: MIT
#include "common/colours.h"
#include "dialogs/planpreviewdialog.h"
#include "project/project.h"
#include "run/migrationcontroller.h"
#include "testfiles.h"
#include "testservers.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QGuiApplication>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString exampleHead = u"9abc688b6311"_s;
// The example's revisions in the order an upgrade from base to head applies them
// (tests/data/offline/upgrade_head_sqlite.log).
const QStringList exampleOrder = {
    u"cf60bc0183a4"_s, u"83ca92fed024"_s, u"0169b51572d2"_s, u"575ce023861c"_s, u"6aa67ef48cab"_s,
    u"696e23fe439e"_s, u"bcddf3f8350c"_s, u"32863478822d"_s, u"2f2467916363"_s, exampleHead,
};

struct Section
{
    QString sql;
    int firstLine = 0;
};

// A section of a revision file read independently of the engine: the lines after its marker up to the
// next marker, trailing blank lines dropped.
Section readSection(const QString &path, const QString &marker)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    Section section;
    QStringList body;
    bool inside = false;
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).startsWith(u"-- migrate:"_s)) {
            if (inside)
                break;
            inside = lines.at(i).trimmed() == u"-- migrate:"_s + marker;
            section.firstLine = i + 2;
            continue;
        }
        if (inside)
            body.append(lines.at(i));
    }
    while (!body.isEmpty() && body.last().trimmed().isEmpty())
        body.removeLast();
    section.sql = body.join(u'\n');
    return section;
}

// The 1-based line of the first line of path that starts with text.
int lineOf(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).startsWith(text))
            return i + 1;
    }
    return -1;
}

} // namespace

class TestPlanPreviewDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void upgradeToHead();
    void downgradeToBaseWarnsOfDrops();
    void clickingAWarningShowsItsStep();
    void copyAsSqlScript();
    void saveAsSqlThroughTheFileDialog();
    void saveToAnUnwritablePathFails();
    void emptyPlanDisablesRun();
    void runAccepts();
    void postgresqlPlan();
    void drawsTheStepsSql();
    void readableOnADarkPalette();
    void namesTheClusterBesideTheDatabase();

private:
    void openExample();
    // Plans on the controller and feeds planReady into the dialog; false when the plan failed.
    bool planInto(PlanPreviewDialog &dialog, const DatabaseUrl &url, const QString &kind,
                  const QString &target, const QString &title);
    bool runToEnd(const DatabaseUrl &url, MigrationController::RunKind kind, const QString &target);
    DatabaseUrl sqliteUrl() const;
    QString versionsFile(const QString &id) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Project> m_project;
    std::unique_ptr<MigrationController> m_controller;
};

void TestPlanPreviewDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestPlanPreviewDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/qmigrate-example-XXXXXX"_s);
    QVERIFY(m_dir->isValid());
    m_controller = std::make_unique<MigrationController>();
    openExample();
}

void TestPlanPreviewDialog::cleanup()
{
    m_controller.reset();
    m_project.reset();
    m_dir.reset();
}

void TestPlanPreviewDialog::openExample()
{
    QVERIFY(copyExample(m_dir->path()));
    Expected<Project> project = Project::open(m_dir->filePath(u"alembic.ini"_s));
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    m_project = std::make_unique<Project>(std::move(project.value()));
    m_controller->setProject(*m_project);
}

DatabaseUrl TestPlanPreviewDialog::sqliteUrl() const
{
    return *DatabaseUrl::parse(u"sqlite:///"_s + m_dir->filePath(u"example.db"_s));
}

QString TestPlanPreviewDialog::versionsFile(const QString &id) const
{
    const QDir versions(m_dir->filePath(u"versions"_s));
    const QStringList found = versions.entryList({id + u"_*.sql"_s}, QDir::Files);
    return found.size() == 1 ? versions.absoluteFilePath(found.first()) : QString();
}

bool TestPlanPreviewDialog::planInto(PlanPreviewDialog &dialog, const DatabaseUrl &url, const QString &kind,
                                     const QString &target, const QString &title)
{
    QSignalSpy planSpy(m_controller.get(), &MigrationController::planReady);
    QSignalSpy finishedSpy(m_controller.get(), &MigrationController::finished);
    const quint64 token = kind == u"upgrade"_s     ? m_controller->planUpgrade(url, target)
                          : kind == u"downgrade"_s ? m_controller->planDowngrade(url, target)
                                                   : m_controller->planStamp(url, target);
    // The dialog is fed the way MainWindow feeds it: from planReady, on the GUI thread.
    QObject context;
    connect(m_controller.get(), &MigrationController::planReady, &context,
            [&](quint64 got, const MigrationPlan &, const QStringList &, const PlanDetails &details) {
                if (got == token)
                    dialog.setPlan(details, url, title);
            });
    for (;;) {
        for (const QList<QVariant> &arguments : std::as_const(finishedSpy)) {
            if (arguments.at(0).toULongLong() == token) {
                if (!arguments.at(1).toBool())
                    qWarning("%s", qPrintable(arguments.at(2).value<EngineError>().toString()));
                return arguments.at(1).toBool() && planSpy.size() == 1;
            }
        }
        if (!finishedSpy.wait(60000))
            return false;
    }
}

bool TestPlanPreviewDialog::runToEnd(const DatabaseUrl &url, MigrationController::RunKind kind,
                                     const QString &target)
{
    QSignalSpy finishedSpy(m_controller.get(), &MigrationController::finished);
    const quint64 token = m_controller->run(url, kind, target);
    for (;;) {
        for (const QList<QVariant> &arguments : std::as_const(finishedSpy)) {
            if (arguments.at(0).toULongLong() == token)
                return arguments.at(1).toBool();
        }
        if (!finishedSpy.wait(60000))
            return false;
    }
}

void TestPlanPreviewDialog::upgradeToHead()
{
    PlanPreviewDialog dialog(m_controller.get());
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(planInto(dialog, url, u"upgrade"_s, u"head"_s, u"Upgrade to head"_s));

    QCOMPARE(dialog.stepCount(), exampleOrder.size());
    const QStringList steps = dialog.stepTexts();
    QCOMPARE(steps.first(), u"1. upgrade base → cf60bc0183a4, create locations table"_s);
    QCOMPARE(steps.at(1), u"2. upgrade cf60bc0183a4 → 83ca92fed024, create devices table"_s);
    for (int i = 0; i < steps.size(); ++i) {
        QVERIFY2(steps.at(i).startsWith(QString::number(i + 1) + u". upgrade "_s), qPrintable(steps.at(i)));
        QVERIFY2(steps.at(i).contains(u"→ "_s + exampleOrder.at(i)), qPrintable(steps.at(i)));
        // Each step's SQL is its file's upgrade section, with the file line it starts at.
        const QString file = versionsFile(exampleOrder.at(i));
        const Section section = readSection(file, u"upgrade"_s);
        QCOMPARE(dialog.fileOfStep(i), file);
        QCOMPARE(dialog.sqlOfStep(i), section.sql);
        QCOMPARE(dialog.firstLineOfStep(i), section.firstLine);
    }
    // The version-table writes, byte for byte what the offline script of Alembic holds
    // (tests/data/offline/upgrade_head_sqlite.sql).
    QCOMPARE(dialog.versionSqlOfStep(0),
             QStringList{u"INSERT INTO alembic_version (version_num) VALUES ('cf60bc0183a4')"_s});
    QCOMPARE(dialog.versionSqlOfStep(1),
             QStringList{u"UPDATE alembic_version SET version_num='83ca92fed024' WHERE "
                         u"alembic_version.version_num = 'cf60bc0183a4'"_s});
    QCOMPARE(dialog.versionSqlOfStep(7),
             (QStringList{u"DELETE FROM alembic_version WHERE alembic_version.version_num = 'bcddf3f8350c'"_s,
                          u"UPDATE alembic_version SET version_num='32863478822d' WHERE "
                          u"alembic_version.version_num = '696e23fe439e'"_s}));

    // The SQL view shows the selected step: its section, then its version-table writes.
    QCOMPARE(dialog.currentStep(), 0);
    QVERIFY(dialog.editorText().startsWith(dialog.sqlOfStep(0)));
    QVERIFY(dialog.editorText().endsWith(dialog.versionSqlOfStep(0).first() + u';'));
    dialog.setCurrentStep(7);
    QVERIFY(dialog.editorText().startsWith(dialog.sqlOfStep(7)));
    QVERIFY(dialog.editorText().contains(dialog.versionSqlOfStep(7).at(1) + u';'));
    QVERIFY(dialog.sqlView()->isReadOnly());

    // The header: title, the database (display form) and the rows.
    const QString header = dialog.headerText();
    QVERIFY2(header.startsWith(u"Upgrade to head\n"_s), qPrintable(header));
    QVERIFY2(header.contains(url.toDisplayString()), qPrintable(header));
    QVERIFY2(header.contains(u"base (no rows) → 9abc688b6311"_s), qPrintable(header));
    // A first upgrade of the example drops nothing.
    QCOMPARE(dialog.warningTexts(), QStringList());
    QVERIFY(!dialog.findChild<QListWidget *>(u"planWarnings"_s)->isVisibleTo(&dialog));
    QCOMPARE(dialog.runButton()->text(), u"Upgrade"_s);
    QVERIFY(dialog.runButton()->isEnabled());
}

void TestPlanPreviewDialog::downgradeToBaseWarnsOfDrops()
{
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(runToEnd(url, MigrationController::RunKind::Upgrade, u"head"_s));
    PlanPreviewDialog dialog(m_controller.get());
    QVERIFY(planInto(dialog, url, u"downgrade"_s, u"base"_s, u"Downgrade to base"_s));
    QCOMPARE(dialog.stepCount(), exampleOrder.size());
    QCOMPARE(dialog.stepTexts().first(),
             u"1. downgrade 9abc688b6311 → 2f2467916363, add contact email to locations"_s);
    QCOMPARE(dialog.stepTexts().last(), u"10. downgrade cf60bc0183a4 → base, create locations table"_s);
    QCOMPARE(dialog.runButton()->text(), u"Downgrade"_s);
    QVERIFY(dialog.headerText().contains(u"9abc688b6311 → base (no rows)"_s));
    QCOMPARE(
        dialog.versionSqlOfStep(9),
        QStringList{u"DELETE FROM alembic_version WHERE alembic_version.version_num = 'cf60bc0183a4'"_s});

    // Every DROP TABLE named with its file and line, in step order.
    const QStringList warnings = dialog.warningTexts();
    const QString locations = versionsFile(u"cf60bc0183a4"_s);
    const int line = lineOf(locations, u"DROP TABLE locations"_s);
    QVERIFY(line > 0);
    const QString expected =
        u"Step 10, %1:%2: drops table locations and all its rows"_s.arg(QFileInfo(locations).fileName())
            .arg(line);
    QVERIFY2(warnings.contains(expected), qPrintable(warnings.join(u'\n')));
    QCOMPARE(warnings.last(), expected);
    const QString devices = versionsFile(u"83ca92fed024"_s);
    QVERIFY2(warnings.contains(
                 u"Step 9, %1:%2: drops table devices and all its rows"_s.arg(QFileInfo(devices).fileName())
                     .arg(lineOf(devices, u"DROP TABLE devices"_s))),
             qPrintable(warnings.join(u'\n')));
    QCOMPARE(warnings.first(), u"Step 1, %1:%2: drops column contact_email of table locations and its data"_s
                                   .arg(QFileInfo(versionsFile(exampleHead)).fileName())
                                   .arg(lineOf(versionsFile(exampleHead), u"ALTER TABLE locations DROP"_s)));
    QCOMPARE(warnings.size(), 13);
    QCOMPARE(dialog.planWarnings().size(), 13);
    QVERIFY(dialog.findChild<QLabel *>(u"planWarningsTitle"_s)->text().contains(u"destroys data"_s));
    // The downgrade section is what the step shows.
    QCOMPARE(dialog.sqlOfStep(9), readSection(locations, u"downgrade"_s).sql);
}

// With a dark palette the SQL is on the palette's dark paper and the warnings' reds keep body-text contrast.
void TestPlanPreviewDialog::readableOnADarkPalette()
{
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(runToEnd(url, MigrationController::RunKind::Upgrade, u"head"_s));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    dark.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
    QApplication::setPalette(dark);
    {
        PlanPreviewDialog dialog(m_controller.get());
        QVERIFY(planInto(dialog, url, u"downgrade"_s, u"base"_s, u"Downgrade to base"_s));
        auto *lexer = dialog.sqlView()->lexer();
        QCOMPARE(lexer->paper(0), dark.color(QPalette::Base));
        QVERIFY(qmigrate::contrastRatio(lexer->color(QsciLexerSQL::Keyword), dark.color(QPalette::Base)) >=
                4.5);
        auto *list = dialog.findChild<QListWidget *>(u"planWarnings"_s);
        QVERIFY(list->count() > 0);
        for (int row = 0; row < list->count(); ++row) {
            const QColor ink = list->item(row)->foreground().color();
            QVERIFY2(qmigrate::contrastRatio(ink, dark.color(QPalette::Base)) >= 4.5, qPrintable(ink.name()));
        }
        const QColor title =
            dialog.findChild<QLabel *>(u"planWarningsTitle"_s)->palette().color(QPalette::WindowText);
        QVERIFY2(qmigrate::contrastRatio(title, dark.color(QPalette::Window)) >= 4.5,
                 qPrintable(title.name()));
    }
    QApplication::setPalette(QPalette());
}

void TestPlanPreviewDialog::clickingAWarningShowsItsStep()
{
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(runToEnd(url, MigrationController::RunKind::Upgrade, u"head"_s));
    PlanPreviewDialog dialog(m_controller.get());
    QVERIFY(planInto(dialog, url, u"downgrade"_s, u"base"_s, u"Downgrade to base"_s));
    auto *list = dialog.findChild<QListWidget *>(u"planWarnings"_s);
    QVERIFY(list);
    const int last = list->count() - 1;
    list->setCurrentRow(last);
    QCOMPARE(dialog.currentStep(), dialog.planWarnings().at(last).step);
    QCOMPARE(dialog.currentStep(), 9);
    int cursorLine = -1;
    int index = -1;
    dialog.sqlView()->getCursorPosition(&cursorLine, &index);
    QCOMPARE(cursorLine + dialog.firstLineOfStep(9), dialog.planWarnings().at(last).line);
}

void TestPlanPreviewDialog::copyAsSqlScript()
{
    PlanPreviewDialog dialog(m_controller.get());
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(planInto(dialog, url, u"upgrade"_s, u"head"_s, u"Upgrade to head"_s));
    QGuiApplication::clipboard()->clear();
    QSignalSpy copied(&dialog, &PlanPreviewDialog::scriptCopied);
    QTest::mouseClick(dialog.copyButton(), Qt::LeftButton);
    QVERIFY(copied.wait(60000));
    const QString clip = QGuiApplication::clipboard()->text();
    QCOMPARE(clip, copied.at(0).at(0).toString());
    QVERIFY(dialog.statusText().contains(u"clipboard"_s));

    // The same script the controller renders for the plan on its own, which is Alembic's.
    QSignalSpy scriptSpy(m_controller.get(), &MigrationController::scriptReady);
    m_controller->renderScript(url, dialog.plan());
    QVERIFY(scriptSpy.wait(60000));
    QCOMPARE(clip, scriptSpy.at(0).at(1).toString());
    QFile expected(QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/offline/upgrade_head_sqlite.sql"_s);
    QVERIFY(expected.open(QIODevice::ReadOnly));
    QCOMPARE(clip, QString::fromUtf8(expected.readAll()));
}

void TestPlanPreviewDialog::saveAsSqlThroughTheFileDialog()
{
    PlanPreviewDialog dialog(m_controller.get());
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(planInto(dialog, url, u"upgrade"_s, u"head"_s, u"Upgrade to head"_s));
    QSignalSpy saved(&dialog, &PlanPreviewDialog::scriptSaved);
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    // Non-blocking: the click returned with the file dialog open.
    auto *fileDialog = dialog.findChild<QFileDialog *>(u"planSaveFileDialog"_s);
    QVERIFY(fileDialog);
    QTRY_VERIFY(fileDialog->isVisible());
    QCOMPARE(fileDialog->acceptMode(), QFileDialog::AcceptSave);
    const QString path = m_dir->filePath(u"upgrade.sql"_s);
    fileDialog->selectFile(path);
    // QFileDialog::accept is protected; through QDialog it is the same virtual call the OK button makes.
    static_cast<QDialog *>(fileDialog)->accept();
    QVERIFY(saved.wait(60000));
    QCOMPARE(saved.at(0).at(0).toString(), path);
    QFile written(path);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QFile expected(QStringLiteral(QMIGRATE_TEST_DATA_DIR) + u"/offline/upgrade_head_sqlite.sql"_s);
    QVERIFY(expected.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(written.readAll()), QString::fromUtf8(expected.readAll()));
    QVERIFY(dialog.statusText().contains(QDir::toNativeSeparators(path)));
}

void TestPlanPreviewDialog::saveToAnUnwritablePathFails()
{
    PlanPreviewDialog dialog(m_controller.get());
    QVERIFY(planInto(dialog, sqliteUrl(), u"upgrade"_s, u"head"_s, u"Upgrade to head"_s));
    QSignalSpy failed(&dialog, &PlanPreviewDialog::scriptFailed);
    const QString path = m_dir->filePath(u"no/such/dir/plan.sql"_s);
    dialog.saveScriptTo(path);
    QVERIFY(failed.wait(60000));
    QVERIFY2(failed.at(0).at(0).toString().contains(path), qPrintable(failed.at(0).at(0).toString()));
    QVERIFY(!QFile::exists(path));
    QCOMPARE(dialog.statusText(), failed.at(0).at(0).toString());
}

void TestPlanPreviewDialog::emptyPlanDisablesRun()
{
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(runToEnd(url, MigrationController::RunKind::Upgrade, u"head"_s));
    PlanPreviewDialog dialog(m_controller.get());
    QVERIFY(planInto(dialog, url, u"upgrade"_s, u"head"_s, u"Upgrade to head"_s));
    QCOMPARE(dialog.stepCount(), 0);
    QVERIFY(!dialog.runButton()->isEnabled());
    QVERIFY(!dialog.copyButton()->isEnabled());
    QVERIFY(!dialog.saveButton()->isEnabled());
    QVERIFY(dialog.cancelButton()->isEnabled());
    auto *nothing = dialog.findChild<QLabel *>(u"planNothingToDo"_s);
    QVERIFY(nothing);
    QCOMPARE(nothing->text(), u"Nothing to do: the database is already at 9abc688b6311."_s);
    QVERIFY(nothing->isVisibleTo(&dialog));

    // A later non-empty plan enables it again.
    QVERIFY(planInto(dialog, url, u"downgrade"_s, u"-1"_s, u"Downgrade one step"_s));
    QCOMPARE(dialog.stepCount(), 1);
    QVERIFY(dialog.runButton()->isEnabled());
    QVERIFY(!nothing->isVisibleTo(&dialog));
}

void TestPlanPreviewDialog::runAccepts()
{
    PlanPreviewDialog dialog(m_controller.get());
    QVERIFY(planInto(dialog, sqliteUrl(), u"stamp"_s, u"head"_s, u"Stamp head"_s));
    QCOMPARE(dialog.stepTexts(), QStringList{u"1. stamp base → 9abc688b6311"_s});
    QCOMPARE(dialog.sqlOfStep(0), QString());
    QCOMPARE(dialog.versionSqlOfStep(0),
             QStringList{u"INSERT INTO alembic_version (version_num) VALUES ('9abc688b6311')"_s});
    QCOMPARE(dialog.runButton()->text(), u"Stamp"_s);
    QVERIFY(!dialog.runButton()->isDefault());
    dialog.open();
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QTest::mouseClick(dialog.runButton(), Qt::LeftButton);
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

void TestPlanPreviewDialog::postgresqlPlan()
{
    const TestServer server =
        TestServers::freshDatabase(TestServers::postgresql(), u"tst_planpreviewdialog"_s);
    QMIGRATE_REQUIRE_SERVER(server);
    const DatabaseUrl url = server.url();
    PlanPreviewDialog dialog(m_controller.get());
    QVERIFY(planInto(dialog, url, u"upgrade"_s, u"head"_s, u"Upgrade to head"_s));
    QCOMPARE(dialog.stepCount(), exampleOrder.size());
    QCOMPARE(dialog.warningTexts(), QStringList());
    // Online PostgreSQL INSERTs carry no RETURNING.
    QCOMPARE(dialog.versionSqlOfStep(0),
             QStringList{u"INSERT INTO alembic_version (version_num) VALUES ('cf60bc0183a4')"_s});
    const QString header = dialog.headerText();
    QVERIFY2(header.contains(url.toDisplayString()), qPrintable(header));
    if (!server.password.isEmpty())
        QVERIFY2(!header.contains(server.password), qPrintable(header));

    // The downgrade from head names the drops here too.
    QVERIFY(runToEnd(url, MigrationController::RunKind::Upgrade, u"head"_s));
    QVERIFY(planInto(dialog, url, u"downgrade"_s, u"base"_s, u"Downgrade to base"_s));
    QCOMPARE(dialog.warningTexts().size(), 13);
    QSignalSpy copied(&dialog, &PlanPreviewDialog::scriptCopied);
    dialog.copyScript();
    QVERIFY(copied.wait(60000));
    const QString script = QGuiApplication::clipboard()->text();
    QVERIFY2(script.startsWith(u"BEGIN;"_s), qPrintable(script.left(200)));
    QVERIFY(script.contains(u"DROP TABLE locations;"_s));
}

// The dialog as a user sees it for "upgrade to head" on the example: drawn at its size, the SQL view not
// blank.
void TestPlanPreviewDialog::drawsTheStepsSql()
{
    PlanPreviewDialog dialog(m_controller.get());
    QVERIFY(planInto(dialog, sqliteUrl(), u"upgrade"_s, u"head"_s, u"Upgrade to head (9abc688b6311)"_s));
    dialog.setCurrentStep(1);
    dialog.resize(1100, 700);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QImage image = dialog.grab().toImage();
    QCOMPARE(image.size() / image.devicePixelRatio(), QSize(1100, 700));
    // The SQL view is not blank: the devices table's CREATE TABLE is drawn in it.
    const QImage sql = dialog.sqlView()->grab().toImage();
    QVERIFY(sql.pixelColor(0, 0) != sql.pixelColor(sql.width() / 3, sql.height() / 8) ||
            sql.pixelColor(sql.width() / 4, 8) != sql.pixelColor(sql.width() / 5, 8));
}

// A plan made on a Galera node says so beside the database (the Migrator's dry run fills the summary in,
// tst_galera); a single server's plan names only the database.
void TestPlanPreviewDialog::namesTheClusterBesideTheDatabase()
{
    PlanPreviewDialog dialog(m_controller.get());
    const DatabaseUrl url = sqliteUrl();
    QVERIFY(planInto(dialog, url, u"upgrade"_s, u"head"_s, u"Upgrade to head"_s));
    const auto *database = dialog.findChild<QLabel *>(u"planDatabase"_s);
    QVERIFY(database);
    QCOMPARE(database->text(), u"Database: "_s + url.toDisplayString());

    PlanDetails clustered;
    clustered.setServerSummary(u"Galera cluster, 3 nodes, TOI"_s);
    dialog.setPlan(clustered, url, u"Upgrade to head"_s);
    QCOMPARE(database->text(),
             u"Database: "_s + url.toDisplayString() + u" (Galera cluster, 3 nodes, TOI)"_s);
}

QTEST_MAIN(TestPlanPreviewDialog)
#include "tst_planpreviewdialog.moc"
