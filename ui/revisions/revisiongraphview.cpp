// SPDX-License-Identifier: MIT
#include "revisions/revisiongraphview.h"

#include "revisions/linearruns.h"
#include "revisions/revisionsearch.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QGuiApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QStyleHints>
#include <QStyleOptionGraphicsItem>
#include <QThreadPool>
#include <QToolTip>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

constexpr qreal rowHeight = 28;
constexpr qreal laneWidth = 18;
constexpr qreal margin = 8;
constexpr qreal minimumTextWidth = 300;
constexpr qreal maximumTextWidth = 1200; // longer messages are elided
constexpr qreal nodeRadius = 5;
// The depends_on gutter between the lanes and the text: one track per edge crossing the busiest row, up to
// maximumTracks; more share the last one rather than push the text off screen.
constexpr qreal trackSpacing = 6;
constexpr int maximumTracks = 12;

// The states' colours (applied green, would-be-reverted red, pending orange, off-path grey, selection blue)
// are what the legend explains, so no lane may wear one: the lanes take violets, magenta and teal, at least
// 40 degrees of hue from the node states' colours and 20 from the selection's, and saturated enough not to
// pass for grey. Olive or brown would fit more branches in, but read as green or orange once lightened.
constexpr QRgb laneRgb[] = {0x7b4fc9, 0x00979b, 0xc2389c, 0x4a58d0, 0x9b3fb5};
constexpr QRgb selectionRgb = 0x3399ff;

// A branch's colour comes from its first revision's id, not from its column: a column is reused by whatever
// line needs it next, so colouring by column repaints every branch right of a new one. A hash of the id is
// the same in every session and on every machine (qHash may be seeded or hardware-dependent, hence FNV-1a);
// two branches can share a colour, which is the price of never changing one.
int branchColourIndex(const QString &firstRevisionId)
{
    quint32 hash = 2166136261u;
    for (const QChar c : firstRevisionId) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return int(hash % std::size(laneRgb));
}

// On a dark base the lane colours are lightened so that thin lines keep their contrast.
QColor laneColour(int index, bool dark)
{
    const QColor colour = QColor::fromRgb(laneRgb[size_t(index) % std::size(laneRgb)]);
    return dark ? colour.lighter(150) : colour;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

// a with weight 1 - t, b with weight t.
QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

using Node = DatabaseState::Node;

// Fill and outline of a node for the selected database; Unknown keeps the branch's colour. hollow is the
// inside of a node not applied: the view's base, so it reads as empty on light and dark palettes alike.
struct NodeLook
{
    QColor fill;
    QColor outline;
    qreal outlineWidth = 1.5;
};

NodeLook nodeLook(Node state, const QColor &branchColour, const QColor &hollow)
{
    switch (state) {
    case Node::Applied:
        return {QColor(0x2e, 0x9d, 0x4f), QColor(0x1d, 0x6b, 0x35)};
    case Node::Current:
        // The thick ring is what sets the current revision apart from applied ones: dark on a light base,
        // light on a dark one, where a dark ring would vanish and leave a small dot.
        return {QColor(0x2e, 0x9d, 0x4f),
                hollow.lightness() < 128 ? QColor(0xb8, 0xf2, 0xc9) : QColor(0x0b, 0x3d, 0x1b), 3};
    case Node::Pending:
        return {hollow, QColor(0xe6, 0x8a, 0x00), 2.5};
    case Node::OffPath:
        return {hollow, QColor(0xa0, 0xa0, 0xa0), 1.5};
    case Node::WouldRevert:
        return {QColor(0xd9, 0x3a, 0x34), QColor(0x8a, 0x1c, 0x18), 2};
    case Node::Unknown:
        break;
    }
    return {branchColour, branchColour.darker(130)};
}

// Ink for a chip's fill: whichever of black and white contrasts more.
QColor chipInk(const QColor &fill)
{
    const auto linear = [](float c) {
        return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
    };
    const float luminance =
        0.2126f * linear(fill.redF()) + 0.7152f * linear(fill.greenF()) + 0.0722f * linear(fill.blueF());
    return luminance > 0.18f ? QColor(0x10, 0x10, 0x10) : QColor(Qt::white);
}

// Freeing the rows of a big graph takes a millisecond or more: the graph a new one replaces is freed on a
// worker. (The value is held by a shared pointer only so that the task stays copyable.)
template<typename T> void dropOffThread(T value)
{
    auto held = std::make_shared<T>(std::move(value));
    if (QThreadPool *pool = QThreadPool::globalInstance(); pool && !QCoreApplication::closingDown())
        pool->start([held = std::move(held)]() mutable { held.reset(); });
}

bool hasFullVertical(LaneType t)
{
    switch (t) {
    case LaneType::Active:
    case LaneType::NotActive:
    case LaneType::MergeFork:
    case LaneType::MergeForkL:
    case LaneType::MergeForkR:
    case LaneType::Cross:
    case LaneType::Join:
    case LaneType::JoinL:
    case LaneType::JoinR:
        return true;
    default:
        return false;
    }
}

} // namespace

// Everything the rows show, read from the map once so that paint() only reads precomputed values.
struct RowText
{
    QString shortId;
    QString message;
    QStringList labels;
    bool head = false;
    bool merge = false;
    bool hasChildren = false;
    bool hasParents = false;
    quint8 colour = 0; // of the revision's branch, an index into laneRgb
};

// The fonts the rows are drawn with, copied for the worker that measures them.
struct GraphFonts
{
    QFont mono; // the ids
    QFont text; // chips and messages
};

// A layout with the rows' texts, colours and width, all read from the map and measured off the UI thread
// (showMap's worker): at 10,000 revisions that took most of a frame on the UI thread.
struct PreparedGraph
{
    GraphLayout layout;
    std::vector<RowText> texts;
    std::vector<quint8> colours; // per revision index
    qreal textWidth = minimumTextWidth;

    static PreparedGraph prepare(const RevisionMap &map, GraphLayout layout, const GraphFonts &fonts);
    // As wide as the widest row needs, so that a short history has no horizontal scroll bar and a long
    // message is not cut. QFontMetricsF is reentrant, so this runs on the worker too.
    static qreal measureTextWidth(const std::vector<RowText> &texts, const GraphFonts &fonts);
};

// What the item needs of the view's palette.
struct GraphInk
{
    QColor text;
    QColor dimText; // ids, and messages of revisions off the path
    QColor base;
    QColor dependency;
    bool dark = false;

    static GraphInk from(const QPalette &palette)
    {
        GraphInk ink;
        ink.text = palette.color(QPalette::Text);
        ink.base = palette.color(QPalette::Base);
        ink.dimText = mix(ink.text, ink.base, 0.4);
        ink.dependency = mix(ink.text, ink.base, 0.2);
        ink.dark = isDark(palette);
        return ink;
    }
};

// One item for the whole graph: paint() draws only the rows that intersect the exposed rectangle.
class RevisionGraphItem : public QGraphicsItem
{
public:
    RevisionGraphItem(const GraphLayout *layout, const LinearRuns *runs)
        : m_layout(layout)
        , m_runs(runs)
        , m_ink(GraphInk::from(QPalette()))
    {
        setFlag(ItemUsesExtendedStyleOption);
        m_mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    }

