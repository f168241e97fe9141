// SPDX-License-Identifier: MIT
#include "graph/databasestate.h"
#include "project/project.h"
#include "revisions/graphlayout.h"
#include "revisions/revisiongraphview.h"

#include <QAction>
#include <QClipboard>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMap>
#include <QMenu>
#include <QSignalSpy>
#include <QStyleHints>
#include <QTest>
#include <QThreadPool>
#include <QToolTip>
#include <QWheelEvent>

#include "graphfixture.h"

#include <cmath>

using namespace Qt::StringLiterals;
using qmigrate::DatabaseState;
using qmigrate::GraphLayout;
using qmigrate::Project;
using qmigrate::Revision;
using qmigrate::RevisionGraphView;
using qmigrate::RevisionMap;

class TestRevisionGraphView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheExample();
    void keyboardSelection();
    void clickSelects();
    void selectRevisionById();
    void zoomIsClamped();
    void ctrlWheelZooms();
    void severalHeadsWarning();
    void nodeStatesFollowTheSelection();
    void unknownRevisionBanner();
    void contextMenu();
    void search();
    void tenThousandRevisions();
    void layoutOnAWorkerThread();
    void laneColoursAreNotStateColours();
    void branchColoursSurviveANewBranch();
    void currentChipDuringADowngradePreview();
    void dependsOnIsDashed();
    void toolTips();
    void copyRevisionId();
    void darkPalette();
    void collapsedRuns();
    void collapsedRunsAndTheDatabase();

private:
    RevisionMap m_example;
};

namespace {

// The pixel the user sees at a scene point of the view.
QColor pixelAt(RevisionGraphView &view, const QPointF &scenePoint)
{
    return view.grab().toImage().pixelColor(view.mapFromScene(scenePoint) + view.viewport()->pos());
}

// WCAG's contrast ratio.
double contrast(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto linear = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Smallest angle between two hues, in degrees.
int hueDistance(const QColor &a, const QColor &b)
{
    const int d = std::abs(a.hsvHue() - b.hsvHue()) % 360;
    return std::min(d, 360 - d);
}

RevisionMap mapOf(const QString &graph, const QMap<QString, QString> &createDates = {})
{
    QList<Revision> revisions = parseGraph(u"graph"_s, graph);
    for (Revision &revision : revisions)
        revision.createDate = createDates.value(revision.id).toUtf8();
    auto map = RevisionMap::build(revisions);
    if (!map)
        qFatal("%s", qPrintable(map.error().toString()));
    return *map;
}

} // namespace

void TestRevisionGraphView::initTestCase()
{
    auto project = Project::open(QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations/alembic.ini"_s);
    QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
    m_example = project->map();
    QVERIFY(m_example.size() >= 5);
}

void TestRevisionGraphView::showsTheExample()
{
    RevisionGraphView view;
    view.resize(900, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.layout().rows().size(), size_t(m_example.size()));
    QCOMPARE(view.selectedRevision(), QString());
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
    // Something was painted besides the background.
    const QRgb background = image.pixel(image.width() - 1, image.height() - 1);
    bool painted = false;
    for (int y = 0; y < std::min(image.height(), 200) && !painted; ++y) {
        for (int x = 0; x < 60 && !painted; ++x)
            painted = image.pixel(x, y) != background;
    }
    QVERIFY(painted);
}

void TestRevisionGraphView::keyboardSelection()
{
    RevisionGraphView view;
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &RevisionGraphView::revisionSelected);
    const QList<int> history = m_example.history();

    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), m_example.idOf(history.at(0)));
    QTest::keyClick(&view, Qt::Key_Down);
    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.last().at(0).toString(), m_example.idOf(history.at(2)));
    QCOMPARE(view.selectedRevision(), m_example.idOf(history.at(2)));
    QCOMPARE(view.selectedRow(), 2);
    QTest::keyClick(&view, Qt::Key_Up);
    QCOMPARE(view.selectedRevision(), m_example.idOf(history.at(1)));
    QTest::keyClick(&view, Qt::Key_End);
    QCOMPARE(view.selectedRevision(), m_example.idOf(history.last()));
    spy.clear();
    // Down at the bottom stays there and says nothing.
    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(view.selectedRevision(), m_example.idOf(history.last()));
    QTest::keyClick(&view, Qt::Key_Home);
    QCOMPARE(view.selectedRevision(), m_example.idOf(history.first()));
}

void TestRevisionGraphView::clickSelects()
{
    RevisionGraphView view;
    view.resize(900, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &RevisionGraphView::revisionSelected);
    const QPoint point = view.mapFromScene(view.rowRect(3).center());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, point);
    QCOMPARE(spy.count(), 1);
    const QString expected = m_example.idOf(m_example.history().at(3));
    QCOMPARE(spy.first().at(0).toString(), expected);
    QCOMPARE(view.selectedRevision(), expected);
}

void TestRevisionGraphView::selectRevisionById()
{
    RevisionGraphView view;
    view.setGraph(m_example, GraphLayout::compute(m_example));
    QSignalSpy spy(&view, &RevisionGraphView::revisionSelected);
    const QString id = m_example.idOf(m_example.history().at(4));
    view.selectRevision(id);
    QCOMPARE(view.selectedRevision(), id);
    QCOMPARE(spy.count(), 1);
    view.selectRevision(u"nosuchrevision"_s);
    QCOMPARE(view.selectedRevision(), id);
    QCOMPARE(spy.count(), 1);
    // A new graph with the same revision keeps it selected.
    view.setGraph(m_example, GraphLayout::compute(m_example));
    QCOMPARE(view.selectedRevision(), id);
}

