// SPDX-License-Identifier: MIT
#include "execution/runlockfile.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace qmigrate {

QString RunLockFile::pathFor(const QString &databaseFile)
{
    return databaseFile + u".qmigrate-lock"_s;
}

RunLockFile::RunLockFile(QString path)
    : m_path(std::move(path))
{}

RunLockFile::~RunLockFile()
{
    release();
}

Expected<bool> RunLockFile::acquire(int timeoutSeconds, const QString &command,
                                    const std::atomic_bool *cancel)
{
    if (m_fd >= 0)
        return true;
    const QByteArray path = QFile::encodeName(m_path);
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return EngineError(
            u"Cannot open the run lock file %1: %2"_s.arg(QDir::toNativeSeparators(m_path),
                                                          QString::fromLocal8Bit(std::strerror(errno))),
            EngineError::Kind::Database);
    const QDeadlineTimer deadline(qint64(qMax(0, timeoutSeconds)) * 1000);
    for (;;) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const QString reason = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            return EngineError(
                u"Cannot lock the run lock file %1: %2"_s.arg(QDir::toNativeSeparators(m_path), reason),
                EngineError::Kind::Database);
        }
        if (deadline.hasExpired() || (cancel && cancel->load())) {
            ::close(fd);
            return false;
        }
        QThread::msleep(qMin<qint64>(50, qMax<qint64>(1, deadline.remainingTime())));
    }
    m_fd = fd;
    const QJsonObject holder{{u"pid"_s, qint64(QCoreApplication::applicationPid())},
                             {u"host"_s, QSysInfo::machineHostName()},
                             {u"since"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                             {u"command"_s, command}};
    const QByteArray text = QJsonDocument(holder).toJson(QJsonDocument::Compact) + '\n';
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.constData(), size_t(text.size()), 0) != text.size()) {
        // Who holds it is for messages only: the lock is as good without it.
    }
    return true;
}

void RunLockFile::release()
{
    if (m_fd < 0)
        return;
    // The holder's line goes first, so a reader never sees a finished run named as the holder.
    [[maybe_unused]] const int truncated = ::ftruncate(m_fd, 0);
    ::flock(m_fd, LOCK_UN);
    ::close(m_fd);
    m_fd = -1;
}

QString RunLockFile::holder() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject holder = QJsonDocument::fromJson(file.readAll()).object();
    if (holder.isEmpty())
        return {};
    QString text = u"process %1 on host %2 since %3"_s.arg(holder.value(u"pid"_s).toInteger())
                       .arg(holder.value(u"host"_s).toString(), holder.value(u"since"_s).toString());
    const QString command = holder.value(u"command"_s).toString();
    if (!command.isEmpty())
        text += u" ("_s + command + u')';
    return text;
}

} // namespace qmigrate
