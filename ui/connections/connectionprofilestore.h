// SPDX-License-Identifier: MIT
#pragma once

#include "connections/connectionprofile.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>

#include <optional>

class QSettings;

namespace qmigrate {

// The user's connection profiles, kept in QSettings (group "connections", an array "profiles" plus the
// name of the current profile). Never a password: those belong to PasswordStore. Profile names are unique;
// the environment profile (ConnectionProfile::fromEnvironment) is never stored.
//
// Every change is written through at once; a change that cannot be made returns false and puts a sentence
// saying why into *error (if given), leaving the stored profiles as they were. profilesChanged() follows
// every change that was made. (A write the settings file refuses, e.g. a read-only file, is reported the same
// way.)
class ConnectionProfileStore : public QObject
{
    Q_OBJECT

public:
    // The application's settings: QSettings() with QCoreApplication's organization and application names
    // (under QStandardPaths' config location, which tests redirect with setTestModeEnabled).
    explicit ConnectionProfileStore(QObject *parent = nullptr);
    // An ini file of its own (created when first written).
    explicit ConnectionProfileStore(const QString &iniFile, QObject *parent = nullptr);
    ~ConnectionProfileStore() override;

    // The file the profiles are written to.
    QString settingsFileName() const;

    // In the order they were added; entries the file holds that are no valid profile are left out.
    QList<ConnectionProfile> profiles() const;
    QStringList profileNames() const;
    std::optional<ConnectionProfile> profile(const QString &name) const;
    bool contains(const QString &name) const { return profile(name).has_value(); }

    // Replaces the profile of the same name, or adds it at the end. Fails for an invalid profile
    // (ConnectionProfile::validationError) and for the environment profile.
    bool addOrUpdate(const ConnectionProfile &profile, QString *error = nullptr);
    // Fails when there is no such profile.
    bool remove(const QString &name, QString *error = nullptr);
    // Keeps the profile's place in the list. Fails when oldName is unknown, or newName is invalid or taken.
    // The keychain entry is not moved: that is the caller's (PasswordStore is asynchronous).
    bool rename(const QString &oldName, const QString &newName, QString *error = nullptr);

    // The profile the GUI last worked against in the project of that folder (empty: the project's own
    // database, also for a project never opened before). Kept per project, so that opening another project
    // never points it at the database of the one before. Follows rename and remove.
    QString currentProfileName(const QString &projectDirectory) const;
    // Writes only a change.
    void setCurrentProfileName(const QString &projectDirectory, const QString &name);

signals:
    void profilesChanged();

private:
    bool write(const QList<ConnectionProfile> &profiles, QString *error);
    QVariantMap currentProfiles() const;
    void writeCurrentProfiles(const QVariantMap &current);
    // newName empty: the profile was removed, and the projects that used it go back to their own database.
    void renameInCurrentProfiles(const QString &oldName, const QString &newName);

    QSettings *m_settings = nullptr;
};

} // namespace qmigrate
