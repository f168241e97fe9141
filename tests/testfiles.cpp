// SPDX-License-Identifier: MIT
#include "testfiles.h"

#include <QDir>
#include <QFile>

using namespace Qt::StringLiterals;

bool copyExample(const QString &to)
{
    const QString exampleDir = QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations"_s;
    if (!QDir().mkpath(to + u"/versions"_s))
        return false;
    for (const QString &name : {u"alembic.ini"_s, u"script.sql.tmpl"_s, u"schema.sql"_s}) {
        if (!QFile::copy(exampleDir + u'/' + name, to + u'/' + name))
            return false;
    }
    const QDir versions(exampleDir + u"/versions"_s);
    for (const QString &name : versions.entryList({u"*.sql"_s}, QDir::Files)) {
        if (!QFile::copy(versions.filePath(name), to + u"/versions/"_s + name))
            return false;
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}
