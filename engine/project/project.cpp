// SPDX-License-Identifier: MIT
#include "project/project.h"

#include "project/alembicvalues.h"
#include "project/pythoninterpreter.h"
#include "scripts/scriptdirectory.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

Project::Project(ProjectConfig config, RevisionMap map, QList<EngineError> warnings)
    : m_config(std::move(config))
    , m_map(std::move(map))
    , m_warnings(std::move(warnings))
    , m_kind(kindOf(m_config, m_map))
{}

Project::Kind Project::kindOf(const ProjectConfig &config, const RevisionMap &map)
{
    if (!QFileInfo(QDir(config.scriptLocation()).filePath(u"env.py"_s)).isFile())
        return Kind::NativeSql;
    // .sql revisions beside an env.py stay native (Alembic would not see them); one .py revision makes the
    // folder Alembic's.
    const QList<Revision> &revisions = map.revisions();
    const bool anyPython = std::any_of(revisions.cbegin(), revisions.cend(), [](const Revision &revision) {
        return revision.kind == Revision::Kind::Python;
    });
    return anyPython || revisions.isEmpty() ? Kind::AlembicPython : Kind::NativeSql;
}

namespace {

int fieldLine(const Revision &revision, const QString &field)
{
    if (field == u"down_revision")
        return revision.downRevisionLine;
    if (field == u"branch_labels")
        return revision.branchLabelsLine;
    return revision.dependsOnLine;
}

// Fills the fields the static reader left empty with the values the project's Alembic computes, before the
// graph is built from them. Python is asked only when some field is unresolved and its answer is not cached;
// without an interpreter that can run Alembic the fields stay empty with their warnings, as before: browsing
// never needs Python.
void fillFromAlembic(const ProjectConfig &config, const Project::OpenOptions &options,
                     QList<Revision> *revisions, QList<EngineError> *warnings)
{
    const QProcessEnvironment &environment = options.environment;
    AlembicValues::Request request;
    request.iniPath = config.iniPath();
    request.section = config.section();
    request.environment = environment;
    for (const Revision &revision : std::as_const(*revisions)) {
        if (!revision.unresolvedFields().isEmpty())
            request.files.append({revision.path, revision.checksum.toHex()});
    }
    if (request.files.isEmpty())
        return;
    const auto interpreter = [&]() -> Expected<QString> {
        PythonInterpreter::Request python;
        python.explicitProgram = options.python;
        python.explicitSource = options.pythonSource;
        python.iniPath = config.iniPath();
        python.environment = environment;
        Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(python);
        if (!info)
            return info.error();
        if (!info->canRunAlembic())
            return EngineError(info->installAdvice());
        return info->program;
    };
    const AlembicValues::Result result = AlembicValues::load(request, interpreter);
    for (Revision &revision : *revisions) {
        const auto values = result.values.constFind(revision.path);
        if (values == result.values.cend())
            continue;
        if (values->revision != revision.id) {
            warnings->append(
                EngineError(u"The project's Alembic reads the revision id '%1' where qmigrate reads "
                            u"'%2'; its other values are not used"_s.arg(values->revision, revision.id),
                            revision.path, revision.idLine, revision.id));
            continue;
        }
        const QStringList unresolved = revision.unresolvedFields();
        for (const QString &field : unresolved) {
            if (values->fieldErrors.contains(field)) {
                warnings->append(EngineError(
                    u"The project's Alembic reads '%1': %2"_s.arg(field, values->fieldErrors.value(field)),
                    revision.path, fieldLine(revision, field), revision.id));
                continue;
            }
            QStringList value = field == u"down_revision"   ? values->downRevisions
                                : field == u"branch_labels" ? values->branchLabels
                                                            : values->dependsOn;
            // Alembic takes "" for no parent and no dependency (see PythonRevisionParser).
            if (field != u"branch_labels" && value == QStringList{QString()})
                value.clear();
            (field == u"down_revision"   ? revision.downRevisions
             : field == u"branch_labels" ? revision.branchLabels
                                         : revision.dependsOn) = value;
            revision.resolveField(field, u"Python (Alembic)"_s);
            const int line = fieldLine(revision, field);
            const QString prefix = u"Cannot read '%1' "_s.arg(field);
            warnings->removeIf([&](const EngineError &warning) {
                return warning.file() == revision.path && warning.line() == line &&
                       warning.message().startsWith(prefix);
            });
        }
    }
    warnings->append(result.errors);
}

} // namespace

QString Project::iniPathFor(const QString &fileOrFolder)
{
    const QFileInfo info(fileOrFolder);
    if (!info.isDir())
        return info.absoluteFilePath();
    const QDir folder(info.absoluteFilePath());
    if (folder.exists(u"alembic.ini"_s))
        return folder.absoluteFilePath(u"alembic.ini"_s);
    // The folder is the script location when it has versions/; the ini then usually sits one level up.
    QDir above = folder;
    if (folder.exists(u"versions"_s) && above.cdUp() && above.exists(u"alembic.ini"_s))
        return above.absoluteFilePath(u"alembic.ini"_s);
    return {};
}

Expected<Project> Project::open(const QString &iniPath, const QString &section,
                                const QProcessEnvironment &environment)
{
    OpenOptions options;
    options.section = section;
    options.environment = environment;
    return open(iniPath, options);
}

Expected<Project> Project::open(const QString &iniPath, const OpenOptions &options)
{
    if (!QFileInfo(iniPath).isFile())
        return EngineError(u"No config file '%1' found (give the project's alembic.ini)"_s.arg(iniPath));
    Expected<ProjectConfig> config = ProjectConfig::load(iniPath, options.section, options.environment);
    if (!config)
        return config.error();
    Expected<ScriptDirectory> scripts = ScriptDirectory::load(*config);
    if (!scripts)
        return scripts.error();
    QList<EngineError> warnings = scripts->warnings();
    QList<Revision> revisions = scripts->takeRevisions();
    fillFromAlembic(*config, options, &revisions, &warnings);
    Expected<RevisionMap> map = RevisionMap::build(std::move(revisions));
    if (!map)
        return map.error();
    return Project(std::move(config.value()), std::move(map.value()), std::move(warnings));
}

} // namespace qmigrate
