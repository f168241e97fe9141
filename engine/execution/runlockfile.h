// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QString>

#include <atomic>

namespace qmigrate {

// The run lock of a SQLite database file: an exclusive flock() on "<database>.qmigrate-lock" beside it,
// held from before the version rows are read until the run ends.
//
// SQLite's own write lock is the open write transaction, so every commit inside a run (after each step with
// transaction_per_migration, around each "-- migrate:no-transaction" statement) would let another run in
// with a plan made from rows that are about to change. This lock is independent of SQLite's: it survives the
// run's commits, the operating system drops it when the holding process ends however it ends (no stale
// holder to detect), and qmigrate's Alembic driver takes the same lock for Alembic Python projects. The file
// names the holder (pid, host, start, command) for the message of a run that waited in vain; it is never
// deleted, since deleting a lock file races with a process about to lock it.
//
// It excludes qmigrate runs from each other on one machine (and on a network filesystem only as far as its
// flock() does); it does not stop a program that writes the database without taking it.
class RunLockFile
{
public:
    // The lock file for a SQLite database file.
    static QString pathFor(const QString &databaseFile);

    explicit RunLockFile(QString path);
    ~RunLockFile();
    RunLockFile(const RunLockFile &) = delete;
    RunLockFile &operator=(const RunLockFile &) = delete;

    // Waits up to timeoutSeconds (0: one try) for the lock, then writes `command` and this process into the
    // file as the holder. true when taken, false when another run still holds it (holder() names it); an
    // error when the file cannot be opened or locked at all. `cancel`, when set, ends the wait early
    // (false).
    Expected<bool> acquire(int timeoutSeconds, const QString &command,
                           const std::atomic_bool *cancel = nullptr);
    void release();
    bool isHeld() const { return m_fd >= 0; }

    // Who holds it, as the file says: "process 1234 on host build-7 since 2026-12-05T06:12:00Z
    // (qmigrate-cli upgrade head)"; empty when the file names no one.
    QString holder() const;

    const QString &path() const { return m_path; }

private:
    QString m_path;
    int m_fd = -1;
};

} // namespace qmigrate
