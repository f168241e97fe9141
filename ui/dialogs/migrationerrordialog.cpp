// SPDX-License-Identifier: MIT
#include "dialogs/migrationerrordialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFont>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

MigrationErrorDialog::MigrationErrorDialog(QWidget *parent)
    : QDialog(parent)
    , m_heading(new QLabel(this))
    , m_location(new QLabel(this))
    , m_message(new QPlainTextEdit(this))
    , m_state(new QLabel(this))
{
    setObjectName(u"migrationErrorDialog"_s);
    setWindowTitle(tr("Migration failed"));
    setSizeGripEnabled(true);

    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical, nullptr, this).pixmap(size, size));
    icon->setAlignment(Qt::AlignTop);

    m_heading->setObjectName(u"errorHeading"_s);
    QFont bold = m_heading->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_heading->setFont(bold);
    m_location->setObjectName(u"errorLocation"_s);
    m_state->setObjectName(u"errorState"_s);
    for (QLabel *label : {m_heading, m_location, m_state}) {
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setWordWrap(true);
    }

    m_message->setObjectName(u"errorMessage"_s);
    m_message->setReadOnly(true);
    m_message->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_message->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    QFont mono(u"DejaVu Sans Mono"_s);
    mono.setStyleHint(QFont::Monospace);
    m_message->setFont(mono);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(u"errorButtons"_s);
    m_openButton = buttons->addButton(tr("Open at the failing line"), QDialogButtonBox::ActionRole);
    m_openButton->setObjectName(u"errorOpenLocation"_s);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_openButton, &QPushButton::clicked, this, [this] {
        emit openLocation(m_error.file(), m_error.line());
        accept();
    });

    auto *text = new QVBoxLayout;
    text->addWidget(m_heading);
    text->addWidget(m_location);
    text->addWidget(m_message, 1);
    text->addWidget(m_state);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addLayout(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);
    resize(720, 420);
}

MigrationErrorDialog::~MigrationErrorDialog() = default;

void MigrationErrorDialog::setError(const EngineError &error, const QStringList &rowsNow)
{
    m_error = error;
    m_heading->setText(error.revision().isEmpty()
                           ? tr("The migration failed")
                           : tr("The migration failed in revision %1").arg(error.revision()));
    if (error.file().isEmpty()) {
        m_location->setText(tr("No file is named by this error."));
    } else if (error.line() > 0) {
        m_location->setText(
            tr("File: %1, line %2").arg(QDir::toNativeSeparators(error.file())).arg(error.line()));
    } else {
        m_location->setText(tr("File: %1").arg(QDir::toNativeSeparators(error.file())));
    }
    m_message->setPlainText(error.message());
    m_state->setText(rowsNow.isEmpty() ? tr("The database is still at base: its version table has no rows.")
                                       : tr("The database is still at %1.").arg(rowsNow.join(u", "_s)));
    m_openButton->setEnabled(!error.file().isEmpty());
    m_openButton->setText(error.line() > 0 ? tr("Open at the failing line") : tr("Open the script"));
}

QString MigrationErrorDialog::headingText() const
{
    return m_heading->text();
}

QString MigrationErrorDialog::locationText() const
{
    return m_location->text();
}

QString MigrationErrorDialog::messageText() const
{
    return m_message->toPlainText();
}

QString MigrationErrorDialog::stateText() const
{
    return m_state->text();
}

} // namespace qmigrate
