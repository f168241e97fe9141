// SPDX-License-Identifier: MIT
#include "authoring/revisionwriter.h"
#include "dialogs/newrevisiondialog.h"
#include "graph/revisionmap.h"
#include "project/project.h"
#include "run/migrationcontroller.h"

#include "testfiles.h"
#include <QCheckBox>
#include <QComboBox>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString exampleDir = QStringLiteral(QMIGRATE_SOURCE_DIR "/migrations");
// The example's only head, and a revision in the middle of its trunk.
const QString exampleHead = u"9abc688b6311"_s;
const QString trunkRevision = u"83ca92fed024"_s;
std::shared_ptr<const Project> openProject(const QString &dir)
{
    // No DB_HOST from the developer's shell: the ini alone describes the project.
    Expected<Project> project = Project::open(dir + u"/alembic.ini"_s, u"alembic"_s, QProcessEnvironment());
    if (!project) {
        qWarning("%s", qPrintable(project.error().toString()));
        return nullptr;
    }
    return std::make_shared<const Project>(std::move(*project));
}

QStringList versionFiles(const QString &dir)
{
    return QDir(dir + u"/versions"_s).entryList(QDir::Files, QDir::Name);
}

void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    edit->del();
    QTest::keyClicks(edit, text);
}

QStringList parentsOf(const Project &project, const QString &id)
{
    return project.map().revision(project.map().indexOf(id)).downRevisions;
}

