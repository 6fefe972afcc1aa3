#pragma once

#include <cstddef>
#include <string>

namespace rs {

// How InferenceRuntime::load places and runs the model.
struct RuntimeOptions
{
    // "auto" (CUDA when torch::cuda::is_available(), else CPU), "cpu" or "cuda" / "cuda:N".
    std::string device = "auto";
    // Intra-op CPU threads (at::set_num_threads), applied on the thread that calls load() and run().
    int threads = 2;
    // Images whose vision features are kept; 0 disables the cache.
    std::size_t featureCacheCapacity = 8;
};

} // namespace rs
