// SPDX-License-Identifier: MIT
// RevisionWriter and ProjectInitializer on real files: projects are written into a QTemporaryDir, new
// revisions are created, read back with SqlRevisionParser and the project reopened from disk.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "authoring/projectinitializer.h"
#include "authoring/revisionwriter.h"
#include "project/project.h"
#include "scripts/revisiondoc.h"
#include "scripts/sqlrevisionparser.h"

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

const QString exampleDir = QStringLiteral(QMIGRATE_SOURCE_DIR) + u"/migrations"_s;

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeText(const QString &path, const QString &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text.toUtf8()) >= 0;
}

// One revision line of a graph: "id parents labels deps" with "-" for an empty list, lists comma-separated.
QString revisionFile(const QString &line)
{
    const QStringList f = line.split(u' ', Qt::SkipEmptyParts);
    const auto field = [&](int i) {
        return f.value(i) == u"-"_s ? QString() : f.value(i).split(u',').join(u", "_s);
    };
    return u"-- revision %1\n--\n-- Revision ID: %1\n-- Revises: %2\n-- Branch labels: %3\n-- Depends on: "
           u"%4\n"
           u"-- Create Date: 2026-01-01 00:00:00\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n"_s.arg(
               f.value(0), field(1), field(2), field(3));
}

const QHash<QString, QStringList> &graphs()
{
    static const QHash<QString, QStringList> list = {
        {u"empty"_s, {}},
        {u"linear"_s, {u"aaaa1111 - - -"_s, u"bbbb2222 aaaa1111 - -"_s, u"cccc3333 bbbb2222 - -"_s}},
        // Two heads: bbbb2222 and cccc3333 (label feat), both on aaaa1111.
        {u"branched"_s, {u"aaaa1111 - - -"_s, u"bbbb2222 aaaa1111 - -"_s, u"cccc3333 aaaa1111 feat -"_s}},
    };
    return list;
}

struct ProjectOptions
{
    QString fileTemplate;
    QString truncateSlugLength;
    QString timezone;
};

// A native SQL project in dir: alembic.ini, the bundled template, versions/ with the graph's files.
bool makeProject(const QString &dir, const QString &graph, const ProjectOptions &options = {})
{
    QString ini = u"[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/t.db\n"_s;
    if (!options.fileTemplate.isEmpty())
        ini += u"file_template = "_s + options.fileTemplate + u'\n';
    if (!options.truncateSlugLength.isEmpty())
        ini += u"truncate_slug_length = "_s + options.truncateSlugLength + u'\n';
    if (!options.timezone.isEmpty())
        ini += u"timezone = "_s + options.timezone + u'\n';
    if (!writeText(dir + u"/alembic.ini"_s, ini) || !QDir().mkpath(dir + u"/versions"_s))
        return false;
    if (!QFile::copy(exampleDir + u"/script.sql.tmpl"_s, dir + u"/script.sql.tmpl"_s))
        return false;
    for (const QString &line : graphs().value(graph)) {
        const QString id = line.section(u' ', 0, 0);
        if (!writeText(dir + u"/versions/"_s + id + u"_rev.sql"_s, revisionFile(line)))
            return false;
    }
    return true;
}

QStringList versionFiles(const QString &dir)
{
    return QDir(dir + u"/versions"_s).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

Project openProject(const QString &dir)
{
    Expected<Project> project = Project::open(dir + u"/alembic.ini"_s);
    if (!project)
        qFatal("cannot open the test project: %s", qPrintable(project.error().toString()));
    return std::move(project.value());
}

// QVERIFY2 evaluates its message even when the check passes, so the error is only read when there is one.
template<typename T> QString errorText(const Expected<T> &result)
{
    return result ? QString() : result.error().toString();
}

} // namespace

class TstRevisionWriter : public QObject
{
    Q_OBJECT

private slots:
    void newRevisionIdFormat();
    void parents_data();
    void parents();
    void branchLabels();
    void dependsOn_data();
    void dependsOn();
    void slug_data();
    void slug();
    void fileName_data();
    void fileName();
    void fileNameFromIni();
    void createDate();
    void revId_data();
    void revId();
    void templateErrors_data();
    void templateErrors();
    void existingFileIsNotOverwritten();
    void bodiesAndMultilineMessage();
    void severalVersionLocations();
    void merge_data();
    void merge();
    void bundledTemplateIsTheInitTemplate();
    void initWritesAProject();
    void initRefuses_data();
    void initRefuses();
};

