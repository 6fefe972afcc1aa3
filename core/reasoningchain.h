#pragma once

#include <QString>

#include <vector>

namespace rs {

// One generated token with the statistics the runtime recorded when it was chosen.
struct ChainToken
{
    QString text;
    int id = -1;              // vocabulary id; -1 when the chain was imported as text
    float logProb = 0.f;      // natural log of the chosen token's probability
    float entropy = 0.f;      // nats, over the full next-token distribution
    float top2Margin = 1.f;   // p1 − p2 of the two most likely tokens (PixelThink, formats.md §2.3)

    bool operator==(const ChainToken &) const = default;
};

// A step of the chain: the tokens [first, end).
struct ChainStep
{
    int first = 0;
    int end = 0;

    int size() const { return end - first; }
    bool operator==(const ChainStep &) const = default;
};

// A model's (or an annotator's) reasoning: the text, its tokens and their uncertainty, split in steps.
class ReasoningChain
{
public:
    ReasoningChain() = default;
    // A chain from plain text: whitespace-separated words become tokens with no statistics.
    static ReasoningChain fromText(const QString &text);
    // A chain from generated tokens; the text is the tokens joined by single spaces.
    static ReasoningChain fromTokens(std::vector<ChainToken> tokens);

    const QString &text() const { return m_text; }
    const std::vector<ChainToken> &tokens() const { return m_tokens; }
    const std::vector<ChainStep> &steps() const { return m_steps; }
    int tokenCount() const { return int(m_tokens.size()); }
    // Whitespace words of the text, PixelThink's default length measure (len(response.split())).
    int wordCount() const;

    // Steps are sentences by default: a step ends after a token ending in '.', '!' or '?', or at a
    // </think> tag. setSteps() replaces them when an annotator merges or splits; invalid ranges
    // (overlapping, out of order, outside the tokens) are rejected and the old steps kept.
    bool setSteps(std::vector<ChainStep> steps);
    QString stepText(int index) const;
    // The step containing token index, or -1.
    int stepOfToken(int tokenIndex) const;

    // PixelThink's sequence uncertainty U: mean over tokens of clamp(1 − (p1 − p2), 0, 1); 0 when empty.
    double sequenceUncertainty() const;
    // Mean per-token entropy in nats; 0 when empty.
    double meanEntropy() const;

    bool operator==(const ReasoningChain &) const = default;

private:
    void splitIntoSentences();

    QString m_text;
    std::vector<ChainToken> m_tokens;
    std::vector<ChainStep> m_steps;
};

} // namespace rs
