// SPDX-License-Identifier: MIT
#include "revisions/revisiongraphpanel.h"

#include "common/icons.h"
#include "revisions/graphoverview.h"
#include "revisions/revisiongraphview.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QToolButton *toolButton(QWidget *parent, const QString &icon, const QString &tip)
{
    auto *button = new QToolButton(parent);
    button->setIcon(themedIcon(icon));
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

// The search field's "no match" look. Its ink is set with the fill: the palette's text would be light on a
// dark theme, and unreadable on the pale red.
QString notFoundStyle()
{
    return u"QLineEdit { background: #f8d7da; color: #58151c; }"_s;
}

} // namespace

RevisionGraphPanel::RevisionGraphPanel(QWidget *parent)
    : QWidget(parent)
    , m_view(new RevisionGraphView(this))
    , m_overview(new GraphOverview(this))
    , m_search(new QLineEdit(this))
    , m_matchLabel(new QLabel(this))
    , m_filter(new QToolButton(this))
    , m_collapse(new QToolButton(this))
    , m_legend(new QWidget(this))
{
    m_search->setObjectName(u"graphSearch"_s);
    m_search->setPlaceholderText(tr("Find revision: id, prefix, label, label@head or message"));
    m_search->setToolTip(tr("Enter or F3: next match; Shift+Enter or Shift+F3: previous; Escape: clear"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(themedIcon(u"edit-find"_s), QLineEdit::LeadingPosition);
    m_search->setMinimumWidth(240);
    m_search->setMaximumWidth(360);
    m_legend->setObjectName(u"graphLegend"_s);
    auto *legendLayout = new QHBoxLayout(m_legend);
    legendLayout->setContentsMargins(0, 0, 0, 0);
    using Node = DatabaseState::Node;
    for (const auto &[state, text] :
         {std::pair{Node::Current, tr("current")}, std::pair{Node::Applied, tr("applied")},
          std::pair{Node::Pending, tr("pending")}, std::pair{Node::OffPath, tr("not on the path")},
          std::pair{Node::WouldRevert, tr("would be reverted")}}) {
        auto *swatch = new QLabel(m_legend);
        m_swatches.append({swatch, int(state)});
        legendLayout->addWidget(swatch);
        legendLayout->addWidget(new QLabel(text, m_legend));
        legendLayout->addSpacing(6);
    }
    auto *dependency = new QLabel(m_legend);
    m_swatches.append({dependency, -1});
    legendLayout->addWidget(dependency);
    legendLayout->addWidget(new QLabel(tr("depends on"), m_legend));
    legendLayout->addStretch(1); // packed to the left however wide the row is
    updateSwatches();
    m_legend->setToolTip(tr("Node colours for the selected database. Selecting a revision shows what "
                            "\"Upgrade to here\" or \"Downgrade to here\" would do. Lanes take their "
                            "own colours, one per branch; a dashed arrow points to a revision's "
                            "depends_on."));

    QToolButton *zoomOut = toolButton(this, u"zoom-out"_s, tr("Zoom out (Ctrl+-)"));
    QToolButton *zoomIn = toolButton(this, u"zoom-in"_s, tr("Zoom in (Ctrl++)"));
    QToolButton *fit = toolButton(this, u"zoom-fit-best"_s, tr("Fit the whole graph"));
    QToolButton *collapse = m_collapse;
    collapse->setObjectName(u"graphCollapseRuns"_s);
    collapse->setText(tr("Collapse runs"));
    collapse->setCheckable(true);
    collapse->setChecked(m_view->collapsesLinearRuns());
    collapse->setAutoRaise(true);
    collapse->setToolTip(tr("Draw each long chain of revisions with one parent and one child as one row; "
                            "click such a row to show its revisions"));
    connect(collapse, &QToolButton::toggled, m_view, &RevisionGraphView::setCollapseLinearRuns);
    auto *actualSize = new QToolButton(this);
    actualSize->setText(u"1:1"_s);
    actualSize->setToolTip(tr("Actual size"));
    actualSize->setAutoRaise(true);
    connect(zoomOut, &QToolButton::clicked, m_view, &RevisionGraphView::zoomOut);
    connect(zoomIn, &QToolButton::clicked, m_view, &RevisionGraphView::zoomIn);
    connect(fit, &QToolButton::clicked, m_view, &RevisionGraphView::fitToView);
    connect(actualSize, &QToolButton::clicked, m_view, [this] { m_view->setZoom(1.0); });

    m_matchLabel->setObjectName(u"graphSearchMatches"_s);
    // Room for the widest count, so that the strip does not jump as it changes.
    m_matchLabel->setMinimumWidth(
        m_matchLabel->fontMetrics().horizontalAdvance(tr("%1 of %2").arg(88888).arg(88888)));
    m_matchLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_filter->setObjectName(u"graphSearchFilter"_s);
    m_filter->setText(tr("Filter"));
    m_filter->setCheckable(true);
    m_filter->setAutoRaise(true);
    m_filter->setToolTip(tr("Show only the matching revisions in the Revisions list"));

    // A search runs over every revision, so typing waits for a pause rather than searching per key.
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(150);
    connect(&m_searchDelay, &QTimer::timeout, this, [this] { applySearch(false); });
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    m_search->installEventFilter(this);
    connect(m_filter, &QToolButton::toggled, this, [this] {
        flushSearch();
        m_view->setDimNonMatches(isFiltering());
        emit searchChanged(m_view->searchText(), isFiltering());
    });
    connect(m_view, &RevisionGraphView::revisionSelected, this, &RevisionGraphPanel::updateMatchLabel);
    connect(m_view, &RevisionGraphView::matchesChanged, this, &RevisionGraphPanel::updateMatchLabel);
    // F3 works from the graph as well as from the field.
    for (const auto &[key, backwards] : {std::pair{QKeySequence(Qt::Key_F3), false},
                                         std::pair{QKeySequence(Qt::SHIFT | Qt::Key_F3), true}}) {
        auto *action = new QAction(this);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, backwards] { step(backwards); });
        addAction(action);
    }

    connect(m_view, &RevisionGraphView::overviewChanged, this, &RevisionGraphPanel::updateOverview);
    connect(m_view, &RevisionGraphView::visibleRowsChanged, m_overview, [this] {
        const auto [first, count] = m_view->visibleRows();
        m_overview->setVisibleRows(first, count);
    });
    connect(m_overview, &GraphOverview::rowRequested, m_view, &RevisionGraphView::scrollToDisplayRow);

    auto *strip = new QHBoxLayout;
    strip->setContentsMargins(6, 3, 6, 3);
    strip->addWidget(m_search, 1);
    strip->addWidget(m_matchLabel);
    strip->addWidget(m_filter);
    strip->addStretch();
    for (QToolButton *button : {collapse, zoomOut, zoomIn, actualSize, fit})
        strip->addWidget(button);
    // The legend on a row of its own, clipped rather than widening the panel: at 1280 px the graph and the
    // editor share the width, and the legend must not take it from the editor.
    m_legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *legendRow = new QHBoxLayout;
    legendRow->setContentsMargins(6, 0, 6, 3);
    legendRow->addWidget(m_legend, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(strip);
    layout->addLayout(legendRow);
    auto *graph = new QHBoxLayout;
    graph->setContentsMargins(0, 0, 0, 0);
    graph->setSpacing(0);
    graph->addWidget(m_view, 1);
    graph->addWidget(m_overview);
    layout->addLayout(graph, 1);
}

// The swatches are drawn for the palette's base, so a hollow node stays hollow on a dark theme.
void RevisionGraphPanel::updateSwatches()
{
    for (const auto &[label, state] : std::as_const(m_swatches)) {
        label->setPixmap(state < 0 ? RevisionGraphView::dependencySwatch(devicePixelRatioF(), palette())
                                   : RevisionGraphView::nodeSwatch(DatabaseState::Node(state),
                                                                   devicePixelRatioF(), palette()));
    }
}

void RevisionGraphPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateSwatches();
}

