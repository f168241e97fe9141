// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QPalette>

class QsciLexerSQL;
class QsciScintilla;

namespace qmigrate {

// The script editor's colours, derived from the widget palette so that a dark desktop theme gives a dark
// editor: the paper and text of the palette's Base and Text, margins of its Window, and syntax colours
// picked for the paper's lightness, each readable on it (at least 4.5:1, as for body text). Scintilla keeps
// colours of its own rather than following the palette, so they are set here, and again when the palette
// changes.
class EditorTheme
{
public:
    explicit EditorTheme(const QPalette &palette);

    bool isDark() const { return m_dark; }
    QColor paper() const { return m_paper; }
    QColor text() const { return m_text; }

    // The colours of the SQL styles, the margins, the caret line and the selection.
    void apply(QsciScintilla *editor, QsciLexerSQL *lexer) const;
    // Fill and ink of the annotation boxes under a line (error, warning, info).
    std::pair<QColor, QColor> annotationColours(int rank) const;

    // WCAG's contrast ratio of two colours, 1 (none) to 21 (black on white).
    static double contrast(const QColor &a, const QColor &b);

private:
    bool m_dark;
    QColor m_paper;
    QColor m_text;
    QColor m_margin;
    QColor m_marginText;
    QPalette m_palette;
};

} // namespace qmigrate
