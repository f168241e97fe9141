// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"
#include "execution/auditobserver.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "revisions/revisiondetails.h"
#include "run/historymodel.h"

#include "testfiles.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString mergeId = u"32863478822d"_s;
const QString branchPointId = u"0169b51572d2"_s;

// The ids a link label links to, in order.
QStringList linkTargets(const QLabel *label)
{
    QStringList targets;
    static const QRegularExpression href(u"href=\"([^\"]*)\""_s);
    for (const QRegularExpressionMatch &match : href.globalMatch(label->text()))
        targets.append(match.captured(1));
    return targets;
}

} // namespace

// RevisionDetails on the bundled example's graph and on the history real runs wrote to SQLite.
class TestRevisionDetails : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Project> m_project;
    DatabaseUrl m_url;

    const RevisionMap &map() const { return m_project->map(); }
    QLabel *value(RevisionDetails &details, const QString &name)
    {
        auto *label = details.findChild<QLabel *>(name);
        if (!label)
            qFatal("no label %s", qPrintable(name));
        return label;
    }

    Expected<QList<HistoryEntry>> run(Migrator::Request::Kind kind, const QString &target)
    {
        Migrator migrator(map(), m_url, MigratorOptions::fromConfig(m_project->config()));
        AuditObserver observer;
        migrator.setObserver(&observer);
        Migrator::Request request;
        request.kind = kind;
        request.targets = {target};
        Expected<Migrator::Result> result = migrator.run(request);
        if (!result)
            return result.error();
        Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(m_url, QString());
        if (!connection)
            return connection.error();
        return AuditHistory((*connection)->database(), migrator.dialect()).entries();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(copyExample(m_dir.path()));
        Expected<Project> project = Project::open(m_dir.filePath(u"alembic.ini"_s));
        QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
        m_project = std::make_unique<Project>(std::move(project.value()));
        m_url = *DatabaseUrl::parse(u"sqlite:///"_s + m_dir.filePath(u"details.db"_s));
    }

    void mergeRevision()
    {
        RevisionDetails details;
        details.show(); // a hidden panel shows its revision once it is shown
        const int index = map().indexOf(mergeId);
        QVERIFY(index >= 0);
        details.setRevision(map(), index);
        QCOMPARE(details.revisionId(), mergeId);
        QCOMPARE(value(details, u"titleValue"_s)->text(), u"merge telemetry into trunk"_s);
        QTRY_COMPARE(value(details, u"descriptionValue"_s)->text(),
                     u"Joins the telemetry branch back and adds the overview the dashboard "
                     u"reads, which needs tables from both sides."_s);
        QCOMPARE(value(details, u"revisionValue"_s)->text(), mergeId);
        QVERIFY(value(details, u"revisionValue"_s)->textInteractionFlags() & Qt::TextSelectableByMouse);
        QCOMPARE(value(details, u"kindValue"_s)->text(), u"SQL, merge point"_s);
        // Parents in the order the file gives them.
        QCOMPARE(linkTargets(value(details, u"parentsValue"_s)),
                 QStringList({u"bcddf3f8350c"_s, u"696e23fe439e"_s}));
        QCOMPARE(linkTargets(value(details, u"childrenValue"_s)), QStringList({u"2f2467916363"_s}));
        QVERIFY(!value(details, u"dependsOnValue"_s)->isVisibleTo(&details));
        QVERIFY(!value(details, u"neededByValue"_s)->isVisibleTo(&details));
        const Revision &revision = map().revision(index);
        QCOMPARE(value(details, u"fileValue"_s)->toolTip(), revision.path);
        QVERIFY(value(details, u"fileValue"_s)
                    ->text()
                    .contains(u"32863478822d_merge_telemetry_into_trunk.sql"_s));
        QCOMPARE(value(details, u"createdValue"_s)->text(), QString::fromUtf8(revision.createDate));
        QVERIFY(!revision.createDate.isEmpty());
        // Labels are the map's, propagated along the branch (Alembic's rule), with the revision declaring
        // them.
        QCOMPARE(map().labels(index), QStringList({u"telemetry"_s}));
        QCOMPARE(value(details, u"labelsValue"_s)->text(), u"telemetry (from 575ce023861c)"_s);
        QVERIFY(value(details, u"labelsValue"_s)->isVisibleTo(&details));
        QCOMPARE(details.stateText(), u"No connection selected"_s);
    }

    // The description is read from the file on a worker: setRevision() does not wait for the disk, and a
    // read that ends after another revision was selected is not shown for it.
    void descriptionReadOffTheUiThread()
    {
        RevisionDetails details;
        details.show(); // a hidden panel shows its revision once it is shown
        QLabel *description = value(details, u"descriptionValue"_s);
        details.setRevision(map(), map().indexOf(mergeId));
        QVERIFY(description->text().isEmpty());
        QTRY_VERIFY(description->text().startsWith(u"Joins the telemetry branch back"_s));
        QVERIFY(description->isVisibleTo(&details));

        // Two more at once: the last one's description is the one shown, whichever read ends last.
        details.setRevision(map(), map().indexOf(u"2f2467916363"_s));
        details.setRevision(map(), map().indexOf(u"cf60bc0183a4"_s));
        QVERIFY(description->text().isEmpty());
        QTRY_VERIFY(description->text().startsWith(u"Sites where devices are installed."_s));
        QTest::qWait(100); // every read started has ended
        QVERIFY2(description->text().startsWith(u"Sites where devices are installed."_s),
                 qPrintable(description->text()));

        // No revision: nothing left to show.
        details.setRevision(map(), -1);
        QCOMPARE(details.revisionId(), QString());
    }

    void branchPointAndDependencies()
    {
        RevisionDetails details;
        details.show(); // a hidden panel shows its revision once it is shown
        details.setRevision(map(), map().indexOf(branchPointId));
        QCOMPARE(value(details, u"kindValue"_s)->text(), u"SQL, branch point"_s);
        QCOMPARE(linkTargets(value(details, u"parentsValue"_s)), QStringList({u"83ca92fed024"_s}));
        QCOMPARE(linkTargets(value(details, u"childrenValue"_s)),
                 QStringList({u"575ce023861c"_s, u"6aa67ef48cab"_s}));
        QVERIFY(!value(details, u"labelsValue"_s)->isVisibleTo(&details));
        QVERIFY(!value(details, u"dependsOnValue"_s)->isVisibleTo(&details));

        // The telemetry branch's first revision: declares the label, and 696e23fe439e depends on it.
        details.setRevision(map(), map().indexOf(u"575ce023861c"_s));
        QCOMPARE(value(details, u"labelsValue"_s)->text(), u"telemetry"_s);
        QVERIFY(value(details, u"labelsValue"_s)->isVisibleTo(&details));
        QCOMPARE(linkTargets(value(details, u"neededByValue"_s)), QStringList({u"696e23fe439e"_s}));
        QCOMPARE(linkTargets(value(details, u"childrenValue"_s)), QStringList({u"bcddf3f8350c"_s}));

        details.setRevision(map(), map().indexOf(u"696e23fe439e"_s));
        QCOMPARE(linkTargets(value(details, u"dependsOnValue"_s)), QStringList({u"575ce023861c"_s}));
        QVERIFY(value(details, u"dependsOnValue"_s)->isVisibleTo(&details));
        QVERIFY(!value(details, u"neededByValue"_s)->isVisibleTo(&details));
        QVERIFY(!value(details, u"labelsValue"_s)->isVisibleTo(&details));

        // Base and head.
        details.setRevision(map(), map().indexOf(u"cf60bc0183a4"_s));
        QCOMPARE(value(details, u"kindValue"_s)->text(), u"SQL, base"_s);
        QCOMPARE(linkTargets(value(details, u"parentsValue"_s)), QStringList());
        QCOMPARE(value(details, u"parentsValue"_s)->text(), u"none (base)"_s);
        details.setRevision(map(), map().indexOf(u"9abc688b6311"_s));
        QCOMPARE(value(details, u"kindValue"_s)->text(), u"SQL, head"_s);
        QCOMPARE(value(details, u"childrenValue"_s)->text(), u"none (head)"_s);
    }

    void stateFromRealHistory()
    {
        RevisionDetails details;
        QAbstractItemModelTester tester(details.historyModel(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        details.setRevision(map(), map().indexOf(mergeId));

        // Up to the merge: it is applied, the head is not.
        Expected<QList<HistoryEntry>> entries = run(Migrator::Request::Kind::Upgrade, mergeId);
        QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
        QCOMPARE(entries->size(), 8);
        QCOMPARE(entries->constFirst().revision, mergeId);
        details.setHistory(*entries, u"details.db"_s);
        const HistoryEntry &applied = entries->constFirst();
        const QString who = applied.osUser.isEmpty() ? applied.host : applied.osUser + u'@' + applied.host;
        QCOMPARE(details.stateText(), u"Applied on details.db at %1 by %2, took %3"_s.arg(
                                          applied.finishedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s),
                                          who, HistoryModel::formatDuration(applied.durationMs)));
        QCOMPARE(details.historyModel()->rowCount(), 1);
        QCOMPARE(details.historyModel()->entry(0).revision, mergeId);

        // History first, revision second: the same answer.
        RevisionDetails other;
        other.setHistory(*entries, u"details.db"_s);
        other.setRevision(map(), map().indexOf(mergeId));
        QCOMPARE(other.stateText(), details.stateText());

        details.setRevision(map(), map().indexOf(u"9abc688b6311"_s));
        // Without rows of its own, the version rows say it: unknown until they are read.
        QCOMPARE(details.stateText(), u"Unknown (not connected to details.db)"_s);
        details.setAppliedOnDatabase(false);
        QCOMPARE(details.stateText(), u"Not applied on details.db"_s);
        details.setAppliedOnDatabase(true); // stamped, or applied by another tool
        QVERIFY2(details.stateText().startsWith(u"Applied on details.db (no qmigrate_history rows"_s),
                 qPrintable(details.stateText()));
        details.setAppliedOnDatabase(std::nullopt);
        QCOMPARE(details.historyModel()->rowCount(), 0);

        // Down to one of its parents: the merge is reverted; both its rows are listed, newest first.
        entries = run(Migrator::Request::Kind::Downgrade, u"bcddf3f8350c"_s);
        QVERIFY2(entries, qPrintable(entries ? QString() : entries.error().toString()));
        details.setRevision(map(), map().indexOf(mergeId));
        details.setHistory(*entries, u"details.db"_s);
        QVERIFY2(details.stateText().startsWith(u"Reverted on details.db at "_s),
                 qPrintable(details.stateText()));
        QCOMPARE(details.historyModel()->rowCount(), 2);
        QCOMPARE(details.historyModel()->entry(0).direction, HistoryEntry::Direction::Downgrade);
        QCOMPARE(details.historyModel()->entry(1).direction, HistoryEntry::Direction::Upgrade);

        // Another revision's rows are its own.
        details.setRevision(map(), map().indexOf(branchPointId));
        QVERIFY2(details.stateText().startsWith(u"Applied on details.db at "_s),
                 qPrintable(details.stateText()));
        QCOMPARE(details.historyModel()->rowCount(), 1);

        // No connection.
        details.setHistory({}, {});
        QCOMPARE(details.stateText(), u"No connection selected"_s);
        QCOMPARE(details.historyModel()->rowCount(), 0);
    }

    void linksEmitTheirTargets()
    {
        RevisionDetails details;
        details.resize(600, 500);
        details.setRevision(map(), map().indexOf(branchPointId));
        details.show();
        QVERIFY(QTest::qWaitForWindowExposed(&details));
        QSignalSpy activated(&details, &RevisionDetails::revisionActivated);
        QSignalSpy openFile(&details, &RevisionDetails::openFile);

        // A click on the parent's id, as a user does it.
        QLabel *parents = value(details, u"parentsValue"_s);
        QTest::mouseClick(parents, Qt::LeftButton, {}, QPoint(4, parents->height() / 2));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), u"83ca92fed024"_s);

        QLabel *file = value(details, u"fileValue"_s);
        QTest::mouseClick(file, Qt::LeftButton, {}, QPoint(4, file->height() / 2));
        QCOMPARE(openFile.count(), 1);
        QCOMPARE(openFile.at(0).at(0).toString(), map().revision(map().indexOf(branchPointId)).path);

        // Each link of a list is its own target.
        QLabel *children = value(details, u"childrenValue"_s);
        emit children->linkActivated(u"6aa67ef48cab"_s);
        QCOMPARE(activated.count(), 2);
        QCOMPARE(activated.at(1).at(0).toString(), u"6aa67ef48cab"_s);
    }

    void computedFields()
    {
        RevisionDetails details;
        details.show(); // a hidden panel shows its revision once it is shown
        details.setRevision(map(), map().indexOf(mergeId));
        QVERIFY(!value(details, u"computedValue"_s)->isVisibleTo(&details));

        Revision computed;
        computed.id = u"a1"_s;
        computed.kind = Revision::Kind::Python;
        computed.branchLabels = {u"expand"_s};
        computed.addComputedField(u"branch_labels from myproj/db/migration/cli.py:12"_s);
        computed.addUnresolvedField(u"depends_on"_s);
        const Expected<RevisionMap> single = RevisionMap::build({computed});
        QVERIFY(single.hasValue());
        details.setRevision(*single, 0);
        QVERIFY(value(details, u"computedValue"_s)->isVisibleTo(&details));
        QCOMPARE(value(details, u"computedValue"_s)->text(),
                 u"branch_labels from myproj/db/migration/cli.py:12\n"
                 u"depends_on not read (left empty: needs the project's Alembic)"_s);
    }

    // A revision past many labelled revisions inherits all their labels: its own are listed, then a few
    // inherited ones, then a count.
    void manyLabelsAreCounted()
    {
        // Labels propagate up a chain as well as down: every revision of a chain has them all.
        const auto labelledChain = [](int length) {
            QList<Revision> chain;
            for (int n = 0; n < length; ++n) {
                Revision revision;
                revision.id = u"r%1"_s.arg(n);
                revision.branchLabels = {u"l%1"_s.arg(n)};
                if (n > 0)
                    revision.downRevisions = {u"r%1"_s.arg(n - 1)};
                chain.append(revision);
            }
            return RevisionMap::build(chain);
        };
        const Expected<RevisionMap> labelled = labelledChain(10);
        QVERIFY(labelled.hasValue());
        const int last = labelled->indexOf(u"r9"_s);
        QCOMPARE(labelled->labels(last).size(), 10);

        RevisionDetails details;
        details.setRevision(*labelled, last);
        const QString text = value(details, u"labelsValue"_s)->text();
        QVERIFY2(text.startsWith(u"l9, "_s), qPrintable(text));
        QCOMPARE(text.count(u"(from r"_s), RevisionDetails::shownLabels - 1);
        QVERIFY2(text.endsWith(u" and %1 more"_s.arg(10 - RevisionDetails::shownLabels)), qPrintable(text));

        // At the limit plus one, every label is listed: "and 1 more" would be no shorter.
        const Expected<RevisionMap> atLimit = labelledChain(RevisionDetails::shownLabels + 1);
        QVERIFY(atLimit.hasValue());
        details.setRevision(*atLimit, 0);
        const QString all = value(details, u"labelsValue"_s)->text();
        QVERIFY2(!all.contains(u"more"_s), qPrintable(all));
        QCOMPARE(all.count(u", "_s), RevisionDetails::shownLabels);
    }

    // A stamp's row names every revision it stamped ("a, b"): each of them lists it, no other does.
    void stampRowsBelongToEachRevisionNamed()
    {
        const auto entry = [](const QString &revision, HistoryEntry::Direction direction) {
            HistoryEntry row;
            row.revision = revision;
            row.direction = direction;
            row.finishedAt = QDateTime::currentDateTimeUtc();
            return row;
        };
        const QList<HistoryEntry> entries = {
            entry(mergeId + u", "_s + branchPointId, HistoryEntry::Direction::Stamp),
            entry(branchPointId, HistoryEntry::Direction::Upgrade),
            entry(mergeId + u"0"_s, HistoryEntry::Direction::Upgrade), // an id only starting like the merge's
        };
        RevisionDetails details;
        details.setHistory(entries, u"details.db"_s);
        details.setRevision(map(), map().indexOf(mergeId));
        QCOMPARE(details.historyModel()->rowCount(), 1);
        QCOMPARE(details.historyModel()->entry(0).direction, HistoryEntry::Direction::Stamp);
        QVERIFY2(details.stateText().startsWith(u"Stamped on details.db at "_s),
                 qPrintable(details.stateText()));
        details.setRevision(map(), map().indexOf(branchPointId));
        QCOMPARE(details.historyModel()->rowCount(), 2);
        QCOMPARE(details.historyModel()->entry(0).direction, HistoryEntry::Direction::Stamp);
        QCOMPARE(details.historyModel()->entry(1).direction, HistoryEntry::Direction::Upgrade);
        details.setHistory({}, u"details.db"_s);
        QCOMPARE(details.historyModel()->rowCount(), 0);
    }

    void hiddenPanelShowsItsRevisionWhenShown()
    {
        RevisionDetails details;
        details.setRevision(map(), map().indexOf(mergeId));
        // Filled while hidden, laid out once shown.
        QCOMPARE(value(details, u"revisionValue"_s)->text(), mergeId);
        QCOMPARE(value(details, u"titleValue"_s)->text(), u"merge telemetry into trunk"_s);
        QVERIFY(!value(details, u"revisionValue"_s)->isVisibleTo(&details));
        details.show();
        QVERIFY(value(details, u"revisionValue"_s)->isVisibleTo(&details));
        QVERIFY(value(details, u"parentsValue"_s)->isVisibleTo(&details));

        // Cleared while hidden: the placeholder, not the revision before, once shown again.
        details.hide();
        details.setRevision(map(), map().indexOf(branchPointId));
        details.clear();
        details.show();
        QVERIFY(!value(details, u"revisionValue"_s)->isVisibleTo(&details));
        QCOMPARE(details.revisionId(), QString());

        // Selected while visible: shown at once.
        details.setRevision(map(), map().indexOf(branchPointId));
        QVERIFY(value(details, u"revisionValue"_s)->isVisibleTo(&details));
        QCOMPARE(value(details, u"revisionValue"_s)->text(), branchPointId);
    }

    void clearShowsThePlaceholder()
    {
        RevisionDetails details;
        details.show(); // a hidden panel shows its revision once it is shown
        details.setRevision(map(), map().indexOf(mergeId));
        QVERIFY(value(details, u"revisionValue"_s)->isVisibleTo(&details));
        details.clear();
        QCOMPARE(details.revisionId(), QString());
        QVERIFY(!value(details, u"revisionValue"_s)->isVisibleTo(&details));
        details.setRevision(map(), map().indexOf(mergeId));
        QVERIFY(value(details, u"revisionValue"_s)->isVisibleTo(&details));
        details.setRevision(map(), -1);
        QVERIFY(!value(details, u"revisionValue"_s)->isVisibleTo(&details));
        details.setRevision(map(), int(map().size()));
        QCOMPARE(details.revisionId(), QString());
    }
};

QTEST_MAIN(TestRevisionDetails)
#include "tst_revisiondetails.moc"
