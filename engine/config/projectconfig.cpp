// SPDX-License-Identifier: MIT
#include "config/projectconfig.h"

#include "core/namecheck.h"

#include "config/inifile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <optional>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// configparser's RawConfigParser.BOOLEAN_STATES.
std::optional<bool> pythonBool(const QString &text)
{
    const QString lower = text.toLower();
    if (lower == "1"_L1 || lower == "yes"_L1 || lower == "true"_L1 || lower == "on"_L1)
        return true;
    if (lower == "0"_L1 || lower == "no"_L1 || lower == "false"_L1 || lower == "off"_L1)
        return false;
    return std::nullopt;
}

// A desktop app has no meaningful current directory, so relative paths are anchored at the ini file's
// directory. Alembic resolves them against the current directory, which is the same thing whenever it is
// run, as its docs say to, next to alembic.ini.
QString resolvePath(const QString &here, const QString &path)
{
    if (QFileInfo(path).isAbsolute())
        return QDir::cleanPath(path);
    return QDir::cleanPath(QDir(here).absoluteFilePath(path));
}

// The seed's rule: DB_HOST decides; an unset or empty DB_PORT or DB_USER takes its default, and so does an
// unset DB_PASSWORD, while an empty one is no password. Empty when DB_HOST is not set.
QString environmentUrlText(const QProcessEnvironment &environment)
{
    const QString host = environment.value(u"DB_HOST"_s);
    if (host.isEmpty())
        return {};
    auto envOr = [&environment](const QString &name, const QString &fallback) {
        const QString value = environment.value(name);
        return value.isEmpty() ? fallback : value;
    };
    const QString port = envOr(u"DB_PORT"_s, u"5432"_s);
    const QString hostPart =
        host.contains(QLatin1Char(':')) ? u"[%1]"_s.arg(host) : DatabaseUrl::percentEncoded(host);
    const QString password = environment.value(u"DB_PASSWORD"_s, u"postgres"_s);
    QString userInfo = DatabaseUrl::percentEncoded(envOr(u"DB_USER"_s, u"postgres"_s));
    if (!password.isEmpty())
        userInfo += u':' + DatabaseUrl::percentEncoded(password);
    return u"postgresql://%1@%2:%3/%4"_s.arg(userInfo, hostPart, DatabaseUrl::percentEncoded(port),
                                             DatabaseUrl::percentEncoded(environment.value(u"DB_NAME"_s)));
}

// Empty when the environment's URL, if any, can be used.
QString environmentProblem(const QProcessEnvironment &environment)
{
    if (environment.value(u"DB_HOST"_s).isEmpty() || !environment.value(u"DB_NAME"_s).isEmpty())
        return {};
    return u"DB_HOST is set but DB_NAME is not: set DB_NAME to the database to connect to (or unset DB_HOST "
           "to use sqlalchemy.url)"_s;
}

} // namespace

