// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>
#include <QtGlobal>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

// What every fuzz target shares: checks that stay on in every build type (the replay tests of the normal
// build check what the fuzzer checks), and line arithmetic for the positions the parsers report.

#define FUZZ_CHECK(condition)                                                                                \
    do {                                                                                                     \
        if (!(condition))                                                                                    \
            qmigrate::fuzz::fail(#condition, __FILE__, __LINE__);                                            \
    } while (false)

namespace qmigrate::fuzz {

[[noreturn]] inline void fail(const char *condition, const char *file, int line)
{
    std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, condition);
    std::fflush(stderr);
    std::abort();
}

// The parsers report problems through their results, never through Qt's log: a warning there (QString::arg's
// "Argument missing", a failed Q_ASSERT) is a bug, so it stops the run as a crash would.
inline void setUp()
{
    static const bool installed = [] {
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
            std::fprintf(stderr, "Qt: %s\n", qUtf8Printable(message));
            if (type != QtDebugMsg && type != QtInfoMsg) {
                std::fflush(stderr);
                std::abort();
            }
        });
        return true;
    }();
    Q_UNUSED(installed);
}

// Offsets where each line starts ('\n' ends a line): lineStarts(text).at(n - 1) is where line n starts.
inline QList<qsizetype> lineStarts(QStringView text)
{
    QList<qsizetype> starts{0};
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'\n')
            starts.append(i + 1);
    }
    return starts;
}

// The 1-based line holding offset.
inline int lineOf(const QList<qsizetype> &starts, qsizetype offset)
{
    return int(std::upper_bound(starts.cbegin(), starts.cend(), offset) - starts.cbegin());
}

inline QString fromUtf8(const uint8_t *data, size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
}

// The input without a copy: libFuzzer's buffer ends exactly where the input does, so reading past the end is
// an ASan error rather than a read of a copy's terminating NUL.
inline QByteArray rawBytes(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace qmigrate::fuzz
