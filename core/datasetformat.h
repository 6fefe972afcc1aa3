#pragma once

#include "core/expected.h"

#include <QString>
#include <QStringList>

namespace rs {

class Progress;
class RecordSink;
class RecordSource;

// What an import is asked to read.
struct ImportOptions
{
    QString source;             // the file or folder the user named
    QString imageDir;           // where the dataset's images are; empty: the format's usual place
    QString split;              // formats with splits: only this one; formats without: the split to assign
    bool requireImages = true;  // a missing image file is an error; false: sizes come from the dataset
    int threads = 2;            // threads of the import: the reader, and threads - 1 probing images
    Progress *progress = nullptr;
};

// What an import did. Rejected entries are the ones the benchmark's own loader would skip too
// (e.g. a MUSE answer whose {seg} count differs from its targets); each names the file and reason.
struct ImportReport
{
    qint64 samples = 0;
    qint64 targets = 0;
    qint64 predictions = 0;
    QStringList rejected;
    QStringList notes;
};

// What an export is asked to write. The writer writes only under outDir (a new, empty folder).
struct ExportOptions
{
    QString outDir;
    Progress *progress = nullptr;
};

// What an export did. Warnings are losses the format could not avoid (a mask hole a polygon cannot
// express, ...), each naming the sample and how much was lost; they are never silent.
struct ExportReport
{
    qint64 samples = 0;
    qint64 targets = 0;
    QStringList files;       // written, relative to outDir, in writing order
    QStringList warnings;
    QStringList notes;       // how the format was written (choices the manifest should record)
};

// One dataset format (formats.md): reads a dataset into records and writes records as the
// benchmark's own loader reads them. Formats hold no state; one instance serves every import.
class DatasetFormat
{
public:
    virtual ~DatasetFormat() = default;

    virtual QString name() const = 0;      // "reasonseg", as typed after --format
    virtual QString summary() const = 0;   // one line for --help
    virtual bool canImport() const { return true; }
    virtual bool canExport() const { return true; }

    // Reads options.source and hands every record to sink. A malformed file is an Error naming the
    // file, the place in it (line, record, field) and the value.
    virtual Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const = 0;

    // Writes every record of source under options.outDir.
    virtual Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const = 0;
};

} // namespace rs
