#include "plugins/formats/orderedjson.h"

#include <cmath>
#include <limits>

namespace rs {

// A recursive-descent reader over the text; positions are QChar offsets.
class OrderedJsonReader
{
public:
    OrderedJsonReader(QStringView text, OrderedJson::Options options) : m_text(text), m_options(options) {}

    Expected<OrderedJson> document()
    {
        skipSpace();
        OrderedJson value;
        if (!readValue(value, 0))
            return Error{m_error};
        skipSpace();
        if (m_pos < m_text.size())
            return Error{QStringLiteral("extra data at offset %1").arg(m_pos)};
        return value;
    }

private:
    // Python's default recursion limit would stop far deeper answers; this only guards the stack.
    static constexpr int kMaxDepth = 512;

    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 at offset %2").arg(message).arg(m_pos);
        return false;
    }

    void skipSpace()
    {
        // json.loads() skips exactly these four.
        while (m_pos < m_text.size()) {
            const char16_t c = m_text[m_pos].unicode();
            if (c != u' ' && c != u'\t' && c != u'\n' && c != u'\r')
                return;
            ++m_pos;
        }
    }

    bool startsWith(QLatin1StringView word) const { return m_text.mid(m_pos).startsWith(word); }

    bool readWord(QLatin1StringView word)
    {
        if (!startsWith(word))
            return false;
        m_pos += word.size();
        return true;
    }

    bool readValue(OrderedJson &value, int depth)
    {
        if (depth > kMaxDepth)
            return fail(QStringLiteral("nesting too deep"));
        if (m_pos >= m_text.size())
            return fail(QStringLiteral("expecting a value"));
        const char16_t c = m_text[m_pos].unicode();
        if (c == u'{')
            return readObject(value, depth);
        if (c == u'[')
            return readArray(value, depth);
        if (c == u'"' || (c == u'\'' && m_options.pythonLiterals))
            return readString(value.m_string) && (value.m_type = OrderedJson::Type::String, true);
        if (readWord(QLatin1StringView("null")) || (m_options.pythonLiterals && readWord(QLatin1StringView("None")))) {
            value.m_type = OrderedJson::Type::Null;
            return true;
        }
        if (readWord(QLatin1StringView("true")) || (m_options.pythonLiterals && readWord(QLatin1StringView("True")))) {
            value.m_type = OrderedJson::Type::Bool;
            value.m_bool = true;
            return true;
        }
        if (readWord(QLatin1StringView("false")) || (m_options.pythonLiterals && readWord(QLatin1StringView("False")))) {
            value.m_type = OrderedJson::Type::Bool;
            value.m_bool = false;
            return true;
        }
        if (readWord(QLatin1StringView("NaN")))
            return setFloat(value, std::numeric_limits<double>::quiet_NaN());
        if (readWord(QLatin1StringView("Infinity")))
            return setFloat(value, std::numeric_limits<double>::infinity());
        if (readWord(QLatin1StringView("-Infinity")))
            return setFloat(value, -std::numeric_limits<double>::infinity());
        return readNumber(value);
    }

    static bool setFloat(OrderedJson &value, double number)
    {
        value.m_type = OrderedJson::Type::Number;
        value.m_number = number;
        value.m_integral = false;
        return true;
    }

    bool isDigit(qsizetype pos) const
    {
        return pos < m_text.size() && m_text[pos] >= u'0' && m_text[pos] <= u'9';
    }

    // json.loads' number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?
    bool readNumber(OrderedJson &value)
    {
        const qsizetype start = m_pos;
        qsizetype pos = m_pos;
        if (pos < m_text.size() && m_text[pos] == u'-')
            ++pos;
        if (!isDigit(pos))
            return fail(QStringLiteral("expecting a value"));
        if (m_text[pos] == u'0')
            ++pos;
        else
            while (isDigit(pos))
                ++pos;
        bool integral = true;
        if (pos < m_text.size() && m_text[pos] == u'.' && isDigit(pos + 1)) {
            integral = false;
            ++pos;
            while (isDigit(pos))
                ++pos;
        }
        if (pos < m_text.size() && (m_text[pos] == u'e' || m_text[pos] == u'E')) {
            qsizetype exponent = pos + 1;
            if (exponent < m_text.size() && (m_text[exponent] == u'+' || m_text[exponent] == u'-'))
                ++exponent;
            if (isDigit(exponent)) {
                integral = false;
                pos = exponent;
                while (isDigit(pos))
                    ++pos;
            }
        }
        bool ok = false;
        const double number = m_text.mid(start, pos - start).toString().toDouble(&ok);
        m_pos = pos;
        value.m_type = OrderedJson::Type::Number;
        value.m_integral = integral;
        // Python floats overflow to inf the same way; huge ints stay exact in Python but not here.
        value.m_number = ok ? number : (m_text[start] == u'-' ? -HUGE_VAL : HUGE_VAL);
        return true;
    }

    bool readHex4(char32_t &code)
    {
        if (m_pos + 4 > m_text.size())
            return fail(QStringLiteral("invalid \\uXXXX escape"));
        code = 0;
        for (qsizetype i = m_pos; i < m_pos + 4; ++i) {
            const int digit = QChar(m_text[i]).isDigit() ? m_text[i].unicode() - u'0'
                              : (m_text[i] >= u'a' && m_text[i] <= u'f') ? m_text[i].unicode() - u'a' + 10
                              : (m_text[i] >= u'A' && m_text[i] <= u'F') ? m_text[i].unicode() - u'A' + 10
                                                                         : -1;
            if (digit < 0 || m_text[i].unicode() > 0x7f)
                return fail(QStringLiteral("invalid \\uXXXX escape"));
            code = code * 16 + char32_t(digit);
        }
        m_pos += 4;
        return true;
    }

