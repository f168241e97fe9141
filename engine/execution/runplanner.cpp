// SPDX-License-Identifier: MIT
#include "execution/runplanner.h"

#include "scripts/scripttext.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

Expected<void> checkPreviewedPlan(const MigrationPlan &now, const MigrationPlan &previewed)
{
    const auto stepText = [](const MigrationStep &step) { return step.logLine(); };
    const QList<MigrationStep> &steps = now.steps();
    const QList<MigrationStep> &shown = previewed.steps();
    for (qsizetype i = 0; i < qMax(steps.size(), shown.size()); ++i) {
        if (i >= steps.size() || i >= shown.size()) {
            return EngineError(u"The plan changed since the preview: it had %1 step(s) and now has %2 (step "
                               u"%3 is %4). Re-open "
                               u"the preview. Nothing was run."_s.arg(shown.size())
                                   .arg(steps.size())
                                   .arg(i + 1)
                                   .arg(i < steps.size() ? u"new: "_s + stepText(steps.at(i))
                                                         : u"gone: "_s + stepText(shown.at(i))),
                               EngineError::Kind::Project);
        }
        const MigrationStep &a = steps.at(i);
        const MigrationStep &b = shown.at(i);
        if (a.direction != b.direction || a.revisionId != b.revisionId ||
            a.fromRevisions != b.fromRevisions || a.toRevisions != b.toRevisions ||
            a.rowsAfter != b.rowsAfter) {
            return EngineError(u"The plan changed since the preview: step %1 was \"%2\" and is now \"%3\". "
                               u"Re-open the preview. Nothing was run."_s.arg(i + 1)
                                   .arg(stepText(b), stepText(a)),
                               EngineError::Kind::Project);
        }
        if (a.scriptChecksum != b.scriptChecksum) {
            return EngineError(u"Revision %1: %2 changed since the preview: re-open the preview. Nothing was "
                               u"run."_s.arg(a.revisionId, nativePath(a.scriptPath)),
                               a.scriptPath, 0, a.revisionId, EngineError::Kind::Project);
        }
    }
    if (previewed.purge() != now.purge())
        return EngineError(u"The plan changed since the preview. Re-open the preview. Nothing was run."_s,
                           EngineError::Kind::Project);
    return {};
}

} // namespace

QString RunPlanner::rowsText(const QStringList &rows)
{
    return rows.isEmpty() ? u"no revision (empty)"_s : rows.join(u", "_s);
}

bool RunPlanner::sameRows(QStringList a, QStringList b)
{
    a.sort();
    b.sort();
    a.removeDuplicates();
    b.removeDuplicates();
    return a == b;
}

Expected<MigrationPlan> RunPlanner::plan(const RevisionMap &map, const Migrator::Request &request,
                                         const QStringList &rows, QStringList *warnings)
{
    std::optional<QStringList> expectedRows = request.expectedRows;
    if (request.previewedPlan && !request.previewedPlan->purge())
        expectedRows = request.previewedPlan->rowsBefore();
    if (expectedRows && !sameRows(*expectedRows, rows)) {
        return EngineError(u"The database changed since the plan was made: its version table was at %1 and "
                           u"is now at %2. Nothing was run; review the new plan."_s.arg(
                               rowsText(*expectedRows), rowsText(rows)),
                           EngineError::Kind::Database);
    }

    Expected<MigrationPlan> plan = MigrationPlan();
    switch (request.kind) {
    case Migrator::Request::Kind::Upgrade:
        plan = MigrationPlan::upgrade(map, rows, request.targets.value(0, u"head"_s));
        break;
    case Migrator::Request::Kind::Downgrade:
        plan = MigrationPlan::downgrade(map, rows, request.targets.value(0, u"-1"_s), warnings);
        break;
    case Migrator::Request::Kind::Stamp:
        plan = MigrationPlan::stamp(map, rows, request.targets, request.purge);
        break;
    }
    if (!plan)
        return plan.error();
    if (request.previewedPlan) {
        if (Expected<void> unchanged = checkPreviewedPlan(*plan, *request.previewedPlan); !unchanged)
            return unchanged.error();
    }
    return plan;
}

Expected<ScriptChecksum::Script> RunPlanner::readPlannedScript(const RevisionMap &map,
                                                               const MigrationStep &step, bool previewed,
                                                               RevisionSections *sections)
{
    if (step.direction == MigrationStep::Direction::Stamp)
        return ScriptChecksum::Script();
    const Revision &revision = map.revision(step.revision);
    const Expected<QByteArray> content = ScriptText::readFile(revision.path);
    if (!content)
        return EngineError(content.error()).setRevision(revision.id);
    Expected<ScriptChecksum::Script> onDisk = ScriptChecksum::fromContent(revision.path, *content);
    if (!onDisk)
        return EngineError(onDisk.error()).setRevision(revision.id);
    if (onDisk->checksum != step.scriptChecksum) {
        return EngineError(
            previewed
                ? u"Revision %1: %2 changed since the preview: re-open the preview. Nothing was run."_s.arg(
                      revision.id, nativePath(revision.path))
                : u"Revision %1: %2 changed on disk after the project was read: run again to use the new "
                  u"text. Nothing was run."_s.arg(revision.id, nativePath(revision.path)),
            revision.path, 0, revision.id, EngineError::Kind::Project);
    }
    if (sections) {
        Expected<RevisionSections> parsed = RevisionSections::fromContent(revision, *content);
        if (!parsed)
            return EngineError(parsed.error()).setRevision(revision.id);
        *sections = std::move(*parsed);
    }
    return onDisk;
}

} // namespace qmigrate
