// SPDX-License-Identifier: MIT
#include "editor/scripteditor.h"

#include "editor/editortheme.h"
#include "editor/findbar.h"

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMap>
#include <QPushButton>
#include <QSaveFile>
#include <QStringDecoder>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

QFont editorFont()
{
    // One fixed face for every style: the SQL lexer's own defaults draw comments in a serif font.
    QFont font(u"DejaVu Sans Mono"_s, 10);
    font.setStyleHint(QFont::Monospace);
    font.setFixedPitch(true);
    return font;
}

QWidget *makeBanner(QWidget *parent, const QString &objectName, const QString &background,
                    const QString &border, QLabel **label)
{
    auto *banner = new QFrame(parent);
    banner->setObjectName(objectName);
    banner->setStyleSheet(u"QFrame#%1 { background: %2; border: 1px solid %3; border-radius: 3px; }"
                          u" QLabel { color: #1f1f1f; }"_s.arg(objectName, background, border));
    auto *layout = new QHBoxLayout(banner);
    layout->setContentsMargins(8, 4, 4, 4);
    *label = new QLabel(banner);
    (*label)->setWordWrap(true);
    (*label)->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(*label, 1);
    banner->hide();
    return banner;
}

QByteArray readAll(const QString &path, QString *errorMessage)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (errorMessage)
            *errorMessage = ScriptEditor::tr("Could not open %1: %2").arg(path, file.errorString());
        return {};
    }
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        if (errorMessage)
            *errorMessage = ScriptEditor::tr("Could not read %1: %2").arg(path, file.errorString());
        return {};
    }
    // Saving a mis-decoded file would corrupt it, so refuse it instead.
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder.decode(bytes);
    if (decoder.hasError()) {
        if (errorMessage)
            *errorMessage = ScriptEditor::tr("Could not open %1: the file is not valid UTF-8").arg(path);
        return {};
    }
    return bytes;
}

QsciScintilla::EolMode detectEolMode(const QByteArray &bytes)
{
    if (bytes.contains("\r\n"))
        return QsciScintilla::EolWindows;
    if (bytes.contains('\r'))
        return QsciScintilla::EolMac;
    return QsciScintilla::EolUnix;
}

int severityRank(ScriptDiagnostic::Severity severity)
{
    switch (severity) {
    case ScriptDiagnostic::Severity::Error:
        return 0;
    case ScriptDiagnostic::Severity::Warning:
        return 1;
    case ScriptDiagnostic::Severity::Info:
        return 2;
    }
    return 0;
}

} // namespace

ScriptEditor::ScriptEditor(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QsciScintilla(this))
    , m_lexer(new QsciLexerSQL(m_edit))
    , m_findBar(new FindBar(m_edit, this))
    , m_watcher(new QFileSystemWatcher(this))
    , m_changeTimer(new QTimer(this))
{
    m_edit->setObjectName(u"scriptText"_s);

    m_errorBanner = makeBanner(this, u"errorBanner"_s, u"#fde7e9"_s, u"#e0a0a8"_s, &m_errorLabel);
    auto *dismissError = new QToolButton(m_errorBanner);
    dismissError->setObjectName(u"dismissErrorButton"_s);
    dismissError->setText(u"\u00d7"_s);
    dismissError->setAutoRaise(true);
    m_errorBanner->layout()->addWidget(dismissError);
    connect(dismissError, &QToolButton::clicked, m_errorBanner, &QWidget::hide);

    m_changedBanner =
        makeBanner(this, u"externalChangeBanner"_s, u"#fff4ce"_s, u"#d8c88a"_s, &m_changedLabel);
    auto *reloadButton = new QPushButton(tr("Reload"), m_changedBanner);
    reloadButton->setObjectName(u"reloadButton"_s);
    auto *keepButton = new QPushButton(tr("Keep mine"), m_changedBanner);
    keepButton->setObjectName(u"keepMineButton"_s);
    m_changedBanner->layout()->addWidget(reloadButton);
    m_changedBanner->layout()->addWidget(keepButton);
    connect(reloadButton, &QPushButton::clicked, this, &ScriptEditor::reloadFromDisk);
    connect(keepButton, &QPushButton::clicked, this, &ScriptEditor::keepMine);

    m_appliedBanner = makeBanner(this, u"appliedBanner"_s, u"#e5f1fb"_s, u"#9cc3e5"_s, &m_appliedLabel);

    m_findBar->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_changedBanner);
    layout->addWidget(m_appliedBanner);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_findBar);

    setupEditor();

    // Editors write a file in several steps (truncate, write, rename); look once they are done.
    m_changeTimer->setSingleShot(true);
    m_changeTimer->setInterval(100);
    connect(m_changeTimer, &QTimer::timeout, this, &ScriptEditor::checkDiskState);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ScriptEditor::onFileChanged);
}

