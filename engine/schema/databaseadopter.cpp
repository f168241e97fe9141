// SPDX-License-Identifier: MIT
#include "schema/databaseadopter.h"

#include "authoring/projectinitializer.h"
#include "authoring/revisionwriter.h"
#include "execution/auditobserver.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "schema/ddlwriter.h"
#include "schema/schemabuilder.h"

#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// The new ini names the adopted database; a password never goes into a file under version control.
Expected<bool> pointIniAt(const QString &iniPath, const DatabaseUrl &url)
{
    QFile in(iniPath);
    if (!in.open(QIODevice::ReadOnly))
        return EngineError(u"Cannot read %1: %2"_s.arg(iniPath, in.errorString()), iniPath, 0);
    QString text = QString::fromUtf8(in.readAll());
    in.close();
    QString urlText =
        url.backend() == DatabaseUrl::Backend::SQLite
            ? u"sqlite:///"_s +
                  QFileInfo(url.sqliteFilePath(QFileInfo(iniPath).absolutePath())).absoluteFilePath()
            : DatabaseUrl::fromParts(url.backend(), url.host(), url.port(), url.database(), url.userName(),
                                     QString())
                  .toUrlStringWithPassword();
    if (url.backend() != DatabaseUrl::Backend::SQLite && url.dialectName() != u"postgresql"_s)
        urlText.replace(0, urlText.indexOf(u':'), url.dialectName());
    const qsizetype start = text.indexOf(u"\nsqlalchemy.url = "_s);
    if (start < 0)
        return EngineError(u"No sqlalchemy.url line to set in %1"_s.arg(iniPath), iniPath, 0);
    const qsizetype end = text.indexOf(u'\n', start + 1);
    text.replace(start + 1, end - start - 1, u"sqlalchemy.url = "_s + urlText.replace(u'%', u"%%"_s));
    QSaveFile out(iniPath);
    if (!out.open(QIODevice::WriteOnly) || out.write(text.toUtf8()) < 0 || !out.commit())
        return EngineError(u"Cannot write %1: %2"_s.arg(iniPath, out.errorString()), iniPath, 0);
    return true;
}

} // namespace

Expected<DatabaseAdopter::Result> DatabaseAdopter::adopt(const QString &directory, const DatabaseUrl &url,
                                                         const std::function<void(const QString &)> &log,
                                                         const std::atomic_bool *cancel)
{
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    // Nothing is written before the database is known to be adoptable.
    {
        Migrator probe(RevisionMap(), url);
        Expected<QStringList> rows = probe.currentRows();
        if (!rows)
            return rows.error();
        if (!rows->isEmpty())
            return EngineError(
                u"%1 is already under migrations (its version table holds %2): open its project "
                u"instead"_s.arg(url.toDisplayString(), rows->join(u", "_s)),
                EngineError::Kind::Usage);
    }
    if (cancelled())
        return EngineError(u"Adoption cancelled: nothing was written"_s, EngineError::Kind::Usage);
    Expected<ProjectInitializer::Result> created = ProjectInitializer::init(directory);
    if (!created)
        return created.error();
    Result result;
    result.iniPath = created->iniPath;
    result.writtenFiles = created->writtenFiles;
    if (Expected<bool> pointed = pointIniAt(created->iniPath, url); !pointed)
        return pointed.error();

    Expected<Project> project = Project::open(created->iniPath, u"alembic"_s, QProcessEnvironment());
    if (!project)
        return project.error();
    Expected<SchemaSnapshot> schema = SchemaBuilder::fromDatabase(*project, url);
    if (!schema)
        return schema.error();
    if (schema->tables.isEmpty())
        return EngineError(u"%1 has no tables to adopt; the new project is ready for a first revision"_s.arg(
                               url.toDisplayString()),
                           EngineError::Kind::Usage);
    if (cancelled())
        return EngineError(u"Adoption cancelled before the baseline was written: the database is unchanged, "
                           u"%1 holds a new project without it"_s.arg(directory),
                           EngineError::Kind::Usage);
    Expected<MigrationDraft> draft = DdlWriter::write(SchemaSnapshot(), *schema, url.backend());
    if (!draft)
        return draft.error();
    result.reviewNotes = draft->reviewNotes;
    // The model starts as the schema adopted, so that `check` and autogenerate agree with the baseline.
    {
        const QString modelPath = SchemaBuilder::modelPath(*project);
        QSaveFile model(modelPath);
        const QString text = u"-- The desired schema (the model `check` and `create --autogenerate` compare "
                             u"with),\n-- as adopted from %1. Edit it, then autogenerate.\n\n%2"_s.arg(
                                 url.toDisplayString(), draft->upgradeSql);
        if (!model.open(QIODevice::WriteOnly) || model.write(text.toUtf8()) < 0 || !model.commit())
            return EngineError(u"Cannot write %1: %2"_s.arg(modelPath, model.errorString()), modelPath, 0);
    }
    NewRevision baseline;
    baseline.message = u"baseline of the existing database"_s;
    baseline.heads = {u"base"_s};
    baseline.upgradeSql = draft->upgradeSql;
    baseline.downgradeSql = draft->downgradeSql;
    Expected<Revision> written = RevisionWriter::create(*project, baseline);
    if (!written)
        return written.error();
    result.baseline = *written;
    result.writtenFiles.append(written->path);

    Expected<Project> reopened = Project::open(created->iniPath, u"alembic"_s, QProcessEnvironment());
    if (!reopened)
        return reopened.error();
    Migrator migrator(reopened->map(), url, MigratorOptions::fromConfig(reopened->config()));
    AuditObserver observer;
    migrator.setObserver(&observer);
    MigratorCallbacks callbacks;
    callbacks.log = log;
    migrator.setCallbacks(callbacks);
    Migrator::Request stamp;
    stamp.kind = Migrator::Request::Kind::Stamp;
    stamp.targets = {written->id};
    stamp.expectedRows = QStringList(); // refused if someone stamped it meanwhile
    if (Expected<Migrator::Result> stamped = migrator.run(stamp); !stamped)
        return stamped.error();
    return result;
}

} // namespace qmigrate
