// SPDX-License-Identifier: MIT
#include "workspace/liveproject.h"

#include "project/project.h"
#include "scripts/scriptchecksum.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// Editors save in bursts (write, rename, touch); one re-read for the whole burst.
constexpr int defaultQuietPeriodMs = 200;

QString iniChecksum(const QString &iniPath)
{
    QFile file(iniPath);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    return ScriptChecksum::checksumOfContent(file.readAll());
}

// Same files with the same text, and the same ini: re-reading found nothing new.
bool sameScripts(const Project &a, const Project &b)
{
    const RevisionMap &left = a.map();
    const RevisionMap &right = b.map();
    if (left.size() != right.size())
        return false;
    for (qsizetype i = 0; i < left.size(); ++i) {
        const Revision &x = left.revision(int(i));
        const Revision &y = right.revision(int(i));
        if (x.path != y.path || x.checksum != y.checksum)
            return false;
        // Same files, other values: the project's Alembic (another interpreter, say) read what the static
        // reader could not.
        if (!x.sameFieldNotes(y) || x.downRevisions != y.downRevisions || x.branchLabels != y.branchLabels ||
            x.dependsOn != y.dependsOn)
            return false;
    }
    return true;
}

// Freeing 10,000 revisions takes milliseconds. Whoever lets go of a project (or its index) last, often the
// UI thread when another project replaces it, hands that to a worker.
template<typename T> void destroyOffThread(const T *value)
{
    if (QCoreApplication::instance() && !QCoreApplication::closingDown()) {
        if (QThreadPool *pool = QThreadPool::globalInstance()) {
            pool->start([value] { delete value; });
            return;
        }
    }
    delete value;
}

} // namespace

// All of it made on the worker: the project, its history order, and whether a re-read changed anything.
struct LiveProject::LoadResult
{
    std::shared_ptr<const Project> project;
    QList<int> history;
    std::shared_ptr<const QHash<QString, int>> scriptIndex;
    EngineError error;
    QString iniChecksum;
    // The project current when the load started, and whether the one read has the same scripts.
    std::shared_ptr<const Project> comparedWith;
    bool sameScripts = false;
};

LiveProject::LiveProject(QObject *parent)
    : QObject(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(defaultQuietPeriodMs);
    connect(&m_watcher, &PathWatcher::changed, &m_debounce, qOverload<>(&QTimer::start));
    connect(&m_debounce, &QTimer::timeout, this, [this] {
        if (m_load.isRunning())
            m_changedDuringLoad = true;
        else
            reload();
    });
    connect(&m_load, &QFutureWatcherBase::finished, this, &LiveProject::onLoadFinished);
}

LiveProject::~LiveProject()
{
    m_load.waitForFinished();
}

void LiveProject::open(const QString &iniPath)
{
    startLoad(iniPath, false);
}

void LiveProject::reload()
{
    if (m_project)
        startLoad(m_project->config().iniPath(), true);
}

void LiveProject::setPythonInterpreter(const QString &program, const QString &source)
{
    m_python = program;
    m_pythonSource = source;
}

QStringList LiveProject::watchedPaths() const
{
    return m_watcher.paths();
}

void LiveProject::startLoad(const QString &iniPath, bool reread)
{
    m_loadPath = iniPath;
    m_loadReread = reread;
    m_changedDuringLoad = false;
    // A newer load replaces the watched future, so an older result is never delivered.
    Project::OpenOptions options;
    options.python = m_python;
    options.pythonSource = m_pythonSource;
    // The current project is only read there: it is immutable and shared.
    std::shared_ptr<const Project> current = reread ? m_project : nullptr;
    m_load.setFuture(QtConcurrent::run([iniPath, options, current = std::move(current)] {
        auto result = std::make_shared<LoadResult>();
        result->iniChecksum = iniChecksum(iniPath);
        Expected<Project> project = Project::open(iniPath, options);
        if (!project) {
            result->error = project.error();
            return result;
        }
        result->project = std::shared_ptr<const Project>(new Project(std::move(project.value())),
                                                         &destroyOffThread<Project>);
        const RevisionMap &map = result->project->map();
        result->history = map.history();
        auto scripts = new QHash<QString, int>;
        scripts->reserve(map.size());
        for (qsizetype i = 0; i < map.size(); ++i)
            scripts->insert(map.revision(int(i)).path, int(i));
        result->scriptIndex =
            std::shared_ptr<const QHash<QString, int>>(scripts, &destroyOffThread<QHash<QString, int>>);
        if (current) {
            result->sameScripts = sameScripts(*current, *result->project);
            result->comparedWith = current;
        }
        return result;
    }));
}

void LiveProject::onLoadFinished()
{
    const std::shared_ptr<LoadResult> result = m_load.result();
    const bool reread = m_loadReread;
    const QString path = m_loadPath;
    const bool hadProblem = m_problem.has_value();
    if (!result->project) {
        if (!reread) {
            emit openFailed(path, result->error);
        } else {
            m_problem = result->error;
            // A broken file that is new to the project is not watched yet; its fix must be seen too.
            if (!result->error.file().isEmpty() && !m_watcher.paths().contains(result->error.file()))
                m_watcher.addPath(result->error.file());
            emit problemChanged();
        }
    } else {
        m_problem.reset();
        const bool unchanged = reread && m_project && result->comparedWith == m_project &&
                               result->iniChecksum == m_iniChecksum && result->sameScripts;
        if (!unchanged) {
            m_project = result->project;
            m_history = result->history;
            m_scriptIndex = result->scriptIndex;
            m_iniChecksum = result->iniChecksum;
            watch(m_project);
            emit projectChanged(m_project, reread);
            if (!reread)
                emit opened(path);
        }
        // The future keeps its result until the next load: it should not keep a project alive.
        result->project.reset();
        result->scriptIndex.reset();
        result->comparedWith.reset();
        if (hadProblem)
            emit problemChanged();
    }
    if (std::exchange(m_changedDuringLoad, false))
        m_debounce.start();
}

void LiveProject::watch(std::shared_ptr<const Project> project)
{
    // Listed on the watcher's thread: the project is immutable and shared.
    m_watcher.setPaths([project = std::move(project)] {
        QSet<QString> wanted;
        wanted.insert(project->config().iniPath());
        QStringList folders = project->config().versionLocations();
        folders.prepend(project->config().scriptLocation());
        for (const QString &folder : std::as_const(folders)) {
            if (!QFileInfo(folder).isDir())
                continue;
            wanted.insert(QFileInfo(folder).absoluteFilePath());
            if (project->config().recursiveVersionLocations()) {
                QDirIterator it(folder, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
                while (it.hasNext())
                    wanted.insert(it.next());
            }
        }
        const RevisionMap &map = project->map();
        for (qsizetype i = 0; i < map.size(); ++i)
            wanted.insert(map.revision(int(i)).path);
        return QStringList(wanted.cbegin(), wanted.cend());
    });
}

} // namespace qmigrate
