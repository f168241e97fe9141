// SPDX-License-Identifier: MIT
#include "alembicproject.h"
#include "project/alembicvalues.h"
#include "project/project.h"
#include "testfiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// Values only Python can compute: a helper of the project called at import time.
const QByteArray helpers = "import os\n\n"
                           "def label_for(path):\n"
                           "    return os.path.basename(path).split('_')[0] + '_line'\n\n"
                           "def parents():\n"
                           "    return ('a1',)\n";

QString revisionText(const QString &id, const QString &fields)
{
    return u"\"\"\"%1\n\nRevision ID: %1\n\"\"\"\nfrom alembic import op\nimport helpers\n\nrevision = "
           u"'%1'\n%2\n\n"
           u"def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"_s.arg(id, fields);
}

QString errorText(const EngineError &error)
{
    return error.toString();
}

QStringList texts(const QList<EngineError> &errors)
{
    QStringList out;
    for (const EngineError &error : errors)
        out.append(errorText(error));
    return out;
}

} // namespace

class TestAlembicValues : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void pythonFillsWhatTheStaticReaderCannot();
    void withoutPythonTheWarningsStay();
    void theChosenInterpreterIsAsked();
    void noUnresolvedFieldNeverStartsPython();
    void failingRevisionIsNamed();

private:
    // A "virtual environment" whose python counts its starts in `counter` and runs Debian's interpreter
    // (with `pythonArguments`, e.g. -S to hide Debian's Alembic).
    QProcessEnvironment countingEnvironment(const QString &pythonArguments = {});
    int starts() const;
    bool makeProject();

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<AlembicProject> m_project;
};

void TestAlembicValues::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    // The cache goes to the test's own folder: QStandardPaths reads XDG_CACHE_HOME on every call.
    qputenv("XDG_CACHE_HOME", m_tmp->filePath(u"cache"_s).toUtf8());
}

QProcessEnvironment TestAlembicValues::countingEnvironment(const QString &pythonArguments)
{
    const QString bin = m_tmp->filePath(u"venv/bin"_s);
    QDir().mkpath(bin);
    const QString script = u"#!/bin/sh\necho start >> '%1'\nexec %2 %3 \"$@\"\n"_s.arg(
        m_tmp->filePath(u"starts"_s), AlembicProject::systemPython(), pythonArguments);
    writeAll(bin + u"/python"_s, script.toUtf8());
    QFile::setPermissions(bin + u"/python"_s, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"VIRTUAL_ENV"_s, m_tmp->filePath(u"venv"_s));
    environment.remove(u"QMIGRATE_PYTHON"_s);
    return environment;
}

int TestAlembicValues::starts() const
{
    return int(readAll(m_tmp->filePath(u"starts"_s)).count('\n'));
}

bool TestAlembicValues::makeProject()
{
    m_project = std::make_unique<AlembicProject>(m_tmp->filePath(u"project"_s),
                                                 u"sqlite:///"_s + m_tmp->filePath(u"project/db.sqlite"_s));
    if (!m_project->error().isEmpty()) {
        qWarning() << m_project->error();
        return false;
    }
    // alembic init's ini has prepend_sys_path = ., so the revisions import helpers.py from the project
    // folder.
    return writeAll(m_project->folder() + u"/helpers.py"_s, helpers) &&
           writeAll(m_project->versionsPath() + u"/a1_base.py"_s,
                    revisionText(u"a1"_s, u"down_revision = None\nbranch_labels = "
                                          u"(helpers.label_for(__file__),)\ndepends_on = None"_s)
                        .toUtf8()) &&
           writeAll(m_project->versionsPath() + u"/b2_next.py"_s,
                    revisionText(u"b2"_s, u"down_revision = helpers.parents()\nbranch_labels = None\n"
                                          u"depends_on = None"_s)
                        .toUtf8());
}

