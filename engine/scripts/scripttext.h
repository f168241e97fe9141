// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace qmigrate {

// Helpers shared by the revision file parsers.
class ScriptText
{
public:
    // Strict UTF-8 (a leading BOM is dropped) with CRLF and lone CR turned into LF, as Python reads source,
    // so that line numbers and docstrings do not depend on the line ending style. An invalid byte is an
    // error naming the file and the line it is on.
    static Expected<QString> decode(const QString &path, const QByteArray &content);
    // The file's bytes with one open, reads to its end and one close (QFile would stat it twice and seek
    // once more). An error names the file.
    static Expected<QByteArray> readFile(const QString &path);
    // The same into *buffer, which grows as needed and is kept for the next file (a scan of many small
    // files then allocates once): the number of bytes read, or an error whose message is only the reason.
    static Expected<qsizetype> readInto(const QString &path, QByteArray *buffer);

    // Alembic's (>= 1.17.1) check in Revision.__init__; an empty string when the id is acceptable.
    static QString illegalCharactersMessage(QStringView id);

    // The longest id the alembic_version.version_num column (VARCHAR(32)) can hold.
    static constexpr qsizetype MaxIdLength = 32;
    static QString tooLongMessage(QStringView id);

    // Alembic's doc: the stripped docstring up to its first blank line ("\n\n").
    static QString firstParagraph(const QString &longDoc);
    // The value of a "Create Date:" line of a doc, or an empty string.
    static QString createDate(QStringView longDoc);
    // UTF-8 in a block of exactly its size, for text every revision keeps (toUtf8() leaves room for three
    // bytes a character).
    static QByteArray compactUtf8(QStringView text);
};

} // namespace qmigrate
