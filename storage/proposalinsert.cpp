#include "storage/proposalinsert.h"

#include "storage/chaincodec.h"
#include "storage/database.h"
#include "storage/sqltext.h"
#include "storage/targettable.h"

#include <QDateTime>

namespace rs {

namespace {

// Whitespace-separated words, as ReasoningChain::wordCount() (PixelThink's len(response.split())),
// without building a regular expression per proposal.
int wordCount(const QString &text)
{
    int words = 0;
    bool inWord = false;
    for (QChar c : text) {
        const bool space = c.isSpace();
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return words;
}

} // namespace

ProposalInsert::ProposalInsert(Database &db)
    : m_db(db),
      m_existing(db.prepare(QStringLiteral("SELECT id FROM proposal WHERE run_id = ? AND sample_id = ?"))),
      m_insert(db.prepare(QStringLiteral(
          "INSERT INTO proposal (run_id, sample_id, chain_text, raw_response, tokens, token_count, word_count,"
          " char_count, uncertainty, mean_entropy, parse_failed, preprocess_ms, first_token_ms, decode_ms, mask_ms,"
          " tokens_per_s, reported_intersection, reported_union, reported_box_hit, created_at)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"))),
      m_update(db.prepare(QStringLiteral(
          "UPDATE sample SET latest_proposal_id = ?, uncertainty = ?, chain_length = ?, updated_at = ? WHERE id = ?"))),
      m_overlap(db),
      m_targets(db, TargetTable::Kind::Proposal)
{
}

Expected<qint64> ProposalInsert::add(const Proposal &proposal)
{
    const QString doing =
        QStringLiteral("adding the proposal of run %1 for sample %2").arg(proposal.runId).arg(proposal.sampleId);
    // Proposals are never replaced: annotation versions may grade them.
    QSqlQuery &existing = m_existing;
    existing.addBindValue(proposal.runId);
    existing.addBindValue(proposal.sampleId);
    if (!existing.exec())
        return m_db.error(existing, doing);
    const bool exists = existing.next();
    const qint64 existingId = exists ? existing.value(0).toLongLong() : 0;
    existing.finish();
    if (exists)
        return Error{QStringLiteral("%1: the run already has proposal %2 for this sample")
                         .arg(doing)
                         .arg(existingId)};
    const ReasoningChain &chain = proposal.chain;
    QSqlQuery &insert = m_insert;
    insert.addBindValue(proposal.runId);
    insert.addBindValue(proposal.sampleId);
    insert.addBindValue(sqlText(chain.text()));
    insert.addBindValue(sqlText(proposal.rawResponse));
    insert.addBindValue(ChainCodec::encode(chain));
    insert.addBindValue(chain.tokenCount());
    insert.addBindValue(wordCount(chain.text()));
    insert.addBindValue(int(chain.text().size()));
    const double uncertainty = chain.sequenceUncertainty();
    insert.addBindValue(uncertainty);
    insert.addBindValue(chain.meanEntropy());
    insert.addBindValue(proposal.parseFailed ? 1 : 0);
    insert.addBindValue(proposal.timings.preprocessMs);
    insert.addBindValue(proposal.timings.firstTokenMs);
    insert.addBindValue(proposal.timings.decodeMs);
    insert.addBindValue(proposal.timings.maskMs);
    insert.addBindValue(proposal.timings.tokensPerSecond);
    const QVariant noNumber(QMetaType(QMetaType::LongLong));
    insert.addBindValue(proposal.reportedOverlap ? QVariant(qint64(proposal.reportedOverlap->intersection)) : noNumber);
    insert.addBindValue(proposal.reportedOverlap ? QVariant(qint64(proposal.reportedOverlap->unionArea)) : noNumber);
    insert.addBindValue(proposal.reportedBoxHit ? QVariant(*proposal.reportedBoxHit ? 1 : 0) : QVariant(QMetaType(QMetaType::Int)));
    insert.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!insert.exec() || !insert.next())
        return m_db.error(insert, doing);
    const qint64 id = insert.value(0).toLongLong();
    insert.finish();
    auto targets = m_targets.insert(id, proposal.targets);
    if (!targets)
        return Error{targets.error()};
    QSqlQuery &update = m_update;
    update.addBindValue(id);
    update.addBindValue(uncertainty);
    update.addBindValue(chain.tokenCount());
    update.addBindValue(QDateTime::currentMSecsSinceEpoch());
    update.addBindValue(proposal.sampleId);
    if (!update.exec())
        return m_db.error(update, doing);
    const int updated = update.numRowsAffected();
    update.finish();
    if (updated != 1)
        return Error{QStringLiteral("%1: no such sample").arg(doing)};
    auto iou = m_overlap.refreshSample(proposal.sampleId, id);
    if (!iou)
        return Error{iou.error()};
    return id;
}

} // namespace rs
