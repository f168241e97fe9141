// SPDX-License-Identifier: MIT
#pragma once

#include "core/expected.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

namespace qmigrate {

// The Python interpreter that runs an Alembic project's own Alembic, and what it can import.
//
// An explicit choice (the CLI's --python, $QMIGRATE_PYTHON, the project's setting in the GUI) is used as it
// is: when it cannot run Alembic, that is the error, naming what to install. Otherwise the candidates are,
// in order: $VIRTUAL_ENV/bin/python; .venv/, venv/ and env/ (bin/python) next to the ini file, then next
// to its folder's parent; python3 on PATH; and the system's /usr/bin/python3, where Debian's
// python3-alembic lives. A virtual environment that exists is the user's intent and is taken even when it
// lacks Alembic (the error then says to install it there); among python3 on PATH and /usr/bin/python3 the
// first that imports alembic and sqlalchemy wins, so a pyenv or conda python3 without Alembic ahead of
// Debian's does not hide it.
class PythonInterpreter
{
public:
    struct Request
    {
        QString explicitProgram; // a path or a command name; empty for auto-detection
        QString explicitSource;  // where it came from, for messages: "--python", "QMIGRATE_PYTHON", ...
        QString iniPath;         // the project's alembic.ini: where to look for .venv/, venv/, env/
        // The database URL the run will use: the probe checks its DBAPI module (psycopg2, pymysql, ...)
        // imports, with SQLAlchemy's own rule for the URL's dialect and driver. Empty: not checked.
        QString databaseUrl;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        // Probe answers are kept in <cacheFolder>/python-probes.json (default: the user's cache folder,
        // qmigrate/) and reused while the interpreter and the folders it imports from are unchanged.
        QString cacheFolder;
        bool useProbeCache = true;
    };

    // What a probe found.
    struct Info
    {
        QString program;    // absolute path of the interpreter that was run
        QString source;     // "--python", "$VIRTUAL_ENV", ".venv next to alembic.ini", "python3 on PATH", ...
        QString executable; // sys.executable as Python reports it
        QString pythonVersion;
        QString alembicVersion;          // empty when alembic does not import
        QString sqlalchemyVersion;       // empty when sqlalchemy does not import
        QString dbapiModule;             // the URL's DBAPI driver name as SQLAlchemy names it ("psycopg2")
        QStringList missing;             // modules that did not import: "alembic", "psycopg2", ...
        QString urlError;                // SQLAlchemy cannot load the URL's dialect (an unknown name, say)
        QStringList skipped;             // candidates tried before this one and why they were passed over
        bool virtualEnvironment = false; // advice: pip inside it rather than Debian packages

        bool canRunAlembic() const;
        // One line for the GUI and `current -v`: "/usr/bin/python3 (python3 on PATH): Python 3.11.2, Alembic
        // 1.8.1, SQLAlchemy 1.4.46".
        QString summary() const;
        // Empty when canRunAlembic(); else one message naming the interpreter and what to install (the Debian
        // package for the system interpreter, pip inside a virtual environment).
        QString installAdvice() const;
    };

    // Picks and probes the interpreter (one short child process per candidate probed, unless an earlier
    // probe of it still holds: see Request::cacheFolder). An error
    // (EngineError::Kind::Project) when no candidate exists or the explicit one cannot be started; an
    // interpreter that runs but misses modules is not an error here: see Info::canRunAlembic().
    static Expected<Info> resolve(const Request &request);

    // The driver qmigrate runs inside the project's Python (qmigrate_alembic_driver.py): beside the
    // executable in the build tree (<bin>/../share/qmigrate/), in the installed share/qmigrate/, or where
    // $QMIGRATE_DRIVER points. Empty when none is found.
    static QString driverPath();
};

} // namespace qmigrate
