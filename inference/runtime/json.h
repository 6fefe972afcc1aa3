#pragma once

#include "inference/runtime/status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rs {

// A JSON value (RFC 8259) and its strict parser: no comments, no trailing commas, no NaN/Infinity,
// UTF-8 validated, duplicate object keys rejected, bounded input size and nesting depth.
// Object members keep their order in the text.
class JsonValue
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    struct Limits
    {
        std::size_t maxBytes = 1 << 20;
        int maxDepth = 64;
    };

    JsonValue() = default;

    // On failure `out` is left null and the message says where: "line 3, column 7: ...".
    static Status parse(std::string_view text, JsonValue &out, const Limits &limits);
    static Status parse(std::string_view text, JsonValue &out) { return parse(text, out, Limits()); }

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    bool isBool() const { return m_type == Type::Bool; }
    bool isNumber() const { return m_type == Type::Number; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    bool isObject() const { return m_type == Type::Object; }
    // A number with an integral value that fits in int64 (1, -3, 2.0, 1e3).
    bool isInteger() const;

    bool asBool() const { return m_bool; }
    double asNumber() const { return m_number; }
    std::int64_t asInteger() const { return static_cast<std::int64_t>(m_number); }
    const std::string &asString() const { return m_string; }
    const std::vector<JsonValue> &items() const { return m_items; }
    const std::vector<std::pair<std::string, JsonValue>> &members() const { return m_members; }

    // The member named `key` of an object, or nullptr (also when this is not an object).
    const JsonValue *find(std::string_view key) const;

    static const char *typeName(Type type);

private:
    friend class JsonParser;

    Type m_type = Type::Null;
    bool m_bool = false;
    double m_number = 0.0;
    std::string m_string;
    std::vector<JsonValue> m_items;
    std::vector<std::pair<std::string, JsonValue>> m_members;
};

} // namespace rs
