// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QString>

namespace qmigrate {

// The desktop theme's icon of that freedesktop name, or else the one shipped in resources/icons (a bare X
// server or another desktop may have no theme at all), drawn in the palette's ink (PaletteIconEngine).
QIcon themedIcon(const QString &name);

} // namespace qmigrate
