// SPDX-License-Identifier: MIT
#include "connections/connectionprofilestore.h"

#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// One settings key with its type and default, so that reading and writing cannot disagree.
template<typename T> struct Setting
{
    QLatin1StringView key;
    T defaultValue;

    T read(const QSettings &settings) const
    {
        return settings.value(key, QVariant::fromValue(defaultValue)).template value<T>();
    }
    void write(QSettings &settings, const T &value) const { settings.setValue(key, value); }
};

constexpr auto group = "connections"_L1;
constexpr auto profilesArray = "profiles"_L1;
// Project folder -> the profile chosen for it.
const Setting<QVariantMap> currentByProjectKey{"currentByProject"_L1, {}};

// Inside one element of the profiles array.
const Setting<QString> nameKey{"name"_L1, {}};
const Setting<QString> backendKey{"backend"_L1, u"sqlite"_s};
const Setting<QString> sqliteFileKey{"sqliteFile"_L1, {}};
const Setting<QString> hostKey{"host"_L1, {}};
const Setting<int> portKey{"port"_L1, 0};
const Setting<QString> databaseKey{"database"_L1, {}};
const Setting<QString> userKey{"user"_L1, {}};
const Setting<QString> sslModeKey{"sslMode"_L1, {}};
const Setting<bool> rememberPasswordKey{"rememberPassword"_L1, false};

std::optional<ConnectionProfile> readProfile(const QSettings &settings)
{
    const std::optional<DatabaseUrl::Backend> backend =
        ConnectionProfile::backendFromKey(backendKey.read(settings));
    if (!backend)
        return std::nullopt;
    ConnectionProfile profile;
    profile.name = nameKey.read(settings);
    profile.backend = *backend;
    profile.sqliteFile = sqliteFileKey.read(settings);
    profile.host = hostKey.read(settings);
    profile.port = portKey.read(settings);
    profile.database = databaseKey.read(settings);
    profile.user = userKey.read(settings);
    profile.sslMode = sslModeKey.read(settings);
    profile.rememberPassword = rememberPasswordKey.read(settings);
    if (!profile.validationError().isEmpty())
        return std::nullopt;
    return profile;
}

void writeProfile(QSettings &settings, const ConnectionProfile &profile)
{
    nameKey.write(settings, profile.name);
    backendKey.write(settings, ConnectionProfile::backendKey(profile.backend));
    // Only the fields of the profile's backend: a SQLite profile carries no stale host.
    if (profile.backend != DatabaseUrl::Backend::SQLite)
        rememberPasswordKey.write(settings, profile.rememberPassword);
    if (profile.backend == DatabaseUrl::Backend::SQLite) {
        sqliteFileKey.write(settings, profile.sqliteFile);
        return;
    }
    hostKey.write(settings, profile.host);
    portKey.write(settings, profile.port);
    databaseKey.write(settings, profile.database);
    userKey.write(settings, profile.user);
    if (profile.backend == DatabaseUrl::Backend::PostgreSQL)
        sslModeKey.write(settings, profile.sslMode);
}

QString statusText(QSettings::Status status)
{
    switch (status) {
    case QSettings::NoError:
        return {};
    case QSettings::AccessError:
        return u"the file cannot be written"_s;
    case QSettings::FormatError:
        return u"the file is not a valid settings file"_s;
    }
    return u"unknown error"_s;
}

} // namespace

ConnectionProfileStore::ConnectionProfileStore(QObject *parent)
    : QObject(parent)
    , m_settings(new QSettings(this))
{}

ConnectionProfileStore::ConnectionProfileStore(const QString &iniFile, QObject *parent)
    : QObject(parent)
    , m_settings(new QSettings(iniFile, QSettings::IniFormat, this))
{}

ConnectionProfileStore::~ConnectionProfileStore() = default;

QString ConnectionProfileStore::settingsFileName() const
{
    return m_settings->fileName();
}

QList<ConnectionProfile> ConnectionProfileStore::profiles() const
{
    QList<ConnectionProfile> result;
    m_settings->beginGroup(group);
    const int count = m_settings->beginReadArray(profilesArray);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        std::optional<ConnectionProfile> profile = readProfile(*m_settings);
        const bool duplicate = profile && std::any_of(result.cbegin(), result.cend(),
                                                      [&](const auto &p) { return p.name == profile->name; });
        if (profile && !duplicate)
            result.append(std::move(*profile));
    }
    m_settings->endArray();
    m_settings->endGroup();
    return result;
}

QStringList ConnectionProfileStore::profileNames() const
{
    QStringList names;
    for (const ConnectionProfile &profile : profiles())
        names.append(profile.name);
    return names;
}

