#pragma once

#include <string>
#include <utility>

namespace rs {

// Success, or a failure with one human-readable line (naming the file and key/tensor at fault).
// Every fallible call of the inference runtime returns one; nothing throws across the library boundary.
class Status
{
public:
    Status() = default;

    static Status success() { return Status(); }
    static Status failure(std::string message) { return Status(std::move(message), false); }

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const std::string &message() const { return m_message; }

private:
    Status(std::string message, bool ok)
        : m_message(std::move(message))
        , m_ok(ok)
    {
    }

    std::string m_message;
    bool m_ok = true;
};

} // namespace rs
