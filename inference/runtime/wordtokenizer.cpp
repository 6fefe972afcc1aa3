#include "inference/runtime/wordtokenizer.h"

namespace rs {

WordTokenizer::WordTokenizer(std::vector<std::string> vocabulary, std::string punctuation,
                             std::int64_t unknownId)
    : m_vocabulary(std::move(vocabulary))
    , m_punctuation(std::move(punctuation))
    , m_unknownId(unknownId)
{
    m_ids.reserve(m_vocabulary.size());
    for (std::size_t i = 0; i < m_vocabulary.size(); ++i)
        m_ids.emplace(m_vocabulary[i], std::int64_t(i));
}

bool WordTokenizer::isPunctuation(char c) const
{
    return m_punctuation.find(c) != std::string::npos;
}

std::vector<std::string> WordTokenizer::split(std::string_view text) const
{
    // Python's str.split(): whitespace is ' ', \t, \n, \v, \f, \r (and \x1c-\x1f for str; ASCII set here).
    auto isSpace = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
            || (c >= '\x1c' && c <= '\x1f');
    };
    std::vector<std::string> out;
    std::string word;
    auto flush = [&] {
        if (!word.empty())
            out.push_back(std::move(word));
        word.clear();
    };
    for (char c : text) {
        if (isSpace(c)) {
            flush();
        } else if (isPunctuation(c)) {
            flush();
            out.emplace_back(1, c);
        } else {
            word += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
        }
    }
    flush();
    return out;
}

std::vector<std::int64_t> WordTokenizer::encode(std::string_view text) const
{
    std::vector<std::int64_t> ids;
    for (const std::string &word : split(text))
        ids.push_back(id(word).value_or(m_unknownId));
    return ids;
}

std::optional<std::int64_t> WordTokenizer::id(std::string_view word) const
{
    const auto it = m_ids.find(std::string(word));
    if (it == m_ids.end())
        return std::nullopt;
    return it->second;
}

std::string WordTokenizer::token(std::int64_t id) const
{
    if (id < 0 || std::size_t(id) >= m_vocabulary.size())
        return "<id " + std::to_string(id) + ">";
    return m_vocabulary[std::size_t(id)];
}

std::string WordTokenizer::decode(const std::vector<std::int64_t> &ids) const
{
    std::vector<std::string> words;
    words.reserve(ids.size());
    for (std::int64_t id : ids)
        words.push_back(token(id));
    return join(words);
}

std::string WordTokenizer::join(const std::vector<std::string> &words) const
{
    std::string text;
    for (const std::string &word : words) {
        const bool punct = word.size() == 1 && isPunctuation(word[0]);
        if (!text.empty() && !punct)
            text += ' ';
        text += word;
    }
    return text;
}

} // namespace rs
