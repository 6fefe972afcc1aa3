#include "core/maskagreement.h"

#include <algorithm>
#include <limits>

namespace rs {

Expected<double> MaskAgreement::iou(const Rle &a, const Rle &b)
{
    const Expected<OverlapCounts> counts = Rle::overlap(a, b);
    if (!counts)
        return Error { counts.error() };
    return counts->unionArea == 0 ? 1.0 : double(counts->intersection) / double(counts->unionArea);
}

Expected<Rle> MaskAgreement::majority(const std::vector<Rle> &masks)
{
    if (masks.empty())
        return Error { QStringLiteral("no mask to vote on") };
    const int height = masks.front().height(), width = masks.front().width();
    for (const Rle &mask : masks) {
        if (mask.height() != height || mask.width() != width)
            return Error { QStringLiteral("cannot vote on masks of different sizes: %1 x %2 and %3 x %4 (h x w)")
                               .arg(height).arg(width).arg(mask.height()).arg(mask.width()) };
    }
    // For each mask: the index of its current run, how much of it is left, and whether it is foreground.
    struct Cursor { std::size_t run = 0; qint64 left = 0; bool on = false; };
    std::vector<Cursor> cursors(masks.size());
    int votes = 0;
    auto settle = [&](std::size_t i) {  // skip zero-length runs, flipping the value at each boundary
        Cursor &c = cursors[i];
        const auto &counts = masks[i].counts();
        while (c.left == 0 && c.run < counts.size()) {
            c.on = c.run % 2 == 1;
            c.left = counts[c.run++];
        }
    };
    for (std::size_t i = 0; i < masks.size(); ++i) {
        settle(i);
        votes += cursors[i].on ? 1 : 0;
    }
    const qint64 total = qint64(height) * width;
    const std::size_t needed = masks.size() / 2 + 1;
    std::vector<std::uint32_t> out;
    bool current = false;
    qint64 runLength = 0, done = 0;
    while (done < total) {
        qint64 step = std::numeric_limits<qint64>::max();
        for (const Cursor &c : cursors)
            step = std::min(step, c.left);
        const bool on = std::size_t(votes) >= needed;
        if (on != current) {
            out.push_back(std::uint32_t(runLength));
            runLength = 0;
            current = on;
        }
        runLength += step;
        done += step;
        for (std::size_t i = 0; i < cursors.size(); ++i) {
            cursors[i].left -= step;
            if (cursors[i].left == 0) {
                const bool was = cursors[i].on;
                settle(i);
                votes += (cursors[i].on ? 1 : 0) - (was ? 1 : 0);
            }
        }
    }
    out.push_back(std::uint32_t(runLength));
    return Rle::fromCounts(height, width, std::move(out));
}

Expected<MaskAgreement::Result> MaskAgreement::compute(const std::vector<Rle> &masks)
{
    if (masks.size() < 2)
        return Error { QStringLiteral("mask agreement needs at least two annotators' masks") };
    Result result;
    const std::size_t n = masks.size();
    result.pairwise.assign(n, std::vector<double>(n, 1.0));
    double sum = 0.0;
    for (std::size_t a = 0; a < n; ++a) {
        for (std::size_t b = a + 1; b < n; ++b) {
            const Expected<double> value = iou(masks[a], masks[b]);
            if (!value)
                return Error { value.error() };
            result.pairwise[a][b] = result.pairwise[b][a] = *value;
            sum += *value;
        }
    }
    result.meanPairwise = sum / double(n * (n - 1) / 2);
    Expected<Rle> consensus = majority(masks);
    if (!consensus)
        return Error { consensus.error() };
    result.consensus = std::move(*consensus);
    for (const Rle &mask : masks)
        result.toConsensus.push_back(*iou(mask, result.consensus));
    return result;
}

} // namespace rs
