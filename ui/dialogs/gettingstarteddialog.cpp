// SPDX-License-Identifier: MIT
#include "dialogs/gettingstarteddialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

GettingStartedDialog::GettingStartedDialog(QWidget *parent)
    : QDialog(parent)
    , m_browser(new QTextBrowser(this))
{
    setObjectName(u"gettingStartedDialog"_s);
    setWindowTitle(tr("Getting Started"));
    m_browser->setObjectName(u"gettingStartedText"_s);
    m_browser->setOpenExternalLinks(true);
    m_browser->setSource(QUrl(u"qrc:/resources/help/getting-started.html"_s));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser, 1);
    layout->addWidget(buttons);
    resize(640, 620);
}

} // namespace qmigrate