void TestAlembicValues::pythonFillsWhatTheStaticReaderCannot()
{
    QVERIFY(makeProject());
    const QProcessEnvironment environment = countingEnvironment();

    Expected<Project> project = Project::open(m_project->iniPath(), u"alembic"_s, environment);
    QVERIFY2(project.hasValue(), qPrintable(project ? QString() : project.error().toString()));
    QCOMPARE(texts(project->warnings()), QStringList());
    const RevisionMap &map = project->map();
    QCOMPARE(map.labelOwner(u"a1_line"_s), map.indexOf(u"a1"_s));
    const Revision &a1 = map.revision(map.indexOf(u"a1"_s));
    QCOMPARE(a1.branchLabels, QStringList{u"a1_line"_s});
    QCOMPARE(a1.computedFields(), QStringList{u"branch_labels from Python (Alembic)"_s});
    QCOMPARE(a1.unresolvedFields(), QStringList());
    const Revision &b2 = map.revision(map.indexOf(u"b2"_s));
    QCOMPARE(b2.downRevisions, QStringList{u"a1"_s});
    QCOMPARE(b2.computedFields(), QStringList{u"down_revision from Python (Alembic)"_s});
    QCOMPARE(map.heads(), QList<int>{map.indexOf(u"b2"_s)});
    QCOMPARE(starts(), 2); // the probe, then one driver run for both files

    // Opened again: from the cache, no Python at all (not even the probe).
    project = Project::open(m_project->iniPath(), u"alembic"_s, environment);
    QVERIFY(project.hasValue());
    QCOMPARE(starts(), 2);
    QCOMPARE(texts(project->warnings()), QStringList());
    QCOMPARE(project->map().revision(project->map().indexOf(u"a1"_s)).branchLabels,
             QStringList{u"a1_line"_s});
    QCOMPARE(project->map().revision(project->map().indexOf(u"a1"_s)).computedFields(),
             QStringList{u"branch_labels from Python (Alembic)"_s});

    // The helper the values came from changed: the cached answers are stale.
    QByteArray changed = helpers;
    changed.replace("'_line'", "'_track'");
    QVERIFY(writeAll(m_project->folder() + u"/helpers.py"_s, changed));
    project = Project::open(m_project->iniPath(), u"alembic"_s, environment);
    QVERIFY(project.hasValue());
    QCOMPARE(starts(), 3); // the driver run only: the interpreter's probe is still valid

    QCOMPARE(project->map().revision(project->map().indexOf(u"a1"_s)).branchLabels,
             QStringList{u"a1_track"_s});
}

void TestAlembicValues::withoutPythonTheWarningsStay()
{
    QVERIFY(makeProject());
    // -S: Debian's interpreter without its dist-packages, so without Alembic; the virtual environment is
    // still the interpreter PythonInterpreter picks (it says to install Alembic there).
    const QProcessEnvironment environment = countingEnvironment(u"-S"_s);
    const Expected<Project> project = Project::open(m_project->iniPath(), u"alembic"_s, environment);
    QVERIFY2(project.hasValue(), qPrintable(project ? QString() : project.error().toString()));
    const QString a1 = m_project->versionsPath() + u"/a1_base.py"_s;
    const QString b2 = m_project->versionsPath() + u"/b2_next.py"_s;
    QCOMPARE(texts(project->warnings()),
             (QStringList{a1 + u":10: Cannot read 'branch_labels' without running Python: "
                               u"(helpers.label_for(__file__),); the field is left empty (the project's "
                               u"Alembic can resolve it)"_s,
                          b2 + u":9: Cannot read 'down_revision' without running Python: helpers.parents(); "
                               u"the field is left empty (the project's Alembic can resolve it)"_s}));
    const Revision &rev = project->map().revision(project->map().indexOf(u"a1"_s));
    QCOMPARE(rev.branchLabels, QStringList());
    QCOMPARE(rev.unresolvedFields(), QStringList{u"branch_labels"_s});
    QCOMPARE(rev.computedFields(), QStringList());
    QCOMPARE(starts(), 1); // the probe only

    // Opened again, nothing installed since: the probe's answer holds, no Python starts.
    const Expected<Project> again = Project::open(m_project->iniPath(), u"alembic"_s, environment);
    QVERIFY(again.hasValue());
    QCOMPARE(texts(again->warnings()).size(), 2);
    QCOMPARE(starts(), 1);
}

