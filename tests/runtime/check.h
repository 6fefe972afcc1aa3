#pragma once

// Minimal test harness for the Qt-free runtime tests: CHECK / CHECK_EQ / CHECK_NEAR / CHECK_CONTAINS
// count and report failures; RS_TEST_MAIN prints "N passed, M failed" and exits non-zero on failure.

#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace rs::check {

struct Counts
{
    int passed = 0;
    int failed = 0;
};

inline Counts &counts()
{
    static Counts c;
    return c;
}

inline void report(bool ok, const char *file, int line, const std::string &what)
{
    if (ok) {
        ++counts().passed;
        return;
    }
    ++counts().failed;
    std::cout << "FAIL " << file << ":" << line << ": " << what << std::endl;
}

template<typename T> std::string show(const T &value)
{
    std::ostringstream s;
    if constexpr (std::is_same_v<T, bool>)
        s << (value ? "true" : "false");
    else if constexpr (requires { s << value; })
        s << value;
    else
        s << "<value>";
    return s.str();
}

struct TestCase
{
    const char *name;
    std::function<void()> body;
};

inline std::vector<TestCase> &registry()
{
    static std::vector<TestCase> r;
    return r;
}

struct Register
{
    Register(const char *name, std::function<void()> body)
    {
        registry().push_back({ name, std::move(body) });
    }
};

inline int runAll()
{
    for (const TestCase &test : registry()) {
        const int before = counts().failed;
        std::cout << "-- " << test.name << std::endl;
        try {
            test.body();
        } catch (const std::exception &e) {
            report(false, test.name, 0, std::string("exception: ") + e.what());
        }
        if (counts().failed != before)
            std::cout << "   " << test.name << ": " << (counts().failed - before) << " failure(s)"
                      << std::endl;
    }
    std::cout << counts().passed << " passed, " << counts().failed << " failed" << std::endl;
    return counts().failed == 0 && counts().passed > 0 ? 0 : 1;
}

} // namespace rs::check

#define RS_CHECK_CAT2(a, b) a##b
#define RS_CHECK_CAT(a, b) RS_CHECK_CAT2(a, b)
#define TEST_CASE(name)                                                                                      \
    static void name();                                                                                      \
    static const rs::check::Register RS_CHECK_CAT(register_, name)(#name, name);                             \
    static void name()

#define CHECK(cond) rs::check::report(static_cast<bool>(cond), __FILE__, __LINE__, "CHECK(" #cond ")")
#define CHECK_EQ(a, b)                                                                                       \
    do {                                                                                                     \
        const auto &rs_a_ = (a);                                                                             \
        const auto &rs_b_ = (b);                                                                             \
        const bool rs_ok_ = rs_a_ == rs_b_;                                                                  \
        rs::check::report(rs_ok_, __FILE__, __LINE__,                                                        \
                          "CHECK_EQ(" #a ", " #b "): " + rs::check::show(rs_a_)                              \
                              + " != " + rs::check::show(rs_b_));                                            \
    } while (0)
#define CHECK_NEAR(a, b, tol)                                                                                \
    do {                                                                                                     \
        const double rs_a_ = double(a), rs_b_ = double(b);                                                   \
        rs::check::report(std::fabs(rs_a_ - rs_b_) <= double(tol), __FILE__, __LINE__,                       \
                          "CHECK_NEAR(" #a ", " #b "): " + std::to_string(rs_a_) + " vs "                    \
                              + std::to_string(rs_b_));                                                      \
    } while (0)
#define CHECK_CONTAINS(text, part)                                                                           \
    do {                                                                                                     \
        const std::string rs_t_ = (text);                                                                    \
        const std::string rs_p_ = (part);                                                                    \
        rs::check::report(rs_t_.find(rs_p_) != std::string::npos, __FILE__, __LINE__,                        \
                          "CHECK_CONTAINS(" #text "): \"" + rs_t_ + "\" lacks \"" + rs_p_ + "\"");           \
    } while (0)

#define RS_TEST_MAIN()                                                                                       \
    int main()                                                                                               \
    {                                                                                                        \
        return rs::check::runAll();                                                                          \
    }
