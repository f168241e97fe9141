// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"
#include "workspace/pathwatcher.h"

#include <QFutureWatcher>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>

namespace qmigrate {

class Project;

// The one parsed project the GUI works on, shared read-only by every view and job, and kept in step with the
// files: the ini, the script location and version locations (new, removed and renamed files) and every
// revision file (edits) are watched, and any change re-reads the whole project off the UI thread after a
// short quiet period. Every consumer switches to the new project on the one projectChanged() signal.
//
// A project that no longer reads (a half-typed header, a missing parent) never replaces the last good one:
// problemChanged() reports the error (file and line) and the last good project stays current until the
// files read again. A re-read that finds every file and the ini unchanged (by checksum) changes nothing.
class LiveProject : public QObject
{
    Q_OBJECT

public:
    explicit LiveProject(QObject *parent = nullptr);
    ~LiveProject() override;

    // Opens another project (an alembic.ini): opened() or openFailed() follows; the current project stays
    // until the new one has been read.
    void open(const QString &iniPath);
    // Reads the current project's files again now (Refresh).
    void reload();
    // The interpreter later loads ask for revision values the static reader cannot read (Project::open);
    // empty: detected. `source` names the choice in messages.
    void setPythonInterpreter(const QString &program, const QString &source);

    std::shared_ptr<const Project> project() const { return m_project; }
    // The current project's revisions in history order (RevisionMap::history(), newest first), worked out
    // with the project off the UI thread so that the views are given their rows ready-made.
    const QList<int> &history() const { return m_history; }
    // The current project's revision index of each script file, worked out off the UI thread too.
    std::shared_ptr<const QHash<QString, int>> scriptIndex() const { return m_scriptIndex; }
    // Why the files on disk do not read as a project now; empty while they do.
    const std::optional<EngineError> &problem() const { return m_problem; }
    // Paths watched, for tests and diagnostics (set off the UI thread a moment after each load).
    QStringList watchedPaths() const;
    PathWatcher *pathWatcher() { return &m_watcher; }
    // How long the files must be quiet before they are read again.
    void setQuietPeriod(int milliseconds) { m_debounce.setInterval(milliseconds); }

signals:
    // A project opened with open(): it is current now (projectChanged() came first).
    void opened(const QString &iniPath);
    void openFailed(const QString &iniPath, const qmigrate::EngineError &error);
    // The current project is a new one: after open(), or after its files changed on disk. reread is true for
    // the same project read again.
    void projectChanged(const std::shared_ptr<const qmigrate::Project> &project, bool reread);
    // problem() changed: set when the files stopped reading as a project, cleared when they read again.
    void problemChanged();

private:
    struct LoadResult;

    void startLoad(const QString &iniPath, bool reread);
    void onLoadFinished();
    void watch(std::shared_ptr<const Project> project);

    std::shared_ptr<const Project> m_project;
    QList<int> m_history;
    std::shared_ptr<const QHash<QString, int>> m_scriptIndex;
    std::optional<EngineError> m_problem;
    QString m_iniChecksum; // of the current project's ini
    PathWatcher m_watcher;
    QTimer m_debounce;
    QFutureWatcher<std::shared_ptr<LoadResult>> m_load;
    // The load in flight; a change during it starts another once it is done.
    bool m_loadReread = false;
    QString m_loadPath;
    QString m_python;
    QString m_pythonSource;
    bool m_changedDuringLoad = false;
};

} // namespace qmigrate
