#include "core/boxaccuracy.h"

namespace rs {

namespace {

// rec.py: torch.tensor(boxes) (float32) * 1000, one float32 rounding per coordinate.
BoxXyxy scaledForNextChat(const BoxXyxy &box)
{
    BoxXyxy scaled;
    for (std::size_t i = 0; i < box.size(); ++i) {
        volatile float value = float(box[i]) * 1000.0f;
        scaled[i] = double(value);
    }
    return scaled;
}

} // namespace

QString BoxAccuracy::protocol() const
{
    return QString::fromLatin1(m_protocol == Protocol::NextChatRec ? kNextChatRecProtocol
                                                                   : kVisionReasonerBoxProtocol);
}

double BoxAccuracy::iou(const BoxXyxy &prediction, const BoxXyxy &groundTruth) const
{
    if (m_protocol == Protocol::NextChatRec)
        return double(boxIoUFloat32(scaledForNextChat(prediction), scaledForNextChat(groundTruth)));
    return boxIoU(prediction, groundTruth);
}

bool BoxAccuracy::add(const std::vector<BoxXyxy> &predictions, const BoxXyxy &groundTruth)
{
    bool hit = false;
    for (const BoxXyxy &prediction : predictions) {
        if (iou(prediction, groundTruth) > kThreshold) {
            hit = true;
            break;
        }
        if (m_protocol == Protocol::NextChatRec)
            break; // NExT-Chat scores exactly one box per sample
    }
    addResult(hit);
    return hit;
}

void BoxAccuracy::addResult(bool hit)
{
    ++m_samples;
    if (hit)
        ++m_hits;
}

double BoxAccuracy::accuracy() const
{
    return m_samples == 0 ? 0.0 : double(m_hits) / double(m_samples);
}

std::vector<MetricValue> BoxAccuracy::values() const
{
    const QString name
        = m_protocol == Protocol::NextChatRec ? QStringLiteral("Acc@0.5") : QStringLiteral("bbox_AP");
    return {
        { name, accuracy(), MetricUnit::Fraction },
        { QStringLiteral("samples"), double(m_samples), MetricUnit::Count },
    };
}

} // namespace rs
