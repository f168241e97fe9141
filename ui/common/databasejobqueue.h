// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/engineerror.h"
#include "database/serverprobe.h"

#include <QMetaType>
#include <QObject>
#include <QString>

// Declared here, before any signal below uses it, for every folder that queues an EngineError.
Q_DECLARE_METATYPE(qmigrate::EngineError)

namespace qmigrate {

// The GUI's one queue of database jobs, as the folders below run/ ask it for work. run/'s MigrationController
// is that queue (one worker thread, one token counter, busyChanged(), cancel()); the project session
// (workspace/) and the connection dialog (connections/) come before run/ and see it through this class.
//
// Each request returns a token and is answered on the GUI thread by its signal carrying that token, whether
// it succeeded, failed or was cancelled, unless a newer request of the same kind was made meanwhile: then
// only the newest is answered.
class DatabaseJobQueue : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Puts the database under migrations in a new project in directory (DatabaseAdopter: the schema read, a
    // baseline written, the database stamped); databaseAdopted() follows. A cancel stops it as long as
    // nothing of the baseline is written; after that it runs to its end and is answered as done.
    virtual quint64 adoptDatabase(const QString &directory, const DatabaseUrl &url) = 0;
    // Connects, asks the server what it is and disconnects (ServerProbe); connectionTested() follows. A
    // connection attempt cannot be interrupted: a cancel drops its answer, which then says it was cancelled.
    virtual quint64 testConnection(const DatabaseUrl &url, const QString &baseDirectory,
                                   int connectTimeoutSeconds) = 0;
    // Cancels the one job of token, queued or running, as that job's request describes; other jobs go on.
    virtual void cancelJob(quint64 token) = 0;

signals:
    // ok: iniPath is the new project's alembic.ini; otherwise error says why nothing was adopted.
    void databaseAdopted(quint64 token, bool ok, const QString &iniPath, const qmigrate::EngineError &error);
    // ok: server says what answered; otherwise error is the server's message (or the cancel).
    void connectionTested(quint64 token, bool ok, const qmigrate::ServerInfo &server,
                          const qmigrate::EngineError &error);
};

} // namespace qmigrate
