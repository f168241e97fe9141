// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace qmigrate {

// Names that come from files and end up in SQL, in messages or on a terminal (version table and schema,
// revision ids and labels): the checks that refuse hostile ones before anything runs.
class NameCheck
{
public:
    // Empty when `name` has no control character; else which one and where: "the control character U+0000
    // at position 4". A NUL would cut the name short in C strings and in SQL texts; the others rewrite
    // terminals and logs.
    static QString controlCharacter(const QString &name);
    // `name` for a message: control characters as \u escapes, the rest as it is.
    static QString printable(const QString &name);
};

} // namespace qmigrate
