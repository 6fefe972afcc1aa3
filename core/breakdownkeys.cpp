#include "core/breakdownkeys.h"

#include "core/difficulty.h"

namespace rs {

QString BreakdownKeys::difficulty(double score)
{
    return difficultyBucketName(Difficulty::bucketOf(score));
}

QString BreakdownKeys::queryLength(bool isSentence)
{
    return isSentence ? QStringLiteral("long") : QStringLiteral("short");
}

QString BreakdownKeys::targetCount(int count, int capAt)
{
    if (capAt > 0 && count >= capAt)
        return QStringLiteral("%1+").arg(capAt);
    return QString::number(count);
}

} // namespace rs
