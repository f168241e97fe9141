// SPDX-License-Identifier: MIT
#include "common/paletteiconengine.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// The line colour every icon of resources/icons is drawn with.
constexpr auto lineColour = "#2d3e50";

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

} // namespace

PaletteIconEngine::PaletteIconEngine(QByteArray svg)
    : m_svg(std::move(svg))
{}

QByteArray PaletteIconEngine::svgFor(const QByteArray &svg, const QPalette &palette, QIcon::Mode mode)
{
    if (!isDark(palette) && mode != QIcon::Disabled)
        return svg;
    const QPalette::ColorGroup group = mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active;
    QByteArray drawn = svg;
    if (isDark(palette))
        drawn.replace(lineColour, palette.color(group, QPalette::WindowText).name().toLatin1());
    return drawn;
}

void PaletteIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State)
{
    QSvgRenderer renderer(svgFor(m_svg, QApplication::palette(), mode));
    painter->save();
    if (mode == QIcon::Disabled)
        painter->setOpacity(0.45);
    renderer.render(painter, QRectF(rect));
    painter->restore();
}

QPixmap PaletteIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return scaledPixmap(size, mode, state, 1.0);
}

QPixmap PaletteIconEngine::scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale)
{
    QPixmap pixmap(size * scale);
    pixmap.setDevicePixelRatio(scale);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    paint(&painter, QRect(QPoint(0, 0), size), mode, state);
    return pixmap;
}

QIconEngine *PaletteIconEngine::clone() const
{
    return new PaletteIconEngine(m_svg);
}

QString PaletteIconEngine::key() const
{
    return u"qmigrate-palette-svg"_s;
}

} // namespace qmigrate
