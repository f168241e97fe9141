// SPDX-License-Identifier: MIT
#include "plan/offlinerenderer.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

EngineError usageError(const QString &message)
{
    return EngineError(message, EngineError::Kind::Usage);
}

EngineError purgeWithSqlError()
{
    return usageError(u"Can't use --purge with --sql mode"_s);
}

// Alembic splits with str.split(":", 2) and unpacks two values, so "a:b:c" dies with a Python traceback;
// qmigrate says what is wrong instead.
Expected<QStringList> splitRange(const QString &argument)
{
    const QStringList parts = argument.split(QLatin1Char(':'));
    if (parts.size() != 2)
        return usageError(u"Invalid revision range '%1': expected <fromrev>:<torev>"_s.arg(argument));
    return parts;
}

Expected<OfflineRange> parseRange(const RevisionMap &map, const QString &argument, bool sql,
                                  bool rangeRequired)
{
    OfflineRange range;
    if (!argument.contains(QLatin1Char(':'))) {
        if (sql && rangeRequired)
            return usageError(u"downgrade with --sql requires <fromrev>:<torev>"_s);
        range.targets = QStringList{argument};
        return range;
    }
    if (!sql)
        return usageError(u"Range revision not allowed"_s);
    Expected<QStringList> parts = splitRange(argument);
    if (!parts)
        return parts.error();
    Expected<QStringList> rows = OfflineRenderer::resolveStart(map, parts->at(0));
    if (!rows)
        return rows.error();
    range.hasStart = true;
    range.start = parts->at(0);
    range.startRows = *rows;
    range.targets = QStringList{parts->at(1)};
    return range;
}

// One item of the script: the text, ";" and the blank line Alembic's static_output leaves after it.
void put(QString &out, const QString &statement)
{
    out += statement;
    out += ";\n\n"_L1;
}

} // namespace

OfflineRenderer::OfflineRenderer(const RevisionMap &map, const Dialect &dialect, bool transactionPerMigration)
    : m_map(&map)
    , m_dialect(dialect)
    , m_transactionPerMigration(transactionPerMigration)
{}

QString OfflineRenderer::alembicLogLine(const QString &message)
{
    return u"INFO  [alembic.runtime.migration] "_s + message;
}

Expected<QString> OfflineRenderer::render(const MigrationPlan &plan, bool startsEmpty,
                                          QStringList *logLines) const
{
    return render(PlanDetails::split(*m_map, plan, m_dialect), startsEmpty, logLines);
}

Expected<QString> OfflineRenderer::render(const PlanDetails &details, bool startsEmpty,
                                          QStringList *logLines) const
{
    const MigrationPlan &plan = details.plan();
    if (plan.purge())
        return purgeWithSqlError();
    if (const QString problem = m_dialect.versionTableNameProblem(); !problem.isEmpty())
        return EngineError(problem, EngineError::Kind::Usage);
    if (details.backend() != m_dialect.backend()) {
        return EngineError(u"The plan's statements were split for another database than the script is for; "
                           u"make the plan for this database"_s,
                           EngineError::Kind::Usage);
    }

    const QString begin = m_dialect.offlineBeginTransactionSql();
    const QString commit = m_dialect.offlineCommitTransactionSql();
    const bool transactional = m_dialect.alembicTransactionalDdl();
    const bool perStep = transactional && m_transactionPerMigration;
    const bool wholeRun = transactional && !m_transactionPerMigration;

    QStringList log{u"Context impl %1."_s.arg(m_dialect.alembicImplName()), u"Generating static SQL"_s,
                    transactional ? u"Will assume transactional DDL."_s
                                  : u"Will assume non-transactional DDL."_s};
    QString out;
    if (wholeRun)
        put(out, begin);

    const QList<MigrationStep> &steps = plan.steps();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const MigrationStep &step = steps.at(i);
        if (perStep)
            put(out, begin);
        // Alembic checks for no rows before every step, not only the first. No plan empties the table and
        // goes on (a stamp to base is never combined with other destinations), but the rule is kept literal.
        const bool noRows = i == 0 ? startsEmpty : plan.rowsAfterStep(i - 1).isEmpty();
        if (noRows)
            put(out, m_dialect.createVersionTableSql());
        log.append(step.logLine());
        out += "-- Running "_L1 + step.shortLog() + "\n\n"_L1;

        if (step.direction != MigrationStep::Direction::Stamp) {
            const PlanDetails::Step &detail = details.steps().at(i);
            if (detail.python) {
                return EngineError(u"revision %1 is an Alembic Python script: its SQL comes from running its "
                                   "Python code, which qmigrate cannot render with --sql (use Alembic's own "
                                   "--sql for it, or rewrite it as a .sql revision)"_s.arg(detail.revisionId),
                                   detail.file, 0, detail.revisionId, EngineError::Kind::Project);
            }
            if (detail.scriptError)
                return *detail.scriptError;
            bool autocommit = false;
            for (const SqlStatement &statement : detail.statements) {
                // autocommit_block(): the open transaction ends before the block and a new one begins after.
                if (transactional && statement.noTransaction != autocommit) {
                    put(out, statement.noTransaction ? commit : begin);
                    autocommit = statement.noTransaction;
                }
                QString text = statement.text;
                text.replace(QLatin1Char('\t'), "    "_L1);
                put(out, text);
            }
            if (autocommit)
                put(out, begin);
        }

        for (const VersionChange &change : step.versionChanges) {
            switch (change.kind) {
            case VersionChange::Kind::Insert:
                put(out, m_dialect.insertVersionSql(change.to, Dialect::Mode::Offline));
                break;
            case VersionChange::Kind::Update:
                put(out, m_dialect.updateVersionSql(change.from, change.to));
                break;
            case VersionChange::Kind::Delete:
                put(out, m_dialect.deleteVersionSql(change.from));
                break;
            }
        }
        if (perStep)
            put(out, commit);
    }
    if (wholeRun)
        put(out, commit);

    if (logLines)
        *logLines = log;
    return out;
}