std::optional<ConnectionProfile> ConnectionProfileStore::profile(const QString &name) const
{
    for (const ConnectionProfile &profile : profiles()) {
        if (profile.name == name)
            return profile;
    }
    return std::nullopt;
}

bool ConnectionProfileStore::addOrUpdate(const ConnectionProfile &profile, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (profile.isFromEnvironment)
        return fail(u"The profile '%1' comes from the DB_HOST environment variables and is not saved; "
                    "duplicate it to keep a copy"_s.arg(profile.name));
    const QString problem = profile.validationError();
    if (!problem.isEmpty())
        return fail(problem);
    QList<ConnectionProfile> all = profiles();
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const ConnectionProfile &p) { return p.name == profile.name; });
    if (it != all.end()) {
        if (*it == profile)
            return true;
        *it = profile;
    } else {
        all.append(profile);
    }
    return write(all, error);
}

bool ConnectionProfileStore::remove(const QString &name, QString *error)
{
    QList<ConnectionProfile> all = profiles();
    const qsizetype removed = all.removeIf([&](const ConnectionProfile &p) { return p.name == name; });
    if (removed == 0) {
        if (error)
            *error = u"There is no connection profile named '%1'"_s.arg(name);
        return false;
    }
    if (!write(all, error))
        return false;
    renameInCurrentProfiles(name, {});
    return true;
}

bool ConnectionProfileStore::rename(const QString &oldName, const QString &newName, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    QList<ConnectionProfile> all = profiles();
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const ConnectionProfile &p) { return p.name == oldName; });
    if (it == all.end())
        return fail(u"There is no connection profile named '%1'"_s.arg(oldName));
    if (oldName == newName)
        return true;
    if (std::any_of(all.cbegin(), all.cend(), [&](const ConnectionProfile &p) { return p.name == newName; }))
        return fail(u"A connection profile named '%1' exists already"_s.arg(newName));
    ConnectionProfile renamed = *it;
    renamed.name = newName;
    const QString problem = renamed.validationError();
    if (!problem.isEmpty())
        return fail(problem);
    *it = renamed;
    if (!write(all, error))
        return false;
    renameInCurrentProfiles(oldName, newName);
    return true;
}

QString ConnectionProfileStore::currentProfileName(const QString &projectDirectory) const
{
    return currentProfiles().value(projectDirectory).toString();
}

void ConnectionProfileStore::setCurrentProfileName(const QString &projectDirectory, const QString &name)
{
    QVariantMap current = currentProfiles();
    // Opening a project names the connection it had, mostly: no write then. A write is a lock file, the
    // file and a sync to disk, in the pass that shows the project.
    if (current.value(projectDirectory).toString() == name)
        return;
    if (name.isEmpty())
        current.remove(projectDirectory);
    else
        current.insert(projectDirectory, name);
    writeCurrentProfiles(current);
}

QVariantMap ConnectionProfileStore::currentProfiles() const
{
    m_settings->beginGroup(group);
    const QVariantMap current = currentByProjectKey.read(*m_settings);
    m_settings->endGroup();
    return current;
}

void ConnectionProfileStore::writeCurrentProfiles(const QVariantMap &current)
{
    m_settings->beginGroup(group);
    if (current.isEmpty())
        m_settings->remove(currentByProjectKey.key);
    else
        currentByProjectKey.write(*m_settings, current);
    m_settings->endGroup();
    m_settings->sync();
}

void ConnectionProfileStore::renameInCurrentProfiles(const QString &oldName, const QString &newName)
{
    QVariantMap current = currentProfiles();
    for (auto it = current.begin(); it != current.end();) {
        if (it.value().toString() != oldName) {
            ++it;
        } else if (newName.isEmpty()) {
            it = current.erase(it);
        } else {
            it.value() = newName;
            ++it;
        }
    }
    writeCurrentProfiles(current);
}

bool ConnectionProfileStore::write(const QList<ConnectionProfile> &profiles, QString *error)
{
    m_settings->beginGroup(group);
    // The array is rewritten whole so that no element keeps keys of the profile that was there before.
    m_settings->remove(profilesArray);
    m_settings->beginWriteArray(profilesArray, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        m_settings->setArrayIndex(i);
        writeProfile(*m_settings, profiles.at(i));
    }
    m_settings->endArray();
    m_settings->endGroup();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError) {
        if (error) {
            *error = u"Cannot save the connection profiles to %1: %2"_s.arg(m_settings->fileName(),
                                                                            statusText(m_settings->status()));
        }
        return false;
    }
    emit profilesChanged();
    return true;
}

} // namespace qmigrate
