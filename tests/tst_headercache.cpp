// SPDX-License-Identifier: MIT
// HeaderCache through ScriptDirectory::scan: what is served from the cache, what is read again, and that a
// broken or missing cache never changes a result. Each test has its own cache folder (XDG_CACHE_HOME).
#include "scripts/headercache.h"
#include "scripts/scriptdirectory.h"
#include "scripts/stamppreloader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

constexpr int kFiles = 6;
constexpr int kLargeFiles = int(StampPreloader::kThreadFrom) * 2 + 1;

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QString idOf(int n)
{
    return u"%1"_s.arg(n + 1, 12, 16, QLatin1Char('0'));
}

QByteArray sqlRevision(const QString &id, const QString &parent, const QString &table)
{
    return u"-- create %3\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Create Date: 2026-01-01 00:00:00\n\n"
           "-- migrate:upgrade\nCREATE TABLE %3 (id INTEGER PRIMARY KEY);\n\n"
           "-- migrate:downgrade\nDROP TABLE %3;\n"_s.arg(id, parent, table)
               .toUtf8();
}

QByteArray pythonRevision(const QString &id, const QString &parent)
{
    return u"\"\"\"step %1\n\nRevision ID: %1\nRevises: %2\nCreate Date: 2026-01-01 00:00:00\n\n\"\"\"\n"
           "revision = '%1'\ndown_revision = %3\nbranch_labels = ('lbl_%1',)\ndepends_on = None\n"_s
               .arg(id, parent, parent.isEmpty() ? u"None"_s : u'\'' + parent + u'\'')
               .toUtf8();
}

// A linear project of kFiles revisions, .sql and .py alternating.
void writeProject(const QString &dir)
{
    for (int n = 0; n < kFiles; ++n) {
        const QString id = idOf(n);
        const QString parent = n ? idOf(n - 1) : QString();
        const bool python = n % 2;
        QVERIFY(writeFile(u"%1/%2_step.%3"_s.arg(dir, id, python ? u"py"_s : u"sql"_s),
                          python ? pythonRevision(id, parent) : sqlRevision(id, parent, u"t_"_s + id)));
    }
}

QString describe(const Revision &r)
{
    return QStringList{r.id,
                       r.downRevisions.join(u','),
                       r.branchLabels.join(u','),
                       r.dependsOn.join(u','),
                       r.message,
                       QString::fromUtf8(r.createDate),
                       r.path,
                       r.checksum.toHex(),
                       QString::number(int(r.kind)),
                       u"%1 %2 %3 %4 %5 %6"_s.arg(r.idLine)
                           .arg(r.downRevisionLine)
                           .arg(r.branchLabelsLine)
                           .arg(r.dependsOnLine)
                           .arg(r.upgradeLine)
                           .arg(r.downgradeLine),
                       r.computedFields().join(u','),
                       r.unresolvedFields().join(u',')}
        .join(u'|');
}

QStringList describeAll(const ScriptDirectory::ScanResult &result)
{
    QStringList out;
    for (const Revision &revision : result.revisions)
        out.append(describe(revision));
    for (const EngineError &error : result.errors)
        out.append(u"error: "_s + error.toString());
    for (const EngineError &warning : result.warnings)
        out.append(u"warning: "_s + warning.toString());
    return out;
}

ScriptDirectory::ScanResult scanWithoutCache(const QString &dir)
{
    qputenv("QMIGRATE_NO_CACHE", "1");
    ScriptDirectory::ScanResult result = ScriptDirectory::scan({dir});
    qunsetenv("QMIGRATE_NO_CACHE");
    return result;
}

} // namespace

class TestHeaderCache : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void unchangedFilesAreServedFromTheCache();
    void changedFileIsReadAgainAlone();
    void addedRemovedAndRenamedFiles();
    void recentTimesAreNotTrusted();
    void unsavedScanLeavesTheCacheFile();
    void sameSizeEditInTheSameSecondIsSeen();
    void computedFieldsAndWarningsAreNotCached();
    void malformedFilesKeepTheirErrors();
    void brokenCacheFilesAreIgnored_data();
    void brokenCacheFilesAreIgnored();
    void unwritableCacheFolderIsSkipped();
    void noCacheEnvironmentVariable();
    void cacheFileIsPerProject();
    void encodedHeadersRoundTrip();
    void largeFolderIsStampedFromBothEnds();
    void stampPreloaderGivesWhatOneStatGives();

