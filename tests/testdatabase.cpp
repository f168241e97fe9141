// SPDX-License-Identifier: MIT
#include "testdatabase.h"

#include "scripts/sqlstatementsplitter.h"
#include "testservers.h"

#include <QFile>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace qmigrate {

DatabaseUrl::Backend testBackend(const QString &backend)
{
    if (backend == "postgresql"_L1)
        return DatabaseUrl::Backend::PostgreSQL;
    if (backend == "mariadb"_L1)
        return DatabaseUrl::Backend::MySQL;
    return DatabaseUrl::Backend::SQLite;
}

TestDatabase::TestDatabase(const QString &backend, const QString &name, const QTemporaryDir &dir)
    : m_backend(backend)
    , m_name(name)
{
    if (backend == "sqlite"_L1) {
        const QString path = dir.filePath(name + u".db"_s);
        QFile::remove(path);
        m_url = *DatabaseUrl::parse(u"sqlite:///"_s + path);
    } else {
        const TestServer server = TestServers::freshDatabase(TestServers::server(backend), name);
        if (!server.isValid()) {
            m_error = server.error;
            return;
        }
        m_url = server.url();
    }
    Expected<std::shared_ptr<DatabaseConnection>> connection = DatabaseConnection::open(m_url, QString());
    if (!connection) {
        m_error = connection.error().toString();
        return;
    }
    m_connection = *connection;
}

TestDatabase::~TestDatabase()
{
    m_connection.reset();
    if (m_backend == "sqlite"_L1 || m_url.database().isEmpty())
        return;
    QSqlDatabase admin = TestServers::open(TestServers::server(m_backend));
    if (admin.isOpen()) {
        QSqlQuery(admin).exec(m_backend == "postgresql"_L1
                                  ? u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_name)
                                  : u"DROP DATABASE IF EXISTS %1"_s.arg(m_name));
    }
    TestServers::close(admin);
}

QString TestDatabase::execute(const QString &sql)
{
    Expected<QList<SqlStatement>> statements = SqlStatementSplitter(backend()).split(sql);
    if (!statements)
        return statements.error().toString();
    for (const SqlStatement &statement : *statements) {
        QSqlQuery query(db());
        if (!query.exec(statement.text))
            return u"line %1: %2: %3"_s.arg(statement.line)
                .arg(statement.text, DatabaseConnection::serverMessage(query.lastError()));
    }
    return {};
}

Expected<SchemaSnapshot> TestDatabase::snapshot(const IntrospectOptions &options)
{
    return SchemaIntrospector::read(db(), backend(), options);
}

int TestDatabase::count(const QString &table)
{
    QSqlQuery query(db());
    if (!query.exec(u"SELECT count(*) FROM "_s + table) || !query.next())
        return -1;
    return query.value(0).toInt();
}

} // namespace qmigrate
