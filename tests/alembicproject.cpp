// SPDX-License-Identifier: MIT
#include "alembicproject.h"

#include "testfiles.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

QString indented(const QString &body)
{
    if (body.trimmed().isEmpty())
        return u"    pass"_s;
    QStringList lines = body.split(u'\n');
    for (QString &line : lines)
        line = line.isEmpty() ? line : u"    "_s + line;
    return lines.join(u'\n');
}

QString pythonRepr(const QStringList &values)
{
    if (values.isEmpty())
        return u"None"_s;
    if (values.size() == 1)
        return u"'%1'"_s.arg(values.first());
    QStringList quoted;
    for (const QString &value : values)
        quoted.append(u"'%1'"_s.arg(value));
    return u"("_s + quoted.join(u", "_s) + u")"_s;
}

} // namespace

QString AlembicProject::systemPython()
{
    return u"/usr/bin/python3"_s;
}

AlembicProject::AlembicProject(const QString &folder, const QString &url)
    : m_folder(QDir(folder).absolutePath())
{
    QDir().mkpath(m_folder);
    const Run init = alembic({u"init"_s, u"migrations"_s});
    if (init.exitCode != 0) {
        m_error = u"alembic init failed (%1): %2"_s.arg(init.exitCode).arg(init.err + init.out);
        return;
    }
    QString ini = QString::fromUtf8(readAll(iniPath()));
    static const QRegularExpression urlLine(u"^sqlalchemy\\.url = .*$"_s,
                                            QRegularExpression::MultilineOption);
    if (!ini.contains(urlLine)) {
        m_error = u"alembic init wrote no sqlalchemy.url line into "_s + iniPath();
        return;
    }
    QString escaped = url;
    escaped.replace(u'%', u"%%"_s);
    ini.replace(urlLine, u"sqlalchemy.url = "_s + escaped);
    if (!writeAll(iniPath(), ini.toUtf8()))
        m_error = u"cannot write "_s + iniPath();
}

QString AlembicProject::addRevision(const QString &id, const QStringList &downRevisions,
                                    const QString &message, const QString &upgrade, const QString &downgrade,
                                    const QStringList &dependsOn, const QString &branchLabel, bool typed)
{
    QString slug = message.toLower();
    slug.replace(QRegularExpression(u"[^a-z0-9]+"_s), u"_"_s);
    const QString path = versionsPath() + u'/' + id + u'_' + slug + u".py"_s;
    const QString text = uR"("""%1

Revision ID: %2
Revises: %3
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
%9


# revision identifiers, used by Alembic.
revision%10 = '%2'
down_revision%11 = %4
branch_labels%12 = %5
depends_on%12 = %6


def upgrade() -> None:
%7


def downgrade() -> None:
%8
)"_s.arg(message, id, downRevisions.join(u", "_s), pythonRepr(downRevisions),
         branchLabel.isEmpty() ? u"None"_s : u"('%1',)"_s.arg(branchLabel), pythonRepr(dependsOn),
         indented(upgrade), indented(downgrade), typed ? u"from typing import Sequence, Union"_s : QString(),
         typed ? u": str"_s : QString(), typed ? u": Union[str, None]"_s : QString(),
         typed ? u": Union[str, Sequence[str], None]"_s : QString());
    if (!writeAll(path, text.toUtf8()))
        m_error = u"cannot write "_s + path;
    return path;
}

void AlembicProject::addLinearHistory()
{
    QString previous;
    for (const QString &id : {u"a1"_s, u"b2"_s, u"c3"_s}) {
        addRevision(id, previous.isEmpty() ? QStringList() : QStringList{previous}, u"create t_"_s + id,
                    u"op.create_table('t_%1', sa.Column('id', sa.Integer, primary_key=True), "
                    u"sa.Column('name', sa.String(40)))"_s.arg(id),
                    u"op.drop_table('t_%1')"_s.arg(id));
        previous = id;
    }
}

void AlembicProject::addStandardGraph()
{
    const auto table = [](const QString &id) {
        return u"op.create_table('t_%1', sa.Column('id', sa.Integer, primary_key=True))"_s.arg(id);
    };
    const auto drop = [](const QString &id) { return u"op.drop_table('t_%1')"_s.arg(id); };
    addRevision(u"a1"_s, {}, u"create t_a1"_s, table(u"a1"_s), drop(u"a1"_s));
    addRevision(u"b2"_s, {u"a1"_s}, u"create t_b2"_s, table(u"b2"_s), drop(u"b2"_s), {}, {}, true);
    addRevision(u"x1"_s, {u"a1"_s}, u"reports branch"_s, table(u"x1"_s), drop(u"x1"_s), {}, u"reports"_s);
    addRevision(u"m3"_s, {u"b2"_s, u"x1"_s}, u"merge reports"_s, table(u"m3"_s), drop(u"m3"_s));
    addRevision(u"z1"_s, {}, u"audit root"_s, table(u"z1"_s), drop(u"z1"_s), {}, u"audit"_s);
    addRevision(u"d4"_s, {u"m3"_s}, u"needs audit"_s, table(u"d4"_s), drop(u"d4"_s), {u"z1"_s});
}

bool AlembicProject::writeEnvPy(const QString &text)
{
    return writeAll(scriptLocation() + u"/env.py"_s, text.toUtf8());
}

AlembicProject::Run AlembicProject::alembic(const QStringList &arguments,
                                            const QProcessEnvironment &environment) const
{
    QProcess process;
    QProcessEnvironment processEnvironment =
        environment.isEmpty() ? QProcessEnvironment::systemEnvironment() : environment;
    if (environment.isEmpty()) {
        for (const QString &name : {u"DB_HOST"_s, u"DB_PORT"_s, u"DB_NAME"_s, u"DB_USER"_s, u"DB_PASSWORD"_s})
            processEnvironment.remove(name);
    }
    process.setProcessEnvironment(processEnvironment);
    process.setWorkingDirectory(m_folder);
    process.start(systemPython(), QStringList{u"-m"_s, u"alembic"_s, u"-c"_s, iniPath()} + arguments);
    Run run;
    if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit) {
        run.err = u"alembic did not finish: "_s + process.errorString();
        return run;
    }
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QString AlembicProject::current() const
{
    return alembic({QStringLiteral("current")}).out.trimmed();
}

QString AlembicProject::seedEnvPy()
{
    return QString::fromUtf8(R"(import os
from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool
from alembic import context

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
target_metadata = None


def get_url():
    if os.environ.get("DB_HOST"):
        return "postgresql://%s:%s@%s:%s/%s" % (
            os.environ.get("DB_USER", "postgres"),
            os.environ.get("DB_PASSWORD", "postgres"),
            os.environ["DB_HOST"],
            os.environ.get("DB_PORT", "5432"),
            os.environ["DB_NAME"],
        )
    return config.get_main_option("sqlalchemy.url")


def run_migrations_offline():
    context.configure(url=get_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    section = config.get_section(config.config_ini_section)
    section["sqlalchemy.url"] = get_url()
    connectable = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
)");
}
