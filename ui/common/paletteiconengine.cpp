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

constexpr qsizetype maximumCachedPixmaps = 32;

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
    // The drawing depends on the palette only through the ink svgFor() puts in: a palette change that keeps
    // it reuses the pixmaps, one that changes it draws new ones.
    const QPalette palette = QApplication::palette();
    const QPalette::ColorGroup group = mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active;
    const QRgb ink = isDark(palette) ? palette.color(group, QPalette::WindowText).rgba() : 0;
    const QString key = u"%1x%2@%3/%4/%5"_s.arg(size.width())
                            .arg(size.height())
                            .arg(scale)
                            .arg(int(mode))
                            .arg(ink, 8, 16, QLatin1Char('0'));
    if (const auto cached = m_pixmaps.constFind(key); cached != m_pixmaps.cend())
        return *cached;
    QPixmap pixmap(size * scale);
    pixmap.setDevicePixelRatio(scale);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(0, 0), size), mode, state);
    }
    // A handful of sizes and modes per icon; bounded all the same, should many ratios or palettes come by.
    if (m_pixmaps.size() >= maximumCachedPixmaps)
        m_pixmaps.clear();
    m_pixmaps.insert(key, pixmap);
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
