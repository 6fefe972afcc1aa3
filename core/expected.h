#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace rs {

// The reason an operation on untrusted input failed: one line naming what was wrong.
struct Error
{
    QString message;
};

// Either a value or an Error. Used where input may be malformed (RLE strings, polygons, files),
// so that bad input is a value the caller must look at, never undefined behaviour.
template<typename T>
class Expected
{
public:
    Expected(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Expected(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    T &operator*() & { return value(); }

    // The error message; empty when there is a value.
    QString error() const { return hasValue() ? QString() : std::get<1>(m_data).message; }

private:
    std::variant<T, Error> m_data;
};

} // namespace rs