private:
    // A project written in initTestCase, old enough (HeaderCache::RacyMarginNs) for its stamps to be trusted.
    QString agedProject(const QString &name) const { return m_aged.filePath(name); }
    QString cacheFile(const QString &dir) const { return HeaderCache({dir}, false).filePath(); }

    QTemporaryDir m_aged;
    std::unique_ptr<QTemporaryDir> m_cacheHome;
};

void TestHeaderCache::initTestCase()
{
    QVERIFY(m_aged.isValid());
    for (const QString &name : {u"served"_s, u"changed"_s, u"added"_s, u"computed"_s, u"malformed"_s,
                                u"broken"_s, u"unwritable"_s, u"nocache"_s, u"other"_s}) {
        writeProject(agedProject(name));
    }
    // Enough files for the scan to stat from both ends of the listing at once (StampPreloader).
    for (int n = 0; n < kLargeFiles; ++n) {
        QVERIFY(writeFile(u"%1/%2_step.sql"_s.arg(agedProject(u"large"_s), idOf(n)),
                          sqlRevision(idOf(n), n ? idOf(n - 1) : QString(), u"t_"_s + idOf(n))));
    }
    QVERIFY(writeFile(agedProject(u"computed"_s) + u"/c1_const.py"_s,
                      "\"\"\"const\"\"\"\nPARENT = '000000000006'\nrevision = 'c1c1c1c1'\n"
                      "down_revision = PARENT\n"));
    QVERIFY(writeFile(agedProject(u"computed"_s) + u"/c2_call.py"_s,
                      "\"\"\"call\"\"\"\nimport helpers\nrevision = 'c2c2c2c2'\ndown_revision = 'c1c1c1c1'\n"
                      "depends_on = helpers.deps()\n"));
    QVERIFY(writeFile(agedProject(u"malformed"_s) + u"/zz_bad.sql"_s,
                      "-- bad\n--\n-- Revision ID: bad1\n\n-- migrate:upgrade\nSELECT 1;\n"));
    // Past the racy margin, with some room for a coarse clock.
    QThread::msleep(HeaderCache::RacyMarginNs / 1'000'000 + 300);
}

void TestHeaderCache::init()
{
    // Never the user's cache folder: QStandardPaths reads XDG_CACHE_HOME on every call.
    m_cacheHome = std::make_unique<QTemporaryDir>();
    QVERIFY(m_cacheHome->isValid());
    qputenv("XDG_CACHE_HOME", m_cacheHome->path().toUtf8());
    qunsetenv("QMIGRATE_NO_CACHE");
}

void TestHeaderCache::cleanupTestCase()
{
    m_cacheHome.reset();
}

void TestHeaderCache::unchangedFilesAreServedFromTheCache()
{
    const QString dir = agedProject(u"served"_s);
    const ScriptDirectory::ScanResult first = ScriptDirectory::scan({dir});
    QCOMPARE(first.revisions.size(), kFiles);
    QCOMPARE(first.headersFromCache, 0);
    QVERIFY(QFileInfo::exists(cacheFile(dir)));
    QVERIFY(cacheFile(dir).startsWith(m_cacheHome->path() + u"/qmigrate/"_s));

    // Every file is served from the cache and is exactly what reading it gives.
    const ScriptDirectory::ScanResult second = ScriptDirectory::scan({dir});
    QCOMPARE(second.headersFromCache, kFiles);
    QCOMPARE(describeAll(second), describeAll(first));
    QCOMPARE(describeAll(second), describeAll(scanWithoutCache(dir)));

    // Nothing changed, so the cache file is not written again.
    const QDateTime written = QFileInfo(cacheFile(dir)).lastModified();
    QThread::msleep(20);
    QCOMPARE(ScriptDirectory::scan({dir}).headersFromCache, kFiles);
    QCOMPARE(QFileInfo(cacheFile(dir)).lastModified(), written);
}

