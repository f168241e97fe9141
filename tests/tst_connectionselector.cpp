// SPDX-License-Identifier: MIT
#include "connections/connectionprofile.h"
#include "connections/connectionprofilestore.h"
#include "connections/connectionselector.h"
#include "connections/passworddialog.h"
#include "connections/passwordstore.h"
#include "project/project.h"
#include "run/databasesession.h"
#include "testfiles.h"
#include "testservers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

// Choosing a database in the toolbar's list. Run without a reachable keychain (see tests/CMakeLists.txt), as
// on a machine with no Secret Service: a profile whose password is not stored is asked for, in a dialog
// that says why, and the password typed is used for the real server.
class TstConnectionSelector : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_server = TestServers::postgresql();
        QVERIFY2(m_server.isValid(), qPrintable(m_server.error));
        QVERIFY(m_dir.isValid());
        QVERIFY(copyExample(m_dir.path()));
    }

    void aMissingPasswordIsAskedForAndUsed()
    {
        ConnectionProfileStore store(m_dir.filePath(u"profiles.ini"_s));
        PasswordStore passwords(u"qmigrate-test-selector"_s);
        ConnectionSelector selector(&store, &passwords, nullptr);
        ConnectionProfile profile;
        profile.name = u"test server"_s;
        profile.backend = DatabaseUrl::Backend::PostgreSQL;
        profile.host = m_server.host;
        profile.port = m_server.port;
        profile.database = m_server.database;
        profile.user = m_server.user;
        QVERIFY(store.addOrUpdate(profile));
        selector.setProject(m_dir.path(), std::nullopt);
        selector.show();

        QSignalSpy selected(&selector, &ConnectionSelector::databaseSelected);
        QSignalSpy none(&selector, &ConnectionSelector::noDatabase);
        QVERIFY(selector.selectProfile(u"test server"_s));
        PasswordDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = selector.findChild<PasswordDialog *>()) && dialog->isVisible());
        QVERIFY(selected.isEmpty()); // not "no password supplied" from the server: asked first
        // No keychain here: the dialog says so, and does not offer to remember.
        QVERIFY(dialog->keychainProblemLabel()->isVisible());
        QVERIFY2(!dialog->keychainProblemLabel()->text().isEmpty(), "no keychain message");
        QVERIFY(!dialog->rememberBox()->isEnabled());
        QTest::keyClicks(dialog->passwordEdit(), m_server.password);
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QTRY_COMPARE(selected.count(), 1);
        const auto url = selected.first().at(0).value<DatabaseUrl>();
        QCOMPARE(url.password(), m_server.password);
        QVERIFY(!selected.first().at(1).toString().contains(m_server.password));

        // The password works on the real server.
        auto project = Project::open(m_dir.filePath(u"alembic.ini"_s));
        QVERIFY(project);
        DatabaseSession session;
        session.setProject(*project);
        session.setDatabase(url);
        QTRY_VERIFY_WITH_TIMEOUT(session.state().isKnown(), 20000);

        // Chosen again in this session: not asked again.
        selected.clear();
        QVERIFY(selector.selectProfile(u"test server"_s));
        QTRY_COMPARE(selected.count(), 1);
        QCOMPARE(selected.first().at(0).value<DatabaseUrl>().password(), m_server.password);
        QVERIFY(!selector.findChild<PasswordDialog *>());

        // Another profile, cancelled: no database, and why.
        profile.name = u"other"_s;
        QVERIFY(store.addOrUpdate(profile));
        selected.clear();
        QVERIFY(selector.selectProfile(u"other"_s));
        QTRY_VERIFY((dialog = selector.findChild<PasswordDialog *>()) && dialog->isVisible());
        dialog->reject();
        QTRY_COMPARE(none.count(), 1);
        QVERIFY2(none.first().at(0).toString().contains(u"no password was given"_s),
                 qPrintable(none.first().at(0).toString()));
        QVERIFY(selected.isEmpty());
    }

private:
    TestServer m_server;
    QTemporaryDir m_dir;
};

QTEST_MAIN(TstConnectionSelector)
#include "tst_connectionselector.moc"
