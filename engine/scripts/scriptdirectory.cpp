// SPDX-License-Identifier: MIT
#include "scripts/scriptdirectory.h"

#include "core/namecheck.h"

#include "config/projectconfig.h"
#include "scripts/headercache.h"
#include "scripts/moduleconstantresolver.h"
#include "scripts/pythonrevisionparser.h"
#include "scripts/scriptchecksum.h"
#include "scripts/scripttext.h"
#include "scripts/sqlrevisionparser.h"
#include "scripts/stamppreloader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <cstring>
#include <optional>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// UTF-16 code units sort surrogates (U+D800..U+DFFF) before U+E000..U+FFFF; shifting them puts every
// string in code point order, which is Python's sorted() order for str.
char16_t codePointOrderKey(char16_t c)
{
    if (c >= 0xd800 && c < 0xe000)
        return char16_t(c + 0x2000);
    if (c >= 0xe000)
        return char16_t(c - 0x800);
    return c;
}

// The names in a folder of revisions share long runs (ids counting up, a date prefix): they are compared
// four code units at a time until they differ, which made sorting 10,000 names most of what an
// unchanged project's load cost.
bool codePointLess(QStringView a, QStringView b)
{
    const qsizetype n = qMin(a.size(), b.size());
    const char16_t *pa = a.utf16();
    const char16_t *pb = b.utf16();
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        quint64 x;
        quint64 y;
        std::memcpy(&x, pa + i, sizeof x);
        std::memcpy(&y, pb + i, sizeof y);
        if (x != y)
            break;
    }
    for (; i < n; ++i) {
        if (pa[i] != pb[i])
            return codePointOrderKey(pa[i]) < codePointOrderKey(pb[i]);
    }
    return a.size() < b.size();
}