void TstRevisionWriter::newRevisionIdFormat()
{
    static const QRegularExpression hex12(u"^[0-9a-f]{12}$"_s);
    QSet<QString> seen;
    for (int i = 0; i < 200; ++i) {
        const QString id = RevisionWriter::newRevisionId();
        QVERIFY2(hex12.match(id).hasMatch(), qPrintable(id));
        seen.insert(id);
    }
    QCOMPARE(seen.size(), 200);

    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"linear"_s));
    NewRevision request;
    request.message = u"add devices table"_s;
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    QVERIFY2(written, qPrintable(errorText(written)));
    QVERIFY2(hex12.match(written->id).hasMatch(), qPrintable(written->id));
    QCOMPARE(QFileInfo(written->path).fileName(), written->id + u"_add_devices_table.sql"_s);
    QCOMPARE(QFileInfo(written->path).absolutePath(), QDir(dir.path()).filePath(u"versions"_s));
}

void TstRevisionWriter::parents_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("heads");
    QTest::addColumn<bool>("splice");
    QTest::addColumn<QStringList>("expectedParents");
    QTest::addColumn<QString>("expectedError");

    const QStringList none;
    QTest::newRow("empty project: a base")
        << u"empty"_s << QStringList{u"head"_s} << false << none << QString();
    QTest::newRow("linear: on the head")
        << u"linear"_s << QStringList{u"head"_s} << false << QStringList{u"cccc3333"_s} << QString();
    QTest::newRow("linear: head by prefix")
        << u"linear"_s << QStringList{u"cccc"_s} << false << QStringList{u"cccc3333"_s} << QString();
    QTest::newRow("linear: base makes a new root")
        << u"linear"_s << QStringList{u"base"_s} << false << none << QString();
    QTest::newRow("linear: not a head") << u"linear"_s << QStringList{u"bbbb"_s} << false << none
                                        << u"Revision bbbb2222 is not a head revision; please specify "
                                           u"--splice to create a new branch from this "
                                           u"revision"_s;
    QTest::newRow("linear: splice") << u"linear"_s << QStringList{u"bbbb"_s} << true
                                    << QStringList{u"bbbb2222"_s} << QString();
    QTest::newRow("linear: -1 is not a head") << u"linear"_s << QStringList{u"-1"_s} << false << none
                                              << u"Revision bbbb2222 is not a head revision"_s;
    QTest::newRow("linear: unknown") << u"linear"_s << QStringList{u"zzzz"_s} << false << none << u"zzzz"_s;
    QTest::newRow("branched: head is ambiguous")
        << u"branched"_s << QStringList{u"head"_s} << false << none
        << u"Multiple heads are present; please specify the head revision on which the new revision should "
           u"be "
           u"based, or perform a merge. Heads: bbbb2222, cccc3333 (feat)"_s;
    QTest::newRow("branched: label@head")
        << u"branched"_s << QStringList{u"feat@head"_s} << false << QStringList{u"cccc3333"_s} << QString();
    QTest::newRow("branched: heads merges") << u"branched"_s << QStringList{u"heads"_s} << false
                                            << QStringList{u"bbbb2222"_s, u"cccc3333"_s} << QString();
    QTest::newRow("branched: two heads, order kept")
        << u"branched"_s << QStringList{u"cccc"_s, u"bbbb"_s} << false
        << QStringList{u"cccc3333"_s, u"bbbb2222"_s} << QString();
    QTest::newRow("branched: duplicate") << u"branched"_s << QStringList{u"bbbb"_s, u"bbbb2222"_s} << false
                                         << none << u"Duplicate head revisions specified"_s;
    QTest::newRow("branched: branch point needs splice")
        << u"branched"_s << QStringList{u"aaaa"_s} << false << none << u"Revision aaaa1111 is not a head"_s;
}

