// SPDX-License-Identifier: MIT
#include "dialogs/projectchooser.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>

namespace qmigrate {

ProjectChooser::ProjectChooser(QWidget *window)
    : QObject(window)
    , m_window(window)
{}

void ProjectChooser::chooseProject()
{
    auto *dialog =
        new QFileDialog(m_window, tr("Open Project"), {}, tr("Alembic configuration (*.ini);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &ProjectChooser::openRequested);
    dialog->open();
}

void ProjectChooser::chooseNewProjectFolder()
{
    chooseFolder(tr("New Project: choose an empty folder"), &ProjectChooser::createRequested);
}

void ProjectChooser::confirmAdoption(const QString &databaseName)
{
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Adopt existing database"),
        tr("Put %1 under migrations?\n\nA new project gets a baseline revision that recreates the "
           "database's tables, keys, indexes and views as they are now, and schema.sql starts as that "
           "schema. "
           "The database is then stamped at the baseline: only its version table is written, no other SQL "
           "runs.")
            .arg(databaseName),
        QMessageBox::Cancel, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *next = box->addButton(tr("Choose the project folder…"), QMessageBox::AcceptRole);
    connect(next, &QPushButton::clicked, this, [this] {
        chooseFolder(tr("Adopt existing database: folder of the new project"),
                     &ProjectChooser::adoptRequested);
    });
    box->open();
}

void ProjectChooser::chooseFolder(const QString &title, void (ProjectChooser::*chosen)(const QString &))
{
    auto *dialog = new QFileDialog(m_window, title);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, chosen);
    dialog->open();
}

} // namespace qmigrate
