#pragma once

#include "inference/runtime/generationoptions.h"
#include "inference/runtime/inferencerequest.h"
#include "inference/runtime/inferenceresult.h"
#include "inference/runtime/modelpackage.h"
#include "inference/runtime/runtimeoptions.h"
#include "inference/runtime/status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rs {

// Runs a model package (LibTorch): checks it on load, preprocesses the image, owns the decoding loop
// (greedy / temperature + top-p, budget, stop tokens, per-token statistics), decodes masks at the
// image's size and caches vision features per image (LRU).
//
// Threads: one thread at a time calls load()/run() (the modules belong to it); only the cancel flag of
// GenerationOptions may be set from another thread. No exception leaves this class: every failure is
// a Status naming the file and the tensor.
class InferenceRuntime
{
public:
    struct Counters
    {
        std::uint64_t runs = 0;
        std::uint64_t visionRuns = 0; // dry runs at load excluded
        std::uint64_t cacheHits = 0;
        std::uint64_t cacheMisses = 0;
    };

    InferenceRuntime();
    ~InferenceRuntime();
    InferenceRuntime(InferenceRuntime &&) noexcept;
    InferenceRuntime &operator=(InferenceRuntime &&) noexcept;
    InferenceRuntime(const InferenceRuntime &) = delete;
    InferenceRuntime &operator=(const InferenceRuntime &) = delete;

    // Reads and checks the package, loads the modules on the chosen device and dry-runs every method
    // against the shapes and dtypes model.json documents. On failure the runtime is left unloaded.
    Status load(const std::string &packageDirectory, const RuntimeOptions &options = RuntimeOptions());
    bool isLoaded() const;
    const ModelPackage &package() const;
    std::string device() const;

    Status run(const InferenceRequest &request, const GenerationOptions &options, InferenceResult &result);

    // The prompt ids run() feeds: <bos> question tokens [<box>], capped at limits.max_prompt_tokens.
    std::vector<std::int64_t> promptIds(const std::string &question, bool hasBox) const;

    Counters counters() const;
    void clearFeatureCache();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace rs
