// SPDX-License-Identifier: MIT
#include "dialogs/aboutdialog.h"

#include "common/icons.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QSqlDatabase>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <Qsci/qsciglobal.h>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

struct Driver
{
    QString name;
    QString backend;
    QString package; // Debian's package with it
};

const Driver drivers[] = {
    {u"QSQLITE"_s, u"SQLite"_s, u"libqt6sql6-sqlite"_s},
    {u"QPSQL"_s, u"PostgreSQL"_s, u"libqt6sql6-psql"_s},
    {u"QMYSQL"_s, u"MariaDB / MySQL"_s, u"libqt6sql6-mysql"_s},
};

} // namespace

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(this))
    , m_licence(new QTextBrowser(this))
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About qmigrate"));
    auto *icon = new QLabel(this);
    icon->setPixmap(themedIcon(u"qmigrate"_s).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);

    QString version = QCoreApplication::applicationVersion();
    if (version.isEmpty())
        version = tr("(unknown version)");
    const QStringList lines = {
        tr("qmigrate %1").arg(version),
        tr("Visual, safe database schema migrations, Alembic-compatible."),
        QString(),
        tr("Qt %1 (built with %2), QScintilla %3")
            .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                 QStringLiteral(QSCINTILLA_VERSION_STR)),
        tr("Database drivers:"),
    };
    m_summary->setObjectName(u"aboutSummary"_s);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(
        (lines + driverLines(QSqlDatabase::drivers()) +
         QStringList{QString(), tr("Licence: MIT (below). Copyright © 2026 The qmigrate developers.")})
            .join(u'\n'));

    m_licence->setObjectName(u"aboutLicence"_s);
    QFile licence(u":/LICENSE"_s);
    m_licence->setPlainText(licence.open(QIODevice::ReadOnly)
                                ? QString::fromUtf8(licence.readAll())
                                : tr("The licence text is missing from this build."));
    m_licence->setMinimumHeight(160);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_licence, 1);
    layout->addWidget(buttons);
    resize(560, 480);
}

QString AboutDialog::summaryText() const
{
    return m_summary->text();
}

QString AboutDialog::licenceText() const
{
    return m_licence->toPlainText();
}

QStringList AboutDialog::driverLines(const QStringList &available)
{
    QStringList lines;
    for (const Driver &driver : drivers) {
        lines.append(
            available.contains(driver.name)
                ? tr("  %1 (%2): found").arg(driver.backend, driver.name)
                : tr("  %1 (%2): missing — install %3").arg(driver.backend, driver.name, driver.package));
    }
    return lines;
}

} // namespace qmigrate