void TestHeaderCache::changedFileIsReadAgainAlone()
{
    const QString dir = agedProject(u"changed"_s);
    (void)ScriptDirectory::scan({dir});
    QCOMPARE(ScriptDirectory::scan({dir}).headersFromCache, kFiles);

    const QString path = u"%1/%2_step.sql"_s.arg(dir, idOf(2));
    QVERIFY(writeFile(path, sqlRevision(idOf(2), idOf(1), u"t_renamed_table"_s)));
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({dir});
    QCOMPARE(result.headersFromCache, kFiles - 1);
    QCOMPARE(describeAll(result), describeAll(scanWithoutCache(dir)));
    QCOMPARE(result.revisions.at(2).message, u"create t_renamed_table"_s);

    // That scan wrote the next file as it went: the entries kept before the changed file (held back until
    // then), the changed one, and those after it. All but the changed one, still too recent to be trusted,
    // are served from it.
    const ScriptDirectory::ScanResult again = ScriptDirectory::scan({dir});
    QCOMPARE(again.headersFromCache, kFiles - 1);
    QCOMPARE(describeAll(again), describeAll(result));
}

void TestHeaderCache::addedRemovedAndRenamedFiles()
{
    const QString dir = agedProject(u"added"_s);
    (void)ScriptDirectory::scan({dir});
    QCOMPARE(ScriptDirectory::scan({dir}).headersFromCache, kFiles);

    QVERIFY(QFile::remove(u"%1/%2_step.py"_s.arg(dir, idOf(5))));
    QVERIFY(QFile::rename(u"%1/%2_step.sql"_s.arg(dir, idOf(4)), u"%1/%2_moved.sql"_s.arg(dir, idOf(4))));
    QVERIFY(writeFile(dir + u"/new_rev.sql"_s, sqlRevision(u"aaaa0000"_s, idOf(4), u"t_new"_s)));
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({dir});
    QCOMPARE(result.revisions.size(), kFiles);
    QCOMPARE(result.headersFromCache, kFiles - 2);
    QCOMPARE(describeAll(result), describeAll(scanWithoutCache(dir)));
    QVERIFY(describeAll(result).join(u'\n').contains(u"/000000000005_moved.sql"_s));
}

// git's racy-timestamp rule, on the cache itself: the same stamp is trusted only when its times are older
// than the cache's write time by the margin.
void TestHeaderCache::recentTimesAreNotTrusted()
{
    const QString dir = m_cacheHome->filePath(u"project"_s);
    QVERIFY(QDir().mkpath(dir));
    const qint64 now = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    Revision revision;
    revision.id = u"abc"_s;
    revision.message = u"doc"_s;
    revision.checksum = Sha256Digest::fromHex(QString(64, u'a'));
    const HeaderCache::Stamp recent{10, now, now, 7};
    const HeaderCache::Stamp old{10, now - 3600'000'000'000, now - 3600'000'000'000, 8};
    {
        HeaderCache cache({dir}, false);
        QVERIFY(cache.isEnabled());
        cache.beginDirectory(dir);
        QVERIFY(!cache.find("recent.sql", recent, dir + u"/recent.sql"_s));
        cache.record("recent.sql", recent, revision);
        QVERIFY(!cache.find("old.sql", old, dir + u"/old.sql"_s));
        cache.record("old.sql", old, revision);
        cache.save();
    }
    HeaderCache cache({dir}, false);
    cache.beginDirectory(dir);
    QVERIFY(!cache.find("recent.sql", recent, dir + u"/recent.sql"_s));
    const std::optional<Revision> found = cache.find("old.sql", old, dir + u"/old.sql"_s);
    QVERIFY(found);
    QCOMPARE(describe(*found), describe([&] {
                 Revision expected = revision;
                 expected.path = dir + u"/old.sql"_s;
                 return expected;
             }()));
    // Any other stamp of the same file is a miss.
    for (HeaderCache::Stamp other : {HeaderCache::Stamp{11, old.mtimeNs, old.ctimeNs, old.inode},
                                     HeaderCache::Stamp{10, old.mtimeNs + 1, old.ctimeNs, old.inode},
                                     HeaderCache::Stamp{10, old.mtimeNs, old.ctimeNs + 1, old.inode},
                                     HeaderCache::Stamp{10, old.mtimeNs, old.ctimeNs, old.inode + 1}}) {
        HeaderCache again({dir}, false);
        again.beginDirectory(dir);
        QVERIFY(!again.find("old.sql", other, dir + u"/old.sql"_s));
    }
    QCOMPARE(cache.hits(), 1);
    QCOMPARE(cache.misses(), 1);
}

