#pragma once

#include <QString>

namespace rs {

// The keys MetricBreakdown groups samples by, spelled as the benchmarks' reports name the groups.
struct BreakdownKeys
{
    // "easy" (< 3.5), "medium" (3.5 <= d < 5.0), "hard" (>= 5.0): PixelThink's thresholds (formats.md §2.4,
    // `seg_pixelthink.py` pixelthink_length_budget). NaN falls to "easy", as PixelThink's comparisons do.
    static QString difficulty(double score);
    // LISA's test split columns: "long" for is_sentence, else "short" (formats.md §1.5).
    static QString queryLength(bool isSentence);
    // "0", "1", "2", … target objects; with capAt > 0, counts of at least capAt share the key "<capAt>+".
    static QString targetCount(int count, int capAt = 0);
};

} // namespace rs
