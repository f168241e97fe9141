// SPDX-License-Identifier: MIT
#include "screenshotsession.h"

#include "alembicproject.h"
#include "connections/connectiondialog.h"
#include "connections/connectionprofile.h"
#include "connections/connectionprofilestore.h"
#include "connections/connectionselector.h"
#include "connections/passwordstore.h"
#include "dialogs/migrationerrordialog.h"
#include "dialogs/newrevisiondialog.h"
#include "dialogs/planpreviewdialog.h"
#include "editor/findbar.h"
#include "editor/scripteditor.h"
#include "mainwindowdriver.h"
#include "revisions/revisiondetails.h"
#include "revisions/revisiongraphview.h"
#include "testfiles.h"
#include "testservers.h"
#include "window/mainwindow.h"

#include <QAction>
#include <QCryptographicHash>
#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScreen>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString primarySensor = u"696e23fe439e"_s;
const QString firmware = u"0169b51572d2"_s;
const QString head = u"9abc688b6311"_s;
const QString headFile = u"versions/9abc688b6311_add_contact_email_to_locations.sql"_s;
const QString maintenanceFile = u"versions/2f2467916363_add_maintenance_windows.sql"_s;

// The project in dir opened in the window, which fills the screen.
QString showProject(MainWindow &window, const QTemporaryDir &dir)
{
    window.setGeometry(QGuiApplication::primaryScreen()->geometry());
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return u"the main window was never shown (is there an X server and a window manager?)"_s;
    if (!openAndWait(window, dir.filePath(u"alembic.ini"_s)))
        return u"the project in "_s + dir.path() + u" did not open within 20 s"_s;
    return {};
}

QString showExample(MainWindow &window, const QTemporaryDir &dir)
{
    if (!dir.isValid() || !copyExample(dir.path()))
        return u"cannot copy the example into a temporary directory"_s;
    return showProject(window, dir);
}

// A dialog in the middle of the screen, as a window manager places a new window.
void centre(QWidget *dialog)
{
    dialog->move(QGuiApplication::primaryScreen()->geometry().center() - dialog->rect().center());
}

} // namespace

ScreenshotSession::ScreenshotSession(const QString &directory)
    : m_directory(directory)
{}

QString ScreenshotSession::run()
{
    if (QString error = firstStart(); !error.isEmpty())
        return error;
    if (QString error = exampleWindow(); !error.isEmpty())
        return error;
    if (QString error = editedFiles(); !error.isEmpty())
        return error;
    if (QString error = failedRun(); !error.isEmpty())
        return error;
    if (QString error = alembicProject(); !error.isEmpty())
        return error;
    return tangledGraph();
}

QString ScreenshotSession::firstStart()
{
    QTemporaryDir example;
    if (!example.isValid() || !copyExample(example.path()))
        return u"cannot copy the example into a temporary directory"_s;
    MainWindow window;
    window.setExampleProject(example.filePath(u"alembic.ini"_s));
    window.setGeometry(QGuiApplication::primaryScreen()->geometry());
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return u"the main window was never shown (is there an X server and a window manager?)"_s;
    QTest::qWait(300);
    if (QString error = shootScreen(u"welcome.png"_s); !error.isEmpty())
        return error;
    window.findChild<QAction *>(u"about"_s)->trigger();
    if (!QTest::qWaitFor([&] { return window.aboutDialog() && window.aboutDialog()->isVisible(); }, 5000))
        return u"Help > About did not open"_s;
    centre(window.aboutDialog());
    QTest::qWait(300);
    if (QString error = shootScreen(u"about.png"_s); !error.isEmpty())
        return error;
    window.aboutDialog()->close();
    return {};
}

