#include "inference/runtime/inferenceruntime.h"

#include "inference/runtime/imagepreprocessor.h"
#include "inference/runtime/lrucache.h"
#include "inference/runtime/tokensampler.h"
#include "inference/runtime/torchmodules.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace rs {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Status chooseDevice(const std::string &name, torch::Device &device)
{
    if (name == "auto") {
        device = torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
        return Status::success();
    }
    if (name == "cpu") {
        device = torch::Device(torch::kCPU);
        return Status::success();
    }
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            return Status::failure("device " + name
                                   + ": CUDA is not available (torch::cuda::is_available() is false)");
        int index = 0;
        if (name.size() > 5) {
            const std::string digits = name.substr(5);
            if (digits.empty() || digits.size() > 3
                || digits.find_first_not_of("0123456789") != std::string::npos)
                return Status::failure("device " + name + ": expected auto, cpu, cuda or cuda:N");
            index = std::stoi(digits);
        }
        if (std::size_t(index) >= torch::cuda::device_count())
            return Status::failure("device " + name + ": only " + std::to_string(torch::cuda::device_count())
                                   + " CUDA device(s)");
        device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
        return Status::success();
    }
    return Status::failure("device " + name + ": expected auto, cpu, cuda or cuda:N");
}

std::vector<float> rowToCpu(const torch::Tensor &logits, std::int64_t row)
{
    const torch::Tensor r = logits[0][row].to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(r.data_ptr<float>(), r.data_ptr<float>() + r.numel());
}

} // namespace

class InferenceRuntime::Impl
{
public:
    Status load(const std::string &directory, const RuntimeOptions &options);
    Status run(const InferenceRequest &request, const GenerationOptions &options, InferenceResult &result);
    std::vector<std::int64_t> promptIds(const std::string &question, bool hasBox) const;

    bool loaded = false;
    ModelPackage package;
    RuntimeOptions options;
    torch::Device device = torch::kCPU;
    TorchModules modules;
    ImagePreprocessor preprocessor;
    LruCache<std::string, torch::Tensor> cache;
    Counters counters;

private:
    Status features(const InferenceRequest &request, ImagePreprocessor::Geometry &geometry,
                    torch::Tensor &out, InferenceResult &result);
    Status decodeTargets(const torch::Tensor &features, const std::vector<torch::Tensor> &segHidden,
                         const RgbImageView &image, const ImagePreprocessor::Geometry &geometry,
                         InferenceResult &result);
    void describe(InferenceResult &result) const;
    void applyThreads() const;
};

void InferenceRuntime::Impl::applyThreads() const
{
    const int threads = std::max(1, options.threads);
    if (at::get_num_threads() != threads)
        at::set_num_threads(threads);
}

Status InferenceRuntime::Impl::load(const std::string &directory, const RuntimeOptions &requested)
{
    loaded = false;
    cache.clear();
    options = requested;
    if (options.threads < 1)
        return Status::failure("threads must be at least 1");
    if (Status s = chooseDevice(options.device, device); !s)
        return s;
    applyThreads();
    ModelPackage candidate;
    if (Status s = ModelPackage::load(directory, candidate); !s)
        return s;
    package = std::move(candidate);
    {
        c10::InferenceMode guard;
        if (Status s = modules.load(package, device); !s)
            return s;
    }
    const auto &input = package.input();
    preprocessor = ImagePreprocessor(input.width, input.mean, input.std);
    cache.setCapacity(options.featureCacheCapacity);
    counters = Counters();
    loaded = true;
    return Status::success();
}

std::vector<std::int64_t> InferenceRuntime::Impl::promptIds(const std::string &question, bool hasBox) const
{
    const auto &special = package.specialTokens();
    std::vector<std::int64_t> ids { special.bos };
    const auto words = package.tokenizer().encode(question);
    ids.insert(ids.end(), words.begin(), words.end());
    const std::size_t cap = std::size_t(package.limits().maxPromptTokens - (hasBox ? 1 : 0));
    if (ids.size() > cap)
        ids.resize(cap);
    if (hasBox)
        ids.push_back(special.box);
    return ids;
}