// A scan that does not finish (no save()) leaves the cache file as it was, though writing the next one began
// with the first header that had to be read.
void TestHeaderCache::unsavedScanLeavesTheCacheFile()
{
    const QString dir = m_cacheHome->filePath(u"unsaved"_s);
    QVERIFY(QDir().mkpath(dir));
    const qint64 old = QDateTime::currentMSecsSinceEpoch() * 1'000'000 - 3600'000'000'000;
    Revision revision;
    revision.id = u"abc"_s;
    revision.message = u"doc"_s;
    const HeaderCache::Stamp first{10, old, old, 7};
    const HeaderCache::Stamp second{20, old, old, 8};
    {
        HeaderCache cache({dir}, false);
        cache.beginDirectory(dir);
        cache.record("first.sql", first, revision);
        cache.save();
    }
    const QString path = cacheFile(dir);
    QFile saved(path);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray before = saved.readAll();
    saved.close();
    {
        HeaderCache cache({dir}, false);
        cache.beginDirectory(dir);
        QVERIFY(cache.find("first.sql", first, dir + u"/first.sql"_s));
        cache.keepFound();
        cache.record("second.sql", second, revision);
    }
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), before);
    QCOMPARE(QDir(QFileInfo(path).path()).entryList(QDir::Files), QStringList{QFileInfo(path).fileName()});
    HeaderCache cache({dir}, false);
    cache.beginDirectory(dir);
    QVERIFY(cache.find("first.sql", first, dir + u"/first.sql"_s));
    QVERIFY(!cache.find("second.sql", second, dir + u"/second.sql"_s));
}

// A file rewritten with the same size right after it was cached: on a file system with one-second
// timestamps its stamp would not change, so it must not be trusted, whatever this file system's precision.
void TestHeaderCache::sameSizeEditInTheSameSecondIsSeen()
{
    const QString dir = m_cacheHome->filePath(u"fresh"_s);
    writeProject(dir);
    const QString path = u"%1/%2_step.sql"_s.arg(dir, idOf(0));
    const QDateTime mtime = QFileInfo(path).lastModified();
    QCOMPARE(ScriptDirectory::scan({dir}).headersFromCache, 0);
    QVERIFY(QFileInfo::exists(cacheFile(dir)));
    QVERIFY(writeFile(path, sqlRevision(idOf(0), {}, u"t_"_s + u"zzzzzzzzzzzz"_s)));
    QCOMPARE(QFileInfo(path).size(), qint64(sqlRevision(idOf(0), {}, u"t_"_s + idOf(0)).size()));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(mtime, QFileDevice::FileModificationTime));
    }
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({dir});
    QCOMPARE(result.headersFromCache, 0);
    QCOMPARE(result.revisions.first().message, u"create t_zzzzzzzzzzzz"_s);
    QCOMPARE(describeAll(result), describeAll(scanWithoutCache(dir)));
}

void TestHeaderCache::computedFieldsAndWarningsAreNotCached()
{
    const QString dir = agedProject(u"computed"_s);
    const ScriptDirectory::ScanResult first = ScriptDirectory::scan({dir});
    QCOMPARE(first.revisions.size(), kFiles + 2);
    const ScriptDirectory::ScanResult second = ScriptDirectory::scan({dir});
    QCOMPARE(second.headersFromCache, kFiles);
    QCOMPARE(describeAll(second), describeAll(first));
    const QString constant = describe(second.revisions.at(kFiles));
    QVERIFY2(constant.contains(u"down_revision from "_s), qPrintable(constant));
    QCOMPARE(second.warnings.size(), 1);
    QVERIFY(second.warnings.first().message().contains(u"helpers.deps()"_s));
}

void TestHeaderCache::malformedFilesKeepTheirErrors()
{
    const QString dir = agedProject(u"malformed"_s);
    const ScriptDirectory::ScanResult first = ScriptDirectory::scan({dir});
    QCOMPARE(first.errors.size(), 1);
    const ScriptDirectory::ScanResult second = ScriptDirectory::scan({dir});
    QCOMPARE(second.headersFromCache, kFiles);
    QCOMPARE(describeAll(second), describeAll(first));
    QCOMPARE(second.errors.first().file(), dir + u"/zz_bad.sql"_s);
    QVERIFY(second.errors.first().line() > 0);
}

