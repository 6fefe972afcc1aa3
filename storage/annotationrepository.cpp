#include "storage/annotationrepository.h"

#include "core/sample.h"

#include "storage/database.h"
#include "storage/sqltext.h"
#include "storage/overlapcalculator.h"
#include "storage/targettable.h"
#include "storage/transaction.h"

#include <QDateTime>
#include <QSqlQuery>

namespace rs {

namespace {

QString linksToText(const QList<int> &indexes)
{
    QStringList parts;
    for (int i : indexes)
        parts << QString::number(i);
    return parts.join(QLatin1Char(','));
}

QList<int> linksFromText(const QString &text)
{
    QList<int> indexes;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        indexes << part.toInt();
    return indexes;
}

QString sourceName(DifficultySource source)
{
    return source == DifficultySource::Human ? QStringLiteral("human") : QStringLiteral("model");
}

QVariant nullableInt(std::optional<int> value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Int));
}

QVariant nullableId(qint64 id)
{
    return id > 0 ? QVariant(id) : QVariant(QMetaType(QMetaType::LongLong));
}

} // namespace

Expected<SaveResult> AnnotationRepository::save(const Annotation &annotation, int basedOnVersion)
{
    return write(annotation, basedOnVersion, std::nullopt);
}

Expected<SaveResult> AnnotationRepository::write(const Annotation &annotation, int basedOnVersion,
                                                 std::optional<int> restoredFrom)
{
    const QString doing = QStringLiteral("saving the annotation of sample %1").arg(annotation.sampleId);
    if (basedOnVersion < 0)
        return Error{QStringLiteral("%1: invalid base version %2").arg(doing).arg(basedOnVersion)};
    if (annotation.difficulty && !annotation.difficulty->isValid())
        return Error{QStringLiteral("%1: difficulty %2 is outside 1–10").arg(doing).arg(annotation.difficulty->score)};
    for (const StepAnnotation &step : annotation.steps) {
        if (!step.grade.isValid())
            return Error{QStringLiteral("%1: invalid grade of step %2").arg(doing).arg(step.stepIndex)};
        for (int target : step.targetIndexes)
            if (target < 0 || target >= int(annotation.targets.size()))
                return Error{QStringLiteral("%1: step %2 links to target %3, which does not exist")
                                 .arg(doing).arg(step.stepIndex).arg(target)};
    }
    for (const ProposalGrade &grade : annotation.grades)
        if (!grade.rubric.isValid())
            return Error{QStringLiteral("%1: invalid rubric grade of proposal %2").arg(doing).arg(grade.proposalId)};

    // Encode masks before the write lock is taken.
    std::vector<RleTarget> targets;
    targets.reserve(annotation.targets.size());
    for (const Target &t : annotation.targets)
        targets.push_back(RleTarget::fromTarget(t));

    Transaction transaction(m_db, doing);
    if (!transaction.isActive())
        return transaction.failure();
    const int version = basedOnVersion + 1;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    // Compare-and-set: only the holder of the current version may make the next one.
    QSqlQuery claim = m_db.prepare(QStringLiteral(
        "UPDATE sample SET annotation_version = ?, annotator_id = ?, status = ?, difficulty = ?, updated_at = ?"
        " WHERE id = ? AND annotation_version = ?"));
    claim.addBindValue(version);
    claim.addBindValue(annotation.annotatorId);
    claim.addBindValue(sampleStatusName(annotation.submitted ? SampleStatus::Submitted : SampleStatus::InProgress));
    claim.addBindValue(annotation.difficulty ? QVariant(annotation.difficulty->score) : QVariant(QMetaType(QMetaType::Double)));
    claim.addBindValue(now);
    claim.addBindValue(annotation.sampleId);
    claim.addBindValue(basedOnVersion);
    if (!claim.exec())
        return m_db.error(claim, doing);
    if (claim.numRowsAffected() != 1) {
        QSqlQuery current = m_db.prepare(QStringLiteral("SELECT annotation_version, annotator_id FROM sample WHERE id = ?"));
        current.addBindValue(annotation.sampleId);
        if (!current.exec())
            return m_db.error(current, doing);
        if (!current.next())
            return Error{QStringLiteral("%1: no such sample").arg(doing)};
        SaveResult conflict;
        conflict.outcome = SaveResult::Outcome::Conflict;
        conflict.version = current.value(0).toInt();
        conflict.currentAnnotatorId = current.value(1).toLongLong();
        return conflict;
    }

    QSqlQuery insert = m_db.prepare(QStringLiteral(
        "INSERT INTO annotation (sample_id, version, based_on_version, annotator_id, saved_at, submitted, no_target,"
        " reference_short, reference_long, difficulty, difficulty_source, difficulty_estimator, comment,"
        " seconds_spent, restored_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
    insert.addBindValue(annotation.sampleId);
    insert.addBindValue(version);
    insert.addBindValue(basedOnVersion);
    insert.addBindValue(annotation.annotatorId);
    insert.addBindValue(now);
    insert.addBindValue(annotation.submitted ? 1 : 0);
    insert.addBindValue(annotation.noTarget ? 1 : 0);
    insert.addBindValue(sqlText(annotation.referenceShort));
    insert.addBindValue(sqlText(annotation.referenceLong));
    insert.addBindValue(annotation.difficulty ? QVariant(annotation.difficulty->score) : QVariant(QMetaType(QMetaType::Double)));
    insert.addBindValue(sqlText(annotation.difficulty ? sourceName(annotation.difficulty->source) : QString()));
    insert.addBindValue(sqlText(annotation.difficulty ? annotation.difficulty->estimator : QString()));
    insert.addBindValue(sqlText(annotation.comment));
    insert.addBindValue(annotation.secondsSpent);
    insert.addBindValue(nullableInt(restoredFrom));
    if (!insert.exec() || !insert.next())
        return m_db.error(insert, doing);
    const qint64 annotationId = insert.value(0).toLongLong();
    insert.finish();

    auto written = TargetTable(m_db, TargetTable::Kind::Annotation).insert(annotationId, targets);
    if (!written)
        return Error{written.error()};

    if (!annotation.steps.empty()) {
        QSqlQuery step = m_db.prepare(QStringLiteral(
            "INSERT INTO annotation_step (annotation_id, proposal_id, step_index, rating, flagged, error, replacement,"
            " target_links) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        for (const StepAnnotation &s : annotation.steps) {
            step.addBindValue(annotationId);
            step.addBindValue(nullableId(s.proposalId));
            step.addBindValue(s.stepIndex);
            step.addBindValue(s.grade.rating);
            step.addBindValue(s.grade.flagged ? 1 : 0);
            step.addBindValue(stepErrorName(s.grade.error));
            step.addBindValue(sqlText(s.grade.replacement));
            step.addBindValue(sqlText(linksToText(s.targetIndexes)));
            if (!step.exec())
                return m_db.error(step, QStringLiteral("%1, step %2").arg(doing).arg(s.stepIndex));
        }
    }
    if (!annotation.grades.empty()) {
        QSqlQuery grade = m_db.prepare(QStringLiteral(
            "INSERT INTO annotation_grade (annotation_id, proposal_id, correctness, grounding, conciseness)"
            " VALUES (?, ?, ?, ?, ?)"));
        for (const ProposalGrade &g : annotation.grades) {
            grade.addBindValue(annotationId);
            grade.addBindValue(g.proposalId);
            grade.addBindValue(g.rubric.correctness);
            grade.addBindValue(g.rubric.grounding);
            grade.addBindValue(g.rubric.conciseness);
            if (!grade.exec())
                return m_db.error(grade, QStringLiteral("%1, grade of proposal %2").arg(doing).arg(g.proposalId));
        }
    }
    auto iou = OverlapCalculator(m_db).refreshSample(annotation.sampleId);
    if (!iou)
        return Error{iou.error()};
    auto committed = transaction.commit();
    if (!committed)
        return Error{committed.error()};
    SaveResult saved;
    saved.outcome = SaveResult::Outcome::Saved;
    saved.version = version;
    saved.currentAnnotatorId = annotation.annotatorId;
    return saved;
}

Expected<int> AnnotationRepository::currentVersion(qint64 sampleId) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT annotation_version FROM sample WHERE id = ?"));
    query.addBindValue(sampleId);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading the annotation version of sample %1").arg(sampleId));
    if (!query.next())
        return Error{QStringLiteral("no sample %1 in the project").arg(sampleId)};
    return query.value(0).toInt();
}

Expected<std::optional<Annotation>> AnnotationRepository::current(qint64 sampleId) const
{
    auto version = currentVersion(sampleId);
    if (!version)
        return Error{version.error()};
    if (*version == 0)
        return std::optional<Annotation>();
    auto annotation = at(sampleId, *version);
    if (!annotation)
        return Error{annotation.error()};
    return std::optional<Annotation>(std::move(annotation).value());
}

Expected<Annotation> AnnotationRepository::at(qint64 sampleId, int version) const
{
    const QString doing = QStringLiteral("reading version %1 of the annotation of sample %2").arg(version).arg(sampleId);
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "SELECT id, based_on_version, annotator_id, saved_at, submitted, no_target, reference_short, reference_long,"
        " difficulty, difficulty_source, difficulty_estimator, comment, seconds_spent, restored_from"
        " FROM annotation WHERE sample_id = ? AND version = ?"));
    query.addBindValue(sampleId);
    query.addBindValue(version);
    if (!query.exec())
        return m_db.error(query, doing);
    if (!query.next())
        return Error{QStringLiteral("%1: no such version").arg(doing)};
    Annotation a;
    const qint64 annotationId = query.value(0).toLongLong();
    a.sampleId = sampleId;
    a.version = version;
    a.basedOnVersion = query.value(1).toInt();
    a.annotatorId = query.value(2).toLongLong();
    a.savedAt = QDateTime::fromMSecsSinceEpoch(query.value(3).toLongLong(), Qt::UTC);
    a.submitted = query.value(4).toInt() != 0;
    a.noTarget = query.value(5).toInt() != 0;
    a.referenceShort = query.value(6).toString();
    a.referenceLong = query.value(7).toString();
    if (!query.value(8).isNull()) {
        Difficulty d;
        d.score = query.value(8).toDouble();
        d.source = query.value(9).toString() == QLatin1String("human") ? DifficultySource::Human : DifficultySource::Model;
        d.estimator = query.value(10).toString();
        a.difficulty = d;
    }
    a.comment = query.value(11).toString();
    a.secondsSpent = query.value(12).toDouble();
    if (!query.value(13).isNull())
        a.restoredFrom = query.value(13).toInt();
    query.finish();

    auto targets = TargetTable(m_db, TargetTable::Kind::Annotation).read(annotationId);
    if (!targets)
        return Error{targets.error()};
    for (const RleTarget &t : *targets) {
        auto target = t.toTarget();
        if (!target)
            return Error{QStringLiteral("%1: %2").arg(doing, target.error())};
        a.targets.push_back(std::move(target).value());
    }

    QSqlQuery steps = m_db.prepare(QStringLiteral(
        "SELECT proposal_id, step_index, rating, flagged, error, replacement, target_links FROM annotation_step"
        " WHERE annotation_id = ? ORDER BY id"));
    steps.addBindValue(annotationId);
    if (!steps.exec())
        return m_db.error(steps, doing);
    while (steps.next()) {
        StepAnnotation s;
        s.proposalId = steps.value(0).toLongLong();
        s.stepIndex = steps.value(1).toInt();
        s.grade.rating = steps.value(2).toInt();
        s.grade.flagged = steps.value(3).toInt() != 0;
        s.grade.error = stepErrorFromName(steps.value(4).toString()).value_or(StepError::None);
        s.grade.replacement = steps.value(5).toString();
        s.targetIndexes = linksFromText(steps.value(6).toString());
        a.steps.push_back(std::move(s));
    }

    QSqlQuery grades = m_db.prepare(QStringLiteral(
        "SELECT proposal_id, correctness, grounding, conciseness FROM annotation_grade WHERE annotation_id = ?"
        " ORDER BY id"));
    grades.addBindValue(annotationId);
    if (!grades.exec())
        return m_db.error(grades, doing);
    while (grades.next())
        a.grades.push_back(ProposalGrade{grades.value(0).toLongLong(),
                                         RubricGrade{grades.value(1).toInt(), grades.value(2).toInt(),
                                                     grades.value(3).toInt()}});
    return a;
}

