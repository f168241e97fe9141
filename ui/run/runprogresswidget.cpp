// SPDX-License-Identifier: MIT
#include "run/runprogresswidget.h"

#include <QFont>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

// "Running upgrade a -> b, message" -> "upgrade a → b, message"; "upgrade  -> a" (from base) ->
// "upgrade base → a"; Alembic's "stamp_revision" -> "stamp".
QString stepDescription(const QString &logLine)
{
    QString text = logLine;
    if (text.startsWith(u"Running "_s))
        text.remove(0, 8);
    if (text.startsWith(u"stamp_revision "_s))
        text.replace(0, 14, u"stamp"_s);
    text.replace(u"  -> "_s, u" base → "_s);
    text.replace(u" -> "_s, u" → "_s);
    return text;
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1) + u" s"_s;
}

} // namespace

RunProgressWidget::RunProgressWidget(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_step(new QLabel(this))
    , m_statement(new QLabel(this))
    , m_elapsed(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancelButton(new QPushButton(tr("Cancel"), this))
    , m_ticker(new QTimer(this))
{
    setObjectName(u"runProgress"_s);
    m_title->setObjectName(u"runTitle"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_step->setObjectName(u"runStep"_s);
    m_statement->setObjectName(u"runStatement"_s);
    m_elapsed->setObjectName(u"runElapsed"_s);
    m_status->setObjectName(u"runStatus"_s);
    m_progress->setObjectName(u"runProgressBar"_s);
    m_cancelButton->setObjectName(u"runCancel"_s);
    for (QLabel *label : {m_title, m_step, m_statement, m_elapsed, m_status}) {
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    QFont mono(u"DejaVu Sans Mono"_s);
    mono.setStyleHint(QFont::Monospace);
    m_statement->setFont(mono);
    // A long first line or message is clipped (the tooltip has it whole); it never widens the window.
    m_statement->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_step->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_elapsed->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_status->setWordWrap(true);
    m_progress->setFormat(tr("%v of %m steps"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_cancelButton->setEnabled(false);
    m_ticker->setObjectName(u"runTicker"_s);
    m_ticker->setInterval(100);
    connect(m_ticker, &QTimer::timeout, this, &RunProgressWidget::tick);
    connect(m_cancelButton, &QPushButton::clicked, this, &RunProgressWidget::requestCancel);

    auto *layout = new QGridLayout(this);
    layout->addWidget(m_title, 0, 0);
    layout->addWidget(m_elapsed, 0, 1);
    layout->addWidget(m_step, 1, 0, 1, 2);
    layout->addWidget(m_statement, 2, 0, 1, 2);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_cancelButton);
    layout->addLayout(bar, 3, 0, 1, 2);
    layout->addWidget(m_status, 4, 0, 1, 2);
    layout->setColumnStretch(0, 1);
    m_status->hide();
}

RunProgressWidget::~RunProgressWidget() = default;

QString RunProgressWidget::titleText() const
{
    return m_title->text();
}

QString RunProgressWidget::stepText() const
{
    return m_step->text();
}

QString RunProgressWidget::statementText() const
{
    return m_statement->text();
}

QString RunProgressWidget::elapsedText() const
{
    return m_elapsed->text();
}

QString RunProgressWidget::statusText() const
{
    return m_status->text();
}

void RunProgressWidget::start(const QString &title, int stepCount)
{
    m_running = true;
    m_cancelling = false;
    m_stepStarted = false;
    m_title->setText(title);
    m_step->setText(tr("Connecting…"));
    m_statement->clear();
    m_status->clear();
    m_status->hide();
    // 0 steps known yet: a busy bar until the first step says how many.
    m_progress->setRange(0, qMax(stepCount, 0));
    m_progress->setValue(0);
    m_progress->setTextVisible(stepCount > 0);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setEnabled(true);
    m_runClock.start();
    m_statementClock.invalidate();
    tick();
    m_ticker->start();
}

void RunProgressWidget::onStepStarted(int index, int count, const QString &logLine)
{
    if (count > 0) {
        m_progress->setMaximum(count);
        m_progress->setTextVisible(true);
    }
    m_stepStarted = true;
    m_step->setText(tr("Step %1 of %2: %3").arg(index + 1).arg(count).arg(stepDescription(logLine)));
    m_step->setToolTip(logLine);
    m_statement->clear();
    m_statementClock.invalidate();
    tick();
}

void RunProgressWidget::onStatementStarted(int line, const QString &text)
{
    const QString first = text.section(u'\n', 0, 0).trimmed();
    const bool more = text.contains(u'\n');
    const QString shown = tr("Line %1: %2").arg(line).arg(first + (more ? u" …"_s : QString()));
    m_statement->setText(shown);
    m_statement->setToolTip(text);
    m_statementClock.start();
    tick();
}

void RunProgressWidget::onStepFinished(int index, int count)
{
    if (count > 0)
        m_progress->setMaximum(count);
    m_progress->setValue(index + 1);
}

void RunProgressWidget::finish(bool ok, const QString &summary)
{
    // What stays shown is the run's total time.
    m_statementClock.invalidate();
    tick();
    m_running = false;
    m_ticker->stop();
    m_cancelButton->setEnabled(false);
    if (m_progress->maximum() == 0) // no step ever started: stop the busy bar
        m_progress->setRange(0, 1);
    if (!m_stepStarted)
        m_step->setText(ok ? tr("Nothing to run") : tr("Stopped before the first step"));
    if (ok)
        m_progress->setValue(m_progress->maximum());
    m_statement->clear();
    m_status->setText(summary);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, ok ? QColor(0x2e, 0x7d, 0x32) : QColor(0xb7, 0x1c, 0x1c));
    m_status->setPalette(palette);
    m_status->show();
}

void RunProgressWidget::clear()
{
    if (m_running)
        return;
    m_ticker->stop();
    m_runClock.invalidate();
    m_statementClock.invalidate();
    for (QLabel *label : {m_title, m_step, m_statement, m_elapsed, m_status}) {
        label->clear();
        label->setToolTip({});
    }
    m_status->hide();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_cancelButton->setEnabled(false);
}

void RunProgressWidget::requestCancel()
{
    if (!m_running || m_cancelling)
        return;
    m_cancelling = true;
    m_cancelButton->setEnabled(false);
    m_status->setText(tr("Cancelling after the current statement…"));
    m_status->setPalette(palette());
    m_status->show();
    emit cancelRequested();
}

void RunProgressWidget::tick()
{
    if (!m_runClock.isValid()) {
        m_elapsed->clear();
        return;
    }
    QString text = tr("total %1").arg(seconds(m_runClock.elapsed()));
    if (m_statementClock.isValid())
        text = tr("statement %1 · %2").arg(seconds(m_statementClock.elapsed()), text);
    m_elapsed->setText(text);
}

} // namespace qmigrate
