#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace rs {

// Cohen's κ for two raters who put the same items into nominal categories (Cohen 1960):
// κ = (p_o − p_e) / (1 − p_e), p_o the observed share of agreement, p_e the agreement expected from
// each rater's own category shares. Items one of the raters left out are not passed in.
class CohenKappa
{
public:
    struct Result
    {
        double kappa = 0.0;      // NaN when p_e == 1 (both raters used one and the same category)
        double observed = 0.0;   // p_o
        double expected = 0.0;   // p_e
        qint64 items = 0;
    };

    // first[i] and second[i] are the two raters' categories of item i (any integers).
    static std::optional<Result> compute(const std::vector<int> &first, const std::vector<int> &second);
};

} // namespace rs
