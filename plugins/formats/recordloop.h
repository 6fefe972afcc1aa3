#pragma once

#include "core/datasetformat.h"
#include "core/datasetrecord.h"
#include "core/expected.h"

#include <functional>

namespace rs {

class RecordSource;

// The loop every format's writer runs: each record of the source in order, with the progress total
// and steps reported and a cancel request honoured between records. The first Error (the source's
// or the visitor's) ends the loop and is returned.
class RecordLoop
{
public:
    using Visitor = std::function<Expected<bool>(DatasetRecord &record)>;
    static Expected<bool> run(RecordSource &source, const ExportOptions &options, const Visitor &visit);
};

} // namespace rs
