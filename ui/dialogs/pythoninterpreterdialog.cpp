// SPDX-License-Identifier: MIT
#include "dialogs/pythoninterpreterdialog.h"

#include "workspace/projectsession.h"

using namespace Qt::StringLiterals;

namespace qmigrate {

PythonInterpreterDialog::PythonInterpreterDialog(ProjectSession *session, QWidget *parent)
    : QInputDialog(parent)
{
    const QString status = session->pythonStatus();
    setAttribute(Qt::WA_DeleteOnClose);
    setObjectName(u"pythonInterpreterDialog"_s);
    setWindowTitle(tr("Python Interpreter"));
    setLabelText(tr("The Python that runs this project's Alembic (a path, or a command on PATH).\n"
                    "Leave it empty to detect it: $VIRTUAL_ENV, a .venv, venv or env folder next to "
                    "alembic.ini, then the first python3 that has Alembic.\n\nNow: %1")
                     .arg(status.isEmpty() ? tr("not checked yet") : status));
    setTextValue(session->pythonInterpreter());
    connect(this, &QInputDialog::textValueSelected, session, &ProjectSession::setPythonInterpreter);
}

} // namespace qmigrate
