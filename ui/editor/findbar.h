// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QsciScintilla;

namespace qmigrate {

// Find/replace bar shown under a ScriptEditor's text; it drives the QsciScintilla search
// so the match becomes the selection the user sees.
class FindBar : public QWidget
{
    Q_OBJECT

public:
    explicit FindBar(QsciScintilla *edit, QWidget *parent = nullptr);

    // Shows the bar with the find field focused; replace adds the replace row.
    void activate(bool replace);

    void setFindText(const QString &text);
    void setReplaceText(const QString &text);
    void setCaseSensitive(bool caseSensitive);
    // Disables the replace controls while the editor is read-only.
    void setReplaceEnabled(bool enabled);

    QString statusText() const;

public Q_SLOTS:
    bool findNext();
    bool findPrevious();
    // Replaces the current match (if the selection is one) and moves to the next one.
    bool replaceCurrent();
    // Returns how many matches were replaced; one undo step reverts them all.
    int replaceAll();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    bool find(bool forward, bool fromSelectionStart);
    bool selectionMatches() const;
    void setStatus(const QString &text);

    QsciScintilla *m_edit;
    QLineEdit *m_findEdit;
    QLineEdit *m_replaceEdit;
    QCheckBox *m_caseBox;
    QPushButton *m_replaceButton;
    QPushButton *m_replaceAllButton;
    QWidget *m_replaceRow;
    QLabel *m_status;
    bool m_replaceEnabled = true;
};

} // namespace qmigrate
