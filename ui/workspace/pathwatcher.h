// SPDX-License-Identifier: MIT
#pragma once

#include <QMutex>
#include <QObject>
#include <QStringList>
#include <QThread>

#include <functional>

class QFileSystemWatcher;

namespace qmigrate {

// Files and folders watched for changes from a thread of its own. QFileSystemWatcher's addPaths() and
// removePaths() take time quadratic in the number of paths (Qt 6.4 checks each path against a list of all
// those its watcher already has): half a second of a core for a project of 10,000 revision files, which the
// UI thread must not spend and, on a machine of two cores, must not have to wait behind either. The paths are
// therefore spread over a few watchers, so each list stays short. Requests are queued to the watcher's thread
// in order; changed() comes back on the thread that owns this object.
class PathWatcher : public QObject
{
    Q_OBJECT

public:
    explicit PathWatcher(QObject *parent = nullptr);
    ~PathWatcher() override;

    // From now on, exactly these paths (asynchronously; applied() when done).
    void setPaths(const QStringList &paths);
    // The same with paths listed on the watcher's thread: a project's thousands of files are not even
    // listed on the caller's. The function must be safe to call from another thread.
    void setPaths(std::function<QStringList()> listPaths);
    // One more path, kept until the next setPaths().
    void addPath(const QString &path);
    // The paths watched as of the last request applied.
    QStringList paths() const;

signals:
    // A watched file or folder changed.
    void changed();
    // A setPaths() or addPath() has been applied; emitted on this object's thread.
    void applied();

private:
    void apply(const QStringList &paths, bool replace);
    // A watcher with room for more paths, made when needed (in m_thread).
    QFileSystemWatcher *watcherWithRoom(qsizetype share);
    QStringList watchedPaths() const;

    // Each watcher is an inotify instance, of which a user has 128 (fs.inotify.max_user_instances): a few.
    static constexpr int MaxWatchers = 8;
    // Fewer paths than this all go to one watcher.
    static constexpr qsizetype MinPathsPerWatcher = 512;

    QThread m_thread;
    QObject *m_context;                     // lives in m_thread; the QFileSystemWatchers are its children
    QList<QFileSystemWatcher *> m_watchers; // touched only in m_thread
    mutable QMutex m_mutex;
    QStringList m_paths;
};

} // namespace qmigrate
