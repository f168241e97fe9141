// SPDX-License-Identifier: MIT
#include "project/pythoninterpreter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

constexpr int probeTimeoutMilliseconds = 30000;

struct Candidate
{
    QString program;
    QString source;
    bool isVirtualEnvironment = false;
};

QString findOnPath(const QString &name, const QProcessEnvironment &environment)
{
    const QStringList path = environment.value(u"PATH"_s).split(u':', Qt::SkipEmptyParts);
    return QStandardPaths::findExecutable(name, path);
}

// A virtual environment's interpreter in `folder`, if there is one.
std::optional<Candidate> virtualEnvironmentIn(const QString &folder, const QString &source)
{
    for (const QString &name : {u"python"_s, u"python3"_s}) {
        const QFileInfo program(folder + u"/bin/"_s + name);
        if (program.exists() && program.isExecutable())
            return Candidate{program.absoluteFilePath(), source, true};
    }
    return std::nullopt;
}

QList<Candidate> automaticCandidates(const PythonInterpreter::Request &request)
{
    QList<Candidate> candidates;
    const QString virtualEnv = request.environment.value(u"VIRTUAL_ENV"_s);
    if (!virtualEnv.isEmpty()) {
        if (auto candidate = virtualEnvironmentIn(virtualEnv, u"$VIRTUAL_ENV"_s))
            candidates.append(*candidate);
    }
    if (!request.iniPath.isEmpty()) {
        const QDir iniFolder = QFileInfo(request.iniPath).absoluteDir();
        QDir parent = iniFolder;
        const bool hasParent = parent.cdUp();
        for (const QString &name : {u".venv"_s, u"venv"_s, u"env"_s}) {
            if (auto candidate =
                    virtualEnvironmentIn(iniFolder.filePath(name), name + u" next to alembic.ini"_s))
                candidates.append(*candidate);
        }
        if (hasParent) {
            for (const QString &name : {u".venv"_s, u"venv"_s, u"env"_s}) {
                if (auto candidate = virtualEnvironmentIn(parent.filePath(name),
                                                          name + u" in the project's parent folder"_s))
                    candidates.append(*candidate);
            }
        }
    }
    const QString onPath = findOnPath(u"python3"_s, request.environment);
    if (!onPath.isEmpty())
        candidates.append({onPath, u"python3 on PATH"_s, false});
    const QString system = u"/usr/bin/python3"_s;
    if (QFileInfo(system).isExecutable())
        candidates.append({system, u"the system's Python"_s, false});
    return candidates;
}

bool sameProgram(const QString &a, const QString &b)
{
    return QFileInfo(a).absoluteFilePath() == QFileInfo(b).absoluteFilePath();
}

PythonInterpreter::Info infoFromProbe(const Candidate &candidate, const QJsonObject &event)
{
    PythonInterpreter::Info info;
    info.program = candidate.program;
    info.source = candidate.source;
    info.executable = event.value(u"executable"_s).toString();
    info.pythonVersion = event.value(u"python"_s).toString();
    info.alembicVersion = event.value(u"alembic"_s).toString();
    info.sqlalchemyVersion = event.value(u"sqlalchemy"_s).toString();
    info.dbapiModule = event.value(u"dbapi"_s).toString();
    info.urlError = event.value(u"url_error"_s).toString();
    info.virtualEnvironment =
        candidate.isVirtualEnvironment ||
        QFileInfo::exists(QFileInfo(candidate.program).absolutePath() + u"/../pyvenv.cfg"_s);
    for (const QJsonValue &module : event.value(u"missing"_s).toArray())
        info.missing.append(module.toString());
    return info;
}

