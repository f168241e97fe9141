// SPDX-License-Identifier: MIT
#include "graphfixture.h"

#include <QFile>
#include <QStringList>

using namespace Qt::StringLiterals;

QList<qmigrate::Revision> parseGraph(const QString &caseName, const QString &text)
{
    QList<qmigrate::Revision> revisions;
    for (const QString &raw : text.split(QLatin1Char('\n'))) {
        QString line = raw.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        QString message;
        if (const qsizetype dashes = line.indexOf(u" -- "_s); dashes >= 0) {
            message = line.mid(dashes + 4).trimmed();
            line.truncate(dashes);
        }
        const QStringList tokens = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        qmigrate::Revision revision;
        revision.id = tokens.first();
        for (const QString &token : tokens.mid(1)) {
            if (token.startsWith(u"dep:"_s))
                revision.dependsOn.append(token.mid(4));
            else if (token.startsWith(u"label:"_s))
                revision.branchLabels.append(token.mid(6));
            else
                revision.downRevisions.append(token);
        }
        revision.path = u"%1/versions/%2.sql"_s.arg(caseName, revision.id);
        revision.idLine = 1;
        revision.downRevisionLine = 2;
        revision.branchLabelsLine = 3;
        revision.dependsOnLine = 4;
        revision.message = message.isEmpty() ? revision.id : message;
        revisions.append(revision);
    }
    return revisions;
}

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}
