// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace qmigrate {

struct PythonToken
{
    enum class Type : quint8 { Name, Number, String, Op };

    Type type = Type::Op;
    quint8 prefixLength = 0; // strings: the letters before the opening quote (r, u, b, f, ...)
    quint8 quoteLength = 0;  // strings: 1 or 3
    qsizetype start = 0;     // offsets into the tokenized text
    qsizetype end = 0;
    int line = 0;   // 1-based line of the first character
    int column = 0; // 0-based

    QStringView text(QStringView source) const { return source.sliced(start, end - start); }
};

// Just enough of Python's tokenizer to find module-level statements without running Python: strings of every
// form (so that nothing inside a string or comment is taken for code), comments, brackets spanning lines and
// backslash continuations. Expects LF line endings (see ScriptText::decode).
class PythonTokenizer
{
public:
    explicit PythonTokenizer(QStringView text)
        : m_text(text)
    {}

    // Fills *tokens with the next logical line; false at the end of the text or after an error.
    bool next(QList<PythonToken> *tokens);

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorMessage() const { return m_error; }
    int errorLine() const { return m_errorLine; }

    // The value of a string literal token; false for literals that are not a plain str (bytes, f-strings with
    // replacement fields, \N{...} escapes).
    static bool stringValue(QStringView source, const PythonToken &token, QString *value);

private:
    bool fail(const QString &message, int line);
    bool scanString(PythonToken *token, qsizetype quotePos);

    QStringView m_text;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;
    QString m_error;
    int m_errorLine = 0;
};

} // namespace qmigrate
