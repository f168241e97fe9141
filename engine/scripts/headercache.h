// SPDX-License-Identifier: MIT
#pragma once

#include "scripts/revision.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QSaveFile;

namespace qmigrate {

// What ScriptDirectory read from each revision file of a project, kept in one file of the user's cache folder
// (QStandardPaths::GenericCacheLocation/qmigrate/), so that an unchanged project of thousands of revisions
// opens by listing its folders, one stat per file and one read of the cache instead of reading and parsing
// every file.
//
// A file's header is served from the cache only while the file has the size, mtime, ctime (nanoseconds) and
// inode it had when it was read, and only when those times are older than the cache's own write time by a
// margin (git's racy-timestamp rule: on a file system with coarse timestamps a file edited in the second it
// was read keeps its times). The cache file carries a format version and a checksum of itself; a corrupt,
// truncated, foreign or unreadable one is ignored and written anew, and an unwritable cache folder only means
// no cache. QMIGRATE_NO_CACHE in the environment turns it off.
class HeaderCache
{
public:
    // What identifies one version of a file without reading it.
    struct Stamp
    {
        qint64 size = 0;
        qint64 mtimeNs = 0;
        qint64 ctimeNs = 0;
        quint64 inode = 0;
        bool operator==(const Stamp &) const = default;
    };

    // Times this close to the cache's write time (or later) are not trusted.
    static constexpr qint64 RacyMarginNs = 2'000'000'000;

    // The cache of the project with these version locations (canonicalised here, so every spelling of a
    // folder shares one cache). Loads the cache file unless disabled.
    HeaderCache(const QStringList &versionLocations, bool recursive);
    ~HeaderCache();
    HeaderCache(const HeaderCache &) = delete;
    HeaderCache &operator=(const HeaderCache &) = delete;

    bool isEnabled() const { return m_enabled; }
    // The cache file of this project (whether it exists or not); empty when disabled.
    QString filePath() const { return m_filePath; }

    // Revision files are visited folder by folder, in load order; lookups and records are made between
    // beginDirectory() calls for the files of that folder.
    void beginDirectory(const QString &dir);
    // The header of the file `fileName` (its name as the folder lists it, in bytes) in the current folder,
    // when the cache has it for exactly this stamp and the stamp is old enough to be trusted. Its path is
    // dir + "/" + the decoded name.
    std::optional<Revision> find(QByteArrayView fileName, const Stamp &stamp, const QString &path);
    // Keeps the entry find() returned last for the next cache file.
    void keepFound();
    // Records a header read from the file for the next cache file. Only headers that depend on nothing but
    // their file belong here (no computed or unresolved fields, no warnings); the caller decides.
    void record(QByteArrayView fileName, const Stamp &stamp, const Revision &revision);
    // Writes the cache file if anything differs from what was loaded (atomically; errors are ignored).
    // Without save(), nothing of a file begun during the scan is kept.
    void save();

    // What this scan used: headers served from the cache and files that had to be read.
    int hits() const { return m_hits; }
    int misses() const { return m_misses; }

    // One header as the cache file holds it. decodeRevision() gives nullopt for anything but
    // encodeRevision()'s bytes (a damaged entry is a miss, never a crash); `path` becomes the revision's
    // path.
    static QByteArray encodeRevision(const Revision &revision);
    static std::optional<Revision> decodeRevision(QByteArrayView data, const QString &path);

private:
    struct Entry
    {
        QByteArrayView name; // as the folder lists it, into m_loaded
        Stamp stamp;
        QByteArrayView revision; // encodeRevision()'s bytes, into m_loaded
    };
    // A folder's entries: m_entries[begin, end), in the order they were written.
    struct Directory
    {
        size_t begin = 0;
        size_t end = 0;
        size_t cursor = 0; // files come in the order they were written: usually the next entry matches
    };

    void load();
    bool parse(QByteArrayView payload);

    bool m_enabled = false;
    QString m_filePath;
    qint64 m_scanStartNs = 0;
    qint64 m_trustedBeforeNs = 0; // entries whose times are older than this are trusted
    QFile m_file;                 // open while mapped
    QByteArrayView m_loaded;      // the mapped cache file
    std::vector<Entry> m_entries;
    QHash<QString, Directory> m_directories;
    Directory *m_current = nullptr;
    const Entry *m_found = nullptr;
    qsizetype m_loadedEntries = 0;
    // Pages of the mapped file behind this point are handed back (they are read again if save() needs them),
    // so a large cache does not stay resident beside the revisions made from it.
    void releaseBefore(const char *position);
    const char *m_released = nullptr;
    // The next cache file is written while the scan goes, from the first header that was not served from the
    // cache on: kept entries are copied from the mapped file and fresh ones encoded as they are read, so the
    // first scan of a large project never holds a second copy of all its headers. Kept entries met before
    // that point wait in m_pendingKept (an unchanged project writes nothing).
    void startWriting();
    void writeEntry(qint32 directory, QByteArrayView name, const Stamp &stamp, QByteArrayView revision);
    // Hands the payload written so far to the file, all of it when `last`, else whole 8-byte words (the
    // unit of the file's checksum, which is computed on the way).
    void flushWritten(bool last);
    struct PendingKept
    {
        const Entry *entry = nullptr;
        qint32 directory = 0; // index into m_directoryNames
    };
    std::vector<PendingKept> m_pendingKept;
    std::vector<QByteArray> m_directoryNames; // UTF-8, in scan order
    qsizetype m_keptCount = 0;
    bool m_changed = false;
    std::unique_ptr<QSaveFile> m_out;
    QByteArray m_outBuffer; // the payload not yet written to m_out
    quint64 m_outHash = 0;  // of the payload flushed so far
    qint64 m_outSize = 0;
    qint32 m_outDirectory = -1; // the folder the last entry written is in
    bool m_outFailed = false;
    int m_hits = 0;
    int m_misses = 0;
};

} // namespace qmigrate
