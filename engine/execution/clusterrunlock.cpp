// SPDX-License-Identifier: MIT
#include "execution/clusterrunlock.h"

#include "database/databaseconnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QThread>
#include <QUuid>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

constexpr auto duplicateKey = "1062"_L1;
constexpr auto deadlock = "1213"_L1; // also Galera's certification failure

} // namespace

ClusterRunLock::ClusterRunLock(std::shared_ptr<DatabaseConnection> connection, DatabaseUrl url,
                               QString baseDirectory, const Dialect &dialect, QString command,
                               int expirySeconds)
    : m_connection(std::move(connection))
    , m_url(std::move(url))
    , m_baseDirectory(std::move(baseDirectory))
    , m_dialect(dialect)
    , m_command(std::move(command))
    , m_expirySeconds(qMax(2, expirySeconds))
    , m_token(QUuid::createUuid().toString(QUuid::Id128))
{}

ClusterRunLock::~ClusterRunLock()
{
    release();
}

QString ClusterRunLock::table() const
{
    const QString name = m_dialect.quoteIdentifier(tableName());
    if (m_dialect.versionTableSchema().isEmpty())
        return name;
    return m_dialect.quoteIdentifier(m_dialect.versionTableSchema()) + u'.' + name;
}

QString ClusterRunLock::createTableSql() const
{
    return u"CREATE TABLE IF NOT EXISTS %1 (\n"
           u"    lock_name VARCHAR(64) NOT NULL PRIMARY KEY,\n"
           u"    token CHAR(32) NOT NULL,\n"
           u"    host VARCHAR(255) NOT NULL,\n"
           u"    pid BIGINT NOT NULL,\n"
           u"    command VARCHAR(255) NOT NULL,\n"
           u"    node VARCHAR(255) NOT NULL,\n"
           u"    started_at DATETIME(6) NOT NULL,\n"
           u"    heartbeat_at DATETIME(6) NOT NULL,\n"
           u"    expires_at DATETIME(6) NOT NULL\n"
           u") ENGINE=InnoDB"_s.arg(table());
}

Expected<bool> ClusterRunLock::readHolder(bool *expired, QString *token)
{
    QSqlQuery query(m_connection->database());
    const QString sql =
        u"SELECT token, host, pid, command, node, started_at, TIMESTAMPDIFF(SECOND, heartbeat_at, "
        u"UTC_TIMESTAMP(6)), expires_at < UTC_TIMESTAMP(6), expires_at FROM %1 WHERE lock_name = %2"_s.arg(
            table(), m_dialect.quoteLiteral(m_dialect.lockName()));
    if (!query.exec(sql))
        return EngineError(u"Reading the migration lock in %1 failed: %2"_s.arg(
                               table(), DatabaseConnection::serverMessage(query.lastError())),
                           EngineError::Kind::Database);
    if (!query.next()) {
        m_holder.clear();
        return false;
    }
    *token = query.value(0).toString();
    *expired = query.value(7).toInt() != 0;
    m_holder = u"%1, process %2 on host %3, node %4, since %5 UTC, last heartbeat %6 s ago%7"_s.arg(
        query.value(3).toString(), query.value(2).toString(), query.value(1).toString(),
        query.value(4).toString(), query.value(5).toDateTime().toString(Qt::ISODate),
        query.value(6).toString(),
        *expired ? u" (expired at %1 UTC)"_s.arg(query.value(8).toDateTime().toString(Qt::ISODate))
                 : QString());
    return true;
}

