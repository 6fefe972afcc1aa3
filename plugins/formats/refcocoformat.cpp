#include "plugins/formats/refcocoformat.h"

#include "plugins/formats/referreader.h"
#include "plugins/formats/referwriter.h"

namespace rs {

QString RefCocoFormat::summary() const
{
    return QStringLiteral("RefCOCO/RefCOCO+/RefCOCOg (refer API): <dataset>/refs(<splitBy>).p + instances.json, COCO train2014 images");
}

Expected<ImportReport> RefCocoFormat::read(const ImportOptions &options, RecordSink &sink) const
{
    return ReferReader::read(options, sink, false);
}

Expected<ExportReport> RefCocoFormat::write(RecordSource &source, const ExportOptions &options) const
{
    return ReferWriter::write(source, options, false);
}

} // namespace rs
