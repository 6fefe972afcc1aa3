#pragma once

#include "core/datasetformat.h"
#include "core/expected.h"

#include <QString>

namespace rs {

class RecordSource;

// Where an export came from, for the manifest written next to the data.
struct ExportProvenance
{
    QString program;         // "reasonseg 0.1.0"
    QString project;         // the project's file name or PostgreSQL location
    int schemaVersion = 0;
    QString projectRevision; // changes whenever the project's data changes (see DatasetExportCursor)
    QString split;           // the filter the user gave ("" = all)
    QString status;
    QString run;             // predictions: the model run exported
};

// Runs an export so that the output folder appears whole or not at all: the format writes into a
// staging folder next to options.outDir, the manifest (manifest.json + README.md: what, from which
// project revision, how) is added, and only then is the folder renamed into place. outDir must not
// exist or be empty. Exporting the same project revision twice gives byte-identical folders.
class DatasetExport
{
public:
    static Expected<ExportReport> run(const DatasetFormat &format, RecordSource &source, const ExportOptions &options,
                                      const ExportProvenance &provenance);
};

} // namespace rs
