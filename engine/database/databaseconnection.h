// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "database/clusterinfo.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>

#include <memory>

namespace qmigrate {

// One QSqlDatabase connection opened from a DatabaseUrl under a connection name of its own, closed and
// removed from Qt's registry when this object goes. QSqlDatabase connections belong to the thread that opens
// them, so open one in the thread that uses it.
class DatabaseConnection
{
public:
    // baseDirectory resolves relative SQLite paths (the ini's directory). applicationName goes to
    // PostgreSQL's application_name (unless the URL sets one), which lock-holder messages show. Errors are
    // Kind::Database and show the URL without its password.
    static Expected<std::shared_ptr<DatabaseConnection>>
    open(const DatabaseUrl &url, const QString &baseDirectory,
         const QString &applicationName = QStringLiteral("qmigrate"));
    ~DatabaseConnection();
    DatabaseConnection(const DatabaseConnection &) = delete;
    DatabaseConnection &operator=(const DatabaseConnection &) = delete;

    QSqlDatabase &database() { return m_db; }
    const DatabaseUrl &url() const { return m_url; }
    QString connectionName() const { return m_name; }
    // MySQL/MariaDB: the Galera cluster this server belongs to, read when the connection opened. On a
    // cluster the session reads causally (wsrep_sync_wait = ClusterInfo::causalSyncWait), so what any
    // connection reads includes what was committed on every node before the read.
    const ClusterInfo &cluster() const { return m_cluster; }

    // The server's own words where it gave some (databaseText), else Qt's text.
    static QString serverMessage(const QSqlError &error);

private:
    DatabaseConnection(QSqlDatabase db, QString name, DatabaseUrl url);

    QSqlDatabase m_db;
    QString m_name;
    DatabaseUrl m_url;
    ClusterInfo m_cluster;
};

} // namespace qmigrate
