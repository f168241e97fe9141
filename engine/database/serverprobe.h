// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"
#include "database/clusterinfo.h"

#include <QString>

namespace qmigrate {

// What a database server says about itself.
struct ServerInfo
{
    QString product; // "SQLite", "PostgreSQL", "MariaDB" or "MySQL"
    QString version; // as the server reports it: "3.40.1", "15.18", "10.11.6-MariaDB-0+deb12u1"
    // The server's long self-description where it has one (PostgreSQL's version(), MariaDB's
    // version_comment); for a SQLite file that does not exist yet, a note saying so.
    QString description;
    ClusterInfo cluster; // MariaDB: the Galera cluster the server belongs to, if any

    // "PostgreSQL 15.18"; on a cluster "MariaDB 10.11.19-MariaDB-0+deb12u1 (Galera cluster, 3 nodes, TOI)"
    QString toString() const
    {
        const QString text = product + QLatin1Char(' ') + version;
        return cluster.galera ? text + QLatin1String(" (") + cluster.summary() + QLatin1Char(')') : text;
    }
};

// "Is this connection usable?": opens a real connection, asks the server for its version and closes the
// connection again. Blocks for as long as the server takes (at most about connectTimeoutSeconds to connect),
// so call it off the UI thread; it opens its connection in the calling thread and removes it before
// returning, so any thread may call it.
class ServerProbe
{
public:
    static constexpr int defaultConnectTimeoutSeconds = 10;

    // baseDirectory resolves a relative SQLite path. A probe never creates a database: for a SQLite file that
    // does not exist yet (in a directory that does) it asks an in-memory SQLite and says so in description;
    // an existing file that is no SQLite database is an error. connectTimeoutSeconds applies to PostgreSQL
    // and MariaDB unless the URL sets connect_timeout itself (libpq's minimum is 2 seconds). Errors are
    // Kind::Database, carry the server's own message and show the URL without its password.
    static Expected<ServerInfo> probe(const DatabaseUrl &url, const QString &baseDirectory,
                                      int connectTimeoutSeconds = defaultConnectTimeoutSeconds);
};

} // namespace qmigrate
