// SPDX-License-Identifier: MIT
#pragma once

#include "graph/databasestate.h"
#include "graph/revisionmap.h"
#include "revisions/graphlayout.h"
#include "revisions/graphoverview.h"
#include "revisions/linearruns.h"
#include "revisions/revisionsearch.h"

#include <QColor>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QList>
#include <QPalette>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>
#include <utility>

class QLabel;
class QMenu;

namespace qmigrate {

class RevisionGraphItem;
struct PreparedGraph;

// The revision history as a git-style lane graph, newest on top (docs/revision-graph-layout.md). It shows a
// map and a layout computed elsewhere (GraphLayout is safe to compute on a worker thread); one item paints
// only the rows the view exposes, so 10,000 revisions cost what the visible rows cost.
class RevisionGraphView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit RevisionGraphView(QWidget *parent = nullptr);
    ~RevisionGraphView() override;

    // Replaces what is shown; the selection is kept when its revision is still there.
    void setGraph(const RevisionMap &map, const GraphLayout &layout);
    void setGraph(std::shared_ptr<const RevisionMap> map, const GraphLayout &layout);
    // Computes the layout on a worker thread, then shows it; a newer call (or setGraph) wins over an older
    // one still running.
    void showMap(const RevisionMap &map);
    // The same for a shared map (the GUI's one project): kept, not copied.
    void showMap(std::shared_ptr<const RevisionMap> map);
    // The same, laid out in the map's history() order worked out already (off the UI thread).
    void showMap(std::shared_ptr<const RevisionMap> map, const QList<int> &history);
    const RevisionMap &map() const { return *m_map; }
    // Applied revisions whose file changed since (ids): their rows carry an "edited" chip.
    void setEditedRevisions(const QSet<QString> &ids);
    bool isMarkedEdited(const QString &id) const;
    const GraphLayout &layout() const { return m_layout; }

    // The selected revision's id, or an empty string.
    QString selectedRevision() const;
    int selectedRow() const { return m_selectedRow; }

    // The several-heads warning shown above the graph; empty when there is at most one real head.
    QString headerWarning() const;
    // The banner for a database whose version table names revisions these scripts do not contain; empty
    // otherwise.
    QString unknownRevisionWarning() const;

    // Where the selected database stands: nodes are coloured by DatabaseState::nodeStates with the selected
    // revision as the target, so selecting a revision previews what "Upgrade/Downgrade to here" would do.
    // databaseName is what the legend and the banner call it (a display URL, never a password).
    void setDatabaseState(const DatabaseState &state, const QString &databaseName);
    void clearDatabaseState();
    const DatabaseState &databaseState() const { return m_state; }
    DatabaseState::Node nodeState(const QString &id) const;

    // A node drawn as the graph draws it in that state on that palette, for legends.
    static QPixmap nodeSwatch(DatabaseState::Node state, qreal devicePixelRatio = 1.0,
                              const QPalette &palette = QPalette());
    // A depends_on connector as the graph draws it, for legends.
    static QPixmap dependencySwatch(qreal devicePixelRatio = 1.0, const QPalette &palette = QPalette());
    // Every colour a lane or an unknown-state node can take, for a light or a dark base.
    static QList<QColor> laneColours(bool dark);

    // The context menu of a row, parented to the view (the caller pops it up or triggers its actions).
    QMenu *contextMenuForRow(int row);
    // Puts the row's full revision id on the clipboard (the menu's "Copy Revision Id", and Ctrl+C for the
    // selected row).
    void copyRevisionId(int row);
    // What hovering the row shows: full id, message, labels, dependencies and the state on the selected
    // database (rich text).
    QString toolTipForRow(int row) const;

    // The search (RevisionSearch's rules): matching rows get a highlight band, and stepping goes from match
    // to match. Kept across new graphs.
    void setSearchText(const QString &text);
    QString searchText() const { return m_searchText; }
    int matchCount() const { return int(m_matchRows.size()); }
    // The matching rows, top to bottom.
    const std::vector<int> &matchRows() const { return m_matchRows; }
    bool isMatch(int row) const;
    // The selected row's place among the matches, from 1; 0 when the selection is not a match.
    int currentMatch() const;
    // Selects the next match after the selection (the previous one backwards), wrapping, and scrolls to it.
    // False when nothing matches.
    bool stepMatch(bool backwards = false);
    // Greys the rows that do not match, while the Revisions list shows the matches only.
    void setDimNonMatches(bool dim);
    bool dimsNonMatches() const { return m_dimNonMatches; }
    // Searches for text (setSearchText) and steps to the next match. False when none matches.
    bool findNext(const QString &text, bool backwards = false);

