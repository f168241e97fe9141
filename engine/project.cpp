#include "project.h"

#include "scriptdirectory.h"

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
    if (!QFileInfo(iniPath).isFile())
        return EngineError(u"No config file '%1' found (give the project's alembic.ini)"_s.arg(iniPath));
    Expected<ProjectConfig> config = ProjectConfig::load(iniPath, section, environment);
    if (!config)
        return config.error();
    Expected<ScriptDirectory> scripts = ScriptDirectory::load(*config);
    if (!scripts)
        return scripts.error();
    QList<EngineError> warnings = scripts->warnings();
    Expected<RevisionMap> map = RevisionMap::build(scripts->takeRevisions());
    if (!map)
        return map.error();
    return Project(std::move(config.value()), std::move(map.value()), std::move(warnings));
}

} // namespace qmigrate
