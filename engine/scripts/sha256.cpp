// SPDX-License-Identifier: MIT
#include "scripts/sha256.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define QMIGRATE_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define QMIGRATE_SHA256_X86 0
#endif

namespace qmigrate {

namespace {

// SHA-256's round constants: the first 32 bits of the fractional parts of the cube roots of the first 64
// primes.
// Aligned so that the SHA extensions can load four at a time.
alignas(16) constexpr std::array<quint32, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// SHA-256's initial state: the first 32 bits of the fractional parts of the square roots of the first 8
// primes.
constexpr std::array<quint32, 8> kInitialState = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

// Compresses `blocks` whole 64-byte blocks into the state.
using CompressFunction = void (*)(quint32 *state, const uchar *data, qsizetype blocks);

quint32 loadBigEndian(const uchar *p)
{
    return quint32(p[0]) << 24 | quint32(p[1]) << 16 | quint32(p[2]) << 8 | quint32(p[3]);
}

void storeBigEndian(uchar *p, quint64 value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i) {
        p[i] = uchar(value);
        value >>= 8;
    }
}

// Each round takes the eight working variables in rotated order instead of shifting them down, so that an
// unrolled group of eight rounds needs no moves between variables: only d and h change in a round.
inline void portableRound(quint32 a, quint32 b, quint32 c, quint32 &d, quint32 e, quint32 f, quint32 g,
                          quint32 &h, quint32 constantPlusWord)
{
    // SHA-256's Sigma1 and Sigma0, with the rotations nested: the same value, but each
    // rotation works on the previous result, so x86 (whose rotate overwrites its operand) needs fewer copies.
    const quint32 sum1 = std::rotr(e ^ std::rotr(e ^ std::rotr(e, 14), 5), 6);
    // Ch and Maj with one operation fewer than their textbook forms.
    const quint32 choice = g ^ (e & (f ^ g));
    const quint32 t1 = h + sum1 + choice + constantPlusWord;
    const quint32 sum0 = std::rotr(a ^ std::rotr(a ^ std::rotr(a, 9), 11), 2);
    const quint32 majority = (a & b) | (c & (a | b));
    d += t1;
    h = t1 + sum0 + majority;
}

void compressPortable(quint32 *state, const uchar *data, qsizetype blocks)
{
    for (; blocks > 0; --blocks, data += Sha256::BlockSize) {
        std::array<quint32, 64> w;
        for (int t = 0; t < 16; ++t)
            w[t] = loadBigEndian(data + 4 * t);
        for (int t = 16; t < 64; ++t) {
            const quint32 s0 = std::rotr(w[t - 15], 7) ^ std::rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            const quint32 s1 = std::rotr(w[t - 2], 17) ^ std::rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }

        quint32 a = state[0], b = state[1], c = state[2], d = state[3];
        quint32 e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t += 8) {
            portableRound(a, b, c, d, e, f, g, h, kRoundConstants[t] + w[t]);
            portableRound(h, a, b, c, d, e, f, g, kRoundConstants[t + 1] + w[t + 1]);
            portableRound(g, h, a, b, c, d, e, f, kRoundConstants[t + 2] + w[t + 2]);
            portableRound(f, g, h, a, b, c, d, e, kRoundConstants[t + 3] + w[t + 3]);
            portableRound(e, f, g, h, a, b, c, d, kRoundConstants[t + 4] + w[t + 4]);
            portableRound(d, e, f, g, h, a, b, c, kRoundConstants[t + 5] + w[t + 5]);
            portableRound(c, d, e, f, g, h, a, b, kRoundConstants[t + 6] + w[t + 6]);
            portableRound(b, c, d, e, f, g, h, a, kRoundConstants[t + 7] + w[t + 7]);
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

#if QMIGRATE_SHA256_X86

// Only these functions are built for the SHA extensions; the rest of the engine keeps the default target and
// calls them only after CPUID said they may run.
#define QMIGRATE_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// The next four message words W[t+16..t+19] from the four vectors holding W[t..t+15] (the message
// schedule). msg1 adds sigma0 of the following word to each of W[t..t+3], the W[t+9..t+12] term comes from
// straddling the third and fourth vectors, and msg2 adds sigma1 of the words two back, which for the upper
// two lanes are the lower two lanes of its own result.
QMIGRATE_SHA_TARGET inline __m128i nextMessageWords(__m128i w0, __m128i w1, __m128i w2, __m128i w3)
{
    const __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
    return _mm_sha256msg2_epu32(partial, w3);
}

QMIGRATE_SHA_TARGET void compressShaExtensions(quint32 *state, const uchar *data, qsizetype blocks)
{
    // Message words are big-endian: reverse the bytes of each 32-bit lane.
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

    // sha256rnds2 keeps the state as two vectors, {A,B,E,F} and {C,D,G,H} with A in the highest lane, where
    // the state array holds a..h in order.
    const __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state));
    const __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i *>(state + 4));
    __m128i abef = _mm_shuffle_epi32(_mm_unpacklo_epi64(abcd, efgh), 0x1b);
    __m128i cdgh = _mm_shuffle_epi32(_mm_unpackhi_epi64(abcd, efgh), 0x1b);

    for (; blocks > 0; --blocks, data += Sha256::BlockSize) {
        const __m128i savedAbef = abef;
        const __m128i savedCdgh = cdgh;

        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data)), byteSwap);
        __m128i w1 =
            _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data + 16)), byteSwap);
        __m128i w2 =
            _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data + 32)), byteSwap);
        __m128i w3 =
            _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(data + 48)), byteSwap);

        // Unrolled, so that the four message vectors move along by register renaming rather than copies and
        // the round constants are addressed directly.
