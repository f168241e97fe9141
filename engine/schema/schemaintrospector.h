// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "schema/schemasnapshot.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace qmigrate {

struct IntrospectOptions
{
    // The schema to read. PostgreSQL: default "public". MariaDB/MySQL: default the connection's current
    // database (DATABASE()). SQLite: default "main"; an attached database's name reads that one.
    QString schema;
    // The version table is never part of the schema (Alembic's version_table); qmigrate_history neither.
    QString versionTable = QStringLiteral("alembic_version");
    // More tables to leave out, by name as the snapshot spells it (views are never excluded).
    QStringList excludedTables;
};

// Reads the tables (columns, primary key, unique constraints, indexes, foreign keys, checks) and views of
// one schema into a SchemaSnapshot, normalised so that two databases of the same backend built by
// equivalent DDL give equal snapshots and databases that differ give different ones. Snapshots of different
// backends are not comparable (types keep each backend's spelling).
//
// Normalisation, in short (each rule is explained next to its code in the .cpp):
//  - names: as the catalog stores them (PostgreSQL has folded unquoted names to lower case; MariaDB keeps
//    case); SQLite names are lower-cased because SQLite compares identifiers case-insensitively;
//  - types: PostgreSQL's format_type spelling (int4 -> integer, varchar(n) -> character varying(n));
//    MariaDB's COLUMN_TYPE without integer display widths (int(11) -> int) except tinyint(1), the boolean;
//    SQLite's declared type as written, lower-cased, with canonical spacing;
//  - defaults and expressions (checks, index expressions, partial-index predicates, views): tokenised and
//    rewritten with canonical spacing, lower-case outside string literals and case-sensitive quoted names,
//    quotes dropped where a name does not need them, comments dropped, one pair of outer parentheses
//    removed; DEFAULT NULL is no default; PostgreSQL casts of a literal to the column's own type are dropped
//    ('x'::text -> 'x'); now() and current_timestamp() are current_timestamp; MariaDB views lose the
//    `database`. qualifier;
//  - generators: PostgreSQL nextval(...) defaults and identity columns, MariaDB auto_increment and SQLite's
//    AUTOINCREMENT are autoIncrement (with no default); counters, definers, engines and charsets are never
//    read;
//  - constraint and index names: PostgreSQL and MariaDB report them (generated ones included, as the
//    server made them); MariaDB's primary key name PRIMARY and every SQLite constraint name except
//    CONSTRAINT-named checks are left empty, SQLite's sqlite_autoindex_* indexes show only as the primary key
//    or unique constraint they back;
//  - MariaDB cannot tell a UNIQUE constraint from a unique index: both are reported as unique constraints.
//  - SQLite CHECK constraints are parsed from the CREATE TABLE text (sqlite_master.sql) with a tokenizer
//    that knows SQLite's strings, quoted names and comments; SQLite keeps no other record of them.
//
// Not read (yet): triggers, sequences, comments, collations, column ON UPDATE clauses (MariaDB), PostgreSQL
// exclusion constraints, INCLUDE columns and index storage options, materialized views, SQLite virtual
// tables (left out; the shadow tables of an FTS table are ordinary tables and do show).
class SchemaIntrospector
{
public:
    // Reads on db (open, in the calling thread) with catalog queries only; changes nothing. Errors are
    // Kind::Database and name what was being read and the server's message; a schema that does not exist
    // gives an empty snapshot on PostgreSQL and MariaDB and an error on SQLite.
    static Expected<SchemaSnapshot> read(QSqlDatabase &db, DatabaseUrl::Backend backend,
                                         const IntrospectOptions &options = {});
};

} // namespace qmigrate
