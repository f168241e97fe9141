// SPDX-License-Identifier: MIT
#include "plan/migrationaction.h"
#include "plan/offlinerenderer.h"
#include "plan/offlinescript.h"
#include "project/project.h"
#include "testfiles.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

// MigrationAction's names, the targets of each action (defaults, ranges, online refusals) and OfflineScript
// as the one call behind `--sql`, on a copy of the bundled example.
class TstOfflineScript : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::unique_ptr<Project> m_project;

    Expected<OfflineScript::Result> render(MigrationAction action, const QStringList &targets,
                                           bool purge = false, QStringList *warnings = nullptr) const
    {
        return OfflineScript::render(m_project->map(), m_project->config(),
                                     *m_project->config().databaseUrl(), action, targets, purge,
                                     [warnings](const QString &warning) {
                                         if (warnings)
                                             warnings->append(warning);
                                     });
    }

    // The script OfflineRenderer gives for the same plan, made step by step.
    QString byHand(MigrationAction action, const QStringList &targets) const
    {
        const RevisionMap &map = m_project->map();
        Expected<OfflineRange> range = OfflineRenderer::parseTargets(map, action, targets, true, false);
        if (!range)
            return range.error().toString();
        Expected<MigrationPlan> plan = OfflineRenderer::plan(map, action, *range, false);
        if (!plan)
            return plan.error().toString();
        Dialect dialect = Dialect::forBackend(DatabaseUrl::Backend::SQLite);
        const OfflineRenderer renderer(map, dialect, m_project->config().transactionPerMigration());
        Expected<QString> script = renderer.render(*plan, range->startRows.isEmpty());
        return script ? *script : script.error().toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY(copyExample(m_tmp.path()));
        Expected<Project> project = Project::open(m_tmp.filePath(u"alembic.ini"_s));
        QVERIFY2(project, qPrintable(project ? QString() : project.error().toString()));
        m_project = std::make_unique<Project>(std::move(project.value()));
        QCOMPARE(m_project->config().databaseUrl()->backend(), DatabaseUrl::Backend::SQLite);
    }

    void actionNames()
    {
        for (const MigrationAction action :
             {MigrationAction::Upgrade, MigrationAction::Downgrade, MigrationAction::Stamp})
            QCOMPARE(migrationActionFromName(migrationActionName(action)), action);
        QCOMPARE(migrationActionName(MigrationAction::Downgrade), u"downgrade"_s);
        QVERIFY(!migrationActionFromName(u"upgrade "_s));
        QVERIFY(!migrationActionFromName(u"check"_s));
    }

    void defaultTargets()
    {
        QCOMPARE(OfflineRenderer::defaultTargets(MigrationAction::Upgrade), QStringList{u"head"_s});
        QCOMPARE(OfflineRenderer::defaultTargets(MigrationAction::Downgrade), QStringList{u"-1"_s});
        QCOMPARE(OfflineRenderer::defaultTargets(MigrationAction::Stamp), QStringList());
    }

    void onlineTargetsRefuseRanges()
    {
        const RevisionMap &map = m_project->map();
        for (const MigrationAction action : {MigrationAction::Upgrade, MigrationAction::Downgrade}) {
            const Expected<OfflineRange> range =
                OfflineRenderer::parseTargets(map, action, {u"base:head"_s}, false, false);
            QVERIFY(!range);
            QCOMPARE(range.error().message(), u"Range revision not allowed"_s);
        }
        const Expected<OfflineRange> upgrade =
            OfflineRenderer::parseTargets(map, MigrationAction::Upgrade, {u"head"_s}, false, false);
        QVERIFY(upgrade);
        QCOMPARE(upgrade->targets, QStringList{u"head"_s});
        const Expected<OfflineRange> stamp =
            OfflineRenderer::parseTargets(map, MigrationAction::Stamp, {u"base"_s, u"head"_s}, false, false);
        QVERIFY(stamp);
        QCOMPARE(stamp->targets, (QStringList{u"base"_s, u"head"_s}));
    }

    void upgradeScriptIsTheRenderersScript()
    {
        const Expected<OfflineScript::Result> script = render(MigrationAction::Upgrade, {});
        QVERIFY2(script, qPrintable(script ? QString() : script.error().toString()));
        QCOMPARE(script->script, byHand(MigrationAction::Upgrade, {u"head"_s}));
        QVERIFY(script->script.contains(u"CREATE TABLE alembic_version"_s));
        QVERIFY(!script->logLines.isEmpty());
        QCOMPARE(script->logLines.first(), u"Context impl SQLiteImpl."_s);
    }

    void downgradeScriptNeedsARange()
    {
        const Expected<OfflineScript::Result> missing = render(MigrationAction::Downgrade, {});
        QVERIFY(!missing);
        QCOMPARE(missing.error().message(), u"downgrade with --sql requires <fromrev>:<torev>"_s);
        const Expected<OfflineScript::Result> script = render(MigrationAction::Downgrade, {u"head:base"_s});
        QVERIFY2(script, qPrintable(script ? QString() : script.error().toString()));
        QCOMPARE(script->script, byHand(MigrationAction::Downgrade, {u"head:base"_s}));
        QVERIFY(script->script.contains(u"-- Running downgrade"_s));
    }

    void stampRefusesPurge()
    {
        const Expected<OfflineScript::Result> purge = render(MigrationAction::Stamp, {u"head"_s}, true);
        QVERIFY(!purge);
        QCOMPARE(purge.error().message(), u"Can't use --purge with --sql mode"_s);
        const Expected<OfflineScript::Result> stamp = render(MigrationAction::Stamp, {u"head"_s});
        QVERIFY2(stamp, qPrintable(stamp ? QString() : stamp.error().toString()));
        QVERIFY(stamp->script.contains(u"INSERT INTO alembic_version"_s));
    }
};

QTEST_GUILESS_MAIN(TstOfflineScript)
#include "tst_offlinescript.moc"
