// SPDX-License-Identifier: MIT
#include "revisions/graphoverview.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

constexpr int stripWidth = 15;
constexpr int columns = 3; // heads, current, matches, side by side so that none hides another

} // namespace

GraphOverview::GraphOverview(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"graphOverview"_s);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("The whole history: heads (grey), the database's current revisions (green) and search "
                  "matches (yellow); the frame is what the graph shows. Click or drag to go there."));
}

QSize GraphOverview::sizeHint() const
{
    return {stripWidth, 200};
}

QSize GraphOverview::minimumSizeHint() const
{
    return {stripWidth, 40};
}

void GraphOverview::setMarkers(int rowCount, std::vector<Marker> markers)
{
    if (rowCount == m_rowCount && markers == m_markers)
        return;
    m_rowCount = rowCount;
    m_markers = std::move(markers);
    m_stale = true;
    update();
}

void GraphOverview::setVisibleRows(qreal first, qreal count)
{
    if (first == m_firstVisible && count == m_visibleCount)
        return;
    m_firstVisible = first;
    m_visibleCount = count;
    update();
}

int GraphOverview::yOfRow(int row) const
{
    return m_rowCount <= 0 ? 0 : int(std::floor(qreal(row) * height() / m_rowCount));
}

QRect GraphOverview::markerRect(int row, MarkerKind kind) const
{
    const int column = int(kind);
    const int left = 1 + column * (width() - 2) / columns;
    const int right = 1 + (column + 1) * (width() - 2) / columns;
    // At least two pixels high, so that one match among 10,000 rows still shows.
    const int top = std::min(yOfRow(row), std::max(0, height() - 2));
    const int bottom = std::max(top + 2, yOfRow(row + 1));
    return QRect(QPoint(left, top), QPoint(right - 1, bottom - 1));
}

QColor GraphOverview::markerColour(MarkerKind kind, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightnessF() < 0.5;
    switch (kind) {
    case MarkerKind::Head:
        return dark ? QColor(0xb0, 0xb4, 0xbc) : QColor(0x5a, 0x60, 0x6b);
    case MarkerKind::Current:
        return QColor(0x2e, 0x9d, 0x4f);
    case MarkerKind::Match:
        break;
    }
    return dark ? QColor(0xe8, 0xd0, 0x30) : QColor(0xf0, 0xc8, 0x00);
}

// One pass over the marks, once per change.
void GraphOverview::renderMarkers()
{
    const qreal ratio = devicePixelRatioF();
    m_image = QPixmap(size() * ratio);
    m_image.setDevicePixelRatio(ratio);
    m_image.fill(Qt::transparent);
    QPainter painter(&m_image);
    QColor colours[columns];
    for (const MarkerKind kind : {MarkerKind::Head, MarkerKind::Current, MarkerKind::Match})
        colours[int(kind)] = markerColour(kind, palette());
    for (const Marker &marker : m_markers)
        painter.fillRect(markerRect(marker.row, marker.kind), colours[int(marker.kind)]);
    m_stale = false;
}

void GraphOverview::paintEvent(QPaintEvent *)
{
    if (m_stale || m_image.size() != size() * devicePixelRatioF())
        renderMarkers();
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::AlternateBase));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(0, 0, 0, height());
    if (m_rowCount <= 0)
        return;
    // The frame of what the graph shows, under the marks so that they keep their colours: the head at the
    // top is on the frame's edge.
    const qreal scale = qreal(height()) / m_rowCount;
    const QRectF frame(0.5, m_firstVisible * scale + 0.5, width() - 1.0,
                       std::max(3.0, m_visibleCount * scale) - 1.0);
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlpha(40);
    painter.setBrush(fill);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 1));
    painter.drawRect(frame);
    painter.drawPixmap(0, 0, m_image);
}

qreal GraphOverview::rowAtY(qreal y) const
{
    return height() <= 0 ? 0 : std::clamp(y, 0.0, qreal(height())) * m_rowCount / height();
}

void GraphOverview::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || m_rowCount <= 0)
        return QWidget::mousePressEvent(event);
    emit rowRequested(rowAtY(event->position().y()));
    event->accept();
}

void GraphOverview::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_rowCount <= 0)
        return QWidget::mouseMoveEvent(event);
    emit rowRequested(rowAtY(event->position().y()));
    event->accept();
}

void GraphOverview::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_stale = true;
}

void GraphOverview::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_stale = true;
}

} // namespace qmigrate
