// SPDX-License-Identifier: MIT
#include "plan/plandetails.h"

namespace qmigrate {

namespace {

// The section without its trailing blank lines (they only separate it from the next marker).
QString trimmedSection(const QString &sql)
{
    qsizetype end = sql.size();
    while (end > 0 && sql.at(end - 1).isSpace())
        --end;
    return sql.left(end);
}

QStringList versionSqlOf(const MigrationStep &step, const Dialect &dialect)
{
    QStringList sql;
    for (const VersionChange &change : step.versionChanges) {
        switch (change.kind) {
        case VersionChange::Kind::Insert:
            sql.append(dialect.insertVersionSql(change.to));
            break;
        case VersionChange::Kind::Update:
            sql.append(dialect.updateVersionSql(change.from, change.to));
            break;
        case VersionChange::Kind::Delete:
            sql.append(dialect.deleteVersionSql(change.from));
            break;
        }
    }
    return sql;
}

} // namespace

PlanDetails::PlanDetails(const RevisionMap &map, const MigrationPlan &plan, const Dialect &dialect,
                         const QStringList &plannerWarnings, QList<RevisionSections> *sections,
                         const QStringList *sectionTexts)
    : m_plan(plan)
    , m_plannerWarnings(plannerWarnings)
    , m_backend(dialect.backend())
    , m_versionTable(dialect.versionTable())
    , m_qualifiedVersionTable(dialect.qualifiedVersionTable())
    , m_purgeSql(plan.purge() ? dialect.deleteAllVersionsSql() : QString())
{
    m_steps.reserve(plan.steps().size());
    for (const MigrationStep &planned : plan.steps()) {
        Step step;
        RevisionSections read;
        step.versionSql = versionSqlOf(planned, dialect);
        if (planned.direction != MigrationStep::Direction::Stamp && planned.revision >= 0) {
            const Revision &revision = map.revision(planned.revision);
            const bool upgrade = planned.direction == MigrationStep::Direction::Upgrade;
            step.revisionId = revision.id;
            step.file = revision.path;
            step.python = revision.kind == Revision::Kind::Python;
            if (!step.python) {
                step.firstLine = upgrade ? revision.upgradeLine : revision.downgradeLine;
                if (sectionTexts) {
                    step.section = trimmedSection(sectionTexts->value(m_steps.size()));
                } else if (Expected<RevisionSections> loaded = RevisionSections::read(revision)) {
                    step.section = trimmedSection(loaded->sql(upgrade));
                    read = std::move(*loaded);
                } else {
                    step.scriptError = loaded.error();
                }
            }
        }
        m_steps.append(step);
        if (sections)
            sections->append(std::move(read));
    }
}

PlanDetails PlanDetails::fromStatements(const RevisionMap &map, const MigrationPlan &plan,
                                        const QList<QList<SqlStatement>> &statements, const Dialect &dialect,
                                        const QStringList &plannerWarnings, const QStringList *sectionTexts)
{
    PlanDetails details(map, plan, dialect, plannerWarnings, nullptr, sectionTexts);
    for (qsizetype i = 0; i < details.m_steps.size(); ++i) {
        Step &step = details.m_steps[i];
        if (!step.isStamp() && !step.python)
            step.statements = statements.value(i);
    }
    details.review(map);
    return details;
}

PlanDetails PlanDetails::split(const RevisionMap &map, const MigrationPlan &plan, const Dialect &dialect,
                               const QStringList &plannerWarnings)
{
    QList<RevisionSections> sections;
    PlanDetails details(map, plan, dialect, plannerWarnings, &sections);
    const SqlStatementSplitter splitter(dialect.backend());
    for (qsizetype i = 0; i < details.m_steps.size(); ++i) {
        Step &step = details.m_steps[i];
        if (step.isStamp() || step.python || step.scriptError)
            continue;
        const MigrationStep &planned = plan.steps().at(i);
        Expected<QList<SqlStatement>> statements =
            splitter.splitSection(map.revision(planned.revision), sections.at(i),
                                  planned.direction == MigrationStep::Direction::Upgrade);
        if (statements)
            step.statements = std::move(*statements);
        else
            step.scriptError = statements.error();
    }
    details.review(map);
    return details;
}

void PlanDetails::review(const RevisionMap &map)
{
    m_findings =
        PlanReview::review(map, m_plan, m_backend, [this](int index) -> Expected<QList<SqlStatement>> {
            const Step &step = m_steps.at(index);
            if (step.scriptError)
                return *step.scriptError;
            return step.statements;
        });
}

} // namespace qmigrate
