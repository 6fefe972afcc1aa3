#pragma once

#include "core/datasetrecord.h"
#include "core/expected.h"

namespace rs {

// Where a format's reader puts what it reads, one record at a time (imports stream: a reader never
// holds the whole dataset). An Error from add*() stops the import; the reader returns it unchanged.
class RecordSink
{
public:
    virtual ~RecordSink() = default;
    // A sample with its truth.
    virtual Expected<bool> addSample(DatasetRecord record) = 0;
    // A model's output for a sample already in the project, found by record.extras.dataset,
    // record.sample.split and record.sample.sourceId; record.proposal is set.
    virtual Expected<bool> addPrediction(DatasetRecord record) = 0;
};

} // namespace rs
