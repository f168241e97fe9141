// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace qmigrate {

// The project as alembic.ini (one section, "alembic" unless --name says otherwise) and the environment
// describe it. Paths are absolute. The URL rule is the seed's: DB_HOST set -> a PostgreSQL URL built from
// DB_HOST, DB_PORT (5432), DB_NAME (required), DB_USER (postgres), DB_PASSWORD (postgres when unset, none
// when set but empty); otherwise sqlalchemy.url. An explicit override (--url, a GUI connection profile)
// beats both.
class ProjectConfig
{
public:
    enum class UrlSource { None, Ini, Environment, Override };

    // Every error names the ini file, and the line when a value is at fault.
    static Expected<ProjectConfig>
    load(const QString &iniPath, const QString &section = QStringLiteral("alembic"),
         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

    // The URL the DB_* environment gives (the seed's rule above); empty when DB_HOST is not set. An error
    // naming DB_NAME when DB_HOST is set without it: the URL would end in "/" and the driver would quietly
    // connect to the server's default database.
    static Expected<QString> environmentUrl(const QProcessEnvironment &environment);
    // The same precedence for a command that has no ini yet (init --from-database): the override (--url)
    // when given, else environmentUrl(); empty when neither gives a URL.
    static Expected<QString> urlWithoutIni(const QString &overrideUrl,
                                           const QProcessEnvironment &environment);

    QString iniPath() const { return m_iniPath; }
    QString section() const { return m_section; }
    QString here() const { return m_here; } // directory of the ini file
    QString scriptLocation() const { return m_scriptLocation; }
    QStringList versionLocations() const { return m_versionLocations; } // script_location/versions by default
    // True when version_locations names the locations, false for the script_location/versions default.
    bool hasVersionLocations() const { return m_hasVersionLocations; }
    // Lines of script_location and version_locations in the ini (0: not there), for errors about them.
    int scriptLocationLine() const { return m_scriptLocationLine; }
    int versionLocationsLine() const { return m_versionLocationsLine; }
    bool recursiveVersionLocations() const { return m_recursiveVersionLocations; }
    QString versionTable() const { return m_versionTable; }             // alembic_version
    QString versionTableSchema() const { return m_versionTableSchema; } // empty = default schema
    bool transactionPerMigration() const { return m_transactionPerMigration; }
    QString fileTemplate() const { return m_fileTemplate; }         // after interpolation: "%(rev)s_%(slug)s"
    int truncateSlugLength() const { return m_truncateSlugLength; } // 40; 0 in the file also means 40
    QString timezone() const { return m_timezone; }
    // qmigrate's own keys (Alembic ignores them), -1 when not set: qmigrate.lock_wait_timeout (seconds a
    // statement waits for a table or row lock), qmigrate.statement_timeout (seconds a statement may run;
    // 0 = no limit) and qmigrate.lock_retries (how often a step that timed out waiting for a lock is tried
    // again).
    int lockWaitTimeout() const { return m_lockWaitTimeout; }
    int statementTimeout() const { return m_statementTimeout; }
    int lockRetries() const { return m_lockRetries; }

    // The effective URL text (may be empty when none is configured) and where it came from.
    QString urlText() const { return m_urlText; }
    UrlSource urlSource() const { return m_urlSource; }
    // Parses urlText(); errors name the ini file (and sqlalchemy.url's line when the URL came from there).
    // Fails, naming DB_NAME, when the environment decides but lacks DB_NAME.
    Expected<DatabaseUrl> databaseUrl() const;
    // An empty url removes the override.
    void setUrlOverride(const QString &url);
    // A password given apart from any URL (--password-stdin, a prompt): databaseUrl() carries it, whichever
    // URL is used.
    void setPasswordOverride(const QString &password) { m_passwordOverride = password; }
    int urlLine() const { return m_urlSource == UrlSource::Ini ? m_iniUrlLine : 0; } // line of sqlalchemy.url

private:
    QString m_iniPath;
    QString m_section;
    QString m_here;
    QString m_scriptLocation;
    QStringList m_versionLocations;
    bool m_hasVersionLocations = false;
    int m_scriptLocationLine = 0;
    int m_versionLocationsLine = 0;
    bool m_recursiveVersionLocations = false;
    QString m_versionTable = QStringLiteral("alembic_version");
    QString m_versionTableSchema;
    bool m_transactionPerMigration = false;
    QString m_fileTemplate = QStringLiteral("%(rev)s_%(slug)s");
    int m_truncateSlugLength = 40;
    QString m_timezone;
    QString m_urlText;
    UrlSource m_urlSource = UrlSource::None;
    QString m_iniUrlText;
    int m_iniUrlLine = 0;
    QString m_environmentUrlText;
    QString m_environmentProblem; // why m_environmentUrlText cannot be used; empty when it can
    QString m_overrideUrlText;
    int m_lockWaitTimeout = -1;
    int m_statementTimeout = -1;
    int m_lockRetries = -1;
    QString m_passwordOverride;

    void updateUrl();
};

} // namespace qmigrate
