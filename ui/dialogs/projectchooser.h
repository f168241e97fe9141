// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

class QWidget;

namespace qmigrate {

// The questions before a project is opened, made or adopted: which alembic.ini, which folder, and for an
// adoption what it will do to the database. Every dialog is window-modal and non-blocking (the window keeps
// working behind it); the answers come as signals, and nothing is done here.
class ProjectChooser : public QObject
{
    Q_OBJECT

public:
    explicit ProjectChooser(QWidget *window);

    void chooseProject();
    void chooseNewProjectFolder();
    // Says what adopting databaseName does, then asks for the new project's folder.
    void confirmAdoption(const QString &databaseName);

signals:
    void openRequested(const QString &iniPath);
    void createRequested(const QString &directory);
    void adoptRequested(const QString &directory);

private:
    void chooseFolder(const QString &title, void (ProjectChooser::*chosen)(const QString &));

    QWidget *m_window;
};

} // namespace qmigrate
