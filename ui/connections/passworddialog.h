// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace qmigrate {

// Asks for the password of a connection that has none stored (never remembered, the keychain refused or is
// not there), as database clients do, with "Remember in the keychain". What went wrong with the keychain is
// said here, where the user is looking, not only in the log.
class PasswordDialog : public QDialog
{
    Q_OBJECT

public:
    // connection: how the user knows it, e.g. "staging — postgresql://ops@db/shop".
    PasswordDialog(const QString &connection, bool rememberByDefault, QWidget *parent = nullptr);

    // A sentence about the keychain (why it has no password to give); empty hides it.
    void setKeychainProblem(const QString &text);
    // Without a keychain, "remember" cannot be offered: the box is off and disabled, the tooltip says why.
    void setRememberUnavailable(const QString &why);

    QString password() const;
    bool remember() const;

    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *rememberBox() const { return m_remember; }
    QLabel *keychainProblemLabel() const { return m_problem; }

private:
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_problem;
};

} // namespace qmigrate
