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
    if (m_dialog) {
        m_dialog->setProject(std::move(project));
        return;
    }
    // Made with the first project: the dialog has no empty state.
    m_dialog = new NewRevisionDialog(m_controller, std::move(project), m_window);
    m_dialog->setPythonInterpreter(m_python);
    connect(m_dialog, &NewRevisionDialog::revisionCreated, this,
            [this](const QString &path, const QString &id) {
                emit logLine(tr("Wrote %1").arg(path));
                for (const QString &note : m_dialog->lastReviewNotes())
                    emit logLine(tr("Review %1: %2").arg(QFileInfo(path).fileName(), note));
                emit written(path, id);
            });
}

void RevisionAuthoring::setPythonInterpreter(const QString &program)
{
    m_python = program;
    if (m_dialog)
        m_dialog->setPythonInterpreter(program);
}

void RevisionAuthoring::newRevision(const QString &parentId, const std::optional<DatabaseUrl> &url)
{
    if (!m_dialog)
        return;
    m_dialog->prepareNewRevision(parentId);
    m_dialog->setDatabaseUrl(url);
    m_dialog->open();
}

void RevisionAuthoring::mergeHeads(const QStringList &heads)
{
    if (!m_dialog)
        return;
    m_dialog->prepareMerge(heads);
    m_dialog->setDatabaseUrl(std::nullopt); // a merge has nothing to draft
    m_dialog->open();
}

} // namespace qmigrate
