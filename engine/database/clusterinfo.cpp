// SPDX-License-Identifier: MIT
#include "database/clusterinfo.h"

#include "database/databaseconnection.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace qmigrate {

QString ClusterInfo::summary() const
{
    if (!galera)
        return QString();
    return u"Galera cluster, %1 %2, %3"_s.arg(size).arg(
        size == 1 ? u"node"_s : u"nodes"_s, osuMethod.isEmpty() ? u"unknown OSU method"_s : osuMethod);
}

QString ClusterInfo::notReadyReason() const
{
    if (!galera)
        return QString();
    if (!ready)
        return u"node %1 not ready: WSREP has not yet prepared node for application use (state %2)"_s.arg(
            nodeName.isEmpty() ? u"?"_s : nodeName, state.isEmpty() ? u"unknown"_s : state);
    if (state.compare("Synced"_L1, Qt::CaseInsensitive) != 0)
        return u"node %1 is %2, not Synced with the cluster: its reads may be behind the other nodes"_s.arg(
            nodeName.isEmpty() ? u"?"_s : nodeName, state);
    return QString();
}

QString ClusterInfo::rsuReason() const
{
    if (!galera || osuMethod.isEmpty() || isTotalOrder())
        return QString();
    return u"wsrep_OSU_method is %1 on this node: DDL would change only node %2, not the cluster, while its "
           u"version row is replicated to every node, so the other nodes would claim a schema they do not "
           u"have. Set wsrep_OSU_method=TOI for the session that migrates (the default), or pass "
           u"--allow-rsu if you run the same migration on every node yourself"_s.arg(
               osuMethod, nodeName.isEmpty() ? u"?"_s : nodeName);
}

Expected<ClusterInfo> ClusterInfo::read(QSqlDatabase &db)
{
    ClusterInfo info;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // SHOW … WHERE lists only the variables the server has: none on MySQL, so no error to tell apart.
    if (!query.exec(u"SHOW SESSION VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_OSU_method', "
                    u"'wsrep_provider', 'wsrep_node_name', 'wsrep_sync_wait')"_s))
        return EngineError(u"Reading the wsrep variables failed: %1"_s.arg(
                               DatabaseConnection::serverMessage(query.lastError())),
                           EngineError::Kind::Database);
    bool on = false;
    bool provider = false;
    while (query.next()) {
        const QString name = query.value(0).toString().toLower();
        const QString value = query.value(1).toString();
        if (name == "wsrep_on"_L1)
            on = value.compare("ON"_L1, Qt::CaseInsensitive) == 0 || value == "1"_L1;
        else if (name == "wsrep_provider"_L1)
            provider = !value.isEmpty() && value.compare("none"_L1, Qt::CaseInsensitive) != 0;
        else if (name == "wsrep_osu_method"_L1)
            info.osuMethod = value;
        else if (name == "wsrep_node_name"_L1)
            info.nodeName = value;
        else if (name == "wsrep_sync_wait"_L1)
            info.syncWait = value.toInt();
    }
    query.finish();
    info.galera = on && provider;
    if (!info.galera)
        return info;
    if (!query.exec(u"SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_ready', "
                    u"'wsrep_local_state_comment')"_s))
        return EngineError(u"Reading the wsrep status failed: %1"_s.arg(
                               DatabaseConnection::serverMessage(query.lastError())),
                           EngineError::Kind::Database);
    while (query.next()) {
        const QString name = query.value(0).toString().toLower();
        const QString value = query.value(1).toString();
        if (name == "wsrep_cluster_size"_L1)
            info.size = value.toInt();
        else if (name == "wsrep_ready"_L1)
            info.ready = value.compare("ON"_L1, Qt::CaseInsensitive) == 0;
        else if (name == "wsrep_local_state_comment"_L1)
            info.state = value;
    }
    return info;
}

} // namespace qmigrate
