#pragma once

#include "core/engineerror.h"

#include <utility>
#include <variant>

namespace qmigrate {

// A value or the EngineError that explains why there is none (std::expected is C++23).
template<typename T> class Expected
{
public:
    Expected(T value)
        : m_state(std::move(value))
    {}
    Expected(EngineError error)
        : m_state(std::move(error))
    {}

    bool hasValue() const { return m_state.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const EngineError &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, EngineError> m_state;
};

} // namespace qmigrate