Expected<bool> ClusterRunLock::acquire(int timeoutSeconds, const std::atomic_bool *cancel,
                                       const std::function<void(const QString &line)> &log)
{
    QSqlDatabase &db = m_connection->database();
    {
        QSqlQuery create(db);
        if (!create.exec(createTableSql()))
            return EngineError(
                u"Creating the migration lock table %1 on %2 failed: %3. On a Galera cluster qmigrate's run "
                u"lock is a row in that table; the user needs CREATE on the database (or create the table "
                u"once as `qmigrate-cli` would: see README, Clusters)"_s.arg(
                    table(), m_url.toDisplayString(), DatabaseConnection::serverMessage(create.lastError())),
                EngineError::Kind::Database);
    }
    const QString node = [&] {
        QSqlQuery query(db);
        if (query.exec(u"SELECT @@wsrep_node_name"_s) && query.next())
            return query.value(0).toString();
        return QString();
    }();
    const QString insert =
        u"INSERT INTO %1 (lock_name, token, host, pid, command, node, started_at, heartbeat_at, expires_at) "
        u"VALUES (%2, %3, %4, %5, %6, %7, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL %8 "
        u"SECOND)"_s
            .arg(table(), m_dialect.quoteLiteral(m_dialect.lockName()), m_dialect.quoteLiteral(m_token),
                 m_dialect.quoteLiteral(QSysInfo::machineHostName().left(255)))
            .arg(QCoreApplication::applicationPid())
            .arg(m_dialect.quoteLiteral(m_command.left(255)), m_dialect.quoteLiteral(node.left(255)))
            .arg(m_expirySeconds);
    const QDeadlineTimer deadline(qint64(qMax(0, timeoutSeconds)) * 1000);
    bool waiting = false;
    for (;;) {
        QSqlQuery query(db);
        if (query.exec(insert)) {
            m_held = true;
            m_holder.clear();
            m_heartbeat = std::thread([this] { heartbeat(); });
            return true;
        }
        const QString code = query.lastError().nativeErrorCode();
        if (code != duplicateKey && code != deadlock)
            return EngineError(
                u"Taking the migration lock in %1 on %2 failed: %3"_s.arg(
                    table(), m_url.toDisplayString(), DatabaseConnection::serverMessage(query.lastError())),
                EngineError::Kind::Database);
        bool expired = false;
        QString token;
        Expected<bool> present = readHolder(&expired, &token);
        if (!present)
            return present.error();
        if (*present && expired) {
            // Only the row that was read is deleted: a run that took it over meanwhile keeps its own.
            const QString holder = m_holder;
            QSqlQuery takeOver(db);
            if (takeOver.exec(u"DELETE FROM %1 WHERE lock_name = %2 AND token = %3 AND expires_at < "
                              u"UTC_TIMESTAMP(6)"_s.arg(table(), m_dialect.quoteLiteral(m_dialect.lockName()),
                                                        m_dialect.quoteLiteral(token))) &&
                takeOver.numRowsAffected() == 1 && log)
                log(u"Taking over the migration lock from a run that stopped renewing it: %1. That run is "
                    u"presumed dead (no heartbeat for over %2 s)."_s.arg(holder)
                        .arg(m_expirySeconds));
            continue;
        }
        if (!*present)
            continue; // released between the INSERT and the read
        if (deadline.hasExpired() || (cancel && cancel->load()))
            return false;
        if (!waiting && log) {
            waiting = true;
            log(u"Waiting up to %1 s for the cluster's migration lock (%2): another migration is running "
                u"(held by %3)."_s.arg(qMax(0, timeoutSeconds))
                    .arg(table(), m_holder));
        }
        QThread::msleep(qMin<qint64>(200, qMax<qint64>(1, deadline.remainingTime())));
    }
}

void ClusterRunLock::heartbeat()
{
    // Its own connection: the run's is busy with the steps, and a step may take longer than the expiry.
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(m_url, m_baseDirectory, u"qmigrate-lock"_s);
    const auto interval = std::chrono::milliseconds(qMax(500, m_expirySeconds * 1000 / 4));
    QDeadlineTimer renewedBefore(qint64(m_expirySeconds) * 1000);
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait_for(lock, interval, [this] { return m_stop; });
        if (m_stop)
            break;
        lock.unlock();
        QString problem;
        bool renewed = false;
        if (!connection) {
            connection = DatabaseConnection::open(m_url, m_baseDirectory, u"qmigrate-lock"_s);
            problem = connection ? QString() : connection.error().message();
        }
        if (connection) {
            QSqlQuery query((*connection)->database());
            if (!query.exec(u"UPDATE %1 SET heartbeat_at = UTC_TIMESTAMP(6), expires_at = UTC_TIMESTAMP(6) + "
                            u"INTERVAL %2 SECOND WHERE lock_name = %3 AND token = %4"_s.arg(table())
                                .arg(m_expirySeconds)
                                .arg(m_dialect.quoteLiteral(m_dialect.lockName()),
                                     m_dialect.quoteLiteral(m_token)))) {
                problem = DatabaseConnection::serverMessage(query.lastError());
            } else if (query.numRowsAffected() < 1) {
                lock.lock();
                m_lost = u"the cluster's migration lock in %1 is no longer this run's: another run took it "
                         u"over (this run's heartbeat was late by more than %2 s)"_s.arg(table())
                             .arg(m_expirySeconds);
                break;
            } else {
                renewed = true;
            }
        }
        lock.lock();
        if (renewed) {
            renewedBefore.setRemainingTime(qint64(m_expirySeconds) * 1000);
        } else if (renewedBefore.hasExpired()) {
            m_lost = u"the cluster's migration lock in %1 could not be renewed for %2 s (%3), so another run "
                     u"may have taken it over"_s.arg(table())
                         .arg(m_expirySeconds)
                         .arg(problem);
            break;
        }
    }
}

QString ClusterRunLock::lostReason() const
{
    std::lock_guard lock(m_mutex);
    return m_lost;
}

void ClusterRunLock::release()
{
    if (m_heartbeat.joinable()) {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        m_heartbeat.join();
    }
    if (!m_held)
        return;
    m_held = false;
    const QString sql = u"DELETE FROM %1 WHERE lock_name = %2 AND token = %3"_s.arg(
        table(), m_dialect.quoteLiteral(m_dialect.lockName()), m_dialect.quoteLiteral(m_token));
    QSqlQuery query(m_connection->database());
    if (m_connection->database().isOpen() && query.exec(sql))
        return;
    // The run's connection is gone (a server restart): a new one releases the row rather than leaving
    // the next run to wait for its expiry.
    Expected<std::shared_ptr<DatabaseConnection>> fresh =
        DatabaseConnection::open(m_url, m_baseDirectory, u"qmigrate-lock"_s);
    if (fresh) {
        QSqlQuery again((*fresh)->database());
        again.exec(sql);
    }
}

} // namespace qmigrate
