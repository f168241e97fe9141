// SPDX-License-Identifier: MIT
#include "connections/passworddialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

PasswordDialog::PasswordDialog(const QString &connection, bool rememberByDefault, QWidget *parent)
    : QDialog(parent)
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("&Remember in the keychain"), this))
    , m_problem(new QLabel(this))
{
    setObjectName(u"passwordDialog"_s);
    setWindowTitle(tr("Password"));
    auto *intro = new QLabel(tr("Password to connect to %1:").arg(connection), this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    m_password->setObjectName(u"passwordEdit"_s);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMinimumWidth(280);
    m_remember->setObjectName(u"rememberPassword"_s);
    m_remember->setChecked(rememberByDefault);
    m_problem->setObjectName(u"keychainProblem"_s);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->hide();
    QPalette warning = m_problem->palette();
    warning.setColor(QPalette::WindowText, QColor(0xb3, 0x6b, 0x00)); // readable on light and dark windows
    m_problem->setPalette(warning);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetFixedSize); // the problem line grows the dialog, never a scrollbar
    m_password->setFocus();
}

void PasswordDialog::setKeychainProblem(const QString &text)
{
    m_problem->setText(text);
    m_problem->setVisible(!text.isEmpty());
}

void PasswordDialog::setRememberUnavailable(const QString &why)
{
    m_remember->setChecked(false);
    m_remember->setEnabled(false);
    m_remember->setToolTip(why);
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

bool PasswordDialog::remember() const
{
    return m_remember->isEnabled() && m_remember->isChecked();
}

} // namespace qmigrate
