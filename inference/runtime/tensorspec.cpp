#include "inference/runtime/tensorspec.h"

#include <algorithm>
#include <charconv>

namespace rs {

namespace {

bool isIdentifier(std::string_view s)
{
    if (s.empty() || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

bool toInteger(std::string_view s, std::int64_t &value)
{
    if (s.empty() || s.size() > 12)
        return false;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    return ec == std::errc() && ptr == s.data() + s.size() && value >= 0;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

} // namespace

std::optional<TensorSpec> TensorSpec::parse(std::string_view text)
{
    text = trim(text);
    const std::size_t space = text.find(' ');
    if (space == std::string_view::npos)
        return std::nullopt;
    TensorSpec spec;
    spec.m_dtype = std::string(text.substr(0, space));
    if (!isIdentifier(spec.m_dtype))
        return std::nullopt;
    std::string_view rest = trim(text.substr(space + 1));
    // Anything after the closing bracket is a free-text remark ("[K,4] normalised xyxy").
    if (rest.empty() || rest.front() != '[')
        return std::nullopt;
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos)
        return std::nullopt;
    std::string_view inner = rest.substr(1, close - 1);
    if (trim(inner).empty())
        return spec; // a scalar: []
    while (true) {
        const std::size_t comma = inner.find(',');
        const std::string_view dim = trim(inner.substr(0, comma));
        std::int64_t value = 0;
        if (!toInteger(dim, value) && !isIdentifier(dim))
            return std::nullopt;
        spec.m_dims.emplace_back(dim);
        if (comma == std::string_view::npos)
            break;
        inner.remove_prefix(comma + 1);
    }
    return spec;
}

TensorSpec TensorSpec::make(std::string dtype, std::vector<std::string> dims)
{
    TensorSpec spec;
    spec.m_dtype = std::move(dtype);
    spec.m_dims = std::move(dims);
    return spec;
}

std::string TensorSpec::text() const
{
    std::string s = m_dtype + " [";
    for (std::size_t i = 0; i < m_dims.size(); ++i)
        s += (i ? "," : "") + m_dims[i];
    return s + "]";
}

std::vector<std::string> TensorSpec::unknownSymbols(const std::vector<std::string> &known) const
{
    std::vector<std::string> out;
    for (const std::string &dim : m_dims) {
        std::int64_t value = 0;
        if (!toInteger(dim, value) && std::find(known.begin(), known.end(), dim) == known.end())
            out.push_back(dim);
    }
    return out;
}

std::optional<std::vector<std::int64_t>>
TensorSpec::resolve(const std::map<std::string, std::int64_t> &symbols) const
{
    std::vector<std::int64_t> shape;
    for (const std::string &dim : m_dims) {
        std::int64_t value = 0;
        if (toInteger(dim, value)) {
            shape.push_back(value);
            continue;
        }
        const auto it = symbols.find(dim);
        if (it == symbols.end())
            return std::nullopt;
        shape.push_back(it->second);
    }
    return shape;
}

std::string TensorSpec::shapeText(const std::vector<std::int64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? "," : "") + std::to_string(shape[i]);
    return s + "]";
}

} // namespace rs
