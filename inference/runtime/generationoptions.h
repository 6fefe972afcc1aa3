#pragma once

#include "inference/runtime/generatedtoken.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace rs {

// Decoding settings of one InferenceRuntime::run call.
struct GenerationOptions
{
    // Reasoning-token budget (PixelThink style); <= 0: the package's limits.max_new_tokens. Always capped
    // by limits.max_new_tokens and by limits.max_text_positions - prompt length.
    int maxNewTokens = 0;
    // <= 0: greedy. Otherwise temperature + top-p sampling, reproducible for a given seed.
    float temperature = 0.0f;
    float topP = 1.0f;
    std::uint64_t seed = 0;
    // Alternatives recorded per token (most probable first).
    int alternatives = 5;
    // Called on the run() thread right after each token is chosen (index = 0-based position in the
    // generated sequence). An exception thrown by it ends the run with an error.
    std::function<void(const GeneratedToken &token, std::size_t index)> onToken;
    // Checked before every model call; when set (from any thread) the run stops before the next token.
    const std::atomic<bool> *cancel = nullptr;
    std::function<bool()> isCancelled;
};

} // namespace rs