// Runs the driver's probe in `candidate`: which Python, which Alembic and SQLAlchemy, whether the URL's DBAPI
// module imports. The answer is the probe's JSON event.
Expected<QJsonObject> runProbe(const Candidate &candidate, const PythonInterpreter::Request &request)
{
    const QString driver = PythonInterpreter::driverPath();
    if (driver.isEmpty())
        return EngineError(
            u"qmigrate's Alembic driver (qmigrate_alembic_driver.py) is missing from this "
            u"installation (looked in share/qmigrate next to the program and in %1); reinstall "
            u"qmigrate"_s.arg(QStringLiteral(QMIGRATE_INSTALL_DATADIR "/qmigrate")));
    QProcess process;
    QProcessEnvironment environment = request.environment;
    environment.insert(u"QMIGRATE_ACTION"_s, u"probe"_s);
    if (!request.databaseUrl.isEmpty())
        environment.insert(u"QMIGRATE_URL"_s, request.databaseUrl);
    else
        environment.remove(u"QMIGRATE_URL"_s);
    environment.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    process.setProcessEnvironment(environment);
    process.start(candidate.program, {driver});
    if (!process.waitForStarted(probeTimeoutMilliseconds))
        return EngineError(u"Cannot start the Python interpreter %1 (%2): %3"_s.arg(
            QDir::toNativeSeparators(candidate.program), candidate.source, process.errorString()));
    process.closeWriteChannel();
    if (!process.waitForFinished(probeTimeoutMilliseconds)) {
        process.kill();
        process.waitForFinished(5000);
        return EngineError(u"The Python interpreter %1 (%2) did not answer within %3 s"_s
                               .arg(QDir::toNativeSeparators(candidate.program), candidate.source)
                               .arg(probeTimeoutMilliseconds / 1000));
    }
    const QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(u"e"_s).toString() == u"probe"_s)
            return event;
    }
    const QString errors = QString::fromUtf8(process.readAllStandardError()).trimmed();
    return EngineError(u"The Python interpreter %1 (%2) could not run qmigrate's driver%3"_s.arg(
        QDir::toNativeSeparators(candidate.program), candidate.source,
        errors.isEmpty() ? QString() : u": "_s + errors.split(u'\n').last()));
}

// A probe costs a Python start and the import of SQLAlchemy (a good part of a second), once per candidate
// and per command. Its answer is kept on disk and reused while nothing it depends on has changed: the
// interpreter (and the file a link or wrapper resolves to), the driver, the virtual environment's
// pyvenv.cfg and every folder imports come from, which a package installed or removed changes. What else
// decides the answer is in the key: the environment variables Python and pyenv read, the working folder
// (pyenv's .python-version) and the URL's dialect (never its credentials).
constexpr int probeCacheEntries = 64;

QString probeCacheKey(const Candidate &candidate, const PythonInterpreter::Request &request)
{
    QStringList parts{candidate.program, request.databaseUrl.section(u"://"_s, 0, 0), QDir::currentPath()};
    for (const QString &name : {u"PYTHONPATH"_s, u"PYTHONHOME"_s, u"PYTHONNOUSERSITE"_s, u"PYTHONUSERBASE"_s,
                                u"PYTHONSAFEPATH"_s, u"PYENV_VERSION"_s, u"VIRTUAL_ENV"_s, u"HOME"_s})
        parts.append(name + u'=' + request.environment.value(name));
    return parts.join(u'\n');
}

QString fileStamp(const QString &path)
{
    const QFileInfo file(path);
    if (!file.exists())
        return u"-"_s;
    return u"%1/%2"_s.arg(file.lastModified().toMSecsSinceEpoch()).arg(file.isDir() ? 0 : file.size());
}

QJsonObject stampsFor(const Candidate &candidate, const QJsonObject &event)
{
    QStringList paths{candidate.program, QFileInfo(candidate.program).canonicalFilePath(),
                      QFileInfo(candidate.program).absolutePath() + u"/../pyvenv.cfg"_s,
                      PythonInterpreter::driverPath(), event.value(u"executable"_s).toString()};
    for (const QJsonValue &path : event.value(u"paths"_s).toArray())
        paths.append(path.toString());
    QJsonObject stamps;
    for (const QString &path : std::as_const(paths)) {
        if (!path.isEmpty())
            stamps.insert(path, fileStamp(path));
    }
    return stamps;
}

QString probeCachePath(const PythonInterpreter::Request &request)
{
    const QString folder =
        request.cacheFolder.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/qmigrate"_s
            : request.cacheFolder;
    return folder + u"/python-probes.json"_s;
}

