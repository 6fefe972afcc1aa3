#pragma once

#include "core/expected.h"
#include "core/rletarget.h"

#include <QSqlQuery>

#include <optional>
#include <vector>

namespace rs {

class Database;

// Keeps sample.proposal_iou (the review views' "IoU between proposal and annotation" sort key) up to
// date: IoU of the union of the latest proposal's targets and the union of the current annotation's
// non-ignore targets. Runs inside the caller's transaction.
class OverlapCalculator
{
public:
    explicit OverlapCalculator(Database &db) : m_db(db) {}

    // Recomputes and stores the key of one sample (NULL when it lacks a proposal or an annotation).
    Expected<bool> refreshSample(qint64 sampleId);

    // IoU of the unions; nullopt when the sizes differ or a mask is malformed. Both empty: 1.
    static std::optional<double> iou(const std::vector<RleTarget> &a, const std::vector<RleTarget> &b);

private:
    Database &m_db;
    std::optional<QSqlQuery> m_select;  // prepared on first use, reused
    std::optional<QSqlQuery> m_update;
};

} // namespace rs