    bool readString(QString &out)
    {
        const char16_t quote = m_text[m_pos].unicode();
        ++m_pos;
        out.clear();
        while (true) {
            if (m_pos >= m_text.size())
                return fail(QStringLiteral("unterminated string"));
            const char16_t c = m_text[m_pos].unicode();
            if (c == quote) {
                ++m_pos;
                return true;
            }
            if (c < 0x20 && quote == u'"')
                return fail(QStringLiteral("invalid control character"));
            if (c != u'\\') {
                out.append(QChar(c));
                ++m_pos;
                continue;
            }
            ++m_pos;
            if (m_pos >= m_text.size())
                return fail(QStringLiteral("unterminated string"));
            const char16_t e = m_text[m_pos].unicode();
            ++m_pos;
            switch (e) {
            case u'"': out.append(QLatin1Char('"')); break;
            case u'\\': out.append(QLatin1Char('\\')); break;
            case u'/': out.append(QLatin1Char('/')); break;
            case u'b': out.append(QLatin1Char('\b')); break;
            case u'f': out.append(QLatin1Char('\f')); break;
            case u'n': out.append(QLatin1Char('\n')); break;
            case u'r': out.append(QLatin1Char('\r')); break;
            case u't': out.append(QLatin1Char('\t')); break;
            case u'u': {
                char32_t code = 0;
                if (!readHex4(code))
                    return false;
                // A high surrogate followed by \uDC00-\uDFFF is one code point, as in Python.
                if (code >= 0xD800 && code <= 0xDBFF && startsWith(QLatin1StringView("\\u"))) {
                    const qsizetype save = m_pos;
                    m_pos += 2;
                    char32_t low = 0;
                    if (readHex4(low) && low >= 0xDC00 && low <= 0xDFFF)
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    else {
                        m_error.clear();
                        m_pos = save;
                    }
                }
                out.append(QString::fromUcs4(&code, 1));
                break;
            }
            default:
                if (m_options.pythonLiterals && e == u'\'') {
                    out.append(QLatin1Char('\''));
                    break;
                }
                m_pos -= 2;
                return fail(QStringLiteral("invalid \\escape"));
            }
        }
    }

    bool readArray(OrderedJson &value, int depth)
    {
        value.m_type = OrderedJson::Type::Array;
        ++m_pos;
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == u']') {
            ++m_pos;
            return true;
        }
        while (true) {
            OrderedJson item;
            skipSpace();
            if (!readValue(item, depth + 1))
                return false;
            value.m_items.push_back(std::move(item));
            skipSpace();
            if (m_pos >= m_text.size())
                return fail(QStringLiteral("expecting ',' or ']'"));
            if (m_text[m_pos] == u']') {
                ++m_pos;
                return true;
            }
            if (m_text[m_pos] != u',')
                return fail(QStringLiteral("expecting ',' or ']'"));
            ++m_pos;
            skipSpace();
            if (m_options.pythonLiterals && m_pos < m_text.size() && m_text[m_pos] == u']') {
                ++m_pos;
                return true;
            }
        }
    }

    bool readObject(OrderedJson &value, int depth)
    {
        value.m_type = OrderedJson::Type::Object;
        ++m_pos;
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == u'}') {
            ++m_pos;
            return true;
        }
        while (true) {
            skipSpace();
            const bool quoted = m_pos < m_text.size()
                                && (m_text[m_pos] == u'"' || (m_options.pythonLiterals && m_text[m_pos] == u'\''));
            if (!quoted)
                return fail(QStringLiteral("expecting a property name in quotes"));
            QString key;
            if (!readString(key))
                return false;
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != u':')
                return fail(QStringLiteral("expecting ':'"));
            ++m_pos;
            skipSpace();
            OrderedJson member;
            if (!readValue(member, depth + 1))
                return false;
            bool replaced = false;
            for (auto &[existing, old] : value.m_members)
                if (existing == key) {
                    old = std::move(member);
                    replaced = true;
                    break;
                }
            if (!replaced)
                value.m_members.emplace_back(std::move(key), std::move(member));
            skipSpace();
            if (m_pos >= m_text.size())
                return fail(QStringLiteral("expecting ',' or '}'"));
            if (m_text[m_pos] == u'}') {
                ++m_pos;
                return true;
            }
            if (m_text[m_pos] != u',')
                return fail(QStringLiteral("expecting ',' or '}'"));
            ++m_pos;
            skipSpace();
            if (m_options.pythonLiterals && m_pos < m_text.size() && m_text[m_pos] == u'}') {
                ++m_pos;
                return true;
            }
        }
    }

    QStringView m_text;
    OrderedJson::Options m_options;
    qsizetype m_pos = 0;
    QString m_error;
};

Expected<OrderedJson> OrderedJson::parse(QStringView text, Options options)
{
    return OrderedJsonReader(text, options).document();
}

const OrderedJson *OrderedJson::member(const QString &key) const
{
    for (const auto &[name, value] : m_members)
        if (name == key)
            return &value;
    return nullptr;
}

} // namespace rs
