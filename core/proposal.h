#pragma once

#include "core/reasoningchain.h"
#include "core/rletarget.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

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

    bool operator==(const Proposal &) const = default;
};

} // namespace rs
