// SPDX-License-Identifier: MIT
#include "workspace/pathwatcher.h"

#include <QFileSystemWatcher>
#include <QMutexLocker>
#include <QSet>

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
    QMetaObject::invokeMethod(m_context, [this] {
        m_watcher = new QFileSystemWatcher(m_context);
        // Signal to signal: queued to this object's thread.
        connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &PathWatcher::changed);
        connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &PathWatcher::changed);
    });
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

void PathWatcher::apply(const QStringList &paths, bool replace)
{
    QSet<QString> wanted(paths.cbegin(), paths.cend());
    const QStringList watched = m_watcher->files() + m_watcher->directories();
    QStringList stale;
    for (const QString &path : watched) {
        if (!wanted.remove(path) && replace)
            stale.append(path);
    }
    if (!stale.isEmpty())
        m_watcher->removePaths(stale);
    if (!wanted.isEmpty()) {
        const QStringList missing = m_watcher->addPaths(QStringList(wanted.cbegin(), wanted.cend()));
        if (!missing.isEmpty())
            qWarning("qmigrate: %lld path(s) of the project cannot be watched for changes (e.g. %s); use "
                     "Refresh after editing them outside the app",
                     qlonglong(missing.size()), qPrintable(missing.first()));
    }
    {
        const QMutexLocker lock(&m_mutex);
        m_paths = m_watcher->files() + m_watcher->directories();
    }
    // Emitted on the owner's thread, from its event loop: a receiver there (or a test waiting on it) never
    // misses an emission that happened before it started waiting.
    QMetaObject::invokeMethod(this, &PathWatcher::applied, Qt::QueuedConnection);
}

} // namespace qmigrate
