#include "inference/runtime/tokensampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace rs {

TokenSampler::TokenSampler(const Options &options)
    : m_options(options)
    , m_rng(options.seed)
{
}

double TokenSampler::uniform()
{
    return double(m_rng() >> 11) * 0x1.0p-53;
}

Status TokenSampler::next(const float *logits, std::size_t count, GeneratedToken &token)
{
    if (count == 0)
        return Status::failure("empty logits");
    std::size_t best = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (!std::isfinite(logits[i]))
            return Status::failure("logit " + std::to_string(i) + " is "
                                   + (std::isnan(logits[i]) ? "NaN" : "Inf"));
        if (logits[i] > logits[best])
            best = i;
    }
    const double max = logits[best];
    double sum = 0.0;
    for (std::size_t i = 0; i < count; ++i)
        sum += std::exp(double(logits[i]) - max);
    const double logSum = max + std::log(sum);
    std::vector<double> prob(count);
    double entropy = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const double lp = double(logits[i]) - logSum;
        prob[i] = std::exp(lp);
        entropy -= prob[i] * lp;
    }
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t(0));
    const std::size_t keep = std::min<std::size_t>(count, std::size_t(std::max(m_options.alternatives, 2)));
    std::partial_sort(
        order.begin(), order.begin() + std::ptrdiff_t(keep), order.end(),
        [&](std::size_t a, std::size_t b) { return prob[a] > prob[b] || (prob[a] == prob[b] && a < b); });

    std::size_t chosen = best;
    if (m_options.temperature > 0.0f) {
        const double t = m_options.temperature;
        std::vector<double> q(count);
        for (std::size_t i = 0; i < count; ++i)
            q[i] = std::exp((double(logits[i]) - max) / t);
        std::vector<std::size_t> ranked(count);
        std::iota(ranked.begin(), ranked.end(), std::size_t(0));
        std::stable_sort(ranked.begin(), ranked.end(),
                         [&](std::size_t a, std::size_t b) { return q[a] > q[b]; });
        const double total = std::accumulate(q.begin(), q.end(), 0.0);
        const double topP = std::clamp(double(m_options.topP), 0.0, 1.0);
        double kept = 0.0;
        std::size_t n = 0;
        while (n < count && (n == 0 || kept < topP * total)) {
            kept += q[ranked[n]];
            ++n;
        }
        double u = uniform() * kept;
        chosen = ranked[n - 1];
        for (std::size_t i = 0; i < n; ++i) {
            u -= q[ranked[i]];
            if (u < 0.0) {
                chosen = ranked[i];
                break;
            }
        }
    }

    token.id = std::int64_t(chosen);
    token.logProb = float(double(logits[chosen]) - logSum);
    token.entropy = float(entropy);
    token.margin = count > 1 ? float(prob[order[0]] - prob[order[1]]) : 1.0f;
    token.alternatives.clear();
    for (std::size_t i = 0;
         i < std::min<std::size_t>(count, std::size_t(std::max(m_options.alternatives, 0))); ++i)
        token.alternatives.push_back({ std::int64_t(order[i]), std::string(), float(prob[order[i]]) });
    return Status::success();
}

} // namespace rs
