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

Expected<bool> OverlapCalculator::refreshSample(qint64 sampleId)
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
    const bool both = !select.value(0).isNull() && !select.value(1).isNull();
    const qint64 proposalId = select.value(0).toLongLong();
    const qint64 annotationId = select.value(1).toLongLong();
    select.finish();
    std::optional<double> value;
    if (both) {
        auto proposed = TargetTable(m_db, TargetTable::Kind::Proposal).read(proposalId);
        if (!proposed)
            return Error{proposed.error()};
        auto annotated = TargetTable(m_db, TargetTable::Kind::Annotation).read(annotationId);
        if (!annotated)
            return Error{annotated.error()};
        value = iou(*proposed, *annotated);
    }
    if (!m_update)
        m_update = m_db.prepare(QStringLiteral("UPDATE sample SET proposal_iou = ? WHERE id = ?"));
    QSqlQuery &update = *m_update;
    update.addBindValue(value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Double)));
    update.addBindValue(sampleId);
    if (!update.exec())
        return m_db.error(update, doing);
    update.finish();
    return true;
}

} // namespace rs
