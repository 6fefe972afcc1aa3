#pragma once

#include "core/difficulty.h"
#include "core/rubricgrade.h"
#include "core/stepgrade.h"
#include "core/target.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace rs {

// An annotator's grade of one step of a proposal's chain, with the targets the step is about.
struct StepAnnotation
{
    qint64 proposalId = 0;       // 0: a step of the annotator's own reference chain
    int stepIndex = 0;
    StepGrade grade;
    QList<int> targetIndexes;    // indexes into Annotation::targets this step refers to

    bool operator==(const StepAnnotation &) const = default;
};

// An annotator's rubric grade of one proposal's whole chain.
struct ProposalGrade
{
    qint64 proposalId = 0;
    RubricGrade rubric;

    bool operator==(const ProposalGrade &) const = default;
};

// One version of the human annotation of a sample. Each save makes a new version; the fields marked
// "set by storage" are filled when a version is read back.
struct Annotation
{
    qint64 sampleId = 0;
    qint64 annotatorId = 0;           // who saved this version
    bool submitted = false;           // false: a draft (sample in_progress); true: sample submitted

    std::vector<Target> targets;      // masks at the image's own size
    bool noTarget = false;            // the query refers to nothing in the image (gRefCOCO [-1])
    QString referenceShort;           // reference reasoning chains (ReasonSeg-Diff short / long)
    QString referenceLong;
    std::vector<StepAnnotation> steps;
    std::vector<ProposalGrade> grades;
    std::optional<Difficulty> difficulty;
    QString comment;
    double secondsSpent = 0.0;        // time spent on this version

    int version = 0;                  // set by storage
    int basedOnVersion = 0;           // set by storage
    QDateTime savedAt;                // set by storage (UTC)
    std::optional<int> restoredFrom;  // set by storage: the version this one restored

    // Equality of what an annotator edits (ignores the fields set by storage).
    bool sameContent(const Annotation &other) const
    {
        return sampleId == other.sampleId && annotatorId == other.annotatorId && submitted == other.submitted
            && targets == other.targets && noTarget == other.noTarget && referenceShort == other.referenceShort
            && referenceLong == other.referenceLong && steps == other.steps && grades == other.grades
            && difficulty == other.difficulty && comment == other.comment && secondsSpent == other.secondsSpent;
    }
};

// One entry of a sample's annotation history.
struct AnnotationVersion
{
    int version = 0;
    int basedOnVersion = 0;
    qint64 annotatorId = 0;
    QString annotatorName;
    QDateTime savedAt;
    bool submitted = false;
    double secondsSpent = 0.0;
    std::optional<int> restoredFrom;
};

// What AnnotationRepository::save() did.
struct SaveResult
{
    enum class Outcome { Saved, Conflict };
    Outcome outcome = Outcome::Saved;
    int version = 0;          // Saved: the new version. Conflict: the version now stored.
    qint64 currentAnnotatorId = 0;  // Conflict: who saved the version now stored

    bool isConflict() const { return outcome == Outcome::Conflict; }
};

} // namespace rs
