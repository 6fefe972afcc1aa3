#include "core/review.h"

namespace rs {

QString reviewVerdictName(ReviewVerdict verdict)
{
    switch (verdict) {
    case ReviewVerdict::Accept:
        return QStringLiteral("accept");
    case ReviewVerdict::Reject:
        return QStringLiteral("reject");
    case ReviewVerdict::Fix:
        return QStringLiteral("fix");
    }
    return QString();
}

std::optional<ReviewVerdict> reviewVerdictFromName(const QString &name)
{
    for (ReviewVerdict v : {ReviewVerdict::Accept, ReviewVerdict::Reject, ReviewVerdict::Fix})
        if (reviewVerdictName(v) == name)
            return v;
    return std::nullopt;
}

QStringList reviewFailureTags()
{
    return { QStringLiteral("wrong_target"),          QStringLiteral("partial"),
             QStringLiteral("extra_region"),          QStringLiteral("boundary"),
             QStringLiteral("hallucinated_reasoning"), QStringLiteral("no_target_missed"),
             QStringLiteral("overthinking") };
}

} // namespace rs
