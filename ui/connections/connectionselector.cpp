#include "connections/connectionselector.h"

#include "common/icons.h"
#include "connections/connectiondialog.h"
#include "connections/connectionprofile.h"
#include "connections/connectionprofilestore.h"
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
    m_edit->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_edit->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo, 1);
    layout->addWidget(m_edit);

    connect(m_combo, &QComboBox::activated, this, &ConnectionSelector::onActivated);
    connect(m_edit, &QToolButton::clicked, this, &ConnectionSelector::editConnections);
    connect(m_passwords, &PasswordStore::passwordRead, this,
            [this](quint64 token, const QString &profile, const QString &password, bool) {
                if (token != m_passwordRequest)
                    return;
                m_passwordRequest = 0;
                if (const auto chosen = m_store->profile(profile))
                    emit databaseSelected(chosen->url(password), chosen->displayUrl());
            });
    connect(m_passwords, &PasswordStore::failed, this,
            [this](quint64 token, const QString &profile, const QString &text) {
                emit message(tr("Password of %1: %2").arg(profile, text));
                if (token != m_passwordRequest)
                    return;
                // Try without one: trust/peer authentication may not need it, and the server's answer
                // says what is wrong when it does.
                m_passwordRequest = 0;
                if (const auto chosen = m_store->profile(profile))
                    emit databaseSelected(chosen->url(QString()), chosen->displayUrl());
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
