#include "inference/runtime/json.h"

#include <charconv>
#include <cmath>
#include <system_error>
#include <unordered_set>

namespace rs {

// Recursive-descent parser over one buffer; the first error stops it.
class JsonParser
{
public:
    JsonParser(std::string_view text, const JsonValue::Limits &limits)
        : m_text(text)
        , m_limits(limits)
    {
    }

    Status run(JsonValue &out)
    {
        if (m_text.size() > m_limits.maxBytes)
            return Status::failure("JSON text is " + std::to_string(m_text.size()) + " bytes, the limit is "
                                   + std::to_string(m_limits.maxBytes));
        skipSpace();
        if (!parseValue(out, 0))
            return Status::failure(m_error);
        skipSpace();
        if (m_pos != m_text.size()) {
            fail("unexpected text after the JSON value");
            return Status::failure(m_error);
        }
        return Status::success();
    }

private:
    bool fail(const std::string &what)
    {
        if (!m_error.empty())
            return false;
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        m_error = "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what;
        return false;
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }

    void skipSpace()
    {
        while (!atEnd()) {
            const char c = m_text[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                break;
            ++m_pos;
        }
    }

    bool parseValue(JsonValue &out, int depth)
    {
        if (atEnd())
            return fail("unexpected end of input, expected a value");
        switch (peek()) {
        case '{':
            return parseObject(out, depth + 1);
        case '[':
            return parseArray(out, depth + 1);
        case '"':
            out.m_type = JsonValue::Type::String;
            return parseString(out.m_string);
        case 't':
            return parseLiteral("true", out, JsonValue::Type::Bool, true);
        case 'f':
            return parseLiteral("false", out, JsonValue::Type::Bool, false);
        case 'n':
            return parseLiteral("null", out, JsonValue::Type::Null, false);
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return parseNumber(out);
            return fail(std::string("unexpected character '") + printable(peek()) + "', expected a value");
        }
    }

    static std::string printable(char c)
    {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f)
            return std::string(1, c);
        static const char *hex = "0123456789abcdef";
        return std::string("\\x") + hex[u >> 4] + hex[u & 15];
    }

    bool parseLiteral(std::string_view word, JsonValue &out, JsonValue::Type type, bool value)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return fail("invalid literal, expected '" + std::string(word) + "'");
        m_pos += word.size();
        out.m_type = type;
        out.m_bool = value;
        return true;
    }

    bool parseNumber(JsonValue &out)
    {
        const std::size_t start = m_pos;
        auto digits = [this] {
            const std::size_t from = m_pos;
            while (!atEnd() && peek() >= '0' && peek() <= '9')
                ++m_pos;
            return m_pos - from;
        };
        if (peek() == '-')
            ++m_pos;
        if (peek() == '0') {
            ++m_pos;
            if (peek() >= '0' && peek() <= '9')
                return fail("leading zeros are not allowed in numbers");
        } else if (digits() == 0) {
            return fail("invalid number");
        }
        if (peek() == '.') {
            ++m_pos;
            if (digits() == 0)
                return fail("invalid number: digits expected after '.'");
        }
        if (peek() == 'e' || peek() == 'E') {
            ++m_pos;
            if (peek() == '+' || peek() == '-')
                ++m_pos;
            if (digits() == 0)
                return fail("invalid number: digits expected in the exponent");
        }
        double value = 0.0;
        const char *first = m_text.data() + start;
        const char *last = m_text.data() + m_pos;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        if (ec == std::errc::result_out_of_range) {
            // Underflow to zero is harmless; overflow is not representable.
            bool tiny = false;
            for (const char *p = first; p < last; ++p) {
                if (*p == 'e' || *p == 'E') {
                    tiny = p + 1 < last && p[1] == '-';
                    break;
                }
            }
            if (!tiny) {
                m_pos = start;
                return fail("number out of range");
            }
            value = 0.0;
        } else if (ec != std::errc() || ptr != last || !std::isfinite(value)) {
            m_pos = start;
            return fail("invalid number");
        }
        out.m_type = JsonValue::Type::Number;
        out.m_number = value;
        return true;
    }

