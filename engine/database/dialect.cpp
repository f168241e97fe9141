// SPDX-License-Identifier: MIT
#include "database/dialect.h"

#include "core/namecheck.h"

#include <QCryptographicHash>
#include <QSet>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

using Backend = DatabaseUrl::Backend;

// SQLAlchemy 1.4's reserved words (sqlalchemy/dialects/{sqlite,postgresql,mysql}), which decide when it
// quotes a name; MySQL's list is the union of its MySQL and MariaDB sets.
const char *const kSqliteReserved[] = {
    "add",          "after",
    "all",          "alter",
    "analyze",      "and",
    "as",           "asc",
    "attach",       "autoincrement",
    "before",       "begin",
    "between",      "by",
    "cascade",      "case",
    "cast",         "check",
    "collate",      "column",
    "commit",       "conflict",
    "constraint",   "create",
    "cross",        "current_date",
    "current_time", "current_timestamp",
    "database",     "default",
    "deferrable",   "deferred",
    "delete",       "desc",
    "detach",       "distinct",
    "drop",         "each",
    "else",         "end",
    "escape",       "except",
    "exclusive",    "exists",
    "explain",      "fail",
    "false",        "for",
    "foreign",      "from",
    "full",         "glob",
    "group",        "having",
    "if",           "ignore",
    "immediate",    "in",
    "index",        "indexed",
    "initially",    "inner",
    "insert",       "instead",
    "intersect",    "into",
    "is",           "isnull",
    "join",         "key",
    "left",         "like",
    "limit",        "match",
    "natural",      "not",
    "notnull",      "null",
    "of",           "offset",
    "on",           "or",
    "order",        "outer",
    "plan",         "pragma",
    "primary",      "query",
    "raise",        "references",
    "reindex",      "rename",
    "replace",      "restrict",
    "right",        "rollback",
    "row",          "select",
    "set",          "table",
    "temp",         "temporary",
    "then",         "to",
    "transaction",  "trigger",
    "true",         "union",
    "unique",       "update",
    "using",        "vacuum",
    "values",       "view",
    "virtual",      "when",
    "where",
};
const char *const kPostgresqlReserved[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "new",
    "not",
    "notnull",
    "null",
    "of",
    "off",
    "offset",
    "old",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "over",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
};
const char *const kMysqlReserved[] = {
    "accessible",
    "add",
    "admin",
    "all",
    "alter",
    "analyze",
    "and",
    "array",
    "as",
    "asc",
    "asensitive",
    "before",
    "between",
    "bigint",
    "binary",
    "blob",
    "body",
    "both",
    "by",
    "call",
    "cascade",
    "case",
    "change",
    "char",
    "character",
    "check",
    "collate",
    "column",
    "condition",
    "constraint",
    "continue",
    "convert",
    "create",
    "cross",
    "cube",
    "cume_dist",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "cursor",
    "database",
    "databases",
    "day_hour",
    "day_microsecond",
    "day_minute",
    "day_second",
    "dec",
    "decimal",
    "declare",
    "default",
    "delayed",
    "delete",
    "dense_rank",
    "desc",
    "describe",
    "deterministic",
    "distinct",
    "distinctrow",
    "div",
    "do_domain_ids",
    "double",
    "drop",
    "dual",
    "each",
    "else",
    "elseif",
    "elsif",
    "empty",
    "enclosed",
    "escaped",
    "except",
    "exists",
    "exit",
    "explain",
    "false",
    "fetch",
    "first_value",
    "float",
    "float4",
    "float8",
    "for",
    "force",
    "foreign",
    "from",
    "fulltext",
    "function",
    "general",
    "generated",
    "get",
    "get_master_public_key",
    "goto",
    "grant",
    "group",
    "grouping",
    "groups",
    "having",
    "high_priority",
    "history",
    "hour_microsecond",
    "hour_minute",
    "hour_second",
    "if",
    "ignore",
    "ignore_domain_ids",
    "ignore_server_ids",
    "in",
    "index",
    "infile",
    "inner",
    "inout",
    "insensitive",
    "insert",
    "int",
    "int1",
    "int2",
    "int3",
    "int4",
    "int8",
    "integer",
    "intersect",
    "interval",
    "into",
    "io_after_gtids",
    "io_before_gtids",
    "is",
    "iterate",
    "join",
    "json_table",
    "key",
    "keys",
    "kill",
    "lag",
    "last_value",
    "lateral",
    "lead",
    "leading",
    "leave",
    "left",
    "like",
    "limit",
    "linear",
    "lines",
    "load",
    "localtime",
    "localtimestamp",
    "lock",
    "long",
    "longblob",
    "longtext",
    "loop",
    "low_priority",
    "master_bind",
    "master_heartbeat_period",
    "master_ssl_verify_server_cert",
    "match",
    "maxvalue",
    "mediumblob",
    "mediumint",
    "mediumtext",
    "member",
    "middleint",
    "minute_microsecond",
    "minute_second",
    "mod",
    "modifies",
    "natural",
    "no_write_to_binlog",
    "not",
    "nth_value",
    "ntile",
    "null",
    "numeric",
    "of",
    "offset",
    "on",
    "optimize",
    "optimizer_costs",
    "option",
    "optionally",
    "or",
    "order",
    "others",
    "out",
    "outer",
    "outfile",
    "over",
    "package",
    "page_checksum",
    "parse_gcol_expr",
    "parse_vcol_expr",
    "partition",
    "percent_rank",
    "period",
    "persist",
    "persist_only",
    "position",
    "precision",
    "primary",
    "procedure",
    "purge",
    "raise",
    "range",
    "rank",
    "read",
    "read_write",
    "reads",
    "real",
    "recursive",
    "ref_system_id",
    "references",
    "regexp",
    "release",
    "rename",
    "repeat",
    "replace",
    "require",
    "resignal",
    "restrict",
    "return",
    "returning",
    "revoke",
    "right",
    "rlike",
    "role",
    "row",
    "row_number",
    "rows",
    "rowtype",
    "schema",
    "schemas",
    "second_microsecond",
    "select",
    "sensitive",
    "separator",
    "set",
    "show",
    "signal",
    "slow",
    "smallint",
    "spatial",
    "specific",
    "sql",
    "sql_after_gtids",
    "sql_before_gtids",
    "sql_big_result",
    "sql_calc_found_rows",
    "sql_small_result",
    "sqlexception",
    "sqlstate",
    "sqlwarning",
    "ssl",
    "starting",
    "stats_auto_recalc",
    "stats_persistent",
    "stats_sample_pages",
    "stored",
    "straight_join",
    "system",
    "system_time",
    "table",
    "terminated",
    "then",
    "tinyblob",
    "tinyint",
    "tinytext",
    "to",
    "trailing",
    "trigger",
    "true",
    "undo",
    "union",
    "unique",
    "unlock",
    "unsigned",
    "update",
    "usage",
    "use",
    "using",
    "utc_date",
    "utc_time",
    "utc_timestamp",
    "values",
    "varbinary",
    "varchar",
    "varcharacter",
    "varying",
    "versioning",
    "virtual",
    "when",
    "where",
    "while",
    "window",
    "with",
    "without",
    "write",
    "xor",
    "year_month",
    "zerofill",
};
template<std::size_t N> QSet<QString> toSet(const char *const (&words)[N])
{
    QSet<QString> set;
    set.reserve(qsizetype(N));
    for (const char *word : words)
        set.insert(QString::fromLatin1(word));
    return set;
}