void RevisionGraphPanel::startSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void RevisionGraphPanel::updateOverview()
{
    m_overview->setMarkers(m_view->displayRowCount(), m_view->overviewMarkers());
    const auto [first, count] = m_view->visibleRows();
    m_overview->setVisibleRows(first, count);
}

bool RevisionGraphPanel::isFiltering() const
{
    return m_filter->isChecked() && !m_view->searchText().trimmed().isEmpty();
}

void RevisionGraphPanel::flushSearch()
{
    if (m_searchDelay.isActive())
        applySearch(false);
}

bool RevisionGraphPanel::applySearch(bool backwards)
{
    m_searchDelay.stop();
    const QString text = m_search->text();
    const bool changed = text != m_view->searchText();
    m_view->setSearchText(text);
    m_view->setDimNonMatches(isFiltering());
    // Incremental, as in a browser's find bar: the first match from the selection on, unless the
    // selection already is one.
    bool moved = false;
    if (m_view->matchCount() > 0 && m_view->currentMatch() == 0)
        moved = m_view->stepMatch(backwards);
    updateMatchLabel();
    if (changed)
        emit searchChanged(m_view->searchText(), isFiltering());
    return moved;
}

void RevisionGraphPanel::step(bool backwards)
{
    if (applySearch(backwards))
        return; // typing had not paused yet: the first match is the step
    m_view->stepMatch(backwards);
    updateMatchLabel();
}

void RevisionGraphPanel::updateMatchLabel()
{
    if (m_view->searchText().trimmed().isEmpty()) {
        m_matchLabel->clear();
        m_search->setStyleSheet({});
        return;
    }
    const int count = m_view->matchCount();
    const int current = m_view->currentMatch();
    if (count == 0)
        m_matchLabel->setText(tr("No match"));
    else if (current > 0)
        m_matchLabel->setText(tr("%1 of %2").arg(current).arg(count));
    else
        m_matchLabel->setText(count == 1 ? tr("1 match") : tr("%1 matches").arg(count));
    m_search->setStyleSheet(count == 0 ? notFoundStyle() : QString());
}

bool RevisionGraphPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search &&
        (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        const bool escape = key->key() == Qt::Key_Escape;
        if (enter || escape) {
            // Claimed before any window shortcut on the same key.
            if (event->type() == QEvent::ShortcutOverride) {
                event->accept();
                return false;
            }
            if (enter) {
                step(key->modifiers() & Qt::ShiftModifier);
            } else {
                m_search->clear();
                applySearch(false);
                m_view->setFocus(Qt::OtherFocusReason);
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace qmigrate
