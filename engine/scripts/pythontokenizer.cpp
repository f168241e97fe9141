// SPDX-License-Identifier: MIT
#include "scripts/pythontokenizer.h"

#include <QVarLengthArray>

using namespace Qt::StringLiterals;

namespace qmigrate {

namespace {

bool isIdentChar(char16_t c)
{
    if (c < 0x80)
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_';
    return !QChar(c).isSpace();
}

bool isStringPrefix(QStringView word)
{
    if (word.size() > 2)
        return false;
    for (const QChar c : word) {
        switch (c.unicode()) {
        case u'r':
        case u'R':
        case u'u':
        case u'U':
        case u'b':
        case u'B':
        case u'f':
        case u'F':
            break;
        default:
            return false;
        }
    }
    return true;
}

bool isOctal(QChar c)
{
    return c >= u'0' && c <= u'7';
}

} // namespace

bool PythonTokenizer::fail(const QString &message, int line)
{
    m_error = message;
    m_errorLine = line;
    m_pos = m_text.size();
    return false;
}

bool PythonTokenizer::scanString(PythonToken *token, qsizetype quotePos)
{
    const QChar quote = m_text.at(quotePos);
    const bool triple =
        quotePos + 2 < m_text.size() && m_text.at(quotePos + 1) == quote && m_text.at(quotePos + 2) == quote;
    token->type = PythonToken::Type::String;
    token->prefixLength = quint8(quotePos - token->start);
    token->quoteLength = triple ? 3 : 1;
    const int startLine = m_line;
    qsizetype pos = quotePos + token->quoteLength;
    const qsizetype size = m_text.size();
    while (pos < size) {
        const QChar c = m_text.at(pos);
        if (c == u'\\') {
            // Even in raw strings a backslash keeps the next character (a quote, a newline) in the string.
            if (pos + 1 < size && m_text.at(pos + 1) == u'\n') {
                ++m_line;
                m_lineStart = pos + 2;
            }
            pos += 2;
            continue;
        }
        if (c == u'\n') {
            if (!triple)
                return fail(u"Unterminated string literal"_s, startLine);
            ++m_line;
            m_lineStart = pos + 1;
        } else if (c == quote) {
            if (!triple) {
                m_pos = token->end = pos + 1;
                return true;
            }
            if (pos + 2 < size && m_text.at(pos + 1) == quote && m_text.at(pos + 2) == quote) {
                m_pos = token->end = pos + 3;
                return true;
            }
        }
        ++pos;
    }
    return fail(triple ? u"Unterminated triple-quoted string literal"_s : u"Unterminated string literal"_s,
                startLine);
}

bool PythonTokenizer::next(QList<PythonToken> *tokens)
{
    tokens->clear();
    struct Open
    {
        char16_t bracket;
        int line;
    };
    QVarLengthArray<Open, 8> open;
    const qsizetype size = m_text.size();
    while (m_pos < size) {
        const char16_t c = m_text.at(m_pos).unicode();
        if (c == u'\n') {
            ++m_pos;
            ++m_line;
            m_lineStart = m_pos;
            if (open.isEmpty() && !tokens->isEmpty())
                return true;
            continue;
        }
        if (c == u' ' || c == u'\t' || c == u'\f') {
            ++m_pos;
            continue;
        }
        if (c == u'#') {
            const qsizetype eol = m_text.indexOf(QLatin1Char('\n'), m_pos);
            m_pos = eol < 0 ? size : eol;
            continue;
        }
        if (c == u'\\') {
            if (m_pos + 1 < size && m_text.at(m_pos + 1) == u'\n') {
                m_pos += 2;
                ++m_line;
                m_lineStart = m_pos;
                continue;
            }
            if (m_pos + 1 == size) {
                ++m_pos;
                continue;
            }
            return fail(u"Unexpected character after line continuation character"_s, m_line);
        }

        PythonToken token;
        token.start = m_pos;
        token.line = m_line;
        token.column = int(m_pos - m_lineStart);
        if (c == u'\'' || c == u'"') {
            if (!scanString(&token, m_pos))
                return false;
        } else if (c >= u'0' && c <= u'9') {
            qsizetype pos = m_pos + 1;
            while (pos < size) {
                const char16_t d = m_text.at(pos).unicode();
                if ((d == u'+' || d == u'-') && (m_text.at(pos - 1) == u'e' || m_text.at(pos - 1) == u'E')) {
                    ++pos;
                    continue;
                }
                if (!isIdentChar(d) && d != u'.')
                    break;
                ++pos;
            }
            token.type = PythonToken::Type::Number;
            m_pos = token.end = pos;
        } else if (isIdentChar(c)) {
            qsizetype pos = m_pos + 1;
            while (pos < size && isIdentChar(m_text.at(pos).unicode()))
                ++pos;
            if (pos < size && (m_text.at(pos) == u'\'' || m_text.at(pos) == u'"') &&
                isStringPrefix(m_text.sliced(m_pos, pos - m_pos))) {
                if (!scanString(&token, pos))
                    return false;
            } else {
                token.type = PythonToken::Type::Name;
                m_pos = token.end = pos;
            }
        } else {
            token.type = PythonToken::Type::Op;
            qsizetype length = 1;
            switch (c) {
            case u'(':
            case u'[':
            case u'{':
                open.append({c, m_line});
                break;
            case u')':
            case u']':
            case u'}': {
                const char16_t expected = c == u')' ? u'(' : c == u']' ? u'[' : u'{';
                if (open.isEmpty())
                    return fail(u"Unmatched '%1'"_s.arg(QChar(c)), m_line);
                if (open.last().bracket != expected) {
                    return fail(u"Closing '%1' does not match '%2' opened on line %3"_s.arg(QChar(c))
                                    .arg(QChar(open.last().bracket))
                                    .arg(open.last().line),
                                m_line);
                }
                open.removeLast();
                break;
            }
            case u'-':
                if (m_pos + 1 < size && m_text.at(m_pos + 1) == u'>')
                    length = 2;
                Q_FALLTHROUGH();
            default:
                // Keeps "==", "+=", "<=", ":=" ... apart from a plain assignment "=".
                if (length == 1 && m_pos + 1 < size && m_text.at(m_pos + 1) == u'=' &&
                    QStringView(u"+-*/%&|^<>=!:@").contains(QChar(c)))
                    length = 2;
                break;
            }
            m_pos = token.end = m_pos + length;
        }
        tokens->append(token);
    }
    if (!open.isEmpty())
        return fail(u"'%1' was never closed"_s.arg(QChar(open.last().bracket)), open.last().line);
    return !tokens->isEmpty();
}

bool PythonTokenizer::stringValue(QStringView source, const PythonToken &token, QString *value)
{
    if (token.type != PythonToken::Type::String)
        return false;
    bool raw = false;
    bool format = false;
    for (const QChar c : source.sliced(token.start, token.prefixLength)) {
        const QChar lower = c.toLower();
        if (lower == u'b')
            return false;
        raw = raw || lower == u'r';
        format = format || lower == u'f';
    }
    const qsizetype bodyStart = token.start + token.prefixLength + token.quoteLength;
    const QStringView body = source.sliced(bodyStart, token.end - token.quoteLength - bodyStart);
    if (format && (body.contains(u'{') || body.contains(u'}')))
        return false;
    if (raw || !body.contains(u'\\')) {
        *value = body.toString();
        return true;
    }
    QString out;
    out.reserve(body.size());
    for (qsizetype i = 0; i < body.size(); ++i) {
        const QChar c = body.at(i);
        if (c != u'\\' || i + 1 == body.size()) {
            out.append(c);
            continue;
        }
        const QChar e = body.at(++i);
        switch (e.unicode()) {
        case u'\n':
            break;
        case u'\\':
            out.append(u'\\');
            break;
        case u'\'':
            out.append(u'\'');
            break;
        case u'"':
            out.append(u'"');
            break;
        case u'a':
            out.append(QChar(0x07));
            break;
        case u'b':
            out.append(QChar(0x08));
            break;
        case u'f':
            out.append(QChar(0x0c));
            break;
        case u'n':
            out.append(u'\n');
            break;
        case u'r':
            out.append(u'\r');
            break;
        case u't':
            out.append(u'\t');
            break;
        case u'v':
            out.append(QChar(0x0b));
            break;
        case u'x':
        case u'u':
        case u'U': {
            const int digits = e == u'x' ? 2 : e == u'u' ? 4 : 8;
            if (i + digits >= body.size())
                return false;
            bool ok = false;
            const uint code = body.sliced(i + 1, digits).toUInt(&ok, 16);
            if (!ok || code > 0x10ffff)
                return false;
            const char32_t codePoint = code;
            out.append(QString::fromUcs4(&codePoint, 1));
            i += digits;
            break;
        }
        case u'N':
            return false;
        default:
            if (isOctal(e)) {
                uint code = e.unicode() - u'0';
                for (int n = 0; n < 2 && i + 1 < body.size() && isOctal(body.at(i + 1)); ++n)
                    code = code * 8 + (body.at(++i).unicode() - u'0');
                out.append(QChar(char16_t(code)));
            } else {
                out.append(u'\\');
                out.append(e);
            }
            break;
        }
    }
    *value = std::move(out);
    return true;
}

} // namespace qmigrate
