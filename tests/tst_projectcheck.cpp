// SPDX-License-Identifier: MIT
#include "check/projectcheck.h"
#include "database/databaseconnection.h"
#include "execution/auditobserver.h"
#include "execution/migrator.h"
#include "project/project.h"
#include "testfiles.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace qmigrate;

namespace {

QByteArray revisionText(const QString &id, const QString &revises, const QString &extra = {})
{
    return u"-- Revision ID: %1\n-- Revises: %2\n-- Create Date: 2026-01-01 00:00:00\n\n"
           u"-- migrate:upgrade\nCREATE TABLE t_%1 (id INTEGER PRIMARY KEY);\n%3\n"
           u"-- migrate:downgrade\nDROP TABLE t_%1;\n"_s.arg(id, revises, extra)
               .toUtf8();
}

struct Rev
{
    QString id;
    QString revises;
};

} // namespace

// ProjectCheck on SQLite projects: each kind of finding, findings passed on as they are found, and the
// error that ends a check after what was found so far.
class TstProjectCheck : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_counter = 0;
    QString m_dir;

    std::unique_ptr<Project> makeProject(const QList<Rev> &revisions)
    {
        m_dir = m_tmp.filePath(u"p%1"_s.arg(++m_counter));
        if (!QDir().mkpath(m_dir + u"/versions"_s))
            return nullptr;
        if (!writeAll(m_dir + u"/alembic.ini"_s,
                      "[alembic]\nscript_location = %(here)s\nsqlalchemy.url = sqlite:///%(here)s/x.db\n"))
            return nullptr;
        for (const Rev &revision : revisions) {
            if (!writeAll(m_dir + u"/versions/%1.sql"_s.arg(revision.id),
                          revisionText(revision.id, revision.revises)))
                return nullptr;
        }
        return reopen();
    }

    std::unique_ptr<Project> reopen() const
    {
        Expected<Project> project = Project::open(m_dir + u"/alembic.ini"_s);
        if (!project) {
            qWarning("%s", qPrintable(project.error().toString()));
            return nullptr;
        }
        return std::make_unique<Project>(std::move(project.value()));
    }

    static bool upgrade(const Project &project, const QString &target)
    {
        Migrator migrator(project.map(), *project.config().databaseUrl(),
                          MigratorOptions::fromConfig(project.config()));
        AuditObserver observer;
        migrator.setObserver(&observer);
        Migrator::Request request;
        request.kind = MigrationAction::Upgrade;
        request.targets = {target};
        return bool(migrator.run(request));
    }

    // The findings, and checks that `found` saw the same ones in the same order.
    static Expected<QList<CheckFinding>> check(const Project &project)
    {
        QList<CheckFinding::Kind> seen;
        Expected<QList<CheckFinding>> findings =
            ProjectCheck::run(project, u"tst_projectcheck"_s,
                              [&seen](const CheckFinding &finding) { seen.append(finding.kind); });
        if (findings) {
            QList<CheckFinding::Kind> returned;
            for (const CheckFinding &finding : std::as_const(*findings))
                returned.append(finding.kind);
            if (returned != seen)
                return EngineError(u"found() saw other findings than were returned"_s);
        }
        return findings;
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void kindNames()
    {
        QCOMPARE(CheckFinding::kindName(CheckFinding::Kind::MultipleHeads), u"multiple-heads"_s);
        QCOMPARE(CheckFinding::kindName(CheckFinding::Kind::InterruptedStep), u"interrupted-step"_s);
        QCOMPARE(CheckFinding::kindName(CheckFinding::Kind::EditedSinceApplied), u"edited-since-applied"_s);
        QCOMPARE(CheckFinding::kindName(CheckFinding::Kind::SchemaDiffers), u"schema-differs"_s);
    }

    void cleanProjectHasNoFindings()
    {
        const std::unique_ptr<Project> project = makeProject({{u"a1"_s, {}}, {u"b2"_s, u"a1"_s}});
        QVERIFY(project);
        // Without a version table only the heads are checked.
        Expected<QList<CheckFinding>> findings = check(*project);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().toString()));
        QCOMPARE(findings->size(), 0);
        QVERIFY(upgrade(*project, u"head"_s));
        findings = check(*project);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().toString()));
        QCOMPARE(findings->size(), 0);
    }

    void multipleHeads()
    {
        const std::unique_ptr<Project> project =
            makeProject({{u"a1"_s, {}}, {u"b2"_s, u"a1"_s}, {u"c3"_s, u"a1"_s}});
        QVERIFY(project);
        const Expected<QList<CheckFinding>> findings = check(*project);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().toString()));
        QCOMPARE(findings->size(), 1);
        const CheckFinding &finding = findings->first();
        QCOMPARE(finding.kind, CheckFinding::Kind::MultipleHeads);
        QStringList heads = finding.heads;
        heads.sort();
        QCOMPARE(heads, (QStringList{u"b2"_s, u"c3"_s}));
        QVERIFY2(finding.message.startsWith(u"Multiple heads: "_s), qPrintable(finding.message));
        QVERIFY(finding.message.endsWith(u'\n'));
    }

    void anErrorComesAfterWhatWasFound()
    {
        std::unique_ptr<Project> project =
            makeProject({{u"a1"_s, {}}, {u"b2"_s, u"a1"_s}, {u"c3"_s, u"a1"_s}});
        QVERIFY(project);
        project->config().setUrlOverride(u"nosuchdb://x/y"_s);
        QList<CheckFinding::Kind> seen;
        const Expected<QList<CheckFinding>> findings =
            ProjectCheck::run(*project, u"tst_projectcheck"_s,
                              [&seen](const CheckFinding &finding) { seen.append(finding.kind); });
        QVERIFY(!findings);
        QCOMPARE(seen, QList<CheckFinding::Kind>{CheckFinding::Kind::MultipleHeads});
    }

    void editedSinceApplied()
    {
        const std::unique_ptr<Project> project = makeProject({{u"a1"_s, {}}, {u"b2"_s, u"a1"_s}});
        QVERIFY(project);
        QVERIFY(upgrade(*project, u"head"_s));
        QVERIFY(writeAll(m_dir + u"/versions/b2.sql"_s,
                         revisionText(u"b2"_s, u"a1"_s, u"CREATE INDEX i_b2 ON t_b2 (id);"_s)));
        const std::unique_ptr<Project> edited = reopen();
        QVERIFY(edited);
        const Expected<QList<CheckFinding>> findings = check(*edited);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().toString()));
        QCOMPARE(findings->size(), 1);
        const CheckFinding &finding = findings->first();
        QCOMPARE(finding.kind, CheckFinding::Kind::EditedSinceApplied);
        QCOMPARE(finding.revision, u"b2"_s);
        QCOMPARE(QFileInfo(finding.path).fileName(), u"b2.sql"_s);
        QVERIFY(finding.appliedAt.isValid());
        QVERIFY2(finding.message.startsWith(u"Revision b2 changed since it was applied at "_s),
                 qPrintable(finding.message));
        QVERIFY2(finding.diff.contains(u"+CREATE INDEX i_b2 ON t_b2 (id);"_s), qPrintable(finding.diff));
        QVERIFY(finding.message.endsWith(finding.diff.endsWith(u'\n') ? finding.diff : finding.diff + u'\n'));
    }

    void interruptedStep()
    {
        const std::unique_ptr<Project> project = makeProject({{u"a1"_s, {}}, {u"b2"_s, u"a1"_s}});
        QVERIFY(project);
        QVERIFY(upgrade(*project, u"a1"_s));
        {
            Expected<std::shared_ptr<DatabaseConnection>> connection =
                DatabaseConnection::open(*project->config().databaseUrl(), m_dir);
            QVERIFY(connection);
            const AuditHistory history((*connection)->database(),
                                       Dialect::forBackend(DatabaseUrl::Backend::SQLite));
            HistoryEntry entry;
            entry.revision = u"b2"_s;
            entry.outcome = HistoryEntry::Outcome::Running;
            entry.errorText = u"statement 1 of 2 committed"_s;
            QVERIFY(history.record(entry));
        }
        const Expected<QList<CheckFinding>> findings = check(*project);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().toString()));
        QCOMPARE(findings->size(), 1);
        const CheckFinding &finding = findings->first();
        QCOMPARE(finding.kind, CheckFinding::Kind::InterruptedStep);
        QCOMPARE(finding.revision, u"b2"_s);
        QCOMPARE(finding.direction, u"upgrade"_s);
        QCOMPARE(finding.progress, u"statement 1 of 2 committed"_s);
        QVERIFY2(finding.message.contains(u"b2"_s), qPrintable(finding.message));
    }

    void schemaDiffersFromTheModel()
    {
        const std::unique_ptr<Project> project = makeProject({{u"a1"_s, {}}, {u"b2"_s, u"a1"_s}});
        QVERIFY(project);
        QVERIFY(writeAll(m_dir + u"/schema.sql"_s, "CREATE TABLE t_a1 (id INTEGER PRIMARY KEY);\n"));
        Expected<QList<CheckFinding>> findings = check(*project);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().toString()));
        QCOMPARE(findings->size(), 1);
        const CheckFinding &finding = findings->first();
        QCOMPARE(finding.kind, CheckFinding::Kind::SchemaDiffers);
        QCOMPARE(QFileInfo(finding.path).fileName(), u"schema.sql"_s);
        QVERIFY(!finding.differences.isEmpty());
        QVERIFY2(finding.differences.join(u'\n').contains(u"t_b2"_s),
                 qPrintable(finding.differences.join(u'\n')));
        // The model that matches what the revisions build: no finding.
        QVERIFY(writeAll(m_dir + u"/schema.sql"_s, "CREATE TABLE t_a1 (id INTEGER PRIMARY KEY);\n"
                                                   "CREATE TABLE t_b2 (id INTEGER PRIMARY KEY);\n"));
        findings = check(*project);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().toString()));
        QCOMPARE(findings->size(), 0);
    }
};

QTEST_GUILESS_MAIN(TstProjectCheck)
#include "tst_projectcheck.moc"
