// SPDX-License-Identifier: MIT
#include "window/actiontable.h"

#include "common/icons.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QToolBar>
#include <QToolButton>
#include <QWidget>

#include <optional>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// A menu text as a sentence: without its mnemonic marker ("&&" is a literal ampersand) and the ellipsis.
QString plainText(const QString &menuText)
{
    QString text;
    text.reserve(menuText.size());
    for (qsizetype i = 0; i < menuText.size(); ++i) {
        if (menuText.at(i) == u'&' && i + 1 < menuText.size())
            ++i;
        text.append(menuText.at(i));
    }
    if (text.endsWith(u'…'))
        text.chop(1);
    return text;
}

} // namespace

ActionTable::ActionTable(QMainWindow *window, QToolBar *toolBar)
    : QObject(window)
    , m_window(window)
    , m_toolBar(toolBar)
{}

QMenu *ActionTable::menu(const QString &title)
{
    QMenu *&menu = m_menus[title];
    if (!menu)
        menu = m_window->menuBar()->addMenu(title);
    return menu;
}

QAction *ActionTable::add(const Entry &entry)
{
    QMenu *into = menu(entry.menu);
    if (entry.separatorBefore)
        into->addSeparator();
    QAction *action = entry.icon.isEmpty() ? into->addAction(entry.text)
                                           : into->addAction(themedIcon(entry.icon), entry.text);
    action->setObjectName(entry.objectName);
    if (!entry.shortcut.isEmpty())
        action->setShortcut(entry.shortcut);
    if (!entry.shortcutScope.isEmpty()) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        for (QWidget *widget : entry.shortcutScope)
            widget->addAction(action);
    }
    // Toolbar buttons show the tooltip, menus the shortcut: a user who only uses the toolbar learns the
    // key there.
    action->setToolTip(
        toolTipWithShortcut(entry.toolTip.isEmpty() ? plainText(entry.text) : entry.toolTip, entry.shortcut));
    if (entry.trigger)
        connect(action, &QAction::triggered, this, [trigger = entry.trigger] { trigger(); });
    if (entry.enabledWhen)
        m_rules.append({action, entry.enabledWhen});
    if (entry.toolBar != ToolBarButton::None) {
        if (entry.toolBarSeparatorBefore)
            m_toolBar->addSeparator();
        m_toolBar->addAction(action);
        if (entry.toolBar == ToolBarButton::IconOnly) {
            if (auto *button = qobject_cast<QToolButton *>(m_toolBar->widgetForAction(action)))
                button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        }
    }
    return action;
}

void ActionTable::addWithMnemonic(const QString &menuTitle, QAction *action)
{
    QMenu *into = menu(menuTitle);
    QSet<QChar> used;
    for (const QAction *item : into->actions()) {
        if (const auto letter = mnemonicOf(item->text()))
            used.insert(*letter);
    }
    QString text = action->text();
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isLetterOrNumber() && !used.contains(text.at(i).toLower())) {
            text.insert(i, u'&');
            break;
        }
    }
    action->setText(text);
    into->addAction(action);
}

std::optional<QChar> ActionTable::mnemonicOf(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) != u'&')
            return text.at(i + 1).toLower();
        ++i;
    }
    return std::nullopt;
}

QString ActionTable::toolTipWithShortcut(const QString &toolTip, const QKeySequence &shortcut)
{
    if (shortcut.isEmpty())
        return toolTip;
    return u"%1 (%2)"_s.arg(toolTip, shortcut.toString(QKeySequence::NativeText));
}

void ActionTable::updateEnabled()
{
    for (const Rule &rule : std::as_const(m_rules))
        rule.action->setEnabled(rule.enabledWhen());
}

} // namespace qmigrate