void TstRevisionWriter::parents()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, heads);
    QFETCH(bool, splice);
    QFETCH(QStringList, expectedParents);
    QFETCH(QString, expectedError);

    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), graph));
    const QStringList before = versionFiles(dir.path());
    NewRevision request;
    request.message = u"next step"_s;
    request.heads = heads;
    request.splice = splice;
    request.revId = u"dddd4444"_s;
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    if (!expectedError.isEmpty()) {
        QVERIFY(!written);
        QVERIFY2(written.error().message().contains(expectedError), qPrintable(errorText(written)));
        QCOMPARE(written.error().kind(), EngineError::Kind::Usage);
        QCOMPARE(versionFiles(dir.path()), before);
        return;
    }
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(written->id, u"dddd4444"_s);
    QCOMPARE(written->downRevisions, expectedParents);
    QCOMPARE(versionFiles(dir.path()), QStringList(before) << u"dddd4444_next_step.sql"_s);

    // The file on disk reads back as the revision, and the reopened project has it as a head.
    Expected<Revision> parsed = SqlRevisionParser::parse(written->path, readBytes(written->path));
    QVERIFY2(parsed, qPrintable(errorText(parsed)));
    QCOMPARE(parsed->id, u"dddd4444"_s);
    QCOMPARE(parsed->downRevisions, expectedParents);
    QCOMPARE(parsed->message, u"next step"_s);
    QVERIFY(parsed->branchLabels.isEmpty());
    QVERIFY(parsed->dependsOn.isEmpty());
    const Project reopened = openProject(dir.path());
    const int index = reopened.map().indexOf(u"dddd4444"_s);
    QVERIFY(index >= 0);
    QVERIFY(reopened.map().isHead(index));
    QCOMPARE(reopened.map().revision(index).path, written->path);
}

void TstRevisionWriter::branchLabels()
{
    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"branched"_s));
    const QStringList before = versionFiles(dir.path());

    NewRevision clash;
    clash.message = u"more feature"_s;
    clash.heads = {u"bbbb"_s};
    clash.branchLabels = {u"feat"_s};
    clash.revId = u"dddd4444"_s;
    Expected<Revision> refused = RevisionWriter::create(openProject(dir.path()), clash);
    QVERIFY(!refused);
    QCOMPARE(refused.error().message(),
             u"Branch name 'feat' in revision dddd4444 already used by revision cccc3333"_s);
    QCOMPARE(refused.error().file(), QDir(dir.path()).filePath(u"versions/cccc3333_rev.sql"_s));
    QCOMPARE(refused.error().line(), 5);
    QCOMPARE(versionFiles(dir.path()), before);

    clash.branchLabels = {u"two words"_s};
    refused = RevisionWriter::create(openProject(dir.path()), clash);
    QVERIFY(!refused);
    QVERIFY2(refused.error().message().contains(u"not valid"_s), qPrintable(errorText(refused)));

    NewRevision labelled = clash;
    labelled.branchLabels = {u"audit"_s, u"ops"_s};
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), labelled);
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(written->branchLabels, (QStringList{u"audit"_s, u"ops"_s}));
    QVERIFY(QString::fromUtf8(readBytes(written->path)).contains(u"\n-- Branch labels: audit, ops\n"_s));
    const Project reopened = openProject(dir.path());
    QCOMPARE(reopened.map().labelOwner(u"ops"_s), reopened.map().indexOf(u"dddd4444"_s));
    QCOMPARE(reopened.map().resolve(u"audit@head"_s).value(),
             QList<int>{reopened.map().indexOf(u"dddd4444"_s)});
}

void TstRevisionWriter::dependsOn_data()
{
    QTest::addColumn<QStringList>("dependsOn");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("prefix becomes the full id")
        << QStringList{u"bbbb"_s} << QStringList{u"bbbb2222"_s} << QString();
    // Alembic keeps a label as the label text (generate_revision: "maintain branch labels").
    QTest::newRow("label stays a label") << QStringList{u"feat"_s} << QStringList{u"feat"_s} << QString();
    QTest::newRow("two, duplicates dropped") << QStringList{u"bbbb2222"_s, u"feat"_s, u"bbbb"_s}
                                             << QStringList{u"bbbb2222"_s, u"feat"_s} << QString();
    QTest::newRow("unknown") << QStringList{u"nosuch"_s} << QStringList() << u"nosuch"_s;
    QTest::newRow("base names nothing") << QStringList{u"base"_s} << QStringList() << u"names no revision"_s;
}

void TstRevisionWriter::dependsOn()
{
    QFETCH(QStringList, dependsOn);
    QFETCH(QStringList, expected);
    QFETCH(QString, expectedError);

    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"branched"_s));
    const QStringList before = versionFiles(dir.path());
    NewRevision request;
    request.message = u"audit base"_s;
    request.heads = {u"base"_s};
    request.dependsOn = dependsOn;
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    if (!expectedError.isEmpty()) {
        QVERIFY(!written);
        QVERIFY2(written.error().message().contains(expectedError), qPrintable(errorText(written)));
        QCOMPARE(versionFiles(dir.path()), before);
        return;
    }
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(written->dependsOn, expected);
    QVERIFY(written->downRevisions.isEmpty());
    const Project reopened = openProject(dir.path());
    const int index = reopened.map().indexOf(written->id);
    QCOMPARE(reopened.map().revision(index).dependsOn, expected);
    QVERIFY(!reopened.map().dependencies(index).empty());
}

