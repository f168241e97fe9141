// SPDX-License-Identifier: MIT
#include "connections/connectionselector.h"

#include "common/icons.h"
#include "connections/connectiondialog.h"
#include "connections/connectionprofile.h"
#include "connections/connectionprofilestore.h"
#include "connections/passworddialog.h"
#include "connections/passwordstore.h"
#include "project/project.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace qmigrate {

ConnectionSelector::ConnectionSelector(ConnectionProfileStore *store, PasswordStore *passwords,
                                       DatabaseJobQueue *jobs, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_passwords(passwords)
    , m_jobs(jobs)
    , m_combo(new QComboBox(this))
    , m_edit(new QToolButton(this))
{
    m_combo->setObjectName(u"connectionCombo"_s);
    m_combo->setMinimumContentsLength(28);
    m_combo->setPlaceholderText(tr("Choose a database"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setToolTip(tr("The database the graph, the history and the migration actions work on"));
    m_edit->setObjectName(u"editConnections"_s);
    m_edit->setIcon(themedIcon(u"database"_s));
    m_edit->setText(tr("Connections…"));
    // Icon only, with its name as tooltip: at 1280 px the toolbar has no room for the text.
    m_edit->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_edit->setToolTip(tr("Connections… (add, edit and test the databases you work on)"));
    m_edit->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo, 1);
    layout->addWidget(m_edit);

    connect(m_combo, &QComboBox::activated, this, &ConnectionSelector::onActivated);
    connect(m_edit, &QToolButton::clicked, this, &ConnectionSelector::editConnections);
    connect(m_passwords, &PasswordStore::passwordRead, this,
            [this](quint64 token, const QString &profile, const QString &password, bool found) {
                if (token != m_passwordRequest)
                    return;
                m_passwordRequest = 0;
                if (!found) {
                    askPassword(profile, {});
                } else if (const auto chosen = m_store->profile(profile)) {
                    emit databaseSelected(chosen->url(password), chosen->displayUrl());
                }
            });
    connect(m_passwords, &PasswordStore::failed, this,
            [this](quint64 token, const QString &profile, const QString &text) {
                emit message(tr("Password of %1: %2").arg(profile, text));
                if (token != m_passwordRequest)
                    return;
                m_passwordRequest = 0;
                askPassword(profile, tr("The keychain did not give the stored password: %1").arg(text));
            });
    connect(m_passwords, &PasswordStore::keychainUnavailable, this, &ConnectionSelector::message);
    // Profiles edited elsewhere (another window's dialog) show up at once; the selection stays.
    connect(m_store, &ConnectionProfileStore::profilesChanged, this,
            [this] { rebuild(selectedProfileName()); });
}

void ConnectionSelector::setProject(const QString &projectDirectory,
                                    const std::optional<DatabaseUrl> &projectUrl)
{
    m_projectDirectory = projectDirectory;
    m_projectUrl = projectUrl;
    rebuild(m_store->currentProfileName(projectDirectory));
    onActivated(m_combo->currentIndex());
}

void ConnectionSelector::setProject(const Project &project)
{
    const Expected<DatabaseUrl> url = project.config().databaseUrl();
    setProject(project.config().here(), url ? std::optional<DatabaseUrl>(*url) : std::nullopt);
}

bool ConnectionSelector::selectProfile(const QString &name)
{
    const int index = m_combo->findData(name);
    if (index < 0)
        return false;
    m_combo->setCurrentIndex(index);
    onActivated(index);
    return true;
}

QString ConnectionSelector::selectedProfileName() const
{
    return m_combo->currentData().toString();
}

void ConnectionSelector::rebuild(const QString &select)
{
    m_combo->clear();
    // The project's database has the empty name; profiles are listed by theirs.
    if (m_projectUrl)
        m_combo->addItem(tr("Project: %1").arg(m_projectUrl->toDisplayString()), QString());
    for (const ConnectionProfile &profile : m_store->profiles())
        m_combo->addItem(u"%1 — %2"_s.arg(profile.name, profile.displayUrl()), profile.name);
    // Without the chosen profile, the project's own database; a project that names none waits for the user
    // to choose, rather than taking whichever profile is listed first.
    const int index = m_combo->findData(select);
    m_combo->setCurrentIndex(index >= 0 ? index : m_projectUrl ? 0 : -1);
}

void ConnectionSelector::onActivated(int index)
{
    m_passwordRequest = 0;
    if (m_passwordDialog) {
        // A question about the connection chosen before.
        m_passwordDialog->disconnect(this);
        m_passwordDialog->close();
    }
    if (index < 0) {
        emit noDatabase(m_combo->count() == 0
                            ? tr("The project names no database: add a connection (Database > Connections…).")
                            : tr("The project names no database: choose one in the toolbar's list."));
        return;
    }
    const QString name = m_combo->itemData(index).toString();
    m_store->setCurrentProfileName(m_projectDirectory, name);
    if (name.isEmpty()) {
        if (m_projectUrl)
            emit databaseSelected(*m_projectUrl, m_projectUrl->toDisplayString());
        return;
    }
    const auto profile = m_store->profile(name);
    if (!profile)
        return;
    if (profile->backend == DatabaseUrl::Backend::SQLite) {
        emit databaseSelected(profile->url(QString()), profile->displayUrl());
        return;
    }
    m_passwordRequest = m_passwords->readPassword(name);
}

void ConnectionSelector::askPassword(const QString &profileName, const QString &keychainProblem)
{
    const std::optional<ConnectionProfile> profile = m_store->profile(profileName);
    if (!profile)
        return;
    auto *dialog = new PasswordDialog(u"%1 — %2"_s.arg(profile->name, profile->displayUrl()),
                                      profile->rememberPassword, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QString problem = keychainProblem;
    if (!m_passwords->isKeychainAvailable()) {
        dialog->setRememberUnavailable(m_passwords->unavailableMessage());
        if (problem.isEmpty())
            problem = m_passwords->unavailableMessage();
    }
    dialog->setKeychainProblem(problem);
    m_passwordDialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog, profileName] {
        const std::optional<ConnectionProfile> chosen = m_store->profile(profileName);
        if (!chosen || selectedProfileName() != profileName)
            return;
        const QString password = dialog->password();
        // The session copy makes the next connection to it in this session not ask again.
        if (dialog->remember()) {
            m_passwords->writePassword(profileName, password);
            if (!chosen->rememberPassword) {
                ConnectionProfile remembered = *chosen;
                remembered.rememberPassword = true;
                QString error;
                if (!m_store->addOrUpdate(remembered, &error))
                    emit message(error);
            }
        } else {
            m_passwords->setSessionPassword(profileName, password);
        }
        emit databaseSelected(chosen->url(password), chosen->displayUrl());
    });
    connect(dialog, &QDialog::rejected, this, [this, profileName] {
        if (selectedProfileName() != profileName)
            return;
        emit noDatabase(tr("Not connected to %1: no password was given. Choose it again in the list to enter "
                           "one, or store it in Database > Connections…")
                            .arg(profileName));
    });
    dialog->open();
}

void ConnectionSelector::showDatabaseList()
{
    m_combo->setFocus(Qt::ShortcutFocusReason);
    m_combo->showPopup();
}

void ConnectionSelector::editConnections()
{
    auto *dialog = new ConnectionDialog(m_store, m_passwords, m_jobs, m_projectDirectory, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(u"connectionDialog"_s);
    if (!selectedProfileName().isEmpty())
        dialog->selectProfile(selectedProfileName());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        rebuild(dialog->selectedProfileName());
        onActivated(m_combo->currentIndex());
    });
    dialog->open();
}

} // namespace qmigrate
