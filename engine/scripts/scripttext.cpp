// SPDX-License-Identifier: MIT
#include "scripts/scripttext.h"

#include <QFile>
#include <QStringDecoder>
#include <QStringList>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

bool isAscii(const QByteArray &content)
{
    for (const char c : content) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    }
    return true;
}

// Only called once decoding failed: finds the line by decoding line by line.
int firstInvalidLine(const QByteArray &content)
{
    int line = 1;
    qsizetype start = 0;
    while (start <= content.size()) {
        qsizetype end = content.indexOf('\n', start);
        if (end < 0)
            end = content.size();
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString ignored = decoder.decode(QByteArrayView(content).sliced(start, end - start));
        Q_UNUSED(ignored);
        if (decoder.hasError())
            return line;
        ++line;
        start = end + 1;
    }
    return 0;
}

} // namespace

Expected<QString> ScriptText::decode(const QString &path, const QByteArray &content)
{
    QString text;
    if (isAscii(content)) {
        text = QString::fromLatin1(content);
    } else {
        // Stateless: a stateful decoder keeps a sequence cut off at the end for a next call that never comes,
        // dropping it without an error. Either way a leading BOM is skipped.
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        text = decoder.decode(content);
        if (decoder.hasError())
            return EngineError(u"The file is not valid UTF-8"_s, path, firstInvalidLine(content));
    }
    if (text.contains(QLatin1Char('\r'))) {
        text.replace(u"\r\n"_s, u"\n"_s);
        text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    }
    return text;
}

QString ScriptText::illegalCharactersMessage(QStringView id)
{
    static constexpr char16_t illegal[] = {u'+', u'-', u':', u'@'}; // sorted, as Alembic sorts the set
    QStringList found;
    for (const char16_t c : illegal) {
        if (id.contains(QChar(c)))
            found.append(QString(QChar(c)));
    }
    if (found.isEmpty())
        return {};
    return u"Character(s) '%1' not allowed in revision identifier '%2'"_s.arg(found.join(u", "_s), id);
}

QString ScriptText::tooLongMessage(QStringView id)
{
    // One arg() call: chained ones would read a "%1" inside the id as a placeholder.
    return u"Revision identifier '%1' is %2 characters long; the alembic_version.version_num column is "
           "VARCHAR(%3), so an id may have at most %3 characters"_s.arg(id, QString::number(id.size()),
                                                                        QString::number(MaxIdLength));
}

QString ScriptText::firstParagraph(const QString &longDoc)
{
    const qsizetype blank = longDoc.indexOf(u"\n\n"_s);
    return blank < 0 ? longDoc : longDoc.left(blank);
}

QString ScriptText::createDate(QStringView longDoc)
{
    static constexpr QLatin1StringView key("Create Date:");
    qsizetype start = 0;
    while (start < longDoc.size()) {
        qsizetype end = longDoc.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = longDoc.size();
        const QStringView line = longDoc.sliced(start, end - start).trimmed();
        if (line.startsWith(key))
            return line.sliced(key.size()).trimmed().toString();
        start = end + 1;
    }
    return {};
}

Expected<qsizetype> ScriptText::readInto(const QString &path, QByteArray *buffer)
{
    if (buffer->size() < 16 * 1024)
        buffer->resize(16 * 1024);
    qsizetype length = 0;
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return EngineError(qt_error_string(errno));
    for (;;) {
        if (length == buffer->size())
            buffer->resize(buffer->size() * 2);
        const ssize_t n = ::read(fd, buffer->data() + length, size_t(buffer->size() - length));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            // A directory or another unreadable entry named like a revision file (EISDIR).
            const QString why = qt_error_string(errno);
            ::close(fd);
            return EngineError(why);
        }
        if (n == 0)
            break;
        length += n;
    }
    ::close(fd);
#else
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return EngineError(file.errorString());
    for (;;) {
        if (length == buffer->size())
            buffer->resize(buffer->size() * 2);
        const qint64 n = file.read(buffer->data() + length, buffer->size() - length);
        if (n < 0)
            return EngineError(file.errorString());
        if (n == 0)
            break;
        length += n;
    }
#endif
    return length;
}

Expected<QByteArray> ScriptText::readFile(const QString &path)
{
    QByteArray content;
    const Expected<qsizetype> length = readInto(path, &content);
    if (!length)
        return EngineError(u"Cannot read the script: %1"_s.arg(length.error().message()), path, 0);
    content.truncate(*length);
    return content;
}

QByteArray ScriptText::compactUtf8(QStringView text)
{
    QByteArray utf8 = text.toUtf8();
    utf8.squeeze();
    return utf8;
}

} // namespace qmigrate