Expected<ProjectConfig> ProjectConfig::load(const QString &iniPath, const QString &section,
                                            const QProcessEnvironment &environment)
{
    const QFileInfo info(iniPath);
    const QString file = info.absoluteFilePath();
    if (!info.exists() || !info.isFile())
        return EngineError(u"No config file '%1' found"_s.arg(file), file, 0, {}, EngineError::Kind::Usage);

    Expected<IniFile> loaded = IniFile::load(file);
    if (!loaded)
        return loaded.error();
    IniFile &ini = *loaded;
    if (!ini.hasSection(section))
        return EngineError(u"No '[%1]' section in %2"_s.arg(section, file), file, 0);

    ProjectConfig config;
    config.m_iniPath = file;
    config.m_section = section;
    config.m_here = info.absolutePath();
    ini.setDefaults({{u"here"_s, config.m_here}});

    // Interpolated value of key, or fallback when absent; errors come back already naming file and line.
    std::optional<EngineError> failure;
    auto get = [&](const QString &key, const QString &fallback = {}) -> QString {
        Expected<QString> value = ini.value(section, key, fallback);
        if (!value) {
            if (!failure)
                failure = value.error();
            return {};
        }
        return *value;
    };
    auto valueError = [&](const QString &key, const QString &message) {
        return EngineError(message, file, ini.lineOf(section, key));
    };

    if (!ini.contains(section, u"script_location"_s))
        return EngineError(u"No 'script_location' key found in configuration."_s, file, 0);
    const QString scriptLocation = get(u"script_location"_s);
    if (failure)
        return *failure;
    if (scriptLocation.isEmpty())
        return valueError(u"script_location"_s, u"The 'script_location' key is empty"_s);
    config.m_scriptLocation = resolvePath(config.m_here, scriptLocation);
    config.m_scriptLocationLine = ini.lineOf(section, u"script_location"_s);

    const QString versionLocations = get(u"version_locations"_s);
    const QString separatorText = get(u"version_path_separator"_s);
    if (failure)
        return *failure;
    if (versionLocations.isEmpty()) {
        config.m_versionLocations = {config.m_scriptLocation + u"/versions"_s};
    } else {
        QStringList parts;
        if (!ini.contains(section, u"version_path_separator"_s)) {
            // Alembic 1.8.1's legacy rule: _split_on_space_comma = re.compile(r", *|(?: +)")
            static const QRegularExpression spaceComma(u", *| +"_s);
            parts = versionLocations.split(spaceComma);
        } else {
            // Alembic 1.8's own generic template writes "version_path_separator = os  # Use os.pathsep. …",
            // and configparser has no inline comments, so Alembic rejects its own file as soon as
            // version_locations is set. Accept that comment.
            static const QRegularExpression trailingComment(u"\\s+#.*$"_s);
            const QString separator = QString(separatorText).remove(trailingComment);
            QString splitOn;
            if (separator == "space"_L1)
                splitOn = u" "_s;
            else if (separator == "os"_L1)
                splitOn = QDir::listSeparator();
            else if (separator == ":"_L1 || separator == ";"_L1)
                splitOn = separator;
            else
                return valueError(
                    u"version_path_separator"_s,
                    u"'%1' is not a valid value for version_path_separator; expected 'space', 'os', "
                    "':', ';'"_s.arg(separatorText));
            parts = versionLocations.split(splitOn);
        }
        // Alembic keeps an empty entry from "a ,b" and then lists the current directory; drop it instead.
        for (const QString &part : std::as_const(parts)) {
            if (!part.trimmed().isEmpty())
                config.m_versionLocations.append(resolvePath(config.m_here, part.trimmed()));
        }
        if (config.m_versionLocations.isEmpty())
            config.m_versionLocations = {config.m_scriptLocation + u"/versions"_s};
        else
            config.m_hasVersionLocations = true;
        config.m_versionLocationsLine = ini.lineOf(section, u"version_locations"_s);
    }

    auto readBool = [&](const QString &key, bool &target) -> Expected<void> {
        if (!ini.contains(section, key))
            return {};
        const QString text = get(key);
        if (failure)
            return *failure;
        const std::optional<bool> parsed = pythonBool(text);
        if (!parsed) {
            return valueError(
                key,
                u"Not a boolean for %1: '%2' (expected true/false, yes/no, on/off or 1/0)"_s.arg(key, text));
        }
        target = *parsed;
        return {};
    };
    if (Expected<void> read = readBool(u"recursive_version_locations"_s, config.m_recursiveVersionLocations);
        !read)
        return read.error();
    if (Expected<void> read = readBool(u"transaction_per_migration"_s, config.m_transactionPerMigration);
        !read)
        return read.error();
    for (const auto &[key, target] : {std::pair{u"qmigrate.lock_wait_timeout"_s, &config.m_lockWaitTimeout},
                                      std::pair{u"qmigrate.statement_timeout"_s, &config.m_statementTimeout},
                                      std::pair{u"qmigrate.lock_retries"_s, &config.m_lockRetries}}) {
        if (!ini.contains(section, key))
            continue;
        const QString text = get(key).trimmed();
        if (failure)
            return *failure;
        bool ok = false;
        const int value = text.toInt(&ok);
        if (!ok || value < 0)
            return valueError(key, u"Invalid %1 '%2': expected a whole number of %3, 0 or more"_s.arg(
                                       key, text, key.endsWith(u"retries"_s) ? u"tries"_s : u"seconds"_s));
        *target = value;
    }

    const QString versionTable = get(u"version_table"_s);
    config.m_versionTableSchema = get(u"version_table_schema"_s);
    const QString fileTemplate = get(u"file_template"_s);
    const QString truncate = get(u"truncate_slug_length"_s);
    config.m_timezone = get(u"timezone"_s);
    config.m_iniUrlText = get(u"sqlalchemy.url"_s).trimmed();
    if (failure)
        return *failure;
    for (const auto &[key, name] : {std::pair{u"version_table"_s, versionTable},
                                    std::pair{u"version_table_schema"_s, config.m_versionTableSchema}}) {
        if (const QString problem = NameCheck::controlCharacter(name); !problem.isEmpty())
            return valueError(
                key, u"Invalid %1 '%2': it contains %3"_s.arg(key, NameCheck::printable(name), problem));
    }
    if (!versionTable.isEmpty())
        config.m_versionTable = versionTable;
    if (!fileTemplate.isEmpty())
        config.m_fileTemplate = fileTemplate;
    if (!truncate.isEmpty()) {
        bool ok = false;
        const int length = truncate.toInt(&ok);
        if (!ok || length < 0) {
            return valueError(u"truncate_slug_length"_s,
                              u"Invalid truncate_slug_length '%1': expected a whole number"_s.arg(truncate));
        }
        // ScriptDirectory: truncate_slug_length or 40
        config.m_truncateSlugLength = length == 0 ? 40 : length;
    }
    config.m_iniUrlLine = ini.lineOf(section, u"sqlalchemy.url"_s);

    config.m_environmentUrlText = environmentUrlText(environment);
    config.m_environmentProblem = environmentProblem(environment);
    config.updateUrl();
    return config;
}

