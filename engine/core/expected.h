// SPDX-License-Identifier: MIT
#pragma once

#include "core/engineerror.h"

#include <optional>
#include <utility>
#include <variant>

namespace qmigrate {

// A value or the EngineError that explains why there is none (std::expected is C++23). [[nodiscard]]
// because a result nobody looks at is an error nobody sees.
template<typename T> class [[nodiscard]] Expected
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

// The result of an operation that may fail but has nothing to return: success (the default, so
// `return {};` succeeds) or the EngineError that explains the failure. Like Expected<T> it is true on
// success.
template<> class [[nodiscard]] Expected<void>
{
public:
    Expected() = default;
    Expected(EngineError error)
        : m_error(std::move(error))
    {}

    static Expected success() { return {}; }

    bool hasValue() const { return !m_error.has_value(); }
    explicit operator bool() const { return hasValue(); }

    const EngineError &error() const { return *m_error; }

private:
    std::optional<EngineError> m_error;
};

} // namespace qmigrate