void TestRevisionGraphView::zoomIsClamped()
{
    RevisionGraphView view;
    view.resize(800, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.zoom(), 1.0);
    view.zoomIn();
    QVERIFY(view.zoom() > 1.0);
    for (int i = 0; i < 30; ++i)
        view.zoomIn();
    QCOMPARE(view.zoom(), RevisionGraphView::maximumZoom);
    for (int i = 0; i < 60; ++i)
        view.zoomOut();
    QCOMPARE(view.zoom(), RevisionGraphView::minimumZoom);
    view.fitToView();
    // The example fits: the whole scene is inside the viewport.
    const QRectF visible = view.mapToScene(view.viewport()->rect()).boundingRect();
    QVERIFY2(visible.contains(view.sceneRect().adjusted(1, 1, -1, -1)),
             qPrintable(u"zoom %1"_s.arg(view.zoom())));
    QVERIFY(view.zoom() >= RevisionGraphView::minimumZoom && view.zoom() <= RevisionGraphView::maximumZoom);
}

void TestRevisionGraphView::ctrlWheelZooms()
{
    RevisionGraphView view;
    view.resize(800, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto wheel = [&](Qt::KeyboardModifiers modifiers, int delta) {
        const QPointF at(100, 100);
        QWheelEvent event(at, view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton,
                          modifiers, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(view.viewport(), &event);
    };
    wheel(Qt::NoModifier, 120);
    QCOMPARE(view.zoom(), 1.0);
    wheel(Qt::ControlModifier, 120);
    QCOMPARE(view.zoom(), 1.2);
    wheel(Qt::ControlModifier, -120);
    wheel(Qt::ControlModifier, -120);
    QCOMPARE(view.zoom(), 1.0 / 1.2);
    QTest::keyClick(&view, Qt::Key_Plus, Qt::ControlModifier);
    QCOMPARE(view.zoom(), 1.0);
}

void TestRevisionGraphView::severalHeadsWarning()
{
    RevisionGraphView view;
    view.setGraph(m_example, GraphLayout::compute(m_example));
    const QList<int> heads = m_example.realHeads();
    auto *label = view.findChild<QLabel *>(u"severalHeadsWarning"_s);
    QVERIFY(label);
    if (heads.size() > 1)
        QVERIFY(!view.headerWarning().isEmpty());
    else
        QCOMPARE(view.headerWarning(), QString());

    QList<Revision> revisions;
    for (const auto &[id, parent] : {std::pair{u"aaaa"_s, QString()}, std::pair{u"bbbb"_s, u"aaaa"_s},
                                     std::pair{u"cccc"_s, u"aaaa"_s}}) {
        Revision revision;
        revision.id = id;
        if (!parent.isEmpty())
            revision.downRevisions = {parent};
        revisions.append(revision);
    }
    auto twoHeads = RevisionMap::build(revisions);
    QVERIFY(twoHeads);
    view.setGraph(*twoHeads, GraphLayout::compute(*twoHeads));
    QCOMPARE(view.headerWarning(),
             u"Several heads (2): bbbb, cccc. \"upgrade head\" is ambiguous; create a merge revision."_s);
    QVERIFY(label->text().startsWith(view.headerWarning().toHtmlEscaped()));
    QVERIFY(!label->isHidden());
    QSignalSpy merge(&view, &RevisionGraphView::mergeRequested);
    emit label->linkActivated(u"merge"_s);
    QCOMPARE(merge.count(), 1);
    QCOMPARE(merge.first().at(0).toStringList(), (QStringList{u"bbbb"_s, u"cccc"_s}));

    revisions.removeLast();
    auto oneHead = RevisionMap::build(revisions);
    QVERIFY(oneHead);
    view.setGraph(*oneHead, GraphLayout::compute(*oneHead));
    QCOMPARE(view.headerWarning(), QString());
    QVERIFY(label->isHidden());
}

void TestRevisionGraphView::nodeStatesFollowTheSelection()
{
    RevisionGraphView view;
    view.setGraph(m_example, GraphLayout::compute(m_example));
    const QString base = u"cf60bc0183a4"_s, devices = u"83ca92fed024"_s, firmware = u"0169b51572d2"_s;
    const QString telemetry = u"575ce023861c"_s, head = m_example.idOf(m_example.realHeads().first());
    QCOMPARE(view.nodeState(devices), DatabaseState::Node::Unknown);

    view.setDatabaseState(DatabaseState(m_example, {firmware}), u"sqlite:///example.db"_s);
    QCOMPARE(view.nodeState(base), DatabaseState::Node::Applied);
    QCOMPARE(view.nodeState(devices), DatabaseState::Node::Applied);
    QCOMPARE(view.nodeState(firmware), DatabaseState::Node::Current);
    QCOMPARE(view.nodeState(head), DatabaseState::Node::Pending); // no selection: everything pending

    // Selecting the telemetry branch's first revision previews "upgrade to here": the trunk is off the path.
    view.selectRevision(telemetry);
    QCOMPARE(view.nodeState(telemetry), DatabaseState::Node::Pending);
    QCOMPARE(view.nodeState(u"6aa67ef48cab"_s), DatabaseState::Node::OffPath);
    QCOMPARE(view.nodeState(head), DatabaseState::Node::OffPath);
    // Selecting an applied revision previews "downgrade to here".
    view.selectRevision(base);
    QCOMPARE(view.nodeState(base), DatabaseState::Node::Applied);
    QCOMPARE(view.nodeState(devices), DatabaseState::Node::WouldRevert);
    QCOMPARE(view.nodeState(firmware), DatabaseState::Node::WouldRevert);
    QCOMPARE(view.nodeState(head), DatabaseState::Node::Pending);

    // The painted node takes the state's colour: the current node is green, an unknown one its lane colour.
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto nodeColour = [&](const QString &id) {
        return pixelAt(view, view.nodeCentre(view.layout().rowOf(m_example.indexOf(id))));
    };
    QCOMPARE(nodeColour(firmware), QColor(0xd9, 0x3a, 0x34)); // would be reverted: red
    view.selectRevision(firmware);
    QCOMPARE(view.nodeState(firmware), DatabaseState::Node::Current);
    QCOMPARE(nodeColour(firmware), QColor(0x2e, 0x9d, 0x4f));
    view.clearDatabaseState();
    QCOMPARE(view.nodeState(firmware), DatabaseState::Node::Unknown);
    QVERIFY(nodeColour(firmware) != QColor(0x2e, 0x9d, 0x4f));
}

void TestRevisionGraphView::unknownRevisionBanner()
{
    RevisionGraphView view;
    view.setGraph(m_example, GraphLayout::compute(m_example));
    auto *banner = view.findChild<QLabel *>(u"unknownRevisionBanner"_s);
    QVERIFY(banner);
    QVERIFY(banner->isHidden());
    view.setDatabaseState(DatabaseState(m_example, {u"deadbeef0042"_s}), u"postgresql://app@db/app"_s);
    QVERIFY(!banner->isHidden());
    QVERIFY2(
        view.unknownRevisionWarning().contains(u"postgresql://app@db/app is at deadbeef0042, which these "
                                               u"scripts do not contain"_s),
        qPrintable(view.unknownRevisionWarning()));
    QCOMPARE(banner->text(), view.unknownRevisionWarning());
    // Nothing can be planned from there: upgrade and downgrade are off, stamp (the repair) is on.
    QMenu *menu = view.contextMenuForRow(0);
    QVERIFY(!menu->findChild<QAction *>(u"upgradeToHere"_s)->isEnabled());
    QVERIFY(menu->findChild<QAction *>(u"stampHere"_s)->isEnabled());
    delete menu;
    view.setDatabaseState(DatabaseState(m_example, {}), u"postgresql://app@db/app"_s);
    QVERIFY(banner->isHidden());
}

void TestRevisionGraphView::contextMenu()
{
    RevisionGraphView view;
    view.setGraph(m_example, GraphLayout::compute(m_example));
    const QString devices = u"83ca92fed024"_s, firmware = u"0169b51572d2"_s;
    const int headRow = view.layout().rowOf(m_example.realHeads().first());
    const int devicesRow = view.layout().rowOf(m_example.indexOf(devices));
    const int firmwareRow = view.layout().rowOf(m_example.indexOf(firmware));
    auto action = [](QMenu *menu, const QString &name) { return menu->findChild<QAction *>(name); };

    // Without a database, the database actions are off and say why; authoring ones are on.
    QMenu *menu = view.contextMenuForRow(headRow);
    QVERIFY(!action(menu, u"upgradeToHere"_s)->isEnabled());
    QCOMPARE(action(menu, u"upgradeToHere"_s)->toolTip(), u"Select a database connection first."_s);
    QVERIFY(!action(menu, u"stampHere"_s)->isEnabled());
    QVERIFY(action(menu, u"newRevisionOnTop"_s)->isEnabled());
    QVERIFY(action(menu, u"openScript"_s)->isEnabled());
    QVERIFY(!action(menu, u"mergeWith"_s)->isEnabled()); // one head: nothing to merge with
    delete menu;

    view.setDatabaseState(DatabaseState(m_example, {firmware}), u"db"_s);
    QSignalSpy upgrade(&view, &RevisionGraphView::upgradeRequested);
    QSignalSpy downgrade(&view, &RevisionGraphView::downgradeRequested);
    QSignalSpy open(&view, &RevisionGraphView::openScriptRequested);
    QSignalSpy newRevision(&view, &RevisionGraphView::newRevisionRequested);
    menu = view.contextMenuForRow(headRow);
    QVERIFY(action(menu, u"upgradeToHere"_s)->isEnabled());
    QVERIFY(!action(menu, u"downgradeToHere"_s)->isEnabled()); // not applied
    action(menu, u"upgradeToHere"_s)->trigger();
    QCOMPARE(upgrade.count(), 1);
    QCOMPARE(upgrade.first().at(0).toString(), m_example.idOf(m_example.realHeads().first()));
    action(menu, u"newRevisionOnTop"_s)->trigger();
    QCOMPARE(newRevision.first().at(0).toString(), m_example.idOf(m_example.realHeads().first()));
    delete menu;

    menu = view.contextMenuForRow(devicesRow);
    QVERIFY(!action(menu, u"upgradeToHere"_s)->isEnabled()); // applied already
    QVERIFY(action(menu, u"downgradeToHere"_s)->isEnabled());
    action(menu, u"downgradeToHere"_s)->trigger();
    QCOMPARE(downgrade.first().at(0).toString(), devices);
    action(menu, u"openScript"_s)->trigger();
    QCOMPARE(open.first().at(0).toString(), devices);
    delete menu;
    // The current revision itself: downgrading "to here" would do nothing.
    menu = view.contextMenuForRow(firmwareRow);
    QVERIFY(!action(menu, u"downgradeToHere"_s)->isEnabled());
    delete menu;

    // Two heads: "Merge with…" on one head lists the other.
    QList<Revision> revisions;
    for (const auto &[id, parent] : {std::pair{u"aaaa"_s, QString()}, std::pair{u"bbbb"_s, u"aaaa"_s},
                                     std::pair{u"cccc"_s, u"aaaa"_s}}) {
        Revision revision;
        revision.id = id;
        if (!parent.isEmpty())
            revision.downRevisions = {parent};
        revisions.append(revision);
    }
    auto twoHeads = RevisionMap::build(revisions);
    QVERIFY(twoHeads);
    view.setGraph(*twoHeads, GraphLayout::compute(*twoHeads));
    QSignalSpy merge(&view, &RevisionGraphView::mergeRequested);
    menu = view.contextMenuForRow(view.layout().rowOf(twoHeads->indexOf(u"bbbb"_s)));
    QVERIFY(action(menu, u"mergeWith"_s)->isEnabled());
    QVERIFY(!action(menu, u"mergeWith_bbbb"_s));
    action(menu, u"mergeWith_cccc"_s)->trigger();
    QCOMPARE(merge.first().at(0).toStringList(), (QStringList{u"bbbb"_s, u"cccc"_s}));
    delete menu;
}

void TestRevisionGraphView::search()
{
    RevisionGraphView view;
    view.setGraph(m_example, GraphLayout::compute(m_example));
    QVERIFY(view.findNext(u"575CE"_s)); // id prefix, any case
    QCOMPARE(view.selectedRevision(), u"575ce023861c"_s);
    QVERIFY(view.findNext(u"telemetry"_s)); // the label, carried by the whole branch
    const QString first = view.selectedRevision();
    QVERIFY(m_example.labels(m_example.indexOf(first)).contains(u"telemetry"_s));
    QVERIFY(view.findNext(u"telemetry"_s));
    QVERIFY(view.selectedRevision() != first);
    QVERIFY(view.findNext(u"telemetry"_s, true));
    QCOMPARE(view.selectedRevision(), first);
    QVERIFY(view.findNext(u"maintenance windows"_s)); // message text
    QCOMPARE(view.selectedRevision(), u"2f2467916363"_s);
    QVERIFY(!view.findNext(u"no such thing"_s));
    QCOMPARE(view.selectedRevision(), u"2f2467916363"_s);
    QVERIFY(!view.findNext(u"  "_s));
}

void TestRevisionGraphView::tenThousandRevisions()
{
    QList<Revision> revisions;
    QString previous;
    QString side;
    for (int i = 0; i < 10000; ++i) {
        Revision revision;
        revision.id = u"%1"_s.arg(i, 12, 16, QLatin1Char('0'));
        revision.message = u"revision number %1"_s.arg(i);
        if (i % 40 == 5) {
            revision.downRevisions = {previous};
            side = revision.id;
        } else if (i % 40 > 5 && i % 40 < 15) {
            revision.downRevisions = {side}; // a side branch while the trunk waits
            side = revision.id;
            revision.branchLabels = i % 40 == 6 ? QStringList{u"side%1"_s.arg(i)} : QStringList();
        } else if (i % 40 == 15) {
            revision.downRevisions = {previous, side};
        } else if (!previous.isEmpty()) {
            revision.downRevisions = {previous};
        }
        if (i % 100 == 99)
            revision.dependsOn = {u"%1"_s.arg(i - 90, 12, 16, QLatin1Char('0'))}; // far down, dashed
        if (!(i % 40 > 5 && i % 40 < 15))
            previous = revision.id;
        revisions.append(revision);
    }
    auto map = RevisionMap::build(revisions);
    QVERIFY2(map, qPrintable(map ? QString() : map.error().toString()));

    QElapsedTimer timer;
    timer.start();
    const GraphLayout layout = GraphLayout::compute(*map);
    const qint64 layoutMs = timer.restart();
    RevisionGraphView view;
    view.resize(1000, 800);
    view.setGraph(*map, layout);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(!view.grab().isNull());
    view.selectRevision(map->idOf(map->history().last()));
    QVERIFY(!view.grab().isNull());
    qInfo("10,000 revisions: layout %lld ms, show + two grabs %lld ms", layoutMs, qint64(timer.elapsed()));
    QCOMPARE(view.selectedRow(), 9999);
    QCOMPARE(view.layout().dependencyEdges().size(), size_t(100));
    // 280,000 pixels of rows cannot fit: fit stops at the smallest zoom.
    view.fitToView();
    QCOMPARE(view.zoom(), RevisionGraphView::minimumZoom);
    QVERIFY(!view.grab().isNull());
}

void TestRevisionGraphView::layoutOnAWorkerThread()
{
    RevisionGraphView view;
    QSignalSpy spy(&view, &RevisionGraphView::graphChanged);
    view.showMap(m_example);
    QVERIFY(spy.wait());
    QCOMPARE(view.map().size(), m_example.size());
    QCOMPARE(view.layout().rows().size(), size_t(m_example.size()));

    // Only the newest request is shown: an older result arriving later is dropped.
    Revision lone;
    lone.id = u"abcd"_s;
    auto other = RevisionMap::build({lone});
    QVERIFY(other);
    spy.clear();
    view.showMap(*other);
    view.showMap(m_example);
    QThreadPool::globalInstance()->waitForDone();
    QTRY_COMPARE(spy.count(), 1);
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(view.map().size(), m_example.size());

    // setGraph wins over a layout still on its way.
    spy.clear();
    view.showMap(m_example);
    view.setGraph(*other, GraphLayout::compute(*other));
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(view.map().size(), 1);
}

// The legend's state colours (applied, would be reverted, pending, selection) and grey (off the path) are
// never a lane's, on a light base or a dark one.
void TestRevisionGraphView::laneColoursAreNotStateColours()
{
    // Applied, would be reverted, pending: 40 degrees of hue away; the selection's blue: 20.
    const QList<std::pair<QColor, int>> states = {{QColor(0x2e, 0x9d, 0x4f), 40},
                                                  {QColor(0xd9, 0x3a, 0x34), 40},
                                                  {QColor(0xe6, 0x8a, 0x00), 40},
                                                  {QColor(0x33, 0x99, 0xff), 20}};
    for (const bool dark : {false, true}) {
        const QList<QColor> lanes = RevisionGraphView::laneColours(dark);
        QVERIFY(lanes.size() >= 5);
        for (const QColor &lane : lanes) {
            const QString name = lane.name() + (dark ? u" (dark)"_s : QString());
            QVERIFY2(lane.hsvSaturationF() >= 0.35, qPrintable(name + u" passes for grey"_s));
            for (const auto &[state, distance] : states)
                QVERIFY2(hueDistance(lane, state) >= distance,
                         qPrintable(name + u" looks like "_s + state.name()));
            QCOMPARE(lanes.count(lane), 1);
        }
    }
    // What the view paints comes from that set: every lane of the example, and its nodes without a database.
    RevisionGraphView view;
    view.resize(900, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QList<QColor> lanes = RevisionGraphView::laneColours(false);
    for (int row = 0; row < int(view.layout().rows().size()); ++row) {
        const qmigrate::GraphRow &graphRow = view.layout().rows()[size_t(row)];
        for (int lane = 0; lane < int(graphRow.lanes.size()); ++lane) {
            const QColor colour = view.laneColourAt(row, lane);
            QVERIFY(!colour.isValid() || lanes.contains(colour));
        }
        const QString id = m_example.idOf(graphRow.revision);
        QVERIFY(lanes.contains(view.branchColour(id)));
        QCOMPARE(pixelAt(view, view.nodeCentre(row)), view.branchColour(id));
    }
}

// Adding a branch, even one that loads first and pushes the trunk into another column, leaves the colours of
// the branches already there alone.
void TestRevisionGraphView::branchColoursSurviveANewBranch()
{
    const QMap<QString, QString> dates = {
        {u"base"_s, u"2024-01-01"_s}, {u"a"_s, u"2024-01-02"_s},  {u"b"_s, u"2024-01-03"_s},
        {u"c"_s, u"2024-01-04"_s},    {u"s1"_s, u"2024-01-05"_s}, {u"s2"_s, u"2024-01-06"_s},
        {u"n1"_s, u"2024-02-01"_s},   {u"n2"_s, u"2024-02-02"_s}, {u"n3"_s, u"2024-02-03"_s}};
    const QString before = u"base\na base\nb a\nc b\ns1 a\ns2 s1\n"_s;
    const RevisionMap old = mapOf(before, dates);
    const RevisionMap grown = mapOf(u"n1 b\nn2 n1\nn3 base\n"_s + before, dates);

    RevisionGraphView oldView;
    oldView.resize(700, 400);
    oldView.setGraph(old, GraphLayout::compute(old));
    RevisionGraphView grownView;
    grownView.resize(700, 400);
    grownView.setGraph(grown, GraphLayout::compute(grown));
    oldView.show();
    grownView.show();
    QVERIFY(QTest::qWaitForWindowExposed(&oldView));
    QVERIFY(QTest::qWaitForWindowExposed(&grownView));
    auto lane = [](const RevisionGraphView &view, const QString &id) {
        return view.layout().rows()[size_t(view.layout().rowOf(view.map().indexOf(id)))].lane;
    };
    // The new branch took the trunk's column: colours by column would have changed the trunk's.
    QVERIFY(lane(oldView, u"c"_s) != lane(grownView, u"c"_s));
    // Trunk and side branch differ, and keep their colours, as drawn.
    QVERIFY(oldView.branchColour(u"s2"_s) != oldView.branchColour(u"c"_s));
    for (const QString &id : {u"base"_s, u"a"_s, u"b"_s, u"c"_s, u"s1"_s, u"s2"_s}) {
        QCOMPARE(grownView.branchColour(id), oldView.branchColour(id));
        const QPointF oldNode = oldView.nodeCentre(oldView.layout().rowOf(old.indexOf(id)));
        const QPointF grownNode = grownView.nodeCentre(grownView.layout().rowOf(grown.indexOf(id)));
        QCOMPARE(pixelAt(grownView, grownNode), pixelAt(oldView, oldNode));
        QCOMPARE(pixelAt(grownView, grownNode), oldView.branchColour(id));
    }
    // The side branch's lane, just above its first revision, is its own colour in both.
    for (RevisionGraphView *view : {&oldView, &grownView}) {
        const int row = view->layout().rowOf(view->map().indexOf(u"s1"_s));
        const QPointF above = view->nodeCentre(row) - QPointF(0, 10);
        QCOMPARE(pixelAt(*view, above), oldView.branchColour(u"s2"_s));
    }
}

// Previewing a downgrade marks the current revision "would be reverted"; its "current" chip stays.
void TestRevisionGraphView::currentChipDuringADowngradePreview()
{
    RevisionGraphView view;
    view.resize(900, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString base = u"cf60bc0183a4"_s, devices = u"83ca92fed024"_s, firmware = u"0169b51572d2"_s;
    const int firmwareRow = view.layout().rowOf(m_example.indexOf(firmware));
    const int devicesRow = view.layout().rowOf(m_example.indexOf(devices));
    // Pixels of the chip's green in a row, away from the row's node (which may be green too).
    auto chipPixels = [&](int row) {
        const QImage image = view.grab().toImage();
        const QRect band =
            view.mapFromScene(view.rowRect(row)).boundingRect().translated(view.viewport()->pos());
        const QPoint node = view.mapFromScene(view.nodeCentre(row)) + view.viewport()->pos();
        int count = 0;
        for (int y = std::max(0, band.top()); y <= std::min(image.height() - 1, band.bottom()); ++y) {
            for (int x = std::max(0, band.left()); x < std::min(image.width(), band.right()); ++x) {
                if (std::abs(x - node.x()) > 12 && image.pixelColor(x, y) == QColor(0x2e, 0x9d, 0x4f))
                    ++count;
            }
        }
        return count;
    };
    QCOMPARE(chipPixels(firmwareRow), 0);
    QVERIFY(!view.chipsOfRow(firmwareRow).contains(u"current"_s));

    view.setDatabaseState(DatabaseState(m_example, {firmware}), u"db"_s);
    QCOMPARE(view.chipsOfRow(firmwareRow).value(0), u"current"_s);
    QVERIFY(chipPixels(firmwareRow) > 20);
    view.selectRevision(base);
    QCOMPARE(view.nodeState(firmware), DatabaseState::Node::WouldRevert);
    QCOMPARE(view.chipsOfRow(firmwareRow).value(0), u"current"_s);
    QVERIFY(chipPixels(firmwareRow) > 20);
    QCOMPARE(view.nodeState(devices), DatabaseState::Node::WouldRevert);
    QVERIFY(!view.chipsOfRow(devicesRow).contains(u"current"_s));
    QCOMPARE(chipPixels(devicesRow), 0);
}

// A depends_on edge is a dashed connector in the gutter beside the lanes, found for any rows it crosses.
void TestRevisionGraphView::dependsOnIsDashed()
{
    const RevisionMap map = mapOf(u"base\na base\nb a\nc b\nx b\nd c dep:a\ne d\ny x\n"_s);
    RevisionGraphView view;
    view.resize(700, 400);
    view.setGraph(map, GraphLayout::compute(map));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const int from = view.layout().rowOf(map.indexOf(u"d"_s));
    const int to = view.layout().rowOf(map.indexOf(u"a"_s));
    using Edges = QList<std::pair<QString, QString>>;
    const Edges expected = {{u"d"_s, u"a"_s}};
    QCOMPARE(view.dependencyEdgesInRows(0, int(map.size()) - 1), expected);
    QCOMPARE(view.dependencyEdgesInRows(from + 1, from + 1), expected);
    QCOMPARE(view.dependencyEdgesInRows(0, from - 1), Edges());
    QCOMPARE(view.dependencyEdgesInRows(to + 1, to + 1), Edges());

    // Down the track between the two rows, ink alternates with background: a dashed line. Nothing else is
    // drawn in the gutter.
    const QImage image = view.grab().toImage();
    // The pixel whose centre the track runs through (mapFromScene would round half a pixel up).
    auto pixel = [&](const QPointF &scenePoint) {
        const QPointF at = view.viewportTransform().map(scenePoint);
        return QPoint(int(std::floor(at.x())), int(std::floor(at.y()))) + view.viewport()->pos();
    };
    const QPoint top = pixel(QPointF(view.dependencyTrackX(0), view.nodeCentre(from + 1).y()));
    const QPoint bottom = pixel(QPointF(view.dependencyTrackX(0), view.nodeCentre(to - 1).y()));
    const QColor background = view.palette().color(QPalette::Base);
    int ink = 0, gaps = 0, changes = 0;
    bool previous = false;
    for (int y = top.y(); y <= bottom.y(); ++y) {
        const int difference = std::abs(image.pixelColor(top.x(), y).lightness() - background.lightness());
        const bool inked = difference > 100;
        ink += inked;
        gaps += difference < 40;
        changes += y > top.y() && inked != previous;
        previous = inked;
    }
    QVERIFY2(ink >= 15 && gaps >= 15 && changes >= 12,
             qPrintable(u"%1 inked, %2 blank, %3 changes"_s.arg(ink).arg(gaps).arg(changes)));
    // The dependant's row sends a horizontal dashed stroke from its node to the track.
    const int y = (view.mapFromScene(view.nodeCentre(from)) + view.viewport()->pos()).y() + 3;
    int inkedAcross = 0;
    const int nodeX = (view.mapFromScene(view.nodeCentre(from)) + view.viewport()->pos()).x();
    for (int x = nodeX + 8; x < top.x() - 2; ++x)
        inkedAcross += std::abs(image.pixelColor(x, y).lightness() - background.lightness()) > 60;
    QVERIFY(inkedAcross > 0);
}

// Hovering a row tells its full id, message, labels and state on the selected database.
void TestRevisionGraphView::toolTips()
{
    RevisionGraphView view;
    view.resize(900, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto hover = [&](const QString &id) -> QString {
        QToolTip::hideText();
        const int row = view.layout().rowOf(m_example.indexOf(id));
        const QPoint at = view.mapFromScene(view.nodeCentre(row));
        QHelpEvent event(QEvent::ToolTip, at, view.viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(view.viewport(), &event);
        if (!QToolTip::isVisible())
            return {};
        // What is shown is what the view says it shows.
        return QToolTip::text() == view.toolTipForRow(row) ? QToolTip::text() : u"mismatch"_s;
    };
    const QString firmware = u"0169b51572d2"_s, telemetry = u"575ce023861c"_s, base = u"cf60bc0183a4"_s;
    const Revision &telemetryRevision = m_example.revision(m_example.indexOf(telemetry));
    QString tip = hover(telemetry);
    QVERIFY2(tip.contains(telemetry), qPrintable(tip));
    QVERIFY2(tip.contains(telemetryRevision.message.toHtmlEscaped()), qPrintable(tip));
    QVERIFY2(tip.contains(u"Labels: telemetry"_s), qPrintable(tip));
    QVERIFY2(tip.contains(u"unknown (not connected)"_s), qPrintable(tip));

    view.setDatabaseState(DatabaseState(m_example, {firmware}), u"sqlite:///example.db"_s);
    tip = hover(firmware);
    QVERIFY2(tip.contains(u"sqlite:///example.db: applied (current)"_s), qPrintable(tip));
    QVERIFY2(hover(telemetry).contains(u": pending"_s), qPrintable(hover(telemetry)));
    view.selectRevision(base);
    QVERIFY2(hover(firmware).contains(u": would be reverted (current)"_s), qPrintable(hover(firmware)));
    QVERIFY2(hover(base).contains(u": applied<"_s), qPrintable(hover(base)));

    // Below the last row there is nothing to tell.
    QToolTip::hideText();
    view.resize(900, int(view.rowRect(int(m_example.size()) - 1).bottom()) + 200);
    QTRY_VERIFY(!QToolTip::isVisible());
    const QPoint below(20, view.viewport()->height() - 5);
    QVERIFY(view.mapToScene(below).y() > view.rowRect(int(m_example.size()) - 1).bottom());
    QHelpEvent nowhere(QEvent::ToolTip, below, view.viewport()->mapToGlobal(below));
    QCoreApplication::sendEvent(view.viewport(), &nowhere);
    QVERIFY(!QToolTip::isVisible());
}

// "Copy Revision Id" in the menu, and Ctrl+C on the graph, even with a window-wide Copy action.
void TestRevisionGraphView::copyRevisionId()
{
    QWidget window;
    auto *windowCopy = new QAction(&window);
    windowCopy->setShortcut(QKeySequence::Copy);
    window.addAction(windowCopy);
    QSignalSpy windowCopied(windowCopy, &QAction::triggered);
    auto *view = new RevisionGraphView(&window);
    (new QHBoxLayout(&window))->addWidget(view);
    window.resize(900, 600);
    view->setGraph(m_example, GraphLayout::compute(m_example));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QClipboard *clipboard = QGuiApplication::clipboard();

    const QString telemetry = u"575ce023861c"_s, firmware = u"0169b51572d2"_s;
    clipboard->clear();
    QMenu *menu = view->contextMenuForRow(view->layout().rowOf(m_example.indexOf(telemetry)));
    QAction *copy = menu->findChild<QAction *>(u"copyRevisionId"_s);
    QVERIFY(copy);
    QCOMPARE(copy->text(), u"Copy Revision Id"_s);
    copy->trigger();
    QCOMPARE(clipboard->text(), telemetry);
    delete menu;

    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    view->selectRevision(firmware);
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(clipboard->text(), firmware);
    QCOMPARE(windowCopied.count(), 0);
}

// On a dark palette the graph's background, ids and messages come from the palette, and lanes stay apart
// from the background.
void TestRevisionGraphView::darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Window, QColor(0x2a, 0x2a, 0x2a));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    RevisionGraphView view;
    view.resize(900, 600);
    view.setGraph(m_example, GraphLayout::compute(m_example));
    view.setPalette(dark);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QImage image = view.grab().toImage();
    const int row = 1;
    const QRect band = view.mapFromScene(view.rowRect(row)).boundingRect().translated(view.viewport()->pos());
    const QPoint node = view.mapFromScene(view.nodeCentre(row)) + view.viewport()->pos();
    QCOMPARE(image.pixelColor(band.right() - 2, band.center().y() - 8), dark.color(QPalette::Base));
    // The brightest pixel right of the lanes is text, and it is light.
    int brightest = 0;
    for (int y = band.top(); y <= band.bottom(); ++y) {
        for (int x = node.x() + 60; x < band.right(); ++x)
            brightest = std::max(brightest, image.pixelColor(x, y).lightness());
    }
    QVERIFY2(brightest > 170, qPrintable(QString::number(brightest)));
    // Lanes are lightened for the dark base, and stand out on either.
    for (const QColor &lane : RevisionGraphView::laneColours(true))
        QVERIFY2(contrast(lane, dark.color(QPalette::Base)) >= 3, qPrintable(lane.name()));
    for (const QColor &lane : RevisionGraphView::laneColours(false))
        QVERIFY2(contrast(lane, Qt::white) >= 3, qPrintable(lane.name()));
    QVERIFY(RevisionGraphView::laneColours(true).contains(
        view.branchColour(m_example.idOf(m_example.history().first()))));

    // The current revision's ring stays visible on the dark base: light, not a dark ring that leaves a dot.
    // (Selecting row 1 names its revision; the selection moves away again so that its band is not sampled.)
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(view.nodeCentre(row)));
    const QString current = view.selectedRevision();
    QVERIFY(!current.isEmpty());
    view.setDatabaseState(DatabaseState(m_example, QStringList{current}), u"db"_s);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(view.nodeCentre(row - 1)));
    QVERIFY(view.selectedRevision() != current);
    view.viewport()->repaint();
    const QImage withState = view.grab().toImage();
    const QColor ring = withState.pixelColor(node + QPoint(5, 0));
    QVERIFY2(ring.lightness() > 150, qPrintable(ring.name()));
}

namespace {

// 5,000 trunk revisions, mostly linear: every 1,000 a short side branch merged straight back.
RevisionMap longHistory()
{
    QList<Revision> revisions;
    QString previous;
    for (int i = 0; i < 5000; ++i) {
        Revision revision;
        revision.id = u"%1"_s.arg(i, 12, 16, QLatin1Char('0'));
        revision.message = u"step %1"_s.arg(i);
        if (!previous.isEmpty())
            revision.downRevisions = {previous};
        if (i % 1000 == 501) {
            Revision side;
            side.id = u"51de%1"_s.arg(i, 8, 16, QLatin1Char('0'));
            side.message = u"side %1"_s.arg(i);
            side.downRevisions = {previous};
            revisions.append(side);
            revision.downRevisions.append(side.id);
        }
        revisions.append(revision);
        previous = revision.id;
    }
    auto map = RevisionMap::build(revisions);
    if (!map)
        qFatal("%s", qPrintable(map.error().toString()));
    return *map;
}

} // namespace

void TestRevisionGraphView::collapsedRuns()
{
    const RevisionMap map = longHistory();
    RevisionGraphView view;
    view.resize(1000, 800);
    view.setGraph(map, GraphLayout::compute(map));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.layout().rows().size(), size_t(5005));
    // Five trunk stretches of about a thousand, a few rows around each merge.
    QVERIFY2(view.displayRowCount() < 40, qPrintable(QString::number(view.displayRowCount())));
    QVERIFY(view.collapsedRuns().size() >= 5);
    // Fit shows the structure at a readable size instead of stopping at the smallest zoom.
    view.fitToView();
    QVERIFY2(view.zoom() >= 0.75, qPrintable(QString::number(view.zoom())));
    QVERIFY(!view.grab().isNull());
    view.setZoom(1.0);

    // A click on a collapsed run opens it and selects nothing.
    QSignalSpy selected(&view, &RevisionGraphView::revisionSelected);
    QSignalSpy rows(&view, &RevisionGraphView::rowsChanged);
    const auto [first, last] = view.collapsedRuns().front();
    const int before = view.displayRowCount();
    QCOMPARE(view.rowRect(first + 5), view.rowRect(first)); // hidden rows are on the run's row
    QVERIFY(view.toolTipForRun(view.linearRuns().runOfRow(first)).contains(u"revisions"_s));
    view.ensureVisible(view.rowRect(first));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(view.rowRect(first).center()));
    QCOMPARE(rows.count(), 1);
    QCOMPARE(selected.count(), 0);
    QCOMPARE(view.displayRowCount(), before + (last - first));
    QVERIFY(!view.collapsedRuns().contains(std::pair{first, last}));
    QVERIFY(view.rowRect(first + 5).top() > view.rowRect(first).top());
    // Its rows are rows again: a click selects (after a double click's time).
    QTest::qWait(QGuiApplication::styleHints()->mouseDoubleClickInterval() + 50);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      view.mapFromScene(view.rowRect(first + 1).center()));
    QCOMPARE(view.selectedRow(), first + 1);
    // A double click on a run opens it and neither selects nor opens the script under the pointer.
    QSignalSpy open(&view, &RevisionGraphView::openScriptRequested);
    const auto [dfirst, dlast] = view.collapsedRuns().front();
    view.ensureVisible(view.rowRect(dfirst));
    QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, view.mapFromScene(view.rowRect(dfirst).center()));
    QVERIFY(!view.collapsedRuns().contains(std::pair{dfirst, dlast}));
    QCOMPARE(open.count(), 0);
    QCOMPARE(view.selectedRow(), first + 1);

    // Selecting a revision inside a collapsed run opens that run.
    const auto [first2, last2] = view.collapsedRuns().back();
    const int middle = (first2 + last2) / 2;
    const QString inside = map.idOf(view.layout().rows()[size_t(middle)].revision);
    view.selectRevision(inside);
    QCOMPARE(view.selectedRow(), middle);
    QVERIFY(!view.collapsedRuns().contains(std::pair{first2, last2}));
    QVERIFY(view.rowRect(middle).top() > view.rowRect(first2).top());
    QVERIFY(view.viewport()->rect().intersects(view.mapFromScene(view.rowRect(middle)).boundingRect()));

    // Collapsing again closes the opened runs but the selection's; search stepping opens the one it lands in.
    view.setCollapseLinearRuns(false);
    QCOMPARE(view.displayRowCount(), 5005);
    view.setCollapseLinearRuns(true);
    QVERIFY(view.collapsedRuns().contains(std::pair{first, last}));
    QVERIFY(!view.collapsedRuns().contains(std::pair{first2, last2}));
    view.setSearchText(u"step 3210"_s);
    QCOMPARE(view.matchCount(), 1);
    const int match = view.matchRows().front();
    QVERIFY(view.linearRuns().isHidden(match));
    QVERIFY(view.stepMatch());
    QCOMPARE(view.selectedRow(), match);
    QVERIFY(!view.linearRuns().isHidden(match));
    QCOMPARE(view.selectedRevision(), u"%1"_s.arg(3210, 12, 16, QLatin1Char('0')));
    // The run opened for the previous selection closed again; the one clicked open stays open.
    QVERIFY(view.linearRuns().runOfRow(match) != view.linearRuns().runOfRow(first2));
    QVERIFY(view.collapsedRuns().contains(std::pair{first2, last2}));
    QVERIFY(view.collapsedRuns().contains(std::pair{first, last})); // collapsed again by the toggle
    const int openedRows = view.displayRowCount();
    view.setSearchText(u"step 4321"_s);
    QVERIFY(view.stepMatch());
    // One run of a thousand closed, another as long opened.
    QCOMPARE(view.displayRowCount(), openedRows);
    QVERIFY(view.linearRuns().isHidden(match));

    // Up and Down step over a collapsed run; its neighbours' menus and tips are their own.
    const auto [first3, last3] = view.collapsedRuns().front();
    view.selectRevision(map.idOf(view.layout().rows()[size_t(first3 - 1)].revision));
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(view.selectedRow(), last3 + 1);
    QTest::keyClick(&view, Qt::Key_Up);
    QCOMPARE(view.selectedRow(), first3 - 1);
    QVERIFY(view.collapsedRuns().contains(std::pair{first3, last3}));
    QVERIFY(
        view.toolTipForRow(last3 + 1).contains(map.idOf(view.layout().rows()[size_t(last3 + 1)].revision)));
    std::unique_ptr<QMenu> menu(view.contextMenuForRow(last3 + 1));
    QVERIFY(menu->findChild<QAction *>(u"upgradeToHere"_s)
                ->text()
                .contains(map.idOf(view.layout().rows()[size_t(last3 + 1)].revision).left(12)));
}

// The database's current revision keeps a row of its own in a long run.
void TestRevisionGraphView::collapsedRunsAndTheDatabase()
{
    const RevisionMap map = longHistory();
    RevisionGraphView view;
    view.setGraph(map, GraphLayout::compute(map));
    const int before = view.displayRowCount();
    const QString current = u"%1"_s.arg(2345, 12, 16, QLatin1Char('0'));
    const int row = view.layout().rowOf(map.indexOf(current));
    QVERIFY(view.linearRuns().isHidden(row));
    view.setDatabaseState(DatabaseState(map, {current}), u"test"_s);
    QVERIFY(!view.linearRuns().isHidden(row));
    QCOMPARE(view.chipsOfRow(row).first(), u"current"_s);
    QCOMPARE(view.displayRowCount(), before + 2); // the run split around it
    QCOMPARE(view.selectedRow(), -1);
}

QTEST_MAIN(TestRevisionGraphView)
#include "tst_revisiongraphview.moc"
