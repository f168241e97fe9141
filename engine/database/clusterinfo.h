// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QSqlDatabase>
#include <QString>

namespace qmigrate {

// What a MariaDB server says about the Galera cluster it belongs to (wsrep_* variables and status), read
// when a run connects: on a cluster the run lock, causal reads and conflict handling differ (see Migrator).
struct ClusterInfo
{
    bool galera = false; // wsrep_on = ON with a provider loaded
    int size = 0;        // wsrep_cluster_size: nodes in this node's primary component
    QString osuMethod;   // wsrep_OSU_method: "TOI" (DDL replicated in total order) or "RSU" (this node only)
    bool ready = false;  // wsrep_ready: the node accepts queries
    QString state;       // wsrep_local_state_comment: "Synced", "Donor/Desynced", "Joining", …
    QString nodeName;    // wsrep_node_name
    int syncWait = 0;    // wsrep_sync_wait of this session

    bool isTotalOrder() const { return osuMethod.compare(QLatin1String("TOI"), Qt::CaseInsensitive) == 0; }
    // "Galera cluster, 3 nodes, TOI"; empty when not a cluster.
    QString summary() const;
    // Why a run must not go on on this node (not ready, not synced); empty when it may.
    QString notReadyReason() const;
    // Why a run that changes the schema must not run here unless forced: under RSU a DDL statement changes
    // only this node, so the nodes' schemas and version tables would silently disagree. Empty under TOI.
    QString rsuReason() const;
    // MariaDB's 1213: a deadlock, or on Galera a transaction aborted by certification (a conflicting write
    // committed on another node first) or by a DDL replicated in total order.
    static bool isConflict(const QString &nativeErrorCode)
    {
        return nativeErrorCode == QLatin1String("1213");
    }

    // Reads the variables on a MySQL/MariaDB connection. A server without them (MySQL, MariaDB built without
    // wsrep) is no cluster, not an error; a failing query is.
    static Expected<ClusterInfo> read(QSqlDatabase &db);
    // The session's wsrep_sync_wait for causal reads: 1 (reads: SELECT, SHOW, BEGIN) + 2 (UPDATE, DELETE),
    // so a version row read or rewritten on this node includes every transaction committed on any node
    // before it.
    static constexpr int causalSyncWait = 3;
};

} // namespace qmigrate
