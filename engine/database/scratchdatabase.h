// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/expected.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace qmigrate {

// A throwaway database of the same backend as a given one, for building schemas to compare (autogenerate,
// check): SQLite a file in a temporary directory; PostgreSQL a new database on the same server; MySQL/MariaDB
// a new database (schema) on the same server. Dropped when this object goes. The user of the given URL must
// be allowed to create databases on the server; the error says so when not.
class ScratchDatabase
{
public:
    // like: the database whose server and credentials to use; baseDirectory resolves its relative SQLite
    // path (unused otherwise). Blocks on the server: call it off the UI thread.
    static Expected<std::unique_ptr<ScratchDatabase>> create(const DatabaseUrl &like,
                                                             const QString &baseDirectory);
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;

    const DatabaseUrl &url() const { return m_url; }
    QString name() const { return m_name; }

private:
    ScratchDatabase(DatabaseUrl server, DatabaseUrl url, QString name, QString baseDirectory);

    DatabaseUrl m_server; // where to connect to drop it (the given database)
    DatabaseUrl m_url;
    QString m_name;
    QString m_baseDirectory;
    std::unique_ptr<QTemporaryDir> m_directory; // SQLite
};

} // namespace qmigrate
