// InferenceRuntime on the bundled package: greedy decoding reproduces reference_run.json (ids, mask pixel
// counts, boxes, scores) and is deterministic; the token budget; cancellation within one token; seeded
// sampling; per-token statistics and streaming; the feature cache; masks at the image's own size.

#include "check.h"
#include "testdata.h"

#include "inference/runtime/inferenceruntime.h"
#include "inference/runtime/json.h"

#include <atomic>
#include <cmath>
#include <set>

using namespace rs;

namespace {

struct ReferenceSample
{
    std::string stem, question;
    std::optional<std::array<float, 4>> box;
    std::vector<std::int64_t> promptIds, generatedIds, maskPixels;
    std::vector<std::array<double, 4>> boxes;
    std::vector<double> scores;
};

std::vector<std::int64_t> integers(const JsonValue *array)
{
    std::vector<std::int64_t> out;
    if (array)
        for (const JsonValue &v : array->items())
            out.push_back(v.asInteger());
    return out;
}

const JsonValue &member(const JsonValue &object, const char *key)
{
    static const JsonValue null;
    const JsonValue *value = object.find(key);
    if (!value)
        std::cout << "reference_run.json: missing key " << key << std::endl;
    return value ? *value : null;
}

std::vector<ReferenceSample> referenceRun()
{
    const std::string path = testdata::modelDir() + "/reference_run.json";
    JsonValue root;
    const Status parsed = JsonValue::parse(testdata::readText(path), root);
    if (!parsed.ok())
        std::cout << "cannot read " << path << ": " << parsed.message() << std::endl;
    std::vector<ReferenceSample> samples;
    for (const JsonValue &item : root.items()) {
        ReferenceSample s;
        s.stem = member(item, "stem").asString();
        s.question = member(item, "question").asString();
        if (const JsonValue *box = item.find("box_input"); box && box->isArray() && box->items().size() == 4)
            s.box
                = std::array<float, 4> { float(box->items()[0].asNumber()), float(box->items()[1].asNumber()),
                                         float(box->items()[2].asNumber()),
                                         float(box->items()[3].asNumber()) };
        s.promptIds = integers(item.find("prompt_ids"));
        s.generatedIds = integers(item.find("generated_ids"));
        s.maskPixels = integers(item.find("mask_pixels"));
        for (const JsonValue &b : member(item, "boxes_pixels").items()) {
            if (b.items().size() == 4)
                s.boxes.push_back({ b.items()[0].asNumber(), b.items()[1].asNumber(), b.items()[2].asNumber(),
                                    b.items()[3].asNumber() });
        }
        for (const JsonValue &v : member(item, "scores").items())
            s.scores.push_back(v.asNumber());
        samples.push_back(std::move(s));
    }
    return samples;
}

InferenceRuntime &runtime()
{
    static InferenceRuntime rt;
    static bool once = [] {
        RuntimeOptions options;
        options.device = "cpu";
        options.threads = 1; // the reference run was decoded with one thread
        const Status s = rt.load(testdata::modelDir(), options);
        if (!s.ok())
            std::cout << "cannot load the package " << testdata::modelDir() << ": " << s.message()
                      << std::endl;
        return s.ok();
    }();
    (void)once;
    return rt;
}

struct Loaded
{
    testdata::Image image;
    InferenceRequest request;
};

Loaded sample(const std::string &stem, const std::string &question)
{
    Loaded l;
    l.image = testdata::readPpm(testdata::dataPath(stem + ".ppm"));
    l.request.image = { l.image.rgb.data(), l.image.width, l.image.height, 0 };
    l.request.question = question;
    return l;
}

std::vector<std::int64_t> ids(const InferenceResult &r)
{
    std::vector<std::int64_t> out;
    for (const auto &t : r.tokens)
        out.push_back(t.id);
    return out;
}

const std::string kQuestion = "segment the largest shape.";

// Fails the test (loudly, once per test) when the package could not be loaded.
bool loaded()
{
    CHECK(runtime().isLoaded());
    return runtime().isLoaded();
}

} // namespace

TEST_CASE(packageLoads)
{
    CHECK(runtime().isLoaded());
    CHECK_EQ(runtime().device(), std::string("cpu"));
}

