#pragma once

// Internal to rs_inference_runtime: includes LibTorch. Only inferenceruntime.cpp and
// torchmodules.cpp include this header.

#include "inference/runtime/modelpackage.h"
#include "inference/runtime/status.h"

#include <torch/script.h>

#include <cstdint>
#include <map>
#include <string>

namespace rs {

// The three TorchScript modules of a package on one device. Every call checks its outputs against
// model.json (count, dtype, shape, device, NaN/Inf) and turns exceptions into a Status naming the file.
class TorchModules
{
public:
    struct Step
    {
        torch::Tensor logits; // [1,T,V] or [1,1,V]
        torch::Tensor hidden; // [1,T,D] or [1,1,D]
        torch::Tensor cache;
    };
    struct Masks
    {
        torch::Tensor logits; // [K,H,W] input frame
        torch::Tensor boxes; // [K,4] normalised xyxy, undefined when the package has none
        torch::Tensor scores; // [K], undefined when the package has none
    };

    // Loads the modules, checks their methods exist and dry-runs them (vision, prefill, step, decoder).
    Status load(const ModelPackage &package, const torch::Device &device);

    Status vision(const torch::Tensor &image, torch::Tensor &features);
    Status prefill(const torch::Tensor &features, const torch::Tensor &inputIds, const torch::Tensor &box,
                   const torch::Tensor &hasBox, Step &out);
    Status step(const torch::Tensor &token, const torch::Tensor &cache, std::int64_t position, Step &out);
    Status decodeMasks(const torch::Tensor &features, const torch::Tensor &segHidden, Masks &out);

    const torch::Device &device() const { return m_device; }

private:
    Status checkStep(const std::string &method, const c10::IValue &value, std::int64_t length,
                     std::int64_t cacheLength, Step &out) const;
    Status checkTensor(const c10::IValue &value, const std::string &file, const std::string &what,
                       const TensorSpec &spec, std::map<std::string, std::int64_t> symbols, bool finite,
                       torch::Tensor &out) const;

    ModelPackage m_package;
    torch::Device m_device = torch::kCPU;
    torch::jit::Module m_vision;
    torch::jit::Module m_language;
    torch::jit::Module m_decoder;
};

} // namespace rs
