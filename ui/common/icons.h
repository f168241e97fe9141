#pragma once

#include <QIcon>
#include <QString>

namespace qmigrate {

// The desktop theme's icon of that freedesktop name, or the one shipped in resources/icons (a bare
// X server or another desktop may have no theme at all).
QIcon themedIcon(const QString &name);

} // namespace qmigrate