void TestHeaderCache::brokenCacheFilesAreIgnored_data()
{
    QTest::addColumn<QString>("damage");
    for (const char *damage :
         {"truncated", "flipped byte", "garbage", "empty", "foreign version", "directory"})
        QTest::newRow(damage) << QString::fromLatin1(damage);
}

void TestHeaderCache::brokenCacheFilesAreIgnored()
{
    QFETCH(QString, damage);
    const QString dir = agedProject(u"broken"_s);
    const QString expected = describeAll(scanWithoutCache(dir)).join(u'\n');
    (void)ScriptDirectory::scan({dir});
    const QString path = cacheFile(dir);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QByteArray bytes = file.readAll();
    file.close();
    QVERIFY(bytes.size() > 100);
    if (damage == u"truncated")
        bytes.chop(bytes.size() / 3);
    else if (damage == u"flipped byte")
        bytes[bytes.size() / 2] = char(bytes.at(bytes.size() / 2) ^ 0x20);
    else if (damage == u"garbage")
        bytes = QByteArray(4096, 'x');
    else if (damage == u"empty")
        bytes.clear();
    else if (damage == u"foreign version")
        bytes[4] = char(bytes.at(4) + 1);
    if (damage == u"directory") {
        QVERIFY(QFile::remove(path));
        QVERIFY(QDir().mkpath(path + u"/inside"_s));
    } else {
        QVERIFY(writeFile(path, bytes));
    }

    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({dir});
    QCOMPARE(result.headersFromCache, 0);
    QCOMPARE(result.errors.size(), 0);
    QCOMPARE(describeAll(result).join(u'\n'), expected);
    if (damage != u"directory") {
        // Written anew.
        const ScriptDirectory::ScanResult again = ScriptDirectory::scan({dir});
        QCOMPARE(again.headersFromCache, kFiles);
        QCOMPARE(describeAll(again).join(u'\n'), expected);
    }
}

void TestHeaderCache::unwritableCacheFolderIsSkipped()
{
    const QString dir = agedProject(u"unwritable"_s);
    // A file where the cache folder would be: no folder can be made there, even by root.
    const QString blocked = m_cacheHome->filePath(u"blocked"_s);
    QVERIFY(writeFile(blocked, "not a folder"));
    qputenv("XDG_CACHE_HOME", blocked.toUtf8());
    for (int run = 0; run < 2; ++run) {
        const ScriptDirectory::ScanResult result = ScriptDirectory::scan({dir});
        QCOMPARE(result.errors.size(), 0);
        QCOMPARE(result.warnings.size(), 0);
        QCOMPARE(result.headersFromCache, 0);
        QCOMPARE(result.revisions.size(), kFiles);
    }
}

void TestHeaderCache::noCacheEnvironmentVariable()
{
    const QString dir = agedProject(u"nocache"_s);
    qputenv("QMIGRATE_NO_CACHE", "1");
    QVERIFY(!HeaderCache({dir}, false).isEnabled());
    for (int run = 0; run < 2; ++run)
        QCOMPARE(ScriptDirectory::scan({dir}).headersFromCache, 0);
    qunsetenv("QMIGRATE_NO_CACHE");
    QVERIFY(!QFileInfo::exists(m_cacheHome->filePath(u"qmigrate"_s)));
}

void TestHeaderCache::cacheFileIsPerProject()
{
    const QString dir = agedProject(u"other"_s);
    QVERIFY(cacheFile(dir) != cacheFile(agedProject(u"served"_s)));
    QVERIFY(cacheFile(dir) != HeaderCache({dir}, true).filePath());
    // Another spelling of the same folder shares the cache.
    QCOMPARE(HeaderCache({dir + u"/../other/"_s}, false).filePath(), cacheFile(dir));
}

