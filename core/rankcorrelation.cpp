#include "core/rankcorrelation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rs {

std::vector<double> RankCorrelation::ranks(const std::vector<double> &values)
{
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> result(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
            ++j;
        const double rank = (double(i) + double(j)) / 2.0 + 1.0;
        for (std::size_t t = i; t <= j; ++t)
            result[order[t]] = rank;
        i = j + 1;
    }
    return result;
}

std::optional<double> RankCorrelation::spearman(const std::vector<double> &x, const std::vector<double> &y)
{
    if (x.size() != y.size() || x.size() < 2)
        return std::nullopt;
    const std::vector<double> rx = ranks(x), ry = ranks(y);
    const double n = double(x.size());
    const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n;
    const double my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t i = 0; i < rx.size(); ++i) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    if (sxx == 0.0 || syy == 0.0)
        return std::nullopt;
    return sxy / std::sqrt(sxx * syy);
}

} // namespace rs
