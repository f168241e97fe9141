// SPDX-License-Identifier: MIT
#include "connections/connectiondialog.h"
#include "connections/connectionprofilestore.h"
#include "connections/passwordstore.h"
#include "database/serverprobe.h"
#include "run/migrationcontroller.h"
#include "testservers.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

constexpr int serverTimeoutMs = 30000;

template<typename T> T *child(QWidget *parent, const QString &name)
{
    T *widget = parent->findChild<T *>(name);
    if (!widget)
        qWarning("no widget named %s", qPrintable(name));
    return widget;
}

// Types into a line edit the way a user does (textEdited, not just textChanged).
void type(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    edit->del();
    QTest::keyClicks(edit, text);
}

bool createSqliteDatabase(const QString &path)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"create"_s);
        db.setDatabaseName(path);
        ok = db.open() && QSqlQuery(db).exec(u"create table t (id integer primary key)"_s);
        db.close();
    }
    QSqlDatabase::removeDatabase(u"create"_s);
    return ok;
}

} // namespace

class TestConnectionDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    // Passwords go to a service of this run's own: a developer's real keychain keeps no test entries.
    QString m_service = u"qmigrate-test-%1"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    std::unique_ptr<ConnectionProfileStore> m_store;
    std::unique_ptr<PasswordStore> m_passwords;
    // The window's queue of database jobs, which runs the connection tests.
    std::unique_ptr<MigrationController> m_controller;
    int m_storeNumber = 0;

    std::unique_ptr<ConnectionDialog> makeDialog()
    {
        auto dialog = std::make_unique<ConnectionDialog>(m_store.get(), m_passwords.get(), m_controller.get(),
                                                         m_dir.path());
        dialog->setEnvironment(QProcessEnvironment()); // no DB_HOST unless a test sets one
        dialog->resize(900, 560);
        dialog->show();
        return dialog;
    }

    // Adds a profile through the widgets and fills the server form.
    void fillServerProfile(ConnectionDialog *dialog, const QString &name, int backendIndex,
                           const TestServer &server, const QString &password)
    {
        QTest::mouseClick(child<QPushButton>(dialog, u"addButton"_s), Qt::LeftButton);
        type(child<QLineEdit>(dialog, u"nameEdit"_s), name);
        child<QComboBox>(dialog, u"backendCombo"_s)->setCurrentIndex(backendIndex);
        type(child<QLineEdit>(dialog, u"hostEdit"_s), server.host);
        child<QSpinBox>(dialog, u"portSpin"_s)->setValue(server.port);
        type(child<QLineEdit>(dialog, u"databaseEdit"_s), server.database);
        type(child<QLineEdit>(dialog, u"userEdit"_s), server.user);
        type(child<QLineEdit>(dialog, u"passwordEdit"_s), password);
    }

    // Clicks "Test connection" and waits for the result.
    std::pair<bool, QString> runTest(ConnectionDialog *dialog)
    {
        QSignalSpy tested(dialog, &ConnectionDialog::connectionTested);
        QPushButton *button = child<QPushButton>(dialog, u"testButton"_s);
        if (!button->isEnabled())
            return {false, u"test button disabled"_s};
        QTest::mouseClick(button, Qt::LeftButton);
        if (tested.isEmpty() && !tested.wait(serverTimeoutMs))
            return {false, u"no connectionTested within the timeout"_s};
        return {tested.first().at(0).toBool(), tested.first().at(1).toString()};
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        m_store = std::make_unique<ConnectionProfileStore>(
            m_dir.filePath(u"profiles%1.ini"_s.arg(++m_storeNumber)));
        m_passwords = std::make_unique<PasswordStore>(m_service);
        m_controller = std::make_unique<MigrationController>();
    }

    void cleanup()
    {
        if (!m_passwords)
            return;
        // Leaves nothing behind in a real keychain.
        QSet<quint64> pending;
        connect(m_passwords.get(), &PasswordStore::passwordDeleted, this,
                [&pending](quint64 token) { pending.remove(token); });
        for (const QString &name : m_store->profileNames())
            pending.insert(m_passwords->deletePassword(name));
        QTRY_VERIFY_WITH_TIMEOUT(pending.isEmpty(), 10000);
        m_passwords.reset();
        m_store.reset();
        m_controller.reset();
    }

    void createEditRemoveProfiles()
    {
        const QString dbFile = m_dir.filePath(u"app.db"_s);
        QVERIFY(createSqliteDatabase(dbFile));
        {
            auto dialog = makeDialog();
            QCOMPARE(dialog->profileNames(), QStringList());
            QVERIFY(!child<QPushButton>(dialog.get(), u"removeButton"_s)->isEnabled());
            QTest::mouseClick(child<QPushButton>(dialog.get(), u"addButton"_s), Qt::LeftButton);
            QCOMPARE(dialog->selectedProfileName(), u"New connection"_s);
            type(child<QLineEdit>(dialog.get(), u"nameEdit"_s), u"local file"_s);
            QCOMPARE(child<QListWidget>(dialog.get(), u"profileList"_s)->item(0)->text(), u"local file"_s);
            child<QComboBox>(dialog.get(), u"backendCombo"_s)->setCurrentIndex(0);
            type(child<QLineEdit>(dialog.get(), u"sqliteFileEdit"_s), u"app.db"_s);

            QTest::mouseClick(child<QPushButton>(dialog.get(), u"addButton"_s), Qt::LeftButton);
            type(child<QLineEdit>(dialog.get(), u"nameEdit"_s), u"staging"_s);
            type(child<QLineEdit>(dialog.get(), u"hostEdit"_s), u"db.staging.example"_s);
            type(child<QLineEdit>(dialog.get(), u"databaseEdit"_s), u"shop"_s);
            type(child<QLineEdit>(dialog.get(), u"userEdit"_s), u"ops"_s);
            child<QComboBox>(dialog.get(), u"sslModeCombo"_s)->setCurrentText(u"require"_s);

            // Nothing is written before OK.
            QVERIFY(m_store->profiles().isEmpty());
            child<QDialogButtonBox>(dialog.get(), u"buttonBox"_s)->button(QDialogButtonBox::Ok)->click();
            QCOMPARE(dialog->result(), int(QDialog::Accepted));
        }
        QCOMPARE(m_store->profileNames(), (QStringList{u"local file"_s, u"staging"_s}));
        QCOMPARE(m_store->profile(u"local file"_s)->sqliteFile, u"app.db"_s);
        const ConnectionProfile staging = *m_store->profile(u"staging"_s);
        QCOMPARE(staging.backend, DatabaseUrl::Backend::PostgreSQL);
        QCOMPARE(staging.displayUrl(), u"postgresql://ops@db.staging.example:5432/shop?sslmode=require"_s);
        QCOMPARE(m_store->currentProfileName(m_dir.path()), u"staging"_s);
        QCOMPARE(m_store->currentProfileName(m_dir.path() + u"/another"_s), QString());

        {
            // Edit (rename + port), duplicate, remove; reopened from the store.
            auto dialog = makeDialog();
            QCOMPARE(dialog->selectedProfileName(), u"staging"_s);
            type(child<QLineEdit>(dialog.get(), u"nameEdit"_s), u"staging eu"_s);
            child<QSpinBox>(dialog.get(), u"portSpin"_s)->setValue(6432);
            QTest::mouseClick(child<QPushButton>(dialog.get(), u"duplicateButton"_s), Qt::LeftButton);
            QCOMPARE(dialog->selectedProfileName(), u"Copy of staging eu"_s);
            QCOMPARE(dialog->selectedProfile().port, 6432);
            QVERIFY(dialog->selectProfile(u"local file"_s));
            QTest::mouseClick(child<QPushButton>(dialog.get(), u"removeButton"_s), Qt::LeftButton);
            QCOMPARE(dialog->profileNames(), (QStringList{u"staging eu"_s, u"Copy of staging eu"_s}));
            dialog->accept();
        }
        QCOMPARE(m_store->profileNames(), (QStringList{u"staging eu"_s, u"Copy of staging eu"_s}));
        QCOMPARE(m_store->profile(u"staging eu"_s)->port, 6432);

        {
            // Cancel changes nothing; an invalid profile keeps the dialog open with the reason.
            auto dialog = makeDialog();
            QTest::mouseClick(child<QPushButton>(dialog.get(), u"removeButton"_s), Qt::LeftButton);
            dialog->reject();
        }
        QCOMPARE(m_store->profileNames().size(), 2);
        {
            auto dialog = makeDialog();
            QVERIFY(dialog->selectProfile(u"Copy of staging eu"_s));
            type(child<QLineEdit>(dialog.get(), u"nameEdit"_s), u"staging eu"_s);
            dialog->accept();
            QVERIFY(dialog->isVisible());
            QCOMPARE(dialog->result(), int(QDialog::Rejected));
            QVERIFY2(dialog->errorText().contains(u"staging eu"_s), qPrintable(dialog->errorText()));
            QVERIFY(child<QLabel>(dialog.get(), u"errorLabel"_s)->isVisible());
            type(child<QLineEdit>(dialog.get(), u"hostEdit"_s), QString());
            type(child<QLineEdit>(dialog.get(), u"nameEdit"_s), u"other"_s);
            dialog->accept();
            QVERIFY2(dialog->errorText().contains(u"host"_s), qPrintable(dialog->errorText()));
            QVERIFY(dialog->isVisible());
        }
        QCOMPARE(m_store->profileNames(), (QStringList{u"staging eu"_s, u"Copy of staging eu"_s}));
    }

    // Opened as the window opens it (its own size), the dialog keeps its width when a profile is added and
    // when the database type changes; the File label names its field with a mnemonic, not a literal "&".
    void keepsItsSizeAndLabels()
    {
        ConnectionDialog dialog(m_store.get(), m_passwords.get(), m_controller.get(), m_dir.path());
        dialog.setEnvironment(QProcessEnvironment());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QSize opened = dialog.size();
        QTest::mouseClick(child<QPushButton>(&dialog, u"addButton"_s), Qt::LeftButton);
        QCoreApplication::processEvents();
        QCOMPARE(dialog.size().width(), opened.width());
        auto *backend = child<QComboBox>(&dialog, u"backendCombo"_s);
        for (int index = 0; index < backend->count(); ++index) {
            backend->setCurrentIndex(index);
            QCoreApplication::processEvents();
            QCOMPARE(dialog.size().width(), opened.width());
        }
        QLabel *fileLabel = nullptr;
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->text() == u"&File:"_s)
                fileLabel = label;
        }
        QVERIFY(fileLabel);
        QCOMPARE(fileLabel->buddy(), child<QLineEdit>(&dialog, u"sqliteFileEdit"_s));
    }

    void backendSwitchShowsTheRightFields()
    {
        auto dialog = makeDialog();
        QTest::mouseClick(child<QPushButton>(dialog.get(), u"addButton"_s), Qt::LeftButton);
        auto *backend = child<QComboBox>(dialog.get(), u"backendCombo"_s);
        auto *port = child<QSpinBox>(dialog.get(), u"portSpin"_s);
        auto *file = child<QLineEdit>(dialog.get(), u"sqliteFileEdit"_s);
        auto *host = child<QLineEdit>(dialog.get(), u"hostEdit"_s);
        auto *password = child<QLineEdit>(dialog.get(), u"passwordEdit"_s);
        auto *ssl = child<QComboBox>(dialog.get(), u"sslModeCombo"_s);

        backend->setCurrentIndex(0);
        QTRY_VERIFY(file->isVisible());
        QVERIFY(child<QPushButton>(dialog.get(), u"browseButton"_s)->isVisible());
        QVERIFY(!host->isVisible());
        QVERIFY(!password->isVisible());
        QCOMPARE(dialog->selectedProfile().backend, DatabaseUrl::Backend::SQLite);

        backend->setCurrentIndex(1);
        QTRY_VERIFY(host->isVisible());
        QVERIFY(!file->isVisible());
        QVERIFY(password->isVisible());
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        QVERIFY(ssl->isVisible() && ssl->isEnabled());
        QCOMPARE(port->value(), 5432);
        QCOMPARE(ssl->count(), 7); // default + six modes
        QCOMPARE(dialog->selectedProfile().backend, DatabaseUrl::Backend::PostgreSQL);

        backend->setCurrentIndex(2);
        QCOMPARE(port->value(), 3306);
        QVERIFY(host->isVisible());
        QVERIFY(!ssl->isVisible());
        QVERIFY(child<QLabel>(dialog.get(), u"sslNote"_s)->isVisible());
        QCOMPARE(dialog->selectedProfile().backend, DatabaseUrl::Backend::MySQL);
        QCOMPARE(dialog->selectedProfile().effectivePort(), 3306);

        // A port the user chose stays when the backend changes.
        port->setValue(15432);
        backend->setCurrentIndex(1);
        QCOMPARE(port->value(), 15432);
    }

    void testSqlite()
    {
        const QString dbFile = m_dir.filePath(u"probe.db"_s);
        QVERIFY(createSqliteDatabase(dbFile));
        auto dialog = makeDialog();
        QTest::mouseClick(child<QPushButton>(dialog.get(), u"addButton"_s), Qt::LeftButton);
        child<QComboBox>(dialog.get(), u"backendCombo"_s)->setCurrentIndex(0);
        // Relative to the project directory.
        type(child<QLineEdit>(dialog.get(), u"sqliteFileEdit"_s), u"probe.db"_s);
        auto [ok, message] = runTest(dialog.get());
        QVERIFY2(ok, qPrintable(message));
        QVERIFY2(message.startsWith(u"Connected: SQLite 3."_s), qPrintable(message));
        QCOMPARE(dialog->testResultText(), message);

        // A file that is not there yet: the version, a note, and no file created.
        type(child<QLineEdit>(dialog.get(), u"sqliteFileEdit"_s), u"later.db"_s);
        std::tie(ok, message) = runTest(dialog.get());
        QVERIFY2(ok, qPrintable(message));
        QVERIFY2(message.contains(u"does not exist yet"_s), qPrintable(message));
        QVERIFY(!QFile::exists(m_dir.filePath(u"later.db"_s)));

        // Not a database.
        QFile text(m_dir.filePath(u"notes.txt"_s));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write(QByteArray(4096, 'x'));
        text.close();
        type(child<QLineEdit>(dialog.get(), u"sqliteFileEdit"_s), text.fileName());
        std::tie(ok, message) = runTest(dialog.get());
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"not a database"_s), qPrintable(message));
    }

    void testPostgresql()
    {
        const TestServer server = TestServers::postgresql();
        QMIGRATE_REQUIRE_SERVER(server);
        auto dialog = makeDialog();
        fillServerProfile(dialog.get(), u"pg"_s, 1, server, server.password);
        auto [ok, message] = runTest(dialog.get());
        QVERIFY2(ok, qPrintable(message));
        QVERIFY2(message.startsWith(u"Connected: PostgreSQL 15."_s), qPrintable(message));

        type(child<QLineEdit>(dialog.get(), u"passwordEdit"_s), u"wrong"_s);
        std::tie(ok, message) = runTest(dialog.get());
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"password authentication failed"_s), qPrintable(message));
        QVERIFY2(!message.contains(u"wrong"_s), qPrintable(message));
        QVERIFY(dialog->testResultText().contains(u"password authentication failed"_s));

        type(child<QLineEdit>(dialog.get(), u"passwordEdit"_s), server.password);
        child<QSpinBox>(dialog.get(), u"portSpin"_s)->setValue(1);
        std::tie(ok, message) = runTest(dialog.get());
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"Connection refused"_s), qPrintable(message));

        // sslmode reaches the server: the test server has no SSL, so require must fail and disable work.
        child<QSpinBox>(dialog.get(), u"portSpin"_s)->setValue(server.port);
        child<QComboBox>(dialog.get(), u"sslModeCombo"_s)->setCurrentText(u"require"_s);
        std::tie(ok, message) = runTest(dialog.get());
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"SSL"_s), qPrintable(message));
        child<QComboBox>(dialog.get(), u"sslModeCombo"_s)->setCurrentText(u"disable"_s);
        std::tie(ok, message) = runTest(dialog.get());
        QVERIFY2(ok, qPrintable(message));
    }

    void testMariadb()
    {
        const TestServer server = TestServers::mariadb();
        QMIGRATE_REQUIRE_SERVER(server);
        auto dialog = makeDialog();
        fillServerProfile(dialog.get(), u"maria"_s, 2, server, server.password);
        auto [ok, message] = runTest(dialog.get());
        QVERIFY2(ok, qPrintable(message));
        QVERIFY2(message.startsWith(u"Connected: MariaDB 10.11"_s), qPrintable(message));

        type(child<QLineEdit>(dialog.get(), u"passwordEdit"_s), u"wrong"_s);
        std::tie(ok, message) = runTest(dialog.get());
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"Access denied"_s), qPrintable(message));
    }

    void probeDirectly()
    {
        // The engine half on its own (the dialog runs exactly this off the UI thread).
        const TestServer pg = TestServers::postgresql();
        QMIGRATE_REQUIRE_SERVER(pg);
        const Expected<ServerInfo> info = ServerProbe::probe(pg.url(), {});
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message()));
        QCOMPARE(info->product, u"PostgreSQL"_s);
        QVERIFY2(info->version.startsWith(u"15."_s), qPrintable(info->version));
        QVERIFY2(info->description.startsWith(u"PostgreSQL 15"_s), qPrintable(info->description));
        const Expected<ServerInfo> memory =
            ServerProbe::probe(DatabaseUrl::fromParts(DatabaseUrl::Backend::SQLite, {}, -1, {}, {}, {}), {});
        QVERIFY(memory);
        QCOMPARE(memory->product, u"SQLite"_s);
        const Expected<ServerInfo> noDir = ServerProbe::probe(
            DatabaseUrl::fromParts(DatabaseUrl::Backend::SQLite, {}, -1, u"no/such/dir/x.db"_s, {}, {}),
            m_dir.path());
        QVERIFY(!noDir);
        QVERIFY2(noDir.error().message().contains(u"does not exist"_s), qPrintable(noDir.error().message()));
        QCOMPARE(noDir.error().kind(), EngineError::Kind::Database);
    }

    void uiThreadNotBlocked()
    {
        // A server that accepts the TCP connection and never answers: the probe waits for its timeout.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        TestServer fake;
        fake.host = u"127.0.0.1"_s;
        fake.port = silent.serverPort();
        fake.database = u"x"_s;
        fake.user = u"x"_s;
        auto dialog = makeDialog();
        dialog->setConnectTimeout(2);
        fillServerProfile(dialog.get(), u"silent"_s, 1, fake, u"pw"_s);

        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
        ticker.start(20);
        QSignalSpy tested(dialog.get(), &ConnectionDialog::connectionTested);
        dialog->testConnection();
        // Returned at once, the test still running and the button disabled.
        QVERIFY(dialog->isTesting());
        QVERIFY(!child<QPushButton>(dialog.get(), u"testButton"_s)->isEnabled());
        QVERIFY(tested.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 10, 1500); // the event loop turns meanwhile
        QVERIFY(dialog->isTesting());
        QVERIFY(tested.wait(serverTimeoutMs));
        QVERIFY(!dialog->isTesting());
        QVERIFY(child<QPushButton>(dialog.get(), u"testButton"_s)->isEnabled());
        QCOMPARE(tested.first().at(0).toBool(), false);
        QVERIFY2(tested.first().at(1).toString().contains(u"timeout"_s),
                 qPrintable(tested.first().at(1).toString()));
        QVERIFY(ticks >= 50); // about 2 s of 20 ms ticks
    }

    void staleResultIsDropped()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        TestServer fake;
        fake.host = u"127.0.0.1"_s;
        fake.port = silent.serverPort();
        fake.database = u"x"_s;
        fake.user = u"x"_s;
        auto dialog = makeDialog();
        dialog->setConnectTimeout(2);
        fillServerProfile(dialog.get(), u"silent"_s, 1, fake, u"pw"_s);
        QSignalSpy tested(dialog.get(), &ConnectionDialog::connectionTested);
        dialog->testConnection();
        QVERIFY(dialog->isTesting());
        // A second request while one runs is ignored.
        dialog->testConnection();
        type(child<QLineEdit>(dialog.get(), u"databaseEdit"_s), u"changed"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isTesting(), serverTimeoutMs);
        QCOMPARE(tested.count(), 0);
        QCOMPARE(dialog->testResultText(), QString());
        QVERIFY(child<QPushButton>(dialog.get(), u"testButton"_s)->isEnabled());
    }

    void destructorDoesNotWaitForRunningTest()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        TestServer fake;
        fake.host = u"127.0.0.1"_s;
        fake.port = silent.serverPort();
        auto dialog = makeDialog();
        dialog->setConnectTimeout(2);
        fillServerProfile(dialog.get(), u"silent"_s, 1, fake, u"pw"_s);
        QSignalSpy busy(m_controller.get(), &MigrationController::busyChanged);
        dialog->testConnection();
        QVERIFY(dialog->isTesting());
        QVERIFY(m_controller->isBusy());
        // Listening from before the cancel: a job the worker had not started yet ends at once.
        QSignalSpy finished(m_controller.get(), &MigrationController::finished);
        QElapsedTimer clock;
        clock.start();
        dialog.reset(); // does not wait for the server; the result goes nowhere
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        // The attempt ends on the controller's worker thread, its answer dropped as cancelled.
        QVERIFY(!finished.isEmpty() || finished.wait(serverTimeoutMs));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QCOMPARE(finished.first().at(2).value<EngineError>().message(), u"Cancelled by the user"_s);
        QTRY_VERIFY(!m_controller->isBusy());
        QCOMPARE(busy.size(), 2);
    }

    void environmentProfile()
    {
        const TestServer server = TestServers::postgresql();
        QMIGRATE_REQUIRE_SERVER(server);
        QVERIFY(m_store->addOrUpdate(
            ConnectionProfile::fromUrl(u"stored"_s, *DatabaseUrl::parse(u"sqlite:///a.db"_s))));
        auto dialog = makeDialog();
        QProcessEnvironment environment;
        environment.insert(u"DB_HOST"_s, server.host);
        environment.insert(u"DB_PORT"_s, QString::number(server.port));
        environment.insert(u"DB_NAME"_s, server.database);
        environment.insert(u"DB_USER"_s, server.user);
        environment.insert(u"DB_PASSWORD"_s, server.password);
        dialog->setEnvironment(environment);
        QCOMPARE(dialog->profileNames(),
                 (QStringList{ConnectionProfile::environmentProfileName(), u"stored"_s}));
        QVERIFY(dialog->selectProfile(ConnectionProfile::environmentProfileName()));
        QVERIFY(child<QLabel>(dialog.get(), u"environmentNote"_s)->isVisible());
        QVERIFY(!child<QLineEdit>(dialog.get(), u"hostEdit"_s)->isEnabled());
        QVERIFY(!child<QLineEdit>(dialog.get(), u"nameEdit"_s)->isEnabled());
        QVERIFY(!child<QPushButton>(dialog.get(), u"removeButton"_s)->isEnabled());
        QCOMPARE(child<QLineEdit>(dialog.get(), u"hostEdit"_s)->text(), server.host);
        QCOMPARE(dialog->selectedPassword(), server.password);
        auto [ok, message] = runTest(dialog.get());
        QVERIFY2(ok, qPrintable(message));

        // Duplicated: an editable, storable copy.
        QTest::mouseClick(child<QPushButton>(dialog.get(), u"duplicateButton"_s), Qt::LeftButton);
        QVERIFY(child<QLineEdit>(dialog.get(), u"hostEdit"_s)->isEnabled());
        QVERIFY(!dialog->selectedProfile().isFromEnvironment);
        dialog->accept();
        QCOMPARE(m_store->profileNames(),
                 (QStringList{u"stored"_s, u"Copy of "_s + ConnectionProfile::environmentProfileName()}));
    }

    void passwordGoesToPasswordStoreNotSettings()
    {
        const QString secret = u"s3cr3t-%1"_s.arg(QUuid::createUuid().toString(QUuid::Id128));
        {
            auto dialog = makeDialog();
            TestServer server;
            server.host = u"db.example"_s;
            server.port = 5432;
            server.database = u"d"_s;
            server.user = u"u"_s;
            fillServerProfile(dialog.get(), u"kept"_s, 1, server, secret);
            child<QCheckBox>(dialog.get(), u"rememberPasswordCheck"_s)->setChecked(true);
            fillServerProfile(dialog.get(), u"session only"_s, 1, server, secret + u"2"_s);
            dialog->accept();
        }
        QVERIFY(m_store->profile(u"kept"_s)->rememberPassword);
        QVERIFY(!m_store->profile(u"session only"_s)->rememberPassword);
        QFile settings(m_store->settingsFileName());
        QVERIFY(settings.open(QIODevice::ReadOnly));
        QVERIFY(!settings.readAll().contains(secret.toUtf8()));

        // Both come back from the same PasswordStore (keychain, or its session memory without one).
        QSignalSpy read(m_passwords.get(), &PasswordStore::passwordRead);
        m_passwords->readPassword(u"kept"_s);
        m_passwords->readPassword(u"session only"_s);
        QTRY_COMPARE_WITH_TIMEOUT(read.count(), 2, 20000);
        QCOMPARE(read.at(0).at(2).toString(), secret);
        QCOMPARE(read.at(1).at(2).toString(), secret + u"2"_s);

        // A new dialog shows the password (read back asynchronously).
        auto dialog = makeDialog();
        QVERIFY(dialog->selectProfile(u"kept"_s));
        QTRY_COMPARE_WITH_TIMEOUT(child<QLineEdit>(dialog.get(), u"passwordEdit"_s)->text(), secret, 20000);
        QVERIFY(child<QCheckBox>(dialog.get(), u"rememberPasswordCheck"_s)->isChecked());
        // Without a keychain the dialog says so.
        if (!m_passwords->isKeychainAvailable()) {
            QVERIFY(child<QLabel>(dialog.get(), u"keychainNote"_s)->isVisible());
            QVERIFY(child<QLabel>(dialog.get(), u"keychainNote"_s)
                        ->text()
                        .startsWith(u"Passwords will not be remembered"_s));
        }
    }

    // The dialog with a PostgreSQL profile filled in draws whole at its size.
    void rendersAServerProfile()
    {
        QVERIFY(m_store->addOrUpdate(ConnectionProfile::fromUrl(
            u"Example (alembic.ini)"_s, *DatabaseUrl::parse(u"sqlite:///example.db"_s))));
        ConnectionProfile staging = ConnectionProfile::fromUrl(
            u"Staging"_s, *DatabaseUrl::parse(u"mariadb://ops@staging.example:3306/shop"_s));
        QVERIFY(m_store->addOrUpdate(staging));
        auto dialog = makeDialog();
        TestServer server;
        server.host = u"db.example.org"_s;
        server.port = 5432;
        server.database = u"inventory"_s;
        server.user = u"inventory_app"_s;
        fillServerProfile(dialog.get(), u"Production (read-only)"_s, 1, server, u"correct horse"_s);
        child<QComboBox>(dialog.get(), u"sslModeCombo"_s)->setCurrentText(u"verify-full"_s);
        child<QCheckBox>(dialog.get(), u"rememberPasswordCheck"_s)->setChecked(true);
        dialog->resize(820, 460);
        const QImage image = dialog->grab().toImage();
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), dialog->size() * image.devicePixelRatio());
    }
};

QTEST_MAIN(TestConnectionDialog)
#include "tst_connectiondialog.moc"