#pragma GCC unroll 16
        for (int group = 0; group < 16; ++group) {
            __m128i wk = _mm_add_epi32(
                w0, _mm_load_si128(reinterpret_cast<const __m128i *>(kRoundConstants.data() + 4 * group)));
            // Each sha256rnds2 runs two rounds on the low two lanes of wk and returns the new {A,B,E,F}; the
            // old {A,B,E,F} is then the new {C,D,G,H}. So the two variables swap roles after the first call
            // and are back to their names after the second.
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
            wk = _mm_shuffle_epi32(wk, 0x0e);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);

            const __m128i next = group < 12 ? nextMessageWords(w0, w1, w2, w3) : w0;
            w0 = w1;
            w1 = w2;
            w2 = w3;
            w3 = next;
        }

        abef = _mm_add_epi32(abef, savedAbef);
        cdgh = _mm_add_epi32(cdgh, savedCdgh);
    }

    // Back to a..h in order: A lowest in one vector, C lowest in the other, then their halves interleaved.
    const __m128i abefReversed = _mm_shuffle_epi32(abef, 0x1b);
    const __m128i cdghReversed = _mm_shuffle_epi32(cdgh, 0x1b);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state), _mm_unpacklo_epi64(abefReversed, cdghReversed));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(state + 4), _mm_unpackhi_epi64(abefReversed, cdghReversed));
}

bool cpuHasShaExtensions()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return false;
    const bool sse41 = ecx & (1u << 19);
    const bool ssse3 = ecx & (1u << 9);
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
        return false;
    const bool sha = ebx & (1u << 29);
    return sha && sse41 && ssse3;
}

#else

bool cpuHasShaExtensions()
{
    return false;
}

#endif

Sha256::Engine detectedEngine()
{
    static const Sha256::Engine engine =
        cpuHasShaExtensions() ? Sha256::Engine::ShaExtensions : Sha256::Engine::Portable;
    return engine;
}

// The engine a test forced, or -1.
std::atomic<int> forcedEngine{-1};

void compress(quint32 *state, const uchar *data, qsizetype blocks)
{
#if QMIGRATE_SHA256_X86
    if (Sha256::engine() == Sha256::Engine::ShaExtensions) {
        compressShaExtensions(state, data, blocks);
        return;
    }
#endif
    compressPortable(state, data, blocks);
}

} // namespace

Sha256::Sha256()
    : m_state(kInitialState)
{}

void Sha256::addData(QByteArrayView data)
{
    if (data.isEmpty())
        return;
    const auto *bytes = reinterpret_cast<const uchar *>(data.data());
    qsizetype size = data.size();
    m_length += quint64(size);

    if (m_fill > 0) {
        const qsizetype taken = std::min(size, BlockSize - m_fill);
        std::memcpy(m_block.data() + m_fill, bytes, size_t(taken));
        m_fill += taken;
        bytes += taken;
        size -= taken;
        if (m_fill < BlockSize)
            return;
        compress(m_state.data(), m_block.data(), 1);
        m_fill = 0;
    }

    // Whole blocks straight from the caller's memory: a file or line hashed in one call is never copied.
    const qsizetype blocks = size / BlockSize;
    if (blocks > 0) {
        compress(m_state.data(), bytes, blocks);
        bytes += blocks * BlockSize;
        size -= blocks * BlockSize;
    }
    if (size > 0) {
        std::memcpy(m_block.data(), bytes, size_t(size));
        m_fill = size;
    }
}

Sha256Digest Sha256::result()
{
    // SHA-256's padding: a one bit, zeros up to 56 bytes into a block, then the length in bits as 64 bits
    // big-endian; a second block when the length no longer fits behind the message.
    constexpr qsizetype lengthOffset = BlockSize - 8;
    const quint64 bitLength = m_length * 8;
    m_block[m_fill++] = 0x80;
    if (m_fill > lengthOffset) {
        std::fill(m_block.begin() + m_fill, m_block.end(), uchar(0));
        compress(m_state.data(), m_block.data(), 1);
        m_fill = 0;
    }
    std::fill(m_block.begin() + m_fill, m_block.begin() + lengthOffset, uchar(0));
    storeBigEndian(m_block.data() + lengthOffset, bitLength, 8);
    compress(m_state.data(), m_block.data(), 1);
    m_fill = 0;

    std::array<uchar, Sha256Digest::Size> bytes;
    for (int i = 0; i < 8; ++i)
        storeBigEndian(bytes.data() + 4 * i, m_state[i], 4);
    return Sha256Digest::fromBytes(
        QByteArrayView(reinterpret_cast<const char *>(bytes.data()), Sha256Digest::Size));
}

Sha256Digest Sha256::hash(QByteArrayView data)
{
    Sha256 sha;
    sha.addData(data);
    return sha.result();
}

Sha256::Engine Sha256::engine()
{
    const int forced = forcedEngine.load(std::memory_order_relaxed);
    if (forced >= 0)
        return Engine(forced);
    return detectedEngine();
}

void Sha256::forceEngineForTesting(std::optional<Engine> engine)
{
    if (engine == Engine::ShaExtensions && detectedEngine() != Engine::ShaExtensions)
        engine = std::nullopt;
    forcedEngine.store(engine ? int(*engine) : -1, std::memory_order_relaxed);
}

} // namespace qmigrate
