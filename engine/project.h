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
