#include "core/rletarget.h"

namespace rs {

RleTarget RleTarget::fromTarget(const Target &target)
{
    RleTarget stored = fromRle(Rle::encode(target.mask), target.box, target.label);
    stored.description = target.description;
    stored.ignore = target.ignore;
    return stored;
}

RleTarget RleTarget::fromRle(const Rle &rle, const QRectF &box, const QString &label)
{
    RleTarget stored;
    stored.counts = rle.toString();
    stored.height = rle.height();
    stored.width = rle.width();
    stored.box = box;
    stored.label = label;
    return stored;
}

Expected<Rle> RleTarget::rle() const
{
    return Rle::fromString(counts, height, width);
}

Expected<Target> RleTarget::toTarget() const
{
    auto decoded = rle();
    if (!decoded)
        return Error{decoded.error()};
    Target target;
    target.mask = decoded->decode();
    target.box = box;
    target.label = label;
    target.description = description;
    target.ignore = ignore;
    return target;
}

} // namespace rs
