// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "scripts/revision.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

namespace qmigrate {

class Project;
class RevisionMap;

// What `create` / `revision -m` is asked for, in Alembic's terms (docs/alembic-compatibility.md, "Revision
// files, ids and file names").
struct NewRevision
{
    QString message;                           // empty: "empty message" in the file, "" as the slug
    QStringList heads{QStringLiteral("head")}; // --head values; "base" = new root, several = a merge
    bool splice = false;                       // allow a parent that is not a head
    QStringList branchLabels;                  // declared on the new revision; must be new labels
    QStringList dependsOn; // ids, prefixes or labels: stored as full ids, labels kept as labels (Alembic)
    QString revId;         // empty: a fresh 12-hex id
    QString versionPath;   // empty: the only version location, or the parent's
    QString upgradeSql;    // bodies for ${upgrades} / ${downgrades} (autogenerate)
    QString downgradeSql;
    QDateTime createDate; // invalid: now (in the ini's timezone when it sets one)
};

// Writes new native SQL revision files the way Alembic's ScriptDirectory.generate_revision does: parents
// from --head, the file name from file_template, the content from the project's script.sql.tmpl.
//
// The file is rendered, parsed back with SqlRevisionParser and checked against what was asked for, and
// the project's map is rebuilt in memory with it, before anything touches the disk; it is then written
// with QSaveFile. On any error nothing is written (no file, no directory). Errors about a template name
// the template's file and line; refusals about the graph use Alembic's texts.
class RevisionWriter
{
public:
    // The revision as written and read back (path is the new file's absolute path).
    static Expected<Revision> create(const Project &project, const NewRevision &request);
    // `merge`: a revision whose parents are the given revisions (each resolved like --head; "heads" = every
    // head). Fewer than two distinct revisions is an error.
    static Expected<Revision> merge(const Project &project, const QStringList &revisions,
                                    const QString &message, const QStringList &branchLabels = {},
                                    const QString &revId = {});

    // The parts, public for tests and for the GUI's "New revision" preview.

    // 12 lower-case hex characters from the system's random source (Alembic: uuid4().hex[-12:]).
    static QString newRevisionId();
    // Alembic's slug: the \w+ runs of the message joined by "_", lower-cased; longer than truncateLength
    // -> cut there, back to the last "_", and "_" appended.
    static QString slug(const QString &message, int truncateLength);
    // file_template ("%(rev)s_%(slug)s", Python %-formatting with named tokens rev, slug, epoch, year,
    // month, day, hour, minute, second) + ".sql". Unknown tokens and bad conversions are errors.
    static Expected<QString> fileName(const QString &fileTemplate, const QString &revId, const QString &slug,
                                      const QDateTime &createDate);
    // Python's str(datetime): "YYYY-MM-DD HH:MM:SS.ffffff" (fraction left out when zero), plus "+HH:MM"
    // when withOffset.
    static QString createDateText(const QDateTime &createDate, bool withOffset);
    // ${name} substitution. A value spanning several lines gets the text before its placeholder (e.g. the
    // "-- " of a comment) repeated on each following line. An unknown ${name} or an unclosed "${" is an
    // error naming templatePath and its line.
    static Expected<QString> renderTemplate(const QString &templatePath, const QString &templateText,
                                            const QHash<QString, QString> &values);
    // The parents --head values resolve to, as generate_revision resolves them (Alembic's refusals:
    // several heads for "head" (the heads are listed), duplicates, a non-head without splice).
    static Expected<QList<int>> resolveParents(const RevisionMap &map, const QStringList &heads, bool splice);
    // The depends_on entries --depends-on values become, as generate_revision makes them: a label stays a
    // label, anything else becomes the full id. Each names exactly one revision ("base" is refused).
    static Expected<QStringList> resolveDependencies(const RevisionMap &map, const QStringList &dependsOn);
};

} // namespace qmigrate
