// SPDX-License-Identifier: MIT
#include "database/sqliteapi.h"

#include <QSqlDriver>
#include <QVariant>

#include <type_traits>

#ifdef Q_OS_UNIX
#include <dlfcn.h>
#endif

namespace qmigrate {

const SqliteApi *SqliteApi::instance()
{
#ifdef Q_OS_UNIX
    static const SqliteApi api = [] {
        SqliteApi found;
        // Only the library already in the process (RTLD_NOLOAD); the reference is kept, as the driver keeps
        // the library loaded anyway.
        void *library = dlopen("libsqlite3.so.0", RTLD_LAZY | RTLD_NOLOAD);
        if (!library)
            return found;
        const auto resolve = [library](auto *function, const char *name) {
            *function = reinterpret_cast<std::remove_pointer_t<decltype(function)>>(dlsym(library, name));
        };
        resolve(&found.prepare, "sqlite3_prepare_v2");
        resolve(&found.finalize, "sqlite3_finalize");
        resolve(&found.bindNull, "sqlite3_bind_null");
        resolve(&found.bindInt64, "sqlite3_bind_int64");
        resolve(&found.bindText, "sqlite3_bind_text");
        resolve(&found.step, "sqlite3_step");
        resolve(&found.reset, "sqlite3_reset");
        resolve(&found.changes, "sqlite3_changes");
        resolve(&found.errmsg, "sqlite3_errmsg");
        resolve(&found.extendedErrcode, "sqlite3_extended_errcode");
        return found;
    }();
    return api.isComplete() ? &api : nullptr;
#else
    return nullptr;
#endif
}

sqlite3 *SqliteApi::handle(const QSqlDatabase &db)
{
    const QSqlDriver *driver = db.driver();
    if (!driver)
        return nullptr;
    const QVariant handle = driver->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

bool SqliteApi::isComplete() const
{
    return prepare && finalize && bindNull && bindInt64 && bindText && step && reset && changes && errmsg &&
           extendedErrcode;
}

std::optional<QString> SqliteApi::execute(sqlite3 *handle, const QByteArray &sql, QList<int> *changed,
                                          int *errorCode) const
{
    // Read before the statement is finalized.
    const auto failure = [&]() -> std::optional<QString> {
        if (errorCode)
            *errorCode = extendedErrcode(handle);
        return QString::fromUtf8(errmsg(handle));
    };
    const char *next = sql.constData();
    const char *const end = next + sql.size();
    while (next < end) {
        sqlite3_stmt *statement = nullptr;
        const char *tail = nullptr;
        if (prepare(handle, next, int(end - next), &statement, &tail) != SQLITE_OK)
            return failure();      // nothing to finalize: the statement is null
        if (!tail || tail <= next) // nothing consumed: no statement left
            break;
        next = tail;
        if (!statement) // an empty statement (a lone semicolon, a comment): the text goes on after it
            continue;
        int result = SQLITE_ROW;
        while (result == SQLITE_ROW)
            result = step(statement);
        if (result != SQLITE_DONE) {
            const std::optional<QString> message = failure();
            finalize(statement);
            return message;
        }
        finalize(statement);
        if (changed)
            changed->append(changes(handle));
    }
    return std::nullopt;
}

} // namespace qmigrate