TEST_CASE(greedyReproducesReferenceRun)
{
    if (!loaded())
        return;
    const auto samples = referenceRun();
    CHECK_EQ(samples.size(), std::size_t(4));
    for (const ReferenceSample &ref : samples) {
        Loaded in = sample(ref.stem, ref.question);
        CHECK_EQ(in.image.width, 128);
        in.request.box = ref.box;
        InferenceResult r;
        const Status s = runtime().run(in.request, GenerationOptions(), r);
        CHECK(s.ok());
        if (!s.ok())
            std::cout << ref.stem << ": " << s.message() << std::endl;
        CHECK(r.promptIds == ref.promptIds);
        CHECK(ids(r) == ref.generatedIds);
        CHECK_EQ(r.targets.size(), ref.maskPixels.size());
        CHECK_EQ(r.noTarget, ref.maskPixels.empty());
        for (std::size_t k = 0; k < std::min(r.targets.size(), ref.maskPixels.size()); ++k) {
            const auto &t = r.targets[k];
            CHECK_EQ(t.pixelCount, ref.maskPixels[k]);
            CHECK_EQ(t.mask.size(), std::size_t(in.image.width * in.image.height));
            CHECK(t.hasBox);
            CHECK(k < ref.boxes.size() && k < ref.scores.size());
            if (k >= ref.boxes.size() || k >= ref.scores.size())
                continue;
            for (int i = 0; i < 4; ++i)
                CHECK_NEAR(t.box[std::size_t(i)], ref.boxes[k][std::size_t(i)], 0.011);
            CHECK_NEAR(t.score, ref.scores[k], 1.1e-4);
            CHECK(!t.label.empty());
        }
        if (ids(r) != ref.generatedIds)
            std::cout << ref.stem << " generated: " << r.text << std::endl;
    }
}

TEST_CASE(greedyIsDeterministic)
{
    if (!loaded())
        return;
    Loaded in = sample("shapes_0001", kQuestion);
    InferenceResult a, b;
    CHECK(runtime().run(in.request, GenerationOptions(), a).ok());
    runtime().clearFeatureCache();
    CHECK(runtime().run(in.request, GenerationOptions(), b).ok());
    CHECK(!b.timings.featureCacheHit);
    CHECK(ids(a) == ids(b));
    CHECK_EQ(a.text, b.text);
    CHECK_EQ(a.targets.size(), b.targets.size());
    for (std::size_t k = 0; k < std::min(a.targets.size(), b.targets.size()); ++k)
        CHECK(a.targets[k].mask == b.targets[k].mask);
    for (std::size_t i = 0; i < std::min(a.tokens.size(), b.tokens.size()); ++i)
        CHECK_EQ(a.tokens[i].logProb, b.tokens[i].logProb);
}

