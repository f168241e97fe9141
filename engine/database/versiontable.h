// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"
#include "database/dialect.h"
#include "graph/headmaintainer.h"

#include <QSqlDatabase>
#include <QStringList>

#include <functional>

namespace qmigrate {

// alembic_version (or the configured version table) on an open connection: exists, read, create, and the
// step writes with Alembic's one-row checks. Errors are Kind::Database and carry the server's message.
class VersionTable
{
public:
    VersionTable(QSqlDatabase db, Dialect dialect);

    Expected<bool> exists() const;
    // In the order the server returns them (no ORDER BY, as Alembic); empty when the table is missing.
    Expected<QStringList> readRows() const;
    // Creates the table when it is missing; true when it was created.
    Expected<bool> createIfMissing() const;
    // One write. UPDATE and DELETE must match exactly one row, else Alembic's error:
    // "Online migration expected to match one row when updating 'a' to 'b' in 'alembic_version'; 0 found".
    // `alongWith`, when not empty, is a data-modifying statement (an INSERT) sent in the same statement as a
    // WITH of the write, so that both take one round trip and succeed or fail together (PostgreSQL only).
    Expected<void> apply(const VersionChange &change, const QString &alongWith = {}) const;
    Expected<void> deleteAll() const;

    // apply() in parts, for a caller that sends the write in one message with other statements: its SQL,
    // the error when the server refused it, and the one-row check of the rows it affected.
    QString changeSql(const VersionChange &change, const QString &alongWith = {}) const;
    EngineError changeFailed(const VersionChange &change, const QString &serverMessage) const;
    Expected<void> checkAffected(const VersionChange &change, int affected) const;

    const Dialect &dialect() const { return m_dialect; }

private:
    // Runs sql; the number of rows it affected, or the error (prefixed with context).
    // `context` ("Updating 'a' to 'b' in") is only made for an error message.
    Expected<int> execute(const QString &sql, const std::function<QString()> &context) const;
    EngineError failed(const QString &context, const QString &serverMessage) const;

    QSqlDatabase m_db;
    Dialect m_dialect;
};

} // namespace qmigrate
