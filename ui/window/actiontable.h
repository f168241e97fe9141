// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QAction;
class QMainWindow;
class QMenu;
class QToolBar;
class QWidget;

namespace qmigrate {

// The window's actions, each declared once with everything about it: the menu it is in, its text, icon,
// shortcut and tooltip, what it does, whether the toolbar shows it, and the rule that says when it is
// enabled. updateEnabled() applies every rule, so "when may the user do this" is written next to the
// action instead of in a second list that has to be kept in step with the first.
class ActionTable : public QObject
{
    Q_OBJECT

public:
    enum class ToolBarButton {
        None,
        TextBesideIcon,
        IconOnly, // for actions whose tooltip names them, so the toolbar fits at the default width
    };

    struct Entry
    {
        QString menu = {};       // the menu's title; menus appear in the order first named
        QString objectName = {}; // what tests and saved state find it by; may be empty
        QString text = {};
        QString icon = {}; // a freedesktop icon name (themedIcon); empty: none
        QKeySequence shortcut = {};
        // The widgets (with their children) where the shortcut works, for a key another widget uses for
        // something else (Ctrl+F finds text in the editor); empty: anywhere in the window.
        QList<QWidget *> shortcutScope = {};
        QString toolTip = {}; // empty: the text; either way the shortcut is appended
        std::function<void()> trigger = {};
        std::function<bool()> enabledWhen = {}; // empty: always enabled
        ToolBarButton toolBar = ToolBarButton::None;
        bool separatorBefore = false;        // in its menu
        bool toolBarSeparatorBefore = false; // on the toolbar
    };

    // Menus go into window's menu bar, toolbar buttons onto toolBar.
    ActionTable(QMainWindow *window, QToolBar *toolBar);

    QAction *add(const Entry &entry);
    // Adds an action made elsewhere (a dock's toggle) to the menu, its text given the first letter no other
    // item of that menu uses as its mnemonic.
    void addWithMnemonic(const QString &menuTitle, QAction *action);
    // The menu of that title, made (at the end of the menu bar) on first use.
    QMenu *menu(const QString &title);
    // Applies every action's enabled rule.
    void updateEnabled();

    // The letter after a single "&" of a menu text, lower case; none when the text has no mnemonic.
    static std::optional<QChar> mnemonicOf(const QString &text);
    // "Upgrade to Head (Ctrl+Shift+U)": what a tooltip says, with the shortcut when there is one.
    static QString toolTipWithShortcut(const QString &toolTip, const QKeySequence &shortcut);

private:
    struct Rule
    {
        QAction *action;
        std::function<bool()> enabledWhen;
    };

    QMainWindow *m_window;
    QToolBar *m_toolBar;
    QHash<QString, QMenu *> m_menus;
    QList<Rule> m_rules;
};

} // namespace qmigrate
