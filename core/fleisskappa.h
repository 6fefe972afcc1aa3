#pragma once

#include <optional>
#include <vector>

namespace rs {

// Fleiss' κ (Fleiss 1971): N subjects, each rated by the same number n ≥ 2 of raters into k nominal
// categories. counts[i][j] = how many raters put subject i into category j.
//   P_i = (Σ_j n_ij² − n) / (n (n − 1)),  P̄ = mean P_i,  p_j = Σ_i n_ij / (N n),  P̄_e = Σ_j p_j²,
//   κ = (P̄ − P̄_e) / (1 − P̄_e).
class FleissKappa
{
public:
    struct Result
    {
        double kappa = 0.0;      // NaN when P̄_e == 1
        double observed = 0.0;   // P̄
        double expected = 0.0;   // P̄_e
        int subjects = 0;
        int raters = 0;
    };

    // nullopt when the rows are empty, have different lengths or rater counts, or fewer than 2 raters.
    static std::optional<Result> compute(const std::vector<std::vector<int>> &counts);
};

} // namespace rs
