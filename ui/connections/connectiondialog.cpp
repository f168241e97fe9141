// SPDX-License-Identifier: MIT
#include "connections/connectiondialog.h"

#include "common/databasejobqueue.h"
#include "connections/connectionprofilestore.h"
#include "connections/passwordstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

constexpr int sqliteIndex = 0;
constexpr int postgresIndex = 1;
constexpr int mysqlIndex = 2;

DatabaseUrl::Backend backendAt(int index)
{
    switch (index) {
    case postgresIndex:
        return DatabaseUrl::Backend::PostgreSQL;
    case mysqlIndex:
        return DatabaseUrl::Backend::MySQL;
    default:
        return DatabaseUrl::Backend::SQLite;
    }
}

int indexOf(DatabaseUrl::Backend backend)
{
    switch (backend) {
    case DatabaseUrl::Backend::SQLite:
        return sqliteIndex;
    case DatabaseUrl::Backend::PostgreSQL:
        return postgresIndex;
    case DatabaseUrl::Backend::MySQL:
        return mysqlIndex;
    }
    return sqliteIndex;
}

} // namespace

ConnectionDialog::ConnectionDialog(ConnectionProfileStore *store, PasswordStore *passwords,
                                   DatabaseJobQueue *jobs, const QString &projectDirectory, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_passwords(passwords)
    , m_jobs(jobs)
    , m_projectDirectory(projectDirectory)
    , m_environment(QProcessEnvironment::systemEnvironment())
{
    setObjectName(u"connectionDialog"_s);
    setWindowTitle(tr("Database connections"));
    buildUi();
    if (m_jobs)
        connect(m_jobs, &DatabaseJobQueue::connectionTested, this, &ConnectionDialog::onConnectionTested);
    connect(m_passwords, &PasswordStore::passwordRead, this, &ConnectionDialog::onPasswordRead);
    // A failed read is an answer too: the form goes on without the saved password.
    connect(m_passwords, &PasswordStore::failed, this,
            [this](quint64 token, const QString &profile) { onPasswordRead(token, profile, {}, false); });
    connect(m_passwords, &PasswordStore::keychainUnavailable, this, [this](const QString &message) {
        m_keychainNote->setText(message);
        m_keychainNote->setVisible(true);
    });
    loadProfiles();
}

ConnectionDialog::~ConnectionDialog()
{
    // The probe holds only copies and runs on the queue's thread, which outlives the dialog: a queued test
    // is skipped, a running one ends there (a connection attempt cannot be interrupted) and its answer goes
    // nowhere.
    if (m_testToken != 0 && m_jobs)
        m_jobs->cancelJob(m_testToken);
}

void ConnectionDialog::buildUi()
{
    m_list = new QListWidget;
    m_list->setObjectName(u"profileList"_s);
    m_list->setSpacing(2);
    m_addButton = new QPushButton(tr("&Add"));
    m_addButton->setObjectName(u"addButton"_s);
    m_duplicateButton = new QPushButton(tr("D&uplicate"));
    m_duplicateButton->setObjectName(u"duplicateButton"_s);
    m_removeButton = new QPushButton(tr("&Remove"));
    m_removeButton->setObjectName(u"removeButton"_s);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(m_addButton);
    listButtons->addWidget(m_duplicateButton);
    listButtons->addWidget(m_removeButton);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list);
    leftLayout->addLayout(listButtons);

    m_environmentNote =
        new QLabel(tr("Built from the DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD "
                      "environment variables; read-only. Duplicate it to keep an editable copy."));
    m_environmentNote->setObjectName(u"environmentNote"_s);
    m_environmentNote->setWordWrap(true);
    m_nameEdit = new QLineEdit;
    m_nameEdit->setObjectName(u"nameEdit"_s);
    m_backendCombo = new QComboBox;
    m_backendCombo->setObjectName(u"backendCombo"_s);
    for (const auto backend :
         {DatabaseUrl::Backend::SQLite, DatabaseUrl::Backend::PostgreSQL, DatabaseUrl::Backend::MySQL})
        m_backendCombo->addItem(ConnectionProfile::backendDisplayName(backend));

    // SQLite: one file.
    m_sqliteFileEdit = new QLineEdit;
    m_sqliteFileEdit->setObjectName(u"sqliteFileEdit"_s);
    m_sqliteFileEdit->setPlaceholderText(tr("example.db (relative to the project directory)"));
    m_browseButton = new QPushButton(tr("&Browse…"));
    m_browseButton->setObjectName(u"browseButton"_s);
    m_sqliteFileRow = new QHBoxLayout;
    m_sqliteFileRow->addWidget(m_sqliteFileEdit, 1);
    m_sqliteFileRow->addWidget(m_browseButton);

    // PostgreSQL and MariaDB/MySQL: a server.
    m_hostEdit = new QLineEdit;
    m_hostEdit->setObjectName(u"hostEdit"_s);
    m_hostEdit->setPlaceholderText(u"localhost"_s);
    m_portSpin = new QSpinBox;
    m_portSpin->setObjectName(u"portSpin"_s);
    m_portSpin->setRange(1, 65535);
    m_portSpin->setGroupSeparatorShown(false);
    m_databaseEdit = new QLineEdit;
    m_databaseEdit->setObjectName(u"databaseEdit"_s);
    m_userEdit = new QLineEdit;
    m_userEdit->setObjectName(u"userEdit"_s);
    m_passwordEdit = new QLineEdit;
    m_passwordEdit->setObjectName(u"passwordEdit"_s);
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_rememberCheck = new QCheckBox(tr("Re&member password in the system keychain"));
    m_rememberCheck->setObjectName(u"rememberPasswordCheck"_s);
    m_sslModeCombo = new QComboBox;
    m_sslModeCombo->setObjectName(u"sslModeCombo"_s);
    m_sslModeCombo->addItem(tr("Default (prefer)"), QString());
    for (const QString &mode : ConnectionProfile::sslModes())
        m_sslModeCombo->addItem(mode, mode);
    m_sslNote = new QLabel(tr("The MariaDB/MySQL driver of Qt 6.4 has no SSL mode setting."));
    m_sslNote->setObjectName(u"sslNote"_s);
    m_sslNote->setWordWrap(true);

    // One form for every backend (rows shown and hidden), so that all labels line up.
    m_form = new QFormLayout;
    m_form->addRow(tr("&Name:"), m_nameEdit);
    m_form->addRow(tr("&Database type:"), m_backendCombo);
    // A row of a layout gets no buddy from the form: the label would show its "&" instead of a mnemonic.
    auto *fileLabel = new QLabel(tr("&File:"));
    fileLabel->setBuddy(m_sqliteFileEdit);
    m_form->addRow(fileLabel, m_sqliteFileRow);
    m_form->addRow(tr("&Host:"), m_hostEdit);
    m_form->addRow(tr("&Port:"), m_portSpin);
    m_form->addRow(tr("Data&base:"), m_databaseEdit);
    m_form->addRow(tr("&User:"), m_userEdit);
    m_form->addRow(tr("Pass&word:"), m_passwordEdit);
    m_form->addRow(QString(), m_rememberCheck);
    m_form->addRow(tr("&SSL mode:"), m_sslModeCombo);
    m_form->addRow(QString(), m_sslNote);

    m_keychainNote = new QLabel;
    m_keychainNote->setObjectName(u"keychainNote"_s);
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setText(m_passwords->unavailableMessage());
    m_keychainNote->setVisible(!m_passwords->isKeychainAvailable());

    m_testButton = new QPushButton(tr("&Test connection"));
    m_testButton->setObjectName(u"testButton"_s);
    m_testResultLabel = new QLabel;
    m_testResultLabel->setObjectName(u"testResultLabel"_s);
    m_testResultLabel->setWordWrap(true);
    m_testResultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton, 0, Qt::AlignTop);
    testRow->addWidget(m_testResultLabel, 1);

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(8, 0, 0, 0);
    rightLayout->addWidget(m_environmentNote);
    rightLayout->addLayout(m_form);
    rightLayout->addWidget(m_keychainNote);
    rightLayout->addStretch(1);
    rightLayout->addLayout(testRow);

    auto *splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    m_errorLabel = new QLabel;
    m_errorLabel->setObjectName(u"errorLabel"_s);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(u"color: #b00020;"_s);
    m_errorLabel->setVisible(false);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->setObjectName(u"buttonBox"_s);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_buttons);
    // As wide as its widest form (every row shown) from the start, so that adding a profile or switching the
    // database type never makes the dialog jump wider under the pointer.
    for (int row = 0; row < m_form->rowCount(); ++row)
        m_form->setRowVisible(row, true);
    right->setMinimumWidth(right->minimumSizeHint().width());

    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectionDialog::reject);
    connect(m_addButton, &QPushButton::clicked, this, &ConnectionDialog::addProfile);
    connect(m_duplicateButton, &QPushButton::clicked, this, &ConnectionDialog::duplicateProfile);
    connect(m_removeButton, &QPushButton::clicked, this, &ConnectionDialog::removeProfile);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectionDialog::testConnection);
    connect(m_browseButton, &QPushButton::clicked, this, &ConnectionDialog::chooseSqliteFile);
    connect(m_list, &QListWidget::currentRowChanged, this, &ConnectionDialog::showEntry);
    connect(m_backendCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::backendChanged);
    for (QLineEdit *edit : {m_nameEdit, m_sqliteFileEdit, m_hostEdit, m_databaseEdit, m_userEdit})
        connect(edit, &QLineEdit::textChanged, this, &ConnectionDialog::formChanged);
    connect(m_passwordEdit, &QLineEdit::textEdited, this, [this] {
        if (Entry *entry = currentEntry())
            entry->passwordEdited = true;
        formChanged();
    });
    connect(m_portSpin, &QSpinBox::valueChanged, this, &ConnectionDialog::formChanged);
    connect(m_sslModeCombo, &QComboBox::currentIndexChanged, this, &ConnectionDialog::formChanged);
    connect(m_rememberCheck, &QCheckBox::toggled, this, &ConnectionDialog::formChanged);
}