Status InferenceRuntime::Impl::features(const InferenceRequest &request,
                                        ImagePreprocessor::Geometry &geometry, torch::Tensor &out,
                                        InferenceResult &result)
{
    const Clock::time_point start = Clock::now();
    if (Status s = ImagePreprocessor::check(request.image); !s)
        return s;
    geometry = preprocessor.geometry(request.image.width, request.image.height);
    const std::string key
        = request.imageKey.empty() ? ImagePreprocessor::hash(request.image) : request.imageKey;
    if (const torch::Tensor *cached = cache.find(key)) {
        out = *cached;
        ++counters.cacheHits;
        result.timings.featureCacheHit = true;
        result.timings.preprocessMs = msSince(start);
        return Status::success();
    }
    ++counters.cacheMisses;
    std::vector<float> chw;
    if (Status s = preprocessor.run(request.image, chw, geometry); !s)
        return s;
    const int size = preprocessor.size();
    const torch::Tensor image = torch::from_blob(chw.data(), { 1, 3, size, size }, torch::kFloat32)
                                    .to(torch::TensorOptions().device(device), false, true);
    result.timings.preprocessMs = msSince(start);
    const Clock::time_point visionStart = Clock::now();
    if (Status s = modules.vision(image, out); !s)
        return s;
    ++counters.visionRuns;
    result.timings.visionMs = msSince(visionStart);
    cache.insert(key, out);
    return Status::success();
}

Status InferenceRuntime::Impl::run(const InferenceRequest &request, const GenerationOptions &options,
                                   InferenceResult &result)
{
    result = InferenceResult();
    if (!loaded)
        return Status::failure("no model package loaded");
    const Clock::time_point start = Clock::now();
    result.device = device.str();
    ++counters.runs;
    applyThreads();
    const auto &special = package.specialTokens();
    const auto &limits = package.limits();
    if (request.box) {
        if (!package.acceptsRegionInput())
            return Status::failure(
                "this package does not accept a region input (model.json optional_outputs.region_input)");
        for (float v : *request.box) {
            if (!std::isfinite(v))
                return Status::failure("box: coordinates must be finite");
        }
    }
    auto cancelled = [&options] {
        return (options.cancel && options.cancel->load()) || (options.isCancelled && options.isCancelled());
    };
    auto finishCancelled = [&] {
        result.stopReason = InferenceResult::StopReason::Cancelled;
        describe(result);
        result.timings.totalMs = msSince(start);
        return Status::success();
    };
    if (cancelled())
        return finishCancelled();

    c10::InferenceMode guard;
    ImagePreprocessor::Geometry geometry;
    torch::Tensor feats;
    if (Status s = features(request, geometry, feats, result); !s)
        return s;
    if (cancelled())
        return finishCancelled();

    result.promptIds = promptIds(request.question, request.box.has_value());
    const auto T = std::int64_t(result.promptIds.size());
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    torch::Tensor box = torch::zeros({ 1, 4 }, f32);
    torch::Tensor hasBox = torch::zeros({ 1 }, f32);
    if (request.box) {
        const auto &b = *request.box;
        box = torch::tensor({ b[0], b[1], b[2], b[3] }, torch::kFloat32).view({ 1, 4 }).to(device)
            * geometry.scale / double(preprocessor.size());
        hasBox.fill_(1.0);
    }
    const torch::Tensor ids = torch::tensor(result.promptIds, torch::kInt64).view({ 1, T }).to(device);
    const Clock::time_point prefillStart = Clock::now();
    TorchModules::Step state;
    if (Status s = modules.prefill(feats, ids, box, hasBox, state); !s)
        return s;
    result.timings.prefillMs = msSince(prefillStart);

    const int budget = std::min({ options.maxNewTokens > 0 ? options.maxNewTokens : limits.maxNewTokens,
                                  limits.maxNewTokens, limits.maxTextPositions - int(T) });
    TokenSampler sampler({ options.temperature, options.topP, options.seed, options.alternatives });
    const auto &tokenizer = package.tokenizer();
    const auto &stops = package.stopTokens();
    std::vector<float> next = rowToCpu(state.logits, T - 1);
    std::vector<torch::Tensor> segHidden;
    std::int64_t position = T;
    Clock::time_point decodeStart = Clock::now();
    result.stopReason = InferenceResult::StopReason::Budget;
    while (int(result.tokens.size()) < budget) {
        GeneratedToken token;
        if (Status s = sampler.next(next.data(), next.size(), token); !s)
            return Status::failure(package.modules().languageFile + ": "
                                   + (result.tokens.empty() ? "prefill" : "step")
                                   + " returned logits with NaN/Inf values (" + s.message() + ")");
        token.text = tokenizer.token(token.id);
        for (auto &alternative : token.alternatives)
            alternative.text = tokenizer.token(alternative.id);
        result.tokens.push_back(token);
        if (result.tokens.size() == 1) {
            result.timings.timeToFirstTokenMs = msSince(start);
            decodeStart = Clock::now();
        }
        if (options.onToken) {
            try {
                options.onToken(result.tokens.back(), result.tokens.size() - 1);
            } catch (const std::exception &e) {
                return Status::failure(std::string("token callback threw: ") + e.what());
            } catch (...) {
                return Status::failure("token callback threw a non-standard exception");
            }
        }
        if (std::find(stops.begin(), stops.end(), token.id) != stops.end()) {
            result.stopReason = token.id == special.eos ? InferenceResult::StopReason::EndToken
                                                        : InferenceResult::StopReason::StopToken;
            break;
        }
        if (position >= limits.maxTextPositions) {
            result.stopReason = InferenceResult::StopReason::PositionLimit;
            break;
        }
        // The last token the budget allows is only fed back when it is a [SEG] (its mask needs the hidden).
        if (int(result.tokens.size()) >= budget && token.id != special.seg)
            break;
        if (cancelled()) {
            result.timings.decodeMs = msSince(decodeStart);
            return finishCancelled();
        }
        TorchModules::Step after;
        const torch::Tensor tok = torch::tensor({ token.id }, torch::kInt64).view({ 1, 1 }).to(device);
        if (Status s = modules.step(tok, state.cache, position, after); !s)
            return s;
        state = std::move(after);
        ++position;
        if (token.id == special.seg)
            segHidden.push_back(state.hidden[0][0]);
        next = rowToCpu(state.logits, 0);
    }
    result.timings.decodeMs = msSince(decodeStart);
    const double decodeSeconds = std::max(result.timings.decodeMs / 1000.0, 1e-9);
    result.timings.tokensPerSecond
        = double(std::max<std::size_t>(result.tokens.size(), 2) - 1) / decodeSeconds;

    const Clock::time_point maskStart = Clock::now();
    if (segHidden.size() > std::size_t(limits.maxTargets))
        segHidden.resize(std::size_t(limits.maxTargets));
    if (!segHidden.empty()) {
        if (Status s = decodeTargets(feats, segHidden, request.image, geometry, result); !s)
            return s;
    }
    result.timings.maskDecodeMs = msSince(maskStart);
    result.noTarget = segHidden.empty();
    describe(result);
    result.timings.totalMs = msSince(start);
    return Status::success();
}

