// SPDX-License-Identifier: MIT
#pragma once

#include "config/databaseurl.h"

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

class QWidget;

namespace qmigrate {

class MigrationController;
class NewRevisionDialog;
class Project;

// New revision and Merge heads in the window: the one NewRevisionDialog, made when first used and kept on the
// current project (and its Python interpreter). What it writes is announced with written() and logLine();
// reading the project again is the caller's.
class RevisionAuthoring : public QObject
{
    Q_OBJECT

public:
    // The dialog is window-modal to window; controller (not owned) writes the revisions.
    RevisionAuthoring(MigrationController *controller, QWidget *window);

    // Null until New revision or Merge heads was asked for with a project set.
    NewRevisionDialog *dialog() const { return m_dialog; }
    void setProject(std::shared_ptr<const Project> project);
    void setPythonInterpreter(const QString &program);
    // A revision on parentId (empty: the head); url is the database autogenerate may draft from.
    void newRevision(const QString &parentId, const std::optional<DatabaseUrl> &url);
    void mergeHeads(const QStringList &heads);

signals:
    void written(const QString &path, const QString &revisionId);
    void logLine(const QString &text);

private:
    bool ensureDialog();

    MigrationController *m_controller;
    QWidget *m_window;
    NewRevisionDialog *m_dialog = nullptr;
    std::shared_ptr<const Project> m_project;
    QString m_python;
};

} // namespace qmigrate
