// SPDX-License-Identifier: MIT
// PythonInterpreter: which Python runs a project's own Alembic, probed for real (Debian's /usr/bin/python3
// with python3-alembic, and wrappers around it that hide its site-packages, standing in for a pyenv or conda
// python3 without Alembic).

#include "project/pythoninterpreter.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QString writeScript(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    writeAll(path, text);
    QFile::setPermissions(path,
                          QFile::permissions(path) | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    return path;
}

// Debian's interpreter as it is, and without its site-packages (so without Alembic).
QString writeSystemPython(const QString &path)
{
    return writeScript(path, "#!/bin/sh\nexec /usr/bin/python3 \"$@\"\n");
}

QString writeBarePython(const QString &path)
{
    return writeScript(path, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
}

PythonInterpreter::Request requestIn(const QTemporaryDir &tmp, const QString &path)
{
    PythonInterpreter::Request request;
    request.iniPath = tmp.filePath(u"project/alembic.ini"_s);
    request.environment = QProcessEnvironment();
    request.environment.insert(u"PATH"_s, path);
    request.environment.insert(u"HOME"_s, tmp.path());
    request.cacheFolder = tmp.filePath(u"cache"_s);
    return request;
}

} // namespace

class TestPythonInterpreter : public QObject
{
    Q_OBJECT

private slots:
    void driverIsFoundInTheBuildTree()
    {
        const QString driver = PythonInterpreter::driverPath();
        QVERIFY2(!driver.isEmpty(), "qmigrate_alembic_driver.py is not in <build>/share/qmigrate");
        QVERIFY(QFileInfo(driver).isFile());
    }

    void explicitInterpreterThatDoesNotExist()
    {
        QTemporaryDir tmp;
        PythonInterpreter::Request request = requestIn(tmp, u"/usr/bin:/bin"_s);
        request.explicitProgram = tmp.filePath(u"nowhere/python3"_s);
        request.explicitSource = u"--python"_s;
        const Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        QVERIFY(!info);
        QVERIFY2(info.error().message().contains(request.explicitProgram),
                 qPrintable(info.error().message()));
        QVERIFY2(info.error().message().contains(u"--python"_s), qPrintable(info.error().message()));

        request.explicitProgram = u"no-such-python-anywhere"_s;
        const Expected<PythonInterpreter::Info> notOnPath = PythonInterpreter::resolve(request);
        QVERIFY(!notOnPath);
        QVERIFY2(notOnPath.error().message().contains(u"not on PATH"_s),
                 qPrintable(notOnPath.error().message()));
    }

    void explicitInterpreterWithoutAlembic()
    {
        QTemporaryDir tmp;
        PythonInterpreter::Request request = requestIn(tmp, u"/usr/bin:/bin"_s);
        request.explicitProgram = writeBarePython(tmp.filePath(u"bare/python3"_s));
        request.explicitSource = u"$QMIGRATE_PYTHON"_s;
        const Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        QVERIFY2(info, info ? "" : qPrintable(info.error().message()));
        QCOMPARE(info->program, request.explicitProgram);
        QVERIFY(!info->canRunAlembic());
        QVERIFY2(info->missing.contains(u"alembic"_s), qPrintable(info->missing.join(u',')));
        QVERIFY(info->alembicVersion.isEmpty());
        QVERIFY(!info->pythonVersion.isEmpty());
        const QString advice = info->installAdvice();
        QVERIFY2(advice.contains(request.explicitProgram) && advice.contains(u"$QMIGRATE_PYTHON"_s) &&
                     advice.contains(u"apt-get install python3-alembic"_s),
                 qPrintable(advice));
    }

    // A python3 on PATH without Alembic (pyenv, conda) does not hide Debian's: the first with Alembic wins.
    void pathInterpreterWithoutAlembicIsPassedOver()
    {
        QTemporaryDir tmp;
        const QString bare = writeBarePython(tmp.filePath(u"shims/python3"_s));
        const PythonInterpreter::Request request =
            requestIn(tmp, tmp.filePath(u"shims"_s) + u":/usr/bin:/bin"_s);
        const Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        QVERIFY2(info, info ? "" : qPrintable(info.error().message()));
        QCOMPARE(info->program, u"/usr/bin/python3"_s);
        QVERIFY2(info->canRunAlembic(), qPrintable(info->installAdvice()));
        QVERIFY(!info->alembicVersion.isEmpty());
        QVERIFY(!info->sqlalchemyVersion.isEmpty());
        QCOMPARE(info->skipped.size(), 1);
        QVERIFY2(info->skipped.first().contains(bare) && info->skipped.first().contains(u"alembic"_s),
                 qPrintable(info->skipped.first()));
        QVERIFY2(info->summary().contains(u"Alembic "_s + info->alembicVersion), qPrintable(info->summary()));
    }

    // A virtual environment next to alembic.ini is the user's choice, even without Alembic in it.
    void virtualEnvironmentNextToTheProject()
    {
        QTemporaryDir tmp;
        const QString venvPython = writeBarePython(tmp.filePath(u"project/.venv/bin/python"_s));
        writeAll(tmp.filePath(u"project/.venv/pyvenv.cfg"_s), "home = /usr/bin\n");
        const PythonInterpreter::Request request = requestIn(tmp, u"/usr/bin:/bin"_s);
        const Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        QVERIFY2(info, info ? "" : qPrintable(info.error().message()));
        QCOMPARE(info->program, venvPython);
        QCOMPARE(info->source, u".venv next to alembic.ini"_s);
        QVERIFY(info->virtualEnvironment);
        QVERIFY(!info->canRunAlembic());
        QVERIFY2(info->installAdvice().contains(venvPython + u" -m pip install alembic sqlalchemy"_s),
                 qPrintable(info->installAdvice()));
    }

