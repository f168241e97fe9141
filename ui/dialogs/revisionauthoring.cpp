// SPDX-License-Identifier: MIT
#include "dialogs/revisionauthoring.h"

#include "dialogs/newrevisiondialog.h"

#include <QFileInfo>

namespace qmigrate {

RevisionAuthoring::RevisionAuthoring(MigrationController *controller, QWidget *window)
    : QObject(window)
    , m_controller(controller)
    , m_window(window)
{}

void RevisionAuthoring::setProject(std::shared_ptr<const Project> project)
{
    m_project = std::move(project);
    if (m_dialog)
        m_dialog->setProject(m_project);
}

// Made when first asked for rather than with the first project: building it is a few milliseconds of the
// window's opening that a user who only browses never needs.
bool RevisionAuthoring::ensureDialog()
{
    if (m_dialog)
        return true;
    if (!m_project)
        return false; // the dialog has no empty state
    m_dialog = new NewRevisionDialog(m_controller, m_project, m_window);
    m_dialog->setPythonInterpreter(m_python);
    connect(m_dialog, &NewRevisionDialog::revisionCreated, this,
            [this](const QString &path, const QString &id) {
                emit logLine(tr("Wrote %1").arg(path));
                for (const QString &note : m_dialog->lastReviewNotes())
                    emit logLine(tr("Review %1: %2").arg(QFileInfo(path).fileName(), note));
                emit written(path, id);
            });
    return true;
}

void RevisionAuthoring::setPythonInterpreter(const QString &program)
{
    m_python = program;
    if (m_dialog)
        m_dialog->setPythonInterpreter(program);
}

void RevisionAuthoring::newRevision(const QString &parentId, const std::optional<DatabaseUrl> &url)
{
    if (!ensureDialog())
        return;
    m_dialog->prepareNewRevision(parentId);
    m_dialog->setDatabaseUrl(url);
    m_dialog->open();
}

void RevisionAuthoring::mergeHeads(const QStringList &heads)
{
    if (!ensureDialog())
        return;
    m_dialog->prepareMerge(heads);
    m_dialog->setDatabaseUrl(std::nullopt); // a merge has nothing to draft
    m_dialog->open();
}

} // namespace qmigrate
