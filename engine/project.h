#pragma once

#include "engineerror.h"
#include "expected.h"
#include "projectconfig.h"
#include "revisionmap.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>

namespace qmigrate {

// An opened project: its configuration, its scripts read and built into a revision map, and the warnings
// met on the way. A value: open it on a worker thread and hand it over.
class Project
{
public:
    static Expected<Project>
    open(const QString &iniPath, const QString &section = QStringLiteral("alembic"),
         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    // What the user picked as a project: an ini file as is; for a folder, its alembic.ini, or the
    // alembic.ini of the folder above when the folder is the script location (migrations/ with the ini beside
    // it). An empty string when a folder holds neither.
    static QString iniPathFor(const QString &fileOrFolder);

    const ProjectConfig &config() const { return m_config; }
    ProjectConfig &config() { return m_config; }
    const RevisionMap &map() const { return m_map; }
    const QList<EngineError> &warnings() const { return m_warnings; }

private:
    Project(ProjectConfig config, RevisionMap map, QList<EngineError> warnings);

    ProjectConfig m_config;
    RevisionMap m_map;
    QList<EngineError> m_warnings;
};

} // namespace qmigrate
