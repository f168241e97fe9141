// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"

#include <QPointer>
#include <QProcessEnvironment>
#include <QWidget>

#include <optional>

class QComboBox;
class QToolButton;

namespace qmigrate {

class ConnectionDialog;
class PasswordDialog;
class ConnectionProfileStore;
class DatabaseJobQueue;
class PasswordStore;
class Project;

// Which database the window works against: the project's own URL (sqlalchemy.url, or the DB_* environment
// as ProjectConfig applies it) first, then the saved connection profiles, and "Connections…" to edit them.
// A profile's password is read from the keychain asynchronously before databaseSelected() is emitted; a
// slow keychain never blocks the window, and a late answer for a profile no longer selected is dropped.
class ConnectionSelector : public QWidget
{
    Q_OBJECT

public:
    // store, passwords and jobs (which runs the dialog's connection tests) are not owned and must outlive the
    // selector.
    ConnectionSelector(ConnectionProfileStore *store, PasswordStore *passwords, DatabaseJobQueue *jobs,
                       QWidget *parent = nullptr);

    // projectUrl: the project's own database, when its configuration names one. Selects the profile chosen
    // last for this project when it still exists, else the project's database; a project that names none
    // and has no profile chosen selects nothing (noDatabase) until the user chooses.
    void setProject(const QString &projectDirectory, const std::optional<DatabaseUrl> &projectUrl);
    // The same for an opened project: its folder, and its own URL (sqlalchemy.url, or the DB_* environment)
    // when that reads.
    void setProject(const Project &project);
    // Selects a saved profile by name (false when there is none); "" selects the project's database.
    bool selectProfile(const QString &name);
    QString selectedProfileName() const; // "" for the project's database
    QComboBox *comboBox() const { return m_combo; }

public slots:
    // Opens the connection dialog (non-modal to the event loop: open(), not exec()).
    void editConnections();
    // Focuses the list of databases and opens it, for choosing one from the keyboard.
    void showDatabaseList();

signals:
    // url carries the password for connecting; name is for people (never the password).
    void databaseSelected(const qmigrate::DatabaseUrl &url, const QString &name);
    void noDatabase(const QString &reason);
    // Keychain trouble and the like, for the log.
    void message(const QString &text);

private:
    void rebuild(const QString &select);
    void onActivated(int index);
    // The profile has no password to give: the password dialog asks, saying what the keychain said.
    void askPassword(const QString &profileName, const QString &keychainProblem);

    ConnectionProfileStore *m_store;
    PasswordStore *m_passwords;
    DatabaseJobQueue *m_jobs;
    QComboBox *m_combo;
    QToolButton *m_edit;
    QString m_projectDirectory;
    std::optional<DatabaseUrl> m_projectUrl;
    quint64 m_passwordRequest = 0; // the read whose answer may still be used
    QPointer<PasswordDialog> m_passwordDialog;
};

} // namespace qmigrate
