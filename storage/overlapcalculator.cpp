#include "storage/overlapcalculator.h"

#include "storage/database.h"
#include "storage/targettable.h"

#include <QSqlQuery>

namespace rs {

namespace {

std::optional<Rle> unionOf(const std::vector<RleTarget> &targets)
{
    std::vector<Rle> rles;
    for (const RleTarget &t : targets) {
        if (t.ignore || !t.hasMask())  // box-only proposal targets have no pixels
            continue;
        auto rle = t.rle();
        if (!rle)
            return std::nullopt;
        rles.push_back(*rle);
    }
    if (rles.empty())
        return Rle();
    if (rles.size() == 1)
        return rles.front();
    auto merged = Rle::merge(rles, false);
    if (!merged)
        return std::nullopt;
    return *merged;
}

} // namespace

std::optional<double> OverlapCalculator::iou(const std::vector<RleTarget> &a, const std::vector<RleTarget> &b)
{
    const auto ua = unionOf(a);
    const auto ub = unionOf(b);
    if (!ua || !ub)
        return std::nullopt;
    const bool emptyA = ua->area() == 0;
    const bool emptyB = ub->area() == 0;
    if (emptyA && emptyB)
        return 1.0;
    if (emptyA || emptyB)
        return 0.0;
    auto overlap = Rle::overlap(*ua, *ub);
    if (!overlap || overlap->unionArea == 0)
        return std::nullopt;
    return double(overlap->intersection) / double(overlap->unionArea);
}

Expected<bool> OverlapCalculator::refreshSample(qint64 sampleId, qint64 proposalId)
{
    const QString doing = QStringLiteral("updating the proposal IoU of sample %1").arg(sampleId);
    if (!m_select)
        m_select = m_db.prepare(QStringLiteral(
            "SELECT s.latest_proposal_id, a.id FROM sample s"
            " LEFT JOIN annotation a ON a.sample_id = s.id AND a.version = s.annotation_version"
            " WHERE s.id = ?"));
    QSqlQuery &select = *m_select;
    select.addBindValue(sampleId);
    if (!select.exec())
        return m_db.error(select, doing);
    if (!select.next())
        return Error{QStringLiteral("%1: no such sample").arg(doing)};
    const bool hasLatest = !select.value(0).isNull();
    const bool annotated = !select.value(1).isNull();
    const qint64 latestId = select.value(0).toLongLong();
    const qint64 annotationId = select.value(1).toLongLong();
    select.finish();

    auto truth = annotated ? TargetTable(m_db, TargetTable::Kind::Annotation).read(annotationId)
                           : TargetTable(m_db, TargetTable::Kind::Sample).read(sampleId);
    if (!truth)
        return Error{truth.error()};
    std::vector<qint64> proposals;
    if (proposalId != 0) {
        proposals.push_back(proposalId);
    } else {
        if (!m_proposals)
            m_proposals = m_db.prepare(QStringLiteral("SELECT id FROM proposal WHERE sample_id = ?"));
        QSqlQuery &list = *m_proposals;
        list.addBindValue(sampleId);
        if (!list.exec())
            return m_db.error(list, doing);
        while (list.next())
            proposals.push_back(list.value(0).toLongLong());
        list.finish();
    }
    if (!m_updateProposal)
        m_updateProposal = m_db.prepare(QStringLiteral("UPDATE proposal SET truth_iou = ? WHERE id = ?"));
    const QVariant noValue(QMetaType(QMetaType::Double));
    std::optional<double> latestIou;
    for (const qint64 id : proposals) {
        auto proposed = TargetTable(m_db, TargetTable::Kind::Proposal).read(id);
        if (!proposed)
            return Error{proposed.error()};
        const std::optional<double> value = iou(*proposed, *truth);
        if (id == latestId)
            latestIou = value;
        QSqlQuery &update = *m_updateProposal;
        update.addBindValue(value ? QVariant(*value) : noValue);
        update.addBindValue(id);
        if (!update.exec())
            return m_db.error(update, doing);
        update.finish();
    }

    std::optional<double> value;
    if (hasLatest && annotated) {
        if (proposalId == 0 || proposalId == latestId) {
            value = latestIou;
        } else {
            auto proposed = TargetTable(m_db, TargetTable::Kind::Proposal).read(latestId);
            if (!proposed)
                return Error{proposed.error()};
            value = iou(*proposed, *truth);
        }
    }
    if (!m_update)
        m_update = m_db.prepare(QStringLiteral("UPDATE sample SET proposal_iou = ? WHERE id = ?"));
    QSqlQuery &update = *m_update;
    update.addBindValue(value ? QVariant(*value) : noValue);
    update.addBindValue(sampleId);
    if (!update.exec())
        return m_db.error(update, doing);
    update.finish();
    return true;
}

} // namespace rs
