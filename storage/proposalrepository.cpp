#include "storage/proposalrepository.h"

#include "storage/chaincodec.h"
#include "storage/database.h"
#include "storage/sqltext.h"
#include "storage/proposalinsert.h"
#include "storage/targettable.h"
#include "storage/transaction.h"

#include <QDateTime>
#include <QSqlQuery>

namespace rs {

Expected<qint64> ProposalRepository::add(const Proposal &proposal)
{
    const QString doing =
        QStringLiteral("adding the proposal of run %1 for sample %2").arg(proposal.runId).arg(proposal.sampleId);
    Transaction transaction(m_db, doing);
    if (!transaction.isActive())
        return transaction.failure();
    auto id = ProposalInsert(m_db).add(proposal);
    if (!id)
        return id;
    auto committed = transaction.commit();
    if (!committed)
        return Error{committed.error()};
    return id;
}

namespace {

const QString kSelect = QStringLiteral(
    "SELECT id, run_id, sample_id, chain_text, raw_response, tokens, parse_failed, preprocess_ms, first_token_ms,"
    " decode_ms, mask_ms, tokens_per_s, reported_intersection, reported_union, reported_box_hit FROM proposal");

} // namespace

// The proposal rows the query selects, without their targets.
static Expected<std::vector<Proposal>> readRows(Database &db, QSqlQuery &query, const QString &doing)
{
    if (!query.exec())
        return db.error(query, doing);
    std::vector<Proposal> proposals;
    while (query.next()) {
        Proposal p;
        p.id = query.value(0).toLongLong();
        p.runId = query.value(1).toLongLong();
        p.sampleId = query.value(2).toLongLong();
        auto chain = ChainCodec::decode(query.value(5).toByteArray(), query.value(3).toString());
        if (!chain)
            return Error{QStringLiteral("%1: proposal %2: %3").arg(doing).arg(p.id).arg(chain.error())};
        p.chain = *chain;
        p.rawResponse = query.value(4).toString();
        p.parseFailed = query.value(6).toInt() != 0;
        p.timings = ProposalTimings{query.value(7).toDouble(), query.value(8).toDouble(), query.value(9).toDouble(),
                                    query.value(10).toDouble(), query.value(11).toDouble()};
        if (!query.value(12).isNull() && !query.value(13).isNull()) {
            OverlapCounts reported;
            reported.intersection = query.value(12).toLongLong();
            reported.unionArea = query.value(13).toLongLong();
            p.reportedOverlap = reported;
        }
        if (!query.value(14).isNull())
            p.reportedBoxHit = query.value(14).toInt() != 0;
        proposals.push_back(std::move(p));
    }
    return proposals;
}

static Expected<std::vector<Proposal>> readProposals(Database &db, QSqlQuery &query, const QString &doing)
{
    auto proposals = readRows(db, query, doing);
    if (!proposals)
        return proposals;
    for (Proposal &p : *proposals) {
        auto targets = TargetTable(db, TargetTable::Kind::Proposal).read(p.id);
        if (!targets)
            return Error{targets.error()};
        p.targets = *targets;
    }
    return proposals;
}

Expected<Proposal> ProposalRepository::get(qint64 id) const
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(" WHERE id = ?"));
    query.addBindValue(id);
    auto proposals = readProposals(m_db, query, QStringLiteral("reading proposal %1").arg(id));
    if (!proposals)
        return Error{proposals.error()};
    if (proposals->empty())
        return Error{QStringLiteral("no proposal %1 in the project").arg(id)};
    return proposals->front();
}

Expected<std::vector<Proposal>> ProposalRepository::forSample(qint64 sampleId) const
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(" WHERE sample_id = ? ORDER BY id"));
    query.addBindValue(sampleId);
    return readProposals(m_db, query, QStringLiteral("reading the proposals of sample %1").arg(sampleId));
}

Expected<std::map<qint64, Proposal>> ProposalRepository::forRun(qint64 runId, qint64 firstSampleId,
                                                               qint64 lastSampleId) const
{
    const QString doing = QStringLiteral("reading the proposals of run %1 for samples %2-%3")
                              .arg(runId).arg(firstSampleId).arg(lastSampleId);
    const QString range = QStringLiteral(" WHERE run_id = ? AND sample_id BETWEEN ? AND ?");
    QSqlQuery query = m_db.prepare(kSelect + range);
    const QVariantList values{runId, firstSampleId, lastSampleId};
    for (const QVariant &value : values)
        query.addBindValue(value);
    query.setForwardOnly(true);
    auto rows = readRows(m_db, query, doing);
    if (!rows)
        return Error{rows.error()};
    auto targets = TargetTable(m_db, TargetTable::Kind::Proposal)
                       .readOwnersIn(QStringLiteral("SELECT id FROM proposal") + range, values);
    if (!targets)
        return Error{targets.error()};
    std::map<qint64, Proposal> bySample;
    for (Proposal &p : *rows) {
        const auto found = targets->find(p.id);
        if (found != targets->end())
            p.targets = std::move(found->second);
        bySample.emplace(p.sampleId, std::move(p));
    }
    return bySample;
}

Expected<std::optional<Proposal>> ProposalRepository::latest(qint64 sampleId) const
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(
                                                 " WHERE id = (SELECT latest_proposal_id FROM sample WHERE id = ?)"));
    query.addBindValue(sampleId);
    auto proposals = readProposals(m_db, query, QStringLiteral("reading the latest proposal of sample %1").arg(sampleId));
    if (!proposals)
        return Error{proposals.error()};
    if (proposals->empty())
        return std::optional<Proposal>();
    return std::optional<Proposal>(proposals->front());
}

} // namespace rs
