// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"

#include <QString>

namespace qmigrate {

// Per-backend facts and the SQL texts qmigrate sends or prints for the version table and the run lock.
// A value class: forBackend() gives the defaults, the setters configure the version table (Alembic's
// version_table, version_table_schema, version_table_pk) and the database name the MySQL lock is scoped to.
//
// Every statement text is returned without a terminating ";": it is what one QSqlQuery::exec gets, and the
// offline renderer appends ";" itself. Texts that Alembic also writes (the version table DDL and its
// INSERT/UPDATE/DELETE/SELECT) are byte-for-byte what Alembic 1.8.1 with SQLAlchemy 1.4 prints with --sql,
// except that revision literals are escaped (Alembic pastes them between quotes as they are).
class Dialect
{
public:
    enum class Mode { Online, Offline };

    static Dialect forBackend(DatabaseUrl::Backend backend);

    DatabaseUrl::Backend backend() const { return m_backend; }
    QString name() const;            // "sqlite", "postgresql", "mysql" (MariaDB included)
    QString alembicImplName() const; // "SQLiteImpl", "PostgresqlImpl", "MySQLImpl" (Alembic's log line)

    // Whether qmigrate runs DDL inside transactions online. SQLite supports transactional DDL and qmigrate
    // uses it, unlike Alembic (whose pysqlite driver could not, so SQLiteImpl says False); PostgreSQL yes;
    // MySQL/MariaDB commit implicitly around every DDL statement, so no.
    bool transactionalDdl() const;
    // Alembic's own flag (only PostgreSQL of these): it decides "Will assume transactional DDL." and the
    // BEGIN/COMMIT of offline scripts, which qmigrate reproduces exactly.
    bool alembicTransactionalDdl() const;
    // Offline scripts: "BEGIN" / "COMMIT" where Alembic writes them (PostgreSQL), else empty.
    QString offlineBeginTransactionSql() const;
    QString offlineCommitTransactionSql() const;

    // Identifiers. quoteIdentifier always quotes ("x" or `x`, doubling embedded quote characters).
    // quoteIdentifierIfNeeded follows SQLAlchemy: a name matching [a-z_][a-z0-9_$]* that is not a reserved
    // word of the backend (SQLAlchemy 1.4's lists; MySQL's and MariaDB's together) stays bare.
    QString quoteIdentifier(const QString &name) const;
    // Empty when the version table's name and schema can be used on this backend as they are; else why
    // not, naming the setting: a control character, or a name over the backend's limit (PostgreSQL 63
    // bytes, which it would silently cut; MySQL/MariaDB 64 characters). Quotes, spaces and ';' are fine:
    // they are quoted.
    QString versionTableNameProblem() const;
    // The session settings of a run's connection: how long a statement waits for a lock and how long it may
    // run (0: no limit). Each entry is a statement and whether the run may go on without it (MariaDB's
    // max_statement_time is not MySQL's; none is needed to say "no limit").
    struct SessionSetting
    {
        QString sql;
        bool optional = false;
    };
    QList<SessionSetting> sessionTimeoutSql(int lockWaitSeconds, int statementTimeoutSeconds) const;
    // The server's error code (QSqlError::nativeErrorCode) says a statement gave up waiting for a lock:
    // PostgreSQL 55P03 (lock_not_available), MySQL/MariaDB 1205.
    bool isLockTimeout(const QString &nativeErrorCode) const;
    QString quoteIdentifierIfNeeded(const QString &name) const;
    bool isReservedWord(const QString &word) const; // case-insensitive
    // A string literal: quotes doubled; MySQL also doubles backslashes (its default sql_mode escapes them).
    QString quoteLiteral(const QString &value) const;

    // The version table (defaults: alembic_version, no schema, with primary key).
    void setVersionTable(const QString &table) { m_versionTable = table; }
    void setVersionTableSchema(const QString &schema) { m_versionTableSchema = schema; }
    void setVersionTablePrimaryKey(bool withPrimaryKey) { m_versionTablePk = withPrimaryKey; }
    QString versionTable() const { return m_versionTable; }
    QString versionTableSchema() const { return m_versionTableSchema; }
    bool versionTablePrimaryKey() const { return m_versionTablePk; }
    QString qualifiedVersionTable() const; // schema."Table" as SQLAlchemy renders it

    QString createVersionTableSql() const; // the CREATE TABLE with its "…, \n" layout
    QString dropVersionTableSql() const;
    QString selectVersionsSql() const;
    // Online PostgreSQL INSERTs carry no RETURNING; offline ones do, as Alembic prints them.
    QString insertVersionSql(const QString &version, Mode mode = Mode::Online) const;
    QString updateVersionSql(const QString &from, const QString &to) const;
    QString deleteVersionSql(const QString &version) const;
    QString deleteAllVersionsSql() const; // stamp --purge
    // One row when the version table exists: sqlite_master of the schema (an attached database) or
    // "main"; PostgreSQL's catalog in the schema, else the first table visible on the search_path;
    // MySQL's information_schema in the schema, else the connection's database.
    QString versionTableExistsSql() const;

    // The lock against concurrent runs, which the server drops with the connection.
    // PostgreSQL: a session advisory lock on lockKey(); acquireLockSql blocks, tryLockSql returns a boolean
    // at once (a timeout is a loop over tryLockSql). MySQL: GET_LOCK(lockName(), timeout) returns 1, 0 on
    // timeout. SQLite: "BEGIN IMMEDIATE" takes the database's write lock and waits busyTimeoutSql's time;
    // it ends with the transaction, so releaseLockSql is empty.
    void setDatabaseName(const QString &database) { m_databaseName = database; }
    QString databaseName() const { return m_databaseName; }
    // First 8 bytes (big-endian, signed) of SHA-256("qmigrate:" + schema.table): stable across runs,
    // machines and versions, and distinct per version table.
    qint64 lockKey() const;
    // "qmigrate:<database>.<schema.table>"; when longer than MySQL's 64 characters,
    // "qmigrate:" followed by the first 40 hex digits of that text's SHA-256.
    QString lockName() const;
    QString acquireLockSql(int timeoutSeconds) const;
    QString tryLockSql() const;
    QString releaseLockSql() const;
    QString busyTimeoutSql(int milliseconds) const; // SQLite's PRAGMA; empty elsewhere
    // Who holds the lock, where the server can tell; empty for SQLite. PostgreSQL columns: pid,
    // application_name, client_addr, usename, backend_start, query_start, state. MySQL: id, user, host, db,
    // time (seconds in the current state).
    QString lockHolderSql() const;

private:
    explicit Dialect(DatabaseUrl::Backend backend)
        : m_backend(backend)
    {}

    QString versionColumnRef() const;

    DatabaseUrl::Backend m_backend;
    QString m_versionTable = QStringLiteral("alembic_version");
    QString m_versionTableSchema;
    bool m_versionTablePk = true;
    QString m_databaseName;
};

} // namespace qmigrate