QJsonObject readProbeCache(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

std::optional<QJsonObject> cachedProbe(const QString &cachePath, const QString &key,
                                       const Candidate &candidate)
{
    const QJsonObject entry = readProbeCache(cachePath).value(key).toObject();
    if (entry.isEmpty())
        return std::nullopt;
    const QJsonObject event = entry.value(u"probe"_s).toObject();
    const QJsonObject stamps = entry.value(u"stamps"_s).toObject();
    if (stamps.isEmpty() || stamps != stampsFor(candidate, event))
        return std::nullopt;
    return event;
}

// Two qmigrate processes may store at once: each writes a whole file and renames it into place, so the
// cache is never torn; an entry lost to the other writer is probed again next time.
void storeProbe(const QString &cachePath, const QString &key, const Candidate &candidate,
                const QJsonObject &event)
{
    QJsonObject cache = readProbeCache(cachePath);
    QJsonObject entry;
    entry.insert(u"probe"_s, event);
    entry.insert(u"stamps"_s, stampsFor(candidate, event));
    entry.insert(u"stored"_s, QDateTime::currentMSecsSinceEpoch());
    cache.insert(key, entry);
    while (cache.size() > probeCacheEntries) {
        auto oldest = cache.begin();
        for (auto it = cache.begin(); it != cache.end(); ++it) {
            if (it.value().toObject().value(u"stored"_s).toDouble() <
                oldest.value().toObject().value(u"stored"_s).toDouble())
                oldest = it;
        }
        cache.erase(oldest);
    }
    QDir().mkpath(QFileInfo(cachePath).absolutePath());
    QSaveFile file(cachePath);
    if (!file.open(QIODevice::WriteOnly))
        return; // a cache that cannot be written only costs the next probe
    file.write(QJsonDocument(cache).toJson(QJsonDocument::Compact));
    file.commit();
}

Expected<PythonInterpreter::Info> probe(const Candidate &candidate, const PythonInterpreter::Request &request)
{
    const QString cachePath = probeCachePath(request);
    const QString key = probeCacheKey(candidate, request);
    if (request.useProbeCache) {
        if (const std::optional<QJsonObject> event = cachedProbe(cachePath, key, candidate))
            return infoFromProbe(candidate, *event);
    }
    Expected<QJsonObject> event = runProbe(candidate, request);
    if (!event)
        return event.error();
    if (request.useProbeCache)
        storeProbe(cachePath, key, candidate, *event);
    return infoFromProbe(candidate, *event);
}

// Debian's package for a module of the system interpreter; pip's name inside a virtual environment.
QString debianPackage(const QString &module)
{
    if (module == u"MySQLdb")
        return u"python3-mysqldb"_s;
    return u"python3-"_s + module.toLower();
}

QString pipPackage(const QString &module)
{
    if (module == u"psycopg2")
        return u"psycopg2-binary"_s;
    if (module == u"MySQLdb")
        return u"mysqlclient"_s;
    return module.toLower();
}

} // namespace

bool PythonInterpreter::Info::canRunAlembic() const
{
    return missing.isEmpty() && urlError.isEmpty();
}

QString PythonInterpreter::Info::summary() const
{
    QString text = u"%1 (%2): Python %3"_s.arg(QDir::toNativeSeparators(program), source, pythonVersion);
    text += alembicVersion.isEmpty() ? u", no Alembic"_s : u", Alembic "_s + alembicVersion;
    text += sqlalchemyVersion.isEmpty() ? u", no SQLAlchemy"_s : u", SQLAlchemy "_s + sqlalchemyVersion;
    if (!dbapiModule.isEmpty())
        text += missing.contains(dbapiModule) ? u", no %1"_s.arg(dbapiModule) : u", %1"_s.arg(dbapiModule);
    return text;
}

QString PythonInterpreter::Info::installAdvice() const
{
    if (canRunAlembic())
        return {};
    const QString who = u"The Python interpreter %1 (%2)"_s.arg(QDir::toNativeSeparators(program), source);
    if (!urlError.isEmpty() && missing.isEmpty())
        return u"%1 cannot use the database URL: %2"_s.arg(who, urlError);
    QStringList packages;
    for (const QString &module : missing)
        packages.append(virtualEnvironment ? pipPackage(module) : debianPackage(module));
    const QString install =
        virtualEnvironment
            ? u"%1 -m pip install %2"_s.arg(QDir::toNativeSeparators(program), packages.join(u' '))
            : u"apt-get install %1"_s.arg(packages.join(u' '));
    QString text =
        u"%1 cannot import %2, which running this project's Alembic needs. Install it with: %3"_s.arg(
            who, missing.join(u", "_s), install);
    if (!virtualEnvironment)
        text += u" (or choose another interpreter with --python, $QMIGRATE_PYTHON or the project's Python "
                u"setting)"_s;
    return text;
}

