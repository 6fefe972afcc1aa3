#pragma once

#include "core/expected.h"
#include "core/rletarget.h"

#include <QSqlQuery>

#include <optional>
#include <vector>

namespace rs {

class Database;

// Keeps the review views' IoU sort keys up to date, inside the caller's transaction:
// sample.proposal_iou — the latest proposal against the current annotation (NULL before one is
// saved) — and proposal.truth_iou — each proposal against the current truth (the annotation, else
// the imported targets), the per-run key. Both are IoUs of the unions of non-ignore targets.
class OverlapCalculator
{
public:
    explicit OverlapCalculator(Database &db) : m_db(db) {}

    // Recomputes and stores the keys of one sample and of its proposals — only of `proposalId` when
    // it is not 0 (a proposal just added: the others' truth did not change).
    Expected<bool> refreshSample(qint64 sampleId, qint64 proposalId = 0);

    // IoU of the unions; nullopt when the sizes differ or a mask is malformed. Both empty: 1.
    static std::optional<double> iou(const std::vector<RleTarget> &a, const std::vector<RleTarget> &b);

private:
    Database &m_db;
    std::optional<QSqlQuery> m_select;  // prepared on first use, reused
    std::optional<QSqlQuery> m_update;
    std::optional<QSqlQuery> m_proposals;
    std::optional<QSqlQuery> m_updateProposal;
};

} // namespace rs
