// SPDX-License-Identifier: MIT
#include "workspace/projectsession.h"

#include "common/databasejobqueue.h"
#include "project/project.h"
#include "project/pythoninterpreter.h"
#include "workspace/liveproject.h"

#include <QFileInfo>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// Settings keys with their meaning, in one place.
const auto recentProjectsKey = u"projects/recent"_s;        // QStringList, newest first
const auto pythonInterpretersKey = u"pythonInterpreters"_s; // alembic.ini path -> interpreter
const auto includeNameNotedKey = u"includeNameNoteShown"_s; // alembic.ini paths told about include_name

} // namespace

ProjectSession::ProjectSession(QObject *parent)
    : QObject(parent)
    , m_live(new LiveProject(this))
    , m_settings(std::make_unique<QSettings>())
    , m_recent(m_settings->value(recentProjectsKey).toStringList())
{
    // One thread is enough: each write takes whatever the settings hold by then.
    m_settingsWriter.setMaxThreadCount(1);
    connect(m_live, &LiveProject::projectChanged, this, &ProjectSession::onProjectChanged);
    connect(m_live, &LiveProject::opened, this, &ProjectSession::onOpened);
    connect(m_live, &LiveProject::openFailed, this, [this](const QString &path, const EngineError &error) {
        emit logError(error);
        emit openFailed(path, error);
    });
    connect(m_live, &LiveProject::problemChanged, this, [this] {
        if (const std::optional<EngineError> &problem = m_live->problem())
            emit logWarning(*problem);
        emit problemChanged();
    });
    connect(&m_pythonCheck, &QFutureWatcherBase::finished, this, [this] {
        m_pythonStatus = m_pythonCheck.result();
        emit logLine(tr("Python for this Alembic project: %1").arg(m_pythonStatus));
        emit pythonChecked(m_pythonStatus);
    });
}

ProjectSession::~ProjectSession()
{
    m_pythonCheck.waitForFinished();
    m_settingsWriter.waitForDone();
}

void ProjectSession::setJobQueue(DatabaseJobQueue *jobs)
{
    if (m_jobs)
        disconnect(m_jobs, nullptr, this, nullptr);
    m_jobs = jobs;
    m_adoptionToken = 0;
    if (m_jobs)
        connect(m_jobs, &DatabaseJobQueue::databaseAdopted, this, &ProjectSession::onAdopted);
}

std::shared_ptr<const Project> ProjectSession::project() const
{
    return m_live->project();
}

void ProjectSession::open(const QString &path)
{
    const QString iniPath = Project::iniPathFor(path);
    if (iniPath.isEmpty()) {
        // Reported from the event loop, as every other outcome of opening is.
        const EngineError error(
            tr("No alembic.ini in %1 (pick the project's alembic.ini or the folder holding it)").arg(path));
        QMetaObject::invokeMethod(
            this, [this, path, error] { emit openFailed(path, error); }, Qt::QueuedConnection);
        return;
    }
    emit loading(iniPath);
    const QString python = interpreterFor(iniPath);
    m_live->setPythonInterpreter(python, python.isEmpty() ? QString() : pythonSettingSource());
    m_live->open(iniPath);
}

void ProjectSession::reload()
{
    m_live->reload();
}

Expected<ProjectInitializer::Result> ProjectSession::create(const QString &directory)
{
    Expected<ProjectInitializer::Result> created = ProjectInitializer::init(directory);
    if (!created) {
        emit logError(created.error());
        return created;
    }
    for (const QString &file : created->writtenFiles)
        emit logLine(tr("Created %1").arg(file));
    open(created->iniPath);
    return created;
}

void ProjectSession::adopt(const QString &directory, const DatabaseUrl &url)
{
    if (!m_jobs) {
        // Reported from the event loop, as the job queue's answer would be.
        const EngineError error(tr("No database job queue to adopt %1 with").arg(url.toDisplayString()),
                                EngineError::Kind::Usage);
        QMetaObject::invokeMethod(
            this,
            [this, error] {
                emit logError(error);
                emit adoptionFinished(false, QString(), error);
            },
            Qt::QueuedConnection);
        return;
    }
    m_adoptedDatabase = url.toDisplayString();
    m_adoptionToken = m_jobs->adoptDatabase(directory, url);
}

void ProjectSession::onAdopted(quint64 token, bool ok, const QString &iniPath, const EngineError &error)
{
    if (token != m_adoptionToken)
        return;
    m_adoptionToken = 0;
    if (!ok) {
        emit logError(error);
        emit adoptionFinished(false, QString(), error);
        return;
    }
    emit logLine(
        tr("Adopted %1 into %2: baseline written, database stamped").arg(m_adoptedDatabase, iniPath));
    // The adopter wrote the project; the live project reads it, as it reads any other.
    open(iniPath);
    emit adoptionFinished(true, iniPath, EngineError());
}

