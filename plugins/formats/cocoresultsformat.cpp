#include "plugins/formats/cocoresultsformat.h"

#include "core/progress.h"
#include "core/recordsource.h"
#include "plugins/formats/cocoids.h"
#include "plugins/formats/cocosegmentation.h"
#include "plugins/formats/exportnames.h"
#include "plugins/formats/jsonstream.h"
#include "plugins/formats/recordloop.h"

#include <QRegularExpression>

#include <map>
#include <memory>

namespace rs {

namespace {

// The category every prediction of the record is scored under.
qint64 resultCategory(const DatasetRecord &record, const QString &proposalLabel)
{
    if (CocoIds::isCoco(record))
        return CocoIds::categoryId(record, QString());
    for (const RleTarget &target : record.targets)
        if (!target.ignore)
            return CocoIds::categoryId(record, target.label);
    return CocoIds::categoryId(record, proposalLabel);
}

} // namespace

QString CocoResultsFormat::summary() const
{
    return QStringLiteral("COCO results list (image_id, category_id, compressed-RLE segmentation, score) of a model run, for COCOeval");
}

Expected<ImportReport> CocoResultsFormat::read(const ImportOptions &, RecordSink &) const
{
    return Error{QStringLiteral("coco-results is written only (import COCO ground truth with --format coco)")};
}

Expected<ExportReport> CocoResultsFormat::write(RecordSource &source, const ExportOptions &options) const
{
    ExportReport report;
    std::map<QString, std::unique_ptr<JsonListWriter>> writers;
    std::vector<JsonListWriter *> order;
    qint64 withoutProposal = 0;
    qint64 failed = 0;
    qint64 ignored = 0;
    auto looped = RecordLoop::run(source, options, [&](DatasetRecord &record) -> Expected<bool> {
        if (!record.proposal) {
            ++withoutProposal;
            return true;
        }
        const QString where = QStringLiteral("sample %1 ('%2')").arg(record.sample.id).arg(record.sample.sourceId);
        const QString split = ExportNames::split(record.sample.split);
        auto found = writers.find(split);
        if (found == writers.end()) {
            const QString name = QStringLiteral("results_%1.json").arg(split);
            auto writer = std::make_unique<JsonListWriter>(options.outDir + QLatin1Char('/') + name);
            auto opened = writer->open();
            if (!opened)
                return Error{opened.error()};
            report.files << name;
            order.push_back(writer.get());
            found = writers.emplace(split, std::move(writer)).first;
        }
        if (record.proposal->parseFailed)
            ++failed;
        const QSize size = record.sample.image.size;
        const qint64 imageId = CocoIds::imageId(record);
        for (std::size_t i = 0; i < record.proposal->targets.size(); ++i) {
            const RleTarget &target = record.proposal->targets[i];
            if (target.ignore) {
                ++ignored;
                continue;
            }
            if (size.isValid() && (target.width != size.width() || target.height != size.height()))
                return Error{QStringLiteral("%1 proposal target %2: a %3x%4 mask on a %5x%6 image")
                                 .arg(where)
                                 .arg(i)
                                 .arg(target.width)
                                 .arg(target.height)
                                 .arg(size.width())
                                 .arg(size.height())};
            auto rle = target.rle();
            if (!rle)
                return Error{QStringLiteral("%1 proposal target %2: %3").arg(where).arg(i).arg(rle.error())};
            QJsonObject item;
            item.insert(QStringLiteral("image_id"), imageId);
            item.insert(QStringLiteral("category_id"), resultCategory(record, target.label));
            item.insert(QStringLiteral("segmentation"), CocoSegmentation::compressed(*rle));
            item.insert(QStringLiteral("score"), target.score);
            auto written = found->second->append(item);
            if (!written)
                return Error{written.error()};
            ++report.targets;
        }
        ++report.samples;
        return true;
    });
    if (!looped)
        return Error{looped.error()};
    for (JsonListWriter *writer : order) {
        auto finished = writer->finish();
        if (!finished)
            return Error{finished.error()};
    }
    report.notes << QStringLiteral("one item per proposal target: {image_id, category_id, segmentation: compressed RLE {size: [h, w], "
                                   "counts}, score = the target's score}, for pycocotools' loadRes + COCOeval(iouType='segm')");
    report.notes << QStringLiteral("image and category ids are those a coco export of the same project writes (COCO samples: their "
                                   "image and category; other samples: image id = sample id, category of their first target's label)");
    if (withoutProposal > 0)
        report.notes << QStringLiteral("%1 samples have no proposal of this run and no results").arg(withoutProposal);
    if (failed > 0)
        report.warnings << QStringLiteral("%1 proposals failed to parse; they contribute what targets they have (usually none)").arg(failed);
    if (ignored > 0)
        report.notes << QStringLiteral("%1 ignore proposal targets left out").arg(ignored);
    return report;
}

} // namespace rs