    bool parseHex4(unsigned &code)
    {
        if (m_text.size() - m_pos < 4)
            return fail("truncated \\u escape");
        code = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_text[m_pos++];
            code <<= 4;
            if (c >= '0' && c <= '9')
                code |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f')
                code |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                code |= unsigned(c - 'A' + 10);
            else
                return fail("invalid hex digit in \\u escape");
        }
        return true;
    }

    static void appendUtf8(std::string &s, unsigned code)
    {
        if (code < 0x80) {
            s += char(code);
        } else if (code < 0x800) {
            s += char(0xc0 | (code >> 6));
            s += char(0x80 | (code & 0x3f));
        } else if (code < 0x10000) {
            s += char(0xe0 | (code >> 12));
            s += char(0x80 | ((code >> 6) & 0x3f));
            s += char(0x80 | (code & 0x3f));
        } else {
            s += char(0xf0 | (code >> 18));
            s += char(0x80 | ((code >> 12) & 0x3f));
            s += char(0x80 | ((code >> 6) & 0x3f));
            s += char(0x80 | (code & 0x3f));
        }
    }

    // Validates one UTF-8 sequence starting at m_pos (first byte >= 0x80) and copies it.
    bool copyUtf8(std::string &s)
    {
        const auto b0 = static_cast<unsigned char>(m_text[m_pos]);
        int length = 0;
        unsigned code = 0, min = 0;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            length = 2, code = b0 & 0x1f, min = 0x80;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            length = 3, code = b0 & 0x0f, min = 0x800;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            length = 4, code = b0 & 0x07, min = 0x10000;
        } else {
            return fail("invalid UTF-8 in string");
        }
        if (m_text.size() - m_pos < std::size_t(length))
            return fail("truncated UTF-8 sequence in string");
        for (int i = 1; i < length; ++i) {
            const auto b = static_cast<unsigned char>(m_text[m_pos + i]);
            if ((b & 0xc0) != 0x80)
                return fail("invalid UTF-8 in string");
            code = (code << 6) | (b & 0x3f);
        }
        if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
            return fail("invalid UTF-8 in string");
        s.append(m_text.substr(m_pos, length));
        m_pos += length;
        return true;
    }

    bool parseString(std::string &s)
    {
        ++m_pos; // opening quote
        s.clear();
        while (true) {
            if (atEnd())
                return fail("unterminated string");
            const char c = m_text[m_pos];
            const auto u = static_cast<unsigned char>(c);
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (u < 0x20)
                return fail("control character in string (escape it)");
            if (u >= 0x80) {
                if (!copyUtf8(s))
                    return false;
                continue;
            }
            if (c != '\\') {
                s += c;
                ++m_pos;
                continue;
            }
            ++m_pos;
            if (atEnd())
                return fail("unterminated escape in string");
            const char e = m_text[m_pos++];
            switch (e) {
            case '"':
                s += '"';
                break;
            case '\\':
                s += '\\';
                break;
            case '/':
                s += '/';
                break;
            case 'b':
                s += '\b';
                break;
            case 'f':
                s += '\f';
                break;
            case 'n':
                s += '\n';
                break;
            case 'r':
                s += '\r';
                break;
            case 't':
                s += '\t';
                break;
            case 'u': {
                unsigned code = 0;
                if (!parseHex4(code))
                    return false;
                if (code >= 0xdc00 && code <= 0xdfff)
                    return fail("unpaired low surrogate in \\u escape");
                if (code >= 0xd800 && code <= 0xdbff) {
                    if (m_text.substr(m_pos, 2) != "\\u")
                        return fail("unpaired high surrogate in \\u escape");
                    m_pos += 2;
                    unsigned low = 0;
                    if (!parseHex4(low))
                        return false;
                    if (low < 0xdc00 || low > 0xdfff)
                        return fail("invalid low surrogate in \\u escape");
                    code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                }
                appendUtf8(s, code);
                break;
            }
            default:
                --m_pos;
                return fail(std::string("invalid escape '\\") + printable(e) + "' in string");
            }
        }
    }

    bool checkDepth(int depth)
    {
        if (depth > m_limits.maxDepth)
            return fail("nesting deeper than " + std::to_string(m_limits.maxDepth) + " levels");
        return true;
    }

    bool parseArray(JsonValue &out, int depth)
    {
        if (!checkDepth(depth))
            return false;
        ++m_pos;
        out.m_type = JsonValue::Type::Array;
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return true;
        }
        while (true) {
            skipSpace();
            out.m_items.emplace_back();
            if (!parseValue(out.m_items.back(), depth))
                return false;
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == ']') {
                ++m_pos;
                return true;
            }
            return fail(atEnd() ? "unexpected end of input in array" : "expected ',' or ']' in array");
        }
    }

    bool parseObject(JsonValue &out, int depth)
    {
        if (!checkDepth(depth))
            return false;
        ++m_pos;
        out.m_type = JsonValue::Type::Object;
        std::unordered_set<std::string> seen;
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return true;
        }
        while (true) {
            skipSpace();
            if (peek() != '"')
                return fail(atEnd() ? "unexpected end of input in object"
                                    : "expected a string key in object");
            const std::size_t keyPos = m_pos;
            std::string key;
            if (!parseString(key))
                return false;
            if (!seen.insert(key).second) {
                m_pos = keyPos;
                return fail("duplicate key \"" + key + "\"");
            }
            skipSpace();
            if (peek() != ':')
                return fail("expected ':' after object key");
            ++m_pos;
            skipSpace();
            out.m_members.emplace_back(std::move(key), JsonValue());
            if (!parseValue(out.m_members.back().second, depth))
                return false;
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                return true;
            }
            return fail(atEnd() ? "unexpected end of input in object" : "expected ',' or '}' in object");
        }
    }

    std::string_view m_text;
    JsonValue::Limits m_limits;
    std::size_t m_pos = 0;
    std::string m_error;
};

Status JsonValue::parse(std::string_view text, JsonValue &out, const Limits &limits)
{
    JsonValue value;
    JsonParser parser(text, limits);
    Status status = parser.run(value);
    out = status.ok() ? std::move(value) : JsonValue();
    return status;
}

bool JsonValue::isInteger() const
{
    return m_type == Type::Number && std::floor(m_number) == m_number && m_number >= -9.2e18
        && m_number <= 9.2e18;
}

const JsonValue *JsonValue::find(std::string_view key) const
{
    for (const auto &member : m_members) {
        if (member.first == key)
            return &member.second;
    }
    return nullptr;
}

const char *JsonValue::typeName(Type type)
{
    switch (type) {
    case Type::Null:
        return "null";
    case Type::Bool:
        return "a boolean";
    case Type::Number:
        return "a number";
    case Type::String:
        return "a string";
    case Type::Array:
        return "an array";
    case Type::Object:
        return "an object";
    }
    return "?";
}

} // namespace rs
