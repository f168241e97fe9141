// SPDX-License-Identifier: MIT
#include "dialogs/planpreviewdialog.h"

#include "common/colours.h"
#include "editor/editortheme.h"

#include "graph/revisionmap.h"
#include "run/migrationcontroller.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyle>
#include <QVBoxLayout>

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

constexpr int DestructiveMarker = 0;
constexpr int WarningMarker = 1;
// Designed for a light window; readableOn() gives lighter inks of the same hues on a dark one.
const QColor destructiveDesign(0xb7, 0x1c, 0x1c);
const QColor warningDesign(0x8a, 0x5a, 0x00);

QFont sqlFont()
{
    // One fixed face for every style: the SQL lexer's own defaults draw comments in a serif font.
    QFont font(u"DejaVu Sans Mono"_s, 10);
    font.setStyleHint(QFont::Monospace);
    font.setFixedPitch(true);
    return font;
}

QString rowsText(const QStringList &rows)
{
    return rows.isEmpty() ? u"base (no rows)"_s : rows.join(u", "_s);
}

QString revisionsText(const QStringList &revisions)
{
    return revisions.isEmpty() ? u"base"_s : revisions.join(u", "_s);
}

QString stepText(int index, const MigrationStep &step)
{
    QString verb;
    switch (step.direction) {
    case MigrationStep::Direction::Upgrade:
        verb = u"upgrade"_s;
        break;
    case MigrationStep::Direction::Downgrade:
        verb = u"downgrade"_s;
        break;
    case MigrationStep::Direction::Stamp:
        verb = u"stamp"_s;
        break;
    }
    QString text = u"%1. %2 %3 → %4"_s.arg(index + 1).arg(verb, revisionsText(step.fromRevisions),
                                                          revisionsText(step.toRevisions));
    if (!step.doc.isEmpty())
        text += u", "_s + step.doc;
    return text;
}

} // namespace

void PlanPreviewDialog::fitWarningList()
{
    // Tall enough for the first few warnings without scrolling, each as many lines as it wraps to at the
    // list's width, never taking the SQL's room. (sizeHintForRow is of no use here: it does not wrap to the
    // viewport before the list is laid out.)
    const QFontMetrics metrics = m_warningList->fontMetrics();
    const int textWidth =
        qMax(100, m_warningList->viewport()->width() - m_warningList->iconSize().width() - 16);
    int height = 0;
    for (int row = 0; row < qMin(m_warningList->count(), 5); ++row) {
        const QRect text = metrics.boundingRect(QRect(0, 0, textWidth, 10000), Qt::TextWordWrap,
                                                m_warningList->item(row)->text());
        height += qMax(text.height(), m_warningList->iconSize().height()) + 6;
    }
    height = qMin(height, 8 * (metrics.height() + 6));
    m_warningList->setFixedHeight(height + 2 * m_warningList->frameWidth());
}

bool PlanPreviewDialog::eventFilter(QObject *watched, QEvent *event)
{
    // The warnings wrap to the list's width: a new width, a new height (the height never changes the width).
    if (watched == m_warningList->viewport() && event->type() == QEvent::Resize && m_warningList->count() > 0)
        fitWarningList();
    return QDialog::eventFilter(watched, event);
}

