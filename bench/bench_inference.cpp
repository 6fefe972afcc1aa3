// bench_inference: per-sample latency split of rs::InferenceRuntime (LibTorch only, no Qt / OpenCV).
//
//   bench_inference [--model DIR] [--images DIR] [--device auto|cpu|cuda] [--threads N] [--repeats N]
//
// Samples: the questions of DIR/reference_run.json on the images tests/data/runtime/<stem>.ppm.
// Each sample runs `repeats` times with an empty feature cache (vision measured) and once more with a
// second question on the cached features. Prints medians in ms; see docs/performance.md.

#include "inference/runtime/inferenceruntime.h"
#include "inference/runtime/json.h"
#include "tests/runtime/ppm.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using rs::ppm::Image;
using rs::ppm::readPpm;

double median(std::vector<double> v)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

struct Row
{
    std::vector<double> preprocess, vision, prefill, ttft, tokensPerSecond, decode, mask, total;
    std::vector<double> tokens, prompt, targets;
    void add(const rs::InferenceResult &r)
    {
        const auto &t = r.timings;
        preprocess.push_back(t.preprocessMs);
        vision.push_back(t.visionMs);
        prefill.push_back(t.prefillMs);
        ttft.push_back(t.timeToFirstTokenMs);
        tokensPerSecond.push_back(t.tokensPerSecond);
        decode.push_back(t.decodeMs);
        mask.push_back(t.maskDecodeMs);
        total.push_back(t.totalMs);
        tokens.push_back(double(r.tokens.size()));
        prompt.push_back(double(r.promptIds.size()));
        targets.push_back(double(r.targets.size()));
    }
};

void printRow(const std::string &name, const Row &row)
{
    std::printf("%-14s %6.0f %6.0f %7.0f %10.3f %8.2f %8.2f %8.2f %8.1f %9.1f %8.2f %8.1f\n", name.c_str(),
                median(row.prompt), median(row.tokens), median(row.targets), median(row.preprocess),
                median(row.vision), median(row.prefill), median(row.ttft), median(row.tokensPerSecond),
                median(row.decode), median(row.mask), median(row.total));
}

} // namespace

int main(int argc, char **argv)
{
    std::string model
        = std::getenv("RS_MODEL_DIR") ? std::getenv("RS_MODEL_DIR") : RS_SOURCE_DIR "/models/shapes";
    std::string images = RS_SOURCE_DIR "/tests/data/runtime";
    rs::RuntimeOptions options;
    int repeats = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--model")
            model = value;
        else if (key == "--images")
            images = value;
        else if (key == "--device")
            options.device = value;
        else if (key == "--threads")
            options.threads = std::atoi(value.c_str());
        else if (key == "--repeats")
            repeats = std::max(1, std::atoi(value.c_str()));
        else {
            std::cerr << "bench_inference: unknown option " << key << "\n";
            return 2;
        }
    }
    rs::InferenceRuntime runtime;
    if (rs::Status s = runtime.load(model, options); !s) {
        std::cerr << "bench_inference: " << s.message() << "\n";
        return 1;
    }
    std::ifstream in(model + "/reference_run.json");
    std::stringstream text;
    text << in.rdbuf();
    rs::JsonValue samples;
    if (rs::Status s = rs::JsonValue::parse(text.str(), samples); !s || !samples.isArray()) {
        std::cerr << "bench_inference: " << model << "/reference_run.json: " << s.message() << "\n";
        return 1;
    }
    std::printf("bench_inference: package %s, device %s, threads %d, %d repeats per sample (medians, ms)\n",
                model.c_str(), runtime.device().c_str(), options.threads, repeats);
    std::printf("%-14s %6s %6s %7s %10s %8s %8s %8s %8s %9s %8s %8s\n", "sample", "prompt", "tokens",
                "targets", "preprocess", "vision", "prefill", "ttft", "tok/s", "decode", "mask", "total");
    Row all, cached;
    for (const rs::JsonValue &sample : samples.items()) {
        const rs::JsonValue *stem = sample.find("stem");
        const rs::JsonValue *question = sample.find("question");
        if (!stem || !question)
            continue;
        const Image image = readPpm(images + "/" + stem->asString() + ".ppm");
        if (image.rgb.empty()) {
            std::cerr << "bench_inference: cannot read " << images << "/" << stem->asString() << ".ppm\n";
            return 1;
        }
        rs::InferenceRequest request;
        request.image = { image.rgb.data(), image.width, image.height, 0 };
        request.question = question->asString();
        if (const rs::JsonValue *box = sample.find("box_input");
            box && box->isArray() && box->items().size() == 4)
            request.box
                = std::array<float, 4> { float(box->items()[0].asNumber()), float(box->items()[1].asNumber()),
                                         float(box->items()[2].asNumber()),
                                         float(box->items()[3].asNumber()) };
        Row row;
        rs::InferenceResult result;
        runtime.clearFeatureCache();
        if (rs::Status s = runtime.run(request, rs::GenerationOptions(), result); !s) { // warm-up
            std::cerr << "bench_inference: " << s.message() << "\n";
            return 1;
        }
        for (int r = 0; r < repeats; ++r) {
            runtime.clearFeatureCache();
            runtime.run(request, rs::GenerationOptions(), result);
            row.add(result);
            all.add(result);
        }
        printRow(stem->asString(), row);
        request.question = "segment the largest shape.";
        Row second;
        for (int r = 0; r < repeats; ++r) {
            runtime.run(request, rs::GenerationOptions(), result);
            second.add(result);
            cached.add(result);
        }
    }
    printRow("all (median)", all);
    printRow("cache hit", cached);
    const auto counters = runtime.counters();
    std::printf("counters: runs %llu, vision runs %llu, cache hits %llu, misses %llu\n",
                static_cast<unsigned long long>(counters.runs),
                static_cast<unsigned long long>(counters.visionRuns),
                static_cast<unsigned long long>(counters.cacheHits),
                static_cast<unsigned long long>(counters.cacheMisses));
    return 0;
}
