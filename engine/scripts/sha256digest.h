// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <array>

namespace qmigrate {

// A SHA-256 digest held as its 32 bytes, or null. Every loaded revision keeps one (Revision::checksum): as
// bytes it costs 32 bytes inside the revision, where the 64 hex digits as a QString cost a heap block of
// about 150 bytes, which at 100,000 revisions is a tenth of what a project holds in memory.
class Sha256Digest
{
public:
    static constexpr qsizetype Size = 32;

    Sha256Digest() = default;
    // The digest of these 32 bytes; null for any other length.
    static Sha256Digest fromBytes(QByteArrayView bytes);
    // 64 hex digits (either case); null for anything else.
    static Sha256Digest fromHex(QStringView hex);

    bool isNull() const { return !m_valid; }
    QByteArrayView bytes() const;
    // 64 lower-case hex digits, as ScriptChecksum writes them; empty when null.
    QString toHex() const;

    friend bool operator==(const Sha256Digest &a, const Sha256Digest &b) = default;

private:
    std::array<unsigned char, Size> m_bytes{};
    bool m_valid = false;
};

} // namespace qmigrate
