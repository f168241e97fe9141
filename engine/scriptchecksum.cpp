#include "scriptchecksum.h"

#include "scripttext.h"

#include <QCryptographicHash>
#include <QFile>

using namespace Qt::StringLiterals;

namespace qmigrate {

QString ScriptChecksum::normalize(QStringView text)
{
    if (text.startsWith(QChar(0xFEFF)))
        text = text.sliced(1);
    QString result;
    result.reserve(text.size() + 1);
    qsizetype pendingEmptyLines = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = start;
        while (end < text.size() && text[end] != u'\n' && text[end] != u'\r')
            ++end;
        qsizetype lineEnd = end;
        while (lineEnd > start && text[lineEnd - 1].isSpace())
            --lineEnd;
        if (lineEnd == start) {
            // Kept back until a later non-empty line shows they are not trailing.
            ++pendingEmptyLines;
        } else {
            result.append(QString(pendingEmptyLines, u'\n'));
            pendingEmptyLines = 0;
            result.append(text.sliced(start, lineEnd - start));
            result.append(u'\n');
        }
        if (end < text.size() && text[end] == u'\r' && end + 1 < text.size() && text[end + 1] == u'\n')
            ++end;
        start = end + 1;
    }
    return result;
}

QString ScriptChecksum::checksum(QStringView text)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(normalize(text).toUtf8(), QCryptographicHash::Sha256).toHex());
}

Expected<ScriptChecksum::Script> ScriptChecksum::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return EngineError(u"Cannot read the script: %1"_s.arg(file.errorString()), path, 0);
    const auto decoded = ScriptText::decode(path, file.readAll());
    if (!decoded)
        return decoded.error();
    Script script;
    script.text = normalize(*decoded);
    script.checksum = QString::fromLatin1(
        QCryptographicHash::hash(script.text.toUtf8(), QCryptographicHash::Sha256).toHex());
    return script;
}

} // namespace qmigrate
