#pragma once

#include "core/boxiou.h"
#include "core/metricvalue.h"

#include <vector>

namespace rs {

// Box hit rate at IoU > 0.5 (strictly greater), as two benchmarks report it:
//  - NextChatRec: NExT-Chat's REC Acc@0.5 (formats.md §5, `mllm/dataset/single_image_dataset/rec.py`):
//    one predicted box per sample, boxes normalised to [0, 1] of the square-expanded image, scaled by
//    1000 and compared with torchvision's box_iou in float32; accuracy = correct / samples.
//  - VisionReasonerBox: VisionReasoner's bbox_AP (`evaluation/evaluation_segmentation.py`,
//    `calculate_iou_with_bbox.py`): pixel boxes, a sample is a hit when any predicted box has float64
//    IoU > 0.5 with the ground-truth box; bbox_AP = hits / samples.
class BoxAccuracy
{
public:
    enum class Protocol { NextChatRec, VisionReasonerBox };
    static constexpr const char *kNextChatRecProtocol = "next-chat-rec";
    static constexpr const char *kVisionReasonerBoxProtocol = "visionreasoner-bbox";
    static constexpr double kThreshold = 0.5;

    explicit BoxAccuracy(Protocol protocol = Protocol::NextChatRec)
        : m_protocol(protocol)
    {
    }
    QString protocol() const;

    // The IoU this protocol compares with the threshold.
    double iou(const BoxXyxy &prediction, const BoxXyxy &groundTruth) const;

    // Returns whether the sample is a hit. With several predictions, any one may hit (VisionReasoner);
    // none (nothing parsed) is a miss.
    bool add(const std::vector<BoxXyxy> &predictions, const BoxXyxy &groundTruth);
    bool add(const BoxXyxy &prediction, const BoxXyxy &groundTruth)
    {
        return add(std::vector<BoxXyxy> { prediction }, groundTruth);
    }
    // A hit or miss decided elsewhere (a record's bbox_iou of 1.0 or 0.0).
    void addResult(bool hit);

    double accuracy() const; // 0 when no sample (VisionReasoner's `if cnt > 0 else 0`)
    qint64 hitCount() const { return m_hits; }
    qint64 sampleCount() const { return m_samples; }
    std::vector<MetricValue> values() const;

private:
    Protocol m_protocol;
    qint64 m_hits = 0;
    qint64 m_samples = 0;
};

} // namespace rs
