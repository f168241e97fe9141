// SPDX-License-Identifier: MIT
#include "scripts/scriptdirectory.h"

#include "core/namecheck.h"

#include "config/projectconfig.h"
#include "scripts/moduleconstantresolver.h"
#include "scripts/pythonrevisionparser.h"
#include "scripts/scriptchecksum.h"
#include "scripts/sqlrevisionparser.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>
#include <optional>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
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

bool codePointLess(const QString &a, const QString &b)
{
    const qsizetype n = qMin(a.size(), b.size());
    const QChar *pa = a.constData();
    const QChar *pb = b.constData();
    for (qsizetype i = 0; i < n; ++i) {
        if (pa[i] != pb[i])
            return codePointOrderKey(pa[i].unicode()) < codePointOrderKey(pb[i].unicode());
    }
    return a.size() < b.size();
}

bool isCandidate(const QString &name)
{
    if (name.startsWith(u"__init__") || name.startsWith(u".#"))
        return false;
    return name.endsWith(u".sql") || name.endsWith(u".py");
}

class Scanner
{
public:
    Scanner(ScriptDirectory::ScanResult *result, ModuleConstantResolver *resolver)
        : m_result(result)
        , m_resolver(resolver)
    {}

    void walk(const QString &dir, bool recursive);

private:
    void parseFile(const QString &path, const QString &canonicalPath);
    bool readFile(const QString &path, QByteArray *content);

    ScriptDirectory::ScanResult *m_result;
    ModuleConstantResolver *m_resolver;
    QSet<QString> m_seen;
    QString m_readError; // why the last readFile() failed
    QByteArray m_buffer; // reused: revision files are small, one allocation serves them all
};

void Scanner::walk(const QString &dir, bool recursive)
{
    QStringList files;
    QStringList subdirs;
    QSet<QString> symlinks;
    // QDirIterator takes the entry type from readdir where it can, so no stat per file is needed here.
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString name = info.fileName();
        if (info.isDir()) {
            // os.walk does not follow symbolic links to directories.
            if (recursive && !info.isSymLink())
                subdirs.append(name);
        } else if (isCandidate(name)) {
            files.append(name);
            if (info.isSymLink())
                symlinks.insert(name);
        }
    }
    std::sort(files.begin(), files.end(), codePointLess);
    const QString canonicalDir = QFileInfo(dir).canonicalFilePath();
    const QString prefix = dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
    for (const QString &name : std::as_const(files)) {
        const QString path = prefix + name;
        QString canonical = canonicalDir + u'/' + name;
        if (symlinks.contains(name)) {
            canonical = QFileInfo(path).canonicalFilePath();
            if (canonical.isEmpty())
                canonical = path; // dangling: reading it reports the error
        }
        parseFile(path, canonical);
    }
    std::sort(subdirs.begin(), subdirs.end(), codePointLess);
    for (const QString &name : std::as_const(subdirs))
        walk(prefix + name, recursive);
}

// One open, reads until end of file into a reused buffer, one close: QFile would stat the file twice and
// seek once more per file, which at 10,000 revisions is most of the system calls of a project load.
bool Scanner::readFile(const QString &path, QByteArray *content)
{
    if (m_buffer.size() < 64 * 1024)
        m_buffer.resize(64 * 1024);
    qsizetype length = 0;
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        m_readError = qt_error_string(errno);
        return false;
    }
    for (;;) {
        if (length == m_buffer.size())
            m_buffer.resize(m_buffer.size() * 2);
        const ssize_t n = ::read(fd, m_buffer.data() + length, size_t(m_buffer.size() - length));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            // A directory or another unreadable entry named like a revision file (EISDIR).
            m_readError = qt_error_string(errno);
            ::close(fd);
            return false;
        }
        if (n == 0)
            break;
        length += n;
    }
    ::close(fd);
#else
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        m_readError = file.errorString();
        return false;
    }
    for (;;) {
        if (length == m_buffer.size())
            m_buffer.resize(m_buffer.size() * 2);
        const qint64 n = file.read(m_buffer.data() + length, m_buffer.size() - length);
        if (n < 0) {
            m_readError = file.errorString();
            return false;
        }
        if (n == 0)
            break;
        length += n;
    }
#endif
    *content = QByteArray::fromRawData(m_buffer.constData(), length);
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

void Scanner::parseFile(const QString &path, const QString &canonicalPath)
{
    if (m_seen.contains(canonicalPath)) {
        m_result->warnings.append(
            EngineError(u"File %1 loaded twice! ignoring. Please ensure version_locations is unique."_s.arg(
                            canonicalPath),
                        path, 0));
        return;
    }
    m_seen.insert(canonicalPath);

    QByteArray content;
    if (!readFile(path, &content)) {
        m_result->errors.append(EngineError(u"Cannot read the file: %1"_s.arg(m_readError), path, 0));
        return;
    }

    Expected<Revision> revision =
        path.endsWith(u".sql") ? SqlRevisionParser::parse(path, content)
                               : PythonRevisionParser::parse(path, content, &m_result->warnings, m_resolver);
    if (revision) {
        if (Expected<void> named = checkNames(*revision); !named) {
            m_result->errors.append(named.error());
            return;
        }
        revision->checksum = ScriptChecksum::checksumOfContent(content);
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
    Scanner scanner(&result, resolver ? resolver : &standalone);
    for (const QString &location : versionLocations) {
        const QFileInfo info(location);
        if (!info.isDir())
            continue; // Alembic skips locations that do not exist
        scanner.walk(QDir::cleanPath(info.absoluteFilePath()), recursive);
    }
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
