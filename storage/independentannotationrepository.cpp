#include "storage/independentannotationrepository.h"

#include "core/maskagreement.h"
#include "storage/assignmentrepository.h"
#include "storage/database.h"
#include "storage/sqltext.h"
#include "storage/transaction.h"

#include <QSqlQuery>
#include <QStringList>

namespace rs {

namespace {

// "proposal:step:rating;…"
QString ratingsToText(const std::vector<IndependentAnnotation::StepRating> &steps)
{
    QStringList parts;
    for (const auto &step : steps)
        parts << QStringLiteral("%1:%2:%3").arg(step.proposalId).arg(step.stepIndex).arg(step.rating);
    return parts.join(QLatin1Char(';'));
}

std::vector<IndependentAnnotation::StepRating> ratingsFromText(const QString &text)
{
    std::vector<IndependentAnnotation::StepRating> steps;
    for (const QString &part : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QStringList fields = part.split(QLatin1Char(':'));
        if (fields.size() == 3)
            steps.push_back({ fields[0].toLongLong(), fields[1].toInt(), fields[2].toInt() });
    }
    return steps;
}

const QString kSelect = QStringLiteral(
    "SELECT sample_id, annotator_id, version, saved_at, no_target, difficulty, seconds_spent, mask_rle, mask_height,"
    " mask_width, step_ratings FROM independent_annotation");

Expected<std::vector<IndependentAnnotation>> readRows(Database &db, QSqlQuery &query, const QString &doing)
{
    query.setForwardOnly(true);
    if (!query.exec())
        return db.error(query, doing);
    std::vector<IndependentAnnotation> rows;
    while (query.next()) {
        IndependentAnnotation a;
        a.sampleId = query.value(0).toLongLong();
        a.annotatorId = query.value(1).toLongLong();
        a.version = query.value(2).toInt();
        a.savedAt = QDateTime::fromMSecsSinceEpoch(query.value(3).toLongLong(), Qt::UTC);
        a.noTarget = query.value(4).toInt() != 0;
        if (!query.value(5).isNull())
            a.difficulty = query.value(5).toDouble();
        a.secondsSpent = query.value(6).toDouble();
        auto mask = Rle::fromString(query.value(7).toString().toLatin1(), query.value(8).toInt(), query.value(9).toInt());
        if (!mask)
            return Error{QStringLiteral("%1: the mask of sample %2 by annotator %3: %4")
                             .arg(doing).arg(a.sampleId).arg(a.annotatorId).arg(mask.error())};
        a.mask = *mask;
        a.steps = ratingsFromText(query.value(10).toString());
        rows.push_back(std::move(a));
    }
    return rows;
}

} // namespace

Expected<int> IndependentAnnotationRepository::save(const IndependentAnnotation &annotation, int basedOnVersion)
{
    const QString doing = QStringLiteral("saving the independent annotation of sample %1 by annotator %2")
                              .arg(annotation.sampleId).arg(annotation.annotatorId);
    if (annotation.difficulty && !(*annotation.difficulty >= 1.0 && *annotation.difficulty <= 10.0))
        return Error{QStringLiteral("%1: difficulty %2 is outside 1–10").arg(doing).arg(*annotation.difficulty)};
    for (const auto &step : annotation.steps) {
        if (step.rating < -1 || step.rating > 1)
            return Error{QStringLiteral("%1: step %2 has rating %3 (must be -1, 0 or 1)").arg(doing).arg(step.stepIndex).arg(step.rating)};
    }
    Transaction transaction(m_db, doing);
    if (!transaction.isActive())
        return transaction.failure();
    auto assigned = AssignmentRepository(m_db).isAssigned(annotation.sampleId, annotation.annotatorId,
                                                          AssignmentRepository::Kind::Overlap);
    if (!assigned)
        return Error{assigned.error()};
    if (!*assigned)
        return Error{QStringLiteral("%1: the annotator has no overlap assignment for this sample").arg(doing)};
    auto current = get(annotation.sampleId, annotation.annotatorId);
    if (!current)
        return Error{current.error()};
    const int stored = *current ? (*current)->version : 0;
    if (stored != basedOnVersion)
        return Error{QStringLiteral("%1: conflict, version %2 was saved since version %3").arg(doing).arg(stored).arg(basedOnVersion)};

    QSqlQuery write = m_db.prepare(stored == 0
        ? QStringLiteral("INSERT INTO independent_annotation (version, saved_at, no_target, difficulty, seconds_spent,"
                         " mask_rle, mask_height, mask_width, step_ratings, sample_id, annotator_id)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        : QStringLiteral("UPDATE independent_annotation SET version = ?, saved_at = ?, no_target = ?, difficulty = ?,"
                         " seconds_spent = ?, mask_rle = ?, mask_height = ?, mask_width = ?, step_ratings = ?"
                         " WHERE sample_id = ? AND annotator_id = ?"));
    write.addBindValue(stored + 1);
    write.addBindValue(QDateTime::currentMSecsSinceEpoch());
    write.addBindValue(annotation.noTarget ? 1 : 0);
    write.addBindValue(annotation.difficulty ? QVariant(*annotation.difficulty) : QVariant(QMetaType(QMetaType::Double)));
    write.addBindValue(annotation.secondsSpent);
    write.addBindValue(sqlText(QString::fromLatin1(annotation.mask.toString())));
    write.addBindValue(annotation.mask.height());
    write.addBindValue(annotation.mask.width());
    write.addBindValue(sqlText(ratingsToText(annotation.steps)));
    write.addBindValue(annotation.sampleId);
    write.addBindValue(annotation.annotatorId);
    if (!write.exec())
        return m_db.error(write, doing);
    auto refreshed = refreshDisagreement(annotation.sampleId);
    if (!refreshed)
        return Error{refreshed.error()};
    auto committed = transaction.commit();
    if (!committed)
        return Error{committed.error()};
    return stored + 1;
}

Expected<bool> IndependentAnnotationRepository::refreshDisagreement(qint64 sampleId)
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(" WHERE sample_id = ? ORDER BY annotator_id"));
    query.addBindValue(sampleId);
    auto answers = readRows(m_db, query, QStringLiteral("reading the independent answers of sample %1").arg(sampleId));
    if (!answers)
        return Error{answers.error()};
    std::vector<Rle> masks;
    for (const IndependentAnnotation &answer : *answers) {
        if (answer.mask.height() > 0 && answer.mask.width() > 0)
            masks.push_back(answer.mask);
    }
    QVariant value(QMetaType(QMetaType::Double));
    if (masks.size() >= 2) {
        if (const auto agreement = MaskAgreement::compute(masks))
            value = 1.0 - agreement->meanPairwise;
    }
    QSqlQuery update = m_db.prepare(QStringLiteral("UPDATE sample SET disagreement = ? WHERE id = ?"));
    update.addBindValue(value);
    update.addBindValue(sampleId);
    if (!update.exec())
        return m_db.error(update, QStringLiteral("updating the disagreement of sample %1").arg(sampleId));
    return true;
}

Expected<std::optional<IndependentAnnotation>> IndependentAnnotationRepository::get(qint64 sampleId,
                                                                                   qint64 annotatorId) const
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(" WHERE sample_id = ? AND annotator_id = ?"));
    query.addBindValue(sampleId);
    query.addBindValue(annotatorId);
    auto rows = readRows(m_db, query, QStringLiteral("reading the independent annotation of sample %1").arg(sampleId));
    if (!rows)
        return Error{rows.error()};
    if (rows->empty())
        return std::optional<IndependentAnnotation>();
    return std::optional<IndependentAnnotation>(rows->front());
}

Expected<std::vector<IndependentAnnotation>> IndependentAnnotationRepository::all() const
{
    QSqlQuery query = m_db.prepare(kSelect + QStringLiteral(" ORDER BY sample_id, annotator_id"));
    return readRows(m_db, query, QStringLiteral("reading the independent annotations"));
}

} // namespace rs