Expected<std::vector<AnnotationVersion>> AnnotationRepository::history(qint64 sampleId) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral(
        "SELECT a.version, a.based_on_version, a.annotator_id, n.name, a.saved_at, a.submitted, a.seconds_spent,"
        " a.restored_from FROM annotation a JOIN annotator n ON n.id = a.annotator_id"
        " WHERE a.sample_id = ? ORDER BY a.version"));
    query.addBindValue(sampleId);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading the annotation history of sample %1").arg(sampleId));
    std::vector<AnnotationVersion> versions;
    while (query.next()) {
        AnnotationVersion v;
        v.version = query.value(0).toInt();
        v.basedOnVersion = query.value(1).toInt();
        v.annotatorId = query.value(2).toLongLong();
        v.annotatorName = query.value(3).toString();
        v.savedAt = QDateTime::fromMSecsSinceEpoch(query.value(4).toLongLong(), Qt::UTC);
        v.submitted = query.value(5).toInt() != 0;
        v.secondsSpent = query.value(6).toDouble();
        if (!query.value(7).isNull())
            v.restoredFrom = query.value(7).toInt();
        versions.push_back(v);
    }
    return versions;
}

Expected<SaveResult> AnnotationRepository::restore(qint64 sampleId, int version, qint64 annotatorId,
                                                   int basedOnVersion)
{
    auto old = at(sampleId, version);
    if (!old)
        return Error{QStringLiteral("restoring: %1").arg(old.error())};
    Annotation copy = std::move(old).value();
    copy.annotatorId = annotatorId;
    copy.secondsSpent = 0.0;
    return write(copy, basedOnVersion, version);
}

} // namespace rs
