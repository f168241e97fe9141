// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QIconEngine>
#include <QPixmap>

namespace qmigrate {

// One of the app's own SVG icons, drawn in the ink of the palette it is shown in: the icons' dark line colour
// would vanish on a dark toolbar, so on a dark palette it is replaced by the palette's text colour (accent
// colours stay). Rendered from the SVG at the size and pixel ratio asked, so icons stay crisp at 1.5x and 2x,
// and kept per size, ratio, mode and ink: parsing and rendering the SVG on every paint made each repaint of
// the toolbar cost milliseconds.
class PaletteIconEngine : public QIconEngine
{
public:
    explicit PaletteIconEngine(QByteArray svg);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override;
    QIconEngine *clone() const override;
    QString key() const override;

    // The SVG as drawn on a palette: its line colour replaced by the palette's text colour when the palette
    // is dark. For tests.
    static QByteArray svgFor(const QByteArray &svg, const QPalette &palette, QIcon::Mode mode);

private:
    QByteArray m_svg;
    QHash<QString, QPixmap> m_pixmaps;
};

} // namespace qmigrate
