// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"
#include "graph/databasestate.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QMessageBox;
class QWidget;

namespace qmigrate {

class Project;
class ScriptEditor;

// Brings the script a user asks for into the editor without ever losing edits: with unsaved changes it asks
// Save / Discard / Cancel first (one question at a time; the newest request is the one followed). It also
// keeps what the editor marks in step with the file shown: the project's warnings and the last failed run's
// error about that file, and the banner on a revision already applied to the selected database.
class ScriptNavigator : public QObject
{
    Q_OBJECT

public:
    // The question is a child of dialogParent, as any window-modal dialog.
    ScriptNavigator(ScriptEditor *editor, QWidget *dialogParent);

    // Opens path (at line when line > 0, then lineRequested() follows); empty paths are ignored.
    void open(const QString &path, int line);
    // scripts: the revision index of each script file (LiveProject::scriptIndex()), so that showing a file
    // looks its revision up rather than searching the map; worked out here when not given.
    void setProject(std::shared_ptr<const Project> project,
                    std::shared_ptr<const QHash<QString, int>> scripts = nullptr);
    // What the selected database holds (its indices are into the project's map), and its display name.
    void setDatabaseState(const DatabaseState &state, const QString &databaseName);
    // The failing run's error (its line is marked when it is about the file shown); empty: none.
    void setRunError(std::optional<EngineError> error);

    // The Save / Discard / Cancel question while it is asked, else null.
    QMessageBox *unsavedEditsQuestion() const { return m_question; }

signals:
    // The script was opened at a line: show the editor.
    void lineRequested();
    // Cancel on the question: the revision whose script stays in the editor, to select again.
    void keptRevision(const QString &revisionId);
    void failed(const QString &message);

private:
    // path empty: about closing the file rather than opening another.
    void askAboutUnsavedEdits(const QString &path, int line);
    // Opens path in the editor, or shows no file when it is empty; false (and failed()) when it cannot.
    bool show(const QString &path);
    bool isScriptOfProject(const QString &path) const { return revisionOfScript(path) >= 0; }
    int revisionOfScript(const QString &path) const;
    void updateMarks();

    ScriptEditor *m_editor;
    QWidget *m_dialogParent;
    QMessageBox *m_question = nullptr;
    std::shared_ptr<const Project> m_project;
    std::shared_ptr<const QHash<QString, int>> m_scripts;
    DatabaseState m_state;
    QString m_databaseName;
    std::optional<EngineError> m_runError;
};

} // namespace qmigrate
