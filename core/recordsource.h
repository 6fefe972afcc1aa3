#pragma once

#include "core/datasetrecord.h"
#include "core/expected.h"

#include <optional>

namespace rs {

// What a format's writer exports, one record at a time in a fixed order (so that exporting twice
// gives the same bytes).
class RecordSource
{
public:
    virtual ~RecordSource() = default;
    // How many records next() will give (for progress and manifests).
    virtual qint64 count() const = 0;
    // The next record, std::nullopt after the last one.
    virtual Expected<std::optional<DatasetRecord>> next() = 0;
};

} // namespace rs
