// SPDX-License-Identifier: MIT
#include "database/databaseconnection.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QAtomicInt connectionCounter;

} // namespace

DatabaseConnection::DatabaseConnection(QSqlDatabase db, QString name, DatabaseUrl url)
    : m_db(std::move(db))
    , m_name(std::move(name))
    , m_url(std::move(url))
{}

DatabaseConnection::~DatabaseConnection()
{
    m_db.close();
    // removeDatabase warns while any QSqlDatabase copy of the connection is alive.
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

QString DatabaseConnection::serverMessage(const QSqlError &error)
{
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.text().trimmed();
    // One line: libpq's messages span several ("server closed the connection unexpectedly" and its
    // explanation) and an empty error code leaves "()" behind.
    QStringList lines;
    for (const QString &line : text.split(u'\n')) {
        const QString simplified = line.simplified();
        if (!simplified.isEmpty() && simplified != u"()"_s)
            lines.append(simplified);
    }
    text = lines.join(u' ');
    if (text.isEmpty())
        return u"no reason given by the database driver"_s;
    return text;
}

Expected<std::shared_ptr<DatabaseConnection>>
DatabaseConnection::open(const DatabaseUrl &url, const QString &baseDirectory, const QString &applicationName)
{
    const QString display = url.toDisplayString();
    if (!QSqlDatabase::isDriverAvailable(url.qtDriverName()))
        return EngineError(
            u"Cannot connect to %1: the Qt SQL driver %2 is not installed"_s.arg(display, url.qtDriverName()),
            EngineError::Kind::Database);
    const QString name = u"qmigrate-%1"_s.arg(connectionCounter.fetchAndAddRelaxed(1));
    QSqlDatabase db = QSqlDatabase::addDatabase(url.qtDriverName(), name);
    QString options = url.qtConnectOptions();
    if (url.backend() == DatabaseUrl::Backend::SQLite) {
        if (url.isSqliteMemory()) {
            db.setDatabaseName(u":memory:"_s);
        } else {
            const QString path = url.sqliteFilePath(baseDirectory);
            const QFileInfo info(path);
            if (!info.dir().exists()) {
                db = QSqlDatabase();
                QSqlDatabase::removeDatabase(name);
                return EngineError(u"Cannot connect to %1: the directory %2 does not exist"_s.arg(
                                       display, QDir::toNativeSeparators(info.absolutePath())),
                                   EngineError::Kind::Database);
            }
            db.setDatabaseName(path);
        }
    } else {
        db.setHostName(url.host());
        if (url.port() > 0)
            db.setPort(url.port());
        db.setDatabaseName(url.database());
        db.setUserName(url.userName());
        if (url.hasPassword())
            db.setPassword(url.password());
        if (url.backend() == DatabaseUrl::Backend::PostgreSQL &&
            url.queryValue(u"application_name"_s).isEmpty() && !applicationName.isEmpty()) {
            const QString item = u"application_name="_s + applicationName;
            options = options.isEmpty() ? item : options + u';' + item;
        }
    }
    db.setConnectOptions(options);
    if (!db.open()) {
        const QString message = serverMessage(db.lastError());
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        return EngineError(u"Cannot connect to %1: %2"_s.arg(display, message), EngineError::Kind::Database);
    }
    std::shared_ptr<DatabaseConnection> connection(new DatabaseConnection(std::move(db), name, url));
    if (url.backend() == DatabaseUrl::Backend::MySQL) {
        Expected<ClusterInfo> cluster = ClusterInfo::read(connection->m_db);
        if (!cluster)
            return EngineError(u"Cannot connect to %1: %2"_s.arg(display, cluster.error().message()),
                               EngineError::Kind::Database);
        connection->m_cluster = *cluster;
        // Without it a node answers from its own copy, which may not yet have applied what another node
        // committed a moment ago: a run there would plan from a stale version table.
        if (cluster->galera && cluster->syncWait < ClusterInfo::causalSyncWait) {
            QSqlQuery query(connection->m_db);
            if (!query.exec(u"SET SESSION wsrep_sync_wait = %1"_s.arg(ClusterInfo::causalSyncWait)))
                return EngineError(u"Cannot connect to %1: setting wsrep_sync_wait for causal reads on the "
                                   u"Galera node failed: %2"_s.arg(display, serverMessage(query.lastError())),
                                   EngineError::Kind::Database);
            connection->m_cluster.syncWait = ClusterInfo::causalSyncWait;
        }
    }
    return connection;
}

} // namespace qmigrate
