#include "core/evaluationjson.h"

#include <QJsonArray>

#include <cmath>

namespace rs {

namespace {

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? number(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject groupObject(const EvaluationGroup &group)
{
    return { { QStringLiteral("samples"), double(group.samples) },
             { QStringLiteral("metrics"), EvaluationJson::metricsObject(group.metrics) } };
}

QJsonObject reasoningObject(const ReasoningSummary &summary)
{
    QJsonArray buckets;
    for (const ReasoningSummary::Bucket &bucket : summary.buckets) {
        buckets.append(QJsonObject { { QStringLiteral("bucket"), bucket.name },
                                     { QStringLiteral("samples"), double(bucket.samples) },
                                     { QStringLiteral("mean_tokens"), number(bucket.meanTokens) },
                                     { QStringLiteral("mean_words"), number(bucket.meanWords) },
                                     { QStringLiteral("mean_iou"), number(bucket.meanIoU) },
                                     { QStringLiteral("overthinking"), double(bucket.overthinking) } });
    }
    return { { QStringLiteral("samples"), double(summary.samples) },
             { QStringLiteral("samples_with_token_stats"), double(summary.samplesWithTokenStats) },
             { QStringLiteral("mean_tokens"), number(summary.meanTokens) },
             { QStringLiteral("mean_words"), number(summary.meanWords) },
             { QStringLiteral("mean_characters"), number(summary.meanCharacters) },
             { QStringLiteral("mean_uncertainty_pixelthink"), number(summary.meanUncertainty) },
             { QStringLiteral("budgeted"), double(summary.budgeted) },
             { QStringLiteral("overthinking_ours"), double(summary.overthinking) },
             { QStringLiteral("overthinking_share_ours"),
               number(summary.budgeted ? double(summary.overthinking) / double(summary.budgeted) : 0.0) },
             { QStringLiteral("mean_length_score_pixelthink"), number(summary.meanLengthScore) },
             { QStringLiteral("iou_per_100_tokens_ours"), number(summary.iouPerHundredTokens) },
             { QStringLiteral("unrated"), double(summary.unrated) },
             { QStringLiteral("by_difficulty"), buckets } };
}

QJsonObject gradeObject(const GradeSummary &grades)
{
    const double steps = double(grades.steps);
    return { { QStringLiteral("graded_samples"), double(grades.gradedSamples) },
             { QStringLiteral("steps"), steps },
             { QStringLiteral("flagged"), double(grades.flagged) },
             { QStringLiteral("step_accuracy_ours"), number(steps > 0 ? double(grades.correct) / steps : NAN) },
             { QStringLiteral("useful_step_share_ours"), number(steps > 0 ? double(grades.useful) / steps : NAN) },
             { QStringLiteral("rubric_grades"), double(grades.rubricGrades) },
             { QStringLiteral("mean_correctness"), number(grades.meanCorrectness) },
             { QStringLiteral("mean_grounding"), number(grades.meanGrounding) },
             { QStringLiteral("mean_conciseness"), number(grades.meanConciseness) } };
}

} // namespace

QString EvaluationJson::unitName(MetricUnit unit)
{
    switch (unit) {
    case MetricUnit::Fraction: return QStringLiteral("fraction");
    case MetricUnit::Percent: return QStringLiteral("percent");
    case MetricUnit::Count: return QStringLiteral("count");
    }
    return QString();
}

QJsonObject EvaluationJson::metricsObject(const std::vector<MetricValue> &metrics)
{
    QJsonObject object;
    for (const MetricValue &metric : metrics)
        object.insert(metric.name, number(metric.value));
    return object;
}

QJsonObject EvaluationJson::toJson(const EvaluationReport &report, bool withSamples)
{
    QJsonObject units;
    for (const MetricValue &metric : report.overall.metrics)
        units.insert(metric.name, unitName(metric.unit));
    QJsonObject groups;
    for (const EvaluationGroup &group : report.groups)
        groups.insert(group.key, groupObject(group));
    QJsonArray notes;
    for (const QString &note : report.notes)
        notes.append(note);
    QJsonObject json { { QStringLiteral("protocol"), report.protocol },
                       { QStringLiteral("overall"), groupObject(report.overall) },
                       { QStringLiteral("units"), units },
                       { QStringLiteral("reasoning"), reasoningObject(report.reasoning) },
                       { QStringLiteral("scored_from_reported_overlap"), double(report.scoredFromReportedOverlap) },
                       { QStringLiteral("notes"), notes } };
    if (!report.breakdown.isEmpty()) {
        json.insert(QStringLiteral("by"), report.breakdown);
        json.insert(QStringLiteral("groups"), groups);
    }
    if (report.grades)
        json.insert(QStringLiteral("grades"), gradeObject(*report.grades));
    if (withSamples) {
        QJsonArray samples;
        for (const SampleScore &sample : report.samples) {
            samples.append(QJsonObject { { QStringLiteral("sample_id"), double(sample.sampleId) },
                                         { QStringLiteral("iou"), number(sample.iou) },
                                         { QStringLiteral("tokens"), sample.tokens },
                                         { QStringLiteral("words"), sample.words },
                                         { QStringLiteral("difficulty"), optionalNumber(sample.difficulty) },
                                         { QStringLiteral("uncertainty"), optionalNumber(sample.uncertainty) },
                                         { QStringLiteral("budget"), optionalNumber(sample.budget) },
                                         { QStringLiteral("overthinking"), sample.overthinking } });
        }
        json.insert(QStringLiteral("samples"), samples);
    }
    return json;
}

} // namespace rs
