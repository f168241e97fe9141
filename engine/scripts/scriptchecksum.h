// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "scripts/sha256digest.h"

#include <QByteArray>

#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace qmigrate {

struct Revision;

// The checksum the audit history keeps of every script it runs, so that `check` can tell when a file changed
// after it was applied. It covers the whole file (for native SQL: header and both sections), normalised so
// that only real edits count: a BOM, CRLF or CR line ends, trailing whitespace on a line and trailing empty
// lines do not. The whole file rather than the section that ran, because "the file changed since it was
// applied" is what a user can check with any diff tool, and a header edit (a new down_revision) matters too.
class ScriptChecksum
{
public:
    // A file as read for the history: its normalised text (what the history row keeps and `check` diffs
    // against) and that text's checksum.
    struct Script
    {
        QString text;
        QString checksum;
    };

    // BOM dropped, CRLF and lone CR turned into LF, trailing whitespace of every line and trailing empty
    // lines removed; a non-empty result ends with exactly one "\n".
    static QString normalize(QStringView text);
    // SHA-256 of the UTF-8 of normalize(text), 64 lower-case hex digits.
    static QString checksum(QStringView text);
    // readFile()'s checksum for a file's undecoded content (UTF-8, as every script is). Works on the bytes
    // without building the normalised text, since every revision file is checksummed when a project is read.
    static QString checksumOfContent(QByteArrayView content);
    // The same checksum as its bytes (what Revision::checksum keeps).
    static Sha256Digest digestOfContent(QByteArrayView content);
    // The checksum of a text that is normalised already (Script::text).
    static QString checksumOfNormalized(QStringView normalized);
    // Reads and decodes (strict UTF-8) a script file. Errors name the file (and the line of an invalid byte).
    static Expected<Script> readFile(const QString &path);
    // The same for a file's content read already.
    static Expected<Script> fromContent(const QString &path, const QByteArray &content);
    // The bytes of revision.path, refused (an error naming the revision and the file) when their checksum is
    // no longer the one the revision was loaded with: what is shown later comes from the text that was
    // loaded, never a newer text under an older header.
    static Expected<QByteArray> readUnchanged(const Revision &revision);
};

} // namespace qmigrate
