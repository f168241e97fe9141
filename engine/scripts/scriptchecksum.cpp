// SPDX-License-Identifier: MIT
#include "scripts/scriptchecksum.h"

#include "scripts/revision.h"
#include "scripts/scripttext.h"
#include "scripts/sha256.h"

#include <QDir>
#include <QStringDecoder>

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
    return checksumOfNormalized(normalize(text));
}

QString ScriptChecksum::checksumOfNormalized(QStringView normalized)
{
    return Sha256::hash(normalized.toUtf8()).toHex();
}

QString ScriptChecksum::checksumOfContent(QByteArrayView content)
{
    return digestOfContent(content).toHex();
}

Sha256Digest ScriptChecksum::digestOfContent(QByteArrayView content)
{
    // The same as readFile() gives for these bytes. normalize() strips QChar::isSpace() at line ends, which
    // includes non-ASCII spaces, and the decoder drops a BOM before normalize() drops another: a line ending
    // in a non-ASCII byte, or a BOM, takes the decoding path.
    const auto decoded = [content] {
        QStringDecoder decoder(QStringDecoder::Utf8);
        return Sha256Digest::fromHex(checksum(QString(decoder.decode(content))));
    };
    if (content.startsWith("\xEF\xBB\xBF"))
        return decoded();
    Sha256 hash;
    qsizetype pendingEmptyLines = 0;
    qsizetype start = 0;
    const qsizetype size = content.size();
    const char *data = content.data();
    const auto isAsciiSpace = [](char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; };
    while (start < size) {
        qsizetype end = start;
        while (end < size && data[end] != '\n' && data[end] != '\r')
            ++end;
        qsizetype lineEnd = end;
        while (lineEnd > start && isAsciiSpace(data[lineEnd - 1]))
            --lineEnd;
        if (lineEnd > start && static_cast<unsigned char>(data[lineEnd - 1]) >= 0x80)
            return decoded();
        if (lineEnd == start) {
            ++pendingEmptyLines;
        } else {
            for (; pendingEmptyLines > 0; --pendingEmptyLines)
                hash.addData(QByteArrayView("\n", 1));
            hash.addData(content.sliced(start, lineEnd - start));
            hash.addData(QByteArrayView("\n", 1));
        }
        if (end < size && data[end] == '\r' && end + 1 < size && data[end + 1] == '\n')
            ++end;
        start = end + 1;
    }
    return hash.result();
}

Expected<ScriptChecksum::Script> ScriptChecksum::readFile(const QString &path)
{
    const Expected<QByteArray> content = ScriptText::readFile(path);
    if (!content)
        return content.error();
    return fromContent(path, *content);
}

Expected<ScriptChecksum::Script> ScriptChecksum::fromContent(const QString &path, const QByteArray &content)
{
    const auto decoded = ScriptText::decode(path, content);
    if (!decoded)
        return decoded.error();
    Script script;
    script.text = normalize(*decoded);
    script.checksum = checksumOfNormalized(script.text);
    return script;
}

Expected<QByteArray> ScriptChecksum::readUnchanged(const Revision &revision)
{
    Expected<QByteArray> content = ScriptText::readFile(revision.path);
    if (!content) {
        EngineError error = content.error();
        return error.setRevision(revision.id);
    }
    if (digestOfContent(*content) != revision.checksum) {
        return EngineError(u"Revision %1: %2 changed since the project was loaded: reload the project to use "
                           u"the new text"_s.arg(revision.id, QDir::toNativeSeparators(revision.path)),
                           revision.path, 0, revision.id, EngineError::Kind::Project);
    }
    return content;
}

} // namespace qmigrate
