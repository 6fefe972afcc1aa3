#pragma once

#include "core/datasetformat.h"
#include "core/expected.h"

namespace rs {

class RecordSink;

// Runs an import: the format's reader on a worker thread, and on the calling thread each record's
// image probed (size from the header, SHA-256 of the bytes, once per image) and handed to the
// sink. The reader parses and rasterises while the caller hashes and writes, so an import keeps two
// cores busy; a bounded queue between them keeps memory flat however large the dataset.
//
// The first error (the reader's, an image's or the sink's) stops both sides and is returned; the
// sink has then seen only part of the data, so it must be transactional (the project's sink rolls
// back). Records reach the sink in the reader's order.
class DatasetImport
{
public:
    static Expected<ImportReport> run(const DatasetFormat &format, const ImportOptions &options, RecordSink &sink);
};

} // namespace rs
