#pragma once

#include "inference/runtime/generatedtoken.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rs {

// What one InferenceRuntime::run call produced.
struct InferenceResult
{
    enum class StopReason { EndToken, StopToken, Budget, PositionLimit, Cancelled };

    // One [SEG] target, in generation order.
    struct Target
    {
        int width = 0; // the image's own size
        int height = 0;
        std::vector<std::uint8_t> mask; // 0/1, row-major, width * height
        std::int64_t pixelCount = 0;
        bool hasBox = false;
        std::array<float, 4> box {}; // xyxy in image pixels
        float score = 0.0f; // in [0, 1]
        std::string label; // the generated words naming it ("large red square at x1 y3")
    };

    struct Timings
    {
        double preprocessMs = 0.0;
        double visionMs = 0.0; // 0 on a feature-cache hit
        double prefillMs = 0.0;
        double timeToFirstTokenMs = 0.0; // from the start of run() to the first chosen token
        double decodeMs = 0.0; // step() loop after the first token
        double tokensPerSecond = 0.0; // (tokens - 1) / decodeMs
        double maskDecodeMs = 0.0; // mask decoder + resize to the image size
        double totalMs = 0.0;
        bool featureCacheHit = false;
    };

    std::vector<std::int64_t> promptIds;
    std::vector<GeneratedToken> tokens; // including the stop token when there is one
    std::string text; // detokenised generation without the stop token
    std::string reasoning; // between <think> and </think>
    std::string answer; // after </think>
    std::vector<Target> targets;
    bool noTarget = false; // finished (not cancelled) without any [SEG]
    StopReason stopReason = StopReason::EndToken;
    float uncertainty = 0.0f; // PixelThink: mean over tokens of clamp(1 - margin, 0, 1)
    Timings timings;
    std::string device; // "cpu", "cuda:0"
};

} // namespace rs
