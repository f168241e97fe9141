// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QTextBrowser;

namespace qmigrate {

// Help > Getting Started: the workflow in this app, from opening a project to upgrading a database, offline
// SQL and Alembic projects. Not modal, so it can stay open beside the window.
class GettingStartedDialog : public QDialog
{
    Q_OBJECT

public:
    explicit GettingStartedDialog(QWidget *parent = nullptr);

    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser;
};

} // namespace qmigrate
