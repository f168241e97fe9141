#pragma once

#include <QInputDialog>

namespace qmigrate {

// Asks for the Python that runs an Alembic project's own Alembic: a path or a command on PATH, empty to
// detect it. Shows what the last check of the current choice found.
class PythonInterpreterDialog : public QInputDialog
{
    Q_OBJECT

public:
    // status: the last check's summary or advice; empty: not checked yet.
    PythonInterpreterDialog(const QString &current, const QString &status, QWidget *parent = nullptr);
};

} // namespace qmigrate
