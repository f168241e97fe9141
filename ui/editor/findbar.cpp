// SPDX-License-Identifier: MIT
#include "editor/findbar.h"

#include <Qsci/qsciscintilla.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

FindBar::FindBar(QsciScintilla *edit, QWidget *parent)
    : QWidget(parent)
    , m_edit(edit)
    , m_findEdit(new QLineEdit(this))
    , m_replaceEdit(new QLineEdit(this))
    , m_caseBox(new QCheckBox(tr("Match case"), this))
    , m_replaceButton(new QPushButton(tr("Replace"), this))
    , m_replaceAllButton(new QPushButton(tr("Replace all"), this))
    , m_replaceRow(new QWidget(this))
    , m_status(new QLabel(this))
{
    setObjectName(u"findBar"_s);
    m_findEdit->setObjectName(u"findEdit"_s);
    m_replaceEdit->setObjectName(u"replaceEdit"_s);
    m_replaceButton->setObjectName(u"replaceButton"_s);
    m_replaceAllButton->setObjectName(u"replaceAllButton"_s);
    m_findEdit->setPlaceholderText(tr("Find"));
    m_replaceEdit->setPlaceholderText(tr("Replace with"));
    m_findEdit->setClearButtonEnabled(true);

    auto *previousButton = new QPushButton(tr("Previous"), this);
    auto *nextButton = new QPushButton(tr("Next"), this);
    nextButton->setObjectName(u"findNextButton"_s);
    previousButton->setObjectName(u"findPreviousButton"_s);
    auto *closeButton = new QToolButton(this);
    closeButton->setObjectName(u"closeFindBarButton"_s);
    closeButton->setText(u"\u00d7"_s);
    closeButton->setToolTip(tr("Close (Esc)"));
    closeButton->setAutoRaise(true);

    auto *findRow = new QHBoxLayout;
    findRow->setContentsMargins(0, 0, 0, 0);
    findRow->addWidget(m_findEdit, 1);
    findRow->addWidget(previousButton);
    findRow->addWidget(nextButton);
    findRow->addWidget(m_caseBox);
    findRow->addWidget(m_status);
    findRow->addWidget(closeButton);

    auto *replaceLayout = new QHBoxLayout(m_replaceRow);
    replaceLayout->setContentsMargins(0, 0, 0, 0);
    replaceLayout->addWidget(m_replaceEdit, 1);
    replaceLayout->addWidget(m_replaceButton);
    replaceLayout->addWidget(m_replaceAllButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(findRow);
    layout->addWidget(m_replaceRow);

    connect(m_findEdit, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(nextButton, &QPushButton::clicked, this, &FindBar::findNext);
    connect(previousButton, &QPushButton::clicked, this, &FindBar::findPrevious);
    connect(m_replaceEdit, &QLineEdit::returnPressed, this, &FindBar::replaceCurrent);
    connect(m_replaceButton, &QPushButton::clicked, this, &FindBar::replaceCurrent);
    connect(m_replaceAllButton, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(closeButton, &QToolButton::clicked, this, [this] {
        hide();
        m_edit->setFocus();
    });
    connect(m_findEdit, &QLineEdit::textEdited, this, [this] { setStatus(QString()); });
}

void FindBar::activate(bool replace)
{
    m_replaceRow->setVisible(replace);
    // Start from what the user selected, like most editors do.
    if (m_edit->hasSelectedText() && !m_edit->selectedText().contains(QLatin1Char('\n')))
        m_findEdit->setText(m_edit->selectedText());
    show();
    m_findEdit->setFocus();
    m_findEdit->selectAll();
}

void FindBar::setFindText(const QString &text)
{
    m_findEdit->setText(text);
}

void FindBar::setReplaceText(const QString &text)
{
    m_replaceEdit->setText(text);
}

void FindBar::setCaseSensitive(bool caseSensitive)
{
    m_caseBox->setChecked(caseSensitive);
}

void FindBar::setReplaceEnabled(bool enabled)
{
    m_replaceEnabled = enabled;
    m_replaceEdit->setEnabled(enabled);
    m_replaceButton->setEnabled(enabled);
    m_replaceAllButton->setEnabled(enabled);
}

QString FindBar::statusText() const
{
    return m_status->text();
}

bool FindBar::findNext()
{
    return find(true, false);
}

bool FindBar::findPrevious()
{
    return find(false, false);
}

bool FindBar::find(bool forward, bool fromSelectionStart)
{
    const QString expr = m_findEdit->text();
    if (expr.isEmpty())
        return false;
    int line = 0;
    int index = 0;
    if (m_edit->hasSelectedText()) {
        int lineFrom, indexFrom, lineTo, indexTo;
        m_edit->getSelection(&lineFrom, &indexFrom, &lineTo, &indexTo);
        // Searching from the explicit selection bounds, not the caret, so "Previous" does not
        // find the match that is already selected.
        if (forward && !fromSelectionStart) {
            line = lineTo;
            index = indexTo;
        } else {
            line = lineFrom;
            index = indexFrom;
        }
    } else {
        m_edit->getCursorPosition(&line, &index);
    }
    const bool found =
        m_edit->findFirst(expr, false, m_caseBox->isChecked(), false, true, forward, line, index);
    setStatus(found ? QString() : tr("Not found"));
    return found;
}

bool FindBar::selectionMatches() const
{
    if (!m_edit->hasSelectedText())
        return false;
    return QString::compare(m_edit->selectedText(), m_findEdit->text(),
                            m_caseBox->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive) == 0;
}

bool FindBar::replaceCurrent()
{
    if (!m_replaceEnabled || m_edit->isReadOnly() || m_findEdit->text().isEmpty())
        return false;
    if (!selectionMatches())
        return find(true, true);
    m_edit->replaceSelectedText(m_replaceEdit->text());
    find(true, false);
    return true;
}

int FindBar::replaceAll()
{
    const QString expr = m_findEdit->text();
    if (!m_replaceEnabled || m_edit->isReadOnly() || expr.isEmpty())
        return 0;
    int count = 0;
    m_edit->beginUndoAction();
    // No wrapping: each search starts after the previous replacement, so a replacement that
    // contains the search text is not replaced again.
    bool found = m_edit->findFirst(expr, false, m_caseBox->isChecked(), false, false, true, 0, 0, false);
    while (found) {
        m_edit->replace(m_replaceEdit->text());
        ++count;
        found = m_edit->findNext();
    }
    m_edit->endUndoAction();
    setStatus(tr("%n replaced", nullptr, count));
    return count;
}

void FindBar::setStatus(const QString &text)
{
    m_status->setText(text);
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        m_edit->setFocus();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace qmigrate
