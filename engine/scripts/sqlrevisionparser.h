// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "scripts/revision.h"
#include "scripts/revisionsections.h"

#include <QByteArray>
#include <QString>

namespace qmigrate {

// Reads a native SQL revision (docs/native-revisions.md): a block of "-- " comment lines holding the
// message and "Revision ID:", "Revises:", "Branch labels:", "Depends on:", "Create Date:" fields, then the
// "-- migrate:upgrade" and "-- migrate:downgrade" sections. Errors name the file and line.
class SqlRevisionParser
{
public:
    // The header only; with `sections`, the bodies of the two sections too (RevisionSections::read); with
    // `longDoc`, the whole comment block as the doc (RevisionDoc::read).
    static Expected<Revision> parse(const QString &path, const QByteArray &content,
                                    RevisionSections *sections = nullptr, QString *longDoc = nullptr);
};

} // namespace qmigrate
