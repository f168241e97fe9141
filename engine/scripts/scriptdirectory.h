// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"
#include "core/expected.h"
#include "scripts/revision.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace qmigrate {

class ModuleConstantResolver;
class ProjectConfig;

// The revision files of a project, in load order: version locations in order, each directory's file names
// sorted (Alembic >= 1.10), sub-directories after the files when recursive. Candidates are "*.sql" and
// "*.py" (not "__init__*", not ".#*"). The load order is the tie-break for every ordering in RevisionMap.
class ScriptDirectory
{
public:
    struct ScanResult
    {
        QList<Revision> revisions;
        QList<EngineError> errors;   // one per malformed file, in load order
        QList<EngineError> warnings; // fields only Python could compute, duplicate file paths, ...
        int headersFromCache = 0;    // revisions served by the HeaderCache, their files not read
    };

    // Scans and parses everything, collecting every error (for the GUI, which lists them all). Unchanged
    // files are served from the project's HeaderCache (QMIGRATE_NO_CACHE turns it off). Fields that are not
    // literals are followed through module constants with `resolver` (by default one that knows no project
    // root: the revision's folder and the packages around it).
    static ScanResult scan(const QStringList &versionLocations, bool recursive = false,
                           ModuleConstantResolver *resolver = nullptr);
    // Scans and fails with the first error (for the CLI and for building a map). With a config, a
    // script_location or version_locations folder that does not exist is an error naming it and the ini's
    // line; the default script_location/versions may be missing (a project with no revision yet).
    static Expected<ScriptDirectory> load(const ProjectConfig &config);
    static Expected<ScriptDirectory> load(const QStringList &versionLocations, bool recursive = false,
                                          ModuleConstantResolver *resolver = nullptr);

    const QList<Revision> &revisions() const { return m_revisions; }
    QList<Revision> takeRevisions() { return std::move(m_revisions); }
    const QList<EngineError> &warnings() const { return m_warnings; }
    QStringList versionLocations() const { return m_versionLocations; }

private:
    QList<Revision> m_revisions;
    QList<EngineError> m_warnings;
    QStringList m_versionLocations;
};

} // namespace qmigrate
