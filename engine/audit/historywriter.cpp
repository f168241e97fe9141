// SPDX-License-Identifier: MIT
#include "audit/historywriter.h"

#include "database/databaseconnection.h"
#include "database/sqliteapi.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QVariant>

#include <memory>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// As Qt's drivers bind: a null variant, or a null string in one, is SQL NULL.
bool isNullValue(const QVariant &value)
{
    if (value.isNull())
        return true;
    return value.metaType() == QMetaType::fromType<QString>() &&
           static_cast<const QString *>(value.constData())->isNull();
}

} // namespace

bool HistoryWriter::writesThroughSqliteApi(const QSqlDatabase &db)
{
    return SqliteApi::handle(db) && SqliteApi::instance();
}

HistoryWriter::HistoryWriter(QSqlDatabase db, Dialect dialect)
    : m_db(std::move(db))
    , m_dialect(std::move(dialect))
    , m_osUser(AuditHistory::currentOsUser())
    , m_host(AuditHistory::currentHost())
    , m_version(QCoreApplication::applicationVersion())
{}

HistoryEntry HistoryWriter::filled(const HistoryEntry &entry) const
{
    HistoryEntry result = entry;
    if (result.osUser.isEmpty())
        result.osUser = m_osUser;
    if (result.host.isEmpty())
        result.host = m_host;
    if (result.qmigrateVersion.isEmpty())
        result.qmigrateVersion = m_version;
    return result;
}

Expected<void> HistoryWriter::insert(const HistoryEntry &entry)
{
    const auto failure = [this](const QSqlQuery &query) {
        return EngineError(u"Cannot write to the audit history table %1: %2"_s.arg(
                               AuditHistory(m_db, m_dialect).qualifiedTable(),
                               DatabaseConnection::serverMessage(query.lastError())),
                           EngineError::Kind::Database);
    };
    if (!m_insert) {
        QSqlQuery query(m_db);
        if (!query.prepare(AuditHistory::insertSql(m_dialect)))
            return failure(query);
        m_insert.emplace(std::move(query));
    }
    const QVariantList values = AuditHistory::insertValues(filled(entry), m_dialect.backend());
    for (qsizetype position = 0; position < values.size(); ++position)
        m_insert->bindValue(int(position), values.at(position));
    if (!m_insert->exec()) {
        const EngineError error = failure(*m_insert);
        // A statement that failed may be unusable afterwards (its connection's transaction aborted): the next
        // row prepares it again.
        m_insert.reset();
        return error;
    }
    m_insert->finish();
    return {};
}

EngineError HistoryWriter::failure(const QString &message) const
{
    return EngineError(u"Cannot write to the audit history table %1: %2"_s.arg(
                           AuditHistory(m_db, m_dialect).qualifiedTable(), message),
                       EngineError::Kind::Database);
}

Expected<void> HistoryWriter::insertAll(const QList<HistoryEntry> &entries, qsizetype *failedAt)
{
    if (entries.isEmpty())
        return {};
    if (m_dialect.backend() == DatabaseUrl::Backend::SQLite) {
        if (sqlite3 *handle = SqliteApi::handle(m_db)) {
            if (const SqliteApi *api = SqliteApi::instance())
                return insertAllSqlite(*api, handle, entries, failedAt);
        }
    }
    if (m_dialect.backend() == DatabaseUrl::Backend::PostgreSQL)
        return insertAllTogether(entries, failedAt);
    for (qsizetype position = 0; position < entries.size(); ++position) {
        if (Expected<void> written = insert(entries.at(position)); !written) {
            *failedAt = position;
            return written;
        }
    }
    return {};
}

