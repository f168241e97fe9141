// SPDX-License-Identifier: MIT
#include "config/projectconfig.h"
#include "core/engineerror.h"
#include "scripts/moduleconstantresolver.h"
#include "scripts/revision.h"
#include "scripts/scriptdirectory.h"
#include "testfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

// Writes `files` (path relative to `root` -> text) and loads the project whose alembic.ini is `ini`
// (relative).
struct Loaded
{
    QList<Revision> revisions;
    QStringList warnings; // messages only
    QString error;
};

Loaded load(const QString &root, const QString &ini, const QList<std::pair<QString, QString>> &files)
{
    Loaded loaded;
    for (const auto &[path, text] : files) {
        const QString full = root + u'/' + path;
        QDir().mkpath(QFileInfo(full).absolutePath());
        if (!writeAll(full, text.toUtf8())) {
            loaded.error = u"cannot write "_s + full;
            return loaded;
        }
    }
    const Expected<ProjectConfig> config =
        ProjectConfig::load(root + u'/' + ini, u"alembic"_s, QProcessEnvironment());
    if (!config) {
        loaded.error = config.error().toString();
        return loaded;
    }
    Expected<ScriptDirectory> scripts = ScriptDirectory::load(*config);
    if (!scripts) {
        loaded.error = scripts.error().toString();
        return loaded;
    }
    for (const EngineError &warning : scripts->warnings())
        loaded.warnings.append(u"%1:%2: %3"_s.arg(QFileInfo(warning.file()).fileName())
                                   .arg(warning.line())
                                   .arg(warning.message()));
    loaded.revisions = scripts->takeRevisions();
    return loaded;
}

const QString ini = u"[alembic]\nscript_location = %(here)s/migrations\n"_s;

QString revision(const QString &id, const QString &body)
{
    return u"\"\"\"%1\"\"\"\n"_s.arg(id) + body;
}

} // namespace

class TestModuleConstantResolver : public QObject
{
    Q_OBJECT

private slots:
    void sameFileConstant();
    void tupleAndListOfName();
    void importedFromPackageAboveTheIni();
    void relativeAndPlainImports();
    void unresolvableStaysAWarning_data();
    void unresolvableStaysAWarning();
    void scanWithoutProject();
};

void TestModuleConstantResolver::sameFileConstant()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Loaded loaded =
        load(tmp.path(), u"alembic.ini"_s,
             {{u"alembic.ini"_s, ini},
              {u"migrations/versions/a1_first.py"_s,
               revision(u"a1"_s, u"_labels = ('expand',)\nLABEL = 'one' 'x'\nrevision = 'a1'\n"
                                 u"down_revision = None\nbranch_labels = _labels\ndepends_on = LABEL\n"_s)}});
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.warnings.join(u"\n"_s), QString());
    QCOMPARE(loaded.revisions.size(), 1);
    const Revision &rev = loaded.revisions.first();
    QCOMPARE(rev.branchLabels, QStringList{u"expand"_s});
    QCOMPARE(rev.dependsOn, QStringList{u"onex"_s});
    QCOMPARE(rev.computedFields(), (QStringList{u"branch_labels from migrations/versions/a1_first.py:2"_s,
                                                u"depends_on from migrations/versions/a1_first.py:3"_s}));
    QCOMPARE(rev.unresolvedFields(), QStringList());
}

void TestModuleConstantResolver::tupleAndListOfName()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // GeoNature writes depends_on = tuple(_depends_on) over a module-level list.
    const Loaded loaded = load(
        tmp.path(), u"alembic.ini"_s,
        {{u"alembic.ini"_s, ini},
         {u"migrations/versions/a1.py"_s, revision(u"a1"_s, u"revision = 'a1'\ndown_revision = None\n"_s)},
         {u"migrations/versions/b2.py"_s, revision(u"b2"_s, u"revision = 'b2'\ndown_revision = None\n"_s)},
         {u"migrations/versions/c3.py"_s,
          revision(u"c3"_s,
                   u"_depends_on = [\n    'a1',\n]\n_parents: tuple = ('a1', 'b2')\nrevision = 'c3'\n"
                   u"down_revision = list(_parents)\nbranch_labels = tuple(['x'] + ['y'])\n"
                   u"depends_on = tuple(_depends_on)\n"_s)}});
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.warnings.join(u"\n"_s), QString());
    const Revision &rev = loaded.revisions.at(2);
    QCOMPARE(rev.downRevisions, (QStringList{u"a1"_s, u"b2"_s}));
    QCOMPARE(rev.branchLabels, (QStringList{u"x"_s, u"y"_s}));
    QCOMPARE(rev.dependsOn, QStringList{u"a1"_s});
    // tuple([...]) of literals only: the field's own line is where the value comes from.
    QCOMPARE(rev.computedFields(), (QStringList{u"down_revision from migrations/versions/c3.py:5"_s,
                                                u"branch_labels from migrations/versions/c3.py:8"_s,
                                                u"depends_on from migrations/versions/c3.py:2"_s}));
}

