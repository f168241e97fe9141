// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace qmigrate {

// Connection passwords in the system keychain (QtKeychain: the Secret Service, KWallet, macOS Keychain or
// Windows Credential Store), under the service "qmigrate" with the profile name as key.
//
// Asynchronous only: every request returns a token at once and its result comes later, always from the event
// loop (never from inside the call), as exactly one of passwordRead / passwordWritten / passwordDeleted /
// failed carrying that token. Nothing here waits or spins an event loop.
//
// Session passwords: every password written is also kept in this object's memory (keyed by profile, never in
// QSettings) until the process ends, and a read answers from memory when it has the profile, so the password
// the user typed last wins. When the keychain turns out to be unreachable (no Secret Service, no D-Bus
// session bus, …) keychainUnavailable() is emitted once with a sentence for the user, the keychain is not
// asked again, and every request is answered from memory: passwords then last for the session only.
class PasswordStore : public QObject
{
    Q_OBJECT

public:
    explicit PasswordStore(QObject *parent = nullptr); // service "qmigrate"
    // Another service name (tests use their own so they never touch the user's entries).
    explicit PasswordStore(const QString &service, QObject *parent = nullptr);
    ~PasswordStore() override;

    static QString defaultServiceName() { return QStringLiteral("qmigrate"); }
    QString serviceName() const { return m_service; }
    // False once the keychain failed as unreachable (see keychainUnavailable()).
    bool isKeychainAvailable() const { return m_keychainAvailable; }
    // The sentence keychainUnavailable() carried; empty while the keychain is available.
    QString unavailableMessage() const { return m_unavailableMessage; }

    quint64 readPassword(const QString &profile);
    quint64 writePassword(const QString &profile, const QString &password);
    // Removes the keychain entry and the session copy. A profile with no entry is not an error.
    quint64 deletePassword(const QString &profile);

    // The session copy only, without touching the keychain: for a password the user typed but did not ask to
    // remember. Synchronous because it is memory.
    void setSessionPassword(const QString &profile, const QString &password);
    void forgetSessionPassword(const QString &profile);
    bool hasSessionPassword(const QString &profile) const { return m_session.contains(profile); }
    QString sessionPassword(const QString &profile) const { return m_session.value(profile); }

signals:
    // found is false when neither the keychain nor the session has a password for profile.
    void passwordRead(quint64 token, const QString &profile, const QString &password, bool found);
    // persistent is false when the password went to the session memory only (keychain unavailable).
    void passwordWritten(quint64 token, const QString &profile, bool persistent);
    void passwordDeleted(quint64 token, const QString &profile);
    // The keychain refused the request (e.g. access denied); message says so in a sentence.
    void failed(quint64 token, const QString &profile, const QString &message);
    // Once per store: "Passwords will not be remembered: …", naming the keychain's error.
    void keychainUnavailable(const QString &message);

private:
    enum class Operation { Read, Write, Delete };

    quint64 nextToken() { return ++m_lastToken; }
    void startJob(QKeychain::Job *job, Operation operation, quint64 token, const QString &profile);
    void onJobFinished(QKeychain::Job *job, Operation operation, quint64 token, const QString &profile);
    // Answers from memory, queued so that the result never arrives inside the request.
    void answerFromSession(Operation operation, quint64 token, const QString &profile);
    void markUnavailable(const QString &reason);

    QString m_service;
    quint64 m_lastToken = 0;
    bool m_keychainAvailable = true;
    QString m_unavailableMessage;
    QHash<QString, QString> m_session;
};

} // namespace qmigrate