Status InferenceRuntime::Impl::decodeTargets(const torch::Tensor &feats,
                                             const std::vector<torch::Tensor> &segHidden,
                                             const RgbImageView &image,
                                             const ImagePreprocessor::Geometry &geometry,
                                             InferenceResult &result)
{
    const torch::Tensor hidden = torch::stack(segHidden);
    if (!torch::isfinite(hidden).all().item<bool>())
        return Status::failure(package.modules().languageFile
                               + ": step returned hidden with NaN/Inf values for a [SEG] token");
    TorchModules::Masks masks;
    if (Status s = modules.decodeMasks(feats, hidden, masks); !s)
        return s;
    const std::int64_t K = hidden.size(0);
    const torch::Tensor cropped
        = masks.logits.slice(1, 0, geometry.resizedHeight).slice(2, 0, geometry.resizedWidth).unsqueeze(1);
    const std::vector<std::int64_t> size { image.height, image.width };
    const torch::Tensor resized = at::upsample_bilinear2d(cropped, size, false).select(1, 0);
    const torch::Tensor binary
        = resized.gt(package.maskThreshold()).to(torch::kCPU, torch::kUInt8).contiguous();
    torch::Tensor boxes, scores;
    if (masks.boxes.defined())
        boxes = (masks.boxes * preprocessor.size() / geometry.scale).to(torch::kCPU).contiguous();
    if (masks.scores.defined()) {
        scores = masks.scores.to(torch::kCPU).contiguous();
    } else {
        // README: mean sigmoid probability over the predicted pixels, the maximum if there are none.
        const torch::Tensor prob = torch::sigmoid(cropped.select(1, 0)).flatten(1);
        const torch::Tensor on
            = prob.gt(torch::sigmoid(torch::tensor(package.maskThreshold()))).to(torch::kFloat32);
        const torch::Tensor count = on.sum(1);
        const torch::Tensor mean = (prob * on).sum(1) / count.clamp_min(1.0);
        scores = torch::where(count.gt(0), mean, std::get<0>(prob.max(1))).to(torch::kCPU).contiguous();
    }
    const std::size_t pixels = std::size_t(image.width) * std::size_t(image.height);
    for (std::int64_t k = 0; k < K; ++k) {
        InferenceResult::Target target;
        target.width = image.width;
        target.height = image.height;
        const std::uint8_t *data = binary[k].data_ptr<std::uint8_t>();
        target.mask.assign(data, data + pixels);
        target.pixelCount = std::int64_t(std::count(target.mask.begin(), target.mask.end(), std::uint8_t(1)));
        if (boxes.defined()) {
            target.hasBox = true;
            for (int i = 0; i < 4; ++i)
                target.box[std::size_t(i)] = boxes[k][i].item<float>();
        }
        target.score = scores[k].item<float>();
        result.targets.push_back(std::move(target));
    }
    return Status::success();
}

