// SPDX-License-Identifier: MIT
#include "editor/editortheme.h"

#include "common/colours.h"

#include <Qsci/qscilexersql.h>
#include <Qsci/qsciscintilla.h>

namespace qmigrate {

EditorTheme::EditorTheme(const QPalette &palette)
    : m_paper(palette.color(QPalette::Active, QPalette::Base))
    , m_text(palette.color(QPalette::Active, QPalette::Text))
    , m_margin(palette.color(QPalette::Active, QPalette::Window))
    , m_marginText(palette.color(QPalette::Disabled, QPalette::WindowText))
    , m_palette(palette)
{
    m_dark = m_paper.lightness() < m_text.lightness();
    if (contrast(m_marginText, m_margin) < 3)
        m_marginText = palette.color(QPalette::Active, QPalette::WindowText);
}

double EditorTheme::contrast(const QColor &a, const QColor &b)
{
    return contrastRatio(a, b);
}

void EditorTheme::apply(QsciScintilla *editor, QsciLexerSQL *lexer) const
{
    // Hues as in common SQL themes: keywords blue, strings green, numbers orange, comments grey, quoted names
    // purple; lighter on dark paper.
    struct Syntax
    {
        int style;
        QColor light;
        QColor dark;
    };
    const Syntax syntax[] = {
        {QsciLexerSQL::Keyword, QColor(0x00, 0x33, 0xb3), QColor(0x6c, 0xb6, 0xff)},
        {QsciLexerSQL::KeywordSet5, QColor(0x00, 0x33, 0xb3), QColor(0x6c, 0xb6, 0xff)},
        {QsciLexerSQL::PlusKeyword, QColor(0x00, 0x33, 0xb3), QColor(0x6c, 0xb6, 0xff)},
        {QsciLexerSQL::SingleQuotedString, QColor(0x06, 0x7d, 0x17), QColor(0x8f, 0xd4, 0x7a)},
        {QsciLexerSQL::DoubleQuotedString, QColor(0x06, 0x7d, 0x17), QColor(0x8f, 0xd4, 0x7a)},
        {QsciLexerSQL::Number, QColor(0xa8, 0x4b, 0x00), QColor(0xf0, 0xa4, 0x5d)},
        {QsciLexerSQL::Comment, QColor(0x5f, 0x63, 0x68), QColor(0x9a, 0xa0, 0xa6)},
        {QsciLexerSQL::CommentLine, QColor(0x5f, 0x63, 0x68), QColor(0x9a, 0xa0, 0xa6)},
        {QsciLexerSQL::CommentDoc, QColor(0x5f, 0x63, 0x68), QColor(0x9a, 0xa0, 0xa6)},
        {QsciLexerSQL::CommentLineHash, QColor(0x5f, 0x63, 0x68), QColor(0x9a, 0xa0, 0xa6)},
        {QsciLexerSQL::PlusComment, QColor(0x5f, 0x63, 0x68), QColor(0x9a, 0xa0, 0xa6)},
        {QsciLexerSQL::QuotedIdentifier, QColor(0x87, 0x10, 0x94), QColor(0xd6, 0x9c, 0xf0)},
    };
    lexer->setDefaultPaper(m_paper);
    lexer->setDefaultColor(m_text);
    lexer->setPaper(m_paper, -1); // -1: every style
    lexer->setColor(m_text, -1);
    for (const Syntax &entry : syntax)
        lexer->setColor(readableOn(m_dark ? entry.dark : entry.light, m_paper), entry.style);

    editor->setPaper(m_paper);
    editor->setColor(m_text);
    editor->setCaretForegroundColor(m_text);
    editor->setCaretLineBackgroundColor(
        blend(m_paper, m_palette.color(QPalette::Active, QPalette::Highlight), m_dark ? 0.18 : 0.08));
    editor->setSelectionBackgroundColor(m_palette.color(QPalette::Active, QPalette::Highlight));
    editor->setSelectionForegroundColor(m_palette.color(QPalette::Active, QPalette::HighlightedText));
    editor->setMarginsBackgroundColor(m_margin);
    editor->setMarginsForegroundColor(m_marginText);
    editor->setFoldMarginColors(m_margin, m_margin);
    editor->setMatchedBraceBackgroundColor(blend(m_paper, QColor(0x3d, 0x8b, 0xfd), 0.35));
    editor->setMatchedBraceForegroundColor(m_text);
}

std::pair<QColor, QColor> EditorTheme::annotationColours(int rank) const
{
    // Error, warning, info: a tinted box with ink of the same hue.
    static const QColor hues[] = {QColor(0xd3, 0x2f, 0x2f), QColor(0xe0, 0x9a, 0x00),
                                  QColor(0x1e, 0x88, 0xe5)};
    const QColor hue = hues[std::clamp(rank, 0, 2)];
    const QColor fill = blend(m_paper, hue, m_dark ? 0.28 : 0.12);
    const QColor ink = readableOn(m_dark ? blend(hue, Qt::white, 0.45) : blend(hue, Qt::black, 0.45), fill);
    return {fill, ink};
}

} // namespace qmigrate
