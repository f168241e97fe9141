// SPDX-License-Identifier: MIT
#include "scripts/headercache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>
#include <cstring>
#include <ctime>

#ifdef Q_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// Written in the machine's byte order: a cache file from a machine of the other order fails this check and is
// simply not used.
constexpr quint32 kMagic = 0x43484d51; // "QMHC"
// Bump on any change of the layout or of what the parsers produce for a file.
constexpr quint32 kFormatVersion = 2;
constexpr qsizetype kHeaderSize = 4 + 4 + 8 + 8;
constexpr char kDirectoryTag = 1;
constexpr char kEntryTag = 2;

qint64 nowNs()
{
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// A fast 64-bit hash of the payload: it guards against torn and damaged files, not against an adversary
// (whoever can write the user's cache folder can write the revision files too).
constexpr quint64 kHashSeed = 0x9e3779b97f4a7c15ull;

// Whole 8-byte words (data.size() is a multiple of 8), so a payload can be hashed in pieces as it is written.
quint64 hashWords(quint64 h, QByteArrayView data)
{
    const char *p = data.data();
    for (qsizetype n = data.size(); n >= 8; n -= 8, p += 8) {
        quint64 word;
        std::memcpy(&word, p, 8);
        h = (h ^ word) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    return h;
}

// The last 0 to 7 bytes, and the length of the whole payload.
quint64 hashFinish(quint64 h, QByteArrayView tail, quint64 length)
{
    quint64 word = 0;
    std::memcpy(&word, tail.data(), size_t(tail.size()));
    h = (h ^ word) * 0xc4ceb9fe1a85ec53ull;
    h = (h ^ length) * 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

quint64 payloadHash(QByteArrayView data)
{
    const qsizetype words = data.size() & ~qsizetype(7);
    return hashFinish(hashWords(kHashSeed, data.first(words)), data.sliced(words), quint64(data.size()));
}

class Writer
{
public:
    explicit Writer(QByteArray *out)
        : m_out(out)
    {}
    template<typename T> void number(T value)
    {
        m_out->append(reinterpret_cast<const char *>(&value), sizeof value);
    }
    void bytes(QByteArrayView data)
    {
        number(quint32(data.size()));
        m_out->append(data.data(), data.size());
    }
    void string(const QString &text) { bytes(text.toUtf8()); }
    void list(const QStringList &items)
    {
        number(quint32(items.size()));
        for (const QString &item : items)
            string(item);
    }

private:
    QByteArray *m_out;
};

// Every read is bounds-checked: a damaged file must fail here, not crash.
class Reader
{
public:
    explicit Reader(QByteArrayView data)
        : m_data(data)
    {}
    bool atEnd() const { return m_pos == m_data.size(); }
    template<typename T> bool number(T *value)
    {
        if (m_data.size() - m_pos < qsizetype(sizeof(T)))
            return false;
        std::memcpy(value, m_data.data() + m_pos, sizeof(T));
        m_pos += qsizetype(sizeof(T));
        return true;
    }
    bool raw(qsizetype size, QByteArrayView *out)
    {
        if (m_data.size() - m_pos < size)
            return false;
        *out = m_data.sliced(m_pos, size);
        m_pos += size;
        return true;
    }
    bool bytes(QByteArrayView *out)
    {
        quint32 size = 0;
        if (!number(&size) || m_data.size() - m_pos < qsizetype(size))
            return false;
        *out = m_data.sliced(m_pos, size);
        m_pos += size;
        return true;
    }
    bool string(QString *out)
    {
        QByteArrayView utf8;
        if (!bytes(&utf8))
            return false;
        // Ids, messages and names are nearly always ASCII, which Latin-1 decodes exactly and faster.
        const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        *out = ascii ? QString::fromLatin1(utf8) : QString::fromUtf8(utf8);
        return true;
    }
    bool list(QStringList *out)
    {
        quint32 count = 0;
        // Each entry takes at least its 4-byte length: a damaged count cannot make a huge reservation.
        if (!number(&count) || count > quint32((m_data.size() - m_pos) / 4))
            return false;
        out->reserve(count);
        for (quint32 i = 0; i < count; ++i) {
            QString item;
            if (!string(&item))
                return false;
            out->append(std::move(item));
        }
        return true;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
};

} // namespace

HeaderCache::HeaderCache(const QStringList &versionLocations, bool recursive)
    : m_scanStartNs(nowNs())
{
    if (qEnvironmentVariableIsSet("QMIGRATE_NO_CACHE"))
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    if (folder.isEmpty())
        return;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(recursive ? "recursive\n" : "flat\n");
    for (const QString &location : versionLocations) {
        const QString canonical = QFileInfo(location).canonicalFilePath();
        hash.addData(
            (canonical.isEmpty() ? QDir::cleanPath(QFileInfo(location).absoluteFilePath()) : canonical)
                .toUtf8());
        hash.addData("\n");
    }
    m_filePath =
        folder + u"/qmigrate/headers-"_s + QString::fromLatin1(hash.result().toHex().left(32)) + u".cache"_s;
    m_enabled = true;
    load();
}

// A file begun and not saved (the scan did not finish) is discarded by QSaveFile.
HeaderCache::~HeaderCache() = default;

void HeaderCache::load()
{
    // Mapped rather than read: the entries served stay views into the page cache, no copy of the file.
    m_file.setFileName(m_filePath);
    if (!m_file.open(QIODevice::ReadOnly))
        return;
    const qint64 fileSize = m_file.size();
    const uchar *mapped = fileSize > 0 ? m_file.map(0, fileSize) : nullptr;
    if (!mapped) {
        m_file.close();
        return;
    }
    m_loaded = QByteArrayView(reinterpret_cast<const char *>(mapped), fileSize);
    const QByteArrayView data(m_loaded);
    quint32 magic = 0;
    quint32 version = 0;
    quint64 size = 0;
    quint64 hash = 0;
    Reader header(data);
    if (!header.number(&magic) || !header.number(&version) || !header.number(&size) ||
        !header.number(&hash) || magic != kMagic || version != kFormatVersion ||
        size != quint64(data.size() - kHeaderSize) || payloadHash(data.sliced(kHeaderSize)) != hash ||
        !parse(data.sliced(kHeaderSize))) {
        m_directories.clear();
        m_entries = {};
        m_loadedEntries = 0;
        m_loaded = {};
        m_file.close();
        return;
    }
    // Checked: the whole file goes back, and the entries are read again one by one as they are served.
    m_released = m_loaded.data();
    releaseBefore(m_loaded.data() + m_loaded.size());
    m_released = m_loaded.data();
}

void HeaderCache::releaseBefore(const char *position)
{
#ifdef Q_OS_UNIX
    static const qsizetype pageSize = qsizetype(sysconf(_SC_PAGESIZE));
    constexpr qsizetype kBatch = 1 << 20; // one call per MiB served
    if (!m_released || position - m_released < kBatch)
        return;
    const auto base = quintptr(m_loaded.data());
    const quintptr from = (quintptr(m_released) - base) / quintptr(pageSize) * quintptr(pageSize);
    const quintptr to = (quintptr(position) - base) / quintptr(pageSize) * quintptr(pageSize);
    if (to > from)
        madvise(reinterpret_cast<void *>(base + from), size_t(to - from), MADV_DONTNEED);
    m_released = m_loaded.data() + to;
#else
    Q_UNUSED(position);
#endif
}

bool HeaderCache::parse(QByteArrayView payload)
{
    Reader reader(payload);
    qint64 writtenAt = 0;
    if (!reader.number(&writtenAt))
        return false;
    m_trustedBeforeNs = writtenAt - RacyMarginNs;
    // More than there can be: an entry takes at least 90 bytes (tag, name and header lengths, stamp, the
    // header's fixed fields). Pages of the reservation that no entry reaches are never touched, where growing
    // the vector would copy every entry and fault in each copy's pages.
    constexpr qsizetype kSmallestEntry = 90;
    m_entries.reserve(size_t(payload.size() / kSmallestEntry + 1));
    Directory *directory = nullptr;
    while (!reader.atEnd()) {
        char tag = 0;
        if (!reader.number(&tag))
            return false;
        if (tag == kDirectoryTag) {
            QString dir;
            if (!reader.string(&dir) || m_directories.contains(dir))
                return false; // each folder once, its entries together
            directory = &m_directories[dir];
            directory->begin = directory->end = directory->cursor = m_entries.size();
        } else if (tag == kEntryTag && directory) {
            Entry entry;
            if (!reader.bytes(&entry.name) || !reader.number(&entry.stamp.size) ||
                !reader.number(&entry.stamp.mtimeNs) || !reader.number(&entry.stamp.ctimeNs) ||
                !reader.number(&entry.stamp.inode) || !reader.bytes(&entry.revision))
                return false;
            m_entries.push_back(entry);
            directory->end = m_entries.size();
            ++m_loadedEntries;
        } else {
            return false;
        }
    }
    return true;
}

void HeaderCache::beginDirectory(const QString &dir)
{
    if (!m_enabled)
        return;
    const auto found = m_directories.find(dir);
    m_current = found == m_directories.end() ? nullptr : &found.value();
    m_directoryNames.push_back(dir.toUtf8());
    m_found = nullptr;
}

std::optional<Revision> HeaderCache::find(QByteArrayView fileName, const Stamp &stamp, const QString &path)
{
    m_found = nullptr;
    if (!m_enabled)
        return std::nullopt;
    ++m_misses; // until it turns out to be a hit
    if (!m_current)
        return std::nullopt;
    const Entry *entry = nullptr;
    if (m_current->cursor < m_current->end && m_entries[m_current->cursor].name == fileName) {
        entry = &m_entries[m_current->cursor++];
    } else {
        for (size_t i = m_current->begin; i < m_current->end; ++i) {
            if (m_entries[i].name == fileName) {
                entry = &m_entries[i];
                m_current->cursor = i + 1;
                break;
            }
        }
    }
    if (!entry || entry->stamp != stamp || stamp.mtimeNs >= m_trustedBeforeNs ||
        stamp.ctimeNs >= m_trustedBeforeNs)
        return std::nullopt;
    std::optional<Revision> revision = decodeRevision(entry->revision, path);
    if (!revision)
        return std::nullopt;
    --m_misses;
    ++m_hits;
    m_found = entry;
    releaseBefore(entry->name.data());
    return revision;
}

void HeaderCache::keepFound()
{
    if (!m_enabled || !m_found)
        return;
    ++m_keptCount;
    const qint32 directory = qint32(m_directoryNames.size()) - 1;
    if (m_out) {
        writeEntry(directory, m_found->name, m_found->stamp, m_found->revision);
    } else if (!m_outFailed) {
        if (m_pendingKept.capacity() == 0)
            m_pendingKept.reserve(size_t(m_loadedEntries));
        m_pendingKept.push_back(PendingKept{m_found, directory});
    }
}

void HeaderCache::record(QByteArrayView fileName, const Stamp &stamp, const Revision &revision)
{
    if (!m_enabled)
        return;
    m_changed = true;
    if (!m_out)
        startWriting();
    if (m_out)
        writeEntry(qint32(m_directoryNames.size()) - 1, fileName, stamp, encodeRevision(revision));
}

void HeaderCache::startWriting()
{
    if (m_out || m_outFailed)
        return;
    m_outFailed = true; // until the file is open
    if (!QDir().mkpath(QFileInfo(m_filePath).path()))
        return;
    auto file = std::make_unique<QSaveFile>(m_filePath);
    // The header (size and checksum of the payload) is written last, over this placeholder.
    if (!file->open(QIODevice::WriteOnly) || file->write(QByteArray(kHeaderSize, '\0')) != kHeaderSize)
        return;
    m_out = std::move(file);
    m_outFailed = false;
    m_outHash = kHashSeed;
    Writer(&m_outBuffer).number(m_scanStartNs);
    for (const PendingKept &kept : m_pendingKept)
        writeEntry(kept.directory, kept.entry->name, kept.entry->stamp, kept.entry->revision);
    m_pendingKept = {};
}

void HeaderCache::writeEntry(qint32 directory, QByteArrayView name, const Stamp &stamp,
                             QByteArrayView revision)
{
    Writer writer(&m_outBuffer);
    if (directory != m_outDirectory) {
        m_outDirectory = directory;
        writer.number(kDirectoryTag);
        writer.bytes(m_directoryNames.at(size_t(directory)));
    }
    writer.number(kEntryTag);
    writer.bytes(name);
    writer.number(stamp.size);
    writer.number(stamp.mtimeNs);
    writer.number(stamp.ctimeNs);
    writer.number(stamp.inode);
    writer.bytes(revision);
    constexpr qsizetype kChunk = 1 << 16;
    if (m_outBuffer.size() >= kChunk)
        flushWritten(false);
}

void HeaderCache::flushWritten(bool last)
{
    const qsizetype size = last ? m_outBuffer.size() : m_outBuffer.size() & ~qsizetype(7);
    const QByteArrayView piece = QByteArrayView(m_outBuffer).first(size);
    const qsizetype words = size & ~qsizetype(7);
    m_outHash = hashWords(m_outHash, piece.first(words));
    if (last)
        m_outHash = hashFinish(m_outHash, piece.sliced(words), quint64(m_outSize + size));
    if (m_out->write(piece.data(), size) != size)
        m_outFailed = true;
    m_outSize += size;
    m_outBuffer.remove(0, size);
}

void HeaderCache::save()
{
    if (!m_enabled)
        return;
    // Unchanged: every entry was served and kept, none added, none gone. Files that are not cacheable (or
    // not readable) leave the file as it is too.
    if (!m_out && !m_changed && m_keptCount == m_loadedEntries)
        return;
    startWriting();
    if (!m_out)
        return;
    flushWritten(true);
    QByteArray header;
    Writer headerWriter(&header);
    headerWriter.number(kMagic);
    headerWriter.number(kFormatVersion);
    headerWriter.number(quint64(m_outSize));
    headerWriter.number(m_outHash);
    if (!m_outFailed && m_out->seek(0) && m_out->write(header) == header.size())
        m_out->commit(); // a failure leaves the previous file, which is still valid
    else
        m_out->cancelWriting();
    m_out.reset();
}

// Flags of an encoded revision.
enum RevisionFlag : quint8 {
    PythonKind = 1,
    HasChecksum = 2, // then its 32 bytes follow the strings
};

QByteArray HeaderCache::encodeRevision(const Revision &revision)
{
    QByteArray out;
    out.reserve(160 + revision.message.size() + revision.createDate.size());
    Writer writer(&out);
    quint8 flags = 0;
    if (revision.kind == Revision::Kind::Python)
        flags |= PythonKind;
    if (!revision.checksum.isNull())
        flags |= HasChecksum;
    writer.number(flags);
    writer.string(revision.id);
    writer.list(revision.downRevisions);
    writer.list(revision.branchLabels);
    writer.list(revision.dependsOn);
    writer.string(revision.message);
    writer.bytes(revision.createDate);
    if (flags & HasChecksum)
        out.append(revision.checksum.bytes());
    for (const int line : {revision.idLine, revision.downRevisionLine, revision.branchLabelsLine,
                           revision.dependsOnLine, revision.upgradeLine, revision.downgradeLine})
        writer.number(qint32(line));
    return out;
}

std::optional<Revision> HeaderCache::decodeRevision(QByteArrayView data, const QString &path)
{
    Reader reader(data);
    Revision revision;
    quint8 flags = 0;
    qint32 lines[6] = {};
    QByteArrayView createDate;
    if (!reader.number(&flags) || flags > (PythonKind | HasChecksum) || !reader.string(&revision.id) ||
        !reader.list(&revision.downRevisions) || !reader.list(&revision.branchLabels) ||
        !reader.list(&revision.dependsOn) || !reader.string(&revision.message) || !reader.bytes(&createDate))
        return std::nullopt;
    revision.createDate = createDate.toByteArray();
    if (flags & HasChecksum) {
        QByteArrayView binary;
        if (!reader.raw(Sha256Digest::Size, &binary))
            return std::nullopt;
        revision.checksum = Sha256Digest::fromBytes(binary);
    }
    for (qint32 &line : lines) {
        if (!reader.number(&line))
            return std::nullopt;
    }
    if (!reader.atEnd())
        return std::nullopt;
    revision.kind = (flags & PythonKind) ? Revision::Kind::Python : Revision::Kind::Sql;
    revision.idLine = lines[0];
    revision.downRevisionLine = lines[1];
    revision.branchLabelsLine = lines[2];
    revision.dependsOnLine = lines[3];
    revision.upgradeLine = lines[4];
    revision.downgradeLine = lines[5];
    revision.path = path;
    return revision;
}

} // namespace qmigrate
