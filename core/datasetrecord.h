#pragma once

#include "core/difficulty.h"
#include "core/proposal.h"
#include "core/rletarget.h"
#include "core/sample.h"
#include "core/sampleextras.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs {

// One sample as a dataset file holds it: what a format's reader produces and its writer consumes.
//
// Import: sample.image.relativePath is left empty and imageFile names the image on disk (the
// project decides the path relative to its image root); image.size is filled when the format
// knows it (from the file's header or the dataset's height/width). Export: imageFile is the image's
// absolute path in the project's image root, and targets are the current truth (the latest
// annotation when there is one, else the imported targets).
struct DatasetRecord
{
    Sample sample;
    SampleExtras extras;
    QString imageFile;
    std::vector<RleTarget> targets;
    bool targetsAnnotated = false;         // export: targets come from an annotation, not the import
    std::optional<Difficulty> difficulty;  // ReasonSeg-Diff score, or the annotated one
    QString referenceShort;                // reference reasoning chains (ReasonSeg-Diff)
    QString referenceLong;
    std::optional<Proposal> proposal;      // the predictions format: a model's output for the sample
};

} // namespace rs
