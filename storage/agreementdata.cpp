#include "storage/agreementdata.h"

#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/goldrepository.h"
#include "storage/independentannotationrepository.h"

#include <QHash>

#include <set>

namespace rs {

namespace {

// A main-line annotation version as a rater's answer.
Expected<RaterAnswer> answerOf(const Annotation &annotation, const QString &annotator)
{
    RaterAnswer answer;
    answer.sampleId = annotation.sampleId;
    answer.annotator = annotator;
    answer.noTarget = annotation.noTarget;
    if (annotation.difficulty)
        answer.difficulty = annotation.difficulty->score;
    answer.savedAt = annotation.savedAt;
    answer.secondsSpent = annotation.secondsSpent;
    std::vector<Rle> masks;
    for (const Target &target : annotation.targets) {
        if (!target.ignore)
            masks.push_back(Rle::encode(target.mask));
    }
    if (!masks.empty()) {
        Expected<Rle> merged = Rle::merge(masks, false);
        if (!merged)
            return Error{QStringLiteral("sample %1: %2").arg(annotation.sampleId).arg(merged.error())};
        answer.mask = *merged;
    }
    for (const StepAnnotation &step : annotation.steps) {
        if (step.proposalId && !step.grade.flagged)
            answer.steps.push_back({step.proposalId, step.stepIndex, step.grade.rating});
    }
    return answer;
}

} // namespace

Expected<AgreementData::Answers> AgreementData::read(Database &db)
{
    Answers result;
    QHash<qint64, QString> names;
    AnnotatorRepository annotators(db);
    auto nameOf = [&](qint64 id) -> Expected<QString> {
        if (!names.contains(id)) {
            auto name = annotators.name(id);
            if (!name)
                return name;
            names.insert(id, *name);
        }
        return names.value(id);
    };

    auto independent = IndependentAnnotationRepository(db).all();
    if (!independent)
        return Error{independent.error()};
    std::set<qint64> overlapSamples;
    for (const IndependentAnnotation &a : *independent) {
        auto name = nameOf(a.annotatorId);
        if (!name)
            return Error{name.error()};
        RaterAnswer answer;
        answer.sampleId = a.sampleId;
        answer.annotator = *name;
        if (a.mask.height() > 0 && a.mask.width() > 0)
            answer.mask = a.mask;
        answer.noTarget = a.noTarget;
        answer.difficulty = a.difficulty;
        for (const auto &step : a.steps)
            answer.steps.push_back({step.proposalId, step.stepIndex, step.rating});
        answer.savedAt = a.savedAt;
        answer.secondsSpent = a.secondsSpent;
        result.answers.push_back(std::move(answer));
        overlapSamples.insert(a.sampleId);
    }

    AnnotationRepository annotations(db);
    for (qint64 sample : overlapSamples) {
        auto current = annotations.current(sample);
        if (!current)
            return Error{current.error()};
        if (!*current)
            continue;
        auto name = nameOf((*current)->annotatorId);
        if (!name)
            return Error{name.error()};
        auto answer = answerOf(**current, *name);
        if (!answer)
            return Error{answer.error()};
        result.answers.push_back(std::move(*answer));
    }

    auto gold = GoldRepository(db).all();
    if (!gold)
        return Error{gold.error()};
    for (const GoldItem &item : *gold) {
        auto key = annotations.at(item.sampleId, item.annotationVersion);
        if (!key)
            return Error{key.error()};
        auto answer = answerOf(*key, QStringLiteral("gold"));
        if (!answer)
            return Error{answer.error()};
        result.gold.push_back(std::move(*answer));
    }
    return result;
}

} // namespace rs