void TstRevisionWriter::slug_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("truncate");
    QTest::addColumn<QString>("expected");

    // Expected values computed with Alembic 1.8.1's rule (_slug_re = \w+, rsplit("_", 1)[0] + "_").
    const QString longMessage =
        u"This is a VERY long message, that should definitely be truncated somewhere!"_s;
    QTest::newRow("alembic example") << longMessage << 40 << u"this_is_a_very_long_message_that_should_"_s;
    QTest::newRow("alembic example, 10") << longMessage << 10 << u"this_is_a_"_s;
    QTest::newRow("no underscore to cut at")
        << u"abcdefghij"_s.repeated(5) << 40 << u"abcdefghijabcdefghijabcdefghijabcdefghij_"_s;
    QTest::newRow("unicode words") << u"Café: naïve ünïcode & stuff"_s << 40 << u"café_naïve_ünïcode_stuff"_s;
    QTest::newRow("unicode, 10") << u"Café: naïve ünïcode & stuff"_s << 10 << u"café_"_s;
    QTest::newRow("underscores are word characters")
        << u"  leading  spaces--and__under_scores "_s << 40 << u"leading_spaces_and__under_scores"_s;
    QTest::newRow("exactly the limit") << u"exactly forty characters long message ab"_s << 40
                                       << u"exactly_forty_characters_long_message_ab"_s;
    QTest::newRow("zero means 40") << longMessage << 0 << u"this_is_a_very_long_message_that_should_"_s;
    QTest::newRow("empty") << QString() << 40 << QString();
}

void TstRevisionWriter::slug()
{
    QFETCH(QString, message);
    QFETCH(int, truncate);
    QFETCH(QString, expected);
    QCOMPARE(RevisionWriter::slug(message, truncate), expected);
}

void TstRevisionWriter::fileName_data()
{
    QTest::addColumn<QString>("fileTemplate");
    QTest::addColumn<QString>("expected");

    // Expected values are Python's "template % tokens" for 2026-03-07 09:05:03 UTC.
    QTest::newRow("default") << u"%(rev)s_%(slug)s"_s << u"abc123def456_add_x.sql"_s;
    QTest::newRow("dated (Alembic docs)")
        << u"%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s"_s
        << u"2026_03_07_0905-abc123def456_add_x.sql"_s;
    QTest::newRow("epoch") << u"%(epoch)s_%(rev)s"_s << u"1772874303_abc123def456.sql"_s;
    QTest::newRow("precision on text") << u"%(slug)s-%(rev).4s"_s << u"add_x-abc1.sql"_s;
    QTest::newRow("zero padding, literal percent")
        << u"%(second)03d_%(rev)s_%%"_s << u"003_abc123def456_%.sql"_s;
    QTest::newRow("unknown token") << u"%(revision)s"_s << QString();
    QTest::newRow("number format on text") << u"%(rev)d"_s << QString();
    QTest::newRow("lone percent") << u"%(rev)s_50%"_s << QString();
}

void TstRevisionWriter::fileName()
{
    QFETCH(QString, fileTemplate);
    QFETCH(QString, expected);
    const QDateTime date(QDate(2026, 3, 7), QTime(9, 5, 3), QTimeZone::utc());
    Expected<QString> name = RevisionWriter::fileName(fileTemplate, u"abc123def456"_s, u"add_x"_s, date);
    if (expected.isEmpty()) {
        QVERIFY(!name);
        QVERIFY2(name.error().message().contains(u"file_template"_s), qPrintable(errorText(name)));
        return;
    }
    QVERIFY2(name, qPrintable(errorText(name)));
    QCOMPARE(*name, expected);
}

void TstRevisionWriter::fileNameFromIni()
{
    QTemporaryDir dir;
    // In the ini, % is written %% (configparser interpolation), as Alembic's own alembic.ini does.
    QVERIFY(makeProject(dir.path(), u"linear"_s,
                        {u"%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s"_s, u"10"_s, u"UTC"_s}));
    NewRevision request;
    request.message = u"This is a VERY long message, that should definitely be truncated somewhere!"_s;
    request.revId = u"5555eeee"_s;
    request.createDate = QDateTime(QDate(2026, 3, 7), QTime(23, 30, 0), QTimeZone::utc());
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(QFileInfo(written->path).fileName(), u"2026_03_07_5555eeee_this_is_a_.sql"_s);

    // A bad file_template names the ini file, and nothing is written.
    QTemporaryDir bad;
    QVERIFY(makeProject(bad.path(), u"linear"_s, {u"%%(nope)s"_s, {}, {}}));
    const QStringList before = versionFiles(bad.path());
    Expected<Revision> refused = RevisionWriter::create(openProject(bad.path()), request);
    QVERIFY(!refused);
    QCOMPARE(refused.error().file(), QDir(bad.path()).filePath(u"alembic.ini"_s));
    QVERIFY2(refused.error().message().contains(u"unknown token 'nope'"_s), qPrintable(errorText(refused)));
    QCOMPARE(versionFiles(bad.path()), before);
}

