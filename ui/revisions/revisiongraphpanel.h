// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QTimer>
#include <QWidget>

#include <utility>

class QLabel;
class QLineEdit;
class QToolButton;

namespace qmigrate {

class GraphOverview;
class RevisionGraphView;

// The revision graph with its tool strip: search (RevisionSearch's rules; typing highlights the matches and
// goes to the first, Enter or F3 to the next, Shift+Enter or Shift+F3 to the previous, Escape clears it and
// returns to the graph), the match count, the filter toggle for the Revisions list, the collapse toggle for
// long linear runs, zoom and fit, and the legend of the node colours; the overview strip beside the graph.
class RevisionGraphPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RevisionGraphPanel(QWidget *parent = nullptr);

    RevisionGraphView *view() const { return m_view; }
    GraphOverview *overview() const { return m_overview; }
    QLineEdit *searchField() const { return m_search; }
    // "3 of 17", "17 matches" or "No match"; empty without a search.
    QLabel *matchLabel() const { return m_matchLabel; }
    QToolButton *filterButton() const { return m_filter; }
    // Checked: long linear runs are drawn collapsed (RevisionGraphView::setCollapseLinearRuns).
    QToolButton *collapseButton() const { return m_collapse; }
    // Whether the Revisions list should show the matches only (the filter is on and something is searched).
    bool isFiltering() const;

public slots:
    // Focuses the search field with its text selected.
    void startSearch();
    // Runs a search still waiting for typing to pause, so that what follows sees its matches.
    void flushSearch();

signals:
    // The search after typing paused, or the filter toggled: the Revisions list follows it
    // (RevisionListView::setSearch).
    void searchChanged(const QString &text, bool filter);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // Applies the typed text; when the selection is not a match, goes to the nearest match in that direction.
    // Returns whether it moved the selection.
    bool applySearch(bool backwards);
    void step(bool backwards);
    void updateMatchLabel();
    void updateOverview();
    void updateSwatches();

    RevisionGraphView *m_view;
    GraphOverview *m_overview;
    QLineEdit *m_search;
    QLabel *m_matchLabel;
    QToolButton *m_filter;
    QToolButton *m_collapse;
    QTimer m_searchDelay;
    QWidget *m_legend;
    QList<std::pair<QLabel *, int>> m_swatches; // a DatabaseState::Node, or -1 for the depends_on arrow
};

} // namespace qmigrate
