// SPDX-License-Identifier: MIT
#include "core/namecheck.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

bool isControl(QChar c)
{
    return c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
           c == QChar::ParagraphSeparator;
}

QString hexCode(QChar c)
{
    return QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0');
}

} // namespace

QString NameCheck::controlCharacter(const QString &name)
{
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (isControl(name.at(i)))
            return u"the control character U+%1 at position %2"_s.arg(hexCode(name.at(i))).arg(i + 1);
    }
    return {};
}

QString NameCheck::printable(const QString &name)
{
    QString shown;
    shown.reserve(name.size());
    for (const QChar c : name) {
        if (isControl(c))
            shown += u"\\u"_s + hexCode(c);
        else
            shown += c;
    }
    return shown;
}

} // namespace qmigrate