void TstRevisionWriter::createDate()
{
    QCOMPARE(RevisionWriter::createDateText(QDateTime(QDate(2026, 3, 7), QTime(9, 5, 3, 250)), false),
             u"2026-03-07 09:05:03.250000"_s);
    QCOMPARE(RevisionWriter::createDateText(QDateTime(QDate(2026, 3, 7), QTime(9, 5, 3)), false),
             u"2026-03-07 09:05:03"_s);
    QCOMPARE(RevisionWriter::createDateText(
                 QDateTime(QDate(2026, 3, 7), QTime(9, 5, 3), QTimeZone(QByteArrayLiteral("Europe/Berlin"))),
                 true),
             u"2026-03-07 09:05:03+01:00"_s);

    // timezone = in the ini: that zone's time with its offset, as Alembic writes it.
    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"empty"_s, {{}, {}, u"Asia/Kolkata"_s}));
    NewRevision request;
    request.createDate = QDateTime(QDate(2026, 3, 7), QTime(9, 5, 3), QTimeZone::utc());
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(written->createDate, "2026-03-07 14:35:03+05:30");
    QCOMPARE(written->message, u"empty message"_s);
    QCOMPARE(QFileInfo(written->path).fileName(), written->id + u"_.sql"_s);

    QTemporaryDir badZone;
    QVERIFY(makeProject(badZone.path(), u"empty"_s, {{}, {}, u"Mars/Olympus"_s}));
    Expected<Revision> refused = RevisionWriter::create(openProject(badZone.path()), request);
    QVERIFY(!refused);
    QCOMPARE(refused.error().message(), u"Can't locate timezone: Mars/Olympus"_s);
    QVERIFY(versionFiles(badZone.path()).isEmpty());
}

void TstRevisionWriter::revId_data()
{
    QTest::addColumn<QString>("revId");
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("short id is fine") << u"ab1"_s << QString();
    QTest::newRow("illegal character")
        << u"ab-cd"_s << u"Character(s) '-' not allowed in revision identifier 'ab-cd'"_s;
    QTest::newRow("whitespace") << u"ab cd"_s << u"contains whitespace"_s;
    QTest::newRow("too long") << u"a"_s.repeated(33) << u"a"_s.repeated(33);
    QTest::newRow("existing") << u"bbbb2222"_s << u"Revision bbbb2222 already exists"_s;
}

void TstRevisionWriter::revId()
{
    QFETCH(QString, revId);
    QFETCH(QString, expectedError);
    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"linear"_s));
    const QStringList before = versionFiles(dir.path());
    NewRevision request;
    request.message = u"x"_s;
    request.revId = revId;
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    if (expectedError.isEmpty()) {
        QVERIFY2(written, qPrintable(errorText(written)));
        QCOMPARE(written->id, revId);
        QVERIFY(openProject(dir.path()).map().indexOf(revId) >= 0);
        return;
    }
    QVERIFY(!written);
    QVERIFY2(written.error().message().contains(expectedError), qPrintable(errorText(written)));
    QCOMPARE(versionFiles(dir.path()), before);
}

void TstRevisionWriter::templateErrors_data()
{
    QTest::addColumn<QString>("templateText"); // null: no template file at all
    QTest::addColumn<int>("expectedLine");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("missing template") << QString() << 0 << u"Cannot read the revision template"_s;
    QTest::newRow("unknown placeholder")
        << u"-- ${message}\n--\n-- Revision ID: ${up_revision}\n-- Revises: ${down_revison}\n"_s << 4
        << u"Unknown placeholder '${down_revison}'"_s;
    QTest::newRow("unclosed placeholder")
        << u"-- ${message}\n--\n-- Revision ID: ${up_revision\n"_s << 3 << u"Unclosed '${'"_s;
    QTest::newRow("no markers: does not parse")
        << u"-- ${message}\n--\n-- Revision ID: ${up_revision}\n-- Revises: ${down_revision}\n"_s << 0
        << u"does not parse"_s;
    QTest::newRow("parents dropped: does not read back")
        << u"-- ${message}\n--\n-- Revision ID: ${up_revision}\n\n-- migrate:upgrade\n-- migrate:downgrade\n"_s
        << 0 << u"Revises is '', expected 'cccc3333'"_s;
}

