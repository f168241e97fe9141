// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "database/databaseconnection.h"
#include "schema/schemaintrospector.h"

#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace qmigrate {

// "sqlite", "postgresql", "mariadb" (the names test rows use) as a backend.
DatabaseUrl::Backend testBackend(const QString &backend);

// One empty database of its own for one test: a SQLite file in the test's temporary directory, or a fresh
// database on the fixture server, dropped again when this goes (also when the test fails half-way).
class TestDatabase
{
public:
    TestDatabase(const QString &backend, const QString &name, const QTemporaryDir &dir);
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    QString error() const { return m_error; } // empty when the database is open
    const DatabaseUrl &url() const { return m_url; }
    QSqlDatabase &db() { return m_connection->database(); }
    DatabaseUrl::Backend backend() const { return testBackend(m_backend); }

    // Runs the statements of sql in order, as SqlStatementSplitter splits them; the first failure comes
    // back as "line N: statement: the server's words". Empty on success.
    QString execute(const QString &sql);
    Expected<SchemaSnapshot> snapshot(const IntrospectOptions &options = {});
    // Rows of a table, -1 when it cannot be counted.
    int count(const QString &table);

private:
    QString m_backend;
    QString m_name;
    DatabaseUrl m_url;
    QString m_error;
    std::shared_ptr<DatabaseConnection> m_connection;
};

} // namespace qmigrate
