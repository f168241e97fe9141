// SPDX-License-Identifier: MIT
#include "execution/plannedscripts.h"

#include "execution/runplanner.h"
#include "scripts/revisionsections.h"

#include <QDir>
#include <QThread>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

Expected<PlannedScripts::Step> readStep(const RevisionMap &map, const MigrationStep &step,
                                        const SqlStatementSplitter &splitter, bool previewed, bool dryRun)
{
    PlannedScripts::Step prepared;
    if (step.direction == MigrationStep::Direction::Stamp)
        return prepared;
    const Revision &revision = map.revision(step.revision);
    RevisionSections sections;
    Expected<ScriptChecksum::Script> onDisk = RunPlanner::readPlannedScript(map, step, previewed, &sections);
    if (!onDisk)
        return onDisk.error();
    prepared.script = std::move(*onDisk);
    if (revision.kind == Revision::Kind::Python) {
        if (dryRun)
            return prepared;
        return EngineError(u"Revision %1 is an Alembic Python script (%2), which only the project's own "
                           u"Alembic runs, and the "
                           u"script location has no env.py for it to run in; nothing was run"_s.arg(
                               revision.id, QDir::toNativeSeparators(revision.path)),
                           revision.path, 0, revision.id, EngineError::Kind::Project);
    }
    const bool up = step.direction == MigrationStep::Direction::Upgrade;
    prepared.sectionSql = sections.sql(up);
    Expected<QList<SqlStatement>> split = splitter.splitSection(revision, sections, up);
    if (!split)
        return split.error();
    for (const SqlStatement &statement : std::as_const(*split)) {
        if (statement.transactionControl)
            return EngineError(
                u"Revision %1, %2 section: line %3 (%4) is a transaction control statement, which a revision "
                u"may not contain: qmigrate manages the transactions (put a \"-- migrate:no-transaction\" "
                u"line before statements that must run outside one); nothing was run"_s
                    .arg(revision.id, up ? u"upgrade"_s : u"downgrade"_s)
                    .arg(statement.line)
                    .arg(statement.summary()),
                revision.path, statement.line, revision.id, EngineError::Kind::Project);
    }
    prepared.statements = std::move(*split);
    return prepared;
}

} // namespace

Expected<QList<PlannedScripts::Step>> PlannedScripts::read(const RevisionMap &map, const MigrationPlan &plan,
                                                           DatabaseUrl::Backend backend, bool previewed,
                                                           bool dryRun)
{
    const QList<MigrationStep> &steps = plan.steps();
    const qsizetype count = steps.size();
    const SqlStatementSplitter splitter(backend);
    std::vector<std::optional<Expected<Step>>> results(static_cast<size_t>(count));
    // Both threads take the next few steps until none are left; once a step failed, the steps after it are
    // not read (the error of the first failing step is what is reported).
    std::atomic<qsizetype> next = 0;
    std::atomic<qsizetype> firstFailed = count;
    constexpr qsizetype chunk = 8;
    const auto work = [&] {
        for (;;) {
            const qsizetype begin = next.fetch_add(chunk, std::memory_order_relaxed);
            if (begin >= count)
                return;
            for (qsizetype i = begin; i < qMin(begin + chunk, count); ++i) {
                if (i > firstFailed.load(std::memory_order_relaxed))
                    return;
                results[size_t(i)].emplace(readStep(map, steps.at(i), splitter, previewed, dryRun));
                if (!results[size_t(i)]->hasValue()) {
                    qsizetype failed = firstFailed.load(std::memory_order_relaxed);
                    while (i < failed && !firstFailed.compare_exchange_weak(failed, i)) {
                    }
                }
            }
        }
    };
    if (count >= ParallelFrom && QThread::idealThreadCount() > 1) {
        std::thread helper(work);
        work();
        helper.join();
    } else {
        work();
    }

    QList<Step> prepared;
    prepared.reserve(count);
    for (qsizetype i = 0; i < count; ++i) {
        // Every step before the first failure was read by one of the threads.
        Expected<Step> &result = *results[size_t(i)];
        if (!result)
            return result.error();
        prepared.append(std::move(*result));
    }
    return prepared;
}

} // namespace qmigrate
