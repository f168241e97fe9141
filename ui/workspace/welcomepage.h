// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QCommandLinkButton;

namespace qmigrate {

// What the window shows before any project is open (first start, or the last project gone): the three ways
// to begin, each one click.
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget *parent = nullptr);

    // Hidden when there is no bundled example to open.
    void setExampleAvailable(bool available);

    QCommandLinkButton *openExampleButton() const { return m_example; }
    QCommandLinkButton *openProjectButton() const { return m_open; }
    QCommandLinkButton *adoptButton() const { return m_adopt; }
    QCommandLinkButton *newProjectButton() const { return m_new; }

signals:
    void openExampleRequested();
    void openProjectRequested();
    void adoptRequested();
    void newProjectRequested();

private:
    QCommandLinkButton *m_example;
    QCommandLinkButton *m_open;
    QCommandLinkButton *m_adopt;
    QCommandLinkButton *m_new;
};

} // namespace qmigrate
