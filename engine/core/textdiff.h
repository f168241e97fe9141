// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace qmigrate {

// A unified diff of two texts, as `diff -u` prints it without timestamps: "--- oldName", "+++ newName", then
// hunks "@@ -l,n +l,n @@" (",n" left out when n is 1, as GNU diff and git do; l is the line before the hunk
// when n is 0) with `context` unchanged lines around each change; hunks whose contexts touch are merged.
// A last line without "\n" is marked "\ No newline at end of file". The edit script comes from dtl's
// O(NP) algorithm; within a change, removed lines come before added ones.
class TextDiff
{
public:
    // Empty when the texts are equal.
    static QString unified(const QString &oldText, const QString &newText, const QString &oldName,
                           const QString &newName, int context = 3);
};

} // namespace qmigrate
