#pragma once

#include <QtGlobal>

namespace rs {

// How a proposal is decoded: greedy when temperature <= 0, else temperature + top-p with a seed.
struct DecodingSettings
{
    int maxNewTokens = 0;      // reasoning-token budget; 0 = the model's own limit
    float temperature = 0.0f;
    float topP = 1.0f;
    quint64 seed = 0;

    bool operator==(const DecodingSettings &) const = default;
};

} // namespace rs
