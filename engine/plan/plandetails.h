// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"
#include "core/engineerror.h"
#include "database/dialect.h"
#include "graph/revisionmap.h"
#include "plan/migrationplan.h"
#include "plan/planreview.h"
#include "scripts/sqlstatementsplitter.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace qmigrate {

// Everything a plan preview and a dry run show of one plan, made once where the plan is made (on the worker
// thread of a GUI, in the dry run of the CLI) from the sections as the run split them: per step its SQL with
// file lines and its version-table writes as the run sends them, and the review's findings. A value: it
// keeps no map or connection, so it can travel in a queued signal and a front end shows it without
// splitting, reviewing or rendering anything.
class PlanDetails
{
public:
    // One step of the plan, in plan order.
    struct Step
    {
        QString revisionId; // empty for stamp steps
        QString file;       // the revision's absolute path; empty for stamp steps
        // An Alembic .py revision: its SQL is what the project's Alembic writes offline, which only it can
        // produce, so section and statements are empty.
        bool python = false;
        // The section the step runs as written in its file (trailing blank lines dropped), and the file line
        // of its first line; empty and 0 for stamp steps and Python revisions.
        QString section;
        int firstLine = 0;
        // The section's statements as the run executes them, with their file lines (SqlStatementSplitter).
        QList<SqlStatement> statements;
        // Only from split(): why the section cannot be split (its file and line); statements is then empty.
        // A dry run never has one: it refuses such a script.
        std::optional<EngineError> scriptError;
        // The INSERT/UPDATE/DELETE statements of alembic_version the run sends after the step's SQL, in the
        // run's dialect (online form), without ";".
        QStringList versionSql;

        bool isStamp() const { return revisionId.isEmpty(); }
    };

    PlanDetails() = default;

    // The details of a plan whose sections the run has split: statements[i] is step i's, as
    // Migrator::Result::statements holds them (empty for stamp steps and Python revisions). Nothing is split
    // again: the findings come from these statements (PlanReview). dialect: the run's, with its version
    // table. plannerWarnings: the planner's own (Migrator::Result::warnings), shown after the findings.
    // sectionTexts: each step's section as the run read it (the Migrator's, read once with the checksum
    // check); null: each is read from its file here.
    static PlanDetails fromStatements(const RevisionMap &map, const MigrationPlan &plan,
                                      const QList<QList<SqlStatement>> &statements, const Dialect &dialect,
                                      const QStringList &plannerWarnings = {},
                                      const QStringList *sectionTexts = nullptr);
    // The details of a plan no run has split (offline scripts): each section is split here, once, for the
    // dialect's backend. A section the splitter rejects keeps its error in Step::scriptError, and the
    // findings name it (PlanWarning::Kind::ScriptError), as PlanReview does.
    static PlanDetails split(const RevisionMap &map, const MigrationPlan &plan, const Dialect &dialect,
                             const QStringList &plannerWarnings = {});

    const MigrationPlan &plan() const { return m_plan; }
    const QList<Step> &steps() const { return m_steps; }
    // PlanReview's findings, in its order.
    const QList<PlanWarning> &findings() const { return m_findings; }
    // What the planner said while planning, e.g. "downgrade -1 from multiple heads is ambiguous".
    const QStringList &plannerWarnings() const { return m_plannerWarnings; }

    DatabaseUrl::Backend backend() const { return m_backend; }
    // The version table as configured (alembic_version), and as the SQL names it (schema, quoting).
    QString versionTable() const { return m_versionTable; }
    QString qualifiedVersionTable() const { return m_qualifiedVersionTable; }
    // The DELETE that empties the version table before the first step (stamp --purge); empty without purge.
    QString purgeSql() const { return m_purgeSql; }
    // What the server said of itself when the run connected, for a preview to show beside the database: a
    // Galera cluster's size and schema-change method ("Galera cluster, 3 nodes, TOI"); empty for a single
    // server.
    QString serverSummary() const { return m_serverSummary; }
    void setServerSummary(const QString &summary) { m_serverSummary = summary; }

private:
    // sections: when given, each step's sections as read for its section text (empty for stamps and
    // Python revisions and where the file could not be read), so that split() reads every file once.
    // sectionTexts: when given, the section texts read already, and no file is read.
    PlanDetails(const RevisionMap &map, const MigrationPlan &plan, const Dialect &dialect,
                const QStringList &plannerWarnings, QList<RevisionSections> *sections = nullptr,
                const QStringList *sectionTexts = nullptr);
    void review(const RevisionMap &map);

    MigrationPlan m_plan;
    QList<Step> m_steps;
    QList<PlanWarning> m_findings;
    QStringList m_plannerWarnings;
    DatabaseUrl::Backend m_backend = DatabaseUrl::Backend::SQLite;
    QString m_versionTable;
    QString m_qualifiedVersionTable;
    QString m_purgeSql;
    QString m_serverSummary;
};

} // namespace qmigrate
