#pragma once

#include <QString>

#include <optional>

namespace rs {

// What is wrong with a step rated −1.
enum class StepError {
    None,
    WrongObject,
    WrongAttribute,
    WrongRelation,
    WrongCount,
    HallucinatedEntity,
};

QString stepErrorName(StepError error);
std::optional<StepError> stepErrorFromName(const QString &name);

// A human grade of one reasoning step, following PRM800K's process-supervision convention
// (formats.md §11): −1 wrong, 0 correct but no progress, +1 correct and useful.
struct StepGrade
{
    int rating = 0;              // −1, 0 or +1
    bool flagged = false;        // "can't tell"
    StepError error = StepError::None;
    QString replacement;         // the annotator's own step, when they wrote one

    bool isValid() const { return rating >= -1 && rating <= 1 && (rating == -1 || error == StepError::None); }
    bool operator==(const StepGrade &) const = default;
};

} // namespace rs
