#pragma once

#include "core/expected.h"
#include "core/sample.h"
#include "core/rletarget.h"
#include "core/sampleextras.h"
#include "storage/samplequery.h"

#include <QJsonObject>

#include <vector>

namespace rs {

class Database;

// Samples with their source targets, and the listings of the queue and review views.
class SampleRepository
{
public:
    explicit SampleRepository(Database &db) : m_db(db) {}

    // Adds the sample, its image (when new) and its targets in one transaction.
    Expected<qint64> add(const Sample &sample, const std::vector<RleTarget> &targets,
                         const SampleExtras &extras = SampleExtras());
    Expected<Sample> get(qint64 id) const;
    Expected<SampleExtras> extras(qint64 id) const;
    Expected<std::vector<RleTarget>> targets(qint64 id) const;

    // One page of the samples that pass `filter`, in `sort` order (see SampleSort). Every sort key
    // has an index, so the first page of a million samples is a short index scan.
    Expected<std::vector<SampleRow>> page(const SampleFilter &filter, const SampleSort &sort, int offset,
                                          int limit) const;
    // The page after `last` (a row of the previous page) in the same order: keyset pagination, as
    // fast deep in the list as at its start (an OFFSET costs time proportional to the offset).
    // `offset` skips that many rows after `last` first (a jump near a known row costs the distance).
    Expected<std::vector<SampleRow>> pageAfter(const SampleFilter &filter, const SampleSort &sort,
                                               const SampleRow &last, int limit, int offset = 0) const;
    // The number of rows page() lists with this filter and sort (a sort key other than Id leaves out
    // the samples without that key).
    Expected<qint64> count(const SampleFilter &filter, const SampleSort &sort = SampleSort()) const;
    // The splits the project's samples belong to, sorted (the queue's split filter).
    Expected<QStringList> splits() const;

    Expected<bool> setStatus(qint64 id, SampleStatus status);

private:
    Expected<std::vector<SampleRow>> list(const SampleFilter &filter, const SampleSort &sort, const SampleRow *after,
                                          int offset, int limit) const;

    Database &m_db;
};

} // namespace rs
