#pragma once

#include <optional>
#include <vector>

namespace rs {

// Krippendorff's α for any number of raters with missing values (Krippendorff, "Computing
// Krippendorff's Alpha-Reliability", 2011), through the coincidence matrix:
//   o_ck = Σ_units (ordered pairs of values c, k from different raters in the unit) / (m_u − 1),
//   n_c = Σ_k o_ck, n = Σ_c n_c,  α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
// Units with fewer than two values are not pairable and are left out. δ²: nominal 0/1; ordinal
// (Σ_{g=c..k} n_g − (n_c + n_k)/2)² over the distinct values in order; interval (c − k)².
// Difficulty ratings (1–10, possibly fractional) are ordinal over their distinct values; step grades
// (−1/0/+1) nominal.
class KrippendorffAlpha
{
public:
    enum class Level { Nominal, Ordinal, Interval };

    struct Result
    {
        double alpha = 0.0;          // NaN when the expected disagreement is 0 (one value only)
        double observed = 0.0;       // D_o
        double expected = 0.0;       // D_e
        int pairableUnits = 0;
        double pairableValues = 0.0; // n
    };

    // units[u][r]: rater r's value for unit u, nullopt when missing. nullopt when nothing is pairable.
    static std::optional<Result> compute(const std::vector<std::vector<std::optional<double>>> &units, Level level);
};

} // namespace rs