Expected<PythonInterpreter::Info> PythonInterpreter::resolve(const Request &request)
{
    if (!request.explicitProgram.isEmpty()) {
        const QString source = request.explicitSource.isEmpty() ? u"chosen"_s : request.explicitSource;
        QString program = request.explicitProgram;
        if (!program.contains(u'/')) {
            program = findOnPath(program, request.environment);
            if (program.isEmpty())
                return EngineError(u"The Python interpreter \"%1\" (%2) is not on PATH"_s.arg(
                    request.explicitProgram, source));
        } else {
            const QFileInfo file(program);
            const QString advice = u". Point %1 at a Python that has Alembic (on Debian: apt-get install "
                                   u"python3-alembic), or unset "
                                   u"it to detect one"_s.arg(source);
            if (!file.exists())
                return EngineError(u"The Python interpreter %1 (%2) does not exist"_s.arg(
                                       QDir::toNativeSeparators(file.absoluteFilePath()), source) +
                                   advice);
            if (file.isDir() || !file.isExecutable())
                return EngineError(u"The Python interpreter %1 (%2) is not an executable file"_s.arg(
                                       QDir::toNativeSeparators(file.absoluteFilePath()), source) +
                                   advice);
            program = file.absoluteFilePath();
        }
        return probe({program, source, false}, request);
    }

    const QList<Candidate> candidates = automaticCandidates(request);
    if (candidates.isEmpty())
        return EngineError(
            u"No Python interpreter found: none in $VIRTUAL_ENV, no .venv, venv or env next to %1, "
            u"no python3 on PATH and no /usr/bin/python3. Install python3-alembic or choose an "
            u"interpreter with --python or $QMIGRATE_PYTHON"_s.arg(
                QDir::toNativeSeparators(request.iniPath)));
    QStringList skipped;
    QStringList probed;
    std::optional<Info> firstFound;
    std::optional<EngineError> firstError;
    for (const Candidate &candidate : candidates) {
        if (std::any_of(probed.cbegin(), probed.cend(),
                        [&](const QString &program) { return sameProgram(program, candidate.program); }))
            continue;
        probed.append(candidate.program);
        Expected<Info> info = probe(candidate, request);
        if (!info) {
            skipped.append(u"%1 (%2): %3"_s.arg(QDir::toNativeSeparators(candidate.program), candidate.source,
                                                info.error().message()));
            if (!firstError)
                firstError = info.error();
            continue;
        }
        // A virtual environment that exists is what the user set up for this project: it is the answer, and
        // when it lacks Alembic the advice says to install it there.
        const bool hasAlembic =
            !info->missing.contains(u"alembic"_s) && !info->missing.contains(u"sqlalchemy"_s);
        if (candidate.isVirtualEnvironment || hasAlembic) {
            info->skipped = skipped;
            return std::move(info).value();
        }
        skipped.append(u"%1 (%2): no %3"_s.arg(QDir::toNativeSeparators(candidate.program), candidate.source,
                                               info->missing.join(u", "_s)));
        if (!firstFound)
            firstFound = std::move(info).value();
    }
    if (firstFound) {
        // None can run Alembic: the first one that runs, with its advice.
        firstFound->skipped = skipped;
        return *firstFound;
    }
    return *firstError;
}

QString PythonInterpreter::driverPath()
{
    const QString name = u"qmigrate_alembic_driver.py"_s;
    const QString fromEnvironment = qEnvironmentVariable("QMIGRATE_DRIVER");
    if (!fromEnvironment.isEmpty())
        return QFileInfo(fromEnvironment).isFile() ? QFileInfo(fromEnvironment).absoluteFilePath()
                                                   : QString();
    QStringList folders;
    if (QCoreApplication::instance()) {
        const QDir binaries(QCoreApplication::applicationDirPath());
        // Installed: <prefix>/bin/../share/qmigrate; build tree: build/<target folder>/../share/qmigrate.
        folders << binaries.absoluteFilePath(u"../share/qmigrate"_s)
                << binaries.absoluteFilePath(u"../../share/qmigrate"_s);
    }
    folders << QStringLiteral(QMIGRATE_INSTALL_DATADIR "/qmigrate");
    for (const QString &folder : std::as_const(folders)) {
        const QFileInfo file(folder + u'/' + name);
        if (file.isFile())
            return QDir::cleanPath(file.absoluteFilePath());
    }
    return {};
}

} // namespace qmigrate