// Sorted: the map lists heads in load order, which follows the (random) ids of new files.
QStringList headIds(const Project &project)
{
    QStringList ids;
    for (int head : project.map().heads())
        ids.append(project.map().idOf(head));
    ids.sort();
    return ids;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class TestNewRevisionDialog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    // The window's queue of database jobs, which writes the revisions.
    std::unique_ptr<MigrationController> m_controller;

    std::unique_ptr<NewRevisionDialog> openDialog(std::shared_ptr<const Project> project)
    {
        auto dialog = std::make_unique<NewRevisionDialog>(m_controller.get(), std::move(project));
        dialog->open();
        if (!QTest::qWaitForWindowExposed(dialog.get()))
            qWarning("dialog not exposed");
        return dialog;
    }

    // A second head: a branch from trunkRevision, written by the engine.
    bool makeSecondHead(QString *id)
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        if (!project)
            return false;
        NewRevision request;
        request.message = u"side branch"_s;
        request.heads = {trunkRevision};
        request.splice = true;
        Expected<Revision> written = RevisionWriter::create(*project, request);
        if (!written) {
            qWarning("%s", qPrintable(written.error().toString()));
            return false;
        }
        *id = written->id;
        return true;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->path();
        QVERIFY(copyExample(m_path));
        m_controller = std::make_unique<MigrationController>();
    }

    void cleanup() { m_controller.reset(); }

    void newRevisionOnTheHead()
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        QCOMPARE(dialog->mode(), NewRevisionDialog::Mode::NewRevision);
        QCOMPARE(dialog->parentCombo()->currentData().toString(), exampleHead);
        QVERIFY(dialog->parentCombo()->currentText().startsWith(exampleHead + u" add contact email"_s));
        // The combo lists the head, a new root and the free entry.
        QCOMPARE(dialog->parentCombo()->count(), 3);
        QCOMPARE(dialog->parentCombo()->itemText(1), u"base (a new root)"_s);
        QCOMPARE(dialog->parentCombo()->itemText(2), u"Other revision…"_s);
        QVERIFY(!dialog->otherParentEdit()->isEnabled());
        QVERIFY(!dialog->spliceCheck()->isEnabled());
        // Autogenerate needs a database to build its scratch schemas on; with one, it is offered.
        QVERIFY(!dialog->autogenerateCheck()->isEnabled());
        QVERIFY(dialog->autogenerateCheck()->toolTip().startsWith(u"Select a database connection first"_s));
        dialog->setDatabaseUrl(*DatabaseUrl::parse(u"sqlite:///scratch.db"_s));
        QVERIFY(dialog->autogenerateCheck()->isEnabled());
        dialog->setDatabaseUrl(std::nullopt);
        QVERIFY(!dialog->autogenerateCheck()->isEnabled());
        // No message yet: OK is disabled and the dialog says why.
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->errorText().startsWith(u"Enter a message"_s), qPrintable(dialog->errorText()));
        QVERIFY(dialog->findChild<QLabel *>(u"statusLabel"_s)->isVisible());

        const QString revId = dialog->revisionId();
        QCOMPARE(revId.size(), 12);
        type(dialog->messageEdit(), u"Add notes to devices"_s);
        QVERIFY(dialog->okButton()->isEnabled());
        QCOMPARE(dialog->errorText(), QString());
        // file_template = %%(rev)s_%%(slug)s, truncate_slug_length = 40.
        QCOMPARE(dialog->fileNamePreview(), u"versions/%1_add_notes_to_devices.sql"_s.arg(revId));
        QCOMPARE(dialog->findChild<QLabel *>(u"fileNamePreview"_s)->text(), dialog->fileNamePreview());
        QCOMPARE(dialog->plannedPath(), m_path + u"/versions/%1_add_notes_to_devices.sql"_s.arg(revId));

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(created.wait());
        QCOMPARE(created.size(), 1);
        const QString path = created.first().at(0).toString();
        const QString id = created.first().at(1).toString();
        QCOMPARE(id, revId);
        QCOMPARE(path, dialog->plannedPath());
        QVERIFY(QFileInfo::exists(path));
        QCOMPARE(QFileInfo(path).fileName(), id + u"_add_notes_to_devices.sql"_s);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog->result(), int(QDialog::Accepted));
        QVERIFY(!dialog->isVisible());

        const std::shared_ptr<const Project> reopened = openProject(m_path);
        QVERIFY(reopened);
        QCOMPARE(headIds(*reopened), QStringList{id});
        QCOMPARE(parentsOf(*reopened, id), QStringList{exampleHead});
        QCOMPARE(reopened->map().revision(reopened->map().indexOf(id)).message, u"Add notes to devices"_s);

        // Reused after the reload: the new head is the parent now, with a fresh id.
        dialog->setProject(reopened);
        dialog->prepareNewRevision();
        QCOMPARE(dialog->parentCombo()->currentData().toString(), id);
        QVERIFY(dialog->revisionId() != revId);
        QCOMPARE(dialog->messageEdit()->text(), QString());
    }

    void branchLabelAndDependsOn()
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        type(dialog->messageEdit(), u"audit tables"_s);
        type(dialog->branchLabelEdit(), u"audit"_s);
        // A prefix and a label: stored as the full id and as the label.
        type(dialog->dependsOnEdit(), u"cf60bc, telemetry"_s);
        QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->errorText()));
        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(created.wait());
        const QString id = created.first().at(1).toString();
        const std::shared_ptr<const Project> reopened = openProject(m_path);
        QVERIFY(reopened);
        const Revision &written = reopened->map().revision(reopened->map().indexOf(id));
        QCOMPARE(written.branchLabels, QStringList{u"audit"_s});
        QCOMPARE(written.dependsOn, (QStringList{u"cf60bc0183a4"_s, u"telemetry"_s}));
        QCOMPARE(reopened->map().labelOwner(u"audit"_s), reopened->map().indexOf(id));
    }

    void spliceFromTheGraph()
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision(trunkRevision);
        QCOMPARE(dialog->parentCombo()->currentText(), u"Other revision…"_s);
        QVERIFY(dialog->otherParentEdit()->isEnabled());
        QCOMPARE(dialog->otherParentEdit()->text(), trunkRevision);
        QVERIFY(dialog->spliceCheck()->isEnabled());
        QVERIFY(!dialog->spliceCheck()->isChecked());
        type(dialog->messageEdit(), u"hotfix for devices"_s);
        QVERIFY(!dialog->okButton()->isEnabled());
        QCOMPARE(dialog->errorText(),
                 u"Revision 83ca92fed024 is not a head: check \"Splice\" to start a new branch from it"_s);

        // Choosing the head instead needs no splice; back to the graph's revision it does again.
        dialog->parentCombo()->setCurrentIndex(0);
        QVERIFY(!dialog->spliceCheck()->isEnabled());
        QVERIFY(dialog->okButton()->isEnabled());
        dialog->parentCombo()->setCurrentIndex(dialog->parentCombo()->count() - 1);
        QVERIFY(!dialog->okButton()->isEnabled());

        QTest::mouseClick(dialog->spliceCheck(), Qt::LeftButton);
        QVERIFY(dialog->spliceCheck()->isChecked());
        QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->errorText()));
        QCOMPARE(dialog->fileNamePreview(),
                 u"versions/%1_hotfix_for_devices.sql"_s.arg(dialog->revisionId()));

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(created.wait());
        const QString id = created.first().at(1).toString();
        const std::shared_ptr<const Project> reopened = openProject(m_path);
        QVERIFY(reopened);
        QCOMPARE(headIds(*reopened), sorted({exampleHead, id}));
        QCOMPARE(parentsOf(*reopened, id), QStringList{trunkRevision});
    }

    // Autogenerate on a parent that is not the head: the draft starts from the schema at that parent, which
    // has no sensors table yet, so the sensors table is created whole instead of altered.
    void autogenerateOnASplicedParent()
    {
        const QString model = m_path + u"/schema.sql"_s;
        QByteArray changed = readAll(model);
        QVERIFY(changed.contains("    max_value REAL,\n"));
        changed.replace("    max_value REAL,\n", "    max_value REAL,\n    calibrated_at TIMESTAMP,\n");
        QVERIFY(writeAll(model, changed));
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->setDatabaseUrl(*DatabaseUrl::parse(u"sqlite:///"_s + m_path + u"/example.db"_s));
        dialog->prepareNewRevision(trunkRevision);
        type(dialog->messageEdit(), u"calibrate sensors"_s);
        QTest::mouseClick(dialog->spliceCheck(), Qt::LeftButton);
        QVERIFY(dialog->autogenerateCheck()->isEnabled());
        QVERIFY2(dialog->autogenerateCheck()->toolTip().contains(u"the schema at the parent"_s),
                 qPrintable(dialog->autogenerateCheck()->toolTip()));
        dialog->autogenerateCheck()->setChecked(true);
        QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->errorText()));

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWriting(), 30000);
        QVERIFY2(created.size() == 1, qPrintable(dialog->errorText()));
        const QString draft = QString::fromUtf8(readAll(created.first().at(0).toString()));
        QVERIFY2(draft.contains(u"-- Revises: 83ca92fed024\n"_s), qPrintable(draft));
        QVERIFY2(draft.contains(u"CREATE TABLE sensors"_s, Qt::CaseInsensitive), qPrintable(draft));
        QVERIFY2(draft.contains(u"calibrated_at"_s), qPrintable(draft));
        QVERIFY2(!draft.contains(u"ALTER TABLE sensors ADD"_s, Qt::CaseInsensitive), qPrintable(draft));
    }

    void otherRevisionIdentifiers()
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        type(dialog->messageEdit(), u"x"_s);
        dialog->parentCombo()->setCurrentIndex(dialog->parentCombo()->count() - 1);
        QVERIFY(!dialog->okButton()->isEnabled());
        QCOMPARE(dialog->errorText(), u"Enter the revision the new one goes on top of"_s);
        // A prefix of the head: no splice needed.
        type(dialog->otherParentEdit(), u"9abc"_s);
        QVERIFY(dialog->okButton()->isEnabled());
        QVERIFY(!dialog->spliceCheck()->isEnabled());
        // The map's own refusal, as it words it.
        type(dialog->otherParentEdit(), u"zzzz"_s);
        QVERIFY(!dialog->okButton()->isEnabled());
        const Expected<QList<int>> expected = project->map().resolve(u"zzzz"_s);
        QVERIFY(!expected);
        QCOMPARE(dialog->errorText(), expected.error().message());
        // base: a new root.
        dialog->parentCombo()->setCurrentIndex(1);
        QVERIFY(dialog->okButton()->isEnabled());
    }

    void twoHeadsThenMerge()
    {
        QString sideHead;
        QVERIFY(makeSecondHead(&sideHead));
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        QCOMPARE(headIds(*project), sorted({exampleHead, sideHead}));

        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        QCOMPARE(dialog->parentCombo()->currentIndex(), -1);
        type(dialog->messageEdit(), u"on which head?"_s);
        QVERIFY(!dialog->okButton()->isEnabled());
        const QStringList loadOrder = {project->map().idOf(project->map().heads().at(0)),
                                       project->map().idOf(project->map().heads().at(1))};
        QCOMPARE(sorted(loadOrder), sorted({exampleHead, sideHead}));
        QCOMPARE(
            dialog->errorText(),
            u"There are 2 heads (%1, %2): choose the parent of the new revision, or merge the heads"_s.arg(
                loadOrder.at(0), loadOrder.at(1)));
        // The file's place is known before its parent: the project has one version location.
        QCOMPARE(dialog->fileNamePreview(), u"versions/%1_on_which_head.sql"_s.arg(dialog->revisionId()));
        const QStringList before = versionFiles(m_path);
        dialog->accept(); // as Enter would: refused, nothing written
        QVERIFY(!dialog->isWriting());
        QVERIFY(dialog->isVisible());
        QCOMPARE(versionFiles(m_path), before);

        dialog->prepareMerge({exampleHead, sideHead});
        QCOMPARE(dialog->mode(), NewRevisionDialog::Mode::Merge);
        QCOMPARE(dialog->windowTitle(), u"Merge heads"_s);
        QVERIFY(!dialog->parentCombo()->isVisible());
        QVERIFY(!dialog->dependsOnEdit()->isVisible());
        QVERIFY(dialog->mergeList()->isVisible());
        QCOMPARE(dialog->mergeList()->count(), 2);
        // Each head's whole name shows (id, message, labels) at the size the dialog opens with, and the
        // tooltip has it too.
        dialog->layout()->activate();
        dialog->resize(dialog->sizeHint());
        dialog->layout()->activate();
        for (int row = 0; row < dialog->mergeList()->count(); ++row) {
            const QListWidgetItem *item = dialog->mergeList()->item(row);
            const int needed = dialog->mergeList()->fontMetrics().horizontalAdvance(item->text());
            QVERIFY2(dialog->mergeList()->viewport()->width() >= needed + 16,
                     qPrintable(u"%1: %2 px shown, %3 needed"_s.arg(item->text())
                                    .arg(dialog->mergeList()->viewport()->width())
                                    .arg(needed)));
            QCOMPARE(item->toolTip(), item->text());
        }
        QCOMPARE(dialog->checkedMergeHeads(), loadOrder);
        QCOMPARE(dialog->messageEdit()->text(), QString());
        QVERIFY(!dialog->okButton()->isEnabled());
        type(dialog->messageEdit(), u"merge side branch"_s);
        QVERIFY(dialog->okButton()->isEnabled());
        dialog->mergeList()->item(1)->setCheckState(Qt::Unchecked);
        QVERIFY(!dialog->okButton()->isEnabled());
        QCOMPARE(dialog->errorText(), u"Check at least two heads to merge"_s);
        dialog->mergeList()->item(1)->setCheckState(Qt::Checked);
        QVERIFY(dialog->okButton()->isEnabled());

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(created.wait());
        const QString id = created.first().at(1).toString();
        QCOMPARE(QFileInfo(created.first().at(0).toString()).fileName(), id + u"_merge_side_branch.sql"_s);
        const std::shared_ptr<const Project> reopened = openProject(m_path);
        QVERIFY(reopened);
        QCOMPARE(headIds(*reopened), QStringList{id});
        QCOMPARE(parentsOf(*reopened, id), loadOrder);
        QVERIFY(reopened->map().isMergePoint(reopened->map().indexOf(id)));
    }

    void badInputs_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("branchLabel");
        QTest::addColumn<QString>("dependsOn");
        QTest::addColumn<QString>("expectedError");

        QTest::newRow("empty message") << QString() << QString() << QString() << u"Enter a message"_s;
        QTest::newRow("blank message") << u"   "_s << QString() << QString() << u"Enter a message"_s;
        QTest::newRow("used branch label")
            << u"x"_s << u"telemetry"_s << QString()
            << u"Branch label 'telemetry' is already used by revision 575ce023861c"_s;
        QTest::newRow("label with a space")
            << u"x"_s << u"two words"_s << QString()
            << u"Branch label 'two words' is not valid: a label is one word, without spaces or commas"_s;
        QTest::newRow("label is an id") << u"x"_s << u"cf60bc0183a4"_s << QString()
                                        << u"Branch label 'cf60bc0183a4' is the id of an existing revision"_s;
        QTest::newRow("unresolvable depends_on")
            << u"x"_s << QString() << u"cf60bc0183a4, nosuchrev"_s << u"Depends on 'nosuchrev': "_s;
        QTest::newRow("depends_on base")
            << u"x"_s << QString() << u"base"_s << u"Depends on 'base' names no revision"_s;
    }

    void badInputs()
    {
        QFETCH(QString, message);
        QFETCH(QString, branchLabel);
        QFETCH(QString, dependsOn);
        QFETCH(QString, expectedError);

        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        const QStringList before = versionFiles(m_path);
        type(dialog->messageEdit(), message);
        type(dialog->branchLabelEdit(), branchLabel);
        type(dialog->dependsOnEdit(), dependsOn);
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY2(dialog->errorText().startsWith(expectedError), qPrintable(dialog->errorText()));
        QCOMPARE(dialog->statusText(), dialog->errorText());
        if (dependsOn.contains(u"nosuchrev"_s)) {
            // The map's message follows the identifier.
            const Expected<int> resolved = project->map().resolveOne(u"nosuchrev"_s);
            QVERIFY(!resolved);
            QCOMPARE(dialog->errorText(), expectedError + resolved.error().message());
        }

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        dialog->accept();
        QVERIFY(!dialog->isWriting());
        QVERIFY(dialog->isVisible());
        QVERIFY(created.isEmpty());
        QCOMPARE(versionFiles(m_path), before);
    }

    // What the validator cannot see: the template broken after the project was read. The engine refuses,
    // its message names the template and line, and the dialog stays open.
    void writeRefusedByTheEngine()
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        type(dialog->messageEdit(), u"add notes"_s);
        QVERIFY(dialog->okButton()->isEnabled());

        const QString templatePath = m_path + u"/script.sql.tmpl"_s;
        QFile templateFile(templatePath);
        QVERIFY(templateFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
        templateFile.write(
            "-- ${message}\n--\n-- Revision ID: ${up_revision}\n-- Revises: ${down_revison}\n");
        templateFile.close();
        const QStringList before = versionFiles(m_path);

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!dialog->isWriting());
        QVERIFY(created.isEmpty());
        QVERIFY(dialog->isVisible());
        QVERIFY2(
            dialog->errorText().startsWith(templatePath + u":4: Unknown placeholder '${down_revison}'"_s),
            qPrintable(dialog->errorText()));
        QCOMPARE(dialog->statusText(), dialog->errorText());
        QCOMPARE(versionFiles(m_path), before);
        QVERIFY(dialog->okButton()->isEnabled());
        QVERIFY(dialog->messageEdit()->isEnabled());

        // An edit clears the engine's message (it may no longer apply).
        QTest::keyClicks(dialog->messageEdit(), u" to devices"_s);
        QCOMPARE(dialog->errorText(), QString());
    }

    // The controller's worker thread is held busy: the write cannot start until it is released, while the
    // dialog shows "Writing…" and the event loop keeps turning. A write on the UI thread would have finished
    // inside the click.
    void writesOffTheUiThread()
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        type(dialog->messageEdit(), u"written on a pool thread"_s);
        const QStringList before = versionFiles(m_path);

        // The probe runs first thing in every job, on the thread that runs it: the write's job waits there.
        QSemaphore started;
        QSemaphore release;
        std::atomic<QThread *> ranOn = nullptr;
        m_controller->setCallbackProbe([&started, &release, &ranOn](QThread *thread) {
            if (ranOn.exchange(thread) == nullptr) {
                started.release();
                release.acquire();
            }
        });
        auto restore = qScopeGuard([&] { release.release(); });

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QSignalSpy busy(m_controller.get(), &MigrationController::busyChanged);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(started.tryAcquire(1, 10000));
        QCOMPARE(ranOn.load(), m_controller->workerThread());
        QVERIFY(m_controller->isBusy());
        QCOMPARE(busy.size(), 1);
        QVERIFY(dialog->isWriting());
        QVERIFY(created.isEmpty());
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY(!dialog->cancelButton()->isEnabled());
        QVERIFY(!dialog->messageEdit()->isEnabled());
        QCOMPARE(dialog->statusText(),
                 u"Writing versions/%1_written_on_a_pool_thread.sql…"_s.arg(dialog->revisionId()));
        QCOMPARE(dialog->errorText(), QString());

        QTimer tick;
        QSignalSpy ticks(&tick, &QTimer::timeout);
        tick.start(10);
        QVERIFY(ticks.wait());
        QVERIFY(ticks.wait());
        dialog->reject(); // Escape while writing: ignored, the outcome must be seen
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->isWriting());
        QCOMPARE(versionFiles(m_path), before);

        release.release();
        QVERIFY(created.wait());
        QVERIFY(!dialog->isWriting());
        QVERIFY(QFileInfo::exists(created.first().at(0).toString()));
        QCOMPARE(versionFiles(m_path).size(), before.size() + 1);
        QTRY_VERIFY(!m_controller->isBusy());
    }

    // An autogenerated draft can be stopped from the dialog: Cancel while it waits on the controller's worker
    // cancels its job, nothing is written and the dialog closes once the job has answered.
    void cancelStopsTheDraft()
    {
        const QString model = m_path + u"/schema.sql"_s;
        QByteArray changed = readAll(model);
        QVERIFY(changed.contains("    max_value REAL,\n"));
        changed.replace("    max_value REAL,\n", "    max_value REAL,\n    calibrated_at TIMESTAMP,\n");
        QVERIFY(writeAll(model, changed));
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->setDatabaseUrl(*DatabaseUrl::parse(u"sqlite:///"_s + m_path + u"/example.db"_s));
        dialog->prepareNewRevision();
        type(dialog->messageEdit(), u"calibrate sensors"_s);
        dialog->autogenerateCheck()->setChecked(true);
        QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->errorText()));
        const QStringList before = versionFiles(m_path);

        QSemaphore started;
        QSemaphore release;
        std::atomic_bool held = false;
        m_controller->setCallbackProbe([&started, &release, &held](QThread *) {
            if (!held.exchange(true)) {
                started.release();
                release.acquire();
            }
        });
        auto restore = qScopeGuard([&] { release.release(); });

        QSignalSpy created(dialog.get(), &NewRevisionDialog::revisionCreated);
        QSignalSpy rejected(dialog.get(), &QDialog::rejected);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(started.tryAcquire(1, 10000));
        QVERIFY(dialog->isWriting());
        QVERIFY(dialog->cancelButton()->isEnabled()); // a draft can be stopped
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QVERIFY(dialog->isVisible()); // until the job has answered
        QVERIFY(dialog->isWriting());
        QCOMPARE(dialog->statusText(), u"Cancelling…"_s);
        QVERIFY(!dialog->cancelButton()->isEnabled());

        release.release();
        QVERIFY(rejected.wait(30000));
        QVERIFY(!dialog->isVisible());
        QVERIFY(!dialog->isWriting());
        QVERIFY(created.isEmpty());
        QCOMPARE(versionFiles(m_path), before);
        QTRY_VERIFY(!m_controller->isBusy());
    }

    // The dialog draws whole at its size once laid out (the edits' layout requests are posted, not run).
    void drawsAtItsSize()
    {
        const std::shared_ptr<const Project> project = openProject(m_path);
        QVERIFY(project);
        auto dialog = openDialog(project);
        dialog->prepareNewRevision();
        type(dialog->messageEdit(), u"Add notes to devices"_s);
        dialog->resize(dialog->sizeHint().expandedTo(QSize(680, 0)));
        // The edits' layout requests are still posted: lay out now, as the event loop would before painting.
        dialog->layout()->activate();
        const QImage image = dialog->grab().toImage();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size() / image.devicePixelRatio(), dialog->size());
    }
};

QTEST_MAIN(TestNewRevisionDialog)
#include "tst_newrevisiondialog.moc"
