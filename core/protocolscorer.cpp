#include "core/protocolscorer.h"

#include "core/boxaccuracy.h"
#include "core/gresmetric.h"
#include "core/lisametric.h"
#include "core/nextchatmetric.h"
#include "core/segzerometric.h"

#include <cmath>
#include <limits>

namespace rs {

namespace {

// A box metric's values next to a mask metric's: its sample count is named box_samples.
void appendBoxValues(std::vector<MetricValue> &values, const BoxAccuracy &boxes)
{
    for (MetricValue value : boxes.values()) {
        if (value.name == QLatin1String("samples"))
            value.name = QStringLiteral("box_samples");
        values.push_back(value);
    }
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(const OverlapCounts &counts)
{
    return counts.unionArea > 0 ? double(counts.intersection) / double(counts.unionArea) : 0.0;
}

// LISA's validate(): ignore (255) removed from both masks, I / (U + 1e-5), empty ∧ empty = 1.
class LisaScorer final : public ProtocolScorer
{
public:
    QString name() const override { return m_metric.protocol(); }
    std::unique_ptr<ProtocolScorer> fresh() const override { return std::make_unique<LisaScorer>(); }
    double add(const EvaluationSample &sample) override
    {
        const OverlapCounts &counts = countsOf(sample, sample.overlap.lisa);
        m_metric.addCounts(counts);
        return double(LisaMetric::maskScore(counts));
    }
    qint64 sampleCount() const override { return m_metric.sampleCount(); }
    std::vector<MetricValue> values() const override { return m_metric.values(); }
    QString description() const override
    {
        return QStringLiteral("LISA validate(): ignore pixels removed, I/(U+1e-5), empty prediction on empty truth = 1, "
                              "float32 sums; the prediction is the union of the run's masks");
    }

private:
    LisaMetric m_metric;
};

// Seg-Zero's and VisionReasoner's evaluation scripts; VisionReasoner adds bbox_AP.
class SegZeroScorer final : public ProtocolScorer
{
public:
    explicit SegZeroScorer(SegZeroMetric::Variant variant)
        : m_metric(variant)
        , m_boxes(BoxAccuracy::Protocol::VisionReasonerBox)
    {
    }
    QString name() const override { return m_metric.protocol(); }
    std::unique_ptr<ProtocolScorer> fresh() const override
    {
        return std::make_unique<SegZeroScorer>(m_metric.variant());
    }
    double add(const EvaluationSample &sample) override
    {
        if (isVisionReasoner())
            addBoxes(sample);
        if (sample.parseFailed) {
            m_metric.addUnparsable(sample.overlap.truthAreaWithIgnore);
            return 0.0;
        }
        if (!sample.overlap.predictedMask && sample.reportedOverlap) {
            // A record of output_*.json: calculate_iou.py scores U == 0 as 0 and never skips it.
            m_metric.addCounts(*sample.reportedOverlap);
            return ratio(*sample.reportedOverlap);
        }
        const OverlapCounts &counts = sample.overlap.ignoreAsForeground;
        return m_metric.addCompared(counts) ? ratio(counts) : kNaN;
    }
    qint64 sampleCount() const override { return m_metric.sampleCount() + m_metric.skippedCount(); }
    std::vector<MetricValue> values() const override
    {
        std::vector<MetricValue> values = m_metric.values();
        if (isVisionReasoner() && m_boxes.sampleCount() > 0)
            appendBoxValues(values, m_boxes);
        return values;
    }
    QString description() const override
    {
        return isVisionReasoner()
            ? QStringLiteral("VisionReasoner evaluation_segmentation.py + calculate_iou.py: ignore pixels as foreground, "
                             "empty prediction on empty truth = 0, unparsable answer = I 0 / U |truth|; bbox_AP: any "
                             "predicted box with IoU > 0.5")
            : QStringLiteral("Seg-Zero evaluation.py: ignore pixels as foreground, empty prediction on empty truth "
                             "skipped, unparsable answer = I 0 / U |truth|");
    }

private:
    bool isVisionReasoner() const { return m_metric.variant() == SegZeroMetric::Variant::VisionReasoner; }
    void addBoxes(const EvaluationSample &sample)
    {
        if (sample.reportedBoxHit)
            m_boxes.addResult(*sample.reportedBoxHit);
        else if (sample.overlap.truthBox)
            m_boxes.add(sample.parseFailed ? std::vector<BoxXyxy>() : sample.overlap.predictedBoxes,
                        *sample.overlap.truthBox);
    }

    SegZeroMetric m_metric;
    BoxAccuracy m_boxes;
};

// ReLA's GRES evaluator: no-target expressions and the predicted no-target flag.
class GresScorer final : public ProtocolScorer
{
public:
    QString name() const override { return m_metric.protocol(); }
    std::unique_ptr<ProtocolScorer> fresh() const override { return std::make_unique<GresScorer>(); }
    double add(const EvaluationSample &sample) override
    {
        const OverlapCounts &counts = countsOf(sample, sample.overlap.plain);
        m_metric.addCounts(counts, sample.predictedNoTarget, sample.truthNoTarget);
        if (sample.truthNoTarget)
            return sample.predictedNoTarget ? 1.0 : 0.0;
        return sample.predictedNoTarget ? 0.0 : ratio(counts);
    }
    qint64 sampleCount() const override { return m_metric.sampleCount(); }
    std::vector<MetricValue> values() const override { return m_metric.values(); }
    QString description() const override
    {
        return QStringLiteral("ReLA refer_evaluation.py: a proposal without targets is a no-target answer; "
                              "gIoU/cIoU/Pr@ in percent, T_acc/N_acc fractions; ignore pixels as background");
    }

private:
    GresMetric m_metric;
};

// NExT-Chat: RES cIoU (and failed) on masks, REC Acc@0.5 on the highest-scoring box.
class NextChatScorer final : public ProtocolScorer
{
public:
    QString name() const override { return m_metric.protocol(); }
    std::unique_ptr<ProtocolScorer> fresh() const override { return std::make_unique<NextChatScorer>(); }
    double add(const EvaluationSample &sample) override
    {
        const OverlapCounts &counts = countsOf(sample, sample.overlap.plain);
        m_metric.addCounts(counts);
        if (sample.overlap.truthBox) {
            const QSize size = sample.overlap.imageSize;
            const BoxXyxy truth = squareNormalized(*sample.overlap.truthBox, size);
            if (const BoxXyxy *best = bestBox(sample))
                m_boxes.add(squareNormalized(*best, size), truth);
            else
                m_boxes.add(std::vector<BoxXyxy>(), truth);
        }
        return ratio(counts);
    }
    qint64 sampleCount() const override { return m_metric.sampleCount(); }
    std::vector<MetricValue> values() const override
    {
        std::vector<MetricValue> values = m_metric.values();
        appendBoxValues(values, m_boxes);
        return values;
    }
    QString description() const override
    {
        return QStringLiteral("NExT-Chat res.py / rec.py: cIoU = ΣI/ΣU, failed = samples with I <= 0; Acc@0.5 on the "
                              "first predicted box, normalised to the centred square (expand2square) x1000 in float32");
    }

private:
    // The box NExT-Chat would print first: the first target's.
    static const BoxXyxy *bestBox(const EvaluationSample &sample)
    {
        if (sample.parseFailed || sample.overlap.predictedBoxes.empty())
            return nullptr;
        return &sample.overlap.predictedBoxes.front();
    }
    // Box in [0, 1] of the square the image is padded to, centred (LLaVA's expand2square offsets).
    static BoxXyxy squareNormalized(const BoxXyxy &box, QSize size)
    {
        const int side = std::max(size.width(), size.height());
        if (side <= 0)
            return box;
        const double dx = (side - size.width()) / 2, dy = (side - size.height()) / 2;
        return { (box[0] + dx) / side, (box[1] + dy) / side, (box[2] + dx) / side, (box[3] + dy) / side };
    }

    NextChatMetric m_metric;
    BoxAccuracy m_boxes { BoxAccuracy::Protocol::NextChatRec };
};

struct ProtocolName
{
    ProtocolScorer::Protocol protocol;
    const char *name;
};

constexpr ProtocolName kNames[] = {
    { ProtocolScorer::Protocol::Lisa, LisaMetric::kProtocol },
    { ProtocolScorer::Protocol::SegZero, SegZeroMetric::kSegZeroProtocol },
    { ProtocolScorer::Protocol::VisionReasoner, SegZeroMetric::kVisionReasonerProtocol },
    { ProtocolScorer::Protocol::Gres, GresMetric::kProtocol },
    { ProtocolScorer::Protocol::NextChat, NextChatMetric::kProtocol },
};

} // namespace

std::unique_ptr<ProtocolScorer> ProtocolScorer::create(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Lisa: return std::make_unique<LisaScorer>();
    case Protocol::SegZero: return std::make_unique<SegZeroScorer>(SegZeroMetric::Variant::SegZero);
    case Protocol::VisionReasoner: return std::make_unique<SegZeroScorer>(SegZeroMetric::Variant::VisionReasoner);
    case Protocol::Gres: return std::make_unique<GresScorer>();
    case Protocol::NextChat: return std::make_unique<NextChatScorer>();
    }
    return nullptr;
}

std::optional<ProtocolScorer::Protocol> ProtocolScorer::protocolFromName(const QString &name)
{
    for (const ProtocolName &entry : kNames) {
        if (name == QLatin1String(entry.name))
            return entry.protocol;
    }
    return std::nullopt;
}

QStringList ProtocolScorer::protocolNames()
{
    QStringList names;
    for (const ProtocolName &entry : kNames)
        names << QLatin1String(entry.name);
    return names;
}

} // namespace rs
