// SPDX-License-Identifier: MIT
#pragma once

#include <QPixmap>
#include <QWidget>

#include <vector>

namespace qmigrate {

// A narrow strip beside the graph, like a scroll bar's minimap: the whole history's height scaled to the
// strip, with a mark for every head, every database current revision and every search match, and the rows
// the graph shows now as a frame. Clicking or dragging in it asks the graph to show that row. The marks are
// drawn once per change into a cached image; scrolling redraws the image and the frame only, so painting
// costs the same for 50 revisions or 50,000.
class GraphOverview : public QWidget
{
    Q_OBJECT

public:
    enum class MarkerKind : quint8 { Head, Current, Match };
    struct Marker
    {
        int row = 0; // a row the graph draws (RevisionGraphView's display rows)
        MarkerKind kind = MarkerKind::Head;
        friend bool operator==(const Marker &, const Marker &) = default;
    };

    explicit GraphOverview(QWidget *parent = nullptr);

    // The graph's number of rows and its marks; redraws only when they change.
    void setMarkers(int rowCount, std::vector<Marker> markers);
    const std::vector<Marker> &markers() const { return m_markers; }
    int rowCount() const { return m_rowCount; }
    // The rows the graph shows now: the first (fractional) and how many.
    void setVisibleRows(qreal first, qreal count);

    // Where a row's mark is drawn (its top), and the rectangle of a kind's column at that row.
    int yOfRow(int row) const;
    QRect markerRect(int row, MarkerKind kind) const;
    // The marks' colours, for the legend and tests.
    static QColor markerColour(MarkerKind kind, const QPalette &palette);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // Clicked or dragged at a row: the graph should centre it.
    void rowRequested(qreal row);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void renderMarkers();
    qreal rowAtY(qreal y) const;

    int m_rowCount = 0;
    std::vector<Marker> m_markers;
    QPixmap m_image; // the marks, redrawn when they, the size or the palette change
    bool m_stale = true;
    qreal m_firstVisible = 0;
    qreal m_visibleCount = 0;
};

} // namespace qmigrate
