// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "scripts/revision.h"
#include "scripts/revisionsections.h"

#include <QList>
#include <QString>

namespace qmigrate {

// One statement of a revision section, ready for one QSqlQuery::exec.
struct SqlStatement
{
    enum class Kind {
        Ddl,   // CREATE, ALTER, DROP, TRUNCATE, RENAME, COMMENT ON
        Dml,   // SELECT, INSERT, UPDATE, DELETE, REPLACE, MERGE, WITH, VALUES, COPY
        Other, // everything else (PRAGMA, SET, GRANT, CALL, DO, transaction control, …)
    };

    // From the first to the last significant character: no leading or trailing whitespace or comments and
    // no terminating delimiter (";" or the MySQL DELIMITER in force). Comments inside are kept as written.
    // Leaving the terminator and trailing comments out means a renderer can always append ";" safely.
    QString text;
    int line = 0;   // 1-based line in the file of the statement's first significant character
    int column = 0; // 1-based column of that character, in UTF-16 code units
    Kind kind = Kind::Other;
    // BEGIN, COMMIT, END, ROLLBACK, ABORT, START TRANSACTION, SAVEPOINT, RELEASE, PREPARE TRANSACTION,
    // COMMIT/ROLLBACK PREPARED, XA …: the executor refuses these inside the transactions it manages.
    bool transactionControl = false;
    // Loses data: DROP TABLE/SCHEMA/DATABASE, ALTER TABLE … DROP [COLUMN] / DROP PARTITION, TRUNCATE,
    // DELETE without a top-level WHERE. A cheap syntactic check for plan previews, not a guarantee.
    bool destructive = false;
    // A "-- migrate:no-transaction" line comment stands between the previous statement and this one.
    bool noTransaction = false;

    // Its first line, shortened, for messages.
    QString summary() const;
};

// Splits the SQL of a revision section into statements, following the lexical rules of one backend:
//  - strings: '…' with '' everywhere; MySQL also backslash escapes and "…" strings; PostgreSQL E'…' escapes;
//  - identifiers: "…" ("" escapes), `…` (MySQL, SQLite), […] (SQLite);
//  - comments: "--" to end of line (MySQL: only when followed by whitespace), "#" (MySQL), /* … */ (nested
//    on PostgreSQL; MySQL's executable /*! … */ and hint /*+ … */ comments count as statement text);
//  - PostgreSQL dollar quotes $$…$$ and $tag$…$tag$ ($1 is a parameter, a$b$ an identifier);
//  - BEGIN … END bodies of CREATE TRIGGER (SQLite, MySQL), CREATE PROCEDURE/FUNCTION/EVENT (MySQL, with
//    nested BEGIN, CASE, IF, LOOP, WHILE, REPEAT blocks) and PostgreSQL's BEGIN ATOMIC function bodies;
//  - MySQL "DELIMITER xx" lines, which change the terminator and are not statements themselves.
// Empty statements are dropped; a last statement without a terminator is kept.
class SqlStatementSplitter
{
public:
    explicit SqlStatementSplitter(DatabaseUrl::Backend backend);

    // firstLine is the file line of sql's first line (Revision::upgradeLine / downgradeLine). On an
    // unterminated string, quoted identifier, comment, dollar quote or BEGIN block the error's line is where
    // that construct started, its file is empty (the caller sets it) and its kind is Project.
    Expected<QList<SqlStatement>> split(const QString &sql, int firstLine = 1) const;

    // The upgrade or downgrade section of a native SQL revision, read from its file (RevisionSections), with
    // the revision's file and id on any error.
    Expected<QList<SqlStatement>> splitSection(const Revision &revision, bool upgrade) const;
    // The same for sections read already.
    Expected<QList<SqlStatement>> splitSection(const Revision &revision, const RevisionSections &sections,
                                               bool upgrade) const;

    DatabaseUrl::Backend backend() const { return m_backend; }

private:
    DatabaseUrl::Backend m_backend;
};

} // namespace qmigrate
