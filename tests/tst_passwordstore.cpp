// SPDX-License-Identifier: MIT
// PasswordStore against the real system keychain. Two CTest entries run this binary:
// - passwordstore: under tests/keychain/run-with-keychain.sh (gnome-keyring's Secret Service on a private
//   D-Bus session), every function but fallbackWithoutKeychain. A keychain that cannot be reached FAILS.
// - passwordstore_nokeychain: with no session bus at all, only fallbackWithoutKeychain.
#include "connections/passwordstore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

constexpr int keychainTimeoutMs = 20000;

// The outcome of one request, whichever signal it came by.
struct Outcome
{
    QString kind; // "read", "written", "deleted", "failed"
    QString profile;
    QString password;
    bool flag = false; // found (read) or persistent (written)
    QString message;
};

// Collects every result of a store by token; also notes keychainUnavailable().
class Results : public QObject
{
public:
    explicit Results(PasswordStore *store)
    {
        connect(store, &PasswordStore::passwordRead, this,
                [this](quint64 token, const QString &profile, const QString &password, bool found) {
                    outcomes.insert(token, {u"read"_s, profile, password, found, {}});
                });
        connect(store, &PasswordStore::passwordWritten, this,
                [this](quint64 token, const QString &profile, bool persistent) {
                    outcomes.insert(token, {u"written"_s, profile, {}, persistent, {}});
                });
        connect(store, &PasswordStore::passwordDeleted, this, [this](quint64 token, const QString &profile) {
            outcomes.insert(token, {u"deleted"_s, profile, {}, false, {}});
        });
        connect(store, &PasswordStore::failed, this,
                [this](quint64 token, const QString &profile, const QString &message) {
                    outcomes.insert(token, {u"failed"_s, profile, {}, false, message});
                });
        connect(store, &PasswordStore::keychainUnavailable, this,
                [this](const QString &message) { unavailableMessages.append(message); });
    }

    // Waits for the request's result; an empty kind on timeout.
    Outcome wait(quint64 token)
    {
        if (!QTest::qWaitFor([&] { return outcomes.contains(token); }, keychainTimeoutMs))
            return {};
        return outcomes.value(token);
    }

    QHash<quint64, Outcome> outcomes;
    QStringList unavailableMessages;
};

// "failed: …" or "read …" for a QCOMPARE message that says what came instead.
QString describe(const Outcome &outcome)
{
    if (outcome.kind.isEmpty())
        return u"no answer within %1 ms"_s.arg(keychainTimeoutMs);
    return outcome.kind + u" "_s + outcome.profile + u" "_s + outcome.message;
}

} // namespace

class TestPasswordStore : public QObject
{
    Q_OBJECT

private:
    // A service name of this run's own: parallel runs and the user's "qmigrate" entries never meet.
    QString m_service = u"qmigrate-test-%1"_s.arg(QUuid::createUuid().toString(QUuid::WithoutBraces));

    // Writes through a store and checks the keychain took it (persistent, no fallback).
    void writeToKeychain(const QString &profile, const QString &password)
    {
        PasswordStore store(m_service);
        Results results(&store);
        const Outcome written = results.wait(store.writePassword(profile, password));
        QVERIFY2(written.kind == "written"_L1, qPrintable(describe(written)));
        QVERIFY2(written.flag,
                 qPrintable(u"kept in memory only: "_s + results.unavailableMessages.join(u' ')));
        QVERIFY(results.unavailableMessages.isEmpty());
    }

    // Reads through a NEW store (no session copy), so the answer can only come from the keychain.
    Outcome readFromKeychain(const QString &profile)
    {
        PasswordStore store(m_service);
        Results results(&store);
        const Outcome outcome = results.wait(store.readPassword(profile));
        if (!results.unavailableMessages.isEmpty())
            return {u"failed"_s, profile, {}, false, results.unavailableMessages.join(u' ')};
        return outcome;
    }

private slots:
    void keychainReachable()
    {
        // A read alone can "succeed" with no usable keyring (nothing found); a write cannot.
        PasswordStore store(m_service);
        Results results(&store);
        const Outcome written = results.wait(store.writePassword(u"reachable"_s, u"yes"_s));
        QVERIFY2(results.unavailableMessages.isEmpty(),
                 qPrintable(u"the keychain cannot be reached (run this test through ctest, which starts one "
                            "with tests/keychain/run-with-keychain.sh): "_s +
                            results.unavailableMessages.join(u' ')));
        QVERIFY2(written.kind == "written"_L1 && written.flag, qPrintable(describe(written)));
        QVERIFY(store.isKeychainAvailable());
        QCOMPARE(results.wait(store.deletePassword(u"reachable"_s)).kind, u"deleted"_s);
    }

    void writeAndReadBack()
    {
        writeToKeychain(u"local postgres"_s, u"s3cret"_s);
        const Outcome read = readFromKeychain(u"local postgres"_s);
        QVERIFY2(read.kind == "read"_L1, qPrintable(describe(read)));
        QVERIFY(read.flag);
        QCOMPARE(read.profile, u"local postgres"_s);
        QCOMPARE(read.password, u"s3cret"_s);
    }

