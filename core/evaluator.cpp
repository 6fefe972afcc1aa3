#include "core/evaluator.h"

#include "core/breakdownkeys.h"
#include "core/difficulty.h"

#include <cmath>

namespace rs {

namespace {

struct BreakdownName
{
    Evaluator::Breakdown breakdown;
    const char *name;
};

constexpr BreakdownName kBreakdowns[] = {
    { Evaluator::Breakdown::None, "" },
    { Evaluator::Breakdown::Difficulty, "difficulty" },
    { Evaluator::Breakdown::QueryLength, "is_sentence" },
    { Evaluator::Breakdown::Targets, "targets" },
    { Evaluator::Breakdown::Split, "split" },
};

const QString kUnrated = QStringLiteral("unrated");

// Mean over the values that are numbers; 0 for none.
template<typename Get> double meanOf(const std::vector<SampleScore> &samples, Get get, qint64 *counted = nullptr)
{
    double sum = 0.0;
    qint64 n = 0;
    for (const SampleScore &sample : samples) {
        const std::optional<double> value = get(sample);
        if (value && !std::isnan(*value)) {
            sum += *value;
            ++n;
        }
    }
    if (counted)
        *counted = n;
    return n ? sum / double(n) : 0.0;
}

} // namespace

std::optional<Evaluator::Breakdown> Evaluator::breakdownFromName(const QString &name)
{
    for (const BreakdownName &entry : kBreakdowns) {
        if (name == QLatin1String(entry.name))
            return entry.breakdown;
    }
    return std::nullopt;
}

QString Evaluator::breakdownName(Breakdown breakdown)
{
    for (const BreakdownName &entry : kBreakdowns) {
        if (entry.breakdown == breakdown)
            return QLatin1String(entry.name);
    }
    return QString();
}

Evaluator::Evaluator(ProtocolScorer::Protocol protocol, Breakdown breakdown)
    : m_breakdown(breakdown)
    , m_overall(ProtocolScorer::create(protocol))
{
}

QString Evaluator::keyOf(const EvaluationSample &sample, Breakdown breakdown)
{
    switch (breakdown) {
    case Breakdown::None: return QString();
    case Breakdown::Difficulty: return sample.difficulty ? BreakdownKeys::difficulty(*sample.difficulty) : kUnrated;
    case Breakdown::QueryLength: return BreakdownKeys::queryLength(sample.isSentence);
    case Breakdown::Targets: return BreakdownKeys::targetCount(sample.truthTargetCount);
    case Breakdown::Split: return sample.split;
    }
    return QString();
}

void Evaluator::add(const EvaluationSample &sample)
{
    SampleScore score;
    score.sampleId = sample.sampleId;
    score.iou = m_overall->add(sample);
    score.key = keyOf(sample, m_breakdown);
    if (m_breakdown != Breakdown::None) {
        auto it = m_byKey.find(score.key);
        if (it == m_byKey.end())
            it = m_byKey.emplace(score.key, m_overall->fresh()).first;
        it->second->add(sample);
    }
    if (!sample.overlap.predictedMask && sample.reportedOverlap)
        ++m_fromReported;

    score.tokens = sample.tokens;
    score.words = sample.words;
    score.difficulty = sample.difficulty;
    score.uncertainty = sample.uncertainty;
    // PixelThink's budget: missing difficulty defaults to 3.0 as its data loader does.
    score.budget = Difficulty::lengthBudget(sample.difficulty.value_or(Difficulty::kDefaultScore),
                                            sample.uncertainty.value_or(0.0));
    score.overthinking = score.budget && double(sample.words) > *score.budget;
    m_samples.push_back(score);
    m_characters.push_back(sample.characters);
}

ReasoningSummary Evaluator::reasoningSummary() const
{
    ReasoningSummary summary;
    summary.samples = qint64(m_samples.size());
    if (m_samples.empty())
        return summary;
    summary.meanTokens = meanOf(m_samples, [](const SampleScore &s) { return std::optional<double>(s.tokens); });
    summary.meanWords = meanOf(m_samples, [](const SampleScore &s) { return std::optional<double>(s.words); });
    double characters = 0.0;
    for (int count : m_characters)
        characters += count;
    summary.meanCharacters = characters / double(m_characters.size());
    summary.meanUncertainty = meanOf(m_samples, [](const SampleScore &s) { return s.uncertainty; },
                                     &summary.samplesWithTokenStats);
    double lengthScores = 0.0;
    for (const SampleScore &sample : m_samples) {
        summary.budgeted += sample.budget ? 1 : 0;
        summary.overthinking += sample.overthinking ? 1 : 0;
        summary.unrated += sample.difficulty ? 0 : 1;
        lengthScores += Difficulty::lengthScore(sample.words, sample.budget);
    }
    summary.meanLengthScore = lengthScores / double(m_samples.size());
    const double meanIoU = meanOf(m_samples, [](const SampleScore &s) { return std::optional<double>(s.iou); });
    summary.iouPerHundredTokens = summary.meanTokens > 0 ? meanIoU / summary.meanTokens * 100.0 : 0.0;

    for (DifficultyBucket bucket : { DifficultyBucket::Easy, DifficultyBucket::Medium, DifficultyBucket::Hard }) {
        std::vector<SampleScore> members;
        for (const SampleScore &sample : m_samples) {
            if (Difficulty::bucketOf(sample.difficulty.value_or(Difficulty::kDefaultScore)) == bucket)
                members.push_back(sample);
        }
        ReasoningSummary::Bucket line;
        line.name = difficultyBucketName(bucket);
        line.samples = qint64(members.size());
        line.meanTokens = meanOf(members, [](const SampleScore &s) { return std::optional<double>(s.tokens); });
        line.meanWords = meanOf(members, [](const SampleScore &s) { return std::optional<double>(s.words); });
        line.meanIoU = meanOf(members, [](const SampleScore &s) { return std::optional<double>(s.iou); });
        for (const SampleScore &sample : members)
            line.overthinking += sample.overthinking ? 1 : 0;
        summary.buckets.push_back(line);
    }
    return summary;
}

EvaluationReport Evaluator::report() const
{
    EvaluationReport report;
    report.protocol = m_overall->name();
    report.breakdown = breakdownName(m_breakdown);
    report.overall = { QStringLiteral("all"), m_overall->sampleCount(), m_overall->values() };
    for (const auto &[key, scorer] : m_byKey)
        report.groups.push_back({ key, scorer->sampleCount(), scorer->values() });
    report.reasoning = reasoningSummary();
    report.grades = m_grades;
    report.samples = m_samples;
    report.scoredFromReportedOverlap = m_fromReported;
    report.notes.push_back(m_overall->description());
    if (m_fromReported > 0)
        report.notes.push_back(QStringLiteral("%1 box-only proposal(s) scored from the intersection/union their "
                                              "evaluation script reported").arg(m_fromReported));
    if (report.reasoning.unrated > 0)
        report.notes.push_back(QStringLiteral("%1 sample(s) without a difficulty: PixelThink's default 3.0 (easy) "
                                              "sets their length budget").arg(report.reasoning.unrated));
    return report;
}

} // namespace rs
