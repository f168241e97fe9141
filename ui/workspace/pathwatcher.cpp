// SPDX-License-Identifier: MIT
#include "workspace/pathwatcher.h"

#include <QFileSystemWatcher>
#include <QMutexLocker>
#include <QSet>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace qmigrate {

PathWatcher::PathWatcher(QObject *parent)
    : QObject(parent)
    , m_context(new QObject) // parentless: it is moved to m_thread and deleted there when the thread ends
{
    m_thread.setObjectName(u"qmigrate-path-watcher"_s);
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
#ifdef Q_OS_LINUX
    // Watching is housekeeping: at nice 19, registering the paths of a project that just opened does not keep
    // the UI thread waiting for a core while the window shows that project. Not SCHED_IDLE
    // (QThread::IdlePriority): on a machine kept busy by other work that starves the watcher for seconds, and
    // an edit would go unnoticed as long.
    QMetaObject::invokeMethod(m_context, [] { setpriority(PRIO_PROCESS, gettid(), 19); });
#endif
}

PathWatcher::~PathWatcher()
{
    m_thread.quit();
    m_thread.wait();
}

void PathWatcher::setPaths(const QStringList &paths)
{
    QMetaObject::invokeMethod(m_context, [this, paths] { apply(paths, true); });
}

void PathWatcher::setPaths(std::function<QStringList()> listPaths)
{
    QMetaObject::invokeMethod(m_context,
                              [this, listPaths = std::move(listPaths)] { apply(listPaths(), true); });
}

void PathWatcher::addPath(const QString &path)
{
    QMetaObject::invokeMethod(m_context, [this, path] { apply({path}, false); });
}

QStringList PathWatcher::paths() const
{
    const QMutexLocker lock(&m_mutex);
    return m_paths;
}

namespace {

QStringList watchedBy(const QFileSystemWatcher *watcher)
{
    return watcher->files() + watcher->directories();
}

qsizetype countWatchedBy(const QFileSystemWatcher *watcher)
{
    return watcher->files().size() + watcher->directories().size();
}

} // namespace

QFileSystemWatcher *PathWatcher::watcherWithRoom(qsizetype share)
{
    QFileSystemWatcher *smallest = nullptr;
    for (QFileSystemWatcher *watcher : std::as_const(m_watchers)) {
        if (!smallest || countWatchedBy(watcher) < countWatchedBy(smallest))
            smallest = watcher;
    }
    if (smallest && (countWatchedBy(smallest) < share || m_watchers.size() >= MaxWatchers))
        return smallest;
    auto *watcher = new QFileSystemWatcher(m_context);
    // Signal to signal: queued to this object's thread.
    connect(watcher, &QFileSystemWatcher::fileChanged, this, &PathWatcher::changed);
    connect(watcher, &QFileSystemWatcher::directoryChanged, this, &PathWatcher::changed);
    m_watchers.append(watcher);
    return watcher;
}

QStringList PathWatcher::watchedPaths() const
{
    QStringList paths;
    for (const QFileSystemWatcher *watcher : m_watchers)
        paths += watchedBy(watcher);
    return paths;
}

void PathWatcher::apply(const QStringList &paths, bool replace)
{
    QSet<QString> wanted(paths.cbegin(), paths.cend());
    qsizetype kept = 0;
    for (QFileSystemWatcher *watcher : std::as_const(m_watchers)) {
        QStringList stale;
        for (const QString &path : watchedBy(watcher)) {
            if (wanted.remove(path) || !replace)
                ++kept;
            else
                stale.append(path);
        }
        if (!stale.isEmpty())
            watcher->removePaths(stale);
    }
    const QStringList added(wanted.cbegin(), wanted.cend());
    const qsizetype share =
        qMax(MinPathsPerWatcher, (kept + added.size() + MaxWatchers - 1) / qsizetype(MaxWatchers));
    QStringList missing;
    for (qsizetype next = 0; next < added.size();) {
        QFileSystemWatcher *watcher = watcherWithRoom(share);
        const qsizetype room = qMax<qsizetype>(1, share - countWatchedBy(watcher));
        const qsizetype count = qMin(room, added.size() - next);
        missing += watcher->addPaths(added.mid(next, count));
        next += count;
    }
    if (!missing.isEmpty())
        qWarning("qmigrate: %lld path(s) of the project cannot be watched for changes (e.g. %s); use "
                 "Refresh after editing them outside the app",
                 qlonglong(missing.size()), qPrintable(missing.first()));
    {
        const QMutexLocker lock(&m_mutex);
        m_paths = watchedPaths();
    }
    // Emitted on the owner's thread, from its event loop: a receiver there (or a test waiting on it) never
    // misses an emission that happened before it started waiting.
    QMetaObject::invokeMethod(this, &PathWatcher::applied, Qt::QueuedConnection);
}

} // namespace qmigrate
