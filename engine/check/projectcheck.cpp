// SPDX-License-Identifier: MIT
#include "check/projectcheck.h"

#include "execution/databasestatus.h"
#include "execution/migrator.h"
#include "schema/schemabuilder.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace qmigrate {

QString CheckFinding::kindName(Kind kind)
{
    switch (kind) {
    case Kind::MultipleHeads:
        return u"multiple-heads"_s;
    case Kind::InterruptedStep:
        return u"interrupted-step"_s;
    case Kind::EditedSinceApplied:
        return u"edited-since-applied"_s;
    case Kind::SchemaDiffers:
        return u"schema-differs"_s;
    }
    return {};
}

Expected<QList<CheckFinding>> ProjectCheck::run(const Project &project, const QString &applicationName,
                                                const std::function<void(const CheckFinding &)> &found)
{
    QList<CheckFinding> findings;
    const auto report = [&](CheckFinding finding) {
        if (found)
            found(finding);
        findings.append(std::move(finding));
    };
    const RevisionMap &map = project.map();

    const QList<int> heads = map.realHeads();
    if (heads.size() > 1) {
        CheckFinding finding;
        finding.kind = CheckFinding::Kind::MultipleHeads;
        for (int head : heads)
            finding.heads.append(map.idOf(head));
        finding.message =
            u"Multiple heads: %1.\nMerge them into one (a merge revision whose Revises lists all "
            u"of them) before upgrading to head.\n"_s.arg(finding.heads.join(u", "_s));
        report(finding);
    }

    Expected<DatabaseUrl> url = project.config().databaseUrl();
    if (!url)
        return url.error();
    DatabaseStatus status(project, *url, applicationName);
    // An empty list when there is no version table: then only the heads are checked.
    Expected<QStringList> rows = status.versionRows();
    if (!rows)
        return rows.error();
    Expected<QList<HistoryEntry>> interrupted = status.interruptedSteps();
    if (!interrupted)
        return interrupted.error();
    for (const HistoryEntry &entry : std::as_const(*interrupted)) {
        CheckFinding finding;
        finding.kind = CheckFinding::Kind::InterruptedStep;
        finding.revision = entry.revision;
        finding.direction = HistoryEntry::directionName(entry.direction);
        finding.progress = entry.errorText;
        finding.message = Migrator::interruptedStepsMessage(map, {entry}, *rows) + u'\n';
        report(finding);
    }
    Expected<QList<ChangedScript>> changed = status.editedSinceApplied(*rows);
    if (!changed)
        return changed.error();
    for (const ChangedScript &script : std::as_const(*changed)) {
        CheckFinding finding;
        finding.kind = CheckFinding::Kind::EditedSinceApplied;
        finding.revision = script.revision;
        finding.path = script.path;
        finding.appliedAt = script.appliedAt;
        finding.diff = script.diff;
        const QString applied =
            script.appliedAt.isValid() ? script.appliedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"-"_s;
        finding.message = u"Revision %1 changed since it was applied at %2 UTC: %3\n"_s.arg(
                              script.revision, applied, QDir::toNativeSeparators(script.path)) +
                          script.diff;
        if (!finding.message.endsWith(u'\n'))
            finding.message += u'\n';
        report(finding);
    }

    // The model against what the revisions build, when the project keeps a model (and has one head).
    const QString modelPath = SchemaBuilder::modelPath(project);
    if (QFileInfo::exists(modelPath) && heads.size() == 1) {
        Expected<SchemaSnapshot> model = SchemaBuilder::fromModel(project, *url);
        if (!model)
            return model.error();
        Expected<SchemaSnapshot> atHead = SchemaBuilder::fromRevisions(project, *url);
        if (!atHead)
            return atHead.error();
        const QStringList differences = atHead->differences(*model);
        if (!differences.isEmpty()) {
            CheckFinding finding;
            finding.kind = CheckFinding::Kind::SchemaDiffers;
            finding.path = modelPath;
            finding.differences = differences;
            finding.message = u"The schema at head differs from %1 (head first, then the model):\n"_s.arg(
                QDir::toNativeSeparators(modelPath));
            for (const QString &difference : differences)
                finding.message += u"  "_s + difference + u'\n';
            report(finding);
        }
    }
    return findings;
}

} // namespace qmigrate