void ConnectionDialog::setEnvironment(const QProcessEnvironment &environment)
{
    m_environment = environment;
    loadProfiles();
}

void ConnectionDialog::loadProfiles()
{
    m_entries.clear();
    m_removedNames.clear();
    QString environmentPassword;
    if (std::optional<ConnectionProfile> fromEnvironment =
            ConnectionProfile::fromEnvironment(m_environment, &environmentPassword)) {
        m_entries.append({{}, *fromEnvironment, environmentPassword, true, 0});
    }
    for (const ConnectionProfile &profile : m_store->profiles())
        m_entries.append({profile.name, profile, {}, false, 0});
    int row = 0;
    const QString current = m_store->currentProfileName(m_projectDirectory);
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).profile.name == current)
            row = i;
    }
    rebuildList(m_entries.isEmpty() ? -1 : row);
}

void ConnectionDialog::rebuildList(int selectRow)
{
    {
        const QSignalBlocker blocker(m_list);
        m_list->clear();
        for (const Entry &entry : std::as_const(m_entries)) {
            auto *item = new QListWidgetItem(entry.profile.name, m_list);
            item->setToolTip(entry.profile.displayUrl());
            if (entry.profile.isFromEnvironment) {
                QFont font = item->font();
                font.setItalic(true);
                item->setFont(font);
            }
        }
        m_list->setCurrentRow(selectRow);
    }
    showEntry(selectRow);
}

