// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QWidget>

#include <Qsci/qscistyle.h>

class QFileSystemWatcher;
class QLabel;
class QPushButton;
class QTimer;
class QsciLexerSQL;
class QsciScintilla;

namespace qmigrate {

class FindBar;

// A problem to show at a line of the script: a parse error or a failed statement.
struct ScriptDiagnostic
{
    enum class Severity { Error, Warning, Info };

    int line = 1; // 1-based, as in "file:line" messages
    QString message;
    Severity severity = Severity::Error;
};

// Editor for one migration script: SQL highlighting, line numbers, folding, find/replace,
// atomic save, reload when the file changes on disk, and diagnostics at their lines.
class ScriptEditor : public QWidget
{
    Q_OBJECT

public:
    // Marker numbers in the symbol margin (markersAtLine() returns a mask of 1 << number).
    static constexpr int ErrorMarker = 0;
    static constexpr int WarningMarker = 1;
    static constexpr int InfoMarker = 2;
    static constexpr int ErrorIndicator = 8;
    static constexpr int WarningIndicator = 9;
    // Annotation style numbers, fixed per editor: QsciStyle's automatic numbers come from one
    // process-wide counter that runs out after a few editors (and then draws black boxes).
    static constexpr int ErrorAnnotationStyle = 50;
    static constexpr int WarningAnnotationStyle = 51;
    static constexpr int InfoAnnotationStyle = 52;

    explicit ScriptEditor(QWidget *parent = nullptr);
    ~ScriptEditor() override;

    // Loads the file (UTF-8) and watches it. On failure the editor is unchanged and
    // *errorMessage names the file.
    bool openFile(const QString &path, QString *errorMessage = nullptr);
    // Shows no file: an empty buffer, nothing watched (unsaved edits are dropped: ask first).
    void closeFile();
    // Writes the buffer atomically (QSaveFile) with the line endings it was loaded with.
    // On failure the buffer stays modified, the error is shown in the editor and returned.
    bool save(QString *errorMessage = nullptr);

    QString filePath() const;
    QString text() const;
    bool isModified() const;

    void setDiagnostics(const QList<ScriptDiagnostic> &diagnostics);
    void clearDiagnostics();
    QList<ScriptDiagnostic> diagnostics() const;
    // The messages at a 1-based line, one per line of text; shown as the tooltip there.
    QString diagnosticText(int line) const;

    // 1-based; the line is made visible and the cursor put at its start.
    void goToLine(int line);
    // 1-based line of the cursor.
    int cursorLine() const;

    // "applied on … — edits will not run there"; an empty text hides the banner.
    void setAppliedBanner(const QString &text);
    QString appliedBannerText() const;

    // Read-only while a migration runs, so diagnostics stay at the lines they name.
    void setReadOnly(bool readOnly);
    bool isReadOnly() const;

    bool isExternalChangePending() const;
    QString errorBannerText() const;

    QsciScintilla *textEdit() const;
    QsciLexerSQL *lexer() const;
    FindBar *findBar() const;

public Q_SLOTS:
    void showFind();
    void showReplace();
    // Answers to the "changed on disk" banner.
    void reloadFromDisk();
    void keepMine();

Q_SIGNALS:
    void modificationChanged(bool modified);
    void saved(const QString &path);
    void reloaded();
    // The file changed on disk while the buffer had unsaved edits; the banner is shown.
    void externalChangeDetected();

protected:
    // A new palette (the desktop's dark theme, say) recolours the text, margins and annotations.
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();
    void setupEditor();
    void updateLineNumberMarginWidth();
    void watch();
    void onFileChanged();
    void checkDiskState();
    void loadText(const QByteArray &bytes);
    void showError(const QString &message);
    void applyDiagnostics();
    void showDiagnosticToolTip(int x, int y);

    QsciScintilla *m_edit;
    QsciLexerSQL *m_lexer;
    FindBar *m_findBar;
    QWidget *m_changedBanner;
    QLabel *m_changedLabel;
    QWidget *m_appliedBanner;
    QLabel *m_appliedLabel;
    QWidget *m_errorBanner;
    QLabel *m_errorLabel;
    QFileSystemWatcher *m_watcher;
    QTimer *m_changeTimer;
    QString m_path;
    // What the file held when last loaded or saved, to tell our own saves from real changes.
    QByteArray m_diskBytes;
    QList<ScriptDiagnostic> m_diagnostics;
    QsciStyle m_annotationStyles[3];
    int m_lineNumberDigits = 0;
    bool m_readOnly = false;
};

} // namespace qmigrate
