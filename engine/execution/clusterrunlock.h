// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "database/dialect.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace qmigrate {

class DatabaseConnection;

// The run lock on a Galera cluster: one row in the lock table (qmigrate_lock, beside the version table),
// keyed by Dialect::lockName().
//
// GET_LOCK is local to the node that grants it, so two runs on two nodes would both get it. A committed
// INSERT of the one fixed-key row is replicated instead: on the node that already has the row it fails
// with a duplicate key, and of two concurrent INSERTs on different nodes Galera's certification lets one
// commit and aborts the other (1213), so exactly one run in the cluster holds the row.
//
// Nothing drops the row when the holder dies, so it carries an expiry that a heartbeat (its own thread and
// connection) pushes forward while the run lives; a row past its expiry belongs to a dead run and is taken
// over, with a message naming it. Should the heartbeat find its row gone or another token in it, the lock
// is lost (lostReason()), and the run stops before its next step. Expiry compares the nodes' clocks: they
// must agree to well within the expiry (NTP).
class ClusterRunLock
{
public:
    static constexpr int defaultExpirySeconds = 60;
    static QString tableName() { return QStringLiteral("qmigrate_lock"); }

    // `connection` is the run's, used to take and release the row; `url` and `baseDirectory` open the
    // heartbeat's own connection. `command` names the run for the message of a run that waits.
    ClusterRunLock(std::shared_ptr<DatabaseConnection> connection, DatabaseUrl url, QString baseDirectory,
                   const Dialect &dialect, QString command, int expirySeconds = defaultExpirySeconds);
    ~ClusterRunLock();
    ClusterRunLock(const ClusterRunLock &) = delete;
    ClusterRunLock &operator=(const ClusterRunLock &) = delete;

    // Creates the lock table if missing and waits up to timeoutSeconds (0: one try) for the row. true when
    // taken, false when another run still holds it (holder() names it). `log` hears that this run waits
    // (once) and that it took over an expired holder. `cancel` ends the wait early (false).
    Expected<bool> acquire(int timeoutSeconds, const std::atomic_bool *cancel,
                           const std::function<void(const QString &line)> &log);
    // Stops the heartbeat and deletes this run's row (only if it is still this run's).
    void release();
    bool isHeld() const { return m_held; }
    // Why the lock is no longer this run's (empty while it is).
    QString lostReason() const;
    // The holder as the row says: "qmigrate-cli upgrade, process 1234 on host build-7, node node1, since
    // 2026-12-06T20:30:00Z, last heartbeat 2 s ago"; empty when no row.
    QString holder() const { return m_holder; }

    QString createTableSql() const;

private:
    QString table() const;
    // Reads the row into m_holder; true when one exists, *expired says whether it is past its expiry and
    // *token names its holder.
    Expected<bool> readHolder(bool *expired, QString *token);
    void heartbeat();

    std::shared_ptr<DatabaseConnection> m_connection;
    DatabaseUrl m_url;
    QString m_baseDirectory;
    Dialect m_dialect;
    QString m_command;
    int m_expirySeconds;
    QString m_token;
    QString m_holder;
    bool m_held = false;

    std::thread m_heartbeat;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    QString m_lost;
};

} // namespace qmigrate
