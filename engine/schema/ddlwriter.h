// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "schema/schemasnapshot.h"

#include <QString>
#include <QStringList>

namespace qmigrate {

// The SQL of a revision that autogenerate drafts: DDL for both directions and what a person must check.
struct MigrationDraft
{
    QString upgradeSql; // statements ending in ";" and a newline, "-- qmigrate: …" comment lines between
    QString downgradeSql;
    // Every "-- qmigrate: review: …" line of both sections, without that prefix, each starting with
    // "upgrade: " or "downgrade: ".
    QStringList reviewNotes;

    bool isEmpty() const { return upgradeSql.isEmpty() && downgradeSql.isEmpty(); }
};

// Writes the DDL that takes one snapshot (read by SchemaIntrospector from a database of `backend`) to
// another, in the backend's dialect, ordered so that it runs: views are dropped before the tables they read
// and created after them, foreign keys and referencing tables are dropped before the tables they reference,
// referenced tables are created first (a cycle of new tables gets its foreign keys by ALTER TABLE after the
// tables, except on SQLite, which does not check them at CREATE), indexes follow their tables. Names are
// quoted only where the dialect needs it (Dialect::quoteIdentifierIfNeeded).
//
// SQLite: ADD COLUMN and DROP COLUMN where SQLite allows them, CREATE/DROP INDEX; any other change of a
// table rebuilds it with the recipe of https://www.sqlite.org/lang_altertable.html section 7 (new_X,
// INSERT … SELECT the common columns, DROP, RENAME, indexes), with the views that read it dropped first and
// recreated after.
//
// Nothing is left out silently: what may lose data or fail (dropped tables and columns, narrowing type
// changes, a probable rename written as a drop and an add, NOT NULL on an existing column without a
// default, a generator change PostgreSQL cannot express) gets a "-- qmigrate: review: …" line before the
// statement concerned and an entry in reviewNotes.
class DdlWriter
{
public:
    // An empty draft when the snapshots have no differences (SchemaDiff::compare is empty). Fails (Kind
    // Project) only when the written SQL does not split with SqlStatementSplitter for backend, which would be
    // a bug here.
    static Expected<MigrationDraft> write(const SchemaSnapshot &from, const SchemaSnapshot &to,
                                          DatabaseUrl::Backend backend);
};

} // namespace qmigrate
