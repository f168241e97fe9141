// SPDX-License-Identifier: MIT
#include "schema/schemabuilder.h"

#include "database/databaseconnection.h"
#include "database/scratchdatabase.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "schema/schemaintrospector.h"
#include "scripts/sqlstatementsplitter.h"

#include <QDir>
#include <QFile>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

Expected<SchemaSnapshot> introspect(const Project &project, const DatabaseUrl &url)
{
    Expected<std::shared_ptr<DatabaseConnection>> connection =
        DatabaseConnection::open(url, project.config().here(), u"qmigrate-schema"_s);
    if (!connection)
        return connection.error();
    IntrospectOptions options;
    options.versionTable = project.config().versionTable();
    return SchemaIntrospector::read((*connection)->database(), url.backend(), options);
}

} // namespace

QString SchemaBuilder::modelPath(const Project &project)
{
    return QDir(project.config().scriptLocation()).filePath(u"schema.sql"_s);
}

Expected<SchemaSnapshot> SchemaBuilder::fromRevisions(const Project &project, const DatabaseUrl &like,
                                                      const QStringList &targets,
                                                      const std::atomic_bool *cancel)
{
    Expected<std::unique_ptr<ScratchDatabase>> scratch =
        ScratchDatabase::create(like, project.config().here());
    if (!scratch)
        return scratch.error();
    {
        Migrator migrator(project.map(), (*scratch)->url(), MigratorOptions::fromConfig(project.config()));
        migrator.setCancelToken(cancel);
        for (const QString &target : targets) {
            Migrator::Request request;
            request.targets = {target};
            if (Expected<Migrator::Result> result = migrator.run(request); !result)
                return result.error();
        }
    }
    return introspect(project, (*scratch)->url());
}

Expected<SchemaSnapshot> SchemaBuilder::fromModel(const Project &project, const DatabaseUrl &like)
{
    const QString path = modelPath(project);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return EngineError(u"Cannot read the schema model: %1"_s.arg(file.errorString()), path, 0);
    const QString text = QString::fromUtf8(file.readAll());
    Expected<QList<SqlStatement>> statements = SqlStatementSplitter(like.backend()).split(text, 1);
    if (!statements)
        return EngineError(statements.error()).setFile(path, statements.error().line());
    Expected<std::unique_ptr<ScratchDatabase>> scratch =
        ScratchDatabase::create(like, project.config().here());
    if (!scratch)
        return scratch.error();
    {
        Expected<std::shared_ptr<DatabaseConnection>> connection =
            DatabaseConnection::open((*scratch)->url(), project.config().here(), u"qmigrate-schema"_s);
        if (!connection)
            return connection.error();
        QSqlQuery query((*connection)->database());
        for (const SqlStatement &statement : std::as_const(*statements)) {
            if (!query.exec(statement.text))
                return EngineError(
                    u"schema.sql does not apply on %1: %2"_s.arg(
                        like.dialectName(), DatabaseConnection::serverMessage(query.lastError())),
                    path, statement.line);
        }
    }
    return introspect(project, (*scratch)->url());
}

Expected<SchemaSnapshot> SchemaBuilder::fromDatabase(const Project &project, const DatabaseUrl &url)
{
    return introspect(project, url);
}

} // namespace qmigrate