PlanPreviewDialog::PlanPreviewDialog(MigrationController *controller, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_titleLabel(new QLabel(this))
    , m_databaseLabel(new QLabel(this))
    , m_rowsLabel(new QLabel(this))
    , m_warningsTitle(new QLabel(this))
    , m_warningList(new QListWidget(this))
    , m_body(new QStackedWidget(this))
    , m_nothingLabel(new QLabel(this))
    , m_stepList(new QListWidget(this))
    , m_stepLocation(new QLabel(this))
    , m_sqlView(new QsciScintilla(this))
    , m_lexer(new QsciLexerSQL(m_sqlView))
    , m_statusLabel(new QLabel(this))
    , m_buttons(new QDialogButtonBox(this))
{
    setObjectName(u"planPreviewDialog"_s);
    setWindowTitle(tr("Review the plan"));
    setSizeGripEnabled(true);

    m_titleLabel->setObjectName(u"planTitle"_s);
    QFont titleFont = m_titleLabel->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_titleLabel->setFont(titleFont);
    m_databaseLabel->setObjectName(u"planDatabase"_s);
    m_rowsLabel->setObjectName(u"planRows"_s);
    for (QLabel *label : {m_titleLabel, m_databaseLabel, m_rowsLabel}) {
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setTextFormat(Qt::PlainText);
    }

    m_warningsTitle->setObjectName(u"planWarningsTitle"_s);
    QFont boldFont = m_warningsTitle->font();
    boldFont.setBold(true);
    m_warningsTitle->setFont(boldFont);
    m_warningList->setObjectName(u"planWarnings"_s);
    m_warningList->setWordWrap(true);
    m_warningList->setAlternatingRowColors(true);
    m_warningList->setIconSize(QSize(16, 16));
    m_warningList->setToolTip(tr("Click a warning to show its statement"));
    m_warningList->viewport()->installEventFilter(this);
    connect(m_warningList, &QListWidget::currentRowChanged, this, &PlanPreviewDialog::onWarningActivated);

    m_nothingLabel->setObjectName(u"planNothingToDo"_s);
    m_nothingLabel->setAlignment(Qt::AlignCenter);
    m_nothingLabel->setWordWrap(true);
    m_nothingLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_stepList->setObjectName(u"planSteps"_s);
    m_stepList->setWordWrap(true);
    m_stepList->setTextElideMode(Qt::ElideRight);
    m_stepList->setAlternatingRowColors(true);
    m_stepList->setSpacing(1);
    m_stepList->setIconSize(QSize(16, 16));
    connect(m_stepList, &QListWidget::currentRowChanged, this, &PlanPreviewDialog::showStep);

    m_stepLocation->setObjectName(u"planStepLocation"_s);
    m_stepLocation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stepLocation->setTextFormat(Qt::PlainText);

    m_sqlView->setObjectName(u"planSql"_s);
    m_sqlView->setUtf8(true);
    const QFont font = sqlFont();
    m_lexer->setDefaultFont(font);
    m_lexer->setFont(font); // -1: every style of this lexer
    m_sqlView->setLexer(m_lexer);
    EditorTheme(palette()).apply(m_sqlView, m_lexer);
    m_sqlView->setFont(font);
    m_sqlView->setMarginsFont(font);
    // The margin shows the file's line numbers, not the view's: errors and warnings name file lines.
    m_sqlView->setMarginType(0, QsciScintilla::TextMarginRightJustified);
    m_sqlView->setMarginWidth(0, u"00000"_s);
    m_sqlView->setMarginType(1, QsciScintilla::SymbolMargin);
    m_sqlView->setMarginWidth(1, 14);
    m_sqlView->setMarginMarkerMask(1, (1 << DestructiveMarker) | (1 << WarningMarker));
    m_sqlView->markerDefine(QsciScintilla::Circle, DestructiveMarker);
    m_sqlView->setMarkerBackgroundColor(QColor(0xd3, 0x2f, 0x2f), DestructiveMarker);
    m_sqlView->setMarkerForegroundColor(destructiveDesign, DestructiveMarker);
    m_sqlView->markerDefine(QsciScintilla::Circle, WarningMarker);
    m_sqlView->setMarkerBackgroundColor(QColor(0xf2, 0xa9, 0x00), WarningMarker);
    m_sqlView->setMarkerForegroundColor(warningDesign, WarningMarker);
    // Scintilla's default scroll width is 2000 px, which shows a useless horizontal scroll bar.
    m_sqlView->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTH, 1);
    m_sqlView->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTHTRACKING, true);
    m_sqlView->setReadOnly(true);
    m_sqlView->setCaretLineVisible(false);
    m_sqlView->setTabWidth(4);
    // Nothing is hidden to the right: the version-table writes are long single lines.
    m_sqlView->setWrapMode(QsciScintilla::WrapWord);
    m_sqlView->setWrapIndentMode(QsciScintilla::WrapIndentIndented);
    m_sqlView->setWrapVisualFlags(QsciScintilla::WrapFlagByText);

    m_statusLabel->setObjectName(u"planStatus"_s);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setWordWrap(true);

    m_buttons->setObjectName(u"planButtons"_s);
    m_runButton = m_buttons->addButton(tr("Run"), QDialogButtonBox::AcceptRole);
    m_runButton->setObjectName(u"planRun"_s);
    m_cancelButton = m_buttons->addButton(QDialogButtonBox::Cancel);
    m_cancelButton->setObjectName(u"planCancel"_s);
    m_copyButton = m_buttons->addButton(tr("Copy as SQL script"), QDialogButtonBox::ActionRole);
    m_copyButton->setObjectName(u"planCopyScript"_s);
    m_saveButton = m_buttons->addButton(tr("Save as SQL…"), QDialogButtonBox::ActionRole);
    m_saveButton->setObjectName(u"planSaveScript"_s);
    // Run is never the default: Enter must not start a migration by accident.
    m_runButton->setAutoDefault(false);
    m_cancelButton->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copyButton, &QPushButton::clicked, this, &PlanPreviewDialog::copyScript);
    connect(m_saveButton, &QPushButton::clicked, this, &PlanPreviewDialog::saveScriptAs);

    auto *stepPane = new QWidget(this);
    auto *stepLayout = new QVBoxLayout(stepPane);
    stepLayout->setContentsMargins(0, 0, 0, 0);
    auto *stepsTitle = new QLabel(tr("Steps"), stepPane);
    stepsTitle->setFont(boldFont);
    stepLayout->addWidget(stepsTitle);
    stepLayout->addWidget(m_stepList);

    auto *sqlPane = new QWidget(this);
    auto *sqlLayout = new QVBoxLayout(sqlPane);
    sqlLayout->setContentsMargins(0, 0, 0, 0);
    sqlLayout->addWidget(m_stepLocation);
    sqlLayout->addWidget(m_sqlView);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"planSplitter"_s);
    splitter->addWidget(stepPane);
    splitter->addWidget(sqlPane);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({420, 620});
    m_body->addWidget(splitter);
    m_body->addWidget(m_nothingLabel);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_titleLabel);
    layout->addWidget(m_databaseLabel);
    layout->addWidget(m_rowsLabel);
    layout->addSpacing(4);
    layout->addWidget(m_warningsTitle);
    layout->addWidget(m_warningList);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_buttons);

    connect(m_controller, &MigrationController::scriptReady, this, &PlanPreviewDialog::onScriptReady);
    connect(m_controller, &MigrationController::stepScriptsReady, this,
            &PlanPreviewDialog::onStepScriptsReady);
    connect(m_controller, &MigrationController::finished, this, &PlanPreviewDialog::onFinished);

    resize(1100, 720);
}

