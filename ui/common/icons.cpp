// SPDX-License-Identifier: MIT
#include "common/icons.h"

#include "common/paletteiconengine.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace qmigrate {

QIcon themedIcon(const QString &name)
{
    if (QIcon::hasThemeIcon(name))
        return QIcon::fromTheme(name);
    QFile file(u":/icons/%1.svg"_s.arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QIcon(new PaletteIconEngine(file.readAll()));
}

} // namespace qmigrate
