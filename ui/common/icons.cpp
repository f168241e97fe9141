#include "common/icons.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

QIcon themedIcon(const QString &name)
{
    return QIcon::fromTheme(name, QIcon(u":/icons/%1.svg"_s.arg(name)));
}

} // namespace qmigrate
