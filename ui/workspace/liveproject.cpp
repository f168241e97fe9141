// SPDX-License-Identifier: MIT
#include "workspace/liveproject.h"

#include "project/project.h"
#include "scripts/scriptchecksum.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>
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
        if (x.computedFields != y.computedFields || x.unresolvedFields != y.unresolvedFields ||
            x.downRevisions != y.downRevisions || x.branchLabels != y.branchLabels ||
            x.dependsOn != y.dependsOn)
            return false;
    }
    return true;
}

} // namespace

struct LiveProject::LoadResult
{
    std::optional<Project> project;
    EngineError error;
    QString iniChecksum;
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
    m_load.setFuture(QtConcurrent::run([iniPath, options] {
        auto result = std::make_shared<LoadResult>();
        result->iniChecksum = iniChecksum(iniPath);
        Expected<Project> project = Project::open(iniPath, options);
        if (project)
            result->project.emplace(std::move(project.value()));
        else
            result->error = project.error();
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
        const bool unchanged = reread && m_project && result->iniChecksum == m_iniChecksum &&
                               sameScripts(*m_project, *result->project);
        if (!unchanged) {
            m_project = std::make_shared<const Project>(std::move(*result->project));
            m_iniChecksum = result->iniChecksum;
            watch(m_project);
            emit projectChanged(m_project, reread);
            if (!reread)
                emit opened(path);
        }
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