    void overwrite()
    {
        writeToKeychain(u"staging"_s, u"first"_s);
        writeToKeychain(u"staging"_s, u"second"_s);
        const Outcome read = readFromKeychain(u"staging"_s);
        QCOMPARE(read.kind, u"read"_s);
        QCOMPARE(read.password, u"second"_s);
        // Other profiles' entries are separate.
        writeToKeychain(u"production"_s, u"third"_s);
        QCOMPARE(readFromKeychain(u"staging"_s).password, u"second"_s);
        QCOMPARE(readFromKeychain(u"production"_s).password, u"third"_s);
    }

    void deleteEntry()
    {
        writeToKeychain(u"to delete"_s, u"gone soon"_s);
        {
            PasswordStore store(m_service);
            Results results(&store);
            store.setSessionPassword(u"to delete"_s, u"typed"_s);
            const Outcome deleted = results.wait(store.deletePassword(u"to delete"_s));
            QVERIFY2(deleted.kind == "deleted"_L1, qPrintable(describe(deleted)));
            QVERIFY(!store.hasSessionPassword(u"to delete"_s));
            const Outcome again = results.wait(store.readPassword(u"to delete"_s));
            QCOMPARE(again.kind, u"read"_s);
            QVERIFY(!again.flag);
            // Deleting what is not there is no error.
            QCOMPARE(results.wait(store.deletePassword(u"to delete"_s)).kind, u"deleted"_s);
        }
        const Outcome read = readFromKeychain(u"to delete"_s);
        QCOMPARE(read.kind, u"read"_s);
        QVERIFY(!read.flag);
        QVERIFY(read.password.isEmpty());
    }

    void notFound()
    {
        const Outcome read = readFromKeychain(u"never written %1"_s.arg(QUuid::createUuid().toString()));
        QVERIFY2(read.kind == "read"_L1, qPrintable(describe(read)));
        QVERIFY(!read.flag);
        QVERIFY(read.password.isEmpty());
    }

    void specialCharacters()
    {
        const QString profile = u"prod / eu:1 @ 'x' — ü"_s;
        const QString password = u"p@ss:w/rd?&%20 \"'\\ ü€😀"_s;
        writeToKeychain(profile, password);
        const Outcome read = readFromKeychain(profile);
        QCOMPARE(read.kind, u"read"_s);
        QCOMPARE(read.password, password);
        // The session copy answers without the keychain and wins over it.
        PasswordStore store(m_service);
        Results results(&store);
        store.setSessionPassword(profile, u"typed later"_s);
        QCOMPARE(results.wait(store.readPassword(profile)).password, u"typed later"_s);
    }

    // Run without any session bus (CTest passwordstore_nokeychain): the keychain fails, the store says so
    // once and keeps passwords for the session.
    void fallbackWithoutKeychain()
    {
        QVERIFY2(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run with no session bus: env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY (CTest does)");
        PasswordStore store(m_service);
        Results results(&store);
        QSignalSpy unavailable(&store, &PasswordStore::keychainUnavailable);

        const quint64 writeToken = store.writePassword(u"offline"_s, u"typed once"_s);
        // Never answered inside the call.
        QVERIFY(!results.outcomes.contains(writeToken));
        const Outcome written = results.wait(writeToken);
        QVERIFY2(written.kind == "written"_L1, qPrintable(describe(written)));
        QVERIFY(!written.flag); // memory only
        QCOMPARE(unavailable.count(), 1);
        const QString message = unavailable.first().first().toString();
        QVERIFY2(message.startsWith("Passwords will not be remembered: "_L1), qPrintable(message));
        // The keychain's own reason is part of it (QtKeychain's text, e.g. D-Bus' autolaunch error).
        QVERIFY2(message.size() > 80, qPrintable(message));
        QVERIFY(!store.isKeychainAvailable());

        const Outcome read = results.wait(store.readPassword(u"offline"_s));
        QCOMPARE(read.kind, u"read"_s);
        QVERIFY(read.flag);
        QCOMPARE(read.password, u"typed once"_s);
        QCOMPARE(results.wait(store.writePassword(u"offline"_s, u"typed twice"_s)).kind, u"written"_s);
        QCOMPARE(results.wait(store.readPassword(u"offline"_s)).password, u"typed twice"_s);
        const Outcome missing = results.wait(store.readPassword(u"other"_s));
        QCOMPARE(missing.kind, u"read"_s);
        QVERIFY(!missing.flag);
        QCOMPARE(results.wait(store.deletePassword(u"offline"_s)).kind, u"deleted"_s);
        QVERIFY(!results.wait(store.readPassword(u"offline"_s)).flag);
        // Said once only.
        QCOMPARE(unavailable.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPasswordStore)
#include "tst_passwordstore.moc"
