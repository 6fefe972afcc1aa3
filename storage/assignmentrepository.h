#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace rs {

class Database;

// Who works on which sample. A primary assignment is work on the sample's versioned main line; an
// overlap assignment asks the annotator for an independent answer (IndependentAnnotationRepository)
// that agreement statistics compare with the others'.
class AssignmentRepository
{
public:
    enum class Kind { Primary, Overlap };

    struct OverlapPlan
    {
        QStringList annotators;  // names; created when new
        double share = 0.1;      // of the (split's) samples, in (0, 1]
        int perSample = 2;       // annotators per chosen sample, 2..annotators.size()
        quint32 seed = 1;
        QString split;           // empty: every split
    };
    struct OverlapResult
    {
        qint64 samples = 0;      // samples chosen
        qint64 added = 0;        // assignments added (existing ones are kept)
    };

    explicit AssignmentRepository(Database &db) : m_db(db) {}

    // Chooses round(share × N) samples with a seeded shuffle and gives each to perSample annotators,
    // rotating through the list so that loads differ by at most one. One transaction; the same plan
    // on the same project chooses the same samples.
    Expected<OverlapResult> assignOverlap(const OverlapPlan &plan);
    Expected<bool> assign(qint64 sampleId, qint64 annotatorId, Kind kind);
    Expected<bool> isAssigned(qint64 sampleId, qint64 annotatorId, Kind kind) const;
    Expected<std::vector<qint64>> samplesOf(qint64 annotatorId, Kind kind) const;

    static QString kindName(Kind kind);

private:
    Database &m_db;
};

} // namespace rs
