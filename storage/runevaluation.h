#pragma once

#include "core/evaluationreport.h"
#include "core/evaluator.h"
#include "core/expected.h"

#include <QString>

namespace rs {

class Database;
class Progress;

// `reasonseg eval` over a project: streams the samples a run proposed for (batches, id order, the
// order a benchmark script reads its files), computes each sample's overlap on RLE on a thread pool,
// feeds the protocol in order, and adds the step grades and rubric scores annotators gave the run.
class RunEvaluation
{
public:
    enum class Against { Targets, Annotations };

    struct Options
    {
        QString run;
        ProtocolScorer::Protocol protocol = ProtocolScorer::Protocol::Lisa;
        Evaluator::Breakdown breakdown = Evaluator::Breakdown::None;
        Against against = Against::Targets;   // imported targets, or annotated samples' latest annotation
        QString split;                        // empty: every split
        int threads = 2;
        Progress *progress = nullptr;
    };

    // Error when the run does not exist, nothing can be evaluated, a stored mask is malformed (named
    // by sample id), or the work was cancelled.
    static Expected<EvaluationReport> evaluate(Database &db, const Options &options);

    // The step grades and rubric scores given to the run's proposals in current annotations.
    static Expected<GradeSummary> grades(Database &db, qint64 runId);
};

} // namespace rs