PlanPreviewDialog::~PlanPreviewDialog() = default;

void PlanPreviewDialog::setPlan(const PlanDetails &details, const DatabaseUrl &url, const QString &title,
                                std::shared_ptr<const RevisionMap> map)
{
    m_details = details;
    m_planMap = std::move(map);
    m_url = url;
    m_title = title;
    m_scriptToken = 0;
    m_scriptAction = ScriptAction::None;
    setStatus({}, false);

    const MigrationPlan &plan = m_details.plan();
    const QList<PlanWarning> &findings = m_details.findings();
    const QStringList &plannerWarnings = m_details.plannerWarnings();
    m_steps.clear();
    for (int i = 0; i < plan.steps().size(); ++i) {
        const PlanDetails::Step &detail = m_details.steps().at(i);
        StepView view;
        view.text = stepText(i, plan.steps().at(i));
        view.stamp = detail.isStamp();
        view.file = detail.file;
        view.python = detail.python;
        view.sql = detail.section;
        view.firstLine = detail.firstLine;
        view.versionSql = detail.versionSql;
        if (view.python)
            view.notRendered = tr("-- Asking the project's Alembic for this step's SQL (offline mode)…");
        m_steps.append(view);
    }

    m_stepScriptsToken = 0;
    const bool anyPython =
        std::any_of(m_steps.cbegin(), m_steps.cend(), [](const StepView &view) { return view.python; });
    if (anyPython && m_controller && m_controller->runsAlembic())
        m_stepScriptsToken = m_controller->renderStepScripts(url, plan);
    else if (anyPython) {
        for (StepView &view : m_steps)
            view.notRendered =
                tr("-- An Alembic Python revision: its SQL is only known when Alembic runs it.");
    }

    const bool empty = plan.isEmpty();
    m_titleLabel->setText(title);
    m_databaseLabel->setText(
        m_details.serverSummary().isEmpty()
            ? tr("Database: %1").arg(url.toDisplayString())
            : tr("Database: %1 (%2)").arg(url.toDisplayString(), m_details.serverSummary()));
    QString rows = tr("Version rows: %1 → %2").arg(rowsText(plan.rowsBefore()), rowsText(plan.rowsAfter()));
    if (plan.purge())
        rows += tr(" (the version table is emptied first: %1)").arg(m_details.purgeSql());
    if (!empty) {
        const int count = int(plan.steps().size());
        rows += count == 1 ? tr("  ·  1 step") : tr("  ·  %1 steps").arg(count);
    }
    m_rowsLabel->setText(rows);

    // Warnings: which steps they touch, for the step list's icons.
    QList<int> stepSeverity(m_steps.size(), 0); // 0 none, 1 warning, 2 destructive
    m_warningList->clear();
    m_warningRows.clear();
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon destructiveIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    for (int i = 0; i < findings.size(); ++i) {
        const PlanWarning &warning = findings.at(i);
        const bool destructive = warning.isDestructive();
        QString where = QFileInfo(warning.file).fileName();
        if (warning.line > 0)
            where += u':' + QString::number(warning.line);
        auto *item =
            new QListWidgetItem(destructive ? destructiveIcon : warningIcon,
                                tr("Step %1, %2: %3").arg(warning.step + 1).arg(where, warning.text));
        item->setToolTip(warning.toString());
        item->setForeground(destructive ? destructiveInk() : warningInk());
        m_warningList->addItem(item);
        m_warningRows.append(i);
        if (warning.step >= 0 && warning.step < stepSeverity.size())
            stepSeverity[warning.step] = qMax(stepSeverity.at(warning.step), destructive ? 2 : 1);
    }
    for (const QString &text : plannerWarnings) {
        auto *item = new QListWidgetItem(warningIcon, text);
        item->setForeground(warningInk());
        m_warningList->addItem(item);
        m_warningRows.append(-1);
    }
    const int warningCount = m_warningList->count();
    const bool anyDestructive = std::any_of(findings.cbegin(), findings.cend(),
                                            [](const PlanWarning &w) { return w.isDestructive(); });
    m_warningsTitle->setText(anyDestructive ? tr("Warnings (%1): this plan destroys data").arg(warningCount)
                                            : tr("Warnings (%1)").arg(warningCount));
    QPalette titlePalette = m_warningsTitle->palette();
    titlePalette.setColor(QPalette::WindowText, anyDestructive ? destructiveInk() : warningInk());
    m_warningsTitle->setPalette(titlePalette);
    m_warningsTitle->setVisible(warningCount > 0);
    m_warningList->setVisible(warningCount > 0);
    fitWarningList();

    m_stepList->clear();
    for (int i = 0; i < m_steps.size(); ++i) {
        auto *item = new QListWidgetItem(m_steps.at(i).text);
        item->setToolTip(m_steps.at(i).file.isEmpty() ? m_steps.at(i).text
                                                      : m_steps.at(i).text + u'\n' + m_steps.at(i).file);
        if (stepSeverity.at(i) == 2) {
            item->setIcon(destructiveIcon);
            item->setForeground(destructiveInk());
        } else if (stepSeverity.at(i) == 1) {
            item->setIcon(warningIcon);
        }
        m_stepList->addItem(item);
    }

    m_runButton->setText(runLabel());
    m_runButton->setEnabled(!empty);
    m_copyButton->setEnabled(!empty);
    m_saveButton->setEnabled(!empty);
    if (empty) {
        m_nothingLabel->setText(
            tr("Nothing to do: the database is already at %1.").arg(revisionsText(plan.rowsBefore())));
        m_body->setCurrentWidget(m_nothingLabel);
        m_sqlView->clear();
    } else {
        m_body->setCurrentIndex(0);
        m_stepList->setCurrentRow(m_steps.isEmpty() ? -1 : 0);
        if (m_steps.isEmpty())
            showStep(-1);
    }
}

