// SPDX-License-Identifier: MIT
#include "alembic/revisionauthor.h"
#include "alembicproject.h"
#include "authoring/projectinitializer.h"
#include "project/project.h"
#include "testfiles.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

// RevisionAuthor on a native SQL project made by `init` and on an Alembic Python project (SQLite): create,
// merge and autogenerate, each reported as qmigrate reads the new file.
class TstRevisionAuthor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_counter = 0;

    static std::unique_ptr<Project> open(const QString &iniPath)
    {
        Project::OpenOptions options;
        options.python = AlembicProject::systemPython();
        options.pythonSource = u"--python"_s;
        Expected<Project> project = Project::open(iniPath, options);
        if (!project) {
            qWarning("%s", qPrintable(project.error().toString()));
            return nullptr;
        }
        return std::make_unique<Project>(std::move(project.value()));
    }

    // A new native project (alembic.ini with a SQLite URL, an empty schema.sql) in a folder of its own.
    std::unique_ptr<Project> nativeProject()
    {
        const QString dir = m_tmp.filePath(u"native%1"_s.arg(++m_counter));
        Expected<ProjectInitializer::Result> made = ProjectInitializer::init(dir);
        if (!made) {
            qWarning("%s", qPrintable(made.error().toString()));
            return nullptr;
        }
        return open(made->iniPath);
    }

    static RevisionAuthor::Request create(const QString &message, const QStringList &heads = {u"head"_s})
    {
        RevisionAuthor::Request request;
        request.revision.message = message;
        request.revision.heads = heads;
        return request;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void nativeCreateAndMerge()
    {
        std::unique_ptr<Project> project = nativeProject();
        QVERIFY(project);
        Expected<RevisionAuthor::Result> first = RevisionAuthor::write(*project, create(u"first"_s));
        QVERIFY2(first, qPrintable(first ? QString() : first.error().toString()));
        QCOMPARE(first->written.size(), 1);
        QCOMPARE(first->written.first().message, u"first"_s);
        QVERIFY(QFileInfo::exists(first->written.first().path));
        QVERIFY(first->unchangedComparedWith.isEmpty());
        const QString base = first->written.first().id;

        // Two children of the first revision, then their merge.
        project = open(project->config().iniPath());
        QVERIFY(project);
        QVERIFY(RevisionAuthor::write(*project, create(u"left"_s, {base})));
        project = open(project->config().iniPath());
        QVERIFY(project);
        RevisionAuthor::Request right = create(u"right"_s, {base});
        right.revision.splice = true;
        QVERIFY(RevisionAuthor::write(*project, right));
        project = open(project->config().iniPath());
        QVERIFY(project);
        QCOMPARE(project->map().realHeads().size(), 2);
        RevisionAuthor::Request merge;
        merge.revision.message = u"join"_s;
        merge.mergeRevisions = {u"heads"_s};
        Expected<RevisionAuthor::Result> merged = RevisionAuthor::write(*project, merge);
        QVERIFY2(merged, qPrintable(merged ? QString() : merged.error().toString()));
        QCOMPARE(merged->written.size(), 1);
        QCOMPARE(merged->written.first().downRevisions.size(), 2);
        QCOMPARE(merged->written.first().message, u"join"_s);
    }

    void nativeAutogenerate()
    {
        std::unique_ptr<Project> project = nativeProject();
        QVERIFY(project);
        RevisionAuthor::Request request = create(u"notes"_s);
        request.autogenerate = *project->config().databaseUrl();
        // The model is empty, as the revisions: nothing to write.
        Expected<RevisionAuthor::Result> unchanged = RevisionAuthor::write(*project, request);
        QVERIFY2(unchanged, qPrintable(unchanged ? QString() : unchanged.error().toString()));
        QVERIFY(unchanged->written.isEmpty());
        QVERIFY(!unchanged->unchangedComparedWith.isEmpty());
        QCOMPARE(QFileInfo(unchanged->modelPath).fileName(), u"schema.sql"_s);

        QVERIFY(writeAll(unchanged->modelPath, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n"));
        Expected<RevisionAuthor::Result> drafted = RevisionAuthor::write(*project, request);
        QVERIFY2(drafted, qPrintable(drafted ? QString() : drafted.error().toString()));
        QCOMPARE(drafted->written.size(), 1);
        const QString text = QString::fromUtf8(readAll(drafted->written.first().path));
        QVERIFY2(text.contains(u"CREATE TABLE notes"_s), qPrintable(text));
        QVERIFY2(text.contains(u"DROP TABLE notes"_s), qPrintable(text));
    }

    void alembicCreateIsReadBack()
    {
        const QString folder = m_tmp.filePath(u"alembic"_s);
        AlembicProject alembic(folder, u"sqlite:///"_s + folder + u"/x.db"_s);
        QVERIFY2(alembic.error().isEmpty(), qPrintable(alembic.error()));
        alembic.addLinearHistory();
        const std::unique_ptr<Project> project = open(alembic.iniPath());
        QVERIFY(project);
        RevisionAuthor::Request request = create(u"add notes"_s);
        request.revision.revId = u"d4d4"_s;
        request.python = AlembicProject::systemPython();
        request.pythonSource = u"--python"_s;
        QStringList output;
        MigratorCallbacks callbacks;
        callbacks.output = [&output](const QString &line) { output.append(line); };
        Expected<RevisionAuthor::Result> written = RevisionAuthor::write(*project, request, callbacks);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));
        QCOMPARE(written->written.size(), 1);
        const Revision &revision = written->written.first();
        QCOMPARE(revision.id, u"d4d4"_s);
        QCOMPARE(revision.kind, Revision::Kind::Python);
        QCOMPARE(revision.downRevisions, QStringList{u"c3"_s});
        QCOMPARE(revision.message, u"add notes"_s);
        QVERIFY2(output.join(u'\n').contains(u"Generating"_s), qPrintable(output.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TstRevisionAuthor)
#include "tst_revisionauthor.moc"
