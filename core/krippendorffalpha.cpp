#include "core/krippendorffalpha.h"

#include <algorithm>
#include <cmath>

namespace rs {

std::optional<KrippendorffAlpha::Result> KrippendorffAlpha::compute(
    const std::vector<std::vector<std::optional<double>>> &units, Level level)
{
    // The distinct values, in order: the categories of the coincidence matrix.
    std::vector<double> values;
    for (const auto &unit : units) {
        for (const std::optional<double> &value : unit) {
            if (value)
                values.push_back(*value);
        }
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    const std::size_t k = values.size();
    auto indexOf = [&](double value) {
        return std::size_t(std::lower_bound(values.begin(), values.end(), value) - values.begin());
    };

    std::vector<double> coincidences(k * k, 0.0);
    Result result;
    for (const auto &unit : units) {
        std::vector<std::size_t> present;
        for (const std::optional<double> &value : unit) {
            if (value)
                present.push_back(indexOf(*value));
        }
        if (present.size() < 2)
            continue;
        ++result.pairableUnits;
        const double weight = 1.0 / double(present.size() - 1);
        for (std::size_t a = 0; a < present.size(); ++a) {
            for (std::size_t b = 0; b < present.size(); ++b) {
                if (a != b)
                    coincidences[present[a] * k + present[b]] += weight;
            }
        }
    }
    if (result.pairableUnits == 0)
        return std::nullopt;

    std::vector<double> marginals(k, 0.0);
    for (std::size_t c = 0; c < k; ++c) {
        for (std::size_t d = 0; d < k; ++d)
            marginals[c] += coincidences[c * k + d];
    }
    double n = 0.0;
    for (double marginal : marginals)
        n += marginal;
    result.pairableValues = n;

    auto delta2 = [&](std::size_t c, std::size_t d) {
        if (c == d)
            return 0.0;
        switch (level) {
        case Level::Nominal: return 1.0;
        case Level::Interval: return (values[c] - values[d]) * (values[c] - values[d]);
        case Level::Ordinal: {
            const std::size_t lo = std::min(c, d), hi = std::max(c, d);
            double sum = 0.0;
            for (std::size_t g = lo; g <= hi; ++g)
                sum += marginals[g];
            const double distance = sum - (marginals[c] + marginals[d]) / 2.0;
            return distance * distance;
        }
        }
        return 0.0;
    };
    double observed = 0.0, expected = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
        for (std::size_t d = 0; d < k; ++d) {
            const double weight = delta2(c, d);
            observed += coincidences[c * k + d] * weight;
            expected += marginals[c] * marginals[d] * weight;
        }
    }
    result.observed = observed / n;
    result.expected = n > 1.0 ? expected / (n * (n - 1.0)) : 0.0;
    result.alpha = result.expected > 0.0 ? 1.0 - result.observed / result.expected : std::nan("");
    return result;
}

} // namespace rs
