// SPDX-License-Identifier: MIT
#include "scripts/stamppreloader.h"

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/stat.h>
#endif

namespace qmigrate {

StampPreloader::StampPreloader(int dirFd, size_t count, NameAt nameAt)
    : m_dirFd(dirFd)
    , m_count(count)
    , m_nameAt(std::move(nameAt))
{
#ifdef Q_OS_UNIX
    if (dirFd < 0 || count < kThreadFrom)
        return;
    m_states = std::make_unique<std::atomic<quint8>[]>(count); // value-initialised: Unclaimed
    m_results = std::make_unique_for_overwrite<Result[]>(count);
    m_thread = std::thread([this] { preloadFromEnd(); });
#endif
}

StampPreloader::~StampPreloader()
{
    if (m_thread.joinable()) {
        m_stop.store(true, std::memory_order_relaxed);
        m_thread.join();
    }
}

void StampPreloader::preloadFromEnd()
{
    for (size_t index = m_count; index-- > 0;) {
        quint8 expected = Unclaimed;
        // The scan got here first: everything before is its.
        if (m_stop.load(std::memory_order_relaxed) ||
            !m_states[index].compare_exchange_strong(expected, Claimed, std::memory_order_acq_rel))
            return;
        const std::optional<HeaderCache::Stamp> stamp = stampOf(m_dirFd, m_nameAt(index));
        Result &result = m_results[index];
        result.size = -1;
        if (stamp) {
            result.size = stamp->size;
            result.mtimeNs = stamp->mtimeNs;
            result.ctimeNs = stamp->ctimeNs;
            result.inode = stamp->inode;
        }
        m_states[index].store(Done, std::memory_order_release);
    }
}

std::optional<HeaderCache::Stamp> StampPreloader::stamp(size_t index)
{
    if (!m_states)
        return stampOf(m_dirFd, m_nameAt(index));
    quint8 expected = Unclaimed;
    if (m_states[index].compare_exchange_strong(expected, Claimed, std::memory_order_acq_rel))
        return stampOf(m_dirFd, m_nameAt(index));
    // The thread has it: at most the one stat it is making now is left to wait for.
    while (m_states[index].load(std::memory_order_acquire) != Done)
        std::this_thread::yield();
    const Result &result = m_results[index];
    if (result.size < 0)
        return std::nullopt;
    HeaderCache::Stamp stamp;
    stamp.size = result.size;
    stamp.mtimeNs = result.mtimeNs;
    stamp.ctimeNs = result.ctimeNs;
    stamp.inode = result.inode;
    return stamp;
}

std::optional<HeaderCache::Stamp> StampPreloader::stampOf(int dirFd, const char *fileName)
{
#ifdef Q_OS_UNIX
    struct stat st;
    if (dirFd < 0 || ::fstatat(dirFd, fileName, &st, 0) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    HeaderCache::Stamp stamp;
    stamp.size = qint64(st.st_size);
    stamp.mtimeNs = qint64(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    stamp.ctimeNs = qint64(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
    stamp.inode = quint64(st.st_ino);
    return stamp;
#else
    Q_UNUSED(dirFd);
    Q_UNUSED(fileName);
    return std::nullopt;
#endif
}

} // namespace qmigrate
