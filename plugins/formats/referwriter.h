#pragma once

#include "core/datasetformat.h"
#include "core/expected.h"

namespace rs {

class RecordSource;

// The export side of the refcoco and grefcoco formats (formats.md §6.1, §6.2, §10.1 item 5): regroups
// sentence samples into refs, writes the refs file, instances.json (annotations streamed) and copies
// the images. See RefCocoFormat and GRefCocoFormat for the rules each follows.
class ReferWriter
{
public:
    static Expected<ExportReport> write(RecordSource &source, const ExportOptions &options, bool generalized);
};

} // namespace rs