QString PlanPreviewDialog::runLabel() const
{
    const MigrationPlan &plan = m_details.plan();
    if (plan.purge())
        return tr("Stamp");
    if (plan.steps().isEmpty())
        return tr("Run");
    switch (plan.steps().constFirst().direction) {
    case MigrationStep::Direction::Upgrade:
        return tr("Upgrade");
    case MigrationStep::Direction::Downgrade:
        return tr("Downgrade");
    case MigrationStep::Direction::Stamp:
        return tr("Stamp");
    }
    return tr("Run");
}

void PlanPreviewDialog::showStep(int step)
{
    m_sqlView->clear();
    m_sqlView->clearMarginText();
    m_sqlView->markerDeleteAll();
    if (step < 0 || step >= m_steps.size()) {
        m_stepLocation->clear();
        return;
    }
    const StepView &view = m_steps.at(step);
    if (view.stamp) {
        m_stepLocation->setText(tr("Stamp: no SQL runs, only the version table changes"));
    } else if (view.python) {
        m_stepLocation->setText(tr("%1 (Alembic Python revision)").arg(QFileInfo(view.file).fileName()));
    } else {
        const int lastLine = view.firstLine + int(view.sql.count(u'\n'));
        m_stepLocation->setText(
            tr("%1, lines %2–%3").arg(QFileInfo(view.file).fileName()).arg(view.firstLine).arg(lastLine));
    }
    m_stepLocation->setToolTip(QDir::toNativeSeparators(view.file));

    QString text = view.sql;
    if (view.python && !view.rendered)
        text = view.notRendered;
    const int sectionLines = view.stamp ? 0 : int(text.count(u'\n')) + 1;
    if (!view.versionSql.isEmpty()) {
        if (!text.isEmpty())
            text += u"\n\n"_s;
        text += tr("-- The version table (%1):\n").arg(m_details.qualifiedVersionTable());
        for (const QString &statement : view.versionSql)
            text += statement + u";\n"_s;
        text.chop(1);
    }
    m_sqlView->setText(text);
    if (!view.python && !view.stamp) {
        for (int line = 0; line < sectionLines; ++line)
            m_sqlView->setMarginText(line, QString::number(view.firstLine + line),
                                     QsciScintillaBase::STYLE_LINENUMBER);
    }
    for (const PlanWarning &warning : m_details.findings()) {
        if (warning.step != step || warning.line < view.firstLine || view.firstLine == 0)
            continue;
        const int line = warning.line - view.firstLine;
        if (line < sectionLines)
            m_sqlView->markerAdd(line, warning.isDestructive() ? DestructiveMarker : WarningMarker);
    }
}

