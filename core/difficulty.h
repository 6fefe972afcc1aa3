#pragma once

#include <QString>

#include <optional>

namespace rs {

enum class DifficultySource { Human, Model };
enum class DifficultyBucket { Easy, Medium, Hard };

QString difficultyBucketName(DifficultyBucket bucket);

// How hard a sample is on PixelThink's 1–10 scale (formats.md §2.3), and who said so.
struct Difficulty
{
    // PixelThink's thresholds: easy < 3.5 <= medium < 5.0 <= hard.
    static constexpr double kMediumFrom = 3.5;
    static constexpr double kHardFrom = 5.0;
    // The value PixelThink's scripts use when a sample has no score.
    static constexpr double kDefaultScore = 3.0;

    double score = kDefaultScore;
    DifficultySource source = DifficultySource::Model;
    QString estimator;  // annotator name, or the model that estimated it ("Qwen2.5-VL-72B", ...)

    // Scores outside [1, 10] (or NaN) are rejected, as PixelThink's loader does.
    static bool isValidScore(double score) { return score >= 1.0 && score <= 10.0; }
    bool isValid() const { return isValidScore(score); }

    static DifficultyBucket bucketOf(double score);
    DifficultyBucket bucket() const { return bucketOf(score); }

    // PixelThink's reasoning-length budget in words: hard 256 + 25·U, easy 96, medium none
    // (formats.md §2.4). U is the sequence uncertainty in [0, 1].
    static std::optional<double> lengthBudget(double score, double uncertainty);
    // PixelThink's length score: 1 within budget, else clip(1 − (used − budget)/500, 0, 1).
    static double lengthScore(double usedWords, std::optional<double> budget);

    bool operator==(const Difficulty &) const = default;
};

} // namespace rs