int ConnectionDialog::currentRow() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < m_entries.size() ? row : -1;
}

ConnectionDialog::Entry *ConnectionDialog::currentEntry()
{
    const int row = currentRow();
    return row < 0 ? nullptr : &m_entries[row];
}

const ConnectionDialog::Entry *ConnectionDialog::currentEntry() const
{
    const int row = currentRow();
    return row < 0 ? nullptr : &m_entries.at(row);
}

void ConnectionDialog::showEntry(int row)
{
    ++m_testGeneration;
    m_testResultLabel->clear();
    m_loadingForm = true;
    const bool valid = row >= 0 && row < m_entries.size();
    const Entry entry = valid ? m_entries.at(row) : Entry();
    const ConnectionProfile &profile = entry.profile;
    m_nameEdit->setText(profile.name);
    m_backendCombo->setCurrentIndex(indexOf(profile.backend));
    m_sqliteFileEdit->setText(profile.sqliteFile);
    m_hostEdit->setText(profile.host);
    m_portSpin->setValue(profile.backend == DatabaseUrl::Backend::SQLite
                             ? ConnectionProfile::defaultPort(DatabaseUrl::Backend::PostgreSQL)
                             : profile.effectivePort());
    m_databaseEdit->setText(profile.database);
    m_userEdit->setText(profile.user);
    m_passwordEdit->setText(entry.password);
    m_rememberCheck->setChecked(profile.rememberPassword);
    m_sslModeCombo->setCurrentIndex(std::max(0, m_sslModeCombo->findData(profile.sslMode)));
    m_loadingForm = false;
    if (valid)
        requestPassword(m_entries[row]);
    updateFormState();
}