Expected<QString> ProjectConfig::environmentUrl(const QProcessEnvironment &environment)
{
    if (const QString problem = environmentProblem(environment); !problem.isEmpty())
        return EngineError(problem, EngineError::Kind::Usage);
    return environmentUrlText(environment);
}

Expected<QString> ProjectConfig::urlWithoutIni(const QString &overrideUrl,
                                               const QProcessEnvironment &environment)
{
    if (!overrideUrl.isEmpty())
        return overrideUrl;
    return environmentUrl(environment);
}

void ProjectConfig::setUrlOverride(const QString &url)
{
    m_overrideUrlText = url.trimmed();
    updateUrl();
}

void ProjectConfig::updateUrl()
{
    if (!m_overrideUrlText.isEmpty()) {
        m_urlText = m_overrideUrlText;
        m_urlSource = UrlSource::Override;
    } else if (!m_environmentUrlText.isEmpty()) {
        m_urlText = m_environmentUrlText;
        m_urlSource = UrlSource::Environment;
    } else if (!m_iniUrlText.isEmpty()) {
        m_urlText = m_iniUrlText;
        m_urlSource = UrlSource::Ini;
    } else {
        m_urlText.clear();
        m_urlSource = UrlSource::None;
    }
}

Expected<DatabaseUrl> ProjectConfig::databaseUrl() const
{
    if (m_urlSource == UrlSource::None) {
        return EngineError(
            u"No database URL configured: set sqlalchemy.url in the [%1] section of %2, or the "
            "DB_HOST (with DB_PORT, DB_NAME, DB_USER, DB_PASSWORD) environment variables"_s.arg(m_section,
                                                                                                m_iniPath),
            m_iniPath, 0, {}, EngineError::Kind::Usage);
    }
    if (m_urlSource == UrlSource::Environment && !m_environmentProblem.isEmpty())
        return EngineError(m_environmentProblem, m_iniPath, 0, {}, EngineError::Kind::Usage);
    Expected<DatabaseUrl> url = DatabaseUrl::parse(m_urlText);
    if (url) {
        if (!m_passwordOverride.isEmpty())
            url->setPassword(m_passwordOverride);
        return url;
    }
    EngineError error = url.error();
    switch (m_urlSource) {
    case UrlSource::Ini:
        return EngineError(u"sqlalchemy.url: "_s + error.message(), m_iniPath, m_iniUrlLine, {},
                           error.kind());
    case UrlSource::Environment:
        return EngineError(u"URL built from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD: "_s +
                               error.message(),
                           m_iniPath, 0, {}, error.kind());
    case UrlSource::Override:
    case UrlSource::None:
        break;
    }
    return error;
}

} // namespace qmigrate
