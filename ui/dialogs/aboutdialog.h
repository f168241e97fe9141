// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QStringList>

class QLabel;
class QTextBrowser;

namespace qmigrate {

// Help > About: the version, the Qt and QScintilla it runs on, the Qt SQL drivers found (a missing one is
// why a backend cannot be used), and the licence.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // What the dialog says above the licence, as plain text.
    QString summaryText() const;
    QString licenceText() const;

    // The drivers qmigrate uses, with "found" or "missing (install …)" each.
    static QStringList driverLines(const QStringList &available);

private:
    QLabel *m_summary;
    QTextBrowser *m_licence;
};

} // namespace qmigrate