    // colours: by revision index, the colour index a branch starting at that revision takes; textWidth:
    // PreparedGraph::measureTextWidth() of the texts. Returns the texts it showed before.
    [[nodiscard]] std::vector<RowText> reset(std::vector<RowText> texts, std::vector<quint8> colours,
                                             qreal textWidth)
    {
        prepareGeometryChange();
        std::vector<RowText> previous = std::exchange(m_texts, std::move(texts));
        m_colourOf = std::move(colours);
        m_measuredTextWidth = textWidth;
        m_textWidth = m_measuredTextWidth;
        m_editedRows.clear();
        m_current.clear();
        update();
        return previous;
    }
    // By row; empty when no row is edited.
    void setEdited(std::vector<char> edited)
    {
        m_editedRows = std::move(edited);
        // Room for the chip, so that the messages of edited rows are not cut shorter than the others.
        const bool any = std::find(m_editedRows.begin(), m_editedRows.end(), 1) != m_editedRows.end();
        const qreal chip = QFontMetricsF{QFont()}.horizontalAdvance(editedChipText()) + 15;
        const qreal width = std::min(m_measuredTextWidth + (any ? chip : 0), maximumTextWidth);
        if (width != m_textWidth) {
            prepareGeometryChange();
            m_textWidth = width;
        }
        update();
    }
    const QFont &monoFont() const { return m_mono; }
    static QString editedChipText() { return u"edited since applied"_s; }
    static QString currentChipText() { return u"current"_s; }
    // By row: the state, and whether the revision is one of the database's current ones (which its state
    // does not say while a downgrade preview marks it "would be reverted").
    void setStates(std::vector<Node> states, std::vector<char> current)
    {
        m_states = std::move(states);
        m_current = std::move(current);
        update();
    }
    struct Chip
    {
        QString text;
        QColor fill;
    };
    // What a row's chips say, left to right.
    std::vector<Chip> chips(int row) const
    {
        std::vector<Chip> found;
        if (row < 0 || size_t(row) >= m_texts.size())
            return found;
        const RowText &text = m_texts[size_t(row)];
        if (size_t(row) < m_current.size() && m_current[size_t(row)])
            found.push_back({currentChipText(), QColor(0x2e, 0x9d, 0x4f)});
        if (size_t(row) < m_editedRows.size() && m_editedRows[size_t(row)])
            found.push_back({editedChipText(), QColor(0xe0, 0x6c, 0x00)});
        if (text.head)
            found.push_back({u"head"_s, QColor(0xff, 0xd5, 0x4f)});
        for (const QString &label : text.labels)
            found.push_back({label, m_ink.dark ? QColor(0x2b, 0x4a, 0x75) : QColor(0xd0, 0xe4, 0xff)});
        return found;
    }
    QStringList chipsOfRow(int row) const
    {
        QStringList texts;
        for (const Chip &chip : chips(row))
            texts.append(chip.text);
        return texts;
    }

    // By row, 1 for a search match; dim greys the text of the others.
    void setMatches(std::vector<char> matches, bool dim)
    {
        m_matches = std::move(matches);
        m_dimNonMatches = dim && !m_matches.empty();
        countRunMatches();
        update();
    }

    void setInk(const GraphInk &ink)
    {
        m_ink = ink;
        update();
    }

    QColor branchColour(int revision) const
    {
        const int first = m_layout->branchOf(revision);
        return laneColour(first >= 0 && size_t(first) < m_colourOf.size() ? m_colourOf[size_t(first)] : 0,
                          m_ink.dark);
    }
    // The colour a lane is drawn with in a row: its branch's; the node's column is the line above the node.
    QColor laneColourAt(int row, int lane) const
    {
        const GraphRow &r = m_layout->rows()[size_t(row)];
        const int branch = size_t(lane) < r.laneBranches.size() ? r.laneBranches[size_t(lane)] : -1;
        return branch < 0 ? QColor() : branchColour(branch);
    }

    QPointF nodeCentre(int row) const
    {
        return QPointF(margin + m_layout->rows()[size_t(row)].lane * laneWidth + laneWidth / 2,
                       m_runs->displayRowOf(row) * rowHeight + rowHeight / 2);
    }
    // On a pixel's centre, so that a thin vertical dash is crisp rather than smeared over two columns.
    qreal trackX(int track) const
    {
        return margin + std::max(1, m_layout->laneCount()) * laneWidth + trackSpacing +
               std::min(track, maximumTracks - 1) * trackSpacing + 0.5;
    }

    void setSelectedRow(int row)
    {
        if (row == m_selected)
            return;
        const int old = m_selected;
        m_selected = row;
        if (old >= 0)
            update(rowRect(old));
        if (row >= 0)
            update(rowRect(row));
    }

    qreal textX() const
    {
        const int tracks = std::min(m_layout->dependencyTrackCount(), maximumTracks);
        return margin + std::max(1, m_layout->laneCount()) * laneWidth + 12 +
               (tracks > 0 ? (tracks + 1) * trackSpacing : 0);
    }
    // A layout row's rectangle: its own row, or its collapsed run's.
    QRectF rowRect(int row) const { return displayRowRect(m_runs->displayRowOf(row)); }
    QRectF displayRowRect(int displayRow) const
    {
        return QRectF(0, displayRow * rowHeight, textX() + m_textWidth, rowHeight);
    }
    // Before the runs collapse or expand (the item's height changes).
    void rowsAboutToChange() { prepareGeometryChange(); }
    void rowsChanged()
    {
        countRunMatches();
        update();
    }

    QRectF boundingRect() const override
    {
        return QRectF(0, 0, textX() + m_textWidth, qreal(m_runs->displayRowCount()) * rowHeight);
    }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *) override
    {
        const int count = m_runs->displayRowCount();
        if (count == 0 || m_texts.empty())
            return;
        const QRectF exposed = option->exposedRect;
        const int first = std::max(0, int(std::floor(exposed.top() / rowHeight)));
        const int last = std::min(count - 1, int(std::ceil(exposed.bottom() / rowHeight)));
        if (first > last)
            return;
        painter->setRenderHint(QPainter::Antialiasing);
        for (int displayRow = first; displayRow <= last; ++displayRow) {
            if (const int run = m_runs->collapsedRunAt(displayRow); run >= 0)
                paintRun(painter, displayRow, run);
            else
                paintRow(painter, m_runs->firstRowOf(displayRow), displayRow);
        }
        // Over the lanes and under nothing else: a dashed line reads as "not a parent" wherever it crosses.
        for (const int index :
             m_layout->dependencyEdgesIn(m_runs->firstRowOf(first), m_runs->lastRowOf(last)))
            paintDependency(painter, m_layout->dependencyEdges()[size_t(index)]);
    }

private:
    // Out of the dependant's node on the side facing the dependency, along the gutter track, and into the
    // dependency's node with an arrowhead: "needs that one first".
    void paintDependency(QPainter *painter, const DependencyEdge &edge) const
    {
        const qreal direction = edge.toRow > edge.fromRow ? 1 : -1;
        const QPointF from = nodeCentre(edge.fromRow) + QPointF(nodeRadius, direction * 3);
        const QPointF to = nodeCentre(edge.toRow) + QPointF(nodeRadius + 1, -direction * 3);
        const qreal x = trackX(edge.track);
        QPainterPath path(from);
        path.lineTo(x - 2, from.y());
        path.quadTo(x, from.y(), x, from.y() + direction * 2);
        path.lineTo(x, to.y() - direction * 2);
        path.quadTo(x, to.y(), x - 2, to.y());
        path.lineTo(to.x() + 4, to.y());
        QPen pen(m_ink.dependency, 1.3, Qt::DashLine);
        pen.setDashPattern({3, 3});
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(path);
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_ink.dependency);
        painter->drawPolygon(QPolygonF{to, to + QPointF(5, -3), to + QPointF(5, 3)});
    }

    // A collapsed run: its lanes straight through, its own lane dotted (an elided edge), and how many
    // revisions it stands for.
    void paintRun(QPainter *painter, int displayRow, int run) const
    {
        const LinearRuns::Run &span = m_runs->runs()[size_t(run)];
        const GraphRow &r = m_layout->rows()[size_t(span.first)];
        const RowText &text = m_texts[size_t(span.first)];
        const qreal y0 = displayRow * rowHeight;
        const qreal y1 = y0 + rowHeight;
        const qreal ym = y0 + rowHeight / 2;
        const QColor activeColor = laneColour(text.colour, m_ink.dark);
        painter->setBrush(Qt::NoBrush);
        for (size_t lane = 0; lane < r.lanes.size(); ++lane) {
            if (int(lane) == r.lane)
                continue;
            const int branch = lane < r.laneBranches.size() ? r.laneBranches[lane] : -1;
            paintLane(painter, r.lanes[lane], int(lane), y0, ym, y1,
                      branch < 0 ? activeColor : branchColour(branch), activeColor, text);
        }
        const qreal x = margin + r.lane * laneWidth + laneWidth / 2;
        QPen dotted(activeColor, 2, Qt::DotLine);
        painter->setPen(dotted);
        painter->drawLine(QPointF(x, y0), QPointF(x, y1));

        const QFont font = runFont();
        painter->setFont(font);
        painter->setPen(m_ink.dimText);
        const int matches = size_t(run) < m_runMatches.size() ? m_runMatches[size_t(run)] : 0;
        const QString label = matches > 0 ? runMatchText(span.length(), matches) : runText(span.length());
        painter->drawText(QPointF(textX(), ym + QFontMetricsF(font).ascent() / 2 - 1), label);
    }