TEST_CASE(tokenStatisticsAndStreaming)
{
    if (!loaded())
        return;
    Loaded in = sample("shapes_0002", "segment the shapes that are not red.");
    std::vector<GeneratedToken> streamed;
    std::vector<std::size_t> indices;
    GenerationOptions options;
    options.onToken = [&](const GeneratedToken &t, std::size_t index) {
        streamed.push_back(t);
        indices.push_back(index);
    };
    InferenceResult r;
    CHECK(runtime().run(in.request, options, r).ok());
    CHECK(!r.tokens.empty());
    if (r.tokens.empty())
        return;
    CHECK_EQ(streamed.size(), r.tokens.size());
    const auto &vocabulary = runtime().package().tokenizer();
    const double maxEntropy = std::log(double(vocabulary.size()));
    for (std::size_t i = 0; i < std::min(streamed.size(), r.tokens.size()); ++i) {
        const GeneratedToken &t = r.tokens[i];
        CHECK_EQ(indices[i], i);
        CHECK_EQ(streamed[i].id, t.id);
        CHECK_EQ(t.text, vocabulary.token(t.id));
        CHECK(t.logProb <= 0.0f);
        CHECK(t.entropy >= -1e-6f && t.entropy <= maxEntropy + 1e-4);
        CHECK(t.margin >= 0.0f && t.margin <= 1.0f);
        CHECK_EQ(t.alternatives.size(), std::size_t(5));
        if (t.alternatives.size() < 2)
            continue;
        CHECK_EQ(t.alternatives.front().id, t.id); // greedy: the chosen token is the most probable
        CHECK_NEAR(std::exp(t.logProb), t.alternatives.front().probability, 1e-5);
        CHECK_NEAR(t.margin, t.alternatives[0].probability - t.alternatives[1].probability, 1e-5);
        for (std::size_t k = 1; k < t.alternatives.size(); ++k)
            CHECK(t.alternatives[k - 1].probability >= t.alternatives[k].probability);
    }
    CHECK_EQ(r.tokens.front().text, std::string("<think>"));
    CHECK(r.stopReason == InferenceResult::StopReason::EndToken);
    CHECK_EQ(r.tokens.back().id, runtime().package().specialTokens().eos);
    CHECK_EQ(r.text.rfind("<think>", 0), std::size_t(0));
    CHECK(r.text.find("<eos>") == std::string::npos);
    CHECK(!r.reasoning.empty());
    CHECK(!r.answer.empty());
    CHECK(r.uncertainty >= 0.0f && r.uncertainty <= 1.0f);
    CHECK(r.timings.timeToFirstTokenMs > 0.0);
    CHECK(r.timings.tokensPerSecond > 0.0);
    CHECK(r.timings.totalMs >= r.timings.timeToFirstTokenMs);
}

TEST_CASE(budgetIsRespected)
{
    if (!loaded())
        return;
    Loaded in = sample("shapes_0000",
                       "if there are more than two orange shapes, segment the shapes that are not "
                       "rings, otherwise the small yellow rings.");
    InferenceResult full;
    CHECK(runtime().run(in.request, GenerationOptions(), full).ok());
    CHECK(full.tokens.size() > 8);
    if (full.tokens.size() <= 8)
        return;
    for (int budget : { 1, 5, 8 }) {
        GenerationOptions options;
        options.maxNewTokens = budget;
        InferenceResult r;
        CHECK(runtime().run(in.request, options, r).ok());
        CHECK_EQ(r.tokens.size(), std::size_t(budget));
        CHECK(r.stopReason == InferenceResult::StopReason::Budget);
        CHECK(std::equal(r.tokens.begin(), r.tokens.end(), full.tokens.begin(),
                         [](const auto &a, const auto &b) { return a.id == b.id; }));
        CHECK(r.noTarget == r.targets.empty());
    }
    // A budget above the package limit is capped by it.
    GenerationOptions huge;
    huge.maxNewTokens = 100000;
    huge.temperature = 5.0f; // near-uniform sampling rarely stops early
    huge.seed = 3;
    InferenceResult r;
    CHECK(runtime().run(in.request, huge, r).ok());
    CHECK(r.tokens.size() <= std::size_t(runtime().package().limits().maxNewTokens));
    CHECK(r.promptIds.size() + r.tokens.size() <= std::size_t(runtime().package().limits().maxTextPositions));
}

TEST_CASE(cancellationStopsWithinOneToken)
{
    if (!loaded())
        return;
    Loaded in = sample("shapes_0000", kQuestion);
    std::atomic<bool> cancel { false };
    GenerationOptions options;
    options.cancel = &cancel;
    options.onToken = [&](const GeneratedToken &, std::size_t index) {
        if (index == 2)
            cancel = true;
    };
    InferenceResult r;
    CHECK(runtime().run(in.request, options, r).ok());
    CHECK_EQ(r.tokens.size(), std::size_t(3));
    CHECK(r.stopReason == InferenceResult::StopReason::Cancelled);
    CHECK(r.targets.empty());
    CHECK(!r.noTarget);

    // Already cancelled: nothing is generated.
    InferenceResult none;
    CHECK(runtime().run(in.request, options, none).ok());
    CHECK(none.tokens.empty());
    CHECK(none.stopReason == InferenceResult::StopReason::Cancelled);

    // The callback form.
    int calls = 0;
    GenerationOptions byCallback;
    byCallback.isCancelled = [&] { return calls >= 4; };
    byCallback.onToken = [&](const GeneratedToken &, std::size_t) { ++calls; };
    InferenceResult c;
    CHECK(runtime().run(in.request, byCallback, c).ok());
    CHECK_EQ(c.tokens.size(), std::size_t(4));
    CHECK(c.stopReason == InferenceResult::StopReason::Cancelled);
}

