// SPDX-License-Identifier: MIT
#pragma once

#include "scripts/headercache.h"

#include <QByteArrayView>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace qmigrate {

// The header cache's stamp of every file of one folder listing, one stat each. A scan asks for them in
// order; on a large folder a second thread stats from the listing's end at the same time, and each file is
// stat'ed by whichever side claims it first, so the two meet somewhere in the middle. A stat is a system
// call, which under virtualisation costs more than serving the file's header from the cache: an unchanged
// project of 10,000 revisions waited on them for most of its load (git preloads its index this way too).
class StampPreloader
{
public:
    // The name of file `index` as the folder lists it, NUL-terminated; called from both threads.
    using NameAt = std::function<const char *(size_t index)>;
    // `count` files named by `nameAt` in the folder `dirFd` (open; it and the names must outlive the
    // preloader).
    StampPreloader(int dirFd, size_t count, NameAt nameAt);
    ~StampPreloader();
    StampPreloader(const StampPreloader &) = delete;
    StampPreloader &operator=(const StampPreloader &) = delete;

    // The stamp of file `index`; nullopt when it cannot be stat'ed or is not a regular file.
    std::optional<HeaderCache::Stamp> stamp(size_t index);

    // Folders with fewer files are stat'ed by the scan alone: starting a thread would cost more than it
    // saves.
    static constexpr size_t kThreadFrom = 256;

    // One stat, relative to the folder so that the kernel does not walk the path again.
    static std::optional<HeaderCache::Stamp> stampOf(int dirFd, const char *fileName);

private:
    enum State : quint8 { Unclaimed, Claimed, Done };
    // Written by the thread for the files it claimed; no initialisation, so the pages of the files the scan
    // stats itself are never touched. A size of -1: no stamp.
    struct Result
    {
        qint64 size;
        qint64 mtimeNs;
        qint64 ctimeNs;
        quint64 inode;
    };
    void preloadFromEnd();

    int m_dirFd;
    size_t m_count;
    NameAt m_nameAt;
    std::unique_ptr<std::atomic<quint8>[]> m_states;
    std::unique_ptr<Result[]> m_results;
    std::atomic<bool> m_stop = false;
    std::thread m_thread;
};

} // namespace qmigrate