    // Long linear runs (LinearRuns) are drawn collapsed, one row each, until clicked open; a selection inside
    // one opens it while it stays there. On by default; turning it on again closes the runs opened meanwhile.
    void setCollapseLinearRuns(bool collapse);
    bool collapsesLinearRuns() const { return m_collapseRuns; }
    const LinearRuns &linearRuns() const { return m_runs; }
    // The rows drawn (a collapsed run is one).
    int displayRowCount() const { return m_runs.displayRowCount(); }
    // The layout rows [first, last] of every run collapsed now, top to bottom.
    QList<std::pair<int, int>> collapsedRuns() const;
    void expandRun(int run);
    QString toolTipForRun(int run) const;

    // The marks of the overview strip, on the rows drawn: every head, every current revision of the database
    // (when its state was read for these scripts) and every search match. Linear in their number; asked
    // for when overviewChanged() says they changed.
    std::vector<GraphOverview::Marker> overviewMarkers() const;
    // The rows the viewport shows: the first (fractional, in drawn rows) and how many.
    std::pair<qreal, qreal> visibleRows() const;
    // The drawn row the viewport should centre, as the overview strip asks.
    void scrollToDisplayRow(qreal row);

    qreal zoom() const;
    static constexpr qreal minimumZoom = 0.25;
    static constexpr qreal maximumZoom = 4.0;

    // Scene geometry of a row, so tests and callers can hit a node; a row inside a collapsed run has the
    // run's.
    QRectF rowRect(int row) const;
    QPointF nodeCentre(int row) const;

    // What the rows are painted with, so tests can check what the user sees. The colour of the branch a
    // revision is on (its node when no database state is known, and its lane below the node); the colour of
    // a lane across a row (invalid where the column is empty); a row's chips, left to right; the depends_on
    // edges (dependant, dependency) drawn across rows [firstRow, lastRow] and the x of a gutter track.
    QColor branchColour(const QString &id) const;
    QColor laneColourAt(int row, int lane) const;
    QStringList chipsOfRow(int row) const;
    QList<std::pair<QString, QString>> dependencyEdgesInRows(int firstRow, int lastRow) const;
    qreal dependencyTrackX(int track) const;

public slots:
    // Selects the revision with this exact id (no-op for an unknown id) and scrolls to it.
    void selectRevision(const QString &id);
    void zoomIn();
    void zoomOut();
    void setZoom(qreal factor);
    // Scales the whole graph into the view, within the zoom limits.
    void fitToView();

signals:
    void revisionSelected(const QString &id);
    // The context menu's actions and the several-heads warning's link.
    void upgradeRequested(const QString &id);
    void downgradeRequested(const QString &id);
    void stampRequested(const QString &id);
    void newRevisionRequested(const QString &parentId);
    void mergeRequested(const QStringList &ids);
    void openScriptRequested(const QString &id);
    // A new graph is shown (by setGraph or when showMap's layout arrives).
    void graphChanged();
    // The search's matches changed (a new text or a new graph).
    void matchesChanged();
    // Runs collapsed or expanded: the rows drawn changed.
    void rowsChanged();
    // What overviewMarkers() returns changed.
    void overviewChanged();
    // Scrolled, zoomed or resized: visibleRows() changed.
    void visibleRowsChanged();

protected:
    bool event(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void startLayout(std::shared_ptr<const RevisionMap> map, std::optional<QList<int>> history);
    void applyGraph(std::shared_ptr<const RevisionMap> map, PreparedGraph prepared);
    void updateEditedRows();
    void selectRow(int row);
    void updateHeader();
    void layoutHeader();
    void updateNodeStates();
    void applyPalette();
    void updateMatches();
    bool isCurrent(int index) const;
    QString stateText(int index) const;
    // The layout row drawn at a point, -1 off the rows or on a collapsed run.
    int rowAt(const QPoint &viewportPos) const;
    int displayRowAt(const QPoint &viewportPos) const;
    bool isSecondClickOnOpenedRun() const;
    void followSelectionInRuns(int row);
    void findRuns();
    void applyRuns();
    QString runKey(int run) const;

    std::shared_ptr<const RevisionMap> m_map = std::make_shared<const RevisionMap>();
    QSet<QString> m_edited;
    GraphLayout m_layout;
    LinearRuns m_runs;
    bool m_collapseRuns = true;
    QSet<QString> m_expandedRuns; // by runKey(): clicked open
    int m_selectionRun = -1;      // the run open only because the selection is inside it
    QList<int> m_pinned;          // the current revisions the runs were found with
    QElapsedTimer m_runOpened;    // since a click opened a collapsed run
    RevisionGraphItem *m_item = nullptr;
    QLabel *m_header = nullptr;
    QLabel *m_unknownBanner = nullptr;
    DatabaseState m_state;
    QString m_databaseName;
    std::vector<DatabaseState::Node> m_nodeStates; // by map index, for the selected target
    int m_selectedRow = -1;
    QString m_searchText;
    RevisionSearch m_search;
    std::vector<int> m_matchRows; // sorted
    std::vector<char> m_matchByRow;
    bool m_dimNonMatches = false;
    quint64 m_layoutRequest = 0; // the showMap call whose result may still be shown
};

} // namespace qmigrate
