// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <sqlite3.h>

#include <optional>

namespace qmigrate {

// SQLite's own functions, from the library Qt's SQLite driver loaded, for the paths where QSqlQuery's cost
// per statement counts in a long run (in Qt 6.4 a statement is prepared from UTF-16 and each bound value's
// placeholder name formatted and hashed): a run's statements and version writes, its audit rows. The
// connection's handle belongs to that library. Looked up the first time they are asked for, so programs that
// never open an SQLite database do not load it at start (linking it cost every qmigrate-cli start its
// relocations). Not available when the driver carries an SQLite of its own, or without dlopen(): callers
// then go through QSqlQuery.
class SqliteApi
{
public:
    // Null when not available.
    static const SqliteApi *instance();
    // The connection's own handle when its driver is Qt's SQLite driver; null otherwise.
    static sqlite3 *handle(const QSqlDatabase &db);

    // Runs every statement of the UTF-8 text in turn, stepping through any rows. *changes, when given, gets
    // the rows each statement changed (sqlite3_changes(): meaningful after INSERT, UPDATE and DELETE), up to
    // the one that failed (its size is that statement's position); SQLite's message on failure, and
    // *errorCode its extended result code.
    std::optional<QString> execute(sqlite3 *handle, const QByteArray &sql, QList<int> *changes = nullptr,
                                   int *errorCode = nullptr) const;

    decltype(&sqlite3_prepare_v2) prepare = nullptr;
    decltype(&sqlite3_finalize) finalize = nullptr;
    decltype(&sqlite3_bind_null) bindNull = nullptr;
    decltype(&sqlite3_bind_int64) bindInt64 = nullptr;
    decltype(&sqlite3_bind_text) bindText = nullptr;
    decltype(&sqlite3_step) step = nullptr;
    decltype(&sqlite3_reset) reset = nullptr;
    decltype(&sqlite3_changes) changes = nullptr;
    decltype(&sqlite3_errmsg) errmsg = nullptr;
    decltype(&sqlite3_extended_errcode) extendedErrcode = nullptr;

private:
    bool isComplete() const;
};

} // namespace qmigrate