TEST_CASE(callbackExceptionIsAnError)
{
    if (!loaded())
        return;
    Loaded in = sample("shapes_0000", kQuestion);
    GenerationOptions options;
    options.onToken = [](const GeneratedToken &, std::size_t) { throw std::runtime_error("boom"); };
    InferenceResult r;
    const Status s = runtime().run(in.request, options, r);
    CHECK(!s.ok());
    CHECK_CONTAINS(s.message(), "token callback threw: boom");
}

TEST_CASE(seededSamplingIsReproducible)
{
    if (!loaded())
        return;
    Loaded in = sample("shapes_0003", "segment the shapes left of the blue square.");
    auto sampled = [&](std::uint64_t seed) {
        GenerationOptions options;
        options.temperature = 1.5f;
        options.topP = 0.95f;
        options.seed = seed;
        InferenceResult r;
        CHECK(runtime().run(in.request, options, r).ok());
        return ids(r);
    };
    const auto first = sampled(11);
    CHECK(!first.empty());
    CHECK(sampled(11) == first);
    std::set<std::vector<std::int64_t>> distinct;
    for (std::uint64_t seed = 1; seed <= 6; ++seed)
        distinct.insert(sampled(seed));
    CHECK(distinct.size() >= 2);
}

TEST_CASE(featureCacheSkipsTheVisionEncoder)
{
    if (!loaded())
        return;
    runtime().clearFeatureCache();
    Loaded in = sample("shapes_0001", kQuestion);
    const auto before = runtime().counters();
    InferenceResult first, second;
    CHECK(runtime().run(in.request, GenerationOptions(), first).ok());
    CHECK(!first.timings.featureCacheHit);
    CHECK(first.timings.visionMs > 0.0);
    in.request.question = "segment the smallest shape.";
    CHECK(runtime().run(in.request, GenerationOptions(), second).ok());
    CHECK(second.timings.featureCacheHit);
    CHECK_EQ(second.timings.visionMs, 0.0);
    const auto after = runtime().counters();
    CHECK_EQ(after.visionRuns, before.visionRuns + 1);
    CHECK_EQ(after.cacheHits, before.cacheHits + 1);
    CHECK_EQ(after.cacheMisses, before.cacheMisses + 1);
    // Same question again: the cached features give the same answer as the fresh ones.
    in.request.question = kQuestion;
    InferenceResult third;
    CHECK(runtime().run(in.request, GenerationOptions(), third).ok());
    CHECK(third.timings.featureCacheHit);
    CHECK(ids(third) == ids(first));
    // A caller-supplied key is used as given; another image misses.
    Loaded other = sample("shapes_0002", kQuestion);
    other.request.imageKey = "sha256:other";
    InferenceResult fourth;
    CHECK(runtime().run(other.request, GenerationOptions(), fourth).ok());
    CHECK(!fourth.timings.featureCacheHit);
    CHECK(runtime().run(other.request, GenerationOptions(), fourth).ok());
    CHECK(fourth.timings.featureCacheHit);
}

TEST_CASE(masksComeAtTheImageSize)
{
    if (!loaded())
        return;
    // 128x128 image padded into a 200x100 canvas of grey, then given as a non-square image.
    const auto src = testdata::readPpm(testdata::dataPath("shapes_0001.ppm"));
    const int w = 200, h = 100;
    std::vector<std::uint8_t> rgb(std::size_t(w) * h * 3, 128);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < 128; ++x)
            for (int c = 0; c < 3; ++c)
                rgb[(std::size_t(y) * w + x) * 3 + c] = src.rgb[(std::size_t(y) * 128 + x) * 3 + c];
    InferenceRequest request;
    request.image = { rgb.data(), w, h, 0 };
    request.question = kQuestion;
    InferenceResult r;
    CHECK(runtime().run(request, GenerationOptions(), r).ok());
    for (const auto &t : r.targets) {
        CHECK_EQ(t.width, w);
        CHECK_EQ(t.height, h);
        CHECK_EQ(t.mask.size(), std::size_t(w * h));
        std::int64_t ones = 0;
        bool binary = true;
        for (std::uint8_t v : t.mask) {
            ones += v;
            binary = binary && v <= 1;
        }
        CHECK(binary);
        CHECK_EQ(ones, t.pixelCount);
        CHECK(t.box[0] <= t.box[2] && t.box[1] <= t.box[3]);
        CHECK(t.score >= 0.0f && t.score <= 1.0f);
    }
    CHECK(r.noTarget == r.targets.empty());
}

