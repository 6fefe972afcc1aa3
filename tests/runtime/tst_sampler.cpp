// TokenSampler (greedy, temperature + top-p with a seed, statistics) and LruCache.

#include "check.h"

#include "inference/runtime/lrucache.h"
#include "inference/runtime/tokensampler.h"

#include <cmath>
#include <limits>
#include <map>
#include <string>

using namespace rs;

TEST_CASE(greedyAndStatistics)
{
    TokenSampler sampler({});
    const float logits[] = { 1.0f, 3.0f, 2.0f, 3.0f };
    GeneratedToken t;
    CHECK(sampler.next(logits, 4, t).ok());
    CHECK_EQ(t.id, std::int64_t(1)); // lowest id on ties
    double sum = 0.0;
    for (float l : logits)
        sum += std::exp(double(l));
    const double p1 = std::exp(3.0) / sum, p2 = std::exp(2.0) / sum, p0 = std::exp(1.0) / sum;
    CHECK_NEAR(t.logProb, std::log(p1), 1e-6);
    CHECK_NEAR(t.entropy, -(2 * p1 * std::log(p1) + p2 * std::log(p2) + p0 * std::log(p0)), 1e-6);
    CHECK_NEAR(t.margin, 0.0, 1e-7); // two equal maxima
    CHECK_EQ(t.alternatives.size(), std::size_t(4));
    CHECK_EQ(t.alternatives[0].id, std::int64_t(1));
    CHECK_EQ(t.alternatives[1].id, std::int64_t(3));
    CHECK_EQ(t.alternatives[2].id, std::int64_t(2));
    const float peaked[] = { 0.0f, 20.0f, 0.0f };
    CHECK(sampler.next(peaked, 3, t).ok());
    CHECK_NEAR(t.margin, 1.0, 1e-6);
    CHECK_NEAR(t.entropy, 0.0, 1e-6);
}

TEST_CASE(rejectsNonFiniteLogits)
{
    TokenSampler sampler({});
    GeneratedToken t;
    const float withNan[] = { 0.0f, std::numeric_limits<float>::quiet_NaN() };
    const float withInf[] = { std::numeric_limits<float>::infinity(), 0.0f };
    CHECK_CONTAINS(sampler.next(withNan, 2, t).message(), "logit 1 is NaN");
    CHECK_CONTAINS(sampler.next(withInf, 2, t).message(), "logit 0 is Inf");
    CHECK(!sampler.next(withInf, 0, t).ok());
}

TEST_CASE(seededSampling)
{
    const float logits[] = { 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 0.0f };
    auto draw = [&](std::uint64_t seed, float topP) {
        TokenSampler sampler({ 1.0f, topP, seed, 5 });
        std::vector<std::int64_t> ids;
        GeneratedToken t;
        for (int i = 0; i < 200; ++i) {
            sampler.next(logits, 6, t);
            ids.push_back(t.id);
        }
        return ids;
    };
    CHECK(draw(7, 1.0f) == draw(7, 1.0f));
    CHECK(draw(7, 1.0f) != draw(8, 1.0f));
    // Every token appears with a flat distribution; top-p 0.3 keeps only the two most probable.
    std::map<std::int64_t, int> counts;
    for (std::int64_t id : draw(1, 1.0f))
        ++counts[id];
    CHECK_EQ(counts.size(), std::size_t(6));
    counts.clear();
    for (std::int64_t id : draw(1, 0.3f))
        ++counts[id];
    CHECK_EQ(counts.size(), std::size_t(2));
    CHECK(counts.count(0) && counts.count(1));
    // top-p 0: only the most probable token.
    counts.clear();
    for (std::int64_t id : draw(1, 0.0f))
        ++counts[id];
    CHECK_EQ(counts.size(), std::size_t(1));
    // Statistics describe the model's distribution, not the tempered one.
    TokenSampler hot({ 10.0f, 1.0f, 1, 2 });
    TokenSampler cold({});
    GeneratedToken a, b;
    hot.next(logits, 6, a);
    cold.next(logits, 6, b);
    CHECK_EQ(a.entropy, b.entropy);
    CHECK_EQ(a.alternatives.size(), std::size_t(2));
}

TEST_CASE(lruCache)
{
    LruCache<std::string, int> cache(2);
    cache.insert("a", 1);
    cache.insert("b", 2);
    CHECK(cache.find("a") && *cache.find("a") == 1); // a is now the most recent
    cache.insert("c", 3); // evicts b
    CHECK(cache.find("b") == nullptr);
    CHECK(cache.find("a") != nullptr);
    CHECK(cache.find("c") != nullptr);
    cache.insert("c", 30);
    CHECK_EQ(*cache.find("c"), 30);
    CHECK_EQ(cache.size(), std::size_t(2));
    cache.setCapacity(1);
    CHECK_EQ(cache.size(), std::size_t(1));
    CHECK(cache.find("c") != nullptr);
    cache.clear();
    CHECK_EQ(cache.size(), std::size_t(0));
    LruCache<std::string, int> off(0);
    off.insert("a", 1);
    CHECK(off.find("a") == nullptr);
}

RS_TEST_MAIN()
