// SPDX-License-Identifier: MIT
#pragma once

#include "connections/connectionprofile.h"
#include "core/engineerror.h"
#include "database/serverprobe.h"

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QWidget;

namespace qmigrate {

class ConnectionProfileStore;
class DatabaseJobQueue;
class PasswordStore;

// Chooses and edits the database the GUI works against: the profiles on the left (add, duplicate, remove),
// the selected one's form on the right (SQLite: a file; PostgreSQL, MariaDB/MySQL: server, port, database,
// user, password, SSL mode), and "Test connection", which connects for real as a job of the window's
// database job queue (ServerProbe on its worker thread) and shows the server's version or its error. When
// DB_HOST is set, the environment profile comes first, read-only (it can be duplicated).
//
// Edits stay in the dialog until OK: accept() validates every profile (a problem is shown and the dialog
// stays open), then writes them to the store (removals, renames, changes), sets the store's current profile
// to the selected one, and hands passwords to the PasswordStore: to the keychain for profiles with "Remember
// password", to its session memory otherwise. Those keychain writes finish after the dialog has closed; their
// failures arrive through PasswordStore::failed. Cancel changes nothing.
//
// Use open() (or show()), never exec(), from code that tests reach.
class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    // store and passwords are not owned and must outlive the dialog; jobs (not owned) runs the connection
    // tests. projectDirectory (the directory of alembic.ini) resolves relative SQLite paths; files picked
    // inside it are written relative to it.
    ConnectionDialog(ConnectionProfileStore *store, PasswordStore *passwords, DatabaseJobQueue *jobs,
                     const QString &projectDirectory, QWidget *parent = nullptr);
    // Does not wait for a running connection test: it is cancelled on the job queue, which drops its result.
    ~ConnectionDialog() override;

    // The environment whose DB_HOST & co. make the environment profile (default: the process's). Reloads the
    // profiles from the store, dropping unsaved edits.
    void setEnvironment(const QProcessEnvironment &environment);
    // How long "Test connection" waits for a server to answer (ServerProbe; default 10 s).
    void setConnectTimeout(int seconds) { m_connectTimeout = seconds; }

    // The profile selected in the list, as the form shows it (with unsaved edits); empty name when none.
    QString selectedProfileName() const;
    ConnectionProfile selectedProfile() const;
    // The password typed (or read from the keychain, or DB_PASSWORD) for the selected profile.
    QString selectedPassword() const;
    // Selects a profile by name; false when the list has none of that name.
    bool selectProfile(const QString &name);
    QStringList profileNames() const; // in list order, the environment profile first

    bool isTesting() const { return m_testRunning; }
    QString testResultText() const;
    // The problem accept() found, or a failed store write; empty otherwise.
    QString errorText() const;

public slots:
    // Connects with the form's profile and password as a job of the queue; connectionTested() follows unless
    // the form changes first (then the result is dropped). Does nothing while a test runs.
    void testConnection();
    void addProfile();
    void duplicateProfile();
    void removeProfile();
    void accept() override;

signals:
    // ok: "Connected: PostgreSQL 15.18"; otherwise the server's message (or why the profile is invalid).
    void connectionTested(bool ok, const QString &message);

private:
    // One row of the list: a profile as edited, with the name it has in the store (empty: not saved yet).
    struct Entry
    {
        QString storedName;
        ConnectionProfile profile;
        QString password;
        bool passwordEdited = false; // typed by the user: a late keychain answer must not overwrite it
        quint64 passwordToken = 0;   // the keychain read under way, 0 when none
    };
    void buildUi();
    void loadProfiles();
    void rebuildList(int selectRow);
    void showEntry(int row);
    void updateFormState();
    void takeFormEdits();
    void formChanged();
    void backendChanged();
    void requestPassword(Entry &entry);
    void onPasswordRead(quint64 token, const QString &profile, const QString &password, bool found);
    void onConnectionTested(quint64 token, bool ok, const ServerInfo &server, const EngineError &error);
    void chooseSqliteFile();
    void showError(const QString &message);
    QString uniqueName(const QString &base) const;
    int currentRow() const;
    Entry *currentEntry();
    const Entry *currentEntry() const;

    ConnectionProfileStore *m_store = nullptr;
    PasswordStore *m_passwords = nullptr;
    QPointer<DatabaseJobQueue> m_jobs;
    QString m_projectDirectory;
    QProcessEnvironment m_environment;
    int m_connectTimeout = 10;

    QList<Entry> m_entries;
    QStringList m_removedNames; // stored profiles to remove on OK
    bool m_loadingForm = false;

    bool m_testAfterPasswordRead = false; // "Test connection" waits for a keychain read
    bool m_testRunning = false;
    quint64 m_testToken = 0; // the queue's job of the running test
    // Bumped by every change of the form or selection: a test result of an older generation is dropped.
    quint64 m_testGeneration = 0;
    quint64 m_testedGeneration = 0; // the form's generation when the running test started
    bool m_testedSqlite = false;    // the running test's backend (a SQLite answer adds its description)

    QListWidget *m_list = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_duplicateButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QLabel *m_environmentNote = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QComboBox *m_backendCombo = nullptr;
    QFormLayout *m_form = nullptr;
    QHBoxLayout *m_sqliteFileRow = nullptr;
    QLineEdit *m_sqliteFileEdit = nullptr;
    QPushButton *m_browseButton = nullptr;
    QLineEdit *m_hostEdit = nullptr;
    QSpinBox *m_portSpin = nullptr;
    QLineEdit *m_databaseEdit = nullptr;
    QLineEdit *m_userEdit = nullptr;
    QLineEdit *m_passwordEdit = nullptr;
    QCheckBox *m_rememberCheck = nullptr;
    QComboBox *m_sslModeCombo = nullptr;
    QLabel *m_sslNote = nullptr;
    QLabel *m_keychainNote = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_testResultLabel = nullptr;
    QLabel *m_errorLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace qmigrate
