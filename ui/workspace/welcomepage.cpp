// SPDX-License-Identifier: MIT
#include "workspace/welcomepage.h"

#include <QCommandLinkButton>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_example(new QCommandLinkButton(tr("Open the Example"),
                                       tr("A small inventory project with a branch, a label and a merge, on "
                                          "its own SQLite file: try every action safely."),
                                       this))
    , m_open(new QCommandLinkButton(
          tr("Open a Project…"),
          tr("An Alembic folder (alembic.ini, env.py, versions/*.py) or a qmigrate SQL "
             "project."),
          this))
    , m_adopt(new QCommandLinkButton(tr("Adopt an Existing Database…"),
                                     tr("A database with no migrations yet: its schema becomes the first "
                                        "revision of a new project."),
                                     this))
    , m_new(new QCommandLinkButton(tr("New Project…"),
                                   tr("An empty qmigrate SQL project in a folder you choose."), this))
{
    setObjectName(u"welcomePage"_s);
    m_example->setObjectName(u"welcomeOpenExample"_s);
    m_open->setObjectName(u"welcomeOpenProject"_s);
    m_adopt->setObjectName(u"welcomeAdopt"_s);
    m_new->setObjectName(u"welcomeNewProject"_s);
    auto *title = new QLabel(tr("Welcome to qmigrate"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    title->setFont(big);
    auto *intro =
        new QLabel(tr("See a migrations folder as a graph, write revisions, and upgrade or downgrade a "
                      "database with the plan shown first. Help > Getting Started shows the way "
                      "around."),
                   this);
    intro->setWordWrap(true);

    // One fixed width, and each button as tall as its description needs at that width: the layout gives a
    // command link button the height of its size hint, which cuts a description that wraps.
    constexpr int columnWidth = 600;
    auto *column = new QWidget(this);
    column->setFixedWidth(columnWidth);
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->addWidget(title);
    columnLayout->addWidget(intro);
    columnLayout->addSpacing(12);
    const QMargins margins = columnLayout->contentsMargins();
    for (QCommandLinkButton *button : {m_example, m_open, m_adopt, m_new}) {
        columnLayout->addWidget(button);
        button->setMinimumHeight(button->heightForWidth(columnWidth - margins.left() - margins.right()) +
                                 button->fontMetrics().descent() + 4);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(column, 0, Qt::AlignHCenter);
    layout->addStretch(2);

    connect(m_example, &QCommandLinkButton::clicked, this, &WelcomePage::openExampleRequested);
    connect(m_open, &QCommandLinkButton::clicked, this, &WelcomePage::openProjectRequested);
    connect(m_adopt, &QCommandLinkButton::clicked, this, &WelcomePage::adoptRequested);
    connect(m_new, &QCommandLinkButton::clicked, this, &WelcomePage::newProjectRequested);
}

void WelcomePage::setExampleAvailable(bool available)
{
    m_example->setVisible(available);
}

} // namespace qmigrate
