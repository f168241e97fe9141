// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

namespace qmigrate {

// `init DIR`: a new native SQL project in DIR, laid out like the bundled example (alembic.ini inside DIR
// with script_location = %(here)s, script.sql.tmpl, versions/, schema.sql, README.md). The texts come from
// the engine's resources (:/qmigrate/templates/), script.sql.tmpl being the bundled example's own file.
class ProjectInitializer
{
public:
    struct Result
    {
        QStringList createdDirectories; // absolute, parents first
        QStringList writtenFiles;       // absolute, in the order written
        QString iniPath;                // DIR/alembic.ini
    };

    // Refuses, writing nothing, when DIR already holds any of the names it would write (a project is
    // there, or files would be overwritten), or when DIR is a file. On a write failure everything written
    // so far is removed again. Errors name the path at fault.
    static Expected<Result> init(const QString &directory);

    // The names init writes into DIR, in order.
    static QStringList entryNames();
    // The text of one bundled template (":/qmigrate/templates/<name>"); empty if there is none.
    static QString templateText(const QString &name);
};

} // namespace qmigrate