// A name the file system gave (readdir). Nearly always ASCII, for which Latin-1 is exact and much cheaper
// than the locale's decoder.
QString decodeName(QByteArrayView raw)
{
    if (std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return QString::fromLatin1(raw);
    return QFile::decodeName(raw.toByteArray());
}

// On the bytes the folder lists: the prefix and suffixes are ASCII, which every decoding keeps as it is.
bool isCandidate(QByteArrayView name)
{
    if (name.startsWith("__init__") || name.startsWith(".#"))
        return false;
    return name.endsWith(".sql") || name.endsWith(".py");
}

class Scanner
{
public:
    Scanner(ScriptDirectory::ScanResult *result, ModuleConstantResolver *resolver, HeaderCache *cache)
        : m_result(result)
        , m_resolver(resolver)
        , m_cache(cache)
    {}

    void walk(const QString &dir, bool recursive);

private:
    // `fileName`: the file's name as its folder lists it, followed by a NUL; `stamps` has it at `index`.
    void parseFile(const QString &path, QByteArrayView fileName, StampPreloader *stamps, size_t index);
    bool readFile(const QString &path, QByteArray *content);

    ScriptDirectory::ScanResult *m_result;
    ModuleConstantResolver *m_resolver;
    HeaderCache *m_cache;
    QSet<QString> m_walkedDirs;  // canonical folders whose candidate files were all loaded
    QSet<QString> m_linkedFiles; // canonical paths of the files loaded through a symbolic link
    QString m_readError;         // why the last readFile() failed
    QByteArray m_buffer;         // reused: revision files are small, one allocation serves them all
};

void Scanner::walk(const QString &dir, bool recursive)
{
    const QString prefix = dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
    // The candidates' names as the folder lists them, one after another, each ended by a NUL (what fstatat
    // takes): they are sorted, stat'ed and looked up in the header cache as bytes, before any string is
    // built.
    struct Listed // 16 bytes: at 100,000 files every byte of it is 100 KB
    {
        quint64 key; // the eight bytes after the prefix all names share, big-endian: orders most pairs
        quint32 offset;
        quint16 length; // a name is at most NAME_MAX (255) bytes
        bool isSymLink;
    };
    QByteArray nameBytes;
    std::vector<Listed> listed;
    QStringList subdirs;
    bool allAscii = true;
    const auto add = [&](QByteArrayView raw, bool isDir, bool isSymLink) {
        if (isDir) {
            // os.walk does not follow symbolic links to directories.
            if (recursive && !isSymLink)
                subdirs.append(decodeName(raw));
        } else if (isCandidate(raw)) {
            allAscii = allAscii && std::all_of(raw.begin(), raw.end(),
                                               [](char c) { return static_cast<unsigned char>(c) < 0x80; });
            listed.push_back(Listed{0, quint32(nameBytes.size()), quint16(raw.size()), isSymLink});
            nameBytes.append(raw).append('\0');
        }
    };
    int dirFd = -1;
#ifdef Q_OS_UNIX
    // The entry type comes from readdir, so a listing costs no stat per file; the folder's descriptor then
    // serves the one stat per file the header cache needs.
    dirFd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (DIR *listing = dirFd >= 0 ? ::fdopendir(::dup(dirFd)) : nullptr) {
        while (const dirent *entry = ::readdir(listing)) {
            const char *raw = entry->d_name;
            if (raw[0] == '.' && (raw[1] == 0 || (raw[1] == '.' && raw[2] == 0)))
                continue;
            bool isDir = entry->d_type == DT_DIR;
            bool isSymLink = entry->d_type == DT_LNK;
            struct stat st;
            if (entry->d_type == DT_UNKNOWN && ::fstatat(dirFd, raw, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                isSymLink = S_ISLNK(st.st_mode);
                isDir = S_ISDIR(st.st_mode);
            }
            if (isSymLink)
                isDir = ::fstatat(dirFd, raw, &st, 0) == 0 && S_ISDIR(st.st_mode);
            add(QByteArrayView(raw), isDir, isSymLink);
        }
        ::closedir(listing);
    } else
#endif
    {
        QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
        while (it.hasNext()) {
            it.next();
            const QFileInfo info = it.fileInfo();
            add(QFile::encodeName(info.fileName()), info.isDir(), info.isSymLink());
        }
    }
    const auto nameOf = [&nameBytes](const Listed &file) {
        return QByteArrayView(nameBytes.constData() + file.offset, file.length);
    };
    // Python sorts the names by code point, which is also the byte order of their UTF-8: ASCII names (nearly
    // always) are sorted as listed. Names in a folder of revisions share long runs (a date, ids counting up),
    // so each is keyed by its eight bytes after the prefix they all share; only equal keys compare the rest.
    // At 10,000 names this made the sort a tenth of what comparing the decoded strings cost.
    if (allAscii) {
        qsizetype shared = listed.empty() ? 0 : listed.front().length;
        const QByteArrayView first = listed.empty() ? QByteArrayView() : nameOf(listed.front());
        for (const Listed &file : listed) {
            const QByteArrayView name = nameOf(file);
            qsizetype same = 0;
            const qsizetype limit = qMin(shared, name.size());
            while (same < limit && name[same] == first[same])
                ++same;
            shared = same;
        }
        for (Listed &file : listed) {
            const QByteArrayView name = nameOf(file);
            quint64 key = 0;
            for (qsizetype i = shared; i < shared + 8; ++i)
                key = (key << 8) | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0u);
            file.key = key;
        }
        std::sort(listed.begin(), listed.end(), [&nameOf, shared](const Listed &a, const Listed &b) {
            if (a.key != b.key)
                return a.key < b.key;
            return nameOf(a).sliced(shared) < nameOf(b).sliced(shared);
        });
    } else {
        std::vector<std::pair<QString, Listed>> decoded;
        decoded.reserve(listed.size());
        for (const Listed &file : listed)
            decoded.emplace_back(decodeName(nameOf(file)), file);
        std::sort(decoded.begin(), decoded.end(),
                  [](const auto &a, const auto &b) { return codePointLess(a.first, b.first); });
        for (size_t i = 0; i < decoded.size(); ++i)
            listed[i] = decoded[i].second;
    }
    // The full path of file `index`: the string its Revision keeps (shared), built as the file's turn comes
    // rather than all at once. Sized exactly: prefix + name would leave room to grow in a string every
    // revision keeps.
    const auto pathOf = [&](size_t index) {
        const QByteArrayView raw = nameOf(listed[index]);
        QString path;
        if (allAscii) {
            path.reserve(prefix.size() + raw.size());
            path.append(prefix).append(QLatin1StringView(raw));
        } else {
            const QString name = decodeName(raw);
            path.reserve(prefix.size() + name.size());
            path.append(prefix).append(name);
        }
        return path;
    };
    // Growing the list one revision at a time would move every Revision once per doubling.
    const qsizetype needed = m_result->revisions.size() + qsizetype(listed.size());
    if (m_result->revisions.capacity() < needed)
        m_result->revisions.reserve(qMax(needed, m_result->revisions.capacity() * 2));
    const QString canonicalDir = QFileInfo(dir).canonicalFilePath();
    m_cache->beginDirectory(dir);
    // A file is loaded once by its canonical path. Without building that path for every file: a folder
    // walked before (a location inside another) has all its candidates loaded, and files reached through a
    // symbolic link are remembered one by one.
    const bool walkedBefore = m_walkedDirs.contains(canonicalDir);
    // The header cache needs each file's stamp; without the cache nothing is stat'ed.
    std::optional<StampPreloader> stamps;
    if (m_cache->isEnabled() && !walkedBefore) {
        stamps.emplace(dirFd, listed.size(),
                       [&](size_t index) { return nameBytes.constData() + listed[index].offset; });
    }
    for (size_t i = 0; i < listed.size(); ++i) {
        const QString path = pathOf(i);
        const QStringView name = QStringView(path).sliced(prefix.size());
        bool duplicate = walkedBefore;
        QString canonical;
        if (listed[i].isSymLink) {
            canonical = QFileInfo(path).canonicalFilePath();
            if (canonical.isEmpty())
                canonical = path; // dangling: reading it reports the error
            const QFileInfo target(canonical);
            const QString targetName = target.fileName();
            const QString targetDir = target.path();
            // A sibling counts when it comes earlier in load order (it was loaded already).
            bool earlierSibling = false;
            for (size_t j = 0; j < i && targetDir == canonicalDir && !earlierSibling; ++j)
                earlierSibling = decodeName(nameOf(listed[j])) == targetName;
            duplicate = duplicate || m_linkedFiles.contains(canonical) ||
                        (isCandidate(QFile::encodeName(targetName)) &&
                         (m_walkedDirs.contains(targetDir) || earlierSibling));
            m_linkedFiles.insert(canonical);
        } else if (!duplicate && !m_linkedFiles.isEmpty()) {
            canonical = canonicalDir + u'/' + name.toString();
            duplicate = m_linkedFiles.contains(canonical);
        }
        if (duplicate) {
            if (canonical.isEmpty())
                canonical = canonicalDir + u'/' + name.toString();
            m_result->warnings.append(EngineError(
                u"File %1 loaded twice! ignoring. Please ensure version_locations is unique."_s.arg(
                    canonical),
                path, 0));
            continue;
        }
        parseFile(path, nameOf(listed[i]), stamps ? &*stamps : nullptr, i);
    }
    m_walkedDirs.insert(canonicalDir);
    stamps.reset(); // its thread uses the folder's descriptor
#ifdef Q_OS_UNIX
    if (dirFd >= 0)
        ::close(dirFd);
#endif
    std::sort(subdirs.begin(), subdirs.end(),
              [](const QString &a, const QString &b) { return codePointLess(a, b); });
    for (const QString &name : std::as_const(subdirs))
        walk(prefix + name, recursive);
}

// Into a reused buffer (ScriptText::readInto): one open, reads to the end, one close per file.
bool Scanner::readFile(const QString &path, QByteArray *content)
{
    const Expected<qsizetype> length = ScriptText::readInto(path, &m_buffer);
    if (!length) {
        m_readError = length.error().message();
        return false;
    }
    *content = QByteArray::fromRawData(m_buffer.constData(), *length);
    return true;
}

// A revision id, parent, label or dependency with a control character in it (a NUL, an escape sequence)
// would end up in SQL texts, messages and terminals as it is.
Expected<void> checkNames(const Revision &revision)
{
    const auto check = [&](const QString &what, const QStringList &names, int line) -> Expected<void> {
        for (const QString &name : names) {
            if (const QString problem = NameCheck::controlCharacter(name); !problem.isEmpty())
                return EngineError(
                    u"Invalid %1 '%2': it contains %3"_s.arg(what, NameCheck::printable(name), problem),
                    revision.path, line);
        }
        return {};
    };
    if (Expected<void> clean = check(u"revision id"_s, {revision.id}, revision.idLine); !clean)
        return clean;
    if (Expected<void> clean = check(u"down_revision"_s, revision.downRevisions, revision.downRevisionLine);
        !clean)
        return clean;
    if (Expected<void> clean = check(u"branch label"_s, revision.branchLabels, revision.branchLabelsLine);
        !clean)
        return clean;
    return check(u"depends_on entry"_s, revision.dependsOn, revision.dependsOnLine);
}

void Scanner::parseFile(const QString &path, QByteArrayView fileName, StampPreloader *stamps, size_t index)
{
    const std::optional<HeaderCache::Stamp> stamp = stamps ? stamps->stamp(index) : std::nullopt;
    if (stamp) {
        if (std::optional<Revision> cached = m_cache->find(fileName, *stamp, path)) {
            m_cache->keepFound();
            m_result->revisions.append(std::move(*cached));
            return;
        }
    }

    QByteArray content;
    if (!readFile(path, &content)) {
        m_result->errors.append(EngineError(u"Cannot read the file: %1"_s.arg(m_readError), path, 0));
        return;
    }

    const qsizetype warningsBefore = m_result->warnings.size();
    Expected<Revision> revision =
        path.endsWith(u".sql") ? SqlRevisionParser::parse(path, content)
                               : PythonRevisionParser::parse(path, content, &m_result->warnings, m_resolver);
    if (revision) {
        if (Expected<void> named = checkNames(*revision); !named) {
            m_result->errors.append(named.error());
            return;
        }
        revision->checksum = ScriptChecksum::digestOfContent(content);
        // A header that depends on other files (module constants, the project's Alembic) or came with a
        // warning is read again every time. The stamp must describe the bytes that were read: a file that
        // changed in between is simply not cached.
        if (stamp && !revision->hasFieldNotes() && m_result->warnings.size() == warningsBefore &&
            stamp->size == content.size())
            m_cache->record(fileName, *stamp, *revision);
        m_result->revisions.append(std::move(revision).value());
    } else
        m_result->errors.append(revision.error());
}

} // namespace

