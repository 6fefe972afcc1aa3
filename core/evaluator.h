#pragma once

#include "core/evaluationreport.h"
#include "core/evaluationsample.h"
#include "core/protocolscorer.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace rs {

// Scores one model run: one benchmark protocol over all samples and per breakdown key, plus the
// reasoning-length statistics (PixelThink's budget and length score, our efficiency figures) and
// every sample's own line. Samples go in the order the benchmark's script would read them.
class Evaluator
{
public:
    enum class Breakdown { None, Difficulty, QueryLength, Targets, Split };

    static std::optional<Breakdown> breakdownFromName(const QString &name);  // "", difficulty, is_sentence, ...
    static QString breakdownName(Breakdown breakdown);

    explicit Evaluator(ProtocolScorer::Protocol protocol, Breakdown breakdown = Breakdown::None);

    void add(const EvaluationSample &sample);
    void setGrades(const GradeSummary &grades) { m_grades = grades; }
    qint64 sampleCount() const { return qint64(m_samples.size()); }

    EvaluationReport report() const;

    // The breakdown key of a sample ("unrated" when it has no difficulty).
    static QString keyOf(const EvaluationSample &sample, Breakdown breakdown);

private:
    ReasoningSummary reasoningSummary() const;

    Breakdown m_breakdown;
    std::unique_ptr<ProtocolScorer> m_overall;
    std::map<QString, std::unique_ptr<ProtocolScorer>> m_byKey;
    std::vector<SampleScore> m_samples;
    std::vector<int> m_characters;
    qint64 m_fromReported = 0;
    std::optional<GradeSummary> m_grades;
};

} // namespace rs