void TstRevisionWriter::templateErrors()
{
    QFETCH(QString, templateText);
    QFETCH(int, expectedLine);
    QFETCH(QString, expectedError);

    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"linear"_s));
    const QString templatePath = QDir(dir.path()).filePath(u"script.sql.tmpl"_s);
    QVERIFY(QFile::remove(templatePath));
    if (!templateText.isNull())
        QVERIFY(writeText(templatePath, templateText));
    const QStringList before = versionFiles(dir.path());
    NewRevision request;
    request.message = u"x"_s;
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    QVERIFY(!written);
    QVERIFY2(written.error().message().contains(expectedError), qPrintable(errorText(written)));
    QCOMPARE(written.error().file(), templatePath);
    QCOMPARE(written.error().line(), expectedLine);
    QCOMPARE(versionFiles(dir.path()), before);
}

void TstRevisionWriter::existingFileIsNotOverwritten()
{
    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"linear"_s));
    const QString target = QDir(dir.path()).filePath(u"versions/dddd4444_taken.sql"_s);
    QVERIFY(writeText(target, u"not a revision, and not to be touched\n"_s));
    const QStringList before = versionFiles(dir.path());
    NewRevision request;
    request.message = u"taken"_s;
    request.revId = u"dddd4444"_s;
    // The stray file is no revision (the project would not open), so it appears after the project is read.
    QVERIFY(QFile::remove(target));
    const Project project = openProject(dir.path());
    QVERIFY(writeText(target, u"not a revision, and not to be touched\n"_s));
    Expected<Revision> written = RevisionWriter::create(project, request);
    QVERIFY(!written);
    QCOMPARE(written.error().file(), target);
    QVERIFY2(written.error().message().contains(u"already exists"_s), qPrintable(errorText(written)));
    QCOMPARE(readBytes(target), QByteArray("not a revision, and not to be touched\n"));
    QCOMPARE(versionFiles(dir.path()), before);
}

void TstRevisionWriter::bodiesAndMultilineMessage()
{
    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"linear"_s));
    NewRevision request;
    request.message = u"add notes to devices\n\nThe support team asked for free text."_s;
    request.upgradeSql = u"ALTER TABLE devices ADD COLUMN notes TEXT;"_s;
    request.downgradeSql = u"ALTER TABLE devices DROP COLUMN notes;\n"_s;
    Expected<Revision> written = RevisionWriter::create(openProject(dir.path()), request);
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(written->message, u"add notes to devices"_s);
    // The returned revision carries the written file's checksum, so its doc reads back from the file.
    const Expected<QString> doc = RevisionDoc::read(*written);
    QVERIFY2(doc, qPrintable(errorText(doc)));
    QVERIFY2(doc->startsWith(u"add notes to devices\n\nThe support team asked for free text.\n\n"_s),
             qPrintable(*doc));
    RevisionSections sections;
    QVERIFY(SqlRevisionParser::parse(written->path, readBytes(written->path), &sections));
    QCOMPARE(sections.upgrade().trimmed(), u"ALTER TABLE devices ADD COLUMN notes TEXT;"_s);
    QCOMPARE(sections.downgrade().trimmed(), u"ALTER TABLE devices DROP COLUMN notes;"_s);
    QCOMPARE(QFileInfo(written->path).fileName(),
             written->id + u"_add_notes_to_devices_the_support_team_.sql"_s);
    const QString text = QString::fromUtf8(readBytes(written->path));
    QVERIFY2(
        text.startsWith(u"-- add notes to devices\n--\n-- The support team asked for free text.\n--\n"_s),
        qPrintable(text));

    // A template without ${upgrades} cannot take generated SQL.
    const QString templatePath = QDir(dir.path()).filePath(u"script.sql.tmpl"_s);
    QVERIFY(writeText(templatePath, u"-- ${message}\n--\n-- Revision ID: ${up_revision}\n-- Revises: "
                                    u"${down_revision}\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n"_s));
    const QStringList before = versionFiles(dir.path());
    Expected<Revision> refused = RevisionWriter::create(openProject(dir.path()), request);
    QVERIFY(!refused);
    QCOMPARE(refused.error().file(), templatePath);
    QVERIFY2(refused.error().message().contains(u"${upgrades}"_s), qPrintable(errorText(refused)));
    QCOMPARE(versionFiles(dir.path()), before);
}

