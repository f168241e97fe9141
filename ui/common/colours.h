// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>

namespace qmigrate {

// WCAG's contrast ratio of two colours, from 1 (none) to 21 (black on white).
double contrastRatio(const QColor &a, const QColor &b);

// a mixed toward b by t (0: a, 1: b), channel by channel.
QColor blend(const QColor &a, const QColor &b, double t);

// ink, made readable on background (at least 4.5:1, as for body text) by moving it toward black or white,
// whichever the background is further from; a light palette keeps the dark inks it was designed with, a dark
// one gets lighter variants of the same hue.
QColor readableOn(const QColor &ink, const QColor &background);

} // namespace qmigrate
