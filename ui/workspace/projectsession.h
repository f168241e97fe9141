// SPDX-License-Identifier: MIT
#pragma once

#include "authoring/projectinitializer.h"
#include "config/databaseurl.h"
#include "core/engineerror.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <memory>
#include <optional>

namespace qmigrate {

class DatabaseJobQueue;
class LiveProject;
class Project;

// The project the window shows, and every way of getting one: open an alembic.ini (or its folder), make a new
// project, adopt the selected database into a new project. Whichever way, the project is read once, by the
// one LiveProject this session owns, and every panel follows its projectChanged(); a window never holds a
// second copy. It also keeps what is remembered per user about projects (QSettings): the recent list and each
// project's Python interpreter. What the user should read about all this (files written, the project read,
// its warnings, why it did not open) comes as logLine(), logWarning() and logError(), for the window's log.
// The adoption is a database job: it runs on the window's job queue (setJobQueue()), with the others.
class ProjectSession : public QObject
{
    Q_OBJECT

public:
    explicit ProjectSession(QObject *parent = nullptr);
    // Waits for a Python check still running and for the recent list to be written. An adoption still running
    // is the job queue's: it completes there (it writes files and stamps a database), its answer goes
    // nowhere.
    ~ProjectSession() override;

    // The queue adopt() asks (not owned; the window's MigrationController). Needed before adopt().
    void setJobQueue(DatabaseJobQueue *jobs);

    LiveProject *liveProject() const { return m_live; }
    // The current project (null until one has opened).
    std::shared_ptr<const Project> project() const;

    // Loads the project (an alembic.ini, or a folder holding one) off the UI thread; opened() or openFailed()
    // follows, always from the event loop.
    void open(const QString &path);
    // Reads the current project's files again now.
    void reload();
    // Makes a new native SQL project in directory (refused when it holds one; logged either way) and opens
    // it. A handful of small files, written on the caller's thread: the user waits for them anyway.
    [[nodiscard]] Expected<ProjectInitializer::Result> create(const QString &directory);
    // Puts the database under migrations in a new project in directory, as a job of the queue (the schema is
    // read and the database stamped), then opens that project; adoptionFinished() follows either way, from
    // the event loop.
    void adopt(const QString &directory, const DatabaseUrl &url);
    bool isAdopting() const { return m_adoptionToken != 0; }

    // Newest first, at most maximumRecentProjects, as the settings hold them.
    static QStringList recentProjects();
    // The same list as this session last read or changed it, for the UI thread: reading the settings
    // constructs a QSettings, which re-reads the file the writer just wrote, and waits while the writer
    // holds the settings to sync them to disk.
    QStringList rememberedProjects() const { return m_recent; }
    // What to open at start: the last project opened when it still exists; empty when there is none (first
    // start), and the window then offers the ways to begin.
    static QString startupProject();
    static constexpr int maximumRecentProjects = 10;

    // An Alembic Python project's interpreter, remembered per project (its alembic.ini); empty: detected.
    QString pythonInterpreter() const;
    static QString pythonInterpreterFor(const QString &iniPath);
    // How a chosen interpreter is named in messages.
    static QString pythonSettingSource();
    // Remembers the current project's interpreter and reads the project again with it (revision values only
    // Python could read depend on it); pythonInterpreterChanged() follows.
    void setPythonInterpreter(const QString &program);
    // Checks the current Alembic project's interpreter off the UI thread: pythonChecked() follows with its
    // summary or what to install. Does nothing for a native SQL project.
    void checkPythonInterpreter();
    // What the last check found (empty before one).
    QString pythonStatus() const { return m_pythonStatus; }

signals:
    // open() started reading path.
    void loading(const QString &path);
    // The current project is a new one, or the same one read again (reread) after its files changed.
    void projectChanged(const std::shared_ptr<const qmigrate::Project> &project, bool reread);
    // A project asked for with open() is current now (projectChanged() came first) and heads the recent list.
    void opened(const QString &iniPath);
    void openFailed(const QString &path, const qmigrate::EngineError &error);
    // LiveProject::problem() changed: the files stopped reading, or read again.
    void problemChanged();
    void recentProjectsChanged();
    // ok: iniPath is the new project's, being opened now; otherwise error says why nothing was adopted.
    void adoptionFinished(bool ok, const QString &iniPath, const qmigrate::EngineError &error);
    void pythonInterpreterChanged(const QString &program);
    void pythonChecked(const QString &status);
    void logLine(const QString &text);
    void logWarning(const qmigrate::EngineError &warning);
    void logError(const qmigrate::EngineError &error);

private:
    void onOpened(const QString &iniPath);
    void onAdopted(quint64 token, bool ok, const QString &iniPath, const EngineError &error);
    void onProjectChanged(const std::shared_ptr<const Project> &project, bool reread);
    void remember(const QString &iniPath);
    // The interpreter chosen for the project of iniPath, read from m_settings.
    QString interpreterFor(const QString &iniPath) const;

    LiveProject *m_live;
    QPointer<DatabaseJobQueue> m_jobs;
    quint64 m_adoptionToken = 0; // the adoption whose answer is awaited, 0 when none
    QString m_adoptedDatabase;   // its database, as the user sees it
    QFutureWatcher<QString> m_pythonCheck;
    QString m_pythonStatus;
    // The settings this session reads and changes, and the thread that writes them to disk. Reads on the UI
    // thread go through this one object: constructing a QSettings syncs the process's shared copy of the
    // file, which re-reads the file, and writes it (a lock file, the file, a sync to disk) when a change is
    // still waiting for the writer.
    std::unique_ptr<QSettings> m_settings;
    QStringList m_recent;
    QThreadPool m_settingsWriter;
};

} // namespace qmigrate