void TestAlembicValues::theChosenInterpreterIsAsked()
{
    QVERIFY(makeProject());
    // The detected interpreter (the virtual environment) has no Alembic; the one the user chose has.
    Project::OpenOptions options;
    options.environment = countingEnvironment(u"-S"_s);
    options.python = AlembicProject::systemPython();
    options.pythonSource = u"--python"_s;
    Expected<Project> project = Project::open(m_project->iniPath(), options);
    QVERIFY2(project.hasValue(), qPrintable(project ? QString() : project.error().toString()));
    QCOMPARE(texts(project->warnings()), QStringList());
    QCOMPARE(project->map().revision(project->map().indexOf(u"a1"_s)).branchLabels,
             QStringList{u"a1_line"_s});
    QCOMPARE(starts(), 0);

    // A choice that does not exist is not replaced by a detected one: the fields stay unread, with the
    // warnings.
    options.python = m_tmp->filePath(u"nowhere/python3"_s);
    QVERIFY(writeAll(m_project->folder() + u"/helpers.py"_s, helpers + "\n# changed\n"));
    project = Project::open(m_project->iniPath(), options);
    QVERIFY(project.hasValue());
    QCOMPARE(texts(project->warnings()).size(), 2);
    QCOMPARE(project->map().revision(project->map().indexOf(u"a1"_s)).unresolvedFields(),
             QStringList{u"branch_labels"_s});
    QCOMPARE(starts(), 0);
}

void TestAlembicValues::noUnresolvedFieldNeverStartsPython()
{
    m_project = std::make_unique<AlembicProject>(m_tmp->filePath(u"project"_s), u"sqlite://"_s);
    QVERIFY2(m_project->error().isEmpty(), qPrintable(m_project->error()));
    m_project->addLinearHistory();
    // A constant the static reader follows needs no Python either.
    QVERIFY(
        writeAll(m_project->versionsPath() + u"/d4_labels.py"_s,
                 "_labels = ('track',)\nrevision = 'd4'\ndown_revision = 'c3'\nbranch_labels = _labels\n"));
    const Expected<Project> project =
        Project::open(m_project->iniPath(), u"alembic"_s, countingEnvironment());
    QVERIFY2(project.hasValue(), qPrintable(project ? QString() : project.error().toString()));
    QCOMPARE(texts(project->warnings()), QStringList());
    QCOMPARE(project->map().labelOwner(u"track"_s), project->map().indexOf(u"d4"_s));
    QCOMPARE(starts(), 0);
    QVERIFY(!QFileInfo::exists(m_tmp->filePath(u"cache/qmigrate/values"_s)));
}

void TestAlembicValues::failingRevisionIsNamed()
{
    QVERIFY(makeProject());
    const QString broken = m_project->versionsPath() + u"/c3_broken.py"_s;
    QVERIFY(
        writeAll(broken, revisionText(u"c3"_s, u"down_revision = 'b2'\nbranch_labels = helpers.nothing()\n"
                                               u"depends_on = None"_s)
                             .toUtf8()));
    const Expected<Project> project =
        Project::open(m_project->iniPath(), u"alembic"_s, countingEnvironment());
    QVERIFY2(project.hasValue(), qPrintable(project ? QString() : project.error().toString()));
    // The other files still get their values; the broken one keeps its warning and says why.
    QCOMPARE(project->map().revision(project->map().indexOf(u"a1"_s)).branchLabels,
             QStringList{u"a1_line"_s});
    QCOMPARE(
        texts(project->warnings()),
        (QStringList{broken + u":10: Cannot read 'branch_labels' without running Python: helpers.nothing(); "
                              u"the field is left empty (the project's Alembic can resolve it)"_s,
                     broken + u":10: The project's Alembic could not read the revision: AttributeError: "
                              u"module 'helpers' has no attribute 'nothing'"_s}));
}

QTEST_GUILESS_MAIN(TestAlembicValues)
#include "tst_alembicvalues.moc"
