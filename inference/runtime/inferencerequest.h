#pragma once

#include "inference/runtime/rgbimage.h"

#include <array>
#include <optional>
#include <string>

namespace rs {

// One question about one image.
struct InferenceRequest
{
    RgbImageView image;
    std::string question;
    // Region input, xyxy in image pixels (needs a package with optional_outputs.region_input).
    std::optional<std::array<float, 4>> box;
    // Feature-cache key (e.g. the image's content hash); empty = the runtime hashes the pixels.
    std::string imageKey;
};

} // namespace rs
