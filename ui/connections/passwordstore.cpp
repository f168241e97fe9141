// SPDX-License-Identifier: MIT
#include "connections/passwordstore.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// Errors that say "there is no keychain to talk to" rather than "the keychain said no". On Linux an absent
// D-Bus session bus or Secret Service comes back as OtherError ("Cannot autolaunch D-Bus without X11
// $DISPLAY", "The name org.freedesktop.secrets was not provided by any .service files").
bool meansUnavailable(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented ||
           error == QKeychain::OtherError;
}

QString describe(const QKeychain::Job &job)
{
    const QString text = job.errorString().trimmed();
    return text.isEmpty() ? u"error %1"_s.arg(int(job.error())) : text;
}

} // namespace

PasswordStore::PasswordStore(QObject *parent)
    : PasswordStore(defaultServiceName(), parent)
{}

PasswordStore::PasswordStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

// Running jobs are children: deleting them drops their pending D-Bus replies, and their finished() never
// reaches this object.
PasswordStore::~PasswordStore() = default;

quint64 PasswordStore::readPassword(const QString &profile)
{
    const quint64 token = nextToken();
    if (!m_keychainAvailable || m_session.contains(profile)) {
        answerFromSession(Operation::Read, token, profile);
        return token;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    startJob(job, Operation::Read, token, profile);
    return token;
}

quint64 PasswordStore::writePassword(const QString &profile, const QString &password)
{
    const quint64 token = nextToken();
    m_session.insert(profile, password);
    if (!m_keychainAvailable) {
        answerFromSession(Operation::Write, token, profile);
        return token;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setTextData(password);
    startJob(job, Operation::Write, token, profile);
    return token;
}

quint64 PasswordStore::deletePassword(const QString &profile)
{
    const quint64 token = nextToken();
    m_session.remove(profile);
    if (!m_keychainAvailable) {
        answerFromSession(Operation::Delete, token, profile);
        return token;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    startJob(job, Operation::Delete, token, profile);
    return token;
}

void PasswordStore::setSessionPassword(const QString &profile, const QString &password)
{
    m_session.insert(profile, password);
}

void PasswordStore::forgetSessionPassword(const QString &profile)
{
    m_session.remove(profile);
}

void PasswordStore::startJob(QKeychain::Job *job, Operation operation, quint64 token, const QString &profile)
{
    job->setKey(profile);
    // Never fall back to a plain-text file: a password that cannot go to a keychain stays in memory.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    connect(job, &QKeychain::Job::finished, this,
            [this, operation, token, profile](QKeychain::Job *finished) {
                onJobFinished(finished, operation, token, profile);
            });
    // start() only schedules the job; it runs and finishes from the event loop.
    job->start();
}

void PasswordStore::onJobFinished(QKeychain::Job *job, Operation operation, quint64 token,
                                  const QString &profile)
{
    const QKeychain::Error error = job->error();
    if (error != QKeychain::NoError && error != QKeychain::EntryNotFound && meansUnavailable(error)) {
        markUnavailable(describe(*job));
        answerFromSession(operation, token, profile);
        return;
    }
    switch (operation) {
    case Operation::Read:
        if (error == QKeychain::NoError) {
            emit passwordRead(token, profile, static_cast<QKeychain::ReadPasswordJob *>(job)->textData(),
                              true);
        } else if (error == QKeychain::EntryNotFound) {
            // A write may have put a session copy in place while the keychain was asked.
            emit passwordRead(token, profile, m_session.value(profile), m_session.contains(profile));
        } else {
            emit failed(
                token, profile,
                u"Cannot read the password of '%1' from the keychain: %2"_s.arg(profile, describe(*job)));
        }
        return;
    case Operation::Write:
        if (error == QKeychain::NoError) {
            emit passwordWritten(token, profile, true);
        } else {
            emit failed(
                token, profile,
                u"Cannot save the password of '%1' in the keychain: %2 (it is kept until qmigrate quits)"_s
                    .arg(profile, describe(*job)));
        }
        return;
    case Operation::Delete:
        if (error == QKeychain::NoError || error == QKeychain::EntryNotFound) {
            emit passwordDeleted(token, profile);
        } else {
            emit failed(
                token, profile,
                u"Cannot delete the password of '%1' from the keychain: %2"_s.arg(profile, describe(*job)));
        }
        return;
    }
}

void PasswordStore::answerFromSession(Operation operation, quint64 token, const QString &profile)
{
    QMetaObject::invokeMethod(
        this,
        [this, operation, token, profile] {
            switch (operation) {
            case Operation::Read:
                emit passwordRead(token, profile, m_session.value(profile), m_session.contains(profile));
                return;
            case Operation::Write:
                emit passwordWritten(token, profile, false);
                return;
            case Operation::Delete:
                emit passwordDeleted(token, profile);
                return;
            }
        },
        Qt::QueuedConnection);
}

void PasswordStore::markUnavailable(const QString &reason)
{
    if (!m_keychainAvailable)
        return;
    m_keychainAvailable = false;
    m_unavailableMessage = u"Passwords will not be remembered: the system keychain cannot be reached (%1). "
                           "Passwords you type are kept until qmigrate quits."_s.arg(reason);
    emit keychainUnavailable(m_unavailableMessage);
}

} // namespace qmigrate
