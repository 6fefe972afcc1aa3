#include "storage/runevaluation.h"

#include "core/datasetrecord.h"
#include "core/progress.h"
#include "storage/database.h"
#include "storage/datasetexportcursor.h"
#include "storage/runrepository.h"

#include <QSqlQuery>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>

namespace rs {

namespace {

constexpr int kBatch = 512;

bool hasTokenStatistics(const ReasoningChain &chain)
{
    const auto &tokens = chain.tokens();
    return std::any_of(tokens.begin(), tokens.end(), [](const ChainToken &token) { return token.id >= 0; });
}

Expected<EvaluationSample> sampleOf(const DatasetRecord &record)
{
    EvaluationSample sample;
    sample.sampleId = record.sample.id;
    sample.split = record.sample.split;
    sample.isSentence = record.sample.isSentence;
    if (record.difficulty)
        sample.difficulty = record.difficulty->score;
    sample.truthTargetCount = int(std::count_if(record.targets.begin(), record.targets.end(),
                                                [](const RleTarget &target) { return !target.ignore; }));
    sample.truthNoTarget = record.extras.noTarget || sample.truthTargetCount == 0;

    const Proposal &proposal = *record.proposal;
    Expected<SampleOverlap> overlap = SampleOverlap::compute(record.targets, proposal.targets, record.sample.image.size);
    if (!overlap)
        return Error { QStringLiteral("sample %1: %2").arg(record.sample.id).arg(overlap.error()) };
    sample.overlap = std::move(*overlap);
    sample.parseFailed = proposal.parseFailed;
    sample.predictedNoTarget = proposal.targets.empty() && !proposal.parseFailed;
    sample.reportedOverlap = proposal.reportedOverlap;
    sample.reportedBoxHit = proposal.reportedBoxHit;
    sample.tokens = proposal.chain.tokenCount();
    sample.words = proposal.chain.wordCount();
    sample.characters = int(proposal.chain.text().size());
    if (hasTokenStatistics(proposal.chain))
        sample.uncertainty = proposal.chain.sequenceUncertainty();
    return sample;
}

} // namespace

Expected<EvaluationReport> RunEvaluation::evaluate(Database &db, const Options &options)
{
    Expected<std::optional<qint64>> runId = RunRepository(db).findByName(options.run);
    if (!runId)
        return Error { runId.error() };
    if (!*runId)
        return Error { QStringLiteral("no model run named '%1' in the project").arg(options.run) };

    DatasetExportCursor::Filter filter;
    filter.run = options.run;
    filter.split = options.split;
    filter.truth = options.against == Against::Annotations ? DatasetExportCursor::Filter::Truth::Annotated
                                                           : DatasetExportCursor::Filter::Truth::Imported;
    auto cursor = DatasetExportCursor::open(db, filter);
    if (!cursor)
        return Error { cursor.error() };
    if ((*cursor)->count() == 0) {
        return Error { options.against == Against::Annotations
                           ? QStringLiteral("run '%1' has no proposal for an annotated sample%2")
                                 .arg(options.run, options.split.isEmpty() ? QString() : QStringLiteral(" in split '%1'").arg(options.split))
                           : QStringLiteral("run '%1' has no proposal%2")
                                 .arg(options.run, options.split.isEmpty() ? QString() : QStringLiteral(" in split '%1'").arg(options.split)) };
    }
    if (options.progress)
        options.progress->setTotal((*cursor)->count());

    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, options.threads));
    Evaluator evaluator(options.protocol, options.breakdown);
    std::vector<DatasetRecord> batch;
    batch.reserve(kBatch);
    bool more = true;
    while (more) {
        batch.clear();
        while (int(batch.size()) < kBatch) {
            Expected<std::optional<DatasetRecord>> record = (*cursor)->next();
            if (!record)
                return Error { record.error() };
            if (!*record) {
                more = false;
                break;
            }
            batch.push_back(std::move(**record));
        }
        if (options.progress && options.progress->isCancelled())
            return Error { QStringLiteral("evaluation cancelled") };
        const QList<Expected<EvaluationSample>> samples =
            QtConcurrent::blockingMapped<QList<Expected<EvaluationSample>>>(&pool, batch, sampleOf);
        for (const Expected<EvaluationSample> &sample : samples) {
            if (!sample)
                return Error { sample.error() };
            evaluator.add(*sample);
        }
        if (options.progress)
            options.progress->advance(qint64(batch.size()));
    }
    Expected<GradeSummary> graded = grades(db, **runId);
    if (!graded)
        return Error { graded.error() };
    if (graded->steps + graded->flagged + graded->rubricGrades > 0)
        evaluator.setGrades(*graded);
    return evaluator.report();
}

Expected<GradeSummary> RunEvaluation::grades(Database &db, qint64 runId)
{
    GradeSummary summary;
    QSqlQuery steps = db.prepare(QStringLiteral(
        "SELECT count(DISTINCT a.sample_id), coalesce(sum(CASE WHEN st.flagged = 0 THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(st.flagged), 0),"
        " coalesce(sum(CASE WHEN st.flagged = 0 AND st.rating >= 0 THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN st.flagged = 0 AND st.rating = 1 THEN 1 ELSE 0 END), 0)"
        " FROM annotation_step st JOIN annotation a ON a.id = st.annotation_id"
        " JOIN sample s ON s.id = a.sample_id AND s.annotation_version = a.version"
        " JOIN proposal p ON p.id = st.proposal_id WHERE p.run_id = ?"));
    steps.addBindValue(runId);
    if (!steps.exec() || !steps.next())
        return db.error(steps, QStringLiteral("reading the step grades of the run"));
    summary.gradedSamples = steps.value(0).toLongLong();
    summary.steps = steps.value(1).toLongLong();
    summary.flagged = steps.value(2).toLongLong();
    summary.correct = steps.value(3).toLongLong();
    summary.useful = steps.value(4).toLongLong();

    QSqlQuery rubric = db.prepare(QStringLiteral(
        "SELECT count(*), coalesce(avg(g.correctness), 0), coalesce(avg(g.grounding), 0), coalesce(avg(g.conciseness), 0)"
        " FROM annotation_grade g JOIN annotation a ON a.id = g.annotation_id"
        " JOIN sample s ON s.id = a.sample_id AND s.annotation_version = a.version"
        " JOIN proposal p ON p.id = g.proposal_id"
        " WHERE p.run_id = ? AND g.correctness > 0 AND g.grounding > 0 AND g.conciseness > 0"));
    rubric.addBindValue(runId);
    if (!rubric.exec() || !rubric.next())
        return db.error(rubric, QStringLiteral("reading the rubric grades of the run"));
    summary.rubricGrades = rubric.value(0).toLongLong();
    summary.meanCorrectness = rubric.value(1).toDouble();
    summary.meanGrounding = rubric.value(2).toDouble();
    summary.meanConciseness = rubric.value(3).toDouble();
    return summary;
}

} // namespace rs
