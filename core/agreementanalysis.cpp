#include "core/agreementanalysis.h"

#include "core/difficulty.h"
#include "core/maskagreement.h"

#include <QMap>

#include <cmath>
#include <map>
#include <tuple>

namespace rs {

namespace {

const double kNaN = std::nan("");

using StepKey = std::tuple<qint64, qint64, int>;  // sample, proposal, step

struct Mean
{
    double sum = 0.0;
    qint64 n = 0;
    void add(double value) { sum += value, ++n; }
    double value() const { return n ? sum / double(n) : kNaN; }
};

std::map<StepKey, int> stepsOf(const RaterAnswer &answer)
{
    std::map<StepKey, int> steps;
    for (const RaterAnswer::Step &step : answer.steps)
        steps[{ answer.sampleId, step.proposalId, step.stepIndex }] = step.rating;
    return steps;
}

int bucketOf(double difficulty)
{
    return int(Difficulty::bucketOf(difficulty));
}

std::vector<std::vector<double>> square(int n)
{
    return std::vector<std::vector<double>>(std::size_t(n), std::vector<double>(std::size_t(n), kNaN));
}

} // namespace

AgreementReport AgreementAnalysis::compute(const std::vector<RaterAnswer> &answers, const std::vector<RaterAnswer> &gold,
                                           int driftBlock)
{
    AgreementReport report;
    report.driftBlock = driftBlock;
    // sample → annotator → answer (the later one wins).
    std::map<qint64, QMap<QString, RaterAnswer>> bySample;
    for (const RaterAnswer &answer : answers) {
        RaterAnswer &slot = bySample[answer.sampleId][answer.annotator];
        if (slot.annotator.isEmpty() || slot.savedAt <= answer.savedAt)
            slot = answer;
        if (!report.annotators.contains(answer.annotator))
            report.annotators << answer.annotator;
    }
    report.annotators.sort();
    const int n = int(report.annotators.size());
    const std::size_t count = std::size_t(n);
    auto indexOf = [&](const QString &name) { return int(report.annotators.indexOf(name)); };

    // Reliability data: one unit per overlap sample (difficulty, no-target) or step, one column per annotator.
    std::vector<std::vector<std::optional<double>>> difficultyUnits, noTargetUnits;
    std::map<StepKey, std::vector<std::optional<double>>> stepUnits;
    std::vector<std::vector<int>> bucketCounts;
    std::map<int, int> raterCountFrequency;
    std::vector<std::vector<Mean>> pairIoU(count, std::vector<Mean>(count));
    std::vector<Mean> toConsensus(count);
    std::vector<std::vector<std::pair<QDateTime, double>>> consensusTimeline(count);
    Mean allPairs;
    for (const auto &[sample, byAnnotator] : bySample) {
        if (byAnnotator.size() < 2)
            continue;
        ++report.overlapSamples;
        std::vector<std::optional<double>> difficulty(count), noTarget(count);
        std::vector<Rle> masks;
        std::vector<int> maskOwners;
        std::vector<int> buckets(3, 0);
        int rated = 0;
        for (const RaterAnswer &answer : byAnnotator) {
            const int a = indexOf(answer.annotator);
            difficulty[std::size_t(a)] = answer.difficulty;
            noTarget[std::size_t(a)] = answer.noTarget ? 1.0 : 0.0;
            if (answer.difficulty) {
                ++buckets[std::size_t(bucketOf(*answer.difficulty))];
                ++rated;
            }
            for (const auto &[key, rating] : stepsOf(answer)) {
                auto &unit = stepUnits[key];
                unit.resize(count);
                unit[std::size_t(a)] = rating;
            }
            if (answer.mask) {
                masks.push_back(*answer.mask);
                maskOwners.push_back(a);
            }
        }
        difficultyUnits.push_back(difficulty);
        noTargetUnits.push_back(noTarget);
        if (rated >= 2) {
            bucketCounts.push_back(buckets);
            ++raterCountFrequency[rated];
        }
        const Expected<MaskAgreement::Result> masked = masks.size() >= 2 ? MaskAgreement::compute(masks)
                                                                         : Expected<MaskAgreement::Result>(Error { {} });
        if (masked) {
            ++report.maskSamples;
            for (std::size_t i = 0; i < masks.size(); ++i) {
                const int a = maskOwners[i];
                toConsensus[std::size_t(a)].add(masked->toConsensus[i]);
                consensusTimeline[std::size_t(a)].push_back(
                    { byAnnotator.value(report.annotators[a]).savedAt, masked->toConsensus[i] });
                for (std::size_t j = i + 1; j < masks.size(); ++j) {
                    const double iou = masked->pairwise[i][j];
                    pairIoU[std::size_t(a)][std::size_t(maskOwners[j])].add(iou);
                    pairIoU[std::size_t(maskOwners[j])][std::size_t(a)].add(iou);
                    allPairs.add(iou);
                }
            }
        }
    }
    report.difficultyOrdinal = KrippendorffAlpha::compute(difficultyUnits, KrippendorffAlpha::Level::Ordinal);
    report.noTargetNominal = KrippendorffAlpha::compute(noTargetUnits, KrippendorffAlpha::Level::Nominal);
    std::vector<std::vector<std::optional<double>>> steps;
    for (const auto &[key, unit] : stepUnits)
        steps.push_back(unit);
    report.stepsNominal = KrippendorffAlpha::compute(steps, KrippendorffAlpha::Level::Nominal);
    // Fleiss' κ needs the same number of raters per subject: take the most common count.
    if (!raterCountFrequency.empty()) {
        const auto usual = std::max_element(raterCountFrequency.begin(), raterCountFrequency.end(),
                                            [](const auto &a, const auto &b) { return a.second < b.second; })->first;
        std::vector<std::vector<int>> rows;
        for (const std::vector<int> &row : bucketCounts) {
            if (row[0] + row[1] + row[2] == usual)
                rows.push_back(row);
        }
        report.bucketsFleiss = FleissKappa::compute(rows);
    }

    report.maskIoU = square(n);
    report.bucketKappa = square(n);
    report.stepKappa = square(n);
    for (int a = 0; a < n; ++a) {
        report.maskIoU[std::size_t(a)][std::size_t(a)] = 1.0;
        for (int b = a + 1; b < n; ++b) {
            std::vector<int> bucketsA, bucketsB, stepsA, stepsB;
            for (const auto &[sample, byAnnotator] : bySample) {
                const auto first = byAnnotator.find(report.annotators[a]);
                const auto second = byAnnotator.find(report.annotators[b]);
                if (first == byAnnotator.end() || second == byAnnotator.end())
                    continue;
                if (first->difficulty && second->difficulty) {
                    bucketsA.push_back(bucketOf(*first->difficulty));
                    bucketsB.push_back(bucketOf(*second->difficulty));
                }
                const auto ratingsB = stepsOf(*second);
                for (const auto &[key, rating] : stepsOf(*first)) {
                    const auto other = ratingsB.find(key);
                    if (other != ratingsB.end()) {
                        stepsA.push_back(rating);
                        stepsB.push_back(other->second);
                    }
                }
            }
            const auto kappa = CohenKappa::compute(bucketsA, bucketsB);
            const auto stepKappa = CohenKappa::compute(stepsA, stepsB);
            report.bucketKappa[std::size_t(a)][std::size_t(b)] = report.bucketKappa[std::size_t(b)][std::size_t(a)] =
                kappa ? kappa->kappa : kNaN;
            report.stepKappa[std::size_t(a)][std::size_t(b)] = report.stepKappa[std::size_t(b)][std::size_t(a)] =
                stepKappa ? stepKappa->kappa : kNaN;
            report.maskIoU[std::size_t(a)][std::size_t(b)] = report.maskIoU[std::size_t(b)][std::size_t(a)] =
                pairIoU[std::size_t(a)][std::size_t(b)].value();
        }
    }
    report.meanPairwiseMaskIoU = allPairs.value();

    // Gold items, throughput and drift, per annotator.
    std::map<qint64, RaterAnswer> goldBySample;
    for (const RaterAnswer &key : gold)
        goldBySample[key.sampleId] = key;
    for (int a = 0; a < n; ++a) {
        AgreementReport::Annotator line;
        line.name = report.annotators[a];
        Mean goldIoU, goldError, goldSteps;
        double seconds = 0.0;
        for (const auto &[sample, byAnnotator] : bySample) {
            const auto answer = byAnnotator.find(line.name);
            if (answer == byAnnotator.end())
                continue;
            ++line.answers;
            seconds += answer->secondsSpent;
            const auto key = goldBySample.find(sample);
            if (key == goldBySample.end())
                continue;
            ++line.goldItems;
            if (answer->mask && key->second.mask) {
                if (const Expected<double> iou = MaskAgreement::iou(*answer->mask, *key->second.mask))
                    goldIoU.add(*iou);
            }
            if (answer->difficulty && key->second.difficulty)
                goldError.add(std::abs(*answer->difficulty - *key->second.difficulty));
            const auto keySteps = stepsOf(key->second);
            for (const auto &[stepKey, rating] : stepsOf(*answer)) {
                const auto expected = keySteps.find(stepKey);
                if (expected != keySteps.end())
                    goldSteps.add(expected->second == rating ? 1.0 : 0.0);
            }
        }
        line.goldMaskIoU = goldIoU.value();
        line.goldDifficultyError = goldError.value();
        line.goldStepAgreement = goldSteps.value();
        line.meanIoUToConsensus = toConsensus[std::size_t(a)].value();
        line.hours = seconds / 3600.0;
        line.samplesPerHour = seconds > 0.0 ? double(line.answers) / line.hours : kNaN;
        auto timeline = consensusTimeline[std::size_t(a)];
        std::stable_sort(timeline.begin(), timeline.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
        for (std::size_t first = 0; first < timeline.size(); first += std::size_t(std::max(1, driftBlock))) {
            Mean block;
            for (std::size_t i = first; i < std::min(timeline.size(), first + std::size_t(std::max(1, driftBlock))); ++i)
                block.add(timeline[i].second);
            line.drift.push_back(block.value());
        }
        report.perAnnotator.push_back(line);
    }
    return report;
}

} // namespace rs
