// SPDX-License-Identifier: MIT
#include "run/logpanel.h"

#include "core/engineerror.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new LogModel(this))
    , m_view(new QListView(this))
    , m_clearButton(new QPushButton(tr("Clear"), this))
    , m_copyButton(new QPushButton(tr("Copy"), this))
{
    m_view->setModel(m_model);
    // Uniform heights let the view lay out thousands of rows without measuring each one.
    m_view->setUniformItemSizes(true);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const int iconExtent = m_view->fontMetrics().height();
    m_view->setIconSize(QSize(iconExtent, iconExtent));
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);

    m_clearButton->setToolTip(tr("Remove every line from the log"));
    m_copyButton->setToolTip(tr("Copy the selected lines, or the whole log when nothing is selected"));

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addStretch(1);
    buttons->addWidget(m_copyButton);
    buttons->addWidget(m_clearButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_clearButton, &QPushButton::clicked, this, &LogPanel::clear);
    connect(m_copyButton, &QPushButton::clicked, this, &LogPanel::copyToClipboard);
    connect(m_view, &QListView::activated, this, [this](const QModelIndex &index) {
        const QString file = index.data(LogModel::FileRole).toString();
        if (!file.isEmpty())
            emit openLocation(file, index.data(LogModel::LineRole).toInt());
    });

    // Follow the end while the user is there: the range grows after new rows are laid out, so move to the
    // new end then; a scroll away from the end (by the user) stops following until they return.
    QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_following)
            bar->setValue(maximum);
    });
    connect(bar, &QScrollBar::valueChanged, this,
            [this, bar](int value) { m_following = value >= bar->maximum(); });
}

void LogPanel::appendLine(const QString &text, Severity severity)
{
    m_model->appendText(text, severity);
}

void LogPanel::appendDiagnostic(const EngineError &error, Severity severity)
{
    if (error.file().isEmpty())
        m_model->appendText(error.toString(), severity);
    else
        m_model->appendLocated(error.toString(), error.file(), error.line(), severity);
}

void LogPanel::clear()
{
    m_model->clear();
    m_following = true;
}

QString LogPanel::copyText() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    if (selected.isEmpty()) {
        rows.reserve(m_model->rowCount());
        for (int row = 0; row < m_model->rowCount(); ++row)
            rows.append(row);
    } else {
        for (const QModelIndex &index : selected)
            rows.append(index.row());
        std::sort(rows.begin(), rows.end()); // selection order is click order; copy in log order
    }
    QStringList lines;
    lines.reserve(rows.size());
    for (int row : std::as_const(rows))
        lines.append(m_model->copyText(row));
    return lines.isEmpty() ? QString() : lines.join(u'\n') + u'\n';
}

void LogPanel::copyToClipboard() const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(copyText());
}

} // namespace qmigrate