void InferenceRuntime::Impl::describe(InferenceResult &result) const
{
    const auto &special = package.specialTokens();
    const auto &stops = package.stopTokens();
    const auto &tokenizer = package.tokenizer();
    std::vector<std::string> all, reasoning, answer, label;
    bool inThink = false, afterThink = false;
    std::size_t target = 0;
    double uncertainty = 0.0;
    for (const GeneratedToken &token : result.tokens) {
        uncertainty += std::clamp(1.0 - double(token.margin), 0.0, 1.0);
        if (std::find(stops.begin(), stops.end(), token.id) != stops.end())
            break;
        all.push_back(token.text);
        if (token.id == special.thinkStart && !afterThink) {
            inThink = true;
            continue;
        }
        if (token.id == special.thinkEnd && inThink) {
            inThink = false;
            afterThink = true;
            continue;
        }
        if (inThink)
            reasoning.push_back(token.text);
        else if (afterThink || special.thinkStart < 0)
            answer.push_back(token.text);
        if (token.id == special.seg) {
            if (target < result.targets.size())
                result.targets[target++].label = tokenizer.join(label);
            label.clear();
        } else if (!inThink) {
            label.push_back(token.text);
        }
    }
    result.uncertainty = result.tokens.empty() ? 0.0f : float(uncertainty / double(result.tokens.size()));
    result.text = tokenizer.join(all);
    result.reasoning = tokenizer.join(reasoning);
    result.answer = tokenizer.join(answer);
}

InferenceRuntime::InferenceRuntime()
    : m_impl(std::make_unique<Impl>())
{
}

InferenceRuntime::~InferenceRuntime() = default;
InferenceRuntime::InferenceRuntime(InferenceRuntime &&) noexcept = default;
InferenceRuntime &InferenceRuntime::operator=(InferenceRuntime &&) noexcept = default;

Status InferenceRuntime::load(const std::string &packageDirectory, const RuntimeOptions &options)
{
    try {
        if (!m_impl)
            m_impl = std::make_unique<Impl>(); // a moved-from runtime can be loaded again
        Status s = m_impl->load(packageDirectory, options);
        if (!s)
            m_impl->loaded = false;
        return s;
    } catch (const std::exception &e) {
        m_impl->loaded = false;
        return Status::failure(std::string("loading ") + packageDirectory + " failed: " + e.what());
    } catch (...) {
        m_impl->loaded = false;
        return Status::failure("loading " + packageDirectory + " failed: unknown exception");
    }
}

bool InferenceRuntime::isLoaded() const
{
    return m_impl && m_impl->loaded;
}

const ModelPackage &InferenceRuntime::package() const
{
    static const ModelPackage empty;
    return m_impl ? m_impl->package : empty;
}

std::string InferenceRuntime::device() const
{
    return m_impl ? m_impl->device.str() : std::string();
}

Status InferenceRuntime::run(const InferenceRequest &request, const GenerationOptions &options,
                             InferenceResult &result)
{
    try {
        if (!m_impl) {
            result = InferenceResult();
            return Status::failure("no model package loaded");
        }
        return m_impl->run(request, options, result);
    } catch (const std::exception &e) {
        return Status::failure(std::string("inference failed: ") + e.what());
    } catch (...) {
        return Status::failure("inference failed: unknown exception");
    }
}

std::vector<std::int64_t> InferenceRuntime::promptIds(const std::string &question, bool hasBox) const
{
    if (!isLoaded())
        return {};
    return m_impl->promptIds(question, hasBox);
}

InferenceRuntime::Counters InferenceRuntime::counters() const
{
    return m_impl ? m_impl->counters : Counters();
}

void InferenceRuntime::clearFeatureCache()
{
    if (m_impl)
        m_impl->cache.clear();
}

} // namespace rs
