// SPDX-License-Identifier: MIT
#include "common/paletteiconengine.h"

#include <QApplication>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QPalette>
#include <QPixmap>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    palette.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x7a, 0x7d, 0x82));
    return palette;
}

// The lightness of the icon's darkest and lightest opaque pixels.
std::pair<int, int> inkRange(const QImage &image)
{
    int darkest = 255, lightest = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (pixel.alpha() < 200)
                continue;
            darkest = std::min(darkest, pixel.lightness());
            lightest = std::max(lightest, pixel.lightness());
        }
    }
    return {darkest, lightest};
}

} // namespace

// The app's own icons on light and dark toolbars, and at high pixel ratios.
class TstPaletteIconEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QFile file(u":/icons/go-up.svg"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_svg = file.readAll();
        QVERIFY(m_svg.contains("#2d3e50"));
        m_light = QApplication::palette();
        QVERIFY(m_light.color(QPalette::Window).lightness() >
                m_light.color(QPalette::WindowText).lightness());
    }

    void lightPaletteKeepsTheDrawing()
    {
        QCOMPARE(PaletteIconEngine::svgFor(m_svg, m_light, QIcon::Normal), m_svg);
    }

    void darkPaletteDrawsInItsTextColour()
    {
        const QByteArray drawn = PaletteIconEngine::svgFor(m_svg, darkPalette(), QIcon::Normal);
        QVERIFY(!drawn.contains("#2d3e50"));
        QVERIFY(drawn.contains("#dfe1e5"));
        QVERIFY(drawn.contains("#2e9d4f")); // the accent stays
        QVERIFY(PaletteIconEngine::svgFor(m_svg, darkPalette(), QIcon::Disabled).contains("#7a7d82"));
    }

    // What a toolbar shows: dark lines on a light palette, light lines on a dark one.
    void paintedInkFollowsThePalette()
    {
        const QIcon icon(new PaletteIconEngine(m_svg));
        const auto [lightDarkest, lightLightest] = inkRange(icon.pixmap(QSize(48, 48)).toImage());
        QVERIFY2(lightDarkest < 90, qPrintable(QString::number(lightDarkest)));
        QApplication::setPalette(darkPalette());
        const auto [darkDarkest, darkLightest] = inkRange(icon.pixmap(QSize(48, 48)).toImage());
        QApplication::setPalette(m_light);
        QVERIFY2(darkLightest > 180, qPrintable(QString::number(darkLightest)));
        Q_UNUSED(lightLightest);
        Q_UNUSED(darkDarkest);
    }

    // At 2x the pixmap has twice the pixels, drawn from the SVG rather than scaled up.
    void crispAtHighPixelRatios()
    {
        PaletteIconEngine engine(m_svg);
        const QPixmap pixmap = engine.scaledPixmap(QSize(24, 24), QIcon::Normal, QIcon::Off, 2.0);
        QCOMPARE(pixmap.size(), QSize(48, 48));
        QCOMPARE(pixmap.devicePixelRatio(), 2.0);
        // A 2-unit line at 2x is about 4 pixels wide, with hard edges: count the fully opaque pixels of a row
        // through the arrow's shaft.
        const QImage image = pixmap.toImage();
        int opaque = 0;
        for (int x = 0; x < image.width(); ++x)
            opaque += image.pixelColor(x, 30).alpha() == 255 ? 1 : 0;
        QVERIFY2(opaque >= 3, qPrintable(QString::number(opaque)));
    }

    // A repaint reuses the drawing of the same size and ink, and a new ink is drawn anew.
    void drawnOncePerSizeAndInk()
    {
        PaletteIconEngine engine(m_svg);
        const QPixmap first = engine.scaledPixmap(QSize(24, 24), QIcon::Normal, QIcon::Off, 1.0);
        QCOMPARE(engine.scaledPixmap(QSize(24, 24), QIcon::Normal, QIcon::Off, 1.0).cacheKey(),
                 first.cacheKey());
        QVERIFY(engine.scaledPixmap(QSize(24, 24), QIcon::Disabled, QIcon::Off, 1.0).cacheKey() !=
                first.cacheKey());
        QVERIFY(engine.scaledPixmap(QSize(32, 32), QIcon::Normal, QIcon::Off, 1.0).cacheKey() !=
                first.cacheKey());
        QApplication::setPalette(darkPalette());
        const qint64 dark = engine.scaledPixmap(QSize(24, 24), QIcon::Normal, QIcon::Off, 1.0).cacheKey();
        QApplication::setPalette(m_light);
        QVERIFY(dark != first.cacheKey());
        QCOMPARE(engine.scaledPixmap(QSize(24, 24), QIcon::Normal, QIcon::Off, 1.0).cacheKey(),
                 first.cacheKey());
    }

private:
    QByteArray m_svg;
    QPalette m_light;
};

QTEST_MAIN(TstPaletteIconEngine)
#include "tst_paletteiconengine.moc"