Expected<QStringList> OfflineRenderer::resolveStart(const RevisionMap &map, const QString &start)
{
    // Alembic's get_current_heads() offline: "base" means no rows; anything else goes through get_revision.
    // An empty start (":head") crashes Alembic; it reads naturally as base.
    if (start.isEmpty() || start == "base"_L1)
        return QStringList();
    Expected<int> revision = map.resolveOne(start);
    if (!revision) {
        EngineError error = revision.error();
        error.setKind(EngineError::Kind::Usage);
        return error;
    }
    if (*revision < 0)
        return QStringList();
    return QStringList{map.idOf(*revision)};
}

Expected<OfflineRange> OfflineRenderer::parseUpgrade(const RevisionMap &map, const QString &argument,
                                                     bool sql)
{
    return parseRange(map, argument, sql, false);
}

Expected<OfflineRange> OfflineRenderer::parseDowngrade(const RevisionMap &map, const QString &argument,
                                                       bool sql)
{
    return parseRange(map, argument, sql, true);
}

QStringList OfflineRenderer::defaultTargets(MigrationAction action)
{
    switch (action) {
    case MigrationAction::Upgrade:
        return {u"head"_s};
    case MigrationAction::Downgrade:
        return {u"-1"_s};
    case MigrationAction::Stamp:
        break;
    }
    return {};
}

Expected<OfflineRange> OfflineRenderer::parseTargets(const RevisionMap &map, MigrationAction action,
                                                     const QStringList &targets, bool sql, bool purge)
{
    switch (action) {
    case MigrationAction::Upgrade:
        return parseUpgrade(map, targets.value(0, u"head"_s), sql);
    case MigrationAction::Downgrade:
        return parseDowngrade(map, targets.value(0), sql);
    case MigrationAction::Stamp:
        break;
    }
    return parseStamp(map, targets, sql, purge);
}

Expected<MigrationPlan> OfflineRenderer::plan(const RevisionMap &map, MigrationAction action,
                                              const OfflineRange &range, bool purge, QStringList *warnings)
{
    switch (action) {
    case MigrationAction::Upgrade:
        return MigrationPlan::upgrade(map, range.startRows, range.target());
    case MigrationAction::Downgrade:
        return MigrationPlan::downgrade(map, range.startRows, range.target(), warnings);
    case MigrationAction::Stamp:
        break;
    }
    return MigrationPlan::stamp(map, range.startRows, range.targets, purge);
}

Expected<OfflineRange> OfflineRenderer::parseStamp(const RevisionMap &map, const QStringList &arguments,
                                                   bool sql, bool purge)
{
    OfflineRange range;
    if (!sql) {
        range.targets = arguments;
        return range;
    }
    if (purge)
        return purgeWithSqlError();
    for (const QString &argument : arguments) {
        if (!argument.contains(QLatin1Char(':'))) {
            range.targets.append(argument);
            continue;
        }
        Expected<QStringList> parts = splitRange(argument);
        if (!parts)
            return parts.error();
        // Alembic compares the texts, not the revisions they name.
        if (range.hasStart && range.start != parts->at(0)) {
            return usageError(
                u"Stamp operation with --sql only supports a single starting revision at a time"_s);
        }
        range.hasStart = true;
        range.start = parts->at(0);
        range.targets.append(parts->at(1));
    }
    if (range.hasStart) {
        Expected<QStringList> rows = resolveStart(map, range.start);
        if (!rows)
            return rows.error();
        range.startRows = *rows;
    }
    return range;
}

} // namespace qmigrate
