// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace qmigrate {

// The value types of a SchemaSnapshot: what SchemaIntrospector reads from a database, already normalised
// (see schemaintrospector.h for the rules), so that two databases built by equivalent DDL compare equal
// field by field. Identifiers are plain names without quotes; expressions and types are canonical text:
// lower-case outside string literals and case-sensitive quoted identifiers, one space between tokens,
// none inside parentheses or before commas.

struct SchemaColumn
{
    QString name;
    QString type;         // the backend's canonical spelling, e.g. "character varying(64)", "varchar(64)"
    bool nullable = true; // false for NOT NULL (and for SQLite's INTEGER PRIMARY KEY, which cannot be null)
    // None when the column has no default; DEFAULT NULL counts as none (a nullable column defaults to NULL).
    std::optional<QString> defaultExpr;
    // The backend generates values: PostgreSQL serial (a nextval default) or identity, MariaDB
    // AUTO_INCREMENT, SQLite's AUTOINCREMENT keyword. A generator's default is not reported as defaultExpr.
    bool autoIncrement = false;

    bool operator==(const SchemaColumn &) const = default;
};

// A plain index (CREATE INDEX), not one that only backs a primary key or unique constraint.
struct SchemaIndex
{
    QString name;
    // Column names in index order; an expression is written in parentheses, "(lower(name))"; a descending
    // key ends in " desc"; a MariaDB prefix key is "name(10)".
    QStringList columns;
    bool unique = false;
    QString where;  // the predicate of a partial index, empty when none
    QString method; // empty for the backend's default (btree), else e.g. "gin", "fulltext"

    bool operator==(const SchemaIndex &) const = default;
};

// A primary key or unique constraint. The name is empty where the backend keeps none (SQLite) or only a
// fixed one (MariaDB calls every primary key PRIMARY).
struct SchemaKey
{
    QString name;
    QStringList columns;

    bool isEmpty() const { return columns.isEmpty(); }
    bool operator==(const SchemaKey &) const = default;
};

struct SchemaForeignKey
{
    QString name; // empty on SQLite
    QStringList columns;
    QString referencedTable; // "schema.table" only when it lives in another schema than the snapshot
    QStringList referencedColumns;
    QString onDelete = QStringLiteral("no action"); // "no action", "restrict", "cascade", "set null", …
    QString onUpdate = QStringLiteral("no action");

    bool operator==(const SchemaForeignKey &) const = default;
};

struct SchemaCheck
{
    QString name;       // empty on SQLite unless declared with CONSTRAINT name
    QString expression; // without the CHECK keyword and the outer parentheses

    bool operator==(const SchemaCheck &) const = default;
};

struct SchemaTable
{
    QString name;
    QList<SchemaColumn> columns; // in the table's column order
    SchemaKey primaryKey;        // empty columns when the table has none
    // The lists below are sorted (by name, then columns or expression), so that catalog order never matters.
    QList<SchemaKey> uniqueConstraints;
    QList<SchemaIndex> indexes;
    QList<SchemaForeignKey> foreignKeys;
    QList<SchemaCheck> checks;

    const SchemaColumn *column(const QString &name) const; // null when there is none
    bool operator==(const SchemaTable &) const = default;
};

struct SchemaView
{
    QString name;
    QString definition; // the SELECT, normalised as an expression

    bool operator==(const SchemaView &) const = default;
};

// The schema of one database (one schema of it), as SchemaIntrospector reads it. A value: copy freely.
struct SchemaSnapshot
{
    QList<SchemaTable> tables; // sorted by name
    QList<SchemaView> views;   // sorted by name

    const SchemaTable *table(const QString &name) const; // null when there is none
    const SchemaView *view(const QString &name) const;

    // Sorts tables, views and each table's constraint and index lists into the documented order; the
    // introspector does this, code that builds a snapshot by hand calls it before comparing.
    void sort();

    // A stable, readable dump: one line per fact, tables and then views in name order, e.g.
    //   table devices
    //     column id: integer not null
    //     column status: varchar(16) not null default 'active'
    //     primary key (id)
    //     unique devices_serial_number_key (serial_number)
    //     index ix_devices_location_id (location_id)
    //     foreign key (location_id) references locations (id) on delete set null
    //     check (status in ('active', 'retired'))
    //   view device_overview: select …
    // Ends with a newline unless the snapshot is empty.
    QString toText() const;
    // What makes this snapshot differ from other, one human line per difference, this side first:
    //   "table devices: column firmware: type text vs varchar(64)"
    //   "table devices: index ix_devices_model (model): only in this"
    //   "table notes: only in other"
    // Empty exactly when the snapshots are equal. Not DDL: an explanation for tests and `check`.
    QStringList differences(const SchemaSnapshot &other) const;

    bool operator==(const SchemaSnapshot &) const = default;
};

} // namespace qmigrate
