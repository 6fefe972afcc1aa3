#pragma once

#include "core/annotation.h"

#include <QString>

#include <optional>

namespace rs {

// A save that found a newer version than the one the edits were based on: both versions, so the
// annotator can compare them before choosing. Nothing of `mine` is written until they choose.
struct SaveConflict
{
    qint64 sampleId = 0;
    Annotation mine;                  // what this session tried to save
    int mineBasedOn = 0;              // the version the edits were made on
    std::optional<Annotation> theirs; // the version now stored
    int theirVersion = 0;
    QString theirAnnotator;
    bool submit = false;              // the save was a submit (advance after resolving)
};

} // namespace rs
