#include "revisions/revisiongraphpanel.h"

#include "common/icons.h"
#include "revisions/revisiongraphview.h"

#include <QAction>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

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
    , m_search(new QLineEdit(this))
    , m_legend(new QWidget(this))
{
    m_search->setObjectName(u"graphSearch"_s);
    m_search->setPlaceholderText(tr("Find revision: id, message or label"));
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
    updateSwatches();
    m_legend->setToolTip(tr("Node colours for the selected database. Selecting a revision shows what "
                            "\"Upgrade to here\" or \"Downgrade to here\" would do. Lanes take their "
                            "own colours, one per branch; a dashed arrow points to a revision's "
                            "depends_on."));

    QToolButton *zoomOut = toolButton(this, u"zoom-out"_s, tr("Zoom out (Ctrl+-)"));
    QToolButton *zoomIn = toolButton(this, u"zoom-in"_s, tr("Zoom in (Ctrl++)"));
    QToolButton *fit = toolButton(this, u"zoom-fit-best"_s, tr("Fit the whole graph"));
    auto *actualSize = new QToolButton(this);
    actualSize->setText(u"1:1"_s);
    actualSize->setToolTip(tr("Actual size"));
    actualSize->setAutoRaise(true);
    connect(zoomOut, &QToolButton::clicked, m_view, &RevisionGraphView::zoomOut);
    connect(zoomIn, &QToolButton::clicked, m_view, &RevisionGraphView::zoomIn);
    connect(fit, &QToolButton::clicked, m_view, &RevisionGraphView::fitToView);
    connect(actualSize, &QToolButton::clicked, m_view, [this] { m_view->setZoom(1.0); });

    connect(m_search, &QLineEdit::returnPressed, this,
            [this] { find(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier); });
    connect(m_search, &QLineEdit::textEdited, this, [this](const QString &text) {
        // Incremental: the first match as the user types, from the top.
        if (!text.trimmed().isEmpty() && !m_view->findNext(text))
            m_search->setStyleSheet(notFoundStyle());
        else
            m_search->setStyleSheet({});
    });

    auto *strip = new QHBoxLayout;
    strip->setContentsMargins(6, 3, 6, 3);
    strip->addWidget(m_search, 1);
    strip->addSpacing(8);
    strip->addWidget(m_legend);
    strip->addStretch();
    for (QToolButton *button : {zoomOut, zoomIn, actualSize, fit})
        strip->addWidget(button);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(strip);
    layout->addWidget(m_view, 1);
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

void RevisionGraphPanel::find(bool backwards)
{
    const bool found = m_view->findNext(m_search->text(), backwards);
    m_search->setStyleSheet(found || m_search->text().trimmed().isEmpty() ? QString() : notFoundStyle());
}

} // namespace qmigrate
