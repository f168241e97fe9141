// SPDX-License-Identifier: MIT
#pragma once

#include "scripts/revision.h"

#include <QList>
#include <QString>

// graph.txt, the compact graph format of tests/data/graphs, tests/data/plans and tests/data/lanes: one
// revision per line in load order, "<id> [parent ...] [dep:<id|label> ...] [label:<name> ...] [-- message]";
// '#' starts a comment line. Without a message the id is the message. Every revision gets the fake path
// "<case>/versions/<id>.sql" and fixed declaration lines (id 1, down_revision 2, branch_labels 3,
// depends_on 4) so that errors naming a file and a line can be checked.
QList<qmigrate::Revision> parseGraph(const QString &caseName, const QString &text);

// The file's text, or a null string when it cannot be read.
QString readFile(const QString &path);