TEST_CASE(requestErrorsAreValues)
{
    if (!loaded())
        return;
    InferenceRuntime unloaded;
    InferenceResult r;
    CHECK_CONTAINS(unloaded.run(InferenceRequest(), GenerationOptions(), r).message(),
                   "no model package loaded");
    InferenceRequest empty;
    empty.question = kQuestion;
    CHECK_CONTAINS(runtime().run(empty, GenerationOptions(), r).message(), "image: no pixel data");
    Loaded in = sample("shapes_0000", kQuestion);
    in.request.box = std::array<float, 4> { 0.f, 0.f, NAN, 4.f };
    CHECK_CONTAINS(runtime().run(in.request, GenerationOptions(), r).message(), "box");
    InferenceRuntime moved;
    InferenceRuntime target(std::move(moved));
    CHECK(!moved.isLoaded()); // NOLINT(bugprone-use-after-move): a moved-from runtime stays usable
    CHECK_CONTAINS(moved.run(InferenceRequest(), GenerationOptions(), r).message(),
                   "no model package loaded");
    InferenceRuntime bad;
    RuntimeOptions options;
    options.device = "tpu";
    CHECK_CONTAINS(bad.load(testdata::modelDir(), options).message(), "expected auto, cpu, cuda or cuda:N");
    options.device = "cuda:7";
    CHECK(!bad.load(testdata::modelDir(), options).ok());
    CHECK(!bad.isLoaded());
}

// On a machine with CUDA: the same package on the GPU gives the same greedy tokens and (almost) the same
// masks as on the CPU. Without CUDA this only checks that asking for it is a clear error.
TEST_CASE(cudaAgreesWithCpu)
{
    if (!loaded())
        return;
    InferenceRuntime gpu;
    RuntimeOptions options;
    options.device = "cuda";
    const Status s = gpu.load(testdata::modelDir(), options);
    if (!s.ok()) {
        CHECK_CONTAINS(s.message(), "CUDA is not available");
        std::cout << "   CUDA not available here: GPU comparison not run" << std::endl;
        return;
    }
    CHECK_EQ(gpu.device(), std::string("cuda:0"));
    for (const ReferenceSample &ref : referenceRun()) {
        Loaded in = sample(ref.stem, ref.question);
        in.request.box = ref.box;
        InferenceResult onCpu, onGpu;
        CHECK(runtime().run(in.request, GenerationOptions(), onCpu).ok());
        const Status run = gpu.run(in.request, GenerationOptions(), onGpu);
        CHECK(run.ok());
        if (!run.ok())
            std::cout << run.message() << std::endl;
        CHECK_EQ(onGpu.device, std::string("cuda:0"));
        CHECK(ids(onGpu) == ids(onCpu));
        CHECK_EQ(onGpu.targets.size(), onCpu.targets.size());
        for (std::size_t k = 0; k < std::min(onGpu.targets.size(), onCpu.targets.size()); ++k) {
            std::int64_t inter = 0, uni = 0;
            for (std::size_t i = 0; i < onCpu.targets[k].mask.size(); ++i) {
                inter += onCpu.targets[k].mask[i] & onGpu.targets[k].mask[i];
                uni += onCpu.targets[k].mask[i] | onGpu.targets[k].mask[i];
            }
            CHECK(uni == 0 || double(inter) / double(uni) >= 0.98);
        }
    }
}

RS_TEST_MAIN()
