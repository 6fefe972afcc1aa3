#pragma once

#include "core/expected.h"
#include "core/independentannotation.h"

#include <optional>
#include <vector>

namespace rs {

class Database;

// The independent answers of annotators with an overlap assignment: one versioned row per
// (sample, annotator), saved with compare-and-set like the main line, never touching it.
class IndependentAnnotationRepository
{
public:
    explicit IndependentAnnotationRepository(Database &db) : m_db(db) {}

    // Saves a new version; Error when the annotator has no overlap assignment for the sample, when
    // the difficulty or a rating is out of range, or when basedOnVersion is not the stored version
    // (another session saved in between). Returns the new version. Refreshes the sample's
    // disagreement sort key in the same transaction.
    Expected<int> save(const IndependentAnnotation &annotation, int basedOnVersion);
    Expected<std::optional<IndependentAnnotation>> get(qint64 sampleId, qint64 annotatorId) const;
    // Every independent annotation, by sample then annotator.
    Expected<std::vector<IndependentAnnotation>> all() const;

private:
    // sample.disagreement: 1 − mean pairwise mask IoU of the sample's answers (NULL below two).
    Expected<bool> refreshDisagreement(qint64 sampleId);

    Database &m_db;
};

} // namespace rs
