#pragma once

#include "core/overlapcounts.h"
#include "core/reasoningchain.h"
#include "core/rletarget.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace rs {

// One run of one model over (part of) the project.
struct ModelRun
{
    qint64 id = 0;            // set by storage
    QString name;             // unique in the project ("shapes-v1 greedy 2026-11-23")
    QString model;
    QString version;
    QString packageHash;
    QString promptHash;
    QJsonObject parameters;   // decoding parameters (temperature, top-p, budget, ...)
    QString device;           // "cuda:0", "cpu"
    QDateTime createdAt;      // set by storage

    bool operator==(const ModelRun &) const = default;
};

// Time spent producing a proposal, in milliseconds unless named otherwise.
struct ProposalTimings
{
    double preprocessMs = 0.0;
    double firstTokenMs = 0.0;
    double decodeMs = 0.0;
    double maskMs = 0.0;
    double tokensPerSecond = 0.0;

    bool operator==(const ProposalTimings &) const = default;
};

// What one model run proposed for one sample: the chain with per-token statistics and the targets.
struct Proposal
{
    qint64 id = 0;            // set by storage
    qint64 runId = 0;
    qint64 sampleId = 0;
    ReasoningChain chain;
    QString rawResponse;      // the model's whole output, when it differs from the chain
    bool parseFailed = false;
    std::vector<RleTarget> targets;
    ProposalTimings timings;
    // What the model's own evaluation reported when its masks were not kept (Seg-Zero/VisionReasoner
    // output_*.json, formats.md §3.4): |P ∧ G| and |P ∨ G|, and VisionReasoner's bbox_iou (a predicted
    // box had IoU > 0.5 with the ground-truth box). Unset otherwise.
    std::optional<OverlapCounts> reportedOverlap;
    std::optional<bool> reportedBoxHit;

    bool operator==(const Proposal &) const = default;
};

} // namespace rs