QString ScreenshotSession::exampleWindow()
{
    QTemporaryDir dir;
    MainWindow window;
    if (QString error = showExample(window, dir); !error.isEmpty())
        return error;

    // Half of the example applied: the graph shows current, applied and pending revisions at once.
    if (QString error = triggerRevisionAction(window, primarySensor, u"upgradeToHere"_s); !error.isEmpty())
        return error;
    if (QString error = runPreviewedPlan(window, 6); !error.isEmpty())
        return error;
    window.graphView()->selectRevision(head);
    window.findChild<QTabWidget *>()->setCurrentWidget(window.scriptEditor());
    window.findChild<QDockWidget *>(u"logDock"_s)->raise();
    if (QString error = shootScreen(u"main-window.png"_s); !error.isEmpty())
        return error;
    // The audit history of the run, with who ran each step (history.png), and the details of one revision.
    window.findChild<QDockWidget *>(u"historyDock"_s)->raise();
    window.graphView()->selectRevision(primarySensor);
    window.findChild<QTabWidget *>()->setCurrentIndex(0);
    QTest::qWait(200);
    if (QString error = shootScreen(u"history.png"_s); !error.isEmpty())
        return error;
    window.findChild<QDockWidget *>(u"logDock"_s)->raise();

    // A downgrade, whose preview has data it would destroy to warn about.
    if (QString error = triggerRevisionAction(window, firmware, u"downgradeToHere"_s); !error.isEmpty())
        return error;
    PlanPreviewDialog *preview = window.planPreview();
    if (!QTest::qWaitFor([&] { return preview->isVisible(); }, 20000))
        return u"the plan preview of the downgrade did not open"_s;
    preview->resize(1300, 800);
    centre(preview);
    preview->setCurrentStep(0);
    if (QString error = shootScreen(u"plan-preview.png"_s); !error.isEmpty())
        return error;
    preview->reject();

    const TestServer server = TestServers::postgresql();
    if (!server.isValid())
        return server.error;
    const ConnectionProfile profile = ConnectionProfile::fromUrl(u"Test server (PostgreSQL)"_s, server.url());
    QString storeError;
    if (!window.profileStore()->addOrUpdate(profile, &storeError))
        return storeError;
    window.passwordStore()->setSessionPassword(profile.name, server.password);
    window.connectionSelector()->editConnections();
    auto *dialog = window.findChild<ConnectionDialog *>(u"connectionDialog"_s);
    if (!dialog || !QTest::qWaitFor([&] { return dialog->isVisible(); }, 20000))
        return u"Connections… did not open the connection dialog"_s;
    if (!dialog->selectProfile(profile.name))
        return u"the connection dialog does not list "_s + profile.name;
    QSignalSpy tested(dialog, &ConnectionDialog::connectionTested);
    // Right away, as a click would: the dialog waits for the password the keychain is still reading.
    dialog->testConnection();
    if (!tested.wait(20000))
        return u"Test connection did not answer within 20 s"_s;
    if (!tested.first().at(0).toBool())
        return u"Test connection failed: "_s + tested.first().at(1).toString();
    centre(dialog);
    if (QString error = shootScreen(u"connection-dialog.png"_s); !error.isEmpty())
        return error;
    dialog->reject();

    window.newRevisionAction()->trigger();
    NewRevisionDialog *authoring = window.newRevisionDialog();
    if (!authoring || !QTest::qWaitFor([&] { return authoring->isVisible(); }, 20000))
        return u"New revision… did not open its dialog"_s;
    QTest::keyClicks(authoring->messageEdit(), u"Add notes to devices"_s);
    authoring->resize(authoring->sizeHint().expandedTo(QSize(680, 0)));
    if (QString error = shootWidget(authoring, u"new-revision-dialog.png"_s); !error.isEmpty())
        return error;
    authoring->reject();
    return {};
}

