// SPDX-License-Identifier: MIT
#include "scripts/sha256digest.h"

#include <algorithm>

namespace qmigrate {

namespace {

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

} // namespace

Sha256Digest Sha256Digest::fromBytes(QByteArrayView bytes)
{
    Sha256Digest digest;
    if (bytes.size() != Size)
        return digest;
    std::copy(bytes.begin(), bytes.end(), digest.m_bytes.begin());
    digest.m_valid = true;
    return digest;
}

Sha256Digest Sha256Digest::fromHex(QStringView hex)
{
    Sha256Digest digest;
    if (hex.size() != 2 * Size)
        return digest;
    for (qsizetype i = 0; i < Size; ++i) {
        const int high = hexValue(hex[2 * i].unicode());
        const int low = hexValue(hex[2 * i + 1].unicode());
        if (high < 0 || low < 0)
            return Sha256Digest();
        digest.m_bytes[i] = static_cast<unsigned char>(high << 4 | low);
    }
    digest.m_valid = true;
    return digest;
}

QByteArrayView Sha256Digest::bytes() const
{
    if (!m_valid)
        return {};
    return QByteArrayView(reinterpret_cast<const char *>(m_bytes.data()), Size);
}

QString Sha256Digest::toHex() const
{
    if (!m_valid)
        return QString();
    static constexpr char digits[] = "0123456789abcdef";
    QString hex(2 * Size, Qt::Uninitialized);
    QChar *out = hex.data();
    for (const unsigned char byte : m_bytes) {
        *out++ = QLatin1Char(digits[byte >> 4]);
        *out++ = QLatin1Char(digits[byte & 0xf]);
    }
    return hex;
}

} // namespace qmigrate
