// SPDX-License-Identifier: MIT
#pragma once

#include "config/projectconfig.h"
#include "core/engineerror.h"
#include "core/expected.h"
#include "graph/revisionmap.h"

#include <QList>
#include <QProcessEnvironment>
#include <QString>

namespace qmigrate {

// An opened project: its configuration, its scripts read and built into a revision map, and the warnings
// met on the way. A value: open it on a worker thread and hand it over.
class Project
{
public:
    // Revision fields the static reader cannot follow (ModuleConstantResolver) are asked of the project's own
    // Alembic, through the interpreter PythonInterpreter picks with `environment`, once per changed file
    // (AlembicValues caches the answers); with no such interpreter they stay empty with their warnings.
    static Expected<Project>
    open(const QString &iniPath, const QString &section = QStringLiteral("alembic"),
         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    struct OpenOptions
    {
        QString section = QStringLiteral("alembic");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        // The interpreter the user chose for the project (--python, $QMIGRATE_PYTHON, the GUI's project
        // setting) and where the choice came from, for messages; empty: detected (PythonInterpreter).
        QString python;
        QString pythonSource;
    };
    static Expected<Project> open(const QString &iniPath, const OpenOptions &options);

    // What the user picked as a project: an ini file as is; for a folder, its alembic.ini, or the
    // alembic.ini of the folder above when the folder is the script location (migrations/ with the ini beside
    // it). An empty string when a folder holds neither.
    static QString iniPathFor(const QString &fileOrFolder);

    // Native SQL: qmigrate runs every revision itself. Alembic Python: the script location has an env.py and
    // its revisions are .py files (or there are none yet): upgrade, downgrade, stamp, offline SQL and
    // authoring go through the project's own Alembic (AlembicRunner).
    enum class Kind { NativeSql, AlembicPython };
    Kind kind() const { return m_kind; }
    bool isAlembicPython() const { return m_kind == Kind::AlembicPython; }

    const ProjectConfig &config() const { return m_config; }
    ProjectConfig &config() { return m_config; }
    const RevisionMap &map() const { return m_map; }
    const QList<EngineError> &warnings() const { return m_warnings; }

private:
    Project(ProjectConfig config, RevisionMap map, QList<EngineError> warnings);
    static Kind kindOf(const ProjectConfig &config, const RevisionMap &map);

    ProjectConfig m_config;
    RevisionMap m_map;
    QList<EngineError> m_warnings;
    Kind m_kind = Kind::NativeSql;
};

} // namespace qmigrate