void TestModuleConstantResolver::importedFromPackageAboveTheIni()
{
    // neutron's layout: alembic.ini inside the package neutron/db/migration, the constants in its cli.py.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Loaded loaded = load(
        tmp.path(), u"myproj/db/migration/alembic.ini"_s,
        {{u"myproj/__init__.py"_s, QString()},
         {u"myproj/db/__init__.py"_s, QString()},
         {u"myproj/db/migration/__init__.py"_s, u"import os\n"_s},
         {u"myproj/db/migration/alembic.ini"_s,
          u"[alembic]\nscript_location = %(here)s/alembic_migrations\n"_s},
         {u"myproj/db/migration/cli.py"_s,
          u"import os\n\nfrom myproj.db import other\n\n\nEXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = "
          u"'contract'\nMIGRATION_BRANCHES = (EXPAND_BRANCH, CONTRACT_BRANCH)\n\n\ndef main():\n"
          u"    global CONF\n    CONF = os.environ\n"_s},
         {u"myproj/db/other.py"_s, u"X = 1\n"_s},
         {u"myproj/db/migration/alembic_migrations/versions/e1_expand.py"_s,
          revision(u"e1"_s, u"from myproj.db.migration import cli\nimport myproj.db.migration.cli\n\n"
                            u"revision = 'e1'\ndown_revision = None\nbranch_labels = (cli.EXPAND_BRANCH,)\n"
                            u"depends_on = myproj.db.migration.cli.MIGRATION_BRANCHES\n"_s)}});
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.warnings.join(u"\n"_s), QString());
    const Revision &rev = loaded.revisions.first();
    QCOMPARE(rev.branchLabels, QStringList{u"expand"_s});
    QCOMPARE(rev.dependsOn, (QStringList{u"expand"_s, u"contract"_s}));
    QCOMPARE(rev.computedFields(),
             (QStringList{u"branch_labels from myproj/db/migration/cli.py:6"_s,
                          u"depends_on from myproj/db/migration/cli.py:8, myproj/db/migration/cli.py:6, "
                          u"myproj/db/migration/cli.py:7"_s}));
}

void TestModuleConstantResolver::relativeAndPlainImports()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Loaded loaded =
        load(tmp.path(), u"alembic.ini"_s,
             {{u"alembic.ini"_s, ini},
              // Not versions/constants.py: every .py file there is a revision to Alembic.
              {u"migrations/versions/consts/labels.py"_s, u"EXPAND = 'expand'\n"_s},
              {u"labels.py"_s, u"from shared import names as n\nDEPS = n.DEPS\n"_s},
              {u"shared/names.py"_s, u"DEPS = ['a1']\n"_s},
              {u"migrations/versions/a1.py"_s,
               revision(u"a1"_s, u"from .consts.labels import EXPAND\nrevision = 'a1'\ndown_revision = None\n"
                                 u"branch_labels = EXPAND\n"_s)},
              {u"migrations/versions/b2.py"_s,
               revision(u"b2"_s, u"import labels\nrevision = 'b2'\ndown_revision = 'a1'\n"
                                 u"depends_on = labels.DEPS\n"_s)}});
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.warnings.join(u"\n"_s), QString());
    QCOMPARE(loaded.revisions.size(), 2);
    QCOMPARE(loaded.revisions.at(0).branchLabels, QStringList{u"expand"_s});
    QCOMPARE(loaded.revisions.at(0).computedFields(),
             QStringList{u"branch_labels from migrations/versions/consts/labels.py:1"_s});
    QCOMPARE(loaded.revisions.at(1).dependsOn, QStringList{u"a1"_s});
    QCOMPARE(loaded.revisions.at(1).computedFields(),
             QStringList{u"depends_on from labels.py:2, shared/names.py:1"_s});
}