ScriptEditor::~ScriptEditor() = default;

void ScriptEditor::setupEditor()
{
    // Enable UTF8
    m_edit->setUtf8(true);

    const QFont font = editorFont();
    m_lexer->setDefaultFont(font);
    m_lexer->setFont(font); // -1: every style of this lexer
    m_lexer->setFoldComments(true);
    m_lexer->setFoldCompact(false);
    m_edit->setLexer(m_lexer);
    m_edit->setFont(font);
    m_edit->setMarginsFont(font);

    m_edit->setMarginType(0, QsciScintilla::NumberMargin);
    m_edit->setMarginLineNumbers(0, true);
    m_edit->setMarginType(1, QsciScintilla::SymbolMargin);
    m_edit->setMarginWidth(1, 16);
    m_edit->setMarginMarkerMask(1, (1 << ErrorMarker) | (1 << WarningMarker) | (1 << InfoMarker));
    m_edit->setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    // Scintilla's default scroll width is 2000 px, which shows a useless horizontal scroll bar.
    m_edit->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTH, 1);
    m_edit->SendScintilla(QsciScintillaBase::SCI_SETSCROLLWIDTHTRACKING, true);
    updateLineNumberMarginWidth();
    connect(m_edit, &QsciScintilla::linesChanged, this, &ScriptEditor::updateLineNumberMarginWidth);

    m_edit->setTabWidth(4);
    m_edit->setIndentationsUseTabs(false);
    m_edit->setAutoIndent(true);
    m_edit->setBraceMatching(QsciScintilla::SloppyBraceMatch);
    m_edit->setCaretLineVisible(true);

    m_edit->markerDefine(QsciScintilla::Circle, ErrorMarker);
    m_edit->setMarkerBackgroundColor(QColor(0xd3, 0x2f, 0x2f), ErrorMarker);
    m_edit->setMarkerForegroundColor(QColor(0x8e, 0x1b, 0x1b), ErrorMarker);
    m_edit->markerDefine(QsciScintilla::Circle, WarningMarker);
    m_edit->setMarkerBackgroundColor(QColor(0xf2, 0xa9, 0x00), WarningMarker);
    m_edit->setMarkerForegroundColor(QColor(0x9a, 0x6b, 0x00), WarningMarker);
    m_edit->markerDefine(QsciScintilla::Circle, InfoMarker);
    m_edit->setMarkerBackgroundColor(QColor(0x1e, 0x88, 0xe5), InfoMarker);
    m_edit->setMarkerForegroundColor(QColor(0x0d, 0x47, 0xa1), InfoMarker);

    m_edit->indicatorDefine(QsciScintilla::SquiggleIndicator, ErrorIndicator);
    m_edit->setIndicatorForegroundColor(QColor(0xd3, 0x2f, 0x2f), ErrorIndicator);
    m_edit->indicatorDefine(QsciScintilla::SquiggleIndicator, WarningIndicator);
    m_edit->setIndicatorForegroundColor(QColor(0xe0, 0x8e, 0x00), WarningIndicator);

    m_edit->setAnnotationDisplay(QsciScintilla::AnnotationBoxed);
    applyTheme();

    // Widget shortcuts, so several editors in one window do not fight over Ctrl+F.
    auto *findAction = new QAction(tr("Find…"), m_edit);
    findAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    findAction->setShortcutContext(Qt::WidgetShortcut);
    connect(findAction, &QAction::triggered, this, &ScriptEditor::showFind);
    m_edit->addAction(findAction);
    auto *replaceAction = new QAction(tr("Replace…"), m_edit);
    replaceAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    replaceAction->setShortcutContext(Qt::WidgetShortcut);
    connect(replaceAction, &QAction::triggered, this, &ScriptEditor::showReplace);
    m_edit->addAction(replaceAction);

    connect(m_edit, &QsciScintilla::modificationChanged, this, &ScriptEditor::modificationChanged);

    // Annotations can be long or scrolled away; hovering the line or its marker shows them too.
    m_edit->SendScintilla(QsciScintillaBase::SCI_SETMOUSEDWELLTIME, 400);
    connect(m_edit, &QsciScintillaBase::SCN_DWELLSTART, this,
            [this](int, int x, int y) { showDiagnosticToolTip(x, y); });
    connect(m_edit, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
}