// Every field survives, with a checksum and without one, and no cut-off or extended entry decodes.
void TestHeaderCache::encodedHeadersRoundTrip()
{
    Revision full;
    full.kind = Revision::Kind::Python;
    full.id = u"4f2a"_s;
    full.downRevisions = {u"a1"_s, u"b2"_s};
    full.branchLabels = {u"réports"_s};
    full.dependsOn = {u"lib@head"_s};
    full.message = u"Add"_s;
    full.createDate = "2026-01-01 10:00:00";
    full.checksum =
        Sha256Digest::fromHex(u"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"_s);
    QVERIFY(!full.checksum.isNull());
    full.idLine = 9;
    full.downRevisionLine = 10;
    full.branchLabelsLine = 11;
    full.dependsOnLine = 12;
    full.upgradeLine = 13;
    full.downgradeLine = 40000;
    Revision odd = full; // no checksum (a revision just written), other text
    odd.kind = Revision::Kind::Sql;
    odd.message = u"other message"_s;
    odd.createDate = "yesterday \xc3\xa9";
    odd.checksum = Sha256Digest();
    for (Revision revision : {full, odd}) {
        revision.path = u"/p/x.py"_s;
        const QByteArray encoded = HeaderCache::encodeRevision(revision);
        const std::optional<Revision> decoded = HeaderCache::decodeRevision(encoded, revision.path);
        QVERIFY(decoded);
        QCOMPARE(describe(*decoded), describe(revision));
        for (qsizetype size = 0; size < encoded.size(); ++size)
            QVERIFY(!HeaderCache::decodeRevision(QByteArrayView(encoded).first(size), revision.path));
        QVERIFY(!HeaderCache::decodeRevision(encoded + "x", revision.path));
    }
}

void TestHeaderCache::largeFolderIsStampedFromBothEnds()
{
    const QString dir = agedProject(u"large"_s);
    const ScriptDirectory::ScanResult first = ScriptDirectory::scan({dir});
    QCOMPARE(first.revisions.size(), kLargeFiles);
    const ScriptDirectory::ScanResult second = ScriptDirectory::scan({dir});
    QCOMPARE(second.headersFromCache, kLargeFiles);
    QCOMPARE(describeAll(second), describeAll(scanWithoutCache(dir)));

    // Edits at the start, the middle and the end: whichever side stat'ed them, each is read again.
    for (const int n : {0, kLargeFiles / 2, kLargeFiles - 1}) {
        QVERIFY(writeFile(u"%1/%2_step.sql"_s.arg(dir, idOf(n)),
                          sqlRevision(idOf(n), n ? idOf(n - 1) : QString(), u"t_edited_"_s + idOf(n))));
    }
    const ScriptDirectory::ScanResult edited = ScriptDirectory::scan({dir});
    QCOMPARE(edited.headersFromCache, kLargeFiles - 3);
    QCOMPARE(describeAll(edited), describeAll(scanWithoutCache(dir)));
    QCOMPARE(edited.revisions.last().message, u"create t_edited_"_s + idOf(kLargeFiles - 1));
}

void TestHeaderCache::stampPreloaderGivesWhatOneStatGives()
{
    // Files, a folder and a missing name, more than enough for the second thread; asked for in order, as a
    // scan does, every answer is the one stat of that name.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QByteArray storage;
    QList<qsizetype> offsets;
    for (int n = 0; n < int(StampPreloader::kThreadFrom) * 3; ++n) {
        const QByteArray name = "f" + QByteArray::number(n) + ".sql";
        if (n % 97 == 5)
            QVERIFY(QDir(dir.path()).mkdir(QString::fromLatin1(name)));
        else if (n % 89 != 7)
            QVERIFY(writeFile(dir.filePath(QString::fromLatin1(name)), QByteArray(n % 50, 'x')));
        offsets.append(storage.size());
        storage.append(name).append('\0');
    }
    std::vector<QByteArrayView> names;
    for (const qsizetype offset : offsets)
        names.emplace_back(storage.constData() + offset, qstrlen(storage.constData() + offset));
    const int dirFd = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    QVERIFY(dirFd >= 0);
    int stamped = 0;
    {
        StampPreloader preloader(dirFd, names.size(), [&names](size_t index) { return names[index].data(); });
        // The first few as the thread starts, the rest once it has (nearly always) stat'ed them itself.
        for (size_t i = 0; i < names.size(); ++i) {
            if (i == 10)
                QThread::msleep(300);
            const std::optional<HeaderCache::Stamp> expected =
                StampPreloader::stampOf(dirFd, names[i].data());
            QVERIFY(preloader.stamp(i) == expected);
            stamped += expected.has_value();
        }
    }
    ::close(dirFd);
    QVERIFY(stamped > 0 && stamped < int(names.size()));
}

QTEST_GUILESS_MAIN(TestHeaderCache)
#include "tst_headercache.moc"
