// SPDX-License-Identifier: MIT
#include "audit/audithistory.h"

#include "core/textdiff.h"
#include "database/databaseconnection.h"
#include "scripts/scriptchecksum.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTimeZone>
#include <QVariant>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace qmigrate {

using Backend = DatabaseUrl::Backend;

QString HistoryEntry::directionName(Direction direction)
{
    switch (direction) {
    case Direction::Upgrade:
        return u"upgrade"_s;
    case Direction::Downgrade:
        return u"downgrade"_s;
    case Direction::Stamp:
        break;
    }
    return u"stamp"_s;
}

QString HistoryEntry::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success:
        return u"success"_s;
    case Outcome::Failed:
        return u"failed"_s;
    case Outcome::Running:
        return u"running"_s;
    case Outcome::Cancelled:
        break;
    }
    return u"cancelled"_s;
}

std::optional<HistoryEntry::Direction> HistoryEntry::directionFromName(const QString &name)
{
    for (const auto direction : {Direction::Upgrade, Direction::Downgrade, Direction::Stamp}) {
        if (directionName(direction) == name)
            return direction;
    }
    return std::nullopt;
}

std::optional<HistoryEntry::Outcome> HistoryEntry::outcomeFromName(const QString &name)
{
    for (const auto outcome : {Outcome::Success, Outcome::Failed, Outcome::Cancelled, Outcome::Running}) {
        if (outcomeName(outcome) == name)
            return outcome;
    }
    return std::nullopt;
}

QString JournalProgress::text(const QStringList &committedSummaries, int total, const QString &startedSummary)
{
    QString text = u"%1 of %2 statements committed"_s.arg(committedSummaries.size()).arg(total);
    if (!committedSummaries.isEmpty())
        text += u": "_s + committedSummaries.join(u"; "_s);
    if (!startedSummary.isEmpty())
        text += u"; then statement %1 started (%2) and may or may not have committed"_s
                    .arg(committedSummaries.size() + 1)
                    .arg(startedSummary);
    return text;
}

JournalProgress JournalProgress::read(const QString &text)
{
    JournalProgress progress;
    static const QRegularExpression counts(u"^(\\d+) of (\\d+) statements committed"_s);
    const QRegularExpressionMatch match = counts.match(text);
    if (!match.hasMatch())
        return progress;
    progress.committed = match.captured(1).toInt();
    progress.total = match.captured(2).toInt();
    // The summaries in between are statement text, so only a marker at the very end counts, and only the one
    // naming the statement right after the committed ones.
    const QString marker = u"; then statement %1 started ("_s.arg(progress.committed + 1);
    const qsizetype at = text.lastIndexOf(marker);
    progress.nextStarted = at > 0 && text.endsWith(u") and may or may not have committed"_s) &&
                           !text.mid(at + 1).contains(u"; then statement "_s);
    return progress;
}

namespace {

// The columns record() writes, in the order of its bound values.
const QStringList &insertColumns()
{
    static const QStringList columns = {
        u"revision"_s,   u"direction"_s,   u"checksum"_s,    u"script_text"_s,
        u"started_at"_s, u"finished_at"_s, u"duration_ms"_s, u"os_user"_s,
        u"host"_s,       u"outcome"_s,     u"error_text"_s,  u"qmigrate_version"_s,
    };
    return columns;
}

// Empty texts are stored as NULL, and NULL reads back as an empty text, so both mean "none" on every backend.
QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

AuditHistory::AuditHistory(QSqlDatabase db, Dialect dialect)
    : m_db(std::move(db))
    , m_dialect(std::move(dialect))
{}

QString AuditHistory::qualifiedTable() const
{
    const QString table = m_dialect.quoteIdentifierIfNeeded(TableName);
    const QString schema = m_dialect.versionTableSchema();
    return schema.isEmpty() ? table : m_dialect.quoteIdentifierIfNeeded(schema) + u'.' + table;
}

QString AuditHistory::currentOsUser()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
#ifdef Q_OS_UNIX
    // Services, containers and cron jobs often run without USER: the account itself still has a name.
    if (user.isEmpty()) {
        if (const passwd *account = getpwuid(geteuid()))
            user = QString::fromLocal8Bit(account->pw_name);
    }
#endif
    return user;
}

