// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"
#include "core/expected.h"
#include "database/dialect.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <optional>

struct sqlite3;

namespace qmigrate {

class SqliteApi;

// Writes the rows of one run into qmigrate_history at the cost of the rows themselves: the account, the host
// and qmigrate's version are looked up once, the rows of a transaction go together (insertAll), and no id is
// read back (a journal row, whose id the run needs, goes through AuditHistory::record()). Transactions are
// the caller's, as with AuditHistory: a row written inside a step's transaction commits or rolls back with
// it. The database must stay open while this object is used.
class HistoryWriter
{
public:
    HistoryWriter(QSqlDatabase db, Dialect dialect);

    // Inserts the entry; its empty user, host and version are this run's.
    Expected<void> insert(const HistoryEntry &entry);
    // Inserts the entries in order; on error *failedAt is the position of the entry that failed. On SQLite
    // the rows go through SQLite's own API on the driver's connection (one INSERT of many rows with literal
    // values costs more there: parsing the literals is dearer than binding them); on PostgreSQL they go as
    // one INSERT of them all, in one round trip.
    Expected<void> insertAll(const QList<HistoryEntry> &entries, qsizetype *failedAt);

    // The same INSERT with its values written as SQL literals by the connection's driver, for a caller that
    // sends it in one round trip with the statement it belongs with (PostgreSQL's data-modifying WITH).
    QString insertStatement(const HistoryEntry &entry) const;

    // The entry with its empty user, host and version set to this run's.
    HistoryEntry filled(const HistoryEntry &entry) const;

    const QString &osUser() const { return m_osUser; }
    const QString &host() const { return m_host; }

    // Whether insertAll() on this connection goes straight through SQLite's API (Qt's SQLite driver, with the
    // system's libsqlite3 loaded), rather than through QSqlQuery.
    static bool writesThroughSqliteApi(const QSqlDatabase &db);

private:
    EngineError failure(const QString &message) const;
    // insertAll() on Qt's SQLite driver.
    Expected<void> insertAllSqlite(const SqliteApi &api, sqlite3 *handle, const QList<HistoryEntry> &entries,
                                   qsizetype *failedAt);
    // insertAll() on PostgreSQL: the rows as one INSERT … SELECT FROM unnest(an array per column).
    Expected<void> insertAllTogether(const QList<HistoryEntry> &entries, qsizetype *failedAt);
    // The PostgreSQL array type that holds a column's values.
    static QString postgresArrayType(const QString &column);
    // The value as an element of a PostgreSQL array literal: NULL, or quoted.
    static void appendArrayElement(QString *list, const QVariant &value);
    // The text as an SQL string literal for the connection's server.
    QString textLiteral(const QString &text) const;
    // "INSERT INTO … (columns) "
    QString insertHead() const;
    // "(values)", the entry's values as SQL literals.
    void appendValues(QString *sql, const HistoryEntry &entry) const;

    QSqlDatabase m_db;
    Dialect m_dialect;
    QString m_osUser;
    QString m_host;
    QString m_version;
    std::optional<QSqlQuery> m_insert; // prepared on first use
};

} // namespace qmigrate