void TstRevisionWriter::severalVersionLocations()
{
    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), u"empty"_s));
    QVERIFY(writeText(dir.path() + u"/alembic.ini"_s,
                      u"[alembic]\nscript_location = %(here)s\nversion_path_separator = space\n"
                      u"version_locations = %(here)s/trunk %(here)s/side\n"_s));
    QVERIFY(writeText(dir.path() + u"/trunk/aaaa1111_rev.sql"_s, revisionFile(u"aaaa1111 - - -"_s)));
    QVERIFY(writeText(dir.path() + u"/side/ssss1111_rev.sql"_s, revisionFile(u"ssss1111 - side -"_s)));
    const Project project = openProject(dir.path());

    // As Alembic: the first parent's directory.
    NewRevision request;
    request.message = u"on the side"_s;
    request.heads = {u"side@head"_s};
    Expected<Revision> written = RevisionWriter::create(project, request);
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(QFileInfo(written->path).absolutePath(), QDir::cleanPath(dir.path() + u"/side"_s));

    request.heads = {u"base"_s};
    Expected<Revision> refused = RevisionWriter::create(project, request);
    QVERIFY(!refused);
    QCOMPARE(refused.error().message(),
             u"Multiple version locations present, please specify --version-path"_s);

    request.versionPath = dir.path() + u"/elsewhere"_s;
    refused = RevisionWriter::create(project, request);
    QVERIFY(!refused);
    QCOMPARE(refused.error().message(),
             u"Path %1/elsewhere is not represented in current version locations"_s.arg(dir.path()));
    QVERIFY(!QFileInfo::exists(dir.path() + u"/elsewhere"_s));

    request.versionPath = dir.path() + u"/trunk"_s;
    written = RevisionWriter::create(project, request);
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(QFileInfo(written->path).absolutePath(), QDir::cleanPath(dir.path() + u"/trunk"_s));
    QCOMPARE(openProject(dir.path()).map().heads().size(), 3);
}

void TstRevisionWriter::merge_data()
{
    QTest::addColumn<QString>("graph");
    QTest::addColumn<QStringList>("revisions");
    QTest::addColumn<QStringList>("expectedParents");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("heads") << u"branched"_s << QStringList{u"heads"_s}
                           << QStringList{u"bbbb2222"_s, u"cccc3333"_s} << QString();
    QTest::newRow("given order") << u"branched"_s << QStringList{u"feat@head"_s, u"bbbb"_s}
                                 << QStringList{u"cccc3333"_s, u"bbbb2222"_s} << QString();
    QTest::newRow("one head only")
        << u"linear"_s << QStringList{u"heads"_s} << QStringList()
        << u"A merge needs at least two distinct revisions; 'heads' gives cccc3333"_s;
    QTest::newRow("same twice") << u"branched"_s << QStringList{u"bbbb"_s, u"bbbb"_s} << QStringList()
                                << u"Duplicate head revisions specified"_s;
    QTest::newRow("not a head") << u"branched"_s << QStringList{u"aaaa"_s, u"bbbb"_s} << QStringList()
                                << u"Revision aaaa1111 is not a head revision"_s;
}

void TstRevisionWriter::merge()
{
    QFETCH(QString, graph);
    QFETCH(QStringList, revisions);
    QFETCH(QStringList, expectedParents);
    QFETCH(QString, expectedError);

    QTemporaryDir dir;
    QVERIFY(makeProject(dir.path(), graph));
    const QStringList before = versionFiles(dir.path());
    Expected<Revision> written = RevisionWriter::merge(openProject(dir.path()), revisions,
                                                       u"merge branches"_s, {u"joined"_s}, u"eeee5555"_s);
    if (!expectedError.isEmpty()) {
        QVERIFY(!written);
        QVERIFY2(written.error().message().contains(expectedError), qPrintable(errorText(written)));
        QCOMPARE(versionFiles(dir.path()), before);
        return;
    }
    QVERIFY2(written, qPrintable(errorText(written)));
    QCOMPARE(written->downRevisions, expectedParents);
    QCOMPARE(written->branchLabels, QStringList{u"joined"_s});
    const Project reopened = openProject(dir.path());
    const int index = reopened.map().indexOf(u"eeee5555"_s);
    QVERIFY(reopened.map().isMergePoint(index));
    QCOMPARE(reopened.map().heads(), QList<int>{index});
}

