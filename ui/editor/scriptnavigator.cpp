// SPDX-License-Identifier: MIT
#include "editor/scriptnavigator.h"

#include "editor/scripteditor.h"
#include "project/project.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace qmigrate {

ScriptNavigator::ScriptNavigator(ScriptEditor *editor, QWidget *dialogParent)
    : QObject(editor)
    , m_editor(editor)
    , m_dialogParent(dialogParent)
{}

void ScriptNavigator::open(const QString &path, int line)
{
    if (path.isEmpty())
        return;
    // Never throw away unsaved edits to follow the selection: the user decides.
    if (m_editor->filePath() != path) {
        if (m_editor->isModified()) {
            askAboutUnsavedEdits(path, line);
            return;
        }
        if (!show(path))
            return;
    }
    if (line > 0) {
        emit lineRequested();
        m_editor->goToLine(line);
    }
}

void ScriptNavigator::setProject(std::shared_ptr<const Project> project,
                                 std::shared_ptr<const QHash<QString, int>> scripts)
{
    const bool another =
        !m_project || !project || m_project->config().iniPath() != project->config().iniPath();
    m_project = std::move(project);
    if (!scripts && m_project) {
        auto index = std::make_shared<QHash<QString, int>>();
        const RevisionMap &map = m_project->map();
        index->reserve(map.size());
        for (qsizetype i = 0; i < map.size(); ++i)
            index->insert(map.revision(int(i)).path, int(i));
        scripts = std::move(index);
    }
    m_scripts = std::move(scripts);
    if (another)
        m_runError.reset();
    // A script of the project before is not left in the editor as if it were one of this project; unsaved
    // edits to it are asked about first.
    const QString editing = m_editor->filePath();
    if (another && !editing.isEmpty() && !isScriptOfProject(editing)) {
        if (m_editor->isModified())
            askAboutUnsavedEdits({}, 0);
        else
            m_editor->closeFile();
    }
    updateMarks();
}

int ScriptNavigator::revisionOfScript(const QString &path) const
{
    return m_project && m_scripts ? m_scripts->value(path, -1) : -1;
}

bool ScriptNavigator::show(const QString &path)
{
    if (path.isEmpty()) {
        m_editor->closeFile();
    } else if (QString error; !m_editor->openFile(path, &error)) {
        emit failed(error);
        return false;
    }
    updateMarks();
    return true;
}

void ScriptNavigator::setDatabaseState(const DatabaseState &state, const QString &databaseName)
{
    m_state = state;
    m_databaseName = databaseName;
    updateMarks();
}

void ScriptNavigator::setRunError(std::optional<EngineError> error)
{
    m_runError = std::move(error);
    updateMarks();
}

void ScriptNavigator::askAboutUnsavedEdits(const QString &path, int line)
{
    if (m_question) {
        // One question at a time; the newest selection is the one to follow.
        m_question->setProperty("path", path);
        m_question->setProperty("line", line);
        return;
    }
    const QString editing = m_editor->filePath();
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Unsaved changes"),
                        tr("%1 has unsaved changes.").arg(QFileInfo(editing).fileName()),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_dialogParent);
    box->setObjectName(u"unsavedEditsQuestion"_s);
    box->setInformativeText(
        path.isEmpty() ? tr("Save them before closing it? It is not a script of the project now open.")
                       : tr("Save them before opening %1?").arg(QFileInfo(path).fileName()));
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setProperty("path", path);
    box->setProperty("line", line);
    m_question = box;
    connect(box, &QMessageBox::finished, this, [this, box, editing](int) {
        m_question = nullptr;
        const QString next = box->property("path").toString();
        const int nextLine = box->property("line").toInt();
        const QMessageBox::StandardButton answer = box->standardButton(box->clickedButton());
        if (answer == QMessageBox::Save || answer == QMessageBox::Discard) {
            QString error;
            if (answer == QMessageBox::Save && !m_editor->save(&error)) {
                emit failed(error);
                return;
            }
            // Showing the other file (or none) drops the buffer: the edits are gone, the file keeps its text.
            if (next.isEmpty() || answer == QMessageBox::Discard) {
                if (!show(next))
                    return;
            }
            open(next, nextLine);
            return;
        }
        // Cancel (or closed): the selection goes back to the revision being edited.
        if (!m_project)
            return;
        const RevisionMap &map = m_project->map();
        for (qsizetype index = 0; index < map.size(); ++index) {
            if (map.revision(int(index)).path == editing) {
                emit keptRevision(map.idOf(int(index)));
                break;
            }
        }
    });
    box->open();
}

void ScriptNavigator::updateMarks()
{
    const QString path = m_editor->filePath();
    QList<ScriptDiagnostic> diagnostics;
    QString banner;
    if (m_project && !path.isEmpty()) {
        for (const EngineError &warning : m_project->warnings()) {
            if (warning.file() == path)
                diagnostics.append(
                    {std::max(1, warning.line()), warning.message(), ScriptDiagnostic::Severity::Warning});
        }
        if (const int index = revisionOfScript(path); index >= 0 && m_state.isApplied(index))
            banner = tr("Applied on %1 — edits will not run there; add a new revision instead.")
                         .arg(m_databaseName);
    }
    if (m_runError && m_runError->file() == path && m_runError->line() > 0)
        diagnostics.append({m_runError->line(), m_runError->message(), ScriptDiagnostic::Severity::Error});
    m_editor->setDiagnostics(diagnostics);
    m_editor->setAppliedBanner(banner);
}

} // namespace qmigrate
