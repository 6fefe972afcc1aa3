#include "core/difficultyestimate.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace rs {

std::optional<DifficultyEstimate> DifficultyEstimate::fit(const std::vector<Observation> &observations)
{
    if (int(observations.size()) < kMinimumObservations)
        return std::nullopt;
    // Normal equations (XᵀX) β = Xᵀy for the rows [1, tokens, U], solved by Gaussian elimination
    // with partial pivoting.
    std::array<std::array<double, 4>, 3> m {};
    for (const Observation &o : observations) {
        const std::array<double, 3> x { 1.0, double(o.tokens), o.uncertainty };
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c)
                m[r][c] += x[r] * x[c];
            m[r][3] += x[r] * o.difficulty;
        }
    }
    for (int col = 0; col < 3; ++col) {
        int pivot = col;
        for (int r = col + 1; r < 3; ++r) {
            if (std::abs(m[r][col]) > std::abs(m[pivot][col]))
                pivot = r;
        }
        if (std::abs(m[pivot][col]) < 1e-9 * (1.0 + std::abs(m[0][0])))
            return std::nullopt;
        std::swap(m[col], m[pivot]);
        for (int r = 0; r < 3; ++r) {
            if (r == col)
                continue;
            const double factor = m[r][col] / m[col][col];
            for (int c = col; c < 4; ++c)
                m[r][c] -= factor * m[col][c];
        }
    }
    return DifficultyEstimate(m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2], int(observations.size()));
}

DifficultyEstimate DifficultyEstimate::forProject(const std::vector<Observation> &observations)
{
    return fit(observations).value_or(defaultMapping());
}

double DifficultyEstimate::estimate(int tokens, double uncertainty) const
{
    return std::clamp(m_intercept + m_perToken * tokens + m_perUncertainty * uncertainty, 1.0, 10.0);
}

} // namespace rs