void ConnectionDialog::updateFormState()
{
    const Entry *entry = currentEntry();
    const bool hasEntry = entry != nullptr;
    const bool editable = hasEntry && !entry->profile.isFromEnvironment;
    const DatabaseUrl::Backend backend = backendAt(m_backendCombo->currentIndex());
    const bool sqlite = backend == DatabaseUrl::Backend::SQLite;
    m_form->setRowVisible(m_sqliteFileRow, sqlite);
    for (QWidget *field : std::initializer_list<QWidget *>{m_hostEdit, m_portSpin, m_databaseEdit, m_userEdit,
                                                           m_passwordEdit, m_rememberCheck})
        m_form->setRowVisible(field, !sqlite);
    m_form->setRowVisible(m_sslModeCombo, backend == DatabaseUrl::Backend::PostgreSQL);
    m_form->setRowVisible(m_sslNote, backend == DatabaseUrl::Backend::MySQL);
    m_environmentNote->setVisible(hasEntry && !editable);
    for (QWidget *field : std::initializer_list<QWidget *>{
             m_nameEdit, m_backendCombo, m_sqliteFileEdit, m_browseButton, m_hostEdit, m_portSpin,
             m_databaseEdit, m_userEdit, m_passwordEdit, m_rememberCheck})
        field->setEnabled(editable);
    const bool postgres = backend == DatabaseUrl::Backend::PostgreSQL;
    m_sslModeCombo->setEnabled(editable && postgres);
    m_duplicateButton->setEnabled(hasEntry);
    m_removeButton->setEnabled(editable);
    m_testButton->setEnabled(hasEntry && !m_testRunning);
}

void ConnectionDialog::takeFormEdits()
{
    Entry *entry = currentEntry();
    if (!entry || entry->profile.isFromEnvironment)
        return;
    ConnectionProfile &profile = entry->profile;
    profile.name = m_nameEdit->text();
    profile.backend = backendAt(m_backendCombo->currentIndex());
    profile.sqliteFile = m_sqliteFileEdit->text();
    profile.host = m_hostEdit->text();
    profile.port = m_portSpin->value();
    profile.database = m_databaseEdit->text();
    profile.user = m_userEdit->text();
    profile.sslMode = profile.backend == DatabaseUrl::Backend::PostgreSQL
                          ? m_sslModeCombo->currentData().toString()
                          : QString();
    profile.rememberPassword = m_rememberCheck->isChecked();
    entry->password = m_passwordEdit->text();
    if (QListWidgetItem *item = m_list->item(currentRow())) {
        item->setText(profile.name);
        item->setToolTip(profile.displayUrl());
    }
}

void ConnectionDialog::formChanged()
{
    if (m_loadingForm)
        return;
    ++m_testGeneration;
    if (!m_testRunning)
        m_testResultLabel->clear();
    takeFormEdits();
    updateFormState();
}

void ConnectionDialog::backendChanged()
{
    if (m_loadingForm)
        return;
    // A port still at some backend's default follows the backend; one the user chose stays.
    const DatabaseUrl::Backend backend = backendAt(m_backendCombo->currentIndex());
    const int port = m_portSpin->value();
    if (backend != DatabaseUrl::Backend::SQLite &&
        (port == ConnectionProfile::defaultPort(DatabaseUrl::Backend::PostgreSQL) ||
         port == ConnectionProfile::defaultPort(DatabaseUrl::Backend::MySQL))) {
        const QSignalBlocker blocker(m_portSpin);
        m_portSpin->setValue(ConnectionProfile::defaultPort(backend));
    }
    formChanged();
}

void ConnectionDialog::requestPassword(Entry &entry)
{
    if (entry.profile.isFromEnvironment || entry.storedName.isEmpty() || entry.passwordEdited ||
        entry.passwordToken != 0 || entry.profile.backend == DatabaseUrl::Backend::SQLite)
        return;
    entry.passwordToken = m_passwords->readPassword(entry.storedName);
}

void ConnectionDialog::onPasswordRead(quint64 token, const QString &, const QString &password, bool found)
{
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry &entry = m_entries[row];
        if (entry.passwordToken != token)
            continue;
        entry.passwordToken = 0;
        // Asked once per dialog; what the user typed meanwhile wins.
        entry.passwordEdited = true;
        if (found && entry.password.isEmpty()) {
            entry.password = password;
            if (row == currentRow()) {
                const QSignalBlocker blocker(m_passwordEdit);
                m_passwordEdit->setText(password);
            }
        }
        if (std::exchange(m_testAfterPasswordRead, false) && row == currentRow())
            testConnection();
        return;
    }
}