public:
    static QString runText(int revisions) { return u"… %1 revisions …"_s.arg(revisions); }
    static QString runMatchText(int revisions, int matches)
    {
        return matches == 1 ? u"… %1 revisions (1 match) …"_s.arg(revisions)
                            : u"… %1 revisions (%2 matches) …"_s.arg(revisions).arg(matches);
    }

private:
    static QFont runFont()
    {
        QFont font;
        font.setItalic(true);
        return font;
    }

    void countRunMatches()
    {
        m_runMatches.assign(m_runs->runs().size(), 0);
        if (m_matches.empty())
            return;
        for (size_t run = 0; run < m_runs->runs().size(); ++run) {
            const LinearRuns::Run &span = m_runs->runs()[run];
            for (int row = span.first; row <= span.last; ++row)
                m_runMatches[run] += size_t(row) < m_matches.size() && m_matches[size_t(row)] ? 1 : 0;
        }
    }

    void paintRow(QPainter *painter, int row, int displayRow) const
    {
        const GraphRow &r = m_layout->rows()[size_t(row)];
        const RowText &text = m_texts[size_t(row)];
        const qreal y0 = displayRow * rowHeight;
        const qreal y1 = y0 + rowHeight;
        const qreal ym = y0 + rowHeight / 2;

        const QColor activeColor = laneColour(text.colour, m_ink.dark);
        painter->setBrush(Qt::NoBrush);
        for (size_t lane = 0; lane < r.lanes.size(); ++lane) {
            const int branch = size_t(lane) < r.laneBranches.size() ? r.laneBranches[lane] : -1;
            paintLane(painter, r.lanes[lane], int(lane), y0, ym, y1,
                      branch < 0 ? activeColor : branchColour(branch), activeColor, text);
        }

        // The node on top of its lane, coloured by the database state when one is known.
        const Node state = size_t(row) < m_states.size() ? m_states[size_t(row)] : Node::Unknown;
        const NodeLook look = nodeLook(state, activeColor, m_ink.base);
        const QPointF centre(margin + r.lane * laneWidth + laneWidth / 2, ym);
        if (row == m_selected) {
            painter->setPen(QPen(QColor::fromRgb(selectionRgb), 2));
            painter->setBrush(Qt::NoBrush);
            painter->drawEllipse(centre, nodeRadius + 4, nodeRadius + 4);
        }
        painter->setPen(QPen(look.outline, look.outlineWidth));
        painter->setBrush(state == Node::Unknown && row == m_selected ? m_ink.base : look.fill);
        if (text.merge)
            painter->drawRect(
                QRectF(centre.x() - nodeRadius, ym - nodeRadius, 2 * nodeRadius, 2 * nodeRadius));
        else
            painter->drawEllipse(centre, nodeRadius, nodeRadius);

        qreal x = textX();
        painter->setFont(m_mono);
        painter->setPen(m_ink.dimText);
        const QFontMetricsF mono(m_mono);
        painter->drawText(QPointF(x, ym + mono.ascent() / 2 - 1), text.shortId);
        x += mono.horizontalAdvance(text.shortId) + 10;

        const QFont font;
        painter->setFont(font);
        const QFontMetricsF metrics(font);
        // Chips carry their own fill, so their ink follows the fill, not the palette.
        auto chip = [&](const QString &label, const QColor &fill) {
            const qreal w = metrics.horizontalAdvance(label) + 10;
            const QRectF box(x, ym - metrics.height() / 2 - 1, w, metrics.height() + 2);
            painter->setPen(m_ink.dark ? fill.lighter(140) : fill.darker(140));
            painter->setBrush(fill);
            painter->drawRoundedRect(box, 4, 4);
            painter->setPen(chipInk(fill));
            painter->drawText(box, Qt::AlignCenter, label);
            x += w + 5;
        };
        for (const Chip &c : chips(row))
            chip(c.text, c.fill);
        const bool dimmed = m_dimNonMatches && !(size_t(row) < m_matches.size() && m_matches[size_t(row)]);
        painter->setPen(state == Node::OffPath || dimmed ? m_ink.dimText : m_ink.text);
        const qreal room = textX() + m_textWidth - x;
        painter->drawText(QPointF(x + 2, ym + metrics.ascent() / 2 - 1),
                          metrics.elidedText(text.message, Qt::ElideRight, room));
    }

    // The glyph table of docs/revision-graph-layout.md.
    // laneColour: the branch the lane carries (for the node's lane, the line coming down into the node);
    // activeColor: the node's branch, which continues below the node and draws its connectors.
    static void paintLane(QPainter *painter, LaneType type, int lane, qreal y0, qreal ym, qreal y1,
                          const QColor &laneColour, const QColor &activeColor, const RowText &node)
    {
        if (type == LaneType::Empty)
            return;
        const qreal x0 = margin + lane * laneWidth;
        const qreal x1 = x0 + laneWidth;
        const qreal m = x0 + laneWidth / 2;
        const QPen lanePen(laneColour, 2);
        const QPen connectorPen(activeColor, 2);

        painter->setPen(lanePen);
        if (hasFullVertical(type)) {
            // The node's own lane stops at the node where it has no children above or no parents below (a
            // base that is a branch point is a MERGE_FORK, yet nothing continues under it).
            const bool isNodeLane = type == LaneType::Active || type == LaneType::MergeFork ||
                                    type == LaneType::MergeForkL || type == LaneType::MergeForkR;
            if (!isNodeLane) {
                painter->drawLine(QPointF(m, y0), QPointF(m, y1));
            } else {
                if (node.hasChildren)
                    painter->drawLine(QPointF(m, y0), QPointF(m, ym));
                painter->setPen(connectorPen);
                if (node.hasParents)
                    painter->drawLine(QPointF(m, ym), QPointF(m, y1));
            }
        } else if (type == LaneType::Branch) {
            painter->setPen(connectorPen);
            painter->drawLine(QPointF(m, ym), QPointF(m, y1));
        } else if (type == LaneType::Initial && node.hasChildren) {
            // A base that is also a head stands alone: no line.
            painter->drawLine(QPointF(m, y0), QPointF(m, ym));
        }

        painter->setPen(connectorPen);
        switch (type) {
        case LaneType::MergeFork:
        case LaneType::Cross:
        case LaneType::CrossEmpty:
            painter->drawLine(QPointF(x0, ym), QPointF(x1, ym));
            break;
        case LaneType::MergeForkL:
            painter->drawLine(QPointF(m, ym), QPointF(x1, ym));
            break;
        case LaneType::MergeForkR:
            painter->drawLine(QPointF(x0, ym), QPointF(m, ym));
            break;
        default:
            break;
        }

        QPainterPath arc;
        switch (type) {
        case LaneType::Join:
        case LaneType::Head:
        case LaneType::Tail:
            painter->drawLine(QPointF(x0, ym), QPointF(x1, ym));
            break;
        default:
            break;
        }
        switch (type) {
        case LaneType::Join:
        case LaneType::JoinR:
        case LaneType::Head:
        case LaneType::HeadR:
            // The connector arrives from the left and turns down into this lane.
            arc.moveTo(x0, ym);
            arc.quadTo(m, ym, m, y1);
            break;
        case LaneType::JoinL:
        case LaneType::HeadL:
            arc.moveTo(x1, ym);
            arc.quadTo(m, ym, m, y1);
            break;
        case LaneType::Tail:
        case LaneType::TailR:
        case LaneType::TailL:
            // The lane comes from above and turns left into the node.
            arc.moveTo(m, y0);
            arc.quadTo(m, ym, x0, ym);
            break;
        default:
            break;
        }
        if (!arc.isEmpty()) {
            painter->setPen(lanePen);
            painter->drawPath(arc);
        }
    }

    const GraphLayout *m_layout;
    const LinearRuns *m_runs;
    std::vector<RowText> m_texts;
    std::vector<quint8> m_colourOf;
    std::vector<Node> m_states;
    std::vector<char> m_current;
    std::vector<char> m_editedRows;
    std::vector<char> m_matches;
    std::vector<int> m_runMatches; // by run
    bool m_dimNonMatches = false;
    GraphInk m_ink;
    QFont m_mono;
    qreal m_textWidth = minimumTextWidth;
    qreal m_measuredTextWidth = minimumTextWidth; // without the edited chip
    int m_selected = -1;
};