void TstRevisionWriter::bundledTemplateIsTheInitTemplate()
{
    const QString bundled = ProjectInitializer::templateText(u"script.sql.tmpl"_s);
    QVERIFY(!bundled.isEmpty());
    QCOMPARE(bundled, QString::fromUtf8(readBytes(exampleDir + u"/script.sql.tmpl"_s)));
    for (const QString &name : {u"alembic.ini.tmpl"_s, u"schema.sql.tmpl"_s, u"README.md.tmpl"_s})
        QVERIFY2(!ProjectInitializer::templateText(name).isEmpty(), qPrintable(name));
}

void TstRevisionWriter::initWritesAProject()
{
    QTemporaryDir parent;
    const QString dir = parent.path() + u"/new/project"_s;
    Expected<ProjectInitializer::Result> result = ProjectInitializer::init(dir);
    QVERIFY2(result, qPrintable(errorText(result)));
    QCOMPARE(result->createdDirectories, (QStringList{parent.path() + u"/new"_s, dir, dir + u"/versions"_s}));
    QCOMPARE(result->iniPath, dir + u"/alembic.ini"_s);
    QCOMPARE(result->writtenFiles,
             (QStringList{dir + u"/alembic.ini"_s, dir + u"/script.sql.tmpl"_s, dir + u"/schema.sql"_s,
                          dir + u"/README.md"_s, dir + u"/versions/.gitkeep"_s}));
    const QString ini = QString::fromUtf8(readBytes(dir + u"/alembic.ini"_s));
    QVERIFY(ini.contains(u"DB_HOST"_s));
    QVERIFY(ini.contains(u"file_template = %%(rev)s_%%(slug)s"_s));
    QVERIFY(QString::fromUtf8(readBytes(dir + u"/README.md"_s)).contains(u"qmigrate-cli create"_s));

    // The new project opens with the URL and naming it announces, and takes revisions.
    Expected<Project> project = Project::open(dir + u"/alembic.ini"_s, u"alembic"_s, QProcessEnvironment());
    QVERIFY2(project, qPrintable(errorText(project)));
    QVERIFY(project->map().isEmpty());
    QCOMPARE(project->config().scriptLocation(), dir);
    QCOMPARE(project->config().urlText(), u"sqlite:///"_s + dir + u"/app.db"_s);
    NewRevision request;
    request.message = u"create devices table"_s;
    Expected<Revision> first = RevisionWriter::create(*project, request);
    QVERIFY2(first, qPrintable(errorText(first)));
    request.message = u"add email"_s;
    Expected<Revision> second = RevisionWriter::create(openProject(dir), request);
    QVERIFY2(second, qPrintable(errorText(second)));
    QCOMPARE(second->downRevisions, QStringList{first->id});
    const Project reopened = openProject(dir);
    QCOMPARE(reopened.map().size(), 2);
    QCOMPARE(reopened.map().heads(), QList<int>{reopened.map().indexOf(second->id)});
}

void TstRevisionWriter::initRefuses_data()
{
    QTest::addColumn<QString>("existing"); // created in the directory before init
    QTest::addColumn<QString>("expectedError");
    QTest::newRow("alembic.ini") << u"alembic.ini"_s << u"already holds a project (alembic.ini present)"_s;
    QTest::newRow("versions/") << u"versions/"_s << u"already holds a project (versions present)"_s;
    QTest::newRow("README.md") << u"README.md"_s << u"already has README.md"_s;
}

void TstRevisionWriter::initRefuses()
{
    QFETCH(QString, existing);
    QFETCH(QString, expectedError);
    QTemporaryDir dir;
    if (existing.endsWith(u'/'))
        QVERIFY(QDir(dir.path()).mkdir(existing.chopped(1)));
    else
        QVERIFY(writeText(dir.path() + u'/' + existing, u"mine\n"_s));
    const QStringList before =
        QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    Expected<ProjectInitializer::Result> result = ProjectInitializer::init(dir.path());
    QVERIFY(!result);
    QVERIFY2(result.error().message().contains(expectedError), qPrintable(errorText(result)));
    QCOMPARE(result.error().file(), QDir::cleanPath(dir.path()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), before);
    if (!existing.endsWith(u'/'))
        QCOMPARE(readBytes(dir.path() + u'/' + existing), QByteArray("mine\n"));

    if (!existing.endsWith(u'/')) {
        // A file where the directory should be.
        Expected<ProjectInitializer::Result> onFile = ProjectInitializer::init(dir.path() + u'/' + existing);
        QVERIFY(!onFile);
        QCOMPARE(onFile.error().message(), u"Not a directory"_s);
    }
}

QTEST_GUILESS_MAIN(TstRevisionWriter)
#include "tst_revisionwriter.moc"