    void virtualEnvVariableComesFirst()
    {
        QTemporaryDir tmp;
        writeSystemPython(tmp.filePath(u"project/venv/bin/python"_s));
        const QString active = writeSystemPython(tmp.filePath(u"active/bin/python"_s));
        PythonInterpreter::Request request = requestIn(tmp, u"/usr/bin:/bin"_s);
        request.environment.insert(u"VIRTUAL_ENV"_s, tmp.filePath(u"active"_s));
        const Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        QVERIFY2(info, info ? "" : qPrintable(info.error().message()));
        QCOMPARE(info->program, active);
        QCOMPARE(info->source, u"$VIRTUAL_ENV"_s);
        QVERIFY(info->canRunAlembic());
    }

    // A probe's answer is kept and reused (no Python started) until a folder imports come from changes, as
    // installing a package changes it.
    void probeIsReusedUntilAPackageIsInstalled()
    {
        QTemporaryDir tmp;
        const QString packages = tmp.filePath(u"packages"_s);
        QVERIFY(QDir().mkpath(packages));
        const QString starts = tmp.filePath(u"starts.log"_s);
        const QString python = writeScript(
            tmp.filePath(u"bin/python3"_s),
            u"#!/bin/sh\necho started >> '%1'\nPYTHONPATH='%2' exec /usr/bin/python3 -S \"$@\"\n"_s
                .arg(starts, packages)
                .toUtf8());
        PythonInterpreter::Request request = requestIn(tmp, u"/usr/bin:/bin"_s);
        request.explicitProgram = python;
        const auto startCount = [&] { return readAll(starts).count("started"); };

        Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        QVERIFY2(info, info ? "" : qPrintable(info.error().message()));
        QCOMPARE(info->missing, (QStringList{u"alembic"_s, u"sqlalchemy"_s}));
        QCOMPARE(startCount(), 1);
        info = PythonInterpreter::resolve(request);
        QVERIFY(info);
        QCOMPARE(info->missing, (QStringList{u"alembic"_s, u"sqlalchemy"_s}));
        QCOMPARE(info->program, python);
        QCOMPARE(startCount(), 1);

        QVERIFY(QDir(packages).mkpath(u"alembic"_s) && QDir(packages).mkpath(u"sqlalchemy"_s));
        QVERIFY(writeAll(packages + u"/alembic/__init__.py"_s, "__version__ = '9.9.1'\n"));
        QVERIFY(writeAll(packages + u"/sqlalchemy/__init__.py"_s, "__version__ = '9.8.7'\n"));
        info = PythonInterpreter::resolve(request);
        QVERIFY(info);
        QCOMPARE(startCount(), 2);
        QVERIFY2(info->missing.isEmpty(), qPrintable(info->missing.join(u", "_s)));
        QCOMPARE(info->alembicVersion, u"9.9.1"_s);
        QCOMPARE(info->sqlalchemyVersion, u"9.8.7"_s);
        info = PythonInterpreter::resolve(request);
        QVERIFY(info);
        QCOMPARE(info->alembicVersion, u"9.9.1"_s);
        QCOMPARE(startCount(), 2);

        // Another database dialect is another question.
        request.databaseUrl = u"sqlite:////tmp/x.db"_s;
        info = PythonInterpreter::resolve(request);
        QVERIFY(info);
        QCOMPARE(startCount(), 3);
    }

    // The URL's DBAPI module is checked with SQLAlchemy's own rule for its dialect and driver.
    void databaseDriverModule_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("dbapi");
        QTest::addColumn<bool>("canRun");
        QTest::addColumn<QString>("adviceOrError");
        QTest::newRow("postgresql") << u"postgresql://u:p@localhost/x"_s << u"psycopg2"_s << true
                                    << QString();
        QTest::newRow("pymysql") << u"mysql+pymysql://u:p@localhost/x"_s << u"pymysql"_s << true << QString();
        QTest::newRow("sqlite") << u"sqlite:////tmp/x.db"_s << u"pysqlite"_s << true << QString();
        QTest::newRow("pg8000 missing") << u"postgresql+pg8000://u:p@localhost/x"_s << u"pg8000"_s << false
                                        << u"apt-get install python3-pg8000"_s;
        QTest::newRow("unknown dialect")
            << u"nosuchdb://u:p@localhost/x"_s << QString() << false << u"cannot use the database URL"_s;
    }

    void databaseDriverModule()
    {
        QFETCH(QString, url);
        QFETCH(QString, dbapi);
        QFETCH(bool, canRun);
        QFETCH(QString, adviceOrError);
        QTemporaryDir tmp;
        PythonInterpreter::Request request = requestIn(tmp, u"/usr/bin:/bin"_s);
        request.databaseUrl = url;
        const Expected<PythonInterpreter::Info> info = PythonInterpreter::resolve(request);
        QVERIFY2(info, info ? "" : qPrintable(info.error().message()));
        QCOMPARE(info->dbapiModule, dbapi);
        QCOMPARE(info->canRunAlembic(), canRun);
        if (!canRun)
            QVERIFY2(info->installAdvice().contains(adviceOrError), qPrintable(info->installAdvice()));
    }
};

QTEST_GUILESS_MAIN(TestPythonInterpreter)
#include "tst_pythoninterpreter.moc"
