#pragma once

#include <optional>
#include <vector>

namespace rs {

// The model's own difficulty estimate (1–10) from its chain: d = a + b·tokens + c·U, clamped to 1–10,
// U being PixelThink's sequence uncertainty. The default coefficients were fitted by least squares on
// the bundled model's 240 held-out samples against their ReasonSeg-Diff-style difficulty (r = 0.83,
// RMSE 0.72): a = 1.2248, b = 0.07026, c = −2.8908. A project with enough human ratings fits its own.
class DifficultyEstimate
{
public:
    struct Observation
    {
        int tokens = 0;
        double uncertainty = 0.0;
        double difficulty = 0.0;  // the human rating
    };

    static constexpr int kMinimumObservations = 20;

    static DifficultyEstimate defaultMapping() { return DifficultyEstimate(1.2248, 0.07026, -2.8908, 0); }
    // Least squares over the observations; nullopt below kMinimumObservations or when the
    // observations cannot determine the three coefficients (e.g. every chain the same length).
    static std::optional<DifficultyEstimate> fit(const std::vector<Observation> &observations);
    // The project's own fit when it has enough ratings, else the default mapping.
    static DifficultyEstimate forProject(const std::vector<Observation> &observations);

    double estimate(int tokens, double uncertainty) const;
    double intercept() const { return m_intercept; }
    double perToken() const { return m_perToken; }
    double perUncertainty() const { return m_perUncertainty; }
    int fittedOn() const { return m_fittedOn; }  // 0: the default mapping

private:
    DifficultyEstimate(double intercept, double perToken, double perUncertainty, int fittedOn)
        : m_intercept(intercept), m_perToken(perToken), m_perUncertainty(perUncertainty), m_fittedOn(fittedOn)
    {
    }

    double m_intercept;
    double m_perToken;
    double m_perUncertainty;
    int m_fittedOn;
};

} // namespace rs