Expected<void> HistoryWriter::insertAllSqlite(const SqliteApi &api, sqlite3 *handle,
                                              const QList<HistoryEntry> &entries, qsizetype *failedAt)
{
    // Straight through SQLite's API on the driver's own connection: QSqlQuery's bind path in Qt 6.4 (a
    // placeholder name formatted and hashed per value, the values copied again per row) cost more than the
    // rows themselves. Prepared for these rows only: the steps' DDL would make SQLite prepare a kept
    // statement again anyway.
    const auto sqliteFailure = [&] { return failure(QString::fromUtf8(api.errmsg(handle)).simplified()); };
    const QByteArray sql = AuditHistory::insertSql(m_dialect).toUtf8();
    sqlite3_stmt *prepared = nullptr;
    if (api.prepare(handle, sql.constData(), int(sql.size()), &prepared, nullptr) != SQLITE_OK) {
        api.finalize(prepared);
        *failedAt = 0;
        return sqliteFailure();
    }
    const auto finalize = [&api](sqlite3_stmt *statement) { api.finalize(statement); };
    const std::unique_ptr<sqlite3_stmt, decltype(finalize)> statement(prepared, finalize);
    // Bound as UTF-8, the database's own encoding: text bound as UTF-16 is transcoded by SQLite at a higher
    // cost than QString::toUtf8(). The bytes live until the row is stepped.
    QList<QByteArray> texts;
    for (qsizetype position = 0; position < entries.size(); ++position) {
        const QVariantList values =
            AuditHistory::insertValues(filled(entries.at(position)), m_dialect.backend());
        texts.resize(values.size());
        int bound = SQLITE_OK;
        for (int column = 0; column < values.size() && bound == SQLITE_OK; ++column) {
            const QVariant &value = values.at(column);
            if (isNullValue(value)) {
                bound = api.bindNull(prepared, column + 1);
            } else if (value.metaType() == QMetaType::fromType<qlonglong>()) {
                bound = api.bindInt64(prepared, column + 1, value.toLongLong());
            } else {
                QByteArray &text = texts[column];
                text = value.metaType() == QMetaType::fromType<QString>()
                           ? static_cast<const QString *>(value.constData())->toUtf8()
                           : value.toString().toUtf8();
                bound = api.bindText(prepared, column + 1, text.constData(), int(text.size()), SQLITE_STATIC);
            }
        }
        if (bound != SQLITE_OK || api.step(prepared) != SQLITE_DONE) {
            // The statement's own error: sqlite3_step() of a v2 statement sets the connection's message.
            *failedAt = position;
            return sqliteFailure();
        }
        api.reset(prepared);
    }
    return {};
}

Expected<void> HistoryWriter::insertAllTogether(const QList<HistoryEntry> &entries, qsizetype *failedAt)
{
    // One INSERT … SELECT FROM unnest() with an array per column (per few megabytes of rows), in one message:
    // every row in one round trip, and the server reads one array literal per column. (Server time for 1,000
    // rows, measured side by side: unnest 20-50 ms; one VALUES list 100-175 ms, dearer than an INSERT riding
    // in each version write, 50-75 ms.) A savepoint around it takes it back when it is refused inside the
    // caller's transaction, and the rows then go one by one to name the one refused (the step whose row it
    // is fails).
    constexpr qsizetype statementChars = 4 * 1024 * 1024;
    const QStringList &columns = AuditHistory::insertColumnNames();
    const QString head = u"SAVEPOINT qmigrate_rows; "_s + insertHead() + u"SELECT * FROM unnest("_s;
    qsizetype first = 0;
    while (first < entries.size()) {
        QStringList elements(columns.size());
        qsizetype chars = 0;
        qsizetype end = first;
        do {
            const QVariantList values =
                AuditHistory::insertValues(filled(entries.at(end)), m_dialect.backend());
            for (qsizetype column = 0; column < columns.size(); ++column) {
                QString &list = elements[column];
                const qsizetype before = list.size();
                if (end > first)
                    list += u',';
                appendArrayElement(&list, values.value(column));
                chars += list.size() - before;
            }
            ++end;
        } while (end < entries.size() && chars < statementChars);
        QString sql = head;
        for (qsizetype column = 0; column < columns.size(); ++column) {
            if (column > 0)
                sql += u", "_s;
            sql += textLiteral(u'{' + elements.at(column) + u'}');
            sql += u"::"_s;
            sql += postgresArrayType(columns.at(column));
        }
        sql += u"); RELEASE SAVEPOINT qmigrate_rows"_s;
        QSqlQuery query(m_db);
        bool ok = query.exec(sql);
        // Each statement of the text gives a result; a refused one is among the later ones.
        while (ok && query.nextResult()) {
        }
        ok = ok && query.lastError().type() == QSqlError::NoError;
        query.finish();
        if (!ok) {
            // Outside a transaction block the savepoint was refused and the statement's implicit transaction
            // took nothing with it: the rows go one by one all the same.
            QSqlQuery back(m_db);
            back.exec(u"ROLLBACK TO SAVEPOINT qmigrate_rows"_s);
            back.finish();
            for (qsizetype position = first; position < end; ++position) {
                if (Expected<void> written = insert(entries.at(position)); !written) {
                    *failedAt = position;
                    return written;
                }
            }
            // Each row went in on its own (outside a transaction block, or what was refused was the statement
            // of them all, not a row).
        }
        first = end;
    }
    return {};
}

