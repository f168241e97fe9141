// SPDX-License-Identifier: MIT
#include "scripts/pythonliteralparser.h"

namespace qmigrate {

using Type = PythonToken::Type;

std::optional<PythonLiteralParser::Value> PythonLiteralParser::parse()
{
    std::optional<Value> value = parseTuple();
    if (!value || m_pos != m_end)
        return std::nullopt;
    return value;
}

std::optional<PythonLiteralParser::Value> PythonLiteralParser::parseTuple(bool forceSequence)
{
    QList<Value> items;
    bool comma = false;
    while (!atClosing()) {
        std::optional<Value> item = parseSum();
        if (!item)
            return std::nullopt;
        items.append(std::move(*item));
        if (!atOp(u','))
            break;
        ++m_pos;
        comma = true;
    }
    if (items.size() == 1 && !comma && !forceSequence)
        return items.first();
    if (items.isEmpty() && !forceSequence)
        return std::nullopt;
    Value tuple;
    tuple.kind = Value::Kind::Sequence;
    for (const Value &item : std::as_const(items)) {
        if (item.kind != Value::Kind::String)
            return std::nullopt;
        tuple.sequence.append(item.string);
        tuple.origins += item.origins;
    }
    return tuple;
}

std::optional<PythonLiteralParser::Value> PythonLiteralParser::parseSum()
{
    std::optional<Value> value = parseAtom();
    while (value && atOp(u'+')) {
        ++m_pos;
        const std::optional<Value> rhs = parseAtom();
        if (!rhs || rhs->kind != value->kind || value->kind == Value::Kind::None)
            return std::nullopt;
        value->string += rhs->string;
        value->sequence += rhs->sequence;
        value->origins += rhs->origins;
    }
    return value;
}

std::optional<PythonLiteralParser::Value> PythonLiteralParser::parseBracket()
{
    const char16_t closing = atOp(u'[') ? u']' : u')';
    ++m_pos;
    if (atOp(closing)) {
        ++m_pos;
        Value empty;
        empty.kind = Value::Kind::Sequence;
        return empty;
    }
    std::optional<Value> inner = parseTuple(closing == u']');
    if (!inner || !atOp(closing))
        return std::nullopt;
    ++m_pos;
    return inner;
}

std::optional<PythonLiteralParser::Value> PythonLiteralParser::parseAtom()
{
    if (m_pos >= m_end)
        return std::nullopt;
    const PythonToken &token = m_tokens.at(m_pos);
    if (token.type == Type::String) {
        Value value;
        value.kind = Value::Kind::String;
        while (m_pos < m_end && m_tokens.at(m_pos).type == Type::String) {
            QString part;
            if (!PythonTokenizer::stringValue(m_source, m_tokens.at(m_pos), &part))
                return std::nullopt;
            value.string += part;
            ++m_pos;
        }
        return value;
    }
    if (atOp(u'(') || atOp(u'['))
        return parseBracket();
    if (token.type != Type::Name)
        return std::nullopt;
    if (token.text(m_source) == u"None") {
        ++m_pos;
        return Value();
    }
    return parseName();
}

} // namespace qmigrate