void PlanPreviewDialog::onStepScriptsReady(quint64 token, const QStringList &stepScripts, int failedStep,
                                           const QString &failure)
{
    if (token != m_stepScriptsToken)
        return;
    for (int i = 0; i < m_steps.size(); ++i) {
        StepView &view = m_steps[i];
        if (!view.python)
            continue;
        if (failedStep >= 0 && i == failedStep) {
            view.notRendered =
                tr("-- This revision reads the database, so Alembic's offline mode cannot write its "
                   "SQL; its SQL is known when it runs.\n-- Offline mode said: %1")
                    .arg(QString(failure).replace(u'\n', u"\n-- "_s));
        } else if (failedStep >= 0 && i > failedStep) {
            view.notRendered =
                tr("-- Not rendered: step %1 cannot be written as SQL without the database, and "
                   "Alembic's offline mode stops there. Its SQL is known when it runs.")
                    .arg(failedStep + 1);
        } else {
            // The script already carries the version-table write: show Alembic's text alone.
            view.sql = stepScripts.value(i).trimmed();
            view.rendered = true;
            view.versionSql.clear();
        }
    }
    showStep(currentStep());
}

void PlanPreviewDialog::onWarningActivated(int row)
{
    if (row < 0 || row >= m_warningRows.size() || m_warningRows.at(row) < 0)
        return;
    const PlanWarning &warning = m_details.findings().at(m_warningRows.at(row));
    if (warning.step < 0 || warning.step >= m_steps.size())
        return;
    m_stepList->setCurrentRow(warning.step);
    const StepView &view = m_steps.at(warning.step);
    if (view.firstLine > 0 && warning.line >= view.firstLine) {
        const int line = warning.line - view.firstLine;
        m_sqlView->ensureLineVisible(line);
        m_sqlView->setCursorPosition(line, 0);
    }
}

int PlanPreviewDialog::stepCount() const
{
    return int(m_steps.size());
}

QStringList PlanPreviewDialog::stepTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_stepList->count(); ++i)
        texts.append(m_stepList->item(i)->text());
    return texts;
}

QStringList PlanPreviewDialog::warningTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_warningList->count(); ++i)
        texts.append(m_warningList->item(i)->text());
    return texts;
}

QString PlanPreviewDialog::headerText() const
{
    return m_titleLabel->text() + u'\n' + m_databaseLabel->text() + u'\n' + m_rowsLabel->text();
}

QString PlanPreviewDialog::sqlOfStep(int step) const
{
    return step >= 0 && step < m_steps.size() ? m_steps.at(step).sql : QString();
}

int PlanPreviewDialog::firstLineOfStep(int step) const
{
    return step >= 0 && step < m_steps.size() ? m_steps.at(step).firstLine : 0;
}

QString PlanPreviewDialog::fileOfStep(int step) const
{
    return step >= 0 && step < m_steps.size() ? m_steps.at(step).file : QString();
}