void ScriptEditor::applyTheme()
{
    const EditorTheme theme(palette());
    theme.apply(m_edit, m_lexer);
    const QFont font = editorFont();
    const int numbers[] = {ErrorAnnotationStyle, WarningAnnotationStyle, InfoAnnotationStyle};
    const QString names[] = {u"Error annotation"_s, u"Warning annotation"_s, u"Info annotation"_s};
    for (int rank = 0; rank < 3; ++rank) {
        const auto [fill, ink] = theme.annotationColours(rank);
        m_annotationStyles[rank] = QsciStyle(numbers[rank], names[rank], ink, fill, font);
    }
    applyDiagnostics(); // the annotations shown take the new styles
}

void ScriptEditor::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_lexer)
        applyTheme();
}

void ScriptEditor::showDiagnosticToolTip(int x, int y)
{
    const long position = m_edit->SendScintilla(QsciScintillaBase::SCI_POSITIONFROMPOINT, x, y);
    const int line =
        static_cast<int>(m_edit->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, position));
    const QString text = diagnosticText(line + 1);
    if (!text.isEmpty())
        QToolTip::showText(m_edit->viewport()->mapToGlobal(QPoint(x, y)), text, m_edit);
}

void ScriptEditor::updateLineNumberMarginWidth()
{
    const int digits = static_cast<int>(QString::number(std::max(1, m_edit->lines())).size());
    if (digits == m_lineNumberDigits)
        return;
    m_lineNumberDigits = digits;
    // Zeros are the widest digits; one spare keeps the numbers off the fold margin.
    m_edit->setMarginWidth(0, QString(digits + 1, QLatin1Char('0')));
}

bool ScriptEditor::openFile(const QString &path, QString *errorMessage)
{
    QString error;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QByteArray bytes = readAll(absolute, &error);
    if (!error.isEmpty()) {
        if (errorMessage)
            *errorMessage = error;
        return false;
    }
    if (!m_path.isEmpty())
        m_watcher->removePath(m_path);
    m_path = absolute;
    m_diskBytes = bytes;
    m_changedBanner->hide();
    m_errorBanner->hide();
    m_diagnostics.clear();
    loadText(bytes);
    m_edit->setCursorPosition(0, 0);
    m_edit->setFirstVisibleLine(0);
    watch();
    return true;
}

void ScriptEditor::closeFile()
{
    if (!m_path.isEmpty())
        m_watcher->removePath(m_path);
    m_path.clear();
    m_diskBytes.clear();
    m_changedBanner->hide();
    m_errorBanner->hide();
    m_diagnostics.clear();
    loadText({});
    setAppliedBanner({});
}

void ScriptEditor::loadText(const QByteArray &bytes)
{
    int line = 0;
    int index = 0;
    m_edit->getCursorPosition(&line, &index);
    const int firstVisible = m_edit->firstVisibleLine();

    // Scintilla ignores setText() on a read-only document.
    m_edit->setReadOnly(false);
    m_edit->setEolMode(detectEolMode(bytes));
    m_edit->setText(QString::fromUtf8(bytes));
    m_edit->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
    m_edit->setModified(false);
    m_edit->setReadOnly(m_readOnly);

    line = std::min(line, std::max(0, m_edit->lines() - 1));
    index = std::min(index, static_cast<int>(m_edit->text(line).size()));
    m_edit->setCursorPosition(line, index);
    m_edit->setFirstVisibleLine(firstVisible);
    applyDiagnostics();
}

