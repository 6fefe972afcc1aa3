#pragma once

#include "core/expected.h"
#include "core/review.h"

#include <vector>

namespace rs {

class Database;

// Reviewers' decisions. Adding a review sets the sample's status (accept → accepted,
// reject → rejected, fix → in_progress) in the same transaction.
class ReviewRepository
{
public:
    explicit ReviewRepository(Database &db) : m_db(db) {}

    // Error (nothing written) when review.annotationVersion is no longer the sample's current version.
    Expected<qint64> add(const Review &review);
    Expected<std::vector<Review>> forSample(qint64 sampleId) const;
    // Reviews that carry `tag`, newest first.
    Expected<std::vector<Review>> withTag(const QString &tag, int limit) const;

private:
    Database &m_db;
};

} // namespace rs