QString ScreenshotSession::editedFiles()
{
    QTemporaryDir dir;
    MainWindow window;
    if (QString error = showExample(window, dir); !error.isEmpty())
        return error;
    window.upgradeHeadAction()->trigger();
    if (QString error = runPreviewedPlan(window, 10); !error.isEmpty())
        return error;

    // Someone widens the column in the head's script after it ran: the graph marks the revision, Details
    // shows what changed since.
    const QString headPath = dir.filePath(headFile);
    QString edited = QString::fromUtf8(readAll(headPath));
    edited.replace(u"contact_email VARCHAR(254);"_s,
                   u"contact_email VARCHAR(320); -- RFC 3696 with errata"_s);
    if (!writeAndWaitForReread(window, headPath, edited))
        return u"the window did not read the edited head again"_s;
    if (!QTest::qWaitFor([&] { return window.graphView()->isMarkedEdited(head); }, 20000))
        return u"the edited head is not marked"_s;
    window.graphView()->selectRevision(head);
    window.findChild<QTabWidget *>()->setCurrentWidget(window.revisionDetails());
    window.findChild<QDockWidget *>(u"logDock"_s)->raise();
    if (QString error = shootScreen(u"edited-since-applied.png"_s); !error.isEmpty())
        return error;

    // A parent id mistyped in another revision: the banner says where, the last good project stays.
    const QString maintenancePath = dir.filePath(maintenanceFile);
    QString broken = QString::fromUtf8(readAll(maintenancePath));
    broken.replace(u"-- Revises: 32863478822d"_s, u"-- Revises: 32863478zzzz"_s);
    if (!writeAll(maintenancePath, broken.toUtf8()))
        return u"cannot write "_s + maintenancePath;
    if (!QTest::qWaitFor([&] { return window.projectBanner()->isVisible(); }, 20000))
        return u"no banner for a revision whose parent is missing"_s;
    // The top of the window is the point; the rest is the same as in edited-since-applied.png.
    return shootScreen(u"project-banner.png"_s, 420);
}

QString ScreenshotSession::failedRun()
{
    QTemporaryDir dir;
    if (!dir.isValid() || !copyExample(dir.path()))
        return u"cannot copy the example into a temporary directory"_s;
    // On top of the head, a revision whose second statement fails: the table exists already.
    if (!writeAll(dir.filePath(u"versions/feedbeef0001_add_audit_notes.sql"_s),
                  "-- add audit notes\n--\n-- Revision ID: feedbeef0001\n-- Revises: 9abc688b6311\n"
                  "-- Branch labels:\n-- Depends on:\n-- Create Date: 2026-12-01 09:30:00.000000\n\n"
                  "-- migrate:upgrade\nCREATE TABLE audit_notes (id INTEGER PRIMARY KEY, note TEXT);\n"
                  "CREATE TABLE locations (id INTEGER PRIMARY KEY);\n\n"
                  "-- migrate:downgrade\nDROP TABLE audit_notes;\n"))
        return u"cannot write the failing revision"_s;
    MainWindow window;
    if (QString error = showProject(window, dir); !error.isEmpty())
        return error;

    window.upgradeHeadAction()->trigger();
    if (QString error = runPreviewedPlan(window, 11, false); !error.isEmpty())
        return error;
    MigrationErrorDialog *errorDialog = window.errorDialog();
    if (!QTest::qWaitFor([&] { return errorDialog->isVisible(); }, 20000))
        return u"the failed run did not show the error dialog"_s;
    centre(errorDialog);
    if (QString error = shootScreen(u"migration-error.png"_s); !error.isEmpty())
        return error;

    QTest::mouseClick(errorDialog->openButton(), Qt::LeftButton);
    // The editor as wide as the window, for the server's message under the failing line: the graph beside
    // it (collapsed here) is wider than the room the message leaves.
    if (auto *splitter = qobject_cast<QSplitter *>(window.findChild<QTabWidget *>()->parentWidget()))
        splitter->setSizes({0, 1});
    ScriptEditor *editor = window.scriptEditor();
    if (!QTest::qWaitFor([&] { return editor->diagnosticText(11).contains(u"already exists"_s); }, 20000))
        return u"the failing line carries no message: "_s + editor->diagnosticText(11);
    editor->showReplace();
    editor->findBar()->setFindText(u"locations"_s);
    editor->findBar()->findNext();
    return shootWidget(editor, u"scripteditor.png"_s);
}

