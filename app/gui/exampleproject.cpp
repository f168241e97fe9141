// SPDX-License-Identifier: MIT
#include "exampleproject.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;
using qmigrate::EngineError;
using qmigrate::Expected;

namespace {

const QString iniName = u"alembic.ini"_s;

// Copies the files of `from` into `to` (created), sub-folders included. The copies are writable by the user
// whatever the shipped files' permissions are: the user edits revisions and the database lands beside them.
Expected<void> copyTree(const QString &from, const QString &to)
{
    const QDir source(from);
    QDirIterator files(from, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString file = files.next();
        const QString target = QDir(to).filePath(source.relativeFilePath(file));
        if (!QDir().mkpath(QFileInfo(target).absolutePath()))
            return EngineError(QCoreApplication::translate("ExampleProject", "Cannot create the folder %1")
                                   .arg(QDir::toNativeSeparators(QFileInfo(target).absolutePath())));
        if (!QFile::copy(file, target))
            return EngineError(QCoreApplication::translate("ExampleProject", "Cannot copy %1 to %2")
                                   .arg(QDir::toNativeSeparators(file), QDir::toNativeSeparators(target)));
        QFile::setPermissions(target, QFile::permissions(target) | QFile::ReadOwner | QFile::WriteOwner);
    }
    return {};
}

} // namespace

QString ExampleProject::bundledDirectory()
{
    const QString directory =
        QDir::cleanPath(QCoreApplication::applicationDirPath() + u"/../share/qmigrate/examples"_s);
    return QFileInfo::exists(QDir(directory).filePath(iniName)) ? directory : QString();
}

QString ExampleProject::userCopyDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(u"example"_s);
}

Expected<QString> ExampleProject::userCopy()
{
    const QString copy = userCopyDirectory();
    const QString ini = QDir(copy).filePath(iniName);
    if (QFileInfo::exists(ini))
        return ini;
    const QString bundled = bundledDirectory();
    if (bundled.isEmpty())
        return EngineError(
            QCoreApplication::translate("ExampleProject",
                                        "This installation has no example project (looked in %1)")
                .arg(QDir::toNativeSeparators(QDir::cleanPath(QCoreApplication::applicationDirPath() +
                                                              u"/../share/qmigrate/examples"_s))));
    // The copy is made in a sibling folder and renamed at the end, so an interrupted copy is not mistaken
    // for a complete one at the next start.
    QDir parent(QFileInfo(copy).absolutePath());
    const QString partial = copy + u".partial"_s;
    QDir(partial).removeRecursively();
    if (Expected<void> copied = copyTree(bundled, partial); !copied) {
        QDir(partial).removeRecursively();
        return copied.error();
    }
    if (!parent.rename(partial, copy)) {
        QDir(partial).removeRecursively();
        return EngineError(QCoreApplication::translate("ExampleProject", "Cannot create the folder %1")
                               .arg(QDir::toNativeSeparators(copy)));
    }
    return ini;
}