ScriptDirectory::ScanResult ScriptDirectory::scan(const QStringList &versionLocations, bool recursive,
                                                  ModuleConstantResolver *resolver)
{
    ScanResult result;
    ModuleConstantResolver standalone;
    HeaderCache cache(versionLocations, recursive);
    Scanner scanner(&result, resolver ? resolver : &standalone, &cache);
    for (const QString &location : versionLocations) {
        const QFileInfo info(location);
        if (!info.isDir())
            continue; // Alembic skips locations that do not exist
        scanner.walk(QDir::cleanPath(info.absoluteFilePath()), recursive);
    }
    cache.save();
    result.headersFromCache = cache.hits();
    return result;
}

Expected<ScriptDirectory> ScriptDirectory::load(const ProjectConfig &config)
{
    // A misspelt folder would otherwise read as a project without revisions, and "upgrade head" would
    // succeed on it doing nothing. Alembic refuses a missing script_location too, but skips missing
    // version_locations.
    const auto checkFolder = [&config](const QString &key, const QString &path, int line) -> Expected<void> {
        const QFileInfo info(path);
        if (info.isDir())
            return {};
        const QString shown = QDir::toNativeSeparators(path);
        const QString message = info.exists()
                                    ? u"The %1 %2 is not a folder"_s.arg(
                                          key == u"script_location"_s ? key : key + u" entry"_s, shown)
                                    : u"The %1 folder %2 does not exist"_s.arg(key, shown);
        return EngineError(message, config.iniPath(), line);
    };
    if (Expected<void> found =
            checkFolder(u"script_location"_s, config.scriptLocation(), config.scriptLocationLine());
        !found)
        return found.error();
    if (config.hasVersionLocations()) {
        for (const QString &location : config.versionLocations()) {
            if (Expected<void> found =
                    checkFolder(u"version_locations"_s, location, config.versionLocationsLine());
                !found)
                return found.error();
        }
    }
    ModuleConstantResolver resolver(QFileInfo(config.iniPath()).absolutePath(), config.scriptLocation());
    return load(config.versionLocations(), config.recursiveVersionLocations(), &resolver);
}

Expected<ScriptDirectory> ScriptDirectory::load(const QStringList &versionLocations, bool recursive,
                                                ModuleConstantResolver *resolver)
{
    ScanResult result = scan(versionLocations, recursive, resolver);
    if (!result.errors.isEmpty()) {
        EngineError first = result.errors.first();
        const qsizetype more = result.errors.size() - 1;
        if (more > 0) {
            first = EngineError(first.message() + (more == 1 ? u" (and 1 more error)"_s
                                                             : u" (and %1 more errors)"_s.arg(more)),
                                first.file(), first.line(), first.revision(), first.kind());
        }
        return first;
    }
    ScriptDirectory directory;
    directory.m_revisions = std::move(result.revisions);
    directory.m_warnings = std::move(result.warnings);
    directory.m_versionLocations = versionLocations;
    return directory;
}

} // namespace qmigrate
