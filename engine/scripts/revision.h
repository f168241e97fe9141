// SPDX-License-Identifier: MIT
#pragma once

#include "scripts/sha256digest.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace qmigrate {

// One revision script as read from disk: what the file declares, before the graph is built.
// Lists keep the order the file gives; the graph (RevisionMap) derives everything else.
struct Revision
{
    enum class Kind { Sql, Python };

    QString id;
    QStringList downRevisions; // versioned parents; empty for a base
    QStringList branchLabels;  // as declared by this file (propagation is the map's job)
    QStringList dependsOn;     // raw entries: ids, partial ids or branch labels
    // First paragraph of the doc (what history lines show). The whole doc is read from the file when asked
    // (RevisionDoc): kept with every revision it would be the largest part of a big project's memory.
    QString message;
    // "Create Date:" text if the file has one, as UTF-8 (read where it is shown: half the size of a QString
    // in every revision).
    QByteArray createDate;
    QString path; // absolute path of the file
    // ScriptChecksum of the file as it was read: what plans carry, so a run can tell that the file on disk is
    // still the text that was planned and shown, and what the audit history compares applied scripts with.
    Sha256Digest checksum;
    Kind kind = Kind::Sql;

    // 1-based lines of the declarations, so errors about a field can name the line.
    int idLine = 0;
    int downRevisionLine = 0;
    int branchLabelsLine = 0;
    int dependsOnLine = 0;

    // Native SQL only: the line of each section's first body line. The bodies stay in the file until asked
    // for (RevisionSections).
    int upgradeLine = 0;
    int downgradeLine = 0;

    // Python only: fields that are not literals. computedFields() says where a value was found
    // ("branch_labels from myproj/db/migration/cli.py:12", "depends_on from Python (Alembic)");
    // unresolvedFields() names those still empty ("branch_labels"), each with a warning, which the project's
    // Alembic may fill.
    const QStringList &computedFields() const;
    const QStringList &unresolvedFields() const;
    void addComputedField(const QString &note);
    void addUnresolvedField(const QString &field);
    // An unresolved field whose value was found after all: no longer unresolved, computed from `origin`.
    void resolveField(const QString &field, const QString &origin);
    bool hasFieldNotes() const { return m_fieldNotes != nullptr; }
    bool sameFieldNotes(const Revision &other) const;

private:
    // Few revisions have any, so the lists live behind one pointer (shared by copies until one changes)
    // rather than as two empty lists in each of 100,000 revisions.
    struct FieldNotes
    {
        QStringList computed;
        QStringList unresolved;
    };
    FieldNotes &fieldNotes();
    std::shared_ptr<FieldNotes> m_fieldNotes;
};

} // namespace qmigrate
