#pragma once

namespace rs {

// A whole-chain grade on a 1–5 rubric; 0 means "not graded" for that criterion.
struct RubricGrade
{
    int correctness = 0;  // does the reasoning reach the right targets for the right reasons
    int grounding = 0;    // does it refer to what is really in the image
    int conciseness = 0;  // 5 = no overthinking, 1 = much longer than the question needs

    static bool isValidScore(int score) { return score >= 0 && score <= 5; }
    bool isValid() const
    {
        return isValidScore(correctness) && isValidScore(grounding) && isValidScore(conciseness);
    }
    bool isComplete() const { return correctness > 0 && grounding > 0 && conciseness > 0; }
    bool operator==(const RubricGrade &) const = default;
};

} // namespace rs