void ProjectSession::onOpened(const QString &iniPath)
{
    remember(iniPath);
    // The project names its database (sqlalchemy.url, or the DB_* environment); one that does not parse is
    // worth a warning, though the project opens and another connection can be picked.
    const Expected<DatabaseUrl> url = project()->config().databaseUrl();
    if (!url && !project()->config().urlText().isEmpty())
        emit logWarning(url.error());
    emit opened(iniPath);
}

void ProjectSession::onProjectChanged(const std::shared_ptr<const Project> &project, bool reread)
{
    emit projectChanged(project, reread);
    const QString iniPath = project->config().iniPath();
    const int revisions = int(project->map().size());
    emit logLine(reread ? tr("Read %1 again: %n revision(s)", nullptr, revisions).arg(iniPath)
                        : tr("Opened %1: %n revision(s)", nullptr, revisions).arg(iniPath));
    for (const EngineError &warning : project->warnings())
        emit logWarning(warning);
}

QStringList ProjectSession::recentProjects()
{
    return QSettings().value(recentProjectsKey).toStringList();
}

QString ProjectSession::startupProject()
{
    const QStringList recent = recentProjects();
    if (!recent.isEmpty() && QFileInfo(recent.first()).isFile())
        return recent.first();
    return {};
}

void ProjectSession::remember(const QString &iniPath)
{
    // Writing the settings file (a lock file, the file, fdatasync) took a millisecond or two of the pass that
    // shows the opened project. The list is set here, in the process's shared copy of the settings, which
    // every QSettings of the process reads at once; a worker writes that copy to disk. m_settings lives on
    // rather than flushing as it goes out of scope (should its own deferred flush come first, or the worker
    // fail, that flush writes the file), and is read without constructing another QSettings, which reads
    // and parses the file again.
    QStringList recent = m_settings->value(recentProjectsKey).toStringList();
    const QString path = QFileInfo(iniPath).absoluteFilePath();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > maximumRecentProjects)
        recent.removeLast();
    m_settings->setValue(recentProjectsKey, recent);
    m_recent = recent;
    m_settingsWriter.start([] { QSettings().sync(); });
    emit recentProjectsChanged();
}

QString ProjectSession::pythonInterpreterFor(const QString &iniPath)
{
    return QSettings().value(pythonInterpretersKey).toMap().value(iniPath).toString();
}

QString ProjectSession::interpreterFor(const QString &iniPath) const
{
    return m_settings->value(pythonInterpretersKey).toMap().value(iniPath).toString();
}

QString ProjectSession::pythonSettingSource()
{
    return tr("the project's Python interpreter setting");
}

QString ProjectSession::pythonInterpreter() const
{
    const std::shared_ptr<const Project> current = project();
    return current ? interpreterFor(current->config().iniPath()) : QString();
}

void ProjectSession::setPythonInterpreter(const QString &program)
{
    const std::shared_ptr<const Project> current = project();
    if (!current)
        return;
    QSettings settings;
    QVariantMap interpreters = settings.value(pythonInterpretersKey).toMap();
    if (program.trimmed().isEmpty())
        interpreters.remove(current->config().iniPath());
    else
        interpreters.insert(current->config().iniPath(), program.trimmed());
    settings.setValue(pythonInterpretersKey, interpreters);
    const QString python = pythonInterpreter();
    emit pythonInterpreterChanged(python);
    // Revision values only Python could read are read again with the new choice.
    m_live->setPythonInterpreter(python, python.isEmpty() ? QString() : pythonSettingSource());
    m_live->reload();
}

void ProjectSession::checkPythonInterpreter()
{
    m_pythonStatus.clear();
    const std::shared_ptr<const Project> current = project();
    if (!current || !current->isAlembicPython())
        return;
    const QString iniPath = current->config().iniPath();
    QStringList noted = m_settings->value(includeNameNotedKey).toStringList();
    if (!noted.contains(iniPath)) {
        // Once per project: plain Alembic's autogenerate would propose dropping qmigrate's audit table.
        emit logLine(tr("qmigrate keeps its audit history in the table qmigrate_history. If you also run "
                        "plain Alembic's revision --autogenerate on this database, leave it out in env.py: "
                        "context.configure(..., include_name=lambda name, type_, parents: not (type_ == "
                        "\"table\" and name in (\"qmigrate_history\", \"sqlite_sequence\"))). See "
                        "docs/alembic-projects.md."));
        noted.append(iniPath);
        m_settings->setValue(includeNameNotedKey, noted);
        m_settingsWriter.start([] { QSettings().sync(); });
    }
    // The check runs the interpreter (a fraction of a second): never on the UI thread.
    const QString program = pythonInterpreter();
    PythonInterpreter::Request request;
    request.explicitProgram = program;
    request.explicitSource = program.isEmpty() ? QString() : pythonSettingSource();
    request.iniPath = iniPath;
    m_pythonCheck.setFuture(QtConcurrent::run([request] {
        const Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        if (!info)
            return info.error().message();
        return info->canRunAlembic() ? info->summary() : info->installAdvice();
    }));
}

} // namespace qmigrate
