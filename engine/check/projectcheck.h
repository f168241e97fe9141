// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "project/project.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace qmigrate {

// One problem `check` finds. message is the whole text a person reads (one or more lines, ending in a
// newline); the other members are the details a program reads, set for the kinds they belong to.
struct CheckFinding
{
    enum class Kind { MultipleHeads, InterruptedStep, EditedSinceApplied, SchemaDiffers };

    Kind kind = Kind::MultipleHeads;
    QString revision; // InterruptedStep, EditedSinceApplied
    QString message;
    QStringList heads;       // MultipleHeads: the real heads' ids
    QString direction;       // InterruptedStep: HistoryEntry::directionName
    QString progress;        // InterruptedStep: what of the step committed (the journal's text)
    QString path;            // EditedSinceApplied: the revision's file; SchemaDiffers: the model
    QDateTime appliedAt;     // EditedSinceApplied
    QString diff;            // EditedSinceApplied: applied text against the file now
    QStringList differences; // SchemaDiffers: head first, then the model

    // "multiple-heads", "interrupted-step", "edited-since-applied", "schema-differs".
    static QString kindName(Kind kind);
};

// `check` as one call: several real heads; over one connection to the project's database, steps a killed
// run left half done and applied scripts edited since they were applied (a database without a version table
// is only checked for heads); when the project keeps a schema.sql model and has one head, the schema the
// revisions build at head against the model (both built on scratch databases of the configured backend).
class ProjectCheck
{
public:
    // The findings in the order they are found, each also passed to `found` as soon as it is, so that what
    // was found can be shown before a later part of the check fails. An error (no URL, no connection, rows
    // the scripts lack, a model that does not build) ends the check.
    static Expected<QList<CheckFinding>> run(const Project &project,
                                             const QString &applicationName = QStringLiteral("qmigrate"),
                                             const std::function<void(const CheckFinding &)> &found = {});
};

} // namespace qmigrate
