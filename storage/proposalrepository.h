#pragma once

#include "core/expected.h"
#include "core/proposal.h"

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

private:
    Database &m_db;
};

} // namespace rs
