// SPDX-License-Identifier: MIT
#pragma once

#include "schema/schemasnapshot.h"

#include <QList>
#include <QString>

namespace qmigrate {

// One difference between two SchemaSnapshots, as the step that would take the first to the second.
struct SchemaChange
{
    enum class Kind {
        CreateTable,
        DropTable,
        AddColumn,
        DropColumn,
        AlterColumnType,
        AlterColumnNullability,
        AlterColumnDefault, // the default expression or the autoincrement generator
        AddIndex,
        DropIndex,
        AddUnique,
        DropUnique,
        AddForeignKey,
        DropForeignKey,
        AddCheck,
        DropCheck,
        CreateView,
        DropView,
        AlterPrimaryKey,
    };

    Kind kind = Kind::CreateTable;
    QString table; // the table, or the view for CreateView/DropView
    // The column, index or constraint; a constraint without a name (SQLite) is its description, e.g.
    // "(location_id) references locations (id)". Empty for table, view and primary key changes.
    QString name;
    // What the two snapshots hold, spelled as SchemaSnapshot::toText does ("varchar(64)", "not null",
    // "default 'UTC'"); empty on the side that has nothing.
    QString before;
    QString after;

    // One readable line, e.g. "alter column type devices.name: varchar(50) -> varchar(100)".
    QString toString() const;
    bool operator==(const SchemaChange &) const = default;
};

// The differences between two snapshots of the same backend, as changes. Columns are matched by name,
// indexes by their whole definition (a changed index is a drop and an add), unique constraints, foreign
// keys and checks by their whole value (names included), views by name and definition (a changed view is a
// drop and a create). Column order is not compared. Renames cannot be told from a drop and an add.
class SchemaDiff
{
public:
    // Deterministic order: tables in name order (the union of both), each with its column changes in column
    // order (drops first, then adds in `to`'s order, then alterations), primary key, unique constraints,
    // indexes, foreign keys, checks, each drops before adds; then views in name order. Empty exactly when
    // the snapshots are equal apart from column order.
    static QList<SchemaChange> compare(const SchemaSnapshot &from, const SchemaSnapshot &to);

    static QString describe(const SchemaColumn &column);  // "varchar(64) not null default 'x'"
    static QString describe(const SchemaIndex &index);    // "[unique ](a, b)[ using m][ where p]"
    static QString describe(const SchemaKey &key);        // "(a, b)"
    static QString describe(const SchemaForeignKey &key); // "(a) references t (id)[ on delete …]"
    static QString describe(const SchemaCheck &check);    // "(expression)"
};

} // namespace qmigrate
