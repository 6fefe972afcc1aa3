#pragma once

#include <optional>
#include <vector>

namespace rs {

// Spearman's ρ: Pearson's correlation of the ranks, ties given their average rank (as
// scipy.stats.spearmanr does). Used for calibration: model uncertainty against human difficulty.
class RankCorrelation
{
public:
    // nullopt when the lengths differ, there are fewer than 2 pairs, or one side is constant.
    static std::optional<double> spearman(const std::vector<double> &x, const std::vector<double> &y);
    // 1-based ranks, ties averaged.
    static std::vector<double> ranks(const std::vector<double> &values);
};

} // namespace rs
