#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rs {

// One generated token and the model's distribution at that step (before temperature and top-p):
// natural-log probability of the chosen token, entropy in nats, PixelThink's top-2 margin p1 - p2
// (uncertainty u = clamp(1 - margin, 0, 1)), and the most probable alternatives, best first.
struct GeneratedToken
{
    struct Alternative
    {
        std::int64_t id = 0;
        std::string text;
        float probability = 0.0f;
    };

    std::int64_t id = 0;
    std::string text;
    float logProb = 0.0f;
    float entropy = 0.0f;
    float margin = 0.0f;
    std::vector<Alternative> alternatives;
};

} // namespace rs