QStringList PlanPreviewDialog::versionSqlOfStep(int step) const
{
    return step >= 0 && step < m_steps.size() ? m_steps.at(step).versionSql : QStringList();
}

QString PlanPreviewDialog::editorText() const
{
    return m_sqlView->text();
}

int PlanPreviewDialog::currentStep() const
{
    return m_stepList->currentRow();
}

void PlanPreviewDialog::setCurrentStep(int step)
{
    m_stepList->setCurrentRow(step);
}

QString PlanPreviewDialog::statusText() const
{
    return m_statusLabel->text();
}

void PlanPreviewDialog::setStatus(const QString &text, bool error)
{
    m_statusLabel->setText(text);
    QPalette palette = m_statusLabel->palette();
    palette.setColor(QPalette::WindowText,
                     error ? destructiveInk() : this->palette().color(QPalette::WindowText));
    m_statusLabel->setPalette(palette);
    m_statusLabel->setVisible(!text.isEmpty());
}

void PlanPreviewDialog::copyScript()
{
    requestScript(ScriptAction::Copy);
}

void PlanPreviewDialog::saveScriptAs()
{
    QString name = m_title.toLower();
    for (QChar &c : name) {
        if (!c.isLetterOrNumber())
            c = u'-';
    }
    const QString directory = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto *dialog =
        new QFileDialog(this, tr("Save the plan as an SQL script"),
                        QDir(directory).filePath(name + u".sql"_s), tr("SQL scripts (*.sql);;All files (*)"));
    dialog->setObjectName(u"planSaveFileDialog"_s);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(u"sql"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &PlanPreviewDialog::saveScriptTo);
    dialog->open();
}

void PlanPreviewDialog::saveScriptTo(const QString &path)
{
    requestScript(ScriptAction::Save, path);
}

void PlanPreviewDialog::requestScript(ScriptAction action, const QString &path)
{
    m_scriptAction = action;
    m_savePath = path;
    if (!m_controller) {
        m_scriptAction = ScriptAction::None;
        setStatus(tr("The SQL script cannot be rendered: the migration controller is gone."), true);
        return;
    }
    setStatus(tr("Rendering the SQL script…"), false);
    m_scriptToken = m_controller->renderScript(m_url, m_details, m_planMap);
}

void PlanPreviewDialog::onScriptReady(quint64 token, const QString &script)
{
    if (token != m_scriptToken || m_scriptAction == ScriptAction::None)
        return;
    const ScriptAction action = std::exchange(m_scriptAction, ScriptAction::None);
    const int lines = int(script.count(u'\n'));
    if (action == ScriptAction::Copy) {
        QGuiApplication::clipboard()->setText(script);
        setStatus(tr("The SQL script (%1 lines) is on the clipboard.").arg(lines), false);
        emit scriptCopied(script);
        return;
    }
    QSaveFile file(m_savePath);
    const QByteArray bytes = script.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        const QString message =
            tr("Could not save %1: %2").arg(QDir::toNativeSeparators(m_savePath), file.errorString());
        setStatus(message, true);
        emit scriptFailed(message);
        return;
    }
    setStatus(
        tr("Saved the SQL script (%1 lines) to %2.").arg(lines).arg(QDir::toNativeSeparators(m_savePath)),
        false);
    emit scriptSaved(m_savePath);
}

void PlanPreviewDialog::onFinished(quint64 token, bool ok, const EngineError &error)
{
    if (!ok && token == m_stepScriptsToken) {
        for (StepView &view : m_steps) {
            if (view.python && !view.rendered)
                view.notRendered = tr("-- The project's Alembic could not write this step's SQL:\n-- %1")
                                       .arg(error.toString().replace(u'\n', u"\n-- "_s));
        }
        showStep(currentStep());
        return;
    }
    if (ok || token != m_scriptToken || m_scriptAction == ScriptAction::None)
        return;
    m_scriptAction = ScriptAction::None;
    const QString message = tr("Could not render the SQL script: %1").arg(error.toString());
    setStatus(message, true);
    emit scriptFailed(message);
}

QColor PlanPreviewDialog::destructiveInk() const
{
    return readableOn(readableOn(destructiveDesign, palette().color(QPalette::Window)),
                      palette().color(QPalette::Base));
}

QColor PlanPreviewDialog::warningInk() const
{
    return readableOn(readableOn(warningDesign, palette().color(QPalette::Window)),
                      palette().color(QPalette::Base));
}

} // namespace qmigrate