void TestModuleConstantResolver::unresolvableStaysAWarning_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("warning");

    const QString head = u"revision = 'a1'\ndown_revision = None\n"_s;
    QTest::newRow("call") << u"import helpers\n"_s + head + u"branch_labels = helpers.labels()\n"_s
                          << u"branch_labels = helpers.labels()"_s;
    QTest::newRow("mutated list") << u"_deps = ['x']\n_deps.append('y')\n"_s + head +
                                         u"depends_on = tuple(_deps)\n"_s
                                  << u"depends_on = tuple(_deps)"_s;
    QTest::newRow("rebound in a block")
        << u"import os\n_labels = ('a',)\nif os.environ.get('X'):\n    _labels = ('b',)\n"_s + head +
               u"branch_labels = _labels\n"_s
        << u"branch_labels = _labels"_s;
    QTest::newRow("augmented") << u"_labels = ('a',)\n_labels += ('b',)\n"_s + head +
                                      u"branch_labels = _labels\n"_s
                               << u"branch_labels = _labels"_s;
    QTest::newRow("defined after use")
        << head + u"branch_labels = _labels\n_labels = ('a',)\n"_s << u"branch_labels = _labels"_s;
    QTest::newRow("star import") << u"from helpers import *\n_labels = ('a',)\n"_s + head +
                                        u"branch_labels = _labels\n"_s
                                 << u"branch_labels = _labels"_s;
    QTest::newRow("concatenation with a call")
        << u"import helpers\n"_s + head + u"branch_labels = helpers.PREFIX + helpers.suffix()\n"_s
        << u"branch_labels = helpers.PREFIX + helpers.suffix()"_s;
    QTest::newRow("module not in the project")
        << u"from somewhere_else import LABEL\n"_s + head + u"branch_labels = LABEL\n"_s
        << u"branch_labels = LABEL"_s;
    QTest::newRow("tuple of a string")
        << u"_l = 'ab'\n"_s + head + u"branch_labels = tuple(_l)\n"_s << u"branch_labels = tuple(_l)"_s;
    QTest::newRow("computed in the module")
        << u"import helpers\n"_s + head + u"branch_labels = (helpers.LABEL,)\n"_s
        << u"branch_labels = (helpers.LABEL,)"_s;
}

void TestModuleConstantResolver::unresolvableStaysAWarning()
{
    QFETCH(QString, body);
    QFETCH(QString, warning);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const Loaded loaded =
        load(tmp.path(), u"alembic.ini"_s,
             {{u"alembic.ini"_s, ini},
              {u"helpers.py"_s, u"import os\nPREFIX = 'p'\nLABEL = os.environ.get('L', 'x')\n"
                                u"def labels():\n    return ('a',)\ndef suffix():\n    return 's'\n"_s},
              {u"migrations/versions/a1.py"_s, revision(u"a1"_s, body)}});
    QVERIFY2(loaded.error.isEmpty(), qPrintable(loaded.error));
    QCOMPARE(loaded.warnings.size(), 1);
    const QString field = warning.section(u" = "_s, 0, 0);
    const QString expression = warning.section(u" = "_s, 1);
    const int line = body.left(body.indexOf(warning)).count(u'\n') + 2;
    QCOMPARE(loaded.warnings.first(),
             u"a1.py:%1: Cannot read '%2' without running Python: %3; the field is left empty (the project's "
             u"Alembic can resolve it)"_s.arg(line)
                 .arg(field, expression));
    const Revision &rev = loaded.revisions.first();
    QCOMPARE(rev.unresolvedFields(), QStringList{field});
    QCOMPARE(rev.computedFields(), QStringList());
    QCOMPARE(field == u"branch_labels"_s ? rev.branchLabels : rev.dependsOn, QStringList());
}

void TestModuleConstantResolver::scanWithoutProject()
{
    // ScriptDirectory::scan without a project still follows the file's own constants.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeAll(tmp.filePath(u"a1.py"_s),
                     "_l = ('x',)\nrevision = 'a1'\ndown_revision = None\nbranch_labels = _l\n"));
    const ScriptDirectory::ScanResult result = ScriptDirectory::scan({tmp.path()});
    QCOMPARE(result.warnings.size(), 0);
    QCOMPARE(result.revisions.first().branchLabels, QStringList{u"x"_s});
    QCOMPARE(result.revisions.first().computedFields(),
             QStringList{u"branch_labels from "_s + tmp.filePath(u"a1.py"_s) + u":1"_s});
}

QTEST_GUILESS_MAIN(TestModuleConstantResolver)
#include "tst_moduleconstantresolver.moc"
