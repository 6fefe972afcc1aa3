#pragma once

#include "core/expected.h"
#include "core/proposal.h"

#include <map>
#include <optional>
#include <vector>

namespace rs {

class Database;

// Model proposals (run × sample). Adding one makes it the sample's latest proposal and refreshes the
// sample's sort keys (uncertainty, chain length, IoU against the current annotation).
class ProposalRepository
{
public:
    explicit ProposalRepository(Database &db) : m_db(db) {}

    // Adds the proposal of (run, sample) in one transaction; Error when that run already has one.
    Expected<qint64> add(const Proposal &proposal);
    Expected<Proposal> get(qint64 id) const;
    Expected<std::vector<Proposal>> forSample(qint64 sampleId) const;
    Expected<std::optional<Proposal>> latest(qint64 sampleId) const;
    // The run's proposals for the samples with ids in [firstSampleId, lastSampleId], by sample id, in
    // two statements (export and evaluation read a batch of samples at a time).
    Expected<std::map<qint64, Proposal>> forRun(qint64 runId, qint64 firstSampleId, qint64 lastSampleId) const;

private:
    Database &m_db;
};

} // namespace rs
