// SPDX-License-Identifier: MIT
#include "run/historytable.h"

#include "run/historyfilterproxymodel.h"
#include "run/historymodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

HistoryTable::HistoryTable(QWidget *parent)
    : QWidget(parent)
    , m_model(new HistoryModel(this))
    , m_proxy(new HistoryFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_outcome(new QComboBox(this))
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(m_stack))
    , m_view(new QTableView(m_stack))
{
    m_proxy->setSourceModel(m_model);

    m_filter->setPlaceholderText(tr("Filter by revision, user, host, direction, outcome or error"));
    m_filter->setClearButtonEnabled(true);
    // Order matches OutcomeChoice.
    m_outcome->addItem(tr("All outcomes"));
    m_outcome->addItem(tr("Success"));
    m_outcome->addItem(tr("Failed"));
    m_outcome->addItem(tr("Cancelled"));

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(HistoryModel::WhenColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    // One text line per row: the style's default rows are twice as tall as the text here.
    const int rowHeight = m_view->fontMetrics().height() + 6;
    m_view->verticalHeader()->setMinimumSectionSize(rowHeight);
    m_view->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_view);

    auto *filters = new QHBoxLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_outcome);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_stack, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &HistoryFilterProxyModel::setFilterText);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, [this](int choice) {
        switch (choice) {
        case SuccessOutcome:
            m_proxy->setOutcomeFilter(HistoryEntry::Outcome::Success);
            break;
        case FailedOutcome:
            m_proxy->setOutcomeFilter(HistoryEntry::Outcome::Failed);
            break;
        case CancelledOutcome:
            m_proxy->setOutcomeFilter(HistoryEntry::Outcome::Cancelled);
            break;
        default:
            m_proxy->setOutcomeFilter(std::nullopt);
            break;
        }
    });
    connect(m_view, &QTableView::activated, this, &HistoryTable::activateRow);

    clear();
}

void HistoryTable::setEntries(const QList<HistoryEntry> &entries)
{
    const bool wasEmpty = m_model->rowCount() == 0;
    m_model->setEntries(entries);
    if (entries.isEmpty()) {
        showPlaceholder(tr("No qmigrate_history on this database yet"));
        return;
    }
    // Fit the columns when rows first appear, and keep the user's widths on every later refresh. The error
    // column stretches to the rest: fitting it to the longest error would push the others out of view.
    if (wasEmpty) {
        for (int column = 0; column < HistoryModel::ErrorColumn; ++column)
            m_view->resizeColumnToContents(column);
    }
    m_stack->setCurrentWidget(m_view);
}

void HistoryTable::clear(const QString &reason)
{
    m_model->setEntries({});
    showPlaceholder(reason.isEmpty() ? tr("No connection selected") : reason);
}

bool HistoryTable::isShowingPlaceholder() const
{
    return m_stack->currentWidget() == m_placeholder;
}

QString HistoryTable::placeholderText() const
{
    return m_placeholder->text();
}

void HistoryTable::showPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholder);
}

void HistoryTable::activateRow(const QModelIndex &proxyIndex)
{
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    if (!source.isValid())
        return;
    const HistoryEntry &entry = m_model->entry(source.row());
    if (entry.direction == HistoryEntry::Direction::Stamp && entry.revision == "base"_L1)
        return;
    const QString id = entry.revision.section(u", "_s, 0, 0);
    if (!id.isEmpty())
        emit revisionActivated(id);
}

} // namespace qmigrate
