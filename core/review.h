#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace rs {

enum class ReviewVerdict { Accept, Reject, Fix };

QString reviewVerdictName(ReviewVerdict verdict);
std::optional<ReviewVerdict> reviewVerdictFromName(const QString &name);
// The failure-mode tags a reviewer picks from (issue 9): wrong_target, partial, extra_region, boundary,
// hallucinated_reasoning, no_target_missed, overthinking.
QStringList reviewFailureTags();

// A reviewer's decision on one annotation version of a sample (optionally about one proposal).
struct Review
{
    qint64 id = 0;              // set by storage
    qint64 sampleId = 0;
    int annotationVersion = 0;  // the version reviewed; must be the current one when added
    qint64 proposalId = 0;      // 0: the review is about the annotation, not a proposal
    qint64 reviewerId = 0;
    ReviewVerdict verdict = ReviewVerdict::Accept;
    QString reason;
    QStringList failureTags;    // failure-mode tags ("overthinking", "wrong_object", ...)
    QDateTime createdAt;        // set by storage

    bool operator==(const Review &) const = default;
};

} // namespace rs
