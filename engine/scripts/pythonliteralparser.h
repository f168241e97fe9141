// SPDX-License-Identifier: MIT
#pragma once

#include "scripts/pythontokenizer.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace qmigrate {

// Recursive descent over the tokens of one value: strings (implicit and "+" concatenation), None, tuples and
// lists of strings. Anything else (names, calls, attribute access, numbers) is a value only Python can
// compute, unless a subclass follows names through parseName(). Both the .py revision reader and
// ModuleConstantResolver read literals this way, so that a constant resolves to exactly what the same literal
// written in the revision would give.
class PythonLiteralParser
{
public:
    // A literal value as far as it can be known without running Python.
    struct Value
    {
        enum class Kind { String, None, Sequence };
        Kind kind = Kind::None;
        QString string;
        QStringList sequence;
        // Where the literals came from, "file:line"; only parseName() fills it, plain literals leave it empty
        // (and then cost no allocation when values are joined).
        QStringList origins;
    };

    // The tokens [begin, end) of `tokens`, which index into `source`.
    PythonLiteralParser(QStringView source, const QList<PythonToken> &tokens, qsizetype begin, qsizetype end)
        : m_source(source)
        , m_tokens(tokens)
        , m_pos(begin)
        , m_end(end)
    {}
    virtual ~PythonLiteralParser() = default;
    PythonLiteralParser(const PythonLiteralParser &) = delete;
    PythonLiteralParser &operator=(const PythonLiteralParser &) = delete;

    // The value of all the tokens; empty when they are not one literal.
    std::optional<Value> parse();

protected:
    // At a name other than None: the value it stands for, consuming its tokens. Without one, the literal is
    // one only Python can compute.
    virtual std::optional<Value> parseName() { return std::nullopt; }

    bool atOp(char16_t op, qsizetype ahead = 0) const
    {
        if (m_pos + ahead >= m_end)
            return false;
        const PythonToken &token = m_tokens.at(m_pos + ahead);
        return token.type == PythonToken::Type::Op && token.end - token.start == 1 &&
               m_source.at(token.start) == op;
    }
    // At "(" or "[": the bracketed value, a list always a sequence.
    std::optional<Value> parseBracket();

    QStringView m_source;
    const QList<PythonToken> &m_tokens;
    qsizetype m_pos;
    qsizetype m_end;

private:
    bool atClosing() const { return m_pos >= m_end || atOp(u')') || atOp(u']'); }
    std::optional<Value> parseTuple(bool forceSequence = false);
    std::optional<Value> parseSum();
    std::optional<Value> parseAtom();
};

} // namespace qmigrate