QString ConnectionDialog::uniqueName(const QString &base) const
{
    auto taken = [this](const QString &name) {
        return std::any_of(m_entries.cbegin(), m_entries.cend(),
                           [&](const Entry &entry) { return entry.profile.name == name; });
    };
    if (!taken(base))
        return base;
    for (int i = 2;; ++i) {
        const QString name = u"%1 %2"_s.arg(base).arg(i);
        if (!taken(name))
            return name;
    }
}

void ConnectionDialog::addProfile()
{
    Entry entry;
    entry.profile.name = uniqueName(tr("New connection"));
    entry.profile.backend = DatabaseUrl::Backend::PostgreSQL;
    entry.profile.host = u"localhost"_s;
    entry.profile.port = ConnectionProfile::defaultPort(DatabaseUrl::Backend::PostgreSQL);
    entry.passwordEdited = true;
    m_entries.append(entry);
    rebuildList(int(m_entries.size()) - 1);
    m_nameEdit->setFocus();
    m_nameEdit->selectAll();
}

void ConnectionDialog::duplicateProfile()
{
    const Entry *source = currentEntry();
    if (!source)
        return;
    Entry copy = *source;
    copy.storedName.clear();
    copy.passwordToken = 0;
    copy.passwordEdited = true;
    copy.profile.isFromEnvironment = false;
    copy.profile.environmentProblem.clear();
    copy.profile.rememberPassword = false;
    copy.profile.name = uniqueName(tr("Copy of %1").arg(source->profile.name));
    m_entries.append(copy);
    rebuildList(int(m_entries.size()) - 1);
}

void ConnectionDialog::removeProfile()
{
    const int row = currentRow();
    if (row < 0 || m_entries.at(row).profile.isFromEnvironment)
        return;
    if (!m_entries.at(row).storedName.isEmpty())
        m_removedNames.append(m_entries.at(row).storedName);
    m_entries.removeAt(row);
    rebuildList(m_entries.isEmpty() ? -1 : std::min(row, int(m_entries.size()) - 1));
}

QString ConnectionDialog::selectedProfileName() const
{
    const Entry *entry = currentEntry();
    return entry ? entry->profile.name : QString();
}

ConnectionProfile ConnectionDialog::selectedProfile() const
{
    const Entry *entry = currentEntry();
    return entry ? entry->profile : ConnectionProfile();
}

QString ConnectionDialog::selectedPassword() const
{
    const Entry *entry = currentEntry();
    return entry ? entry->password : QString();
}

bool ConnectionDialog::selectProfile(const QString &name)
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).profile.name == name) {
            m_list->setCurrentRow(row);
            return true;
        }
    }
    return false;
}

QStringList ConnectionDialog::profileNames() const
{
    QStringList names;
    for (const Entry &entry : m_entries)
        names.append(entry.profile.name);
    return names;
}

QString ConnectionDialog::testResultText() const
{
    return m_testResultLabel->text();
}

QString ConnectionDialog::errorText() const
{
    return m_errorLabel->text();
}

void ConnectionDialog::showError(const QString &message)
{
    m_errorLabel->setText(message);
    m_errorLabel->setVisible(!message.isEmpty());
}

void ConnectionDialog::testConnection()
{
    const Entry *entry = currentEntry();
    if (m_testRunning || !entry)
        return;
    const QString problem = entry->profile.validationError();
    if (!problem.isEmpty()) {
        m_testResultLabel->setText(problem);
        emit connectionTested(false, problem);
        return;
    }
    if (entry->passwordToken != 0) {
        // The saved password is still on its way from the keychain: test once it is here, not without it.
        m_testAfterPasswordRead = true;
        m_testResultLabel->setText(tr("Reading the password from the keychain…"));
        return;
    }
    if (!m_jobs) {
        const QString noQueue = tr("No database job queue to test the connection with");
        m_testResultLabel->setText(noQueue);
        emit connectionTested(false, noQueue);
        return;
    }
    const DatabaseUrl url = entry->profile.url(entry->password);
    m_testedGeneration = m_testGeneration;
    m_testedSqlite = url.backend() == DatabaseUrl::Backend::SQLite;
    m_testRunning = true;
    m_testResultLabel->setStyleSheet({});
    m_testResultLabel->setText(tr("Connecting to %1…").arg(entry->profile.displayUrl()));
    updateFormState();
    // Only values go to the queue's worker thread; ServerProbe opens and removes its connection there.
    m_testToken = m_jobs->testConnection(url, m_projectDirectory, m_connectTimeout);
}