QString AuditHistory::currentHost()
{
    return QSysInfo::machineHostName();
}

EngineError AuditHistory::databaseError(const QString &what, const QString &serverMessage) const
{
    return EngineError(u"%1 %2: %3"_s.arg(what, qualifiedTable(), serverMessage),
                       EngineError::Kind::Database);
}

QString AuditHistory::createTableSql() const
{
    // Timestamps are UTC: PostgreSQL keeps the instant (TIMESTAMPTZ); MariaDB has no zoned type, so DATETIME
    // holds UTC wall-clock time (TIMESTAMP would depend on the session's time_zone); SQLite keeps ISO text.
    QString id;
    QString longText = u"TEXT"_s;
    QString timestamp;
    QString suffix;
    switch (m_dialect.backend()) {
    case Backend::SQLite:
        id = u"id INTEGER PRIMARY KEY AUTOINCREMENT"_s;
        timestamp = u"VARCHAR(32)"_s;
        break;
    case Backend::PostgreSQL:
        id = u"id BIGSERIAL PRIMARY KEY"_s;
        timestamp = u"TIMESTAMP WITH TIME ZONE"_s;
        break;
    case Backend::MySQL:
        id = u"id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"_s;
        longText = u"LONGTEXT"_s;
        timestamp = u"DATETIME(3)"_s;
        // InnoDB so that rows follow the caller's transaction; utf8mb4 so that any text round-trips.
        suffix = u" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"_s;
        break;
    }
    const QStringList columns = {
        id,
        u"revision VARCHAR(255) NOT NULL"_s,
        u"direction VARCHAR(16) NOT NULL"_s,
        u"checksum VARCHAR(64)"_s,
        u"script_text "_s + longText,
        u"started_at "_s + timestamp + u" NOT NULL"_s,
        u"finished_at "_s + timestamp,
        u"duration_ms BIGINT"_s,
        u"os_user VARCHAR(255)"_s,
        u"host VARCHAR(255)"_s,
        u"outcome VARCHAR(16) NOT NULL"_s,
        u"error_text "_s + longText,
        u"qmigrate_version VARCHAR(32)"_s,
    };
    return u"CREATE TABLE IF NOT EXISTS "_s + qualifiedTable() + u" (\n    "_s + columns.join(u",\n    "_s) +
           u"\n)"_s + suffix;
}

QString AuditHistory::createIndexSql() const
{
    const QString index = m_dialect.quoteIdentifierIfNeeded(IndexName);
    const QString schema = m_dialect.versionTableSchema();
    // SQLite names the schema on the index, PostgreSQL puts the index in its table's schema, MySQL's index
    // names are per table.
    if (m_dialect.backend() == Backend::SQLite && !schema.isEmpty()) {
        return u"CREATE INDEX IF NOT EXISTS "_s + m_dialect.quoteIdentifierIfNeeded(schema) + u'.' + index +
               u" ON "_s + m_dialect.quoteIdentifierIfNeeded(TableName) + u" (revision)"_s;
    }
    return u"CREATE INDEX IF NOT EXISTS "_s + index + u" ON "_s + qualifiedTable() + u" (revision)"_s;
}