const QSet<QString> &reservedWords(Backend backend)
{
    static const QSet<QString> sqlite = toSet(kSqliteReserved);
    static const QSet<QString> postgresql = toSet(kPostgresqlReserved);
    static const QSet<QString> mysql = toSet(kMysqlReserved);
    switch (backend) {
    case Backend::SQLite:
        return sqlite;
    case Backend::PostgreSQL:
        return postgresql;
    case Backend::MySQL:
        break;
    }
    return mysql;
}

// SQLAlchemy's IdentifierPreparer._requires_quotes, minus the reserved-word test.
bool isPlainLowerCaseName(const QString &name)
{
    if (name.isEmpty())
        return false;
    const QChar first = name.front();
    if (!((first >= u'a' && first <= u'z') || first == u'_'))
        return false;
    for (const QChar c : name) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'$'))
            return false;
    }
    return true;
}

} // namespace

Dialect Dialect::forBackend(DatabaseUrl::Backend backend)
{
    return Dialect(backend);
}

QString Dialect::name() const
{
    switch (m_backend) {
    case Backend::SQLite:
        return u"sqlite"_s;
    case Backend::PostgreSQL:
        return u"postgresql"_s;
    case Backend::MySQL:
        break;
    }
    return u"mysql"_s;
}

QString Dialect::alembicImplName() const
{
    switch (m_backend) {
    case Backend::SQLite:
        return u"SQLiteImpl"_s;
    case Backend::PostgreSQL:
        return u"PostgresqlImpl"_s;
    case Backend::MySQL:
        break;
    }
    return u"MySQLImpl"_s;
}

