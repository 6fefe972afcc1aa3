#pragma once

#include "core/expected.h"
#include "core/annotation.h"

#include <optional>
#include <vector>

namespace rs {

class Database;

// Versioned human annotations. Each sample has one line of versions 1, 2, 3, ...; a save names the
// version it was based on and succeeds only when that is still the current one (compare-and-set on
// sample.annotation_version in the same transaction), so a concurrent save by someone else is
// returned as a conflict and nothing is overwritten. Every version stays in the history.
// Commits are durable when save() returns (SQLite: WAL with synchronous=FULL).
class AnnotationRepository
{
public:
    explicit AnnotationRepository(Database &db) : m_db(db) {}

    // Saves `annotation` as version basedOnVersion + 1 of its sample (0 = the first annotation).
    // Outcome::Conflict (and nothing written) when the sample's current version is not basedOnVersion.
    Expected<SaveResult> save(const Annotation &annotation, int basedOnVersion);
    // The current version of the sample's annotation; nullopt when it was never annotated.
    Expected<std::optional<Annotation>> current(qint64 sampleId) const;
    Expected<Annotation> at(qint64 sampleId, int version) const;
    // The current version number (0 when never annotated).
    Expected<int> currentVersion(qint64 sampleId) const;
    // All versions, oldest first.
    Expected<std::vector<AnnotationVersion>> history(qint64 sampleId) const;
    // Makes a copy of `version` the new current version (saved by `annotatorId`, based on
    // basedOnVersion, with restoredFrom set); conflicts like save().
    Expected<SaveResult> restore(qint64 sampleId, int version, qint64 annotatorId, int basedOnVersion);

private:
    Expected<SaveResult> write(const Annotation &annotation, int basedOnVersion, std::optional<int> restoredFrom);

    Database &m_db;
};

} // namespace rs