void ConnectionDialog::onConnectionTested(quint64 token, bool ok, const ServerInfo &server,
                                          const EngineError &error)
{
    if (token != m_testToken)
        return;
    m_testToken = 0;
    m_testRunning = false;
    updateFormState();
    if (m_testedGeneration != m_testGeneration) {
        // The form changed while the server was asked: the answer is about settings no longer shown.
        m_testResultLabel->clear();
        return;
    }
    QString message = error.message();
    if (ok) {
        message = u"Connected: %1"_s.arg(server.toString());
        if (m_testedSqlite && !server.description.isEmpty())
            message += u" (%1)"_s.arg(server.description);
    }
    m_testResultLabel->setText(message);
    m_testResultLabel->setStyleSheet(ok ? u"color: #1b5e20;"_s : u"color: #b00020;"_s);
    emit connectionTested(ok, message);
}

void ConnectionDialog::chooseSqliteFile()
{
    const QString current = m_sqliteFileEdit->text().trimmed();
    const QString start =
        current.isEmpty() ? m_projectDirectory : QDir(m_projectDirectory).absoluteFilePath(current);
    auto *picker = new QFileDialog(this, tr("SQLite database"), start,
                                   tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    picker->setObjectName(u"sqliteFileDialog"_s);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setFileMode(QFileDialog::AnyFile); // a database the first upgrade will create is fine too
    picker->setAcceptMode(QFileDialog::AcceptOpen);
    connect(picker, &QFileDialog::fileSelected, this, [this](const QString &file) {
        // Inside the project: relative, so the profile works wherever the project is checked out.
        const QString relative = QDir(m_projectDirectory).relativeFilePath(file);
        const bool inside = !m_projectDirectory.isEmpty() && !relative.startsWith("../"_L1) &&
                            relative != ".."_L1 && !QFileInfo(relative).isAbsolute();
        m_sqliteFileEdit->setText(inside ? relative : QDir::cleanPath(file));
    });
    picker->open();
}

void ConnectionDialog::accept()
{
    takeFormEdits();
    // Everything is checked before anything is written.
    QStringList seen;
    for (int row = 0; row < m_entries.size(); ++row) {
        const ConnectionProfile &profile = m_entries.at(row).profile;
        if (profile.isFromEnvironment)
            continue;
        QString problem = profile.validationError();
        if (problem.isEmpty() && seen.contains(profile.name))
            problem = tr("Two profiles are named '%1'").arg(profile.name);
        if (!problem.isEmpty()) {
            m_list->setCurrentRow(row);
            showError(problem);
            return;
        }
        seen.append(profile.name);
    }

    QString error;
    auto fail = [this, &error] { showError(error); };
    for (const QString &name : std::as_const(m_removedNames)) {
        if (m_store->contains(name) && !m_store->remove(name, &error))
            return fail();
        m_passwords->deletePassword(name);
    }
    m_removedNames.clear();
    for (Entry &entry : m_entries) {
        if (entry.profile.isFromEnvironment)
            continue;
        const QString name = entry.profile.name;
        const bool renamed = !entry.storedName.isEmpty() && entry.storedName != name;
        if (renamed) {
            if (!m_store->rename(entry.storedName, name, &error))
                return fail();
            m_passwords->deletePassword(entry.storedName);
        }
        if (!m_store->addOrUpdate(entry.profile, &error))
            return fail();
        entry.storedName = name;
        if (entry.profile.backend == DatabaseUrl::Backend::SQLite)
            continue;
        if (entry.profile.rememberPassword && !entry.password.isEmpty()) {
            if (entry.passwordEdited || renamed)
                m_passwords->writePassword(name, entry.password);
        } else {
            // Not to be remembered: out of the keychain, kept for this session only.
            if (entry.passwordEdited || renamed)
                m_passwords->deletePassword(name);
            if (!entry.password.isEmpty())
                m_passwords->setSessionPassword(name, entry.password);
        }
    }
    if (const Entry *selected = currentEntry()) {
        m_store->setCurrentProfileName(m_projectDirectory, selected->profile.name);
        if (selected->profile.isFromEnvironment)
            m_passwords->setSessionPassword(selected->profile.name, selected->password);
    }
    showError({});
    QDialog::accept();
}

} // namespace qmigrate
