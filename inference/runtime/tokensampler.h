#pragma once

#include "inference/runtime/generatedtoken.h"
#include "inference/runtime/status.h"

#include <cstddef>
#include <cstdint>
#include <random>

namespace rs {

// Chooses the next token from one row of logits and measures the distribution.
// temperature <= 0: greedy (arg max, lowest id on ties). Otherwise softmax(logits / temperature),
// restricted to the smallest set of most probable tokens whose mass reaches topP, sampled with a
// std::mt19937_64 seeded once: the same seed and logits give the same tokens on every platform.
class TokenSampler
{
public:
    struct Options
    {
        float temperature = 0.0f;
        float topP = 1.0f;
        std::uint64_t seed = 0;
        int alternatives = 5;
    };

    explicit TokenSampler(const Options &options);

    // Fills id, logProb, entropy, margin and alternatives (ids and probabilities; no text).
    // Fails on an empty row or a NaN/Inf logit.
    Status next(const float *logits, std::size_t count, GeneratedToken &token);

private:
    double uniform();

    Options m_options;
    std::mt19937_64 m_rng;
};

} // namespace rs