bool Dialect::transactionalDdl() const
{
    return m_backend != Backend::MySQL;
}

bool Dialect::alembicTransactionalDdl() const
{
    return m_backend == Backend::PostgreSQL;
}

QString Dialect::offlineBeginTransactionSql() const
{
    return alembicTransactionalDdl() ? u"BEGIN"_s : QString();
}

QString Dialect::offlineCommitTransactionSql() const
{
    return alembicTransactionalDdl() ? u"COMMIT"_s : QString();
}

QString Dialect::quoteIdentifier(const QString &name) const
{
    const QChar quote = m_backend == Backend::MySQL ? u'`' : u'"';
    QString escaped = name;
    escaped.replace(quote, QString(2, quote));
    return quote + escaped + quote;
}

QString Dialect::versionTableNameProblem() const
{
    for (const auto &[key, name] : {std::pair{u"version_table"_s, m_versionTable},
                                    std::pair{u"version_table_schema"_s, m_versionTableSchema}}) {
        if (const QString problem = NameCheck::controlCharacter(name); !problem.isEmpty())
            return u"Invalid %1 '%2': it contains %3"_s.arg(key, NameCheck::printable(name), problem);
        if (m_backend == Backend::PostgreSQL && name.toUtf8().size() > 63)
            return u"Invalid %1 '%2': it is %3 bytes long, and PostgreSQL cuts names to 63 bytes (so the "
                   u"table it would use is another one)"_s.arg(key, name)
                       .arg(name.toUtf8().size());
        if (m_backend == Backend::MySQL && name.size() > 64)
            return u"Invalid %1 '%2': it is %3 characters long; MySQL and MariaDB allow 64"_s.arg(key, name)
                .arg(name.size());
    }
    return {};
}

QList<Dialect::SessionSetting> Dialect::sessionTimeoutSql(int lockWaitSeconds,
                                                          int statementTimeoutSeconds) const
{
    QList<SessionSetting> settings;
    switch (m_backend) {
    case Backend::PostgreSQL:
        if (lockWaitSeconds > 0)
            settings.append({u"SET lock_timeout = '%1s'"_s.arg(lockWaitSeconds)});
        settings.append({u"SET statement_timeout = '%1s'"_s.arg(statementTimeoutSeconds)});
        break;
    case Backend::MySQL:
        if (lockWaitSeconds > 0) {
            settings.append({u"SET SESSION lock_wait_timeout = %1"_s.arg(lockWaitSeconds)});
            settings.append({u"SET SESSION innodb_lock_wait_timeout = %1"_s.arg(lockWaitSeconds)});
        }
        settings.append({u"SET SESSION max_statement_time = %1"_s.arg(statementTimeoutSeconds),
                         statementTimeoutSeconds == 0});
        break;
    case Backend::SQLite:
        break; // the run holds SQLite's write lock; a statement never waits for another's
    }
    return settings;
}

bool Dialect::isLockTimeout(const QString &nativeErrorCode) const
{
    switch (m_backend) {
    case Backend::PostgreSQL:
        return nativeErrorCode == u"55P03"_s;
    case Backend::MySQL:
        return nativeErrorCode == u"1205"_s;
    case Backend::SQLite:
        break;
    }
    return false;
}

