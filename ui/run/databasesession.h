// SPDX-License-Identifier: MIT
#pragma once

#include "audit/audithistory.h"
#include "config/databaseurl.h"
#include "core/engineerror.h"
#include "graph/databasestate.h"
#include "plan/migrationplan.h"
#include "plan/plandetails.h"
#include "run/migrationcontroller.h"
#include "run/runprogressthrottle.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace qmigrate {

class Project;

// The database the GUI works against, and the one way it is changed: plan, show, run the plan shown. It
// keeps what the database looks like (DatabaseState, audit history) up to date from the
// MigrationController's results, and during a run as its steps commit (at most ~30 times a second, the
// last step always), so the graph recolours as the run goes without falling behind it.
// Answers for an older database, project or request are dropped. No widgets: MainWindow shows the plan and
// the progress from these signals.
class DatabaseSession : public QObject
{
    Q_OBJECT

public:
    using Action = MigrationController::RunKind;

    explicit DatabaseSession(QObject *parent = nullptr);

    MigrationController *controller() const { return m_controller; }

    // A new project (map and options); the database's state is read again for it. The same project read
    // again (same ini) keeps what is known of the database meanwhile, so the graph keeps its colours.
    void setProject(std::shared_ptr<const Project> project);
    void setProject(const Project &project); // a copy of it
    std::shared_ptr<const Project> project() const { return m_project; }
    const RevisionMap &map() const;

    // url carries the password for connecting; it is never shown (databaseName() is the display form).
    void setDatabase(const DatabaseUrl &url);
    void clearDatabase();
    bool hasDatabase() const { return m_url.has_value(); }
    std::optional<DatabaseUrl> url() const { return m_url; }
    QString databaseName() const;
    // One line for the status bar: the database and the revisions it is at ("reading…" before it is known).
    QString statusText() const;

    // Reads alembic_version and qmigrate_history again; stateChanged() or failed() follows. False when
    // there is no database or project to read.
    bool refresh();
    const DatabaseState &state() const { return m_state; }
    const QList<HistoryEntry> &history() const { return m_history; }
    // Applied revisions whose file differs from the text recorded when they were applied (oldest first),
    // from the history rows and the project's checksums: new with every state read and every project.
    const QList<ChangedScript> &editedScripts() const { return m_edited; }
    // The changed script of a revision id, or null.
    const ChangedScript *editedScript(const QString &revisionId) const;

    // Asks for the plan of an action (a dry run on the database): planReady() or failed() follows.
    void preparePlan(Action action, const QString &target);
    bool hasPreparedPlan() const { return m_prepared.has_value(); }
    // The map the prepared plan was made with (its step indices point into it); null without a plan.
    std::shared_ptr<const RevisionMap> preparedMap() const;
    // Runs the plan last given by planReady(), refused (before anything runs) if the database moved since.
    // False when there is none or a run is going on.
    bool runPreparedPlan();
    void discardPreparedPlan() { m_prepared.reset(); }
    // Stops the run before its next statement; its step rolls back.
    void cancel();
    bool isRunning() const { return m_runToken != 0; }

    static QString actionName(Action action); // "Upgrade", "Downgrade", "Stamp"

signals:
    void databaseChanged();
    // state() and history() are new: after a read, and after each step of a run.
    void stateChanged();
    // details: what the preview shows of the plan, made with it by the controller's worker.
    void planReady(qmigrate::DatabaseSession::Action action, const QString &target,
                   const qmigrate::MigrationPlan &plan, const QStringList &warnings,
                   const qmigrate::PlanDetails &details);
    void runStarted(qmigrate::DatabaseSession::Action action, const QString &target, int stepCount);
    void stepStarted(int index, int count, const QString &logLine);
    void statementStarted(int line, const QString &text);
    void stepFinished(int index, int count);
    void logLine(const QString &text);
    void warning(const QString &text);
    // After the state was read again (so state() is what the database holds after the run, also after a
    // failure that rolled back several steps); error is empty on success.
    void runFinished(bool ok, const qmigrate::EngineError &error);
    // A state read or a plan failed (not a run: that is runFinished).
    void failed(const qmigrate::EngineError &error);

private:
    struct PreparedPlan
    {
        Action action;
        QString target;
        MigrationPlan plan;
        std::shared_ptr<const Project> project;
    };

    void onFinished(quint64 token, bool ok, const EngineError &error);
    void deliverRunResult();
    void setState(DatabaseState state);

    MigrationController *m_controller;
    RunProgressThrottle *m_progress; // a run's steps and statements, at most ~30 times a second
    std::shared_ptr<const Project> m_project;
    std::shared_ptr<const Project> m_planProject; // the project of the plan requested last
    QList<ChangedScript> m_edited;
    std::optional<DatabaseUrl> m_url;
    DatabaseState m_state;
    QList<HistoryEntry> m_history;
    std::optional<PreparedPlan> m_prepared;
    // A finished run's outcome, held until the state after it is read.
    std::optional<std::pair<bool, EngineError>> m_runResult;
    Action m_planAction = Action::Upgrade;
    QString m_planTarget;
    quint64 m_stateToken = 0;
    quint64 m_planToken = 0;
    quint64 m_runToken = 0;
};

} // namespace qmigrate

Q_DECLARE_METATYPE(qmigrate::DatabaseSession::Action)
