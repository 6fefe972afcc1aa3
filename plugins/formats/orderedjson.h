#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringView>

#include <utility>
#include <vector>

namespace rs {

// A JSON value as Python's json.loads() returns it: objects keep their keys in file order (a
// repeated key keeps its first position and its last value, like a dict), and numbers remember
// whether Python would make them an int or a float. Model answers are scored by code that walks
// dict keys in order (Seg-Zero takes the first key containing "bbox"), which QJsonObject's sorted
// keys cannot reproduce.
class OrderedJson
{
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    struct Options
    {
        // Also accept what a Python dict literal allows and JSON does not: 'single-quoted' strings,
        // True/False/None and a trailing comma. json.loads() itself rejects all of these.
        bool pythonLiterals = false;
    };

    // The whole text must be one value (surrounded by JSON whitespace). Like json.loads(), NaN,
    // Infinity and -Infinity are numbers. Error: one line with the character offset.
    static Expected<OrderedJson> parse(QStringView text, Options options);
    static Expected<OrderedJson> parse(QStringView text) { return parse(text, Options()); }

    Type type() const { return m_type; }
    bool isNumber() const { return m_type == Type::Number; }
    // Python's bool is an int subclass, so True * 0.5 works: numbers and booleans are numeric.
    bool isNumeric() const { return m_type == Type::Number || m_type == Type::Bool; }
    bool isIntegral() const { return m_type == Type::Bool || (m_type == Type::Number && m_integral); }
    double number() const { return m_type == Type::Bool ? (m_bool ? 1.0 : 0.0) : m_number; }
    bool boolean() const { return m_bool; }
    const QString &string() const { return m_string; }
    const std::vector<OrderedJson> &items() const { return m_items; }
    const std::vector<std::pair<QString, OrderedJson>> &members() const { return m_members; }
    // The value of key, or nullptr.
    const OrderedJson *member(const QString &key) const;

private:
    friend class OrderedJsonReader;

    Type m_type = Type::Null;
    bool m_bool = false;
    bool m_integral = false;
    double m_number = 0.0;
    QString m_string;
    std::vector<OrderedJson> m_items;
    std::vector<std::pair<QString, OrderedJson>> m_members;
};

} // namespace rs