QString HistoryWriter::postgresArrayType(const QString &column)
{
    // The array's element type is the column's, or one the server assigns to it: text goes into VARCHAR,
    // but not into TIMESTAMPTZ or BIGINT.
    if (column.endsWith(u"_at"_s))
        return u"timestamptz[]"_s;
    if (column == u"duration_ms"_s)
        return u"bigint[]"_s;
    return u"text[]"_s;
}

void HistoryWriter::appendArrayElement(QString *list, const QVariant &value)
{
    if (isNullValue(value)) {
        *list += u"NULL"_s;
        return;
    }
    // Quoted, so that commas, braces, blanks and the word NULL stay text; within the quotes a backslash
    // escapes the next character.
    const QString text = value.metaType() == QMetaType::fromType<QString>()
                             ? *static_cast<const QString *>(value.constData())
                             : value.toString();
    *list += u'"';
    if (!text.contains(u'"') && !text.contains(u'\\')) {
        *list += text; // the common case, without a look at each character
    } else {
        for (const QChar c : text) {
            if (c == u'"' || c == u'\\')
                *list += u'\\';
            *list += c;
        }
    }
    *list += u'"';
}

QString HistoryWriter::textLiteral(const QString &text) const
{
    // Text with neither a quote nor a backslash is the same literal whatever the server's
    // standard_conforming_strings says; other text is quoted by the driver, which knows.
    if (!text.contains(u'\'') && !text.contains(u'\\'))
        return u'\'' + text + u'\'';
    QSqlField field(QString(), QMetaType::fromType<QString>());
    field.setValue(text);
    return m_db.driver()->formatValue(field);
}

QString HistoryWriter::insertHead() const
{
    QString sql = AuditHistory::insertSql(m_dialect);
    sql.truncate(sql.lastIndexOf(u" VALUES ("_s));
    return sql + u' ';
}

void HistoryWriter::appendValues(QString *sql, const HistoryEntry &entry) const
{
    const QVariantList values = AuditHistory::insertValues(filled(entry), m_dialect.backend());
    *sql += u'(';
    for (qsizetype position = 0; position < values.size(); ++position) {
        if (position > 0)
            *sql += u", "_s;
        const QVariant &value = values.at(position);
        if (isNullValue(value))
            *sql += u"NULL"_s;
        else if (value.metaType() == QMetaType::fromType<qlonglong>())
            *sql += QString::number(value.toLongLong());
        else
            *sql += textLiteral(value.toString());
    }
    *sql += u')';
}

QString HistoryWriter::insertStatement(const HistoryEntry &entry) const
{
    QString sql = insertHead() + u"VALUES "_s;
    appendValues(&sql, entry);
    return sql;
}

} // namespace qmigrate
