#include "core/sampleoverlap.h"

#include "core/rle.h"

namespace rs {

namespace {

// The union of the RLEs, or an all-background RLE of the size when there are none.
Expected<Rle> unionOf(const std::vector<Rle> &rles, QSize size)
{
    if (rles.empty())
        return Rle::fromCounts(size.height(), size.width(), { std::uint32_t(qint64(size.width()) * size.height()) });
    return Rle::merge(rles, false);
}

Expected<Rle> intersectionOf(const Rle &a, const Rle &b)
{
    return Rle::merge({ a, b }, true);
}

BoxXyxy xyxy(const QRectF &xywh)
{
    return { xywh.x(), xywh.y(), xywh.x() + xywh.width(), xywh.y() + xywh.height() };
}

} // namespace

Expected<SampleOverlap> SampleOverlap::compute(const std::vector<RleTarget> &truth,
                                               const std::vector<RleTarget> &prediction, QSize truthSize)
{
    std::vector<Rle> targets, ignores, predicted;
    QSize size = truthSize;
    bool sized = false;
    auto sizeOf = [&](const Rle &rle, const char *what) -> std::optional<Error> {
        const QSize own(rle.width(), rle.height());
        if (!sized) {
            size = own;
            sized = true;
        } else if (own != size) {
            return Error { QStringLiteral("%1 mask is %2x%3, the sample's ground truth is %4x%5")
                               .arg(QLatin1String(what))
                               .arg(own.width())
                               .arg(own.height())
                               .arg(size.width())
                               .arg(size.height()) };
        }
        return std::nullopt;
    };
    for (const RleTarget &target : truth) {
        Expected<Rle> rle = target.rle();
        if (!rle)
            return Error { QStringLiteral("ground-truth target: %1").arg(rle.error()) };
        if (auto error = sizeOf(*rle, "a ground-truth"))
            return *error;
        (target.ignore ? ignores : targets).push_back(std::move(*rle));
    }
    SampleOverlap overlap;
    for (const RleTarget &target : prediction) {
        overlap.predictedBoxes.push_back(xyxy(target.box));
        if (!target.hasMask())
            continue;
        Expected<Rle> rle = target.rle();
        if (!rle)
            return Error { QStringLiteral("predicted target: %1").arg(rle.error()) };
        if (auto error = sizeOf(*rle, "a predicted"))
            return *error;
        predicted.push_back(std::move(*rle));
    }
    overlap.imageSize = size;
    overlap.predictedMask = !predicted.empty();

    Expected<Rle> g = unionOf(targets, size);
    Expected<Rle> ig = unionOf(ignores, size);
    Expected<Rle> p = unionOf(predicted, size);
    if (!g || !ig || !p)
        return Error { (!g ? g : !ig ? ig : p).error() };

    Expected<OverlapCounts> plain = Rle::overlap(*p, *g);
    if (!plain)
        return Error { plain.error() };
    overlap.plain = *plain;
    overlap.truthArea = g->area();
    overlap.predictedArea = p->area();
    overlap.truthEmpty = overlap.truthArea == 0;
    if (!overlap.truthEmpty)
        overlap.truthBox = xyxy(g->bbox());

    if (ignores.empty()) {
        overlap.lisa = *plain;
        overlap.ignoreAsForeground = *plain;
        overlap.truthAreaWithIgnore = overlap.truthArea;
        return overlap;
    }
    // Ignore pixels left after the targets: Ig \ G. In LISA, I is unchanged (G never holds an ignore
    // pixel) and U loses the predicted pixels that fall on ignore: |P ∧ Ig| − |P ∧ Ig ∧ G|.
    Expected<Rle> withIgnore = Rle::merge({ *g, *ig }, false);
    Expected<Rle> pIg = intersectionOf(*p, *ig);
    if (!withIgnore || !pIg)
        return Error { (!withIgnore ? withIgnore : pIg).error() };
    Expected<Rle> pIgG = intersectionOf(*pIg, *g);
    if (!pIgG)
        return Error { pIgG.error() };
    const qint64 predictedOnIgnore = pIg->area() - pIgG->area();
    overlap.lisa = { plain->intersection, plain->unionArea - predictedOnIgnore };

    Expected<OverlapCounts> asForeground = Rle::overlap(*p, *withIgnore);
    if (!asForeground)
        return Error { asForeground.error() };
    overlap.ignoreAsForeground = *asForeground;
    overlap.truthAreaWithIgnore = withIgnore->area();
    return overlap;
}

} // namespace rs
