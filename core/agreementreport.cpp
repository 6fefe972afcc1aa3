#include "core/agreementreport.h"

#include <QJsonArray>

#include <cmath>

namespace rs {

namespace {

QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

QJsonValue alphaOf(const std::optional<KrippendorffAlpha::Result> &result)
{
    if (!result)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject { { QStringLiteral("alpha"), number(result->alpha) },
                         { QStringLiteral("units"), result->pairableUnits },
                         { QStringLiteral("values"), result->pairableValues } };
}

QJsonArray matrix(const std::vector<std::vector<double>> &values)
{
    QJsonArray rows;
    for (const auto &row : values) {
        QJsonArray cells;
        for (double value : row)
            cells.append(number(value));
        rows.append(cells);
    }
    return rows;
}

} // namespace

QJsonObject AgreementReport::toJson() const
{
    QJsonArray people;
    for (const Annotator &a : perAnnotator) {
        QJsonArray drift;
        for (double value : a.drift)
            drift.append(number(value));
        people.append(QJsonObject { { QStringLiteral("name"), a.name },
                                    { QStringLiteral("answers"), double(a.answers) },
                                    { QStringLiteral("mean_iou_to_consensus"), number(a.meanIoUToConsensus) },
                                    { QStringLiteral("gold_items"), double(a.goldItems) },
                                    { QStringLiteral("gold_mask_iou"), number(a.goldMaskIoU) },
                                    { QStringLiteral("gold_difficulty_error"), number(a.goldDifficultyError) },
                                    { QStringLiteral("gold_step_agreement"), number(a.goldStepAgreement) },
                                    { QStringLiteral("hours"), number(a.hours) },
                                    { QStringLiteral("samples_per_hour"), number(a.samplesPerHour) },
                                    { QStringLiteral("drift_iou_to_consensus"), drift } });
    }
    QJsonObject fleiss;
    if (bucketsFleiss)
        fleiss = { { QStringLiteral("kappa"), number(bucketsFleiss->kappa) },
                   { QStringLiteral("subjects"), bucketsFleiss->subjects },
                   { QStringLiteral("raters"), bucketsFleiss->raters } };
    return { { QStringLiteral("annotators"), QJsonArray::fromStringList(annotators) },
             { QStringLiteral("overlap_samples"), double(overlapSamples) },
             { QStringLiteral("krippendorff_alpha_difficulty_ordinal"), alphaOf(difficultyOrdinal) },
             { QStringLiteral("krippendorff_alpha_steps_nominal"), alphaOf(stepsNominal) },
             { QStringLiteral("krippendorff_alpha_no_target_nominal"), alphaOf(noTargetNominal) },
             { QStringLiteral("fleiss_kappa_difficulty_buckets"), bucketsFleiss ? QJsonValue(fleiss) : QJsonValue() },
             { QStringLiteral("cohen_kappa_difficulty_buckets"), matrix(bucketKappa) },
             { QStringLiteral("cohen_kappa_steps"), matrix(stepKappa) },
             { QStringLiteral("mask_iou"), matrix(maskIoU) },
             { QStringLiteral("mean_pairwise_mask_iou"), number(meanPairwiseMaskIoU) },
             { QStringLiteral("mask_samples"), double(maskSamples) },
             { QStringLiteral("drift_block"), driftBlock },
             { QStringLiteral("per_annotator"), people } };
}

} // namespace rs
