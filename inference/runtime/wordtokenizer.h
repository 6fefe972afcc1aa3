#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rs {

// The word-level tokenizer of the model package (models/shapes/README.md, "Tokenizer"): lower-case
// (ASCII), split on whitespace, every punctuation character its own token, unknown words -> unk id.
// Ids are 0-based vocabulary line numbers.
class WordTokenizer
{
public:
    WordTokenizer() = default;
    WordTokenizer(std::vector<std::string> vocabulary, std::string punctuation, std::int64_t unknownId);

    std::size_t size() const { return m_vocabulary.size(); }
    const std::vector<std::string> &vocabulary() const { return m_vocabulary; }
    const std::string &punctuation() const { return m_punctuation; }

    std::vector<std::string> split(std::string_view text) const;
    std::vector<std::int64_t> encode(std::string_view text) const;
    std::optional<std::int64_t> id(std::string_view word) const;
    // The token text; "<id N>" for an id outside the vocabulary.
    std::string token(std::int64_t id) const;
    // Tokens joined with spaces, no space before a punctuation token.
    std::string decode(const std::vector<std::int64_t> &ids) const;
    std::string join(const std::vector<std::string> &words) const;

private:
    bool isPunctuation(char c) const;

    std::vector<std::string> m_vocabulary;
    std::unordered_map<std::string, std::int64_t> m_ids;
    std::string m_punctuation;
    std::int64_t m_unknownId = 0;
};

} // namespace rs
