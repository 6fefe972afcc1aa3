#pragma once

#include "core/labelledmask.h"
#include "core/metricvalue.h"
#include "core/overlapcounts.h"

#include <vector>

namespace rs {

// gIoU and cIoU as Seg-Zero's and VisionReasoner's evaluation scripts compute them (formats.md §3.4):
// per sample I = |P ∧ G|, U = |P ∨ G| on boolean masks; gIoU = np.mean of (I/U if U > 0 else 0);
// cIoU = ΣI / ΣU (0 when ΣU == 0), both in float64 (`VisionReasoner: evaluation/calculate_iou.py`;
// Seg-Zero's copy prints gIoU only, the same formula).
//
// The variants differ where the prediction and the ground truth are both empty (U == 0) when the masks
// are compared: Seg-Zero's compute_iou returns a bare 0, the tuple unpacking fails and the sample is
// skipped (`Seg-Zero: evaluation_scripts/evaluation.py:54-58` and the inner try/continue);
// VisionReasoner returns (0, 0) and the sample scores IoU 0 (`evaluation/evaluation_segmentation.py`).
// Unparsable model output is recorded by both as I = 0, U = |G| — also when |G| == 0, which then
// scores 0. LISA (LisaMetric) counts empty∧empty as 1 instead.
//
// gIoU uses numpy's pairwise summation, so it matches to the last bit when samples are added in the
// order the script reads them (output_*.json files in sorted file-name order, records in file order).
class SegZeroMetric
{
public:
    enum class Variant { SegZero, VisionReasoner };
    // How LISA's ignore (255) pixels enter the ground truth. Seg-Zero's ReasonSeg converter keeps
    // mask.astype(bool), so ignore regions become foreground (formats.md §3.3); AsBackground is LISA's
    // training view (mask == 1).
    enum class IgnorePolicy { AsForeground, AsBackground };

    static constexpr const char *kSegZeroProtocol = "seg-zero";
    static constexpr const char *kVisionReasonerProtocol = "visionreasoner";

    explicit SegZeroMetric(Variant variant = Variant::SegZero,
                           IgnorePolicy ignore = IgnorePolicy::AsForeground)
        : m_variant(variant)
        , m_ignorePolicy(ignore)
    {
    }

    Variant variant() const { return m_variant; }
    IgnorePolicy ignorePolicy() const { return m_ignorePolicy; }
    QString protocol() const;

    // The boolean ground truth these scripts compare against.
    Mask groundTruthOf(const LabelledMask &labels) const;

    // Compares masks as the evaluation script does; an empty∧empty sample is skipped (Seg-Zero) or
    // recorded as 0/0 (VisionReasoner). Returns the counts; nothing is recorded on error.
    Expected<OverlapCounts> add(const Mask &prediction, const Mask &groundTruth);
    Expected<OverlapCounts> add(const Mask &prediction, const LabelledMask &groundTruth);
    // As add(), from the counts of the compared masks (computed elsewhere, e.g. on RLE). Returns
    // false when the sample was skipped.
    bool addCompared(const OverlapCounts &counts);
    // Model output that could not be parsed: I = 0, U = |G|.
    void addUnparsable(qint64 groundTruthArea);
    void addUnparsable(const LabelledMask &groundTruth) { addUnparsable(groundTruthOf(groundTruth).area()); }
    // One record of an output_*.json file, as calculate_iou.py reads it (U == 0 scores 0, never skipped).
    void addCounts(const OverlapCounts &counts);

    double gIoU() const; // NaN when no sample was recorded (np.mean of an empty list)
    double cIoU() const;
    qint64 sampleCount() const { return qint64(m_ious.size()); }
    qint64 skippedCount() const { return m_skipped; }
    qint64 unparsableCount() const { return m_unparsable; }
    qint64 intersectionSum() const { return m_sumIntersection; }
    qint64 unionSum() const { return m_sumUnion; }
    std::vector<MetricValue> values() const;

private:
    Variant m_variant;
    IgnorePolicy m_ignorePolicy;
    std::vector<double> m_ious;
    qint64 m_sumIntersection = 0;
    qint64 m_sumUnion = 0;
    qint64 m_skipped = 0;
    qint64 m_unparsable = 0;
};

} // namespace rs