QString ScreenshotSession::alembicProject()
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return u"cannot make a temporary directory"_s;
    AlembicProject project(dir.path(), u"sqlite:///shop.db"_s);
    if (!project.error().isEmpty())
        return project.error();
    // A shop's history with a labelled branch merged back, written as Alembic's template writes revisions.
    project.addRevision(u"1f3a9c2b7d40"_s, {}, u"create customers table"_s,
                        u"op.create_table('customers', sa.Column('id', sa.Integer, primary_key=True),\n"
                        "                sa.Column('email', sa.String(200), nullable=False))"_s,
                        u"op.drop_table('customers')"_s);
    project.addRevision(
        u"2b8e41d07c13"_s, {u"1f3a9c2b7d40"_s}, u"create orders table"_s,
        u"op.create_table('orders', sa.Column('id', sa.Integer, primary_key=True),\n"
        "                sa.Column('customer_id', sa.Integer, sa.ForeignKey('customers.id'),\n"
        "                          nullable=False),\n"
        "                sa.Column('total_cents', sa.Integer, nullable=False))"_s,
        u"op.drop_table('orders')"_s);
    project.addRevision(
        u"47aa0f3e91cd"_s, {u"2b8e41d07c13"_s}, u"reporting views"_s,
        u"op.execute('CREATE VIEW order_totals AS SELECT customer_id, SUM(total_cents) AS total '\n"
        "           'FROM orders GROUP BY customer_id')"_s,
        u"op.execute('DROP VIEW order_totals')"_s, {}, u"reports"_s);
    project.addRevision(u"3c5d1e9fa2b6"_s, {u"2b8e41d07c13"_s}, u"add orders index"_s,
                        u"op.create_index('ix_orders_customer_id', 'orders', ['customer_id'])"_s,
                        u"op.drop_index('ix_orders_customer_id', 'orders')"_s);
    project.addRevision(u"5e61b2c8d047"_s, {u"3c5d1e9fa2b6"_s, u"47aa0f3e91cd"_s}, u"merge reports"_s,
                        u"pass"_s, u"pass"_s);
    project.addRevision(u"6f0c3d7a5b19"_s, {u"5e61b2c8d047"_s}, u"add customer names"_s,
                        u"op.add_column('customers', sa.Column('name', sa.String(120)))"_s,
                        u"op.drop_column('customers', 'name')"_s);

    MainWindow window;
    if (QString error = showProject(window, dir); !error.isEmpty())
        return error;
    if (!QTest::qWaitFor([&] { return window.pythonStatus().contains(u"Alembic "_s); }, 20000))
        return u"no Alembic found for the project: "_s + window.pythonStatus();

    window.upgradeHeadAction()->trigger();
    PlanPreviewDialog *preview = window.planPreview();
    if (!QTest::qWaitFor([&] { return preview->isVisible(); }, 20000))
        return u"the plan preview of the Alembic project did not open"_s;
    preview->resize(1100, 740);
    centre(preview);
    preview->setCurrentStep(0);
    // The SQL comes from Alembic's offline mode, a Python process away.
    if (!QTest::qWaitFor([&] { return preview->editorText().contains(u"CREATE TABLE customers"_s); }, 30000))
        return u"the preview never showed Alembic's SQL of the first step: "_s + preview->editorText();
    if (QString error = shootFramed(preview, u"alembic-plan-preview.png"_s); !error.isEmpty())
        return error;
    if (QString error = runPreviewedPlan(window, 6); !error.isEmpty())
        return error;

    window.newRevisionAction()->trigger();
    NewRevisionDialog *dialog = window.newRevisionDialog();
    if (!dialog || !QTest::qWaitFor([&] { return dialog->isVisible(); }, 20000))
        return u"New revision… did not open its dialog"_s;
    QTest::keyClicks(dialog->messageEdit(), u"add loyalty points"_s);
    const QString newId = dialog->revisionId();
    QSignalSpy reloaded(&window, &MainWindow::projectLoaded);
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    if (!reloaded.wait(30000))
        return u"the new revision was not written: "_s + dialog->errorText();
    if (!QTest::qWaitFor([&] { return window.scriptEditor()->filePath().contains(newId); }, 20000))
        return u"the new revision did not open in the editor"_s;
    window.findChild<QDockWidget *>(u"runDock"_s)->raise();
    return shootScreen(u"alembic-new-revision.png"_s);
}