QString Dialect::quoteIdentifierIfNeeded(const QString &name) const
{
    // A plain lower-case name is its own lower case: looked up as it is.
    if (isPlainLowerCaseName(name) && !reservedWords(m_backend).contains(name))
        return name;
    return quoteIdentifier(name);
}

bool Dialect::isReservedWord(const QString &word) const
{
    return reservedWords(m_backend).contains(word.toLower());
}

QString Dialect::quoteLiteral(const QString &value) const
{
    // Revision ids, the common case, need no escaping: no copy to escape in.
    if (!value.contains(u'\'') && (m_backend != Backend::MySQL || !value.contains(u'\\')))
        return u'\'' + value + u'\'';
    QString escaped = value;
    if (m_backend == Backend::MySQL)
        escaped.replace(u'\\', "\\\\"_L1);
    escaped.replace(u'\'', "''"_L1);
    return u'\'' + escaped + u'\'';
}

QString Dialect::qualifiedVersionTable() const
{
    const QString table = quoteIdentifierIfNeeded(m_versionTable);
    if (m_versionTableSchema.isEmpty())
        return table;
    return quoteIdentifierIfNeeded(m_versionTableSchema) + u'.' + table;
}

QString Dialect::versionColumnRef() const
{
    return qualifiedVersionTable() + ".version_num"_L1;
}

QString Dialect::createVersionTableSql() const
{
    // SQLAlchemy's CREATE TABLE layout: each element on its own line, ", \n" between them.
    QString sql =
        "CREATE TABLE "_L1 + qualifiedVersionTable() + " (\n    version_num VARCHAR(32) NOT NULL"_L1;
    if (m_versionTablePk) {
        sql += ", \n    CONSTRAINT "_L1 + quoteIdentifierIfNeeded(m_versionTable + "_pkc"_L1) +
               " PRIMARY KEY (version_num)"_L1;
    }
    sql += "\n)"_L1;
    return sql;
}

QString Dialect::dropVersionTableSql() const
{
    return "DROP TABLE "_L1 + qualifiedVersionTable();
}

QString Dialect::selectVersionsSql() const
{
    return "SELECT "_L1 + versionColumnRef() + " FROM "_L1 + qualifiedVersionTable();
}

QString Dialect::insertVersionSql(const QString &version, Mode mode) const
{
    QString sql = "INSERT INTO "_L1 + qualifiedVersionTable() + " (version_num) VALUES ("_L1 +
                  quoteLiteral(version) + u')';
    // SQLAlchemy 1.4 compiles PostgreSQL INSERTs with implicit RETURNING of the primary key; offline,
    // Alembic prints that.
    if (mode == Mode::Offline && m_backend == Backend::PostgreSQL)
        sql += " RETURNING "_L1 + versionColumnRef();
    return sql;
}

QString Dialect::updateVersionSql(const QString &from, const QString &to) const
{
    const QString table = qualifiedVersionTable();
    return "UPDATE "_L1 + table + " SET version_num="_L1 + quoteLiteral(to) + " WHERE "_L1 + table +
           ".version_num = "_L1 + quoteLiteral(from);
}

QString Dialect::deleteVersionSql(const QString &version) const
{
    return "DELETE FROM "_L1 + qualifiedVersionTable() + " WHERE "_L1 + versionColumnRef() + " = "_L1 +
           quoteLiteral(version);
}

QString Dialect::deleteAllVersionsSql() const
{
    return "DELETE FROM "_L1 + qualifiedVersionTable();
}

