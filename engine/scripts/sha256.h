// SPDX-License-Identifier: MIT
#pragma once

#include "scripts/sha256digest.h"

#include <QByteArrayView>
#include <QtGlobal>

#include <array>
#include <optional>

namespace qmigrate {

// SHA-256, fed in pieces. Our own rather than QCryptographicHash because Qt 6.4's costs about
// 4,000 instructions per 64-byte block, which is a large part of reading every revision file of a project;
// on a CPU with the SHA extensions this one uses them, elsewhere a plain C++ version.
//
// Usage: addData() any number of times, then result() once. result() appends the padding to the state, so
// the object is spent afterwards: a further addData() or result() gives a meaningless digest. Use a new
// Sha256 for the next message.
class Sha256
{
public:
    static constexpr qsizetype BlockSize = 64;

    enum class Engine { Portable, ShaExtensions };

    Sha256();

    void addData(QByteArrayView data);
    // Finalizes: see the class comment, the object is spent afterwards.
    Sha256Digest result();

    static Sha256Digest hash(QByteArrayView data);

    // The engine hashing uses: ShaExtensions when this CPU has them (detected once), unless a test forced
    // the portable one.
    static Engine engine();
    // Tests only, so that the portable code is covered on a CPU with the SHA extensions too. std::nullopt
    // goes back to what the CPU supports. Forcing ShaExtensions on a CPU without them is ignored: it would
    // crash on an illegal instruction. Harmless while other threads hash: both engines give the same digest.
    static void forceEngineForTesting(std::optional<Engine> engine);

private:
    std::array<quint32, 8> m_state;
    std::array<uchar, BlockSize> m_block;
    // Bytes of m_block in use, always less than BlockSize between calls.
    qsizetype m_fill = 0;
    // Message length in bytes so far; the padding needs it in bits, modulo 2^64.
    quint64 m_length = 0;
};

} // namespace qmigrate