QPixmap RevisionGraphView::nodeSwatch(DatabaseState::Node state, qreal devicePixelRatio,
                                      const QPalette &palette)
{
    const int size = 14;
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const NodeLook look = nodeLook(state, laneColour(0, isDark(palette)), palette.color(QPalette::Base));
    painter.setPen(QPen(look.outline, look.outlineWidth));
    painter.setBrush(look.fill);
    painter.drawEllipse(QPointF(size / 2.0, size / 2.0), nodeRadius, nodeRadius);
    return pixmap;
}

QPixmap RevisionGraphView::dependencySwatch(qreal devicePixelRatio, const QPalette &palette)
{
    const QSize size(26, 14);
    QPixmap pixmap(size * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor ink = GraphInk::from(palette).dependency;
    QPen pen(ink, 1.3, Qt::DashLine);
    pen.setDashPattern({3, 3});
    painter.setPen(pen);
    painter.drawLine(QPointF(size.width() - 1, 7), QPointF(6, 7));
    painter.setPen(Qt::NoPen);
    painter.setBrush(ink);
    painter.drawPolygon(QPolygonF{QPointF(1, 7), QPointF(6, 4), QPointF(6, 10)});
    return pixmap;
}

QList<QColor> RevisionGraphView::laneColours(bool dark)
{
    QList<QColor> colours;
    for (size_t i = 0; i < std::size(laneRgb); ++i)
        colours.append(laneColour(int(i), dark));
    return colours;
}

RevisionGraphView::RevisionGraphView(QWidget *parent)
    : QGraphicsView(parent)
{
    auto *scene = new QGraphicsScene(this);
    scene->setItemIndexMethod(QGraphicsScene::NoIndex);
    setScene(scene);
    m_item = new RevisionGraphItem(&m_layout, &m_runs);
    scene->addItem(m_item); // the scene owns it
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
    applyPalette();
    setFocusPolicy(Qt::StrongFocus);
    setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    // Zooming and new graphs change the range, scrolling the value.
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &RevisionGraphView::visibleRowsChanged);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &RevisionGraphView::visibleRowsChanged);

    m_header = new QLabel(this);
    m_header->setObjectName(u"severalHeadsWarning"_s);
    m_header->setWordWrap(true);
    m_header->setContentsMargins(8, 4, 8, 4);
    m_header->setStyleSheet(
        u"QLabel { background: #fff3cd; color: #664d03; border-bottom: 1px solid #e0c36a; }"_s);
    m_header->setTextFormat(Qt::RichText);
    m_header->hide();
    connect(m_header, &QLabel::linkActivated, this, [this] {
        QStringList heads;
        for (const int head : m_map->realHeads())
            heads.append(m_map->idOf(head));
        emit mergeRequested(heads);
    });

    m_unknownBanner = new QLabel(this);
    m_unknownBanner->setObjectName(u"unknownRevisionBanner"_s);
    m_unknownBanner->setWordWrap(true);
    m_unknownBanner->setContentsMargins(8, 4, 8, 4);
    m_unknownBanner->setStyleSheet(
        u"QLabel { background: #f8d7da; color: #58151c; border-bottom: 1px solid #e4a0a8; }"_s);
    m_unknownBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_unknownBanner->hide();
}

RevisionGraphView::~RevisionGraphView() = default;

// The graph follows the palette (a dark theme, a palette changed at run time): background, text, and lane
// colours lightened for a dark base.
void RevisionGraphView::applyPalette()
{
    setBackgroundBrush(palette().base());
    m_item->setInk(GraphInk::from(palette()));
}

void RevisionGraphView::changeEvent(QEvent *event)
{
    QGraphicsView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyPalette();
}

void RevisionGraphView::showMap(const RevisionMap &map)
{
    showMap(std::make_shared<const RevisionMap>(map));
}

void RevisionGraphView::showMap(std::shared_ptr<const RevisionMap> map)
{
    startLayout(std::move(map), std::nullopt);
}

void RevisionGraphView::showMap(std::shared_ptr<const RevisionMap> map, const QList<int> &history)
{
    startLayout(std::move(map), history);
}

void RevisionGraphView::startLayout(std::shared_ptr<const RevisionMap> map, std::optional<QList<int>> history)
{
    const quint64 request = ++m_layoutRequest;
    auto *watcher = new QFutureWatcher<PreparedGraph>(this);
    connect(watcher, &QFutureWatcher<PreparedGraph>::finished, this, [this, watcher, request, map] {
        watcher->deleteLater();
        if (request == m_layoutRequest)
            applyGraph(map, watcher->future().takeResult());
    });
    // The map is immutable and shared: the worker reads it while the UI thread may read it too.
    const GraphFonts fonts{m_item->monoFont(), QFont()};
    watcher->setFuture(QtConcurrent::run([map, history = std::move(history), fonts] {
        GraphLayout layout = history ? GraphLayout::compute(*map, *history) : GraphLayout::compute(*map);
        return PreparedGraph::prepare(*map, std::move(layout), fonts);
    }));
}

void RevisionGraphView::setGraph(const RevisionMap &map, const GraphLayout &layout)
{
    setGraph(std::make_shared<const RevisionMap>(map), layout);
}

void RevisionGraphView::setGraph(std::shared_ptr<const RevisionMap> map, const GraphLayout &layout)
{
    ++m_layoutRequest;
    PreparedGraph prepared = PreparedGraph::prepare(*map, layout, {m_item->monoFont(), QFont()});
    applyGraph(std::move(map), std::move(prepared));
}

void RevisionGraphView::setEditedRevisions(const QSet<QString> &ids)
{
    if (ids == m_edited)
        return;
    m_edited = ids;
    updateEditedRows();
}

bool RevisionGraphView::isMarkedEdited(const QString &id) const
{
    return m_edited.contains(id) && m_map->indexOf(id) >= 0;
}

void RevisionGraphView::updateEditedRows()
{
    std::vector<char> rows;
    if (!m_edited.isEmpty()) {
        rows.reserve(m_layout.rows().size());
        for (const GraphRow &row : m_layout.rows())
            rows.push_back(m_edited.contains(m_map->idOf(row.revision)) ? 1 : 0);
    }
    m_item->setEdited(std::move(rows));
    scene()->setSceneRect(m_item->boundingRect());
}

