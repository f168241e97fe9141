// SPDX-License-Identifier: MIT
#include "authoring/projectinitializer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

struct Entry
{
    QString name;     // in the new project
    QString resource; // template name under :/qmigrate/templates/, empty for a directory
};

const QList<Entry> &entries()
{
    static const QList<Entry> list = {
        {u"alembic.ini"_s, u"alembic.ini.tmpl"_s},
        {u"script.sql.tmpl"_s, u"script.sql.tmpl"_s},
        {u"schema.sql"_s, u"schema.sql.tmpl"_s},
        {u"README.md"_s, u"README.md.tmpl"_s},
        {u"versions"_s, {}},
    };
    return list;
}

void rollBack(const ProjectInitializer::Result &done)
{
    for (auto it = done.writtenFiles.crbegin(); it != done.writtenFiles.crend(); ++it)
        QFile::remove(*it);
    for (auto it = done.createdDirectories.crbegin(); it != done.createdDirectories.crend(); ++it)
        QDir().rmdir(*it);
}

} // namespace

QStringList ProjectInitializer::entryNames()
{
    QStringList names;
    for (const Entry &entry : entries())
        names.append(entry.name);
    return names;
}

QString ProjectInitializer::templateText(const QString &name)
{
    QFile file(u":/qmigrate/templates/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

Expected<ProjectInitializer::Result> ProjectInitializer::init(const QString &directory)
{
    if (directory.isEmpty())
        return EngineError(u"No directory given"_s, EngineError::Kind::Usage);
    const QString root = QDir::cleanPath(QFileInfo(directory).absoluteFilePath());
    const QFileInfo rootInfo(root);
    if (rootInfo.exists() && !rootInfo.isDir())
        return EngineError(u"Not a directory"_s, root, 0, {}, EngineError::Kind::Usage);

    // Checked up front so that a refusal leaves everything as it was.
    QStringList present;
    for (const Entry &entry : entries()) {
        if (QFileInfo::exists(root + u'/' + entry.name))
            present.append(entry.name);
    }
    if (!present.isEmpty()) {
        const bool project = present.contains(u"alembic.ini"_s) || present.contains(u"versions"_s);
        return EngineError(
            project ? u"The directory already holds a project (%1 present); nothing was written"_s.arg(
                          present.join(u", "_s))
                    : u"The directory already has %1; init writes nothing over existing files"_s.arg(
                          present.join(u", "_s)),
            root, 0, {}, EngineError::Kind::Usage);
    }
    for (const Entry &entry : entries()) {
        if (!entry.resource.isEmpty() && !QFileInfo::exists(u":/qmigrate/templates/"_s + entry.resource))
            return EngineError(u"Internal error: template %1 is not bundled"_s.arg(entry.resource));
    }

    Result result;
    result.iniPath = root + u"/alembic.ini"_s;
    for (QString dir = root; !QFileInfo::exists(dir); dir = QFileInfo(dir).absolutePath())
        result.createdDirectories.prepend(dir);
    if (!result.createdDirectories.isEmpty() && !QDir().mkpath(root)) {
        rollBack(result);
        return EngineError(u"Cannot create directory %1"_s.arg(root), root, 0);
    }

    for (const Entry &entry : entries()) {
        const QString path = root + u'/' + entry.name;
        if (entry.resource.isEmpty()) {
            if (!QDir().mkdir(path)) {
                rollBack(result);
                return EngineError(u"Cannot create directory %1"_s.arg(path), path, 0);
            }
            result.createdDirectories.append(path);
            // Git keeps no empty directories; without it a fresh clone would lack versions/.
            const QString keep = path + u"/.gitkeep"_s;
            QFile keepFile(keep);
            if (!keepFile.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
                rollBack(result);
                return EngineError(u"Cannot write %1: %2"_s.arg(keep, keepFile.errorString()), keep, 0);
            }
            keepFile.close();
            result.writtenFiles.append(keep);
            continue;
        }
        QFile source(u":/qmigrate/templates/"_s + entry.resource);
        QSaveFile file(path);
        if (!source.open(QIODevice::ReadOnly) || !file.open(QIODevice::WriteOnly)) {
            rollBack(result);
            return EngineError(u"Cannot write %1: %2"_s.arg(path, file.errorString()), path, 0);
        }
        const QByteArray bytes = source.readAll();
        if (file.write(bytes) != bytes.size() || !file.commit()) {
            rollBack(result);
            return EngineError(u"Cannot write %1: %2"_s.arg(path, file.errorString()), path, 0);
        }
        result.writtenFiles.append(path);
    }
    return result;
}

} // namespace qmigrate
