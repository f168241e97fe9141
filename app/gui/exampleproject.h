// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QString>

// The example project shipped with qmigrate (share/qmigrate/examples beside the executable's bin/, in a
// build tree as in an installation), and the user's own copy of it. The shipped files may be read-only and
// the example's SQLite database is created next to its alembic.ini, so the window opens the copy.
class ExampleProject
{
public:
    // The shipped example's folder, or an empty string when this installation has none.
    static QString bundledDirectory();

    // The alembic.ini of the user's copy (in the application's data folder), made from the shipped example
    // when there is none yet; an existing copy is kept as it is, with the user's changes and database.
    static qmigrate::Expected<QString> userCopy();

    // Where userCopy() puts the copy.
    static QString userCopyDirectory();
};
