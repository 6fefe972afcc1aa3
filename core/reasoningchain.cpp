#include "core/reasoningchain.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace rs {

namespace {

bool endsStep(const QString &token)
{
    if (token == QLatin1String("</think>"))
        return true;
    return token.endsWith(QLatin1Char('.')) || token.endsWith(QLatin1Char('!'))
           || token.endsWith(QLatin1Char('?'));
}

} // namespace

ReasoningChain ReasoningChain::fromText(const QString &text)
{
    ReasoningChain chain;
    chain.m_text = text;
    const QStringList words = text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    chain.m_tokens.reserve(std::size_t(words.size()));
    for (const QString &word : words) {
        ChainToken token;
        token.text = word;
        chain.m_tokens.push_back(token);
    }
    chain.splitIntoSentences();
    return chain;
}

ReasoningChain ReasoningChain::fromTokens(std::vector<ChainToken> tokens)
{
    ReasoningChain chain;
    QStringList words;
    words.reserve(qsizetype(tokens.size()));
    for (const ChainToken &token : tokens)
        words << token.text;
    chain.m_text = words.join(QLatin1Char(' '));
    chain.m_tokens = std::move(tokens);
    chain.splitIntoSentences();
    return chain;
}

int ReasoningChain::wordCount() const
{
    return int(m_text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts).size());
}

void ReasoningChain::splitIntoSentences()
{
    m_steps.clear();
    int first = 0;
    for (int i = 0; i < tokenCount(); ++i) {
        if (endsStep(m_tokens[std::size_t(i)].text)) {
            m_steps.push_back({first, i + 1});
            first = i + 1;
        }
    }
    if (first < tokenCount())
        m_steps.push_back({first, tokenCount()});
}

bool ReasoningChain::setSteps(std::vector<ChainStep> steps)
{
    int previousEnd = 0;
    for (const ChainStep &step : steps) {
        if (step.first < previousEnd || step.end <= step.first || step.end > tokenCount())
            return false;
        previousEnd = step.end;
    }
    m_steps = std::move(steps);
    return true;
}

QString ReasoningChain::stepText(int index) const
{
    if (index < 0 || index >= int(m_steps.size()))
        return QString();
    QStringList words;
    const ChainStep &step = m_steps[std::size_t(index)];
    for (int i = step.first; i < step.end; ++i)
        words << m_tokens[std::size_t(i)].text;
    return words.join(QLatin1Char(' '));
}

int ReasoningChain::stepOfToken(int tokenIndex) const
{
    for (int i = 0; i < int(m_steps.size()); ++i)
        if (tokenIndex >= m_steps[std::size_t(i)].first && tokenIndex < m_steps[std::size_t(i)].end)
            return i;
    return -1;
}

double ReasoningChain::sequenceUncertainty() const
{
    if (m_tokens.empty())
        return 0.0;
    double sum = 0.0;
    for (const ChainToken &token : m_tokens)
        sum += std::clamp(1.0 - double(token.top2Margin), 0.0, 1.0);
    return sum / double(m_tokens.size());
}

double ReasoningChain::meanEntropy() const
{
    if (m_tokens.empty())
        return 0.0;
    double sum = 0.0;
    for (const ChainToken &token : m_tokens)
        sum += token.entropy;
    return sum / double(m_tokens.size());
}

} // namespace rs
