#include "storage/targettable.h"

#include "storage/database.h"
#include "storage/sqltext.h"

#include <QSqlQuery>

namespace rs {

namespace {

// Prompt points as "x,y;x,y" ('' when none): compact, exact for the doubles it holds (17 digits).
QString pointsText(const QList<QPointF> &points)
{
    QStringList parts;
    for (const QPointF &p : points)
        parts << QStringLiteral("%1,%2").arg(p.x(), 0, 'g', 17).arg(p.y(), 0, 'g', 17);
    return parts.join(QLatin1Char(';'));
}

QList<QPointF> pointsFromText(const QString &text)
{
    QList<QPointF> points;
    for (const QString &part : text.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QStringList xy = part.split(QLatin1Char(','));
        if (xy.size() == 2)
            points << QPointF(xy[0].toDouble(), xy[1].toDouble());
    }
    return points;
}

} // namespace

TargetTable::TargetTable(Database &db, Kind kind) : m_db(db), m_kind(kind)
{
    switch (kind) {
    case Kind::Sample:
        m_table = QStringLiteral("target");
        m_owner = QStringLiteral("sample_id");
        break;
    case Kind::Proposal:
        m_table = QStringLiteral("proposal_target");
        m_owner = QStringLiteral("proposal_id");
        break;
    case Kind::Annotation:
        m_table = QStringLiteral("annotation_target");
        m_owner = QStringLiteral("annotation_id");
        break;
    }
}

Expected<bool> TargetTable::insert(qint64 ownerId, const std::vector<RleTarget> &targets)
{
    if (targets.empty())
        return true;
    // The fourth text column: description (sample, annotation) or score (proposal).
    const bool proposal = m_kind == Kind::Proposal;
    if (!m_insert)
        m_insert = m_db.prepare(
        QStringLiteral("INSERT INTO %1 (%2, idx, rle, height, width, box_x, box_y, box_w, box_h, label, %3)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, %4)")
            .arg(m_table, m_owner,
                 proposal ? QStringLiteral("score, points") : QStringLiteral("description, is_ignore"),
                 QStringLiteral("?, ?")));
    QSqlQuery &query = *m_insert;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const RleTarget &t = targets[i];
        query.addBindValue(ownerId);
        query.addBindValue(int(i));
        query.addBindValue(sqlText(QString::fromLatin1(t.counts)));
        query.addBindValue(t.height);
        query.addBindValue(t.width);
        query.addBindValue(t.box.x());
        query.addBindValue(t.box.y());
        query.addBindValue(t.box.width());
        query.addBindValue(t.box.height());
        query.addBindValue(sqlText(t.label));
        if (proposal) {
            query.addBindValue(t.score);
            query.addBindValue(sqlText(pointsText(t.points)));
        } else {
            query.addBindValue(sqlText(t.description));
            query.addBindValue(t.ignore ? 1 : 0);
        }
        if (!query.exec())
            return m_db.error(query, QStringLiteral("writing target %1 of %2 %3").arg(i).arg(m_table).arg(ownerId));
    }
    return true;
}

QString TargetTable::selectColumns() const
{
    return QStringLiteral("rle, height, width, box_x, box_y, box_w, box_h, label, %1")
        .arg(m_kind == Kind::Proposal ? QStringLiteral("score, points") : QStringLiteral("description, is_ignore"));
}

RleTarget TargetTable::rowTarget(const QSqlQuery &query, int first) const
{
    RleTarget t;
    t.counts = query.value(first).toString().toLatin1();
    t.height = query.value(first + 1).toInt();
    t.width = query.value(first + 2).toInt();
    t.box = QRectF(query.value(first + 3).toDouble(), query.value(first + 4).toDouble(),
                   query.value(first + 5).toDouble(), query.value(first + 6).toDouble());
    t.label = query.value(first + 7).toString();
    if (m_kind == Kind::Proposal) {
        t.score = query.value(first + 8).toDouble();
        t.points = pointsFromText(query.value(first + 9).toString());
    } else {
        t.description = query.value(first + 8).toString();
        t.ignore = query.value(first + 9).toInt() != 0;
    }
    return t;
}

Expected<std::vector<RleTarget>> TargetTable::read(qint64 ownerId) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE %3 = ? ORDER BY idx")
                                       .arg(selectColumns(), m_table, m_owner));
    query.addBindValue(ownerId);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading the targets of %1 %2").arg(m_table).arg(ownerId));
    std::vector<RleTarget> targets;
    while (query.next())
        targets.push_back(rowTarget(query, 0));
    return targets;
}

Expected<std::map<qint64, std::vector<RleTarget>>> TargetTable::readOwnersIn(const QString &ownerQuery,
                                                                             const QVariantList &values) const
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT %3, %1 FROM %2 WHERE %3 IN (%4) ORDER BY %3, idx")
                                       .arg(selectColumns(), m_table, m_owner, ownerQuery));
    for (const QVariant &value : values)
        query.addBindValue(value);
    query.setForwardOnly(true);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading the targets of a batch of %1").arg(m_table));
    std::map<qint64, std::vector<RleTarget>> targets;
    while (query.next())
        targets[query.value(0).toLongLong()].push_back(rowTarget(query, 1));
    return targets;
}

} // namespace rs
