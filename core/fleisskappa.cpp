#include "core/fleisskappa.h"

#include <cmath>
#include <numeric>

namespace rs {

std::optional<FleissKappa::Result> FleissKappa::compute(const std::vector<std::vector<int>> &counts)
{
    if (counts.empty() || counts.front().empty())
        return std::nullopt;
    const std::size_t categories = counts.front().size();
    const int raters = std::accumulate(counts.front().begin(), counts.front().end(), 0);
    if (raters < 2)
        return std::nullopt;
    std::vector<double> categoryTotals(categories, 0.0);
    double sumAgreement = 0.0;
    for (const std::vector<int> &row : counts) {
        if (row.size() != categories || std::accumulate(row.begin(), row.end(), 0) != raters)
            return std::nullopt;
        double squares = 0.0;
        for (std::size_t j = 0; j < categories; ++j) {
            if (row[j] < 0)
                return std::nullopt;
            squares += double(row[j]) * row[j];
            categoryTotals[j] += row[j];
        }
        sumAgreement += (squares - raters) / (double(raters) * (raters - 1));
    }
    Result result;
    result.subjects = int(counts.size());
    result.raters = raters;
    result.observed = sumAgreement / double(counts.size());
    const double ratings = double(counts.size()) * raters;
    for (double total : categoryTotals)
        result.expected += (total / ratings) * (total / ratings);
    result.kappa = result.expected < 1.0 ? (result.observed - result.expected) / (1.0 - result.expected)
                                         : std::nan("");
    return result;
}

} // namespace rs