QString Dialect::versionTableExistsSql() const
{
    const QString table = quoteLiteral(m_versionTable);
    switch (m_backend) {
    case Backend::SQLite: {
        const QString master = m_versionTableSchema.isEmpty()
                                   ? u"sqlite_master"_s
                                   : quoteIdentifierIfNeeded(m_versionTableSchema) + ".sqlite_master"_L1;
        return "SELECT 1 FROM "_L1 + master + " WHERE type = 'table' AND name = "_L1 + table;
    }
    case Backend::PostgreSQL: {
        QString sql = "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                      "c.relnamespace WHERE c.relname = "_L1 +
                      table + " AND c.relkind IN ('r', 'p') AND "_L1;
        if (m_versionTableSchema.isEmpty())
            sql += "pg_catalog.pg_table_is_visible(c.oid)"_L1;
        else
            sql += "n.nspname = "_L1 + quoteLiteral(m_versionTableSchema);
        return sql;
    }
    case Backend::MySQL:
        break;
    }
    const QString schema =
        m_versionTableSchema.isEmpty() ? u"DATABASE()"_s : quoteLiteral(m_versionTableSchema);
    return "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = "_L1 + schema +
           " AND TABLE_NAME = "_L1 + table;
}

qint64 Dialect::lockKey() const
{
    QString source = u"qmigrate:"_s;
    if (!m_versionTableSchema.isEmpty())
        source += m_versionTableSchema + u'.';
    source += m_versionTable;
    const QByteArray digest = QCryptographicHash::hash(source.toUtf8(), QCryptographicHash::Sha256);
    return qFromBigEndian<qint64>(digest.constData());
}

QString Dialect::lockName() const
{
    QString name = u"qmigrate:"_s + m_databaseName + u'.';
    if (!m_versionTableSchema.isEmpty())
        name += m_versionTableSchema + u'.';
    name += m_versionTable;
    if (name.size() <= 64)
        return name;
    const QByteArray digest = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256);
    return u"qmigrate:"_s + QString::fromLatin1(digest.toHex().left(40));
}

QString Dialect::acquireLockSql(int timeoutSeconds) const
{
    switch (m_backend) {
    case Backend::SQLite:
        return u"BEGIN IMMEDIATE"_s;
    case Backend::PostgreSQL:
        return u"SELECT pg_advisory_lock(%1)"_s.arg(lockKey());
    case Backend::MySQL:
        break;
    }
    return u"SELECT GET_LOCK(%1, %2)"_s.arg(quoteLiteral(lockName())).arg(timeoutSeconds);
}

QString Dialect::tryLockSql() const
{
    switch (m_backend) {
    case Backend::SQLite:
        return u"BEGIN IMMEDIATE"_s;
    case Backend::PostgreSQL:
        return u"SELECT pg_try_advisory_lock(%1)"_s.arg(lockKey());
    case Backend::MySQL:
        break;
    }
    return u"SELECT GET_LOCK(%1, 0)"_s.arg(quoteLiteral(lockName()));
}

QString Dialect::releaseLockSql() const
{
    switch (m_backend) {
    case Backend::SQLite:
        return QString();
    case Backend::PostgreSQL:
        return u"SELECT pg_advisory_unlock(%1)"_s.arg(lockKey());
    case Backend::MySQL:
        break;
    }
    return u"SELECT RELEASE_LOCK(%1)"_s.arg(quoteLiteral(lockName()));
}

QString Dialect::busyTimeoutSql(int milliseconds) const
{
    if (m_backend != Backend::SQLite)
        return QString();
    return u"PRAGMA busy_timeout = %1"_s.arg(milliseconds);
}

QString Dialect::lockHolderSql() const
{
    switch (m_backend) {
    case Backend::SQLite:
        return QString();
    case Backend::PostgreSQL: {
        // A one-bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits,
        // objsubid = 1; the literals are compared as oid, which is unsigned.
        const quint64 key = quint64(lockKey());
        return u"SELECT a.pid, a.application_name, host(a.client_addr) AS client_addr, a.usename, "
               "a.backend_start, a.query_start, a.state FROM pg_catalog.pg_locks l JOIN "
               "pg_catalog.pg_stat_activity a "
               "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid "
               "FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()) AND l.classid = "
               "'%1' AND l.objid = '%2' AND l.objsubid = 1"_s.arg(key >> 32)
                   .arg(key & 0xffffffffU);
    }
    case Backend::MySQL:
        break;
    }
    return u"SELECT p.ID, p.USER, p.HOST, p.DB, p.TIME FROM information_schema.PROCESSLIST p WHERE p.ID = "
           "IS_USED_LOCK(%1)"_s.arg(quoteLiteral(lockName()));
}

} // namespace qmigrate
