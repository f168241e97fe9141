// SPDX-License-Identifier: MIT
#pragma once

#include <QInputDialog>

namespace qmigrate {

class ProjectSession;

// Asks for the Python that runs the current Alembic project's own Alembic: a path or a command on PATH, empty
// to detect it. Shows what the last check of the current choice found; the answer goes to the session.
// Deletes itself when closed.
class PythonInterpreterDialog : public QInputDialog
{
    Q_OBJECT

public:
    PythonInterpreterDialog(ProjectSession *session, QWidget *parent = nullptr);
};

} // namespace qmigrate