bool ScriptEditor::save(QString *errorMessage)
{
    const auto fail = [&](const QString &message) {
        showError(message);
        if (errorMessage)
            *errorMessage = message;
        return false;
    };
    if (m_path.isEmpty())
        return fail(tr("There is no file to save the script to."));

    const QByteArray bytes = m_edit->text().toUtf8();
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(tr("Could not save %1: %2").arg(m_path, file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return fail(tr("Could not save %1: %2").arg(m_path, file.errorString()));

    m_diskBytes = bytes;
    m_edit->setModified(false);
    m_errorBanner->hide();
    // Saving answers the "changed on disk" question in favour of the buffer.
    m_changedBanner->hide();
    watch();
    Q_EMIT saved(m_path);
    return true;
}

QString ScriptEditor::filePath() const
{
    return m_path;
}

QString ScriptEditor::text() const
{
    return m_edit->text();
}

bool ScriptEditor::isModified() const
{
    return m_edit->isModified();
}

void ScriptEditor::watch()
{
    // An atomic save by anyone (QSaveFile included) replaces the file, which ends the watch.
    if (!m_path.isEmpty() && QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
}

void ScriptEditor::onFileChanged()
{
    m_changeTimer->start();
}

void ScriptEditor::checkDiskState()
{
    if (m_path.isEmpty())
        return;
    watch();
    if (!QFileInfo::exists(m_path)) {
        m_changedLabel->setText(
            tr("%1 was removed from disk. Save to write it again.").arg(QFileInfo(m_path).fileName()));
        m_changedBanner->findChild<QPushButton *>(u"reloadButton"_s)->setEnabled(false);
        m_changedBanner->show();
        Q_EMIT externalChangeDetected();
        return;
    }
    QString error;
    const QByteArray bytes = readAll(m_path, &error);
    if (!error.isEmpty()) {
        showError(error);
        return;
    }
    if (bytes == m_diskBytes)
        return;
    if (!m_edit->isModified()) {
        m_diskBytes = bytes;
        m_changedBanner->hide();
        loadText(bytes);
        Q_EMIT reloaded();
        return;
    }
    m_changedLabel->setText(
        tr("%1 changed on disk. Reload it, or keep your version?").arg(QFileInfo(m_path).fileName()));
    m_changedBanner->findChild<QPushButton *>(u"reloadButton"_s)->setEnabled(true);
    m_changedBanner->show();
    Q_EMIT externalChangeDetected();
}

void ScriptEditor::reloadFromDisk()
{
    QString error;
    const QByteArray bytes = readAll(m_path, &error);
    if (!error.isEmpty()) {
        showError(error);
        return;
    }
    m_diskBytes = bytes;
    m_changedBanner->hide();
    loadText(bytes);
    Q_EMIT reloaded();
}

void ScriptEditor::keepMine()
{
    // Remember what is on disk now, so only a further change asks again.
    QString ignored;
    m_diskBytes = readAll(m_path, &ignored);
    m_changedBanner->hide();
}

bool ScriptEditor::isExternalChangePending() const
{
    return !m_changedBanner->isHidden();
}

void ScriptEditor::showError(const QString &message)
{
    m_errorLabel->setText(message);
    m_errorBanner->show();
}

QString ScriptEditor::errorBannerText() const
{
    return m_errorBanner->isHidden() ? QString() : m_errorLabel->text();
}

void ScriptEditor::setDiagnostics(const QList<ScriptDiagnostic> &diagnostics)
{
    m_diagnostics = diagnostics;
    applyDiagnostics();
}

void ScriptEditor::clearDiagnostics()
{
    m_diagnostics.clear();
    applyDiagnostics();
}

QList<ScriptDiagnostic> ScriptEditor::diagnostics() const
{
    return m_diagnostics;
}

QString ScriptEditor::diagnosticText(int line) const
{
    const int lastLine = std::max(0, m_edit->lines() - 1);
    QStringList messages;
    for (const ScriptDiagnostic &diagnostic : m_diagnostics) {
        if (std::clamp(diagnostic.line - 1, 0, lastLine) == line - 1)
            messages.append(diagnostic.message);
    }
    return messages.join(QLatin1Char('\n'));
}

void ScriptEditor::applyDiagnostics()
{
    m_edit->markerDeleteAll(ErrorMarker);
    m_edit->markerDeleteAll(WarningMarker);
    m_edit->markerDeleteAll(InfoMarker);
    const int lastLine = std::max(0, m_edit->lines() - 1);
    m_edit->clearIndicatorRange(0, 0, lastLine, m_edit->lineLength(lastLine), ErrorIndicator);
    m_edit->clearIndicatorRange(0, 0, lastLine, m_edit->lineLength(lastLine), WarningIndicator);
    m_edit->clearAnnotations();

    struct LineInfo
    {
        QStringList messages;
        int rank = 2;
    };
    QMap<int, LineInfo> byLine;
    for (const ScriptDiagnostic &diagnostic : std::as_const(m_diagnostics)) {
        // A line past the end (the file shrank) still gets shown, on the last line.
        const int line = std::clamp(diagnostic.line - 1, 0, lastLine);
        const int rank = severityRank(diagnostic.severity);
        m_edit->markerAdd(line, rank == 0 ? ErrorMarker : rank == 1 ? WarningMarker : InfoMarker);
        LineInfo &info = byLine[line];
        info.messages.append(diagnostic.message);
        info.rank = std::min(info.rank, rank);
    }
    for (auto it = byLine.cbegin(); it != byLine.cend(); ++it) {
        const int line = it.key();
        QString lineText = m_edit->text(line);
        while (lineText.endsWith(QLatin1Char('\n')) || lineText.endsWith(QLatin1Char('\r')))
            lineText.chop(1);
        // Squiggle the text, not the indentation, so the line still reads cleanly.
        qsizetype start = 0;
        while (start < lineText.size() && lineText.at(start).isSpace())
            ++start;
        if (it->rank < 2 && start < lineText.size())
            m_edit->fillIndicatorRange(line, static_cast<int>(start), line, static_cast<int>(lineText.size()),
                                       it->rank == 0 ? ErrorIndicator : WarningIndicator);
        m_edit->annotate(line, it->messages.join(QLatin1Char('\n')), m_annotationStyles[it->rank]);
    }
}

void ScriptEditor::goToLine(int line)
{
    const int target = std::clamp(line - 1, 0, std::max(0, m_edit->lines() - 1));
    m_edit->setCursorPosition(target, 0);
    m_edit->ensureLineVisible(target);
    m_edit->setFocus();
}

int ScriptEditor::cursorLine() const
{
    int line = 0;
    int index = 0;
    m_edit->getCursorPosition(&line, &index);
    return line + 1;
}

void ScriptEditor::setAppliedBanner(const QString &text)
{
    m_appliedLabel->setText(text);
    m_appliedBanner->setVisible(!text.isEmpty());
}

QString ScriptEditor::appliedBannerText() const
{
    return m_appliedBanner->isHidden() ? QString() : m_appliedLabel->text();
}

void ScriptEditor::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    m_edit->setReadOnly(readOnly);
    m_findBar->setReplaceEnabled(!readOnly);
}

bool ScriptEditor::isReadOnly() const
{
    return m_readOnly;
}

QsciScintilla *ScriptEditor::textEdit() const
{
    return m_edit;
}

QsciLexerSQL *ScriptEditor::lexer() const
{
    return m_lexer;
}

FindBar *ScriptEditor::findBar() const
{
    return m_findBar;
}

void ScriptEditor::showFind()
{
    m_findBar->activate(false);
}

void ScriptEditor::showReplace()
{
    m_findBar->activate(!m_readOnly);
}

} // namespace qmigrate
