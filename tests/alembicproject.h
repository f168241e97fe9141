// SPDX-License-Identifier: MIT
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// An Alembic project as its users have it: made by the real `python3 -m alembic init` (Debian's
// python3-alembic) in a folder of the test's own, its env.py and script.py.mako untouched, and revision files
// written the way Alembic's template writes them. The tests point qmigrate at it and compare with the real
// Alembic run on the same project.
class AlembicProject
{
public:
    // Debian's interpreter, where python3-alembic lives (python3 on PATH may be another one).
    static QString systemPython();
    // The env.py of the project this tool started from: the URL comes from DB_HOST, DB_PORT, DB_NAME,
    // DB_USER and DB_PASSWORD when DB_HOST is set, else from alembic.ini.
    static QString seedEnvPy();

    // Runs `alembic init` into <folder>/migrations (alembic.ini in <folder>) and sets sqlalchemy.url to
    // `url`. error() says what went wrong.
    AlembicProject(const QString &folder, const QString &url);

    QString error() const { return m_error; }
    QString folder() const { return m_folder; }
    QString iniPath() const { return m_folder + QStringLiteral("/alembic.ini"); }
    QString scriptLocation() const { return m_folder + QStringLiteral("/migrations"); }
    QString versionsPath() const { return scriptLocation() + QStringLiteral("/versions"); }

    // Writes versions/<id>_<slug>.py as Alembic's script.py.mako renders it, with `upgrade` and `downgrade`
    // as the functions' bodies (Python lines, indented here). `downRevisions` empty: a base revision; two or
    // more: a merge. Returns the file's path.
    // `typed`: the annotated variables of newer Alembic templates (revision: str = ...,
    // down_revision: Union[str, None] = ...).
    QString addRevision(const QString &id, const QStringList &downRevisions, const QString &message,
                        const QString &upgrade, const QString &downgrade, const QStringList &dependsOn = {},
                        const QString &branchLabel = {}, bool typed = false);
    // a1 -> b2 -> c3, each creating (and dropping on downgrade) one table t_a1, t_b2, t_c3 with
    // op.create_table.
    void addLinearHistory();
    // The graph real projects have, each revision creating (and dropping on downgrade) one table t_<id>:
    // a1 (base, untyped) -> b2 (typed variables); a1 -> x1 (branch label "reports"); m3 merges b2 and x1;
    // z1 is a second root labelled "audit"; d4 on m3 depends_on z1. Heads: d4 and z1.
    void addStandardGraph();

    // Replaces env.py (e.g. with the seed's env.py that builds the URL from DB_*).
    bool writeEnvPy(const QString &text);

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    // The real Alembic on this project: `/usr/bin/python3 -m alembic -c alembic.ini <arguments>`, in the
    // project's folder, with `environment` (DB_* removed unless given).
    Run alembic(const QStringList &arguments, const QProcessEnvironment &environment = {}) const;
    // What `alembic current` prints on stdout (the rows; its log lines go to stderr), trimmed.
    QString current() const;

private:
    QString m_folder;
    QString m_error;
};
