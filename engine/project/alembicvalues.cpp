// SPDX-License-Identifier: MIT
#include "project/alembicvalues.h"

#include "project/pythoninterpreter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// Loading every revision of a large project (and what they import) takes seconds, not minutes; a revision
// that blocks at import (a network call, input()) must not hang the project's opening.
constexpr int driverTimeoutMilliseconds = 120000;

QString canonical(const QString &path)
{
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? QFileInfo(path).absoluteFilePath() : resolved;
}

QString cacheKey(const AlembicValues::Request &request, const AlembicValues::File &file)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(file.checksum.toUtf8());
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(canonical(request.iniPath).toUtf8());
    hash.addData(QByteArrayView("\0", 1));
    hash.addData(request.section.toUtf8());
    return QString::fromLatin1(hash.result().toHex());
}

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

AlembicValues::Values valuesOf(const QJsonObject &event)
{
    AlembicValues::Values values;
    values.revision = event.value(u"revision"_s).toString();
    values.downRevisions = stringList(event.value(u"down_revision"_s));
    values.branchLabels = stringList(event.value(u"branch_labels"_s));
    values.dependsOn = stringList(event.value(u"depends_on"_s));
    const QJsonObject errors = event.value(u"errors"_s).toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it)
        values.fieldErrors.insert(it.key(), it.value().toString());
    return values;
}

// The project modules a cached answer was computed from are unchanged (each file read once per load).
class SupportCheck
{
public:
    bool unchanged(const QJsonArray &files)
    {
        for (const QJsonValue &file : files) {
            const QString path = file[u"path"_s].toString();
            auto it = m_sha256.constFind(path);
            if (it == m_sha256.cend()) {
                QFile handle(path);
                QString sha;
                if (handle.open(QIODevice::ReadOnly))
                    sha = QString::fromLatin1(
                        QCryptographicHash::hash(handle.readAll(), QCryptographicHash::Sha256).toHex());
                it = m_sha256.insert(path, sha);
            }
            if (it->isEmpty() || *it != file[u"sha256"_s].toString())
                return false;
        }
        return true;
    }

private:
    QHash<QString, QString> m_sha256;
};

EngineError driverError(const QJsonObject &event, const QString &fallbackFile)
{
    const QString file = event.value(u"file"_s).toString();
    return EngineError(
        u"The project's Alembic could not read the revision: %1"_s.arg(event.value(u"message"_s).toString()),
        file.isEmpty() ? fallbackFile : file, event.value(u"line"_s).toInt());
}

} // namespace

QString AlembicValues::defaultCacheFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/qmigrate/values"_s;
}

AlembicValues::Result AlembicValues::load(const Request &request, const InterpreterProvider &interpreter)
{
    Result result;
    const QString cacheFolder = request.cacheFolder.isEmpty() ? defaultCacheFolder() : request.cacheFolder;
    SupportCheck support;
    QList<File> missing;
    for (const File &file : request.files) {
        QFile cached(cacheFolder + u'/' + cacheKey(request, file) + u".json"_s);
        if (cached.open(QIODevice::ReadOnly)) {
            const QJsonObject entry = QJsonDocument::fromJson(cached.readAll()).object();
            if (!entry.isEmpty() && support.unchanged(entry.value(u"support"_s).toArray())) {
                result.values.insert(file.path, valuesOf(entry));
                continue;
            }
        }
        missing.append(file);
    }
    if (missing.isEmpty())
        return result;

    const Expected<QString> program = interpreter();
    if (!program) {
        result.notRun = program.error().message();
        return result;
    }
    const QString driver = PythonInterpreter::driverPath();
    if (driver.isEmpty()) {
        result.notRun =
            u"qmigrate's Alembic driver (qmigrate_alembic_driver.py) is missing from this installation"_s;
        return result;
    }

    QHash<QString, File> byCanonicalPath;
    QJsonArray paths;
    for (const File &file : std::as_const(missing)) {
        byCanonicalPath.insert(canonical(file.path), file);
        paths.append(file.path);
    }
    QProcessEnvironment environment = request.environment;
    environment.insert(u"QMIGRATE_ACTION"_s, u"values"_s);
    environment.insert(u"QMIGRATE_INI"_s, QFileInfo(request.iniPath).absoluteFilePath());
    environment.insert(u"QMIGRATE_SECTION"_s, request.section);
    environment.insert(u"QMIGRATE_FILES"_s,
                       QString::fromUtf8(QJsonDocument(paths).toJson(QJsonDocument::Compact)));
    environment.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    QProcess process;
    process.setProcessEnvironment(environment);
    // Alembic's prepend_sys_path (". " in its templates) is relative to the working directory, which is the
    // ini's folder when the alembic command runs.
    process.setWorkingDirectory(QFileInfo(request.iniPath).absolutePath());
    result.ranPython = true;
    process.start(*program, {driver});
    if (!process.waitForStarted(driverTimeoutMilliseconds)) {
        result.errors.append(EngineError(u"Cannot start the Python interpreter %1: %2"_s.arg(
            QDir::toNativeSeparators(*program), process.errorString())));
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(driverTimeoutMilliseconds)) {
        process.kill();
        process.waitForFinished(5000);
        result.errors.append(EngineError(
            u"The project's Alembic did not load the revisions within %1 s (a revision waits at import?)"_s
                .arg(driverTimeoutMilliseconds / 1000),
            request.iniPath, 0));
        return result;
    }

    QList<std::pair<File, QJsonObject>> answered;
    QJsonArray supportFiles;
    bool done = false;
    for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        const QString type = event.value(u"e"_s).toString();
        if (type == u"values") {
            const auto it = byCanonicalPath.constFind(canonical(event.value(u"path"_s).toString()));
            if (it == byCanonicalPath.cend())
                continue;
            result.values.insert(it->path, valuesOf(event));
            answered.append({*it, event});
        } else if (type == u"values_error") {
            const QString path = byCanonicalPath.value(canonical(event.value(u"path"_s).toString())).path;
            result.errors.append(driverError(event, path));
        } else if (type == u"error") {
            result.errors.append(driverError(event, request.iniPath));
        } else if (type == u"support") {
            supportFiles = event.value(u"files"_s).toArray();
        } else if (type == u"done") {
            done = true;
        }
    }
    if (!done && result.errors.isEmpty()) {
        const QString errors = QString::fromUtf8(process.readAllStandardError()).trimmed();
        result.errors.append(
            EngineError(u"The Python interpreter %1 could not run qmigrate's driver%2"_s.arg(
                            QDir::toNativeSeparators(*program),
                            errors.isEmpty() ? QString() : u": "_s + errors.split(u'\n').last()),
                        request.iniPath, 0));
    }
    // Only a complete run is cached: the support list of an interrupted one may miss a module.
    if (!done || !QDir().mkpath(cacheFolder))
        return result;
    for (const auto &[file, event] : std::as_const(answered)) {
        QJsonObject entry = event;
        entry.remove(u"e"_s);
        entry.insert(u"ini"_s, canonical(request.iniPath));
        entry.insert(u"section"_s, request.section);
        entry.insert(u"support"_s, supportFiles);
        QSaveFile out(cacheFolder + u'/' + cacheKey(request, file) + u".json"_s);
        // A cache that cannot be written only costs a Python run next time.
        if (out.open(QIODevice::WriteOnly)) {
            out.write(QJsonDocument(entry).toJson(QJsonDocument::Compact));
            out.commit();
        }
    }
    return result;
}

} // namespace qmigrate
