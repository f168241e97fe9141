// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "scripts/revision.h"

#include <QString>

namespace qmigrate {

// The whole doc of a revision (a .py file's module docstring, a native SQL file's comment block), stripped:
// what verbose history, JSON output and the details view show. A loaded revision keeps only its message;
// the doc is read from the file when asked, like the sections (RevisionSections).
class RevisionDoc
{
public:
    // One read of revision.path. Errors name the file: unreadable, changed since the project was loaded
    // (Revision::checksum), or no longer a valid revision file.
    static Expected<QString> read(const Revision &revision);
};

} // namespace qmigrate