Expected<bool> AuditHistory::tableExists() const
{
    // The names go in as literals: a prepared statement would cost PostgreSQL's driver three round trips
    // (PREPARE, EXECUTE, DEALLOCATE) for a look every run takes.
    const QString schema = m_dialect.versionTableSchema();
    const QString table = m_dialect.quoteLiteral(QString(TableName));
    QString sql;
    switch (m_dialect.backend()) {
    case Backend::SQLite:
        sql = u"SELECT 1 FROM "_s +
              (schema.isEmpty() ? QString() : m_dialect.quoteIdentifierIfNeeded(schema) + u'.') +
              u"sqlite_master WHERE type = 'table' AND name = "_s + table;
        break;
    case Backend::PostgreSQL:
        sql = u"SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
              "WHERE c.relname = "_s +
              table + u" AND c.relkind IN ('r', 'p') AND "_s +
              (schema.isEmpty() ? u"pg_catalog.pg_table_is_visible(c.oid)"_s
                                : u"n.nspname = "_s + m_dialect.quoteLiteral(schema));
        break;
    case Backend::MySQL:
        sql = u"SELECT 1 FROM information_schema.TABLES WHERE TABLE_NAME = "_s + table +
              u" AND TABLE_SCHEMA = "_s +
              (schema.isEmpty() ? u"DATABASE()"_s : m_dialect.quoteLiteral(schema));
        break;
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(sql))
        return databaseError(u"Cannot look for the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    return query.next();
}

Expected<void> AuditHistory::ensureTable() const
{
    // Looking first keeps PostgreSQL from sending "relation already exists, skipping" notices, which libpq
    // prints on stderr, on every run.
    const auto exists = tableExists();
    if (!exists)
        return exists.error();
    if (*exists)
        return {};
    // Two runs that both found no table race on the catalog even with IF NOT EXISTS (PostgreSQL reports a
    // unique violation on pg_class to the loser once the winner commits). The loser's statements are
    // idempotent, so once the table is there it repeats them.
    constexpr int attempts = 3;
    for (int attempt = 1;; ++attempt) {
        Expected<void> created;
        for (const QString &sql : {createTableSql(), createIndexSql()}) {
            QSqlQuery query(m_db);
            if (!query.exec(sql)) {
                created = databaseError(u"Cannot create the audit history table"_s,
                                        DatabaseConnection::serverMessage(query.lastError()));
                break;
            }
        }
        if (created)
            return created;
        const auto createdByAnotherRun = tableExists();
        if (attempt == attempts || !createdByAnotherRun || !*createdByAnotherRun)
            return created;
    }
}

QString AuditHistory::insertSqlWithNames(const Dialect &dialect)
{
    return u"INSERT INTO "_s + AuditHistory(QSqlDatabase(), dialect).qualifiedTable() + u" ("_s +
           insertColumns().join(u", "_s) + u") VALUES (:"_s + insertColumns().join(u", :"_s) + u')';
}

const QStringList &AuditHistory::insertColumnNames()
{
    return insertColumns();
}

QString AuditHistory::insertSql(const Dialect &dialect)
{
    QStringList placeholders;
    placeholders.fill(u"?"_s, insertColumns().size());
    return u"INSERT INTO "_s + AuditHistory(QSqlDatabase(), dialect).qualifiedTable() + u" ("_s +
           insertColumns().join(u", "_s) + u") VALUES ("_s + placeholders.join(u", "_s) + u')';
}

QVariant AuditHistory::timestampValue(const QDateTime &dt, DatabaseUrl::Backend backend)
{
    // SQLite keeps ISO text with "Z"; MariaDB's DATETIME takes "yyyy-MM-dd hh:mm:ss.zzz" (UTC by convention);
    // PostgreSQL reads the ISO text with "Z" into TIMESTAMPTZ.
    if (!dt.isValid())
        return QVariant(QMetaType::fromType<QString>());
    const QDateTime utc = dt.timeSpec() == Qt::UTC ? dt : dt.toUTC();
    const QDate date = utc.date();
    if (date.year() < 1 || date.year() > 9999) {
        if (backend == Backend::MySQL)
            return utc.toString(u"yyyy-MM-dd hh:mm:ss.zzz"_s);
        return utc.toString(Qt::ISODateWithMs);
    }
    // Written digit by digit: QDateTime::toString() parses its format and consults the time zone for every
    // call, which was most of the cost of an audit row.
    const QTime time = utc.time();
    const bool mysql = backend == Backend::MySQL;
    char16_t text[24];
    int length = 0;
    const auto digits = [&](int value, int width) {
        for (int position = width - 1; position >= 0; --position) {
            text[length + position] = char16_t(u'0' + value % 10);
            value /= 10;
        }
        length += width;
    };
    const auto put = [&](char16_t c) { text[length++] = c; };
    digits(date.year(), 4);
    put(u'-');
    digits(date.month(), 2);
    put(u'-');
    digits(date.day(), 2);
    put(mysql ? u' ' : u'T');
    digits(time.hour(), 2);
    put(u':');
    digits(time.minute(), 2);
    put(u':');
    digits(time.second(), 2);
    put(u'.');
    digits(time.msec(), 3);
    if (!mysql)
        put(u'Z');
    return QString(reinterpret_cast<const QChar *>(text), length);
}

QVariantList AuditHistory::insertValues(const HistoryEntry &entry, DatabaseUrl::Backend backend)
{
    return {
        entry.revision,
        HistoryEntry::directionName(entry.direction),
        textOrNull(entry.checksum),
        textOrNull(entry.scriptText),
        timestampValue(entry.startedAt.isValid() ? entry.startedAt : QDateTime::currentDateTimeUtc(),
                       backend),
        timestampValue(entry.finishedAt, backend),
        QVariant::fromValue<qlonglong>(entry.durationMs),
        textOrNull(entry.osUser),
        textOrNull(entry.host),
        HistoryEntry::outcomeName(entry.outcome),
        textOrNull(entry.errorText),
        textOrNull(entry.qmigrateVersion),
    };
}

Expected<qint64> AuditHistory::record(const HistoryEntry &entry) const
{
    HistoryEntry filled = entry;
    if (filled.osUser.isEmpty())
        filled.osUser = currentOsUser();
    if (filled.host.isEmpty())
        filled.host = currentHost();
    if (filled.qmigrateVersion.isEmpty())
        filled.qmigrateVersion = QCoreApplication::applicationVersion();

    QSqlQuery query(m_db);
    if (!query.prepare(insertSql(m_dialect)))
        return databaseError(u"Cannot write to the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    for (const QVariant &value : insertValues(filled, m_dialect.backend()))
        query.addBindValue(value);
    if (!query.exec())
        return databaseError(u"Cannot write to the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    const QVariant id = query.lastInsertId();
    return id.isValid() ? id.toLongLong() : qint64(0);
}

QString AuditHistory::selectColumnsSql() const
{
    // Timestamps come back as UTC ISO text from every backend, so no driver's time zone handling is involved.
    auto timestamp = [this](const QString &column) {
        switch (m_dialect.backend()) {
        case Backend::SQLite:
            break;
        case Backend::PostgreSQL:
            return u"to_char(%1 AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"_s.arg(column);
        case Backend::MySQL:
            return u"DATE_FORMAT(%1, '%Y-%m-%dT%H:%i:%s.%fZ')"_s.arg(column);
        }
        return column;
    };
    return u"SELECT id, revision, direction, checksum, script_text, "_s + timestamp(u"started_at"_s) +
           u", "_s + timestamp(u"finished_at"_s) +
           u", duration_ms, os_user, host, outcome, error_text, qmigrate_version FROM "_s + qualifiedTable();
}

namespace {

QDateTime readTimestamp(const QVariant &value)
{
    if (value.isNull())
        return {};
    QDateTime dt = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return dt.isValid() ? dt.toUTC() : QDateTime();
}

Expected<QList<HistoryEntry>> readEntries(QSqlQuery &query, const QString &tableName)
{
    QList<HistoryEntry> result;
    while (query.next()) {
        HistoryEntry entry;
        entry.id = query.value(0).toLongLong();
        entry.revision = query.value(1).toString();
        const QString direction = query.value(2).toString();
        const QString outcome = query.value(10).toString();
        const auto parsedDirection = HistoryEntry::directionFromName(direction);
        const auto parsedOutcome = HistoryEntry::outcomeFromName(outcome);
        if (!parsedDirection || !parsedOutcome) {
            return EngineError(u"%1: row %2 (revision %3) has an unknown %4 \"%5\""_s.arg(
                                   tableName, QString::number(entry.id), entry.revision,
                                   parsedDirection ? u"outcome"_s : u"direction"_s,
                                   parsedDirection ? outcome : direction),
                               EngineError::Kind::Database);
        }
        entry.direction = *parsedDirection;
        entry.outcome = *parsedOutcome;
        entry.checksum = query.value(3).toString();
        entry.scriptText = query.value(4).toString();
        entry.startedAt = readTimestamp(query.value(5));
        entry.finishedAt = readTimestamp(query.value(6));
        entry.durationMs = query.value(7).toLongLong();
        entry.osUser = query.value(8).toString();
        entry.host = query.value(9).toString();
        entry.errorText = query.value(11).toString();
        entry.qmigrateVersion = query.value(12).toString();
        result.append(entry);
    }
    return result;
}

} // namespace

Expected<void> AuditHistory::finish(qint64 id, const HistoryEntry &entry) const
{
    QSqlQuery query(m_db);
    if (!query.prepare(u"UPDATE "_s + qualifiedTable() +
                       u" SET outcome = ?, finished_at = ?, duration_ms = ?, error_text = ? WHERE id = ?"_s))
        return databaseError(u"Cannot write to the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    query.addBindValue(HistoryEntry::outcomeName(entry.outcome));
    query.addBindValue(
        timestampValue(entry.finishedAt.isValid() ? entry.finishedAt : QDateTime::currentDateTimeUtc(),
                       m_dialect.backend()));
    query.addBindValue(QVariant::fromValue<qlonglong>(entry.durationMs));
    query.addBindValue(textOrNull(entry.errorText));
    query.addBindValue(QVariant::fromValue<qlonglong>(id));
    if (!query.exec())
        return databaseError(u"Cannot write to the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    return {};
}

Expected<void> AuditHistory::setProgress(qint64 id, const QString &progress) const
{
    QSqlQuery query(m_db);
    if (!query.prepare(u"UPDATE "_s + qualifiedTable() + u" SET error_text = ? WHERE id = ?"_s))
        return databaseError(u"Cannot write to the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    query.addBindValue(progress);
    query.addBindValue(QVariant::fromValue<qlonglong>(id));
    if (!query.exec())
        return databaseError(u"Cannot write to the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    return {};
}

Expected<QList<HistoryEntry>> AuditHistory::interruptedSteps() const
{
    Expected<bool> exists = tableExists();
    if (!exists)
        return exists.error();
    if (!*exists)
        return QList<HistoryEntry>();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(selectColumnsSql() + u" WHERE outcome = ? ORDER BY id"_s))
        return databaseError(u"Cannot read the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    query.addBindValue(HistoryEntry::outcomeName(HistoryEntry::Outcome::Running));
    if (!query.exec())
        return databaseError(u"Cannot read the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    return readEntries(query, qualifiedTable());
}

Expected<void> AuditHistory::resolveInterrupted(const QString &resolution) const
{
    Expected<QList<HistoryEntry>> interrupted = interruptedSteps();
    if (!interrupted)
        return interrupted.error();
    for (HistoryEntry entry : std::as_const(*interrupted)) {
        entry.outcome = HistoryEntry::Outcome::Failed;
        entry.finishedAt = QDateTime::currentDateTimeUtc();
        entry.durationMs =
            entry.startedAt.isValid() ? qMax<qint64>(0, entry.startedAt.msecsTo(entry.finishedAt)) : 0;
        entry.errorText = u"Interrupted: %1. %2"_s.arg(entry.errorText, resolution);
        if (Expected<void> finished = finish(entry.id, entry); !finished)
            return finished;
    }
    return {};
}

Expected<QList<HistoryEntry>> AuditHistory::entries(const HistoryFilter &filter) const
{
    QString sql = selectColumnsSql();
    if (!filter.revision.isEmpty())
        sql += u" WHERE revision = ?"_s;
    sql += u" ORDER BY id DESC"_s;
    if (filter.limit > 0)
        sql += u" LIMIT ?"_s;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return databaseError(u"Cannot read the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    if (!filter.revision.isEmpty())
        query.addBindValue(filter.revision);
    if (filter.limit > 0)
        query.addBindValue(filter.limit);
    if (!query.exec())
        return databaseError(u"Cannot read the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    return readEntries(query, qualifiedTable());
}

Expected<std::optional<HistoryEntry>> AuditHistory::latestApplied(const QString &revisionId) const
{
    // The newest successful upgrade or downgrade decides: an upgrade is what is applied now.
    const QString sql =
        selectColumnsSql() +
        u" WHERE revision = ? AND outcome = ? AND direction IN (?, ?) ORDER BY id DESC LIMIT 1"_s;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return databaseError(u"Cannot read the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    query.addBindValue(revisionId);
    query.addBindValue(HistoryEntry::outcomeName(HistoryEntry::Outcome::Success));
    query.addBindValue(HistoryEntry::directionName(HistoryEntry::Direction::Upgrade));
    query.addBindValue(HistoryEntry::directionName(HistoryEntry::Direction::Downgrade));
    if (!query.exec())
        return databaseError(u"Cannot read the audit history table"_s,
                             DatabaseConnection::serverMessage(query.lastError()));
    auto rows = readEntries(query, qualifiedTable());
    if (!rows)
        return rows.error();
    if (rows->isEmpty() || rows->constFirst().direction != HistoryEntry::Direction::Upgrade)
        return std::optional<HistoryEntry>();
    return std::optional<HistoryEntry>(rows->constFirst());
}

namespace {

// The row that decides each revision's applied text: its newest successful upgrade or downgrade (an upgrade
// is what is applied now; a downgrade after it means the text applied is gone).
QHash<QString, const HistoryEntry *> appliedRows(const QList<HistoryEntry> &newestFirst)
{
    QHash<QString, const HistoryEntry *> latest;
    for (const HistoryEntry &entry : newestFirst) {
        if (entry.outcome != HistoryEntry::Outcome::Success ||
            entry.direction == HistoryEntry::Direction::Stamp || latest.contains(entry.revision))
            continue;
        latest.insert(entry.revision, &entry);
    }
    for (auto it = latest.begin(); it != latest.end();) {
        if (it.value()->direction != HistoryEntry::Direction::Upgrade || it.value()->checksum.isEmpty())
            it = latest.erase(it);
        else
            ++it;
    }
    return latest;
}

ChangedScript changedScript(const HistoryEntry &entry, const Revision &revision,
                            const QString &currentChecksum, const QString &currentText)
{
    const QString fileName = QFileInfo(revision.path).fileName();
    ChangedScript changed;
    changed.revision = revision.id;
    changed.path = revision.path;
    changed.appliedChecksum = entry.checksum;
    changed.currentChecksum = currentChecksum;
    changed.appliedAt = entry.finishedAt;
    changed.diff = TextDiff::unified(entry.scriptText, currentText, u"a/"_s + fileName, u"b/"_s + fileName);
    return changed;
}

} // namespace

Expected<QList<ChangedScript>> AuditHistory::changedScripts(const QList<Revision> &revisions,
                                                            const QStringList &appliedRevisionIds) const
{
    Expected<QList<HistoryEntry>> rows = entries();
    if (!rows)
        return rows.error();
    const QHash<QString, const HistoryEntry *> latest = appliedRows(*rows);
    const QSet<QString> applied(appliedRevisionIds.cbegin(), appliedRevisionIds.cend());
    QList<ChangedScript> result;
    for (const Revision &revision : revisions) {
        const HistoryEntry *entry = applied.contains(revision.id) ? latest.value(revision.id) : nullptr;
        if (!entry)
            continue;
        auto current = ScriptChecksum::readFile(revision.path);
        if (!current)
            return EngineError(current.error()).setRevision(revision.id);
        if (current->checksum != entry->checksum)
            result.append(changedScript(*entry, revision, current->checksum, current->text));
    }
    return result;
}

QList<ChangedScript> AuditHistory::changedScripts(const QList<HistoryEntry> &newestFirst,
                                                  const QList<const Revision *> &appliedRevisions)
{
    const QHash<QString, const HistoryEntry *> latest = appliedRows(newestFirst);
    QList<ChangedScript> result;
    for (const Revision *revision : appliedRevisions) {
        const HistoryEntry *entry = latest.value(revision->id);
        const QString checksum = revision->checksum.toHex();
        if (!entry || entry->checksum == checksum)
            continue;
        const Expected<ScriptChecksum::Script> current = ScriptChecksum::readFile(revision->path);
        result.append(
            changedScript(*entry, *revision, checksum, current ? current->text : current.error().toString()));
    }
    return result;
}

} // namespace qmigrate