PreparedGraph PreparedGraph::prepare(const RevisionMap &map, GraphLayout layout, const GraphFonts &fonts)
{
    PreparedGraph prepared;
    prepared.layout = std::move(layout);
    prepared.colours.reserve(size_t(map.size()));
    for (int index = 0; index < map.size(); ++index)
        prepared.colours.push_back(quint8(branchColourIndex(map.idOf(index))));
    prepared.texts.reserve(prepared.layout.rows().size());
    for (const GraphRow &row : prepared.layout.rows()) {
        const Revision &revision = map.revision(row.revision);
        RowText text;
        text.shortId = revision.id.left(12);
        text.message = revision.message;
        // Chips show the labels a revision declares; propagated ones would repeat on every row of a branch.
        text.labels = revision.branchLabels;
        text.head = map.isHead(row.revision);
        text.merge = map.isMergePoint(row.revision);
        text.hasChildren = !map.children(row.revision).empty();
        text.hasParents = !map.parents(row.revision).empty();
        text.colour = prepared.colours[size_t(prepared.layout.branchOf(row.revision))];
        prepared.texts.push_back(std::move(text));
    }
    prepared.textWidth = measureTextWidth(prepared.texts, fonts);
    return prepared;
}

qreal PreparedGraph::measureTextWidth(const std::vector<RowText> &texts, const GraphFonts &fonts)
{
    // Shaping every row's text cost half a second on 10,000 rows, so only the rows longest in characters are
    // measured: the widest in pixels is among them.
    constexpr size_t measured = 64;
    std::vector<std::pair<qsizetype, size_t>> lengths;
    lengths.reserve(texts.size());
    for (size_t row = 0; row < texts.size(); ++row) {
        const RowText &text = texts[row];
        qsizetype length = text.message.size() + (text.head ? 8 : 0);
        for (const QString &label : text.labels)
            length += label.size() + 3;
        lengths.emplace_back(length, row);
    }
    const size_t keep = std::min(measured, lengths.size());
    std::partial_sort(lengths.begin(), lengths.begin() + qsizetype(keep), lengths.end(), std::greater<>());
    const QFontMetricsF mono(fonts.mono);
    const QFontMetricsF metrics(fonts.text);
    qreal widest = minimumTextWidth;
    for (size_t i = 0; i < keep; ++i) {
        const RowText &text = texts[lengths[i].second];
        qreal width = mono.horizontalAdvance(text.shortId) + 10 + metrics.horizontalAdvance(text.message) + 4;
        for (const QString &label : text.labels)
            width += metrics.horizontalAdvance(label) + 15;
        width += (text.head ? metrics.horizontalAdvance(u"head"_s) + 15 : 0) +
                 metrics.horizontalAdvance(RevisionGraphItem::currentChipText()) + 15;
        widest = std::max(widest, width);
    }
    return std::min(widest, maximumTextWidth);
}

void RevisionGraphView::applyGraph(std::shared_ptr<const RevisionMap> map, PreparedGraph prepared)
{
    const QString previous = selectedRevision();
    m_item->rowsAboutToChange();
    m_map = std::move(map);
    m_search.setMap(m_map);
    dropOffThread(std::exchange(m_layout, std::move(prepared.layout)));
    const int previousIndex = previous.isEmpty() ? -1 : m_map->indexOf(previous);
    m_selectedRow = previousIndex >= 0 ? m_layout.rowOf(previousIndex) : -1;
    findRuns();
    dropOffThread(m_item->reset(std::move(prepared.texts), std::move(prepared.colours), prepared.textWidth));
    scene()->setSceneRect(m_item->boundingRect());
    m_item->setSelectedRow(-1);
    m_item->setSelectedRow(m_selectedRow);
    updateHeader();
    updateNodeStates();
    updateEditedRows();
    updateMatches();
    emit graphChanged();
}

QString RevisionGraphView::selectedRevision() const
{
    if (m_selectedRow < 0 || size_t(m_selectedRow) >= m_layout.rows().size())
        return {};
    return m_map->idOf(m_layout.rows()[size_t(m_selectedRow)].revision);
}

QString RevisionGraphView::unknownRevisionWarning() const
{
    if (!m_state.isKnown() || m_state.unknownRows().isEmpty())
        return {};
    return u"The database %1 is at %2, which these scripts do not contain: it was migrated with other "
           u"scripts (another branch, or a file since deleted). Nothing can be planned from there until the "
           u"scripts are back, or the version table is stamped with purge."_s.arg(
               m_databaseName, m_state.unknownRows().join(u", "_s));
}

void RevisionGraphView::setDatabaseState(const DatabaseState &state, const QString &databaseName)
{
    m_state = state;
    m_databaseName = databaseName;
    updateNodeStates();
    updateHeader();
    // The current revisions keep rows of their own.
    if (m_state.effectiveCurrent() != m_pinned) {
        m_item->rowsAboutToChange();
        findRuns();
        applyRuns();
    } else {
        emit overviewChanged();
    }
}

std::vector<GraphOverview::Marker> RevisionGraphView::overviewMarkers() const
{
    using Kind = GraphOverview::MarkerKind;
    std::vector<GraphOverview::Marker> markers;
    const auto add = [&](int row, Kind kind) {
        const int displayRow = m_runs.displayRowOf(row);
        // Matches in one collapsed run share its row: one mark.
        if (displayRow >= 0 && !(kind == Kind::Match && !markers.empty() && markers.back().kind == kind &&
                                 markers.back().row == displayRow))
            markers.push_back({displayRow, kind});
    };
    for (const int head : m_map->heads())
        add(m_layout.rowOf(head), Kind::Head);
    for (const int index : m_state.effectiveCurrent()) {
        if (isCurrent(index))
            add(m_layout.rowOf(index), Kind::Current);
    }
    for (const int row : m_matchRows)
        add(row, Kind::Match);
    return markers;
}

std::pair<qreal, qreal> RevisionGraphView::visibleRows() const
{
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    return {std::max(0.0, visible.top() / rowHeight), visible.height() / rowHeight};
}

void RevisionGraphView::scrollToDisplayRow(qreal row)
{
    centerOn(mapToScene(viewport()->rect().center()).x(), row * rowHeight);
}

// Linear in the rows, per new graph or new current revisions.
void RevisionGraphView::findRuns()
{
    m_pinned = m_state.effectiveCurrent();
    std::vector<char> pinned(size_t(m_map->size()), 0);
    for (const int index : std::as_const(m_pinned)) {
        if (index >= 0 && index < m_map->size())
            pinned[size_t(index)] = 1;
    }
    m_runs = LinearRuns::find(*m_map, m_layout, pinned);
    m_selectionRun = -1;
    std::vector<char> collapsed(m_runs.runs().size(), 0);
    for (size_t run = 0; run < collapsed.size(); ++run) {
        const bool wanted = m_collapseRuns && !m_expandedRuns.contains(runKey(int(run)));
        if (wanted && m_runs.runOfRow(m_selectedRow) == int(run))
            m_selectionRun = int(run);
        else
            collapsed[run] = wanted;
    }
    m_runs.setCollapsed(std::move(collapsed));
}

// A collapsed run opens for a selection inside it, and closes again when the selection moves out (unless it
// was clicked open meanwhile), so that stepping through search matches leaves the graph as compact as it was.
void RevisionGraphView::followSelectionInRuns(int row)
{
    const int run = m_runs.runOfRow(row);
    const bool close = m_selectionRun >= 0 && m_selectionRun != run && m_collapseRuns &&
                       !m_expandedRuns.contains(runKey(m_selectionRun));
    const bool open = m_runs.isHidden(row);
    if (!close && !open)
        return;
    m_item->rowsAboutToChange();
    if (close)
        m_runs.setCollapsed(m_selectionRun, true);
    if (open)
        m_runs.setCollapsed(run, false);
    if (close || open)
        m_selectionRun = open ? run : -1;
    applyRuns();
}

// A run is remembered by its oldest revision, which new revisions on top leave where it is.
QString RevisionGraphView::runKey(int run) const
{
    return m_map->idOf(m_layout.rows()[size_t(m_runs.runs()[size_t(run)].last)].revision);
}

// After the runs collapsed or expanded (rowsAboutToChange() before).
void RevisionGraphView::applyRuns()
{
    m_item->rowsChanged();
    scene()->setSceneRect(m_item->boundingRect());
    viewport()->update();
    emit rowsChanged();
    emit overviewChanged();
}

