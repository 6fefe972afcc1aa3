#include "plugins/formats/grefcocoformat.h"

#include "plugins/formats/referreader.h"
#include "plugins/formats/referwriter.h"

namespace rs {

QString GRefCocoFormat::summary() const
{
    return QStringLiteral("gRefCOCO (grefer, ReLA): grefcoco/grefs(unc).json or .p + instances.json, multi- and no-target refs");
}

Expected<ImportReport> GRefCocoFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    return ReferReader::read(options, sink, true);
}

Expected<ExportReport> GRefCocoFormat::write(RecordSource &source, const ExportOptions &options) const
{
    return ReferWriter::write(source, options, true);
}

} // namespace rs
