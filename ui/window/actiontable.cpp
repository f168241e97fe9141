#include "window/actiontable.h"

#include "common/icons.h"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>
#include <QToolButton>

namespace qmigrate {

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
    if (!entry.toolTip.isEmpty())
        action->setToolTip(entry.toolTip);
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

void ActionTable::updateEnabled()
{
    for (const Rule &rule : std::as_const(m_rules))
        rule.action->setEnabled(rule.enabledWhen());
}

} // namespace qmigrate