void RevisionGraphView::expandRun(int run)
{
    if (run < 0 || size_t(run) >= m_runs.runs().size() || !m_runs.isCollapsed(run))
        return;
    m_expandedRuns.insert(runKey(run));
    if (run == m_selectionRun)
        m_selectionRun = -1;
    m_item->rowsAboutToChange();
    m_runs.setCollapsed(run, false);
    applyRuns();
}

void RevisionGraphView::setCollapseLinearRuns(bool collapse)
{
    if (collapse == m_collapseRuns)
        return;
    m_collapseRuns = collapse;
    m_expandedRuns.clear();
    m_item->rowsAboutToChange();
    m_runs.setAllCollapsed(collapse);
    m_selectionRun = -1;
    if (const int run = m_runs.runOfRow(m_selectedRow); run >= 0 && collapse) {
        m_runs.setCollapsed(run, false);
        m_selectionRun = run;
    }
    applyRuns();
    if (m_selectedRow >= 0)
        ensureVisible(m_item->rowRect(m_selectedRow), 0, 20);
}

QList<std::pair<int, int>> RevisionGraphView::collapsedRuns() const
{
    QList<std::pair<int, int>> runs;
    for (size_t run = 0; run < m_runs.runs().size(); ++run) {
        if (m_runs.isCollapsed(int(run)))
            runs.append({m_runs.runs()[run].first, m_runs.runs()[run].last});
    }
    return runs;
}

QString RevisionGraphView::toolTipForRun(int run) const
{
    const LinearRuns::Run &span = m_runs.runs()[size_t(run)];
    const auto line = [this](int row) {
        const Revision &revision = m_map->revision(m_layout.rows()[size_t(row)].revision);
        return u"<b>%1</b> %2"_s.arg(revision.id.toHtmlEscaped(), revision.message.toHtmlEscaped());
    };
    return u"<qt>"_s +
           tr("%1 revisions, each with one parent and one child:").arg(span.length()).toHtmlEscaped() +
           u"<br>"_s + line(span.first) + u"<br>…<br>"_s + line(span.last) + u"<br><i>"_s +
           tr("Click to show them.").toHtmlEscaped() + u"</i></qt>"_s;
}

void RevisionGraphView::clearDatabaseState()
{
    setDatabaseState(DatabaseState(), QString());
}

DatabaseState::Node RevisionGraphView::nodeState(const QString &id) const
{
    const int index = m_map->indexOf(id);
    return index >= 0 && size_t(index) < m_nodeStates.size() ? m_nodeStates[size_t(index)] : Node::Unknown;
}

// The states are worked out once per selection or state change; paint() only reads them.
void RevisionGraphView::updateNodeStates()
{
    // Without a state read for this map every node is Unknown, which is what the item paints for a row it
    // has no state of: nothing per revision to work out while no database is connected.
    if (!m_state.isKnown()) {
        m_nodeStates.clear();
        m_item->setStates({}, {});
        return;
    }
    const int target = m_selectedRow >= 0 && size_t(m_selectedRow) < m_layout.rows().size()
                           ? m_layout.rows()[size_t(m_selectedRow)].revision
                           : -1;
    // A state read for another map (a reload raced a state read) is not applied to this one.
    m_nodeStates = m_state.nodeStates(*m_map, target);
    std::vector<Node> byRow;
    byRow.reserve(m_layout.rows().size());
    for (const GraphRow &row : m_layout.rows())
        byRow.push_back(size_t(row.revision) < m_nodeStates.size() ? m_nodeStates[size_t(row.revision)]
                                                                   : Node::Unknown);
    std::vector<char> current(m_layout.rows().size(), 0);
    for (const int index : m_state.effectiveCurrent()) {
        if (isCurrent(index))
            current[size_t(m_layout.rowOf(index))] = 1;
    }
    m_item->setStates(std::move(byRow), std::move(current));
}

bool RevisionGraphView::isCurrent(int index) const
{
    // Only for a state read for this map: nodeStates() leaves every node Unknown otherwise.
    return index >= 0 && size_t(index) < m_nodeStates.size() &&
           m_nodeStates[size_t(index)] != Node::Unknown && m_state.effectiveCurrent().contains(index) &&
           m_layout.rowOf(index) >= 0;
}

QString RevisionGraphView::stateText(int index) const
{
    if (!m_state.isKnown())
        return tr("unknown (not connected)");
    const Node state = size_t(index) < m_nodeStates.size() ? m_nodeStates[size_t(index)] : Node::Unknown;
    QString text;
    switch (state) {
    case Node::Applied:
        text = tr("applied");
        break;
    case Node::Current:
        return tr("applied (current)");
    case Node::Pending:
        text = tr("pending");
        break;
    case Node::OffPath:
        text = tr("not applied, not on the path to the selected revision");
        break;
    case Node::WouldRevert:
        text = tr("would be reverted");
        break;
    case Node::Unknown:
        return tr("unknown (the database was read for other scripts)");
    }
    return isCurrent(index) ? tr("%1 (current)").arg(text) : text;
}

QString RevisionGraphView::toolTipForRow(int row) const
{
    if (row < 0 || size_t(row) >= m_layout.rows().size())
        return {};
    const int index = m_layout.rows()[size_t(row)].revision;
    const Revision &revision = m_map->revision(index);
    QStringList lines;
    lines.append(u"<b>%1</b>"_s.arg(revision.id.toHtmlEscaped()));
    if (!revision.message.isEmpty())
        lines.append(revision.message.toHtmlEscaped());
    const QStringList labels = m_map->labels(index);
    if (!labels.isEmpty())
        lines.append(tr("Labels: %1").arg(labels.join(u", "_s).toHtmlEscaped()));
    const QStringList dependencies = m_map->idsOf(m_map->dependencies(index));
    if (!dependencies.isEmpty())
        lines.append(tr("Depends on: %1").arg(dependencies.join(u", "_s).toHtmlEscaped()));
    const QString where = m_state.isKnown() && !m_databaseName.isEmpty() ? m_databaseName : tr("Database");
    lines.append(tr("%1: %2").arg(where.toHtmlEscaped(), stateText(index).toHtmlEscaped()));
    // <qt> makes it rich text whatever the message holds; the message itself is escaped.
    return u"<qt>"_s + lines.join(u"<br>"_s) + u"</qt>"_s;
}

void RevisionGraphView::copyRevisionId(int row)
{
    if (row < 0 || size_t(row) >= m_layout.rows().size())
        return;
    QGuiApplication::clipboard()->setText(m_map->idOf(m_layout.rows()[size_t(row)].revision));
}

QPointF RevisionGraphView::nodeCentre(int row) const
{
    return row >= 0 && size_t(row) < m_layout.rows().size() ? m_item->nodeCentre(row) : QPointF();
}

QColor RevisionGraphView::branchColour(const QString &id) const
{
    const int index = m_map->indexOf(id);
    return index >= 0 && m_layout.rowOf(index) >= 0 ? m_item->branchColour(index) : QColor();
}

QColor RevisionGraphView::laneColourAt(int row, int lane) const
{
    return row >= 0 && size_t(row) < m_layout.rows().size() ? m_item->laneColourAt(row, lane) : QColor();
}

QStringList RevisionGraphView::chipsOfRow(int row) const
{
    return m_item->chipsOfRow(row);
}

QList<std::pair<QString, QString>> RevisionGraphView::dependencyEdgesInRows(int firstRow, int lastRow) const
{
    QList<std::pair<QString, QString>> edges;
    for (const int index : m_layout.dependencyEdgesIn(firstRow, lastRow)) {
        const DependencyEdge &edge = m_layout.dependencyEdges()[size_t(index)];
        edges.append({m_map->idOf(edge.revision), m_map->idOf(edge.dependency)});
    }
    return edges;
}

qreal RevisionGraphView::dependencyTrackX(int track) const
{
    return m_item->trackX(track);
}

