#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rs {

// A tensor description as model.json writes it: "float32 [1,T,V]". Dimensions are integers or
// symbols (T prompt length, V vocabulary size, K targets, S cache length) bound per call.
class TensorSpec
{
public:
    TensorSpec() = default;

    static std::optional<TensorSpec> parse(std::string_view text);
    static TensorSpec make(std::string dtype, std::vector<std::string> dims);

    const std::string &dtype() const { return m_dtype; }
    const std::vector<std::string> &dims() const { return m_dims; }
    std::string text() const;

    // The symbols used that are not in `known`, e.g. {"Q"}.
    std::vector<std::string> unknownSymbols(const std::vector<std::string> &known) const;
    // Concrete shape with symbols replaced; nullopt if a symbol is unbound.
    std::optional<std::vector<std::int64_t>>
    resolve(const std::map<std::string, std::int64_t> &symbols) const;

    static std::string shapeText(const std::vector<std::int64_t> &shape);

private:
    std::string m_dtype;
    std::vector<std::string> m_dims;
};

} // namespace rs
