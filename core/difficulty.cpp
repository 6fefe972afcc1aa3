#include "core/difficulty.h"

#include <algorithm>

namespace rs {

QString difficultyBucketName(DifficultyBucket bucket)
{
    switch (bucket) {
    case DifficultyBucket::Easy: return QStringLiteral("easy");
    case DifficultyBucket::Medium: return QStringLiteral("medium");
    case DifficultyBucket::Hard: return QStringLiteral("hard");
    }
    return QString();
}

DifficultyBucket Difficulty::bucketOf(double score)
{
    if (score >= kHardFrom)
        return DifficultyBucket::Hard;
    if (score >= kMediumFrom)
        return DifficultyBucket::Medium;
    return DifficultyBucket::Easy;
}

std::optional<double> Difficulty::lengthBudget(double score, double uncertainty)
{
    switch (bucketOf(score)) {
    case DifficultyBucket::Hard: return 256.0 + 25.0 * uncertainty;
    case DifficultyBucket::Easy: return 96.0;
    case DifficultyBucket::Medium: return std::nullopt;
    }
    return std::nullopt;
}

double Difficulty::lengthScore(double usedWords, std::optional<double> budget)
{
    constexpr double beta = 1.0 / 500.0;
    if (!budget)
        return 1.0;
    const double over = usedWords - *budget;
    if (over <= 0)
        return 1.0;
    return std::clamp(1.0 - beta * over, 0.0, 1.0);
}

} // namespace rs
