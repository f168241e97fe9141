// SPDX-License-Identifier: MIT
#include "auditcommands.h"

#include "clicontext.h"

#include "check/projectcheck.h"
#include "execution/databasestatus.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QString utcText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"-"_s;
}

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return u"%1 ms"_s.arg(ms);
    return u"%1 s"_s.arg(double(ms) / 1000.0, 0, 'f', 1);
}

// ISO 8601 in UTC with milliseconds ("…Z"), null when unknown.
QJsonValue isoUtc(const QDateTime &value)
{
    return value.isValid() ? QJsonValue(value.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonObject historyJson(const HistoryEntry &entry)
{
    // Everything but the script text, which `check` diffs and which would swamp the listing.
    return QJsonObject{
        {u"id"_s, entry.id},
        {u"revision"_s, entry.revision},
        {u"direction"_s, HistoryEntry::directionName(entry.direction)},
        {u"outcome"_s, HistoryEntry::outcomeName(entry.outcome)},
        {u"checksum"_s, entry.checksum.isEmpty() ? QJsonValue() : QJsonValue(entry.checksum)},
        {u"started_at"_s, isoUtc(entry.startedAt)},
        {u"finished_at"_s, isoUtc(entry.finishedAt)},
        {u"duration_ms"_s, entry.durationMs},
        {u"os_user"_s, entry.osUser},
        {u"host"_s, entry.host},
        {u"error_text"_s, entry.errorText.isEmpty() ? QJsonValue() : QJsonValue(entry.errorText)},
        {u"qmigrate_version"_s, entry.qmigrateVersion},
    };
}

// A finding as `check --json` lists it: its kind, the first line of its text and its details.
QJsonObject findingJson(const CheckFinding &finding)
{
    QJsonObject object{
        {u"kind"_s, CheckFinding::kindName(finding.kind)},
        {u"message"_s, finding.message.section(u'\n', 0, 0)},
    };
    switch (finding.kind) {
    case CheckFinding::Kind::MultipleHeads:
        object.insert(u"heads"_s, QJsonArray::fromStringList(finding.heads));
        break;
    case CheckFinding::Kind::InterruptedStep:
        object.insert(u"revision"_s, finding.revision);
        object.insert(u"direction"_s, finding.direction);
        object.insert(u"progress"_s, finding.progress);
        break;
    case CheckFinding::Kind::EditedSinceApplied:
        object.insert(u"revision"_s, finding.revision);
        object.insert(u"path"_s, finding.path);
        object.insert(u"applied_at"_s, isoUtc(finding.appliedAt));
        object.insert(u"diff"_s, finding.diff);
        break;
    case CheckFinding::Kind::SchemaDiffers:
        object.insert(u"model"_s, finding.path);
        object.insert(u"differences"_s, QJsonArray::fromStringList(finding.differences));
        break;
    }
    return object;
}

} // namespace

QList<CliCommand> AuditCommands::commands()
{
    return {
        {u"log"_s,
         u"Show the audit history of this database's migrations (newest first)."_s,
         u"Show the audit history of the database (the qmigrate_history table, beside the version table): "
         u"one "
         u"line per applied, reverted or stamped step and per failure, newest first. Times are UTC."_s,
         {},
         {CliCommand::jsonOption(),
          QCommandLineOption({u"r"_s, u"revision"_s},
                             u"Only the rows of this revision (an id, a unique prefix or a label)."_s,
                             u"REV"_s),
          QCommandLineOption({u"n"_s, u"limit"_s}, u"At most this many rows."_s, u"LIMIT"_s)},
         0,
         0,
         &AuditCommands::log},
        {u"check"_s,
         u"Check for unmerged heads and for applied scripts changed since they were applied."_s,
         u"Check the scripts and the database: fails (exit 1) when the scripts have several heads that need "
         u"a "
         u"merge, or when the file of an applied revision changed since it was applied (compared with the "
         u"text kept in the audit history; the diff is shown). Revisions applied without the audit history "
         u"(e.g. by Alembic) cannot be compared and are skipped; a database without a version table is only "
         u"checked for heads. When the project has a schema.sql model, it also fails when the schema the "
         u"revisions build at head differs from the model (both are built on scratch databases of the "
         u"configured backend and compared; the differences are listed). It also fails when a killed run "
         u"left a step half applied (MariaDB DDL, no-transaction statements), naming what of it committed. "
         u"--json prints {ok, problems}, each problem with its kind (multiple-heads, interrupted-step, "
         u"edited-since-applied, schema-differs) and details."_s,
         {},
         {CliCommand::jsonOption()},
         0,
         0,
         &AuditCommands::check},
    };
}

int AuditCommands::log(CliContext &context, const QCommandLineParser &parser)
{
    HistoryFilter filter;
    filter.revision = parser.value(u"revision"_s);
    if (parser.isSet(u"limit"_s)) {
        bool ok = false;
        filter.limit = parser.value(u"limit"_s).toInt(&ok);
        if (!ok || filter.limit <= 0)
            return context.usageError(
                u"--limit needs a positive number, not '%1'"_s.arg(parser.value(u"limit"_s)), u"log"_s);
    }
    if (!context.loadProject())
        return context.exitCode();
    Expected<DatabaseUrl> url = context.project().config().databaseUrl();
    if (!url)
        return context.fail(url.error());
    DatabaseStatus status(context.project(), *url, CliContext::applicationName());
    Expected<bool> exists = status.hasAuditHistory();
    if (!exists)
        return context.fail(exists.error());
    Expected<QList<HistoryEntry>> entries = status.history(filter);
    if (!entries)
        return context.fail(entries.error());
    QTextStream &out = context.out();
    if (context.json()) {
        QJsonArray array;
        for (const HistoryEntry &entry : std::as_const(*entries))
            array.append(historyJson(entry));
        context.printJson(QJsonDocument(array));
        return 0;
    }
    if (!*exists) {
        out << "No audit history yet: " << status.qualifiedHistoryTable() << " does not exist on "
            << url->toDisplayString() << " (it is created by the first upgrade, downgrade or stamp).\n";
        return 0;
    }
    if (entries->isEmpty()) {
        out << "No audit history rows"
            << (filter.revision.isEmpty() ? QString() : u" for revision "_s + filter.revision) << ".\n";
        return 0;
    }
    const QStringList header = {u"When (UTC)"_s, u"Direction"_s, u"Revision"_s,
                                u"Outcome"_s,    u"Duration"_s,  u"User@host"_s};
    QList<QStringList> rows;
    for (const HistoryEntry &entry : std::as_const(*entries))
        rows.append({utcText(entry.startedAt), HistoryEntry::directionName(entry.direction), entry.revision,
                     HistoryEntry::outcomeName(entry.outcome), durationText(entry.durationMs),
                     entry.osUser.isEmpty() ? entry.host : entry.osUser + u'@' + entry.host});
    QList<qsizetype> widths;
    for (const QString &title : header)
        widths.append(title.size());
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = qMax(widths[i], row.at(i).size());
    }
    const auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i)
            text += i + 1 < cells.size() ? cells.at(i).leftJustified(widths[i] + 2) : cells.at(i);
        out << text << '\n';
    };
    line(header);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        line(rows.at(i));
        const HistoryEntry &entry = entries->at(i);
        if (!entry.errorText.isEmpty())
            out << "    " << entry.errorText.section(u'\n', 0, 0) << '\n';
    }
    return 0;
}

int AuditCommands::check(CliContext &context, const QCommandLineParser &)
{
    if (!context.loadProject())
        return context.exitCode();
    const bool json = context.json();
    int problems = 0;
    QJsonArray problemsJson;
    // Text is printed as each problem is found, so that what was found stays on screen when a later part
    // of the check fails; JSON is printed whole at the end.
    Expected<QList<CheckFinding>> findings =
        ProjectCheck::run(context.project(), CliContext::applicationName(), [&](const CheckFinding &finding) {
            ++problems;
            if (json)
                problemsJson.append(findingJson(finding));
            else
                context.out() << (problems > 1 ? "\n" : "") << finding.message;
        });
    if (!findings)
        return context.fail(findings.error());
    if (json)
        context.printJson(
            QJsonDocument(QJsonObject{{u"ok"_s, problems == 0}, {u"problems"_s, problemsJson}}));
    if (problems == 0) {
        if (!json)
            context.out() << "No problems found.\n";
        return 0;
    }
    context.out().flush();
    context.err() << "FAILED: " << problems << (problems == 1 ? " problem" : " problems") << " found.\n";
    context.err().flush();
    context.setExitCode(1);
    return 1;
}

} // namespace qmigrate
