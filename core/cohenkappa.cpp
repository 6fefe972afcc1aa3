#include "core/cohenkappa.h"

#include <cmath>
#include <map>

namespace rs {

std::optional<CohenKappa::Result> CohenKappa::compute(const std::vector<int> &first, const std::vector<int> &second)
{
    if (first.size() != second.size() || first.empty())
        return std::nullopt;
    std::map<int, qint64> firstCounts, secondCounts;
    qint64 agreements = 0;
    for (std::size_t i = 0; i < first.size(); ++i) {
        ++firstCounts[first[i]];
        ++secondCounts[second[i]];
        agreements += first[i] == second[i] ? 1 : 0;
    }
    const double n = double(first.size());
    Result result;
    result.items = qint64(first.size());
    result.observed = double(agreements) / n;
    for (const auto &[category, count] : firstCounts) {
        const auto other = secondCounts.find(category);
        if (other != secondCounts.end())
            result.expected += (double(count) / n) * (double(other->second) / n);
    }
    result.kappa = result.expected < 1.0 ? (result.observed - result.expected) / (1.0 - result.expected)
                                         : std::nan("");
    return result;
}

} // namespace rs
