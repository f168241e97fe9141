// SPDX-License-Identifier: MIT
#include "config/projectconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qmigrate::ProjectConfig;

Q_DECLARE_METATYPE(ProjectConfig::UrlSource)

namespace {

QString writeIni(const QTemporaryDir &dir, const QString &text, const QString &name = u"alembic.ini"_s)
{
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(text.toUtf8());
    return path;
}

QProcessEnvironment environment(const QStringList &assignments)
{
    QProcessEnvironment env;
    for (const QString &assignment : assignments) {
        const qsizetype eq = assignment.indexOf(u'=');
        env.insert(assignment.left(eq), assignment.mid(eq + 1));
    }
    return env;
}

const QProcessEnvironment emptyEnvironment = QProcessEnvironment();

} // namespace

class TstProjectConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString ini = writeIni(dir, u"[alembic]\nscript_location = migrations\n"_s);
        const auto config = ProjectConfig::load(ini, u"alembic"_s, emptyEnvironment);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->iniPath(), ini);
        QCOMPARE(config->section(), u"alembic"_s);
        QCOMPARE(config->here(), dir.path());
        QCOMPARE(config->scriptLocation(), dir.path() + u"/migrations"_s);
        QCOMPARE(config->versionLocations(), QStringList{dir.path() + u"/migrations/versions"_s});
        QCOMPARE(config->recursiveVersionLocations(), false);
        QCOMPARE(config->versionTable(), u"alembic_version"_s);
        QCOMPARE(config->versionTableSchema(), QString());
        QCOMPARE(config->transactionPerMigration(), false);
        QCOMPARE(config->fileTemplate(), u"%(rev)s_%(slug)s"_s);
        QCOMPARE(config->truncateSlugLength(), 40);
        QCOMPARE(config->timezone(), QString());
        QCOMPARE(config->urlText(), QString());
        QCOMPARE(config->urlSource(), ProjectConfig::UrlSource::None);
    }

    void relativeIniPathBecomesAbsolute()
    {
        QTemporaryDir dir;
        writeIni(dir, u"[alembic]\nscript_location = %(here)s/m\n"_s, u"sub/alembic.ini"_s);
        const QString oldCwd = QDir::currentPath();
        QDir::setCurrent(dir.path());
        const auto config = ProjectConfig::load(u"sub/alembic.ini"_s, u"alembic"_s, emptyEnvironment);
        QDir::setCurrent(oldCwd);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->iniPath(), dir.path() + u"/sub/alembic.ini"_s);
        QCOMPARE(config->here(), dir.path() + u"/sub"_s);
        QCOMPARE(config->scriptLocation(), dir.path() + u"/sub/m"_s);
    }

    void alembicGenericTemplate()
    {
        // Alembic 1.8.1's own "generic" alembic.ini, as `alembic init migrations` writes it.
        QTemporaryDir dir;
        const QString ini = dir.filePath(u"alembic.ini"_s);
        QVERIFY(QFile::copy(QStringLiteral(QMIGRATE_TEST_DATA_DIR "/config/alembic-generic.ini"), ini));
        const auto config = ProjectConfig::load(ini, u"alembic"_s, emptyEnvironment);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->scriptLocation(), dir.path() + u"/migrations"_s);
        QCOMPARE(config->versionLocations(), QStringList{dir.path() + u"/migrations/versions"_s});
        QCOMPARE(config->fileTemplate(), u"%(rev)s_%(slug)s"_s);
        QCOMPARE(config->urlText(), u"driver://user:pass@localhost/dbname"_s);
        QCOMPARE(config->urlSource(), ProjectConfig::UrlSource::Ini);
        QCOMPARE(config->urlLine(), 58);
        const auto url = config->databaseUrl();
        QVERIFY(!url);
        QCOMPARE(url.error().message(), u"sqlalchemy.url: Unsupported database URL dialect 'driver'; "
                                        u"supported: sqlite, postgresql, mysql, "
                                        "mariadb"_s);
        QCOMPARE(url.error().file(), ini);
        QCOMPARE(url.error().line(), 58);
    }

    void bundledExampleProject()
    {
        const QString source = QDir::cleanPath(QStringLiteral(QMIGRATE_SOURCE_DIR));
        const QString ini = source + u"/migrations/alembic.ini"_s;
        const auto config = ProjectConfig::load(ini, u"alembic"_s, emptyEnvironment);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QCOMPARE(config->scriptLocation(), source + u"/migrations"_s);
        QCOMPARE(config->versionLocations(), QStringList{source + u"/migrations/versions"_s});
        QCOMPARE(config->urlSource(), ProjectConfig::UrlSource::Ini);
        const auto url = config->databaseUrl();
        QVERIFY2(url, qPrintable(url ? QString() : url.error().toString()));
        QCOMPARE(url->sqliteFilePath(config->here()), source + u"/migrations/example.db"_s);
    }

    void values_data()
    {
        QTest::addColumn<QString>("lines"); // appended to "[alembic]\nscript_location = m\n"
        QTest::addColumn<QString>("getter");
        QTest::addColumn<QString>("expected"); // "%H" stands for here()

        QTest::newRow("file_template_escaped")
            << u"file_template = %%(rev)s_%%(slug)s"_s << u"fileTemplate"_s << u"%(rev)s_%(slug)s"_s;
        QTest::newRow("file_template_dated")
            << u"file_template = %%(year)d_%%(month).2d_%%(day).2d-%%(rev)s_%%(slug)s"_s << u"fileTemplate"_s
            << u"%(year)d_%(month).2d_%(day).2d-%(rev)s_%(slug)s"_s;
        QTest::newRow("truncate_12") << u"truncate_slug_length = 12"_s << u"truncateSlugLength"_s << u"12"_s;
        QTest::newRow("truncate_0") << u"truncate_slug_length = 0"_s << u"truncateSlugLength"_s << u"40"_s;
        QTest::newRow("tpm_true") << u"transaction_per_migration = true"_s << u"transactionPerMigration"_s
                                  << u"true"_s;
        QTest::newRow("tpm_Yes") << u"transaction_per_migration = Yes"_s << u"transactionPerMigration"_s
                                 << u"true"_s;
        QTest::newRow("tpm_ON") << u"transaction_per_migration = ON"_s << u"transactionPerMigration"_s
                                << u"true"_s;
        QTest::newRow("tpm_1") << u"transaction_per_migration = 1"_s << u"transactionPerMigration"_s
                               << u"true"_s;
        QTest::newRow("tpm_off") << u"transaction_per_migration = off"_s << u"transactionPerMigration"_s
                                 << u"false"_s;
        QTest::newRow("tpm_No") << u"transaction_per_migration = No"_s << u"transactionPerMigration"_s
                                << u"false"_s;
        QTest::newRow("tpm_0") << u"transaction_per_migration = 0"_s << u"transactionPerMigration"_s
                               << u"false"_s;
        QTest::newRow("recursive") << u"recursive_version_locations = TRUE"_s
                                   << u"recursiveVersionLocations"_s << u"true"_s;
        QTest::newRow("version_table")
            << u"version_table = my_versions"_s << u"versionTable"_s << u"my_versions"_s;
        QTest::newRow("version_table_empty")
            << u"version_table ="_s << u"versionTable"_s << u"alembic_version"_s;
        QTest::newRow("schema") << u"version_table_schema = audit"_s << u"versionTableSchema"_s << u"audit"_s;
        QTest::newRow("timezone") << u"timezone = Europe/Berlin"_s << u"timezone"_s << u"Europe/Berlin"_s;
        QTest::newRow("versions_default") << QString() << u"versionLocations"_s << u"%H/m/versions"_s;
        QTest::newRow("versions_legacy_space_comma")
            << u"version_locations = a b,c, d  e"_s << u"versionLocations"_s << u"%H/a|%H/b|%H/c|%H/d|%H/e"_s;
        QTest::newRow("versions_legacy_colon_not_split")
            << u"version_locations = %(here)s/a:%(here)s/b"_s << u"versionLocations"_s << u"%H/a:%H/b"_s;
        QTest::newRow("versions_os")
            << u"version_locations = %(here)s/a:/abs/b\nversion_path_separator = os"_s
            << u"versionLocations"_s << u"%H/a|/abs/b"_s;
        QTest::newRow("versions_os_template_comment")
            << u"version_locations = a:b\nversion_path_separator = os  # Use os.pathsep."_s
            << u"versionLocations"_s << u"%H/a|%H/b"_s;
        QTest::newRow("versions_colon") << u"version_locations = a dir:b\nversion_path_separator = :"_s
                                        << u"versionLocations"_s << u"%H/a dir|%H/b"_s;
        QTest::newRow("versions_semicolon") << u"version_locations = a;b;\nversion_path_separator = ;"_s
                                            << u"versionLocations"_s << u"%H/a|%H/b"_s;
        QTest::newRow("versions_space") << u"version_locations = a,x b\nversion_path_separator = space"_s
                                        << u"versionLocations"_s << u"%H/a,x|%H/b"_s;
        QTest::newRow("versions_dotdot") << u"version_locations = ../shared/versions"_s
                                         << u"versionLocations"_s << u"%P/shared/versions"_s;
        QTest::newRow("separator_ignored_without_locations")
            << u"version_path_separator = bogus"_s << u"versionLocations"_s << u"%H/m/versions"_s;
        QTest::newRow("script_location_absolute") << QString() << u"scriptLocation"_s << u"%H/m"_s;
        QTest::newRow("default_section_value")
            << u"[DEFAULT]\nversion_table = from_default"_s << u"versionTable"_s << u"from_default"_s;
    }

    void values()
    {
        QFETCH(QString, lines);
        QFETCH(QString, getter);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString ini =
            writeIni(dir, u"[alembic]\nscript_location = m\n"_s + lines + u'\n', u"p/alembic.ini"_s);
        const auto config = ProjectConfig::load(ini, u"alembic"_s, emptyEnvironment);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        QString actual;
        if (getter == "fileTemplate"_L1)
            actual = config->fileTemplate();
        else if (getter == "truncateSlugLength"_L1)
            actual = QString::number(config->truncateSlugLength());
        else if (getter == "transactionPerMigration"_L1)
            actual = config->transactionPerMigration() ? u"true"_s : u"false"_s;
        else if (getter == "recursiveVersionLocations"_L1)
            actual = config->recursiveVersionLocations() ? u"true"_s : u"false"_s;
        else if (getter == "versionTable"_L1)
            actual = config->versionTable();
        else if (getter == "versionTableSchema"_L1)
            actual = config->versionTableSchema();
        else if (getter == "timezone"_L1)
            actual = config->timezone();
        else if (getter == "versionLocations"_L1)
            actual = config->versionLocations().join(u'|');
        else if (getter == "scriptLocation"_L1)
            actual = config->scriptLocation();
        else
            QFAIL("unknown getter");
        expected.replace(u"%H"_s, dir.path() + u"/p"_s);
        expected.replace(u"%P"_s, dir.path());
        QCOMPARE(actual, expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text"); // empty: no file at all
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("message"); // "%F" stands for the ini's absolute path
        QTest::addColumn<int>("line");

        QTest::newRow("missing_file") << QString() << u"alembic"_s << u"No config file '%F' found"_s << 0;
        QTest::newRow("missing_section")
            << u"[other]\nscript_location = m\n"_s << u"alembic"_s << u"No '[alembic]' section in %F"_s << 0;
        QTest::newRow("named_section_missing")
            << u"[alembic]\nscript_location = m\n"_s << u"db2"_s << u"No '[db2]' section in %F"_s << 0;
        QTest::newRow("missing_script_location")
            << u"[alembic]\nsqlalchemy.url = sqlite://\n"_s << u"alembic"_s
            << u"No 'script_location' key found in configuration."_s << 0;
        QTest::newRow("empty_script_location") << u"[alembic]\n\nscript_location =\n"_s << u"alembic"_s
                                               << u"The 'script_location' key is empty"_s << 3;
        QTest::newRow("ini_syntax") << u"[alembic]\nscript_location = m\noops\n"_s << u"alembic"_s
                                    << u"Source contains parsing errors: '%F'\n\t[line  3]: 'oops\\n'"_s << 3;
        QTest::newRow("interpolation")
            << u"[alembic]\nscript_location = %(nowhere)s/m\n"_s << u"alembic"_s
            << u"Bad value substitution: option 'script_location' in section 'alembic' "
               "contains an interpolation key 'nowhere' which is not a valid option name"_s
            << 2;
        QTest::newRow("interpolation_in_url")
            << u"[alembic]\nscript_location = m\nsqlalchemy.url = postgresql://u:Secr3t%40x@h/db\n"_s
            << u"alembic"_s
            << u"'%' must be followed by '%' or '(' in option 'sqlalchemy.url' in section 'alembic' (write "
               u"'%%' for a "
               "literal percent sign)"_s
            << 3;
        QTest::newRow("bad_bool")
            << u"[alembic]\nscript_location = m\ntransaction_per_migration = maybe\n"_s << u"alembic"_s
            << u"Not a boolean for transaction_per_migration: 'maybe' (expected true/false, "
               "yes/no, on/off or 1/0)"_s
            << 3;
        QTest::newRow("bad_recursive_bool")
            << u"[alembic]\nscript_location = m\n\nrecursive_version_locations = y\n"_s << u"alembic"_s
            << u"Not a boolean for recursive_version_locations: 'y' (expected true/false, yes/no, on/off or 1/0)"_s
            << 4;
        QTest::newRow("bad_truncate")
            << u"[alembic]\nscript_location = m\ntruncate_slug_length = forty\n"_s << u"alembic"_s
            << u"Invalid truncate_slug_length 'forty': expected a whole number"_s << 3;
        QTest::newRow("negative_truncate")
            << u"[alembic]\nscript_location = m\ntruncate_slug_length = -3\n"_s << u"alembic"_s
            << u"Invalid truncate_slug_length '-3': expected a whole number"_s << 3;
        QTest::newRow("bad_separator")
            << u"[alembic]\nscript_location = m\nversion_locations = a\nversion_path_separator = comma\n"_s
            << u"alembic"_s
            << u"'comma' is not a valid value for version_path_separator; expected 'space', 'os', ':', ';'"_s
            << 4;
    }

    void errors()
    {
        QFETCH(QString, text);
        QFETCH(QString, section);
        QFETCH(QString, message);
        QFETCH(int, line);
        QTemporaryDir dir;
        const QString ini = text.isNull() ? dir.filePath(u"alembic.ini"_s) : writeIni(dir, text);
        const auto config = ProjectConfig::load(ini, section, emptyEnvironment);
        QVERIFY(!config);
        QCOMPARE(config.error().message(), QString(message).replace(u"%F"_s, ini));
        QCOMPARE(config.error().file(), ini);
        QCOMPARE(config.error().line(), line);
        QVERIFY(!config.error().toString().contains(u"Secr3t"_s));
    }

    void url_data()
    {
        QTest::addColumn<QString>("iniUrl"); // sqlalchemy.url line, empty: none
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("expectedUrl");
        QTest::addColumn<ProjectConfig::UrlSource>("source");

        using S = ProjectConfig::UrlSource;
        QTest::newRow("none") << QString() << QStringList() << QString() << QString() << S::None;
        QTest::newRow("ini") << u"sqlite:///%(here)s/app.db"_s << QStringList() << QString()
                             << u"sqlite:///%H/app.db"_s << S::Ini;
        QTest::newRow("env_defaults")
            << u"sqlite:///app.db"_s << QStringList{u"DB_HOST=db"_s, u"DB_NAME=app"_s} << QString()
            << u"postgresql://postgres:postgres@db:5432/app"_s << S::Environment;
        QTest::newRow("env_full") << QString()
                                  << QStringList{u"DB_HOST=db.example.com"_s, u"DB_PORT=6543"_s,
                                                 u"DB_NAME=app"_s, u"DB_USER=svc"_s, u"DB_PASSWORD=s3cret"_s}
                                  << QString() << u"postgresql://svc:s3cret@db.example.com:6543/app"_s
                                  << S::Environment;
        QTest::newRow("env_encoded") << QString()
                                     << QStringList{u"DB_HOST=h"_s, u"DB_NAME=my db"_s, u"DB_USER=a@b"_s,
                                                    u"DB_PASSWORD=p@ss:w/rd%?#"_s}
                                     << QString()
                                     << u"postgresql://a%40b:p%40ss%3Aw%2Frd%25%3F%23@h:5432/my%20db"_s
                                     << S::Environment;
        QTest::newRow("env_ipv6") << QString() << QStringList{u"DB_HOST=::1"_s, u"DB_NAME=x"_s} << QString()
                                  << u"postgresql://postgres:postgres@[::1]:5432/x"_s << S::Environment;
        QTest::newRow("env_empty_host_ignored")
            << u"sqlite:///app.db"_s << QStringList{u"DB_HOST="_s, u"DB_NAME=x"_s} << QString()
            << u"sqlite:///app.db"_s << S::Ini;
        QTest::newRow("env_empty_port_user_default")
            << QString() << QStringList{u"DB_HOST=h"_s, u"DB_PORT="_s, u"DB_USER="_s, u"DB_NAME=app"_s}
            << QString() << u"postgresql://postgres:postgres@h:5432/app"_s << S::Environment;
        // Set but empty is an empty password (none), not the default.
        QTest::newRow("env_empty_password")
            << QString() << QStringList{u"DB_HOST=h"_s, u"DB_PASSWORD="_s, u"DB_NAME=app"_s} << QString()
            << u"postgresql://postgres@h:5432/app"_s << S::Environment;
        QTest::newRow("only_db_name_set") << u"sqlite:///app.db"_s << QStringList{u"DB_NAME=x"_s} << QString()
                                          << u"sqlite:///app.db"_s << S::Ini;
        QTest::newRow("override_beats_env") << u"sqlite:///app.db"_s << QStringList{u"DB_HOST=db"_s}
                                            << u"mysql://u@h/x"_s << u"mysql://u@h/x"_s << S::Override;
        QTest::newRow("override_beats_ini") << u"sqlite:///app.db"_s << QStringList() << u" sqlite:///o.db "_s
                                            << u"sqlite:///o.db"_s << S::Override;
    }

    void url()
    {
        QFETCH(QString, iniUrl);
        QFETCH(QStringList, env);
        QFETCH(QString, override);
        QFETCH(QString, expectedUrl);
        QFETCH(ProjectConfig::UrlSource, source);
        QTemporaryDir dir;
        QString text = u"[alembic]\nscript_location = m\n"_s;
        if (!iniUrl.isEmpty())
            text += u"sqlalchemy.url = "_s + iniUrl + u'\n';
        const QString ini = writeIni(dir, text);
        auto config = ProjectConfig::load(ini, u"alembic"_s, environment(env));
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        if (!override.isEmpty())
            config->setUrlOverride(override);
        QCOMPARE(config->urlText(), QString(expectedUrl).replace(u"%H"_s, dir.path()));
        QCOMPARE(config->urlSource(), source);
        if (source != ProjectConfig::UrlSource::None)
            QVERIFY(config->databaseUrl());
    }

    void environmentUrlParsesBack()
    {
        QTemporaryDir dir;
        const QString ini = writeIni(dir, u"[alembic]\nscript_location = m\n"_s);
        const auto config = ProjectConfig::load(
            ini, u"alembic"_s,
            environment({u"DB_HOST=h"_s, u"DB_NAME=my db"_s, u"DB_PASSWORD=p@ss:w/rd%?#"_s}));
        QVERIFY(config);
        const auto url = config->databaseUrl();
        QVERIFY(url);
        QCOMPARE(url->backend(), qmigrate::DatabaseUrl::Backend::PostgreSQL);
        QCOMPARE(url->host(), u"h"_s);
        QCOMPARE(url->port(), 5432);
        QCOMPARE(url->database(), u"my db"_s);
        QCOMPARE(url->userName(), u"postgres"_s);
        QCOMPARE(url->password(), u"p@ss:w/rd%?#"_s);
    }

    void environmentEmptyPassword()
    {
        QTemporaryDir dir;
        const QString ini = writeIni(dir, u"[alembic]\nscript_location = m\n"_s);
        const auto config = ProjectConfig::load(
            ini, u"alembic"_s, environment({u"DB_HOST=h"_s, u"DB_NAME=app"_s, u"DB_PASSWORD="_s}));
        QVERIFY(config);
        const auto url = config->databaseUrl();
        QVERIFY(url);
        QCOMPARE(url->userName(), u"postgres"_s);
        QCOMPARE(url->password(), QString());
        QVERIFY(!url->hasPassword());
    }

    void environmentWithoutDatabaseName_data()
    {
        QTest::addColumn<QStringList>("env");
        QTest::newRow("unset") << QStringList{u"DB_HOST=db.example.com"_s, u"DB_PASSWORD=Secr3t"_s};
        QTest::newRow("empty") << QStringList{u"DB_HOST=db.example.com"_s, u"DB_NAME="_s,
                                              u"DB_PASSWORD=Secr3t"_s};
    }

    // Without DB_NAME the URL would end in "/" and the driver would quietly connect to the server's
    // default database.
    void environmentWithoutDatabaseName()
    {
        QFETCH(QStringList, env);
        QTemporaryDir dir;
        const QString ini = writeIni(dir, u"[alembic]\nscript_location = m\nsqlalchemy.url = sqlite://\n"_s);
        auto config = ProjectConfig::load(ini, u"alembic"_s, environment(env));
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        // The environment still decides: the ini's URL is not used instead.
        QCOMPARE(config->urlSource(), ProjectConfig::UrlSource::Environment);
        QVERIFY(config->urlText().startsWith(u"postgresql://"_s));
        const auto url = config->databaseUrl();
        QVERIFY(!url);
        QCOMPARE(url.error().message(),
                 u"DB_HOST is set but DB_NAME is not: set DB_NAME to the database to connect to (or unset "
                 u"DB_HOST to use sqlalchemy.url)"_s);
        QCOMPARE(url.error().file(), ini);
        QCOMPARE(url.error().kind(), qmigrate::EngineError::Kind::Usage);
        QVERIFY(!url.error().toString().contains(u"Secr3t"_s));

        const auto direct = ProjectConfig::environmentUrl(environment(env));
        QVERIFY(!direct);
        QCOMPARE(direct.error().message(), url.error().message());
        QCOMPARE(direct.error().kind(), qmigrate::EngineError::Kind::Usage);

        // An explicit URL does not need the environment.
        config->setUrlOverride(u"sqlite:///o.db"_s);
        QVERIFY(config->databaseUrl());
    }

    void urlWithoutIni()
    {
        // The override wins, even over a DB_* environment that lacks DB_NAME.
        const QProcessEnvironment incomplete = environment({u"DB_HOST=db.local"_s});
        QCOMPARE(ProjectConfig::urlWithoutIni(u"sqlite:///o.db"_s, incomplete).value(), u"sqlite:///o.db"_s);
        // Without one, the environment's rule, its error included.
        const auto missingName = ProjectConfig::urlWithoutIni(QString(), incomplete);
        QVERIFY(!missingName);
        QCOMPARE(missingName.error().kind(), qmigrate::EngineError::Kind::Usage);
        const auto fromEnvironment = ProjectConfig::urlWithoutIni(
            QString(), environment({u"DB_HOST=db.local"_s, u"DB_NAME=shop"_s, u"DB_USER=app"_s}));
        QVERIFY2(fromEnvironment,
                 qPrintable(fromEnvironment ? QString() : fromEnvironment.error().toString()));
        QCOMPARE(*fromEnvironment,
                 ProjectConfig::environmentUrl(
                     environment({u"DB_HOST=db.local"_s, u"DB_NAME=shop"_s, u"DB_USER=app"_s}))
                     .value());
        QVERIFY(fromEnvironment->startsWith(u"postgresql://app:"_s));
        // Neither: no URL, and no error (the caller says what it needs).
        QCOMPARE(ProjectConfig::urlWithoutIni(QString(), emptyEnvironment).value(), QString());
    }

    void clearingOverrideRestoresSource()
    {
        QTemporaryDir dir;
        const QString ini = writeIni(dir, u"[alembic]\nscript_location = m\nsqlalchemy.url = sqlite://\n"_s);
        auto config = ProjectConfig::load(ini, u"alembic"_s, emptyEnvironment);
        QVERIFY(config);
        config->setUrlOverride(u"sqlite:///x.db"_s);
        QCOMPARE(config->urlSource(), ProjectConfig::UrlSource::Override);
        config->setUrlOverride(QString());
        QCOMPARE(config->urlSource(), ProjectConfig::UrlSource::Ini);
        QCOMPARE(config->urlText(), u"sqlite://"_s);
    }

    void noUrlError()
    {
        QTemporaryDir dir;
        const QString ini = writeIni(dir, u"[alembic]\nscript_location = m\n"_s);
        const auto config = ProjectConfig::load(ini, u"alembic"_s, emptyEnvironment);
        QVERIFY(config);
        const auto url = config->databaseUrl();
        QVERIFY(!url);
        QCOMPARE(
            url.error().message(),
            u"No database URL configured: set sqlalchemy.url in the [alembic] section of %1, or the DB_HOST "
            "(with DB_PORT, DB_NAME, DB_USER, DB_PASSWORD) environment variables"_s.arg(ini));
        QCOMPARE(url.error().file(), ini);
    }

    void badUrlErrors_data()
    {
        QTest::addColumn<QString>("iniUrl");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");
        QTest::addColumn<bool>("namesFile");

        QTest::newRow("ini_port")
            << u"postgresql://u:Secr3t@h:99999/db"_s << QStringList() << QString()
            << u"sqlalchemy.url: Invalid port '99999' in database URL: expected a number from 1 "
               "to 65535"_s
            << 4 << true;
        QTest::newRow("ini_postgres")
            << u"postgres://u:Secr3t@h/db"_s << QStringList() << QString()
            << u"sqlalchemy.url: Unsupported database URL dialect 'postgres': SQLAlchemy 1.4 "
               "and later no longer accept 'postgres://'; write 'postgresql://' instead"_s
            << 4 << true;
        QTest::newRow("env_port")
            << QString()
            << QStringList{u"DB_HOST=h"_s, u"DB_PORT=five"_s, u"DB_NAME=x"_s, u"DB_PASSWORD=Secr3t"_s}
            << QString()
            << u"URL built from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD: Invalid port "
               "'five' in database URL: expected a number from 1 to 65535"_s
            << 0 << true;
        QTest::newRow("override_port")
            << QString() << QStringList() << u"mysql://u:Secr3t@h:x/db"_s
            << u"Invalid port 'x' in database URL: expected a number from 1 to 65535"_s << 0 << false;
    }

    void badUrlErrors()
    {
        QFETCH(QString, iniUrl);
        QFETCH(QStringList, env);
        QFETCH(QString, override);
        QFETCH(QString, message);
        QFETCH(int, line);
        QFETCH(bool, namesFile);
        QTemporaryDir dir;
        QString text = u"[alembic]\nscript_location = m\n\n"_s;
        if (!iniUrl.isEmpty())
            text += u"sqlalchemy.url = "_s + iniUrl + u'\n';
        const QString ini = writeIni(dir, text);
        auto config = ProjectConfig::load(ini, u"alembic"_s, environment(env));
        QVERIFY2(config, qPrintable(config ? QString() : config.error().toString()));
        if (!override.isEmpty())
            config->setUrlOverride(override);
        const auto url = config->databaseUrl();
        QVERIFY(!url);
        QCOMPARE(url.error().message(), message);
        QCOMPARE(url.error().file(), namesFile ? ini : QString());
        QCOMPARE(url.error().line(), line);
        QVERIFY(!url.error().toString().contains(u"Secr3t"_s));
    }
};

QTEST_GUILESS_MAIN(TstProjectConfig)
#include "tst_projectconfig.moc"