QMenu *RevisionGraphView::contextMenuForRow(int row)
{
    if (row < 0 || size_t(row) >= m_layout.rows().size())
        return nullptr;
    const int revision = m_layout.rows()[size_t(row)].revision;
    const QString id = m_map->idOf(revision);
    const QString shortId = id.left(12);
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const bool known = m_state.isKnown() && m_state.unknownRows().isEmpty();
    const bool applied = m_state.isApplied(revision);
    const bool isOnlyCurrent = m_state.effectiveCurrent() == QList<int>{revision};
    const QString noDatabase = m_state.isKnown() ? tr("The database is at a revision these scripts lack.")
                                                 : tr("Select a database connection first.");

    QAction *upgrade = menu->addAction(tr("Upgrade to here (%1)").arg(shortId), this,
                                       [this, id] { emit upgradeRequested(id); });
    upgrade->setObjectName(u"upgradeToHere"_s);
    upgrade->setEnabled(known && !applied);
    QAction *downgrade = menu->addAction(tr("Downgrade to here (%1)").arg(shortId), this,
                                         [this, id] { emit downgradeRequested(id); });
    downgrade->setObjectName(u"downgradeToHere"_s);
    downgrade->setEnabled(known && applied && !isOnlyCurrent);
    QAction *stamp = menu->addAction(tr("Stamp here…"), this, [this, id] { emit stampRequested(id); });
    stamp->setObjectName(u"stampHere"_s);
    stamp->setEnabled(m_state.isKnown());
    for (QAction *action : {upgrade, downgrade, stamp}) {
        if (!m_state.isKnown() || (!known && action != stamp))
            action->setToolTip(noDatabase);
    }
    if (known && applied && !isOnlyCurrent)
        downgrade->setToolTip(tr("Reverts the applied revisions above this one."));
    menu->addSeparator();
    QAction *newRevision =
        menu->addAction(tr("New revision on top…"), this, [this, id] { emit newRevisionRequested(id); });
    newRevision->setObjectName(u"newRevisionOnTop"_s);
    QAction *copy = menu->addAction(tr("Copy Revision Id"), this, [this, row] { copyRevisionId(row); });
    copy->setObjectName(u"copyRevisionId"_s);
    copy->setShortcut(QKeySequence::Copy);
    QMenu *merge = menu->addMenu(tr("Merge with…"));
    merge->menuAction()->setObjectName(u"mergeWith"_s);
    for (const int head : m_map->realHeads()) {
        if (head == revision)
            continue;
        const Revision &other = m_map->revision(head);
        QAction *action = merge->addAction(u"%1  %2"_s.arg(other.id.left(12), other.message), this,
                                           [this, id, otherId = other.id] {
                                               emit mergeRequested({id, otherId});
                                           });
        action->setObjectName(u"mergeWith_"_s + other.id);
    }
    // Merging is for heads; a revision in the middle of the history would make a branch point instead.
    merge->menuAction()->setEnabled(m_map->isRealHead(revision) && !merge->isEmpty());
    menu->addSeparator();
    QAction *open = menu->addAction(tr("Open script"), this, [this, id] { emit openScriptRequested(id); });
    open->setObjectName(u"openScript"_s);
    return menu;
}

void RevisionGraphView::setSearchText(const QString &text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    updateMatches();
}

// Linear in the rows: once per search text (the panel debounces typing) or per new graph.
void RevisionGraphView::updateMatches()
{
    const std::vector<char> byRevision = m_search.match(m_searchText);
    m_matchRows.clear();
    m_matchByRow.clear();
    if (!byRevision.empty()) {
        m_matchByRow.assign(m_layout.rows().size(), 0);
        for (size_t row = 0; row < m_layout.rows().size(); ++row) {
            const int revision = m_layout.rows()[row].revision;
            if (size_t(revision) < byRevision.size() && byRevision[size_t(revision)]) {
                m_matchByRow[row] = 1;
                m_matchRows.push_back(int(row));
            }
        }
    }
    m_item->setMatches(m_matchByRow, m_dimNonMatches);
    viewport()->update();
    emit matchesChanged();
    emit overviewChanged();
}

bool RevisionGraphView::isMatch(int row) const
{
    return row >= 0 && size_t(row) < m_matchByRow.size() && m_matchByRow[size_t(row)];
}

int RevisionGraphView::currentMatch() const
{
    if (!isMatch(m_selectedRow))
        return 0;
    const auto at = std::lower_bound(m_matchRows.begin(), m_matchRows.end(), m_selectedRow);
    return int(at - m_matchRows.begin()) + 1;
}

bool RevisionGraphView::stepMatch(bool backwards)
{
    if (m_matchRows.empty())
        return false;
    int row;
    if (m_selectedRow < 0) {
        row = backwards ? m_matchRows.back() : m_matchRows.front();
    } else if (backwards) {
        const auto at = std::lower_bound(m_matchRows.begin(), m_matchRows.end(), m_selectedRow);
        row = at == m_matchRows.begin() ? m_matchRows.back() : *(at - 1);
    } else {
        const auto at = std::upper_bound(m_matchRows.begin(), m_matchRows.end(), m_selectedRow);
        row = at == m_matchRows.end() ? m_matchRows.front() : *at;
    }
    selectRow(row);
    return true;
}

void RevisionGraphView::setDimNonMatches(bool dim)
{
    if (dim == m_dimNonMatches)
        return;
    m_dimNonMatches = dim;
    m_item->setMatches(m_matchByRow, m_dimNonMatches);
}

bool RevisionGraphView::findNext(const QString &text, bool backwards)
{
    setSearchText(text);
    return stepMatch(backwards);
}

QString RevisionGraphView::headerWarning() const
{
    const QList<int> heads = m_map->realHeads();
    if (heads.size() < 2)
        return {};
    QStringList ids;
    for (const int head : heads)
        ids.append(m_map->idOf(head));
    return u"Several heads (%1): %2. \"upgrade head\" is ambiguous; create a merge revision."_s
        .arg(heads.size())
        .arg(ids.join(u", "_s));
}

qreal RevisionGraphView::zoom() const
{
    return transform().m11();
}

QRectF RevisionGraphView::rowRect(int row) const
{
    return m_item->rowRect(row);
}

void RevisionGraphView::selectRevision(const QString &id)
{
    const int index = m_map->indexOf(id);
    if (index < 0)
        return;
    selectRow(m_layout.rowOf(index));
}

void RevisionGraphView::selectRow(int row)
{
    if (row < 0 || size_t(row) >= m_layout.rows().size())
        return;
    followSelectionInRuns(row);
    ensureVisible(m_item->rowRect(row).adjusted(0, 0, -m_item->rowRect(row).width() + 1, 0), 0, 20);
    if (row == m_selectedRow)
        return;
    m_selectedRow = row;
    m_item->setSelectedRow(row);
    updateNodeStates();
    viewport()->update();
    emit revisionSelected(selectedRevision());
}

void RevisionGraphView::zoomIn()
{
    setZoom(zoom() * 1.2);
}

void RevisionGraphView::zoomOut()
{
    setZoom(zoom() / 1.2);
}

void RevisionGraphView::setZoom(qreal factor)
{
    const qreal clamped = std::clamp(factor, minimumZoom, maximumZoom);
    setTransform(QTransform::fromScale(clamped, clamped));
    emit visibleRowsChanged();
}

void RevisionGraphView::fitToView()
{
    const QRectF bounds = m_item->boundingRect();
    if (bounds.isEmpty())
        return;
    const QRectF area = viewport()->rect();
    setZoom(std::min(area.width() / bounds.width(), area.height() / bounds.height()));
    if (m_selectedRow >= 0)
        centerOn(m_item->rowRect(m_selectedRow).center());
}

