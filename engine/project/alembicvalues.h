// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"
#include "core/expected.h"

#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

namespace qmigrate {

// The revision fields only Python can compute (branch_labels = (helpers.label_for(__file__),)), as the
// project's own Alembic sees them: one run of qmigrate's driver (QMIGRATE_ACTION=values) for the whole
// project loads the files asked for and reports their module attributes.
//
// Answers are cached on disk per file (its checksum, the ini and the section make the key) together with the
// project modules the run imported and their SHA-256, so that opening the project again starts no Python
// while neither the revision nor those modules changed.
class AlembicValues
{
public:
    struct File
    {
        QString path;
        QString checksum; // Revision::checksum
    };

    struct Request
    {
        QString iniPath;
        QString section = QStringLiteral("alembic");
        QList<File> files;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        QString cacheFolder; // empty: defaultCacheFolder()
    };

    struct Values
    {
        QString revision;
        QStringList downRevisions;
        QStringList branchLabels;
        QStringList dependsOn;
        QHash<QString, QString> fieldErrors; // field -> why Alembic's value is no list of strings
    };

    struct Result
    {
        QHash<QString, Values> values; // by File::path
        // Files Alembic could not load (file and line of the failure), or the driver's own failure. Empty
        // when Python did not run at all.
        QList<EngineError> errors;
        QString notRun;         // why Python was not started although values were missing
        bool ranPython = false; // the driver was started
    };

    // The interpreter that runs the driver: asked for only when some file is missing from the cache. An error
    // means no Python can run Alembic: those files get no values (Result::notRun says why).
    using InterpreterProvider = std::function<Expected<QString>()>;

    static Result load(const Request &request, const InterpreterProvider &interpreter);

    // <generic cache folder>/qmigrate/values ($XDG_CACHE_HOME or ~/.cache on Linux).
    static QString defaultCacheFolder();
};

} // namespace qmigrate