QString ScreenshotSession::tangledGraph()
{
    QTemporaryDir dir;
    if (!dir.isValid() || !copyExample(dir.path()))
        return u"cannot copy the example into a temporary directory"_s;
    QDir versions(dir.filePath(u"versions"_s));
    for (const QString &name : versions.entryList(QDir::Files))
        versions.remove(name);
    // Each revision on one of the five before it, one in five merging an older one too, one in twenty a new
    // root; seed 7, so that the picture only changes when the drawing does.
    QRandomGenerator random(7);
    QStringList ids;
    for (int i = 0; i < 40; ++i) {
        const QString message = u"revision %1"_s.arg(i);
        const QString id = QString::fromLatin1(
            QCryptographicHash::hash(message.toUtf8(), QCryptographicHash::Sha1).toHex().left(12));
        QStringList parents;
        if (i > 0 && random.bounded(100) >= 5) {
            parents.append(ids.at(i - 1 - int(random.bounded(std::min(i, 5)))));
            const QString other = ids.at(int(random.bounded(i)));
            if (random.bounded(100) < 20 && !parents.contains(other))
                parents.append(other);
        }
        ids.append(id);
        const QString text =
            u"-- %1\n--\n-- Revision ID: %2\n-- Revises: %3\n-- Branch labels:\n-- Depends on:\n"
            "-- Create Date: 2026-03-01 12:00:00.000000\n\n-- migrate:upgrade\nSELECT 1;\n\n"
            "-- migrate:downgrade\nSELECT 1;\n"_s.arg(message, id, parents.join(u", "_s));
        if (!writeAll(versions.filePath(u"%1_revision_%2.sql"_s.arg(id).arg(i)), text.toUtf8()))
            return u"cannot write revision %1"_s.arg(i);
    }

    MainWindow window;
    if (QString error = showProject(window, dir); !error.isEmpty())
        return error;
    // The graph alone, as tall as the screen allows.
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        dock->hide();
    window.graphView()->selectRevision(ids.at(20));
    // All 40 rows in the height left under the several-heads banner, the text still readable (fitToView()
    // also fits the width and makes it too small).
    window.graphView()->setZoom(0.7);
    return shootWidget(window.graphPanel(), u"revision-graph.png"_s);
}

QString ScreenshotSession::shootScreen(const QString &fileName, int height) const
{
    // Qt has sent its drawing; the X server and the window manager draw it (and the frames) a moment later.
    QTest::qWait(400);
    const QString path = m_directory.filePath(fileName);
    const QRect screen = QGuiApplication::primaryScreen()->geometry();
    if (!QGuiApplication::primaryScreen()->grabWindow(0, 0, 0, screen.width(), height).save(path))
        return u"cannot write "_s + path;
    return {};
}

QString ScreenshotSession::shootFramed(QWidget *window, const QString &fileName) const
{
    QTest::qWait(400);
    const QString path = m_directory.filePath(fileName);
    const QRect frame = window->frameGeometry();
    if (!QGuiApplication::primaryScreen()
             ->grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
             .save(path))
        return u"cannot write "_s + path;
    return {};
}

QString ScreenshotSession::shootWidget(QWidget *widget, const QString &fileName) const
{
    QTest::qWait(400);
    const QString path = m_directory.filePath(fileName);
    if (!widget->grab().save(path))
        return u"cannot write "_s + path;
    return {};
}