// The selection band spans the whole width of the view, not just the item, as in a list view.
void RevisionGraphView::drawBackground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawBackground(painter, rect);
    const int count = m_runs.displayRowCount();
    if (!m_matchRows.empty() && count > 0) {
        // Only the exposed rows' bands, a collapsed run's when a match is inside it: each found by
        // bisection.
        const QColor highlight = RevisionSearch::highlightColour(isDark(palette()));
        const int first = std::max(0, int(std::floor(rect.top() / rowHeight)));
        const int last = std::min(count - 1, int(std::ceil(rect.bottom() / rowHeight)));
        const int selected = m_selectedRow >= 0 ? m_runs.displayRowOf(m_selectedRow) : -1;
        for (int displayRow = first; displayRow <= last; ++displayRow) {
            const auto at =
                std::lower_bound(m_matchRows.begin(), m_matchRows.end(), m_runs.firstRowOf(displayRow));
            if (at == m_matchRows.end() || *at > m_runs.lastRowOf(displayRow))
                continue;
            const QRectF band(rect.left(), displayRow * rowHeight, rect.width(), rowHeight);
            if (displayRow != selected) {
                painter->fillRect(band.intersected(rect), highlight);
                continue;
            }
            // The selected match: the selection's band framed above and below in the highlight, rather than
            // blue over yellow, which mixes to a green that the legend means as "applied".
            painter->fillRect(QRectF(band.left(), band.top(), band.width(), 3).intersected(rect), highlight);
            painter->fillRect(QRectF(band.left(), band.bottom() - 3, band.width(), 3).intersected(rect),
                              highlight);
        }
    }
    if (m_selectedRow < 0)
        return;
    const QRectF band(rect.left(), m_runs.displayRowOf(m_selectedRow) * rowHeight, rect.width(), rowHeight);
    painter->fillRect(band.intersected(rect), QColor(0x33, 0x99, 0xff, 60));
}

void RevisionGraphView::keyPressEvent(QKeyEvent *event)
{
    const int rows = int(m_layout.rows().size());
    switch (event->key()) {
    // Up and Down step over collapsed runs: a click opens one.
    case Qt::Key_Up:
    case Qt::Key_Down: {
        if (m_selectedRow < 0) {
            selectRow(0);
            return;
        }
        const int step = event->key() == Qt::Key_Up ? -1 : 1;
        int displayRow = m_runs.displayRowOf(m_selectedRow) + step;
        while (displayRow >= 0 && displayRow < m_runs.displayRowCount() &&
               m_runs.collapsedRunAt(displayRow) >= 0)
            displayRow += step;
        if (displayRow >= 0 && displayRow < m_runs.displayRowCount())
            selectRow(m_runs.firstRowOf(displayRow));
        else
            selectRow(m_selectedRow); // at the end: scrolled to, not moved
        return;
    }
    case Qt::Key_Home:
        selectRow(0);
        return;
    case Qt::Key_End:
        selectRow(rows - 1);
        return;
    default:
        break;
    }
    if (event->matches(QKeySequence::Copy)) {
        copyRevisionId(m_selectedRow);
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
            zoomIn();
            return;
        }
        if (event->key() == Qt::Key_Minus) {
            zoomOut();
            return;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

bool RevisionGraphView::event(QEvent *event)
{
    // Copy goes to the selected revision while the graph has focus, even when a window-wide Copy shortcut
    // exists: claiming the override turns the shortcut into a key press here.
    if (event->type() == QEvent::ShortcutOverride &&
        static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy) && m_selectedRow >= 0) {
        event->accept();
        return true;
    }
    return QGraphicsView::event(event);
}

bool RevisionGraphView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const int run = m_runs.collapsedRunAt(displayRowAt(help->pos())); run >= 0) {
            const QRect area = mapFromScene(m_item->rowRect(m_runs.runs()[size_t(run)].first)).boundingRect();
            QToolTip::showText(help->globalPos(), toolTipForRun(run), viewport(), area);
            return true;
        }
        const int row = rowAt(help->pos());
        if (row < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        // The row's rectangle keeps the tip up while the pointer stays on the row.
        const QRect area = mapFromScene(m_item->rowRect(row)).boundingRect();
        QToolTip::showText(help->globalPos(), toolTipForRow(row), viewport(), area);
        return true;
    }
    return QGraphicsView::viewportEvent(event);
}

int RevisionGraphView::displayRowAt(const QPoint &viewportPos) const
{
    const QPointF scenePos = mapToScene(viewportPos);
    const int row = int(std::floor(scenePos.y() / rowHeight));
    return scenePos.y() >= 0 && row < m_runs.displayRowCount() ? row : -1;
}

int RevisionGraphView::rowAt(const QPoint &viewportPos) const
{
    const int displayRow = displayRowAt(viewportPos);
    return displayRow >= 0 && m_runs.collapsedRunAt(displayRow) < 0 ? m_runs.firstRowOf(displayRow) : -1;
}

void RevisionGraphView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton || event->button() == Qt::RightButton) {
        const int displayRow = displayRowAt(event->position().toPoint());
        if (const int run = m_runs.collapsedRunAt(displayRow); run >= 0) {
            if (event->button() == Qt::LeftButton) {
                expandRun(run);
                m_runOpened.start();
            }
            event->accept();
            return;
        }
        if (isSecondClickOnOpenedRun()) {
            event->accept();
            return;
        }
        const int row = rowAt(event->position().toPoint());
        if (row >= 0)
            selectRow(row);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

// A double click on a collapsed run opens it with its first click; the second (its press and the double
// click) is not for the revision that came to lie under the pointer.
bool RevisionGraphView::isSecondClickOnOpenedRun() const
{
    return m_runOpened.isValid() &&
           m_runOpened.elapsed() < QGuiApplication::styleHints()->mouseDoubleClickInterval();
}

void RevisionGraphView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (isSecondClickOnOpenedRun()) {
        event->accept();
        return;
    }
    if (const int run = m_runs.collapsedRunAt(displayRowAt(event->position().toPoint())); run >= 0) {
        if (event->button() == Qt::LeftButton) {
            expandRun(run);
            m_runOpened.start();
        }
        event->accept();
        return;
    }
    const int row = rowAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && row >= 0) {
        selectRow(row);
        emit openScriptRequested(selectedRevision());
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void RevisionGraphView::contextMenuEvent(QContextMenuEvent *event)
{
    // From the keyboard (Menu key) the menu is for the selected row, at its node.
    const bool fromMouse = event->reason() == QContextMenuEvent::Mouse;
    const int row = fromMouse ? rowAt(viewport()->mapFrom(this, event->pos())) : m_selectedRow;
    if (row < 0)
        return;
    selectRow(row);
    QMenu *menu = contextMenuForRow(row);
    const QPoint at =
        fromMouse ? event->globalPos() : viewport()->mapToGlobal(mapFromScene(m_item->rowRect(row).center()));
    menu->popup(at);
    event->accept();
}

void RevisionGraphView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const int delta = event->angleDelta().y();
        if (delta > 0)
            zoomIn();
        else if (delta < 0)
            zoomOut();
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void RevisionGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    layoutHeader();
    emit visibleRowsChanged();
}

void RevisionGraphView::updateHeader()
{
    const QString warning = headerWarning();
    m_header->setText(warning.isEmpty() ? QString()
                                        : warning.toHtmlEscaped() + u" <a href=\"merge\">%1</a>"_s.arg(
                                                                        tr("Create merge revision…")));
    m_header->setVisible(!warning.isEmpty());
    const QString unknown = unknownRevisionWarning();
    m_unknownBanner->setText(unknown);
    m_unknownBanner->setVisible(!unknown.isEmpty());
    layoutHeader();
}

// The warnings get their own strips above the viewport, so that they never cover the first rows; they wrap,
// as a project can have many heads.
void RevisionGraphView::layoutHeader()
{
    int top = 0;
    for (QLabel *label : {m_unknownBanner, m_header}) {
        const int height = label->isHidden() ? 0 : label->heightForWidth(width());
        label->setGeometry(0, top, width(), height);
        top += height;
    }
    if (viewportMargins().top() != top)
        setViewportMargins(0, top, 0, 0);
}

} // namespace qmigrate
