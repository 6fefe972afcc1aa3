#include "gui/session/documentsnapshot.h"

#include "core/addtargetcommand.h"
#include "core/documentactions.h"
#include "core/removetargetcommand.h"
#include "core/rle.h"
#include "core/sampledocument.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

namespace rs {

namespace {

constexpr int kFormat = 1;

QCborMap targetToCbor(const DocumentTarget &target, const DocumentSnapshot::EncodedTarget &mask)
{
    QCborMap map;
    map.insert(QStringLiteral("counts"), mask.counts);
    map.insert(QStringLiteral("w"), mask.width);
    map.insert(QStringLiteral("h"), mask.height);
    const QRectF &box = target.target.box;
    map.insert(QStringLiteral("box"), QCborArray{box.x(), box.y(), box.width(), box.height()});
    map.insert(QStringLiteral("label"), target.target.label);
    map.insert(QStringLiteral("description"), target.target.description);
    map.insert(QStringLiteral("ignore"), target.target.ignore);
    map.insert(QStringLiteral("color"), qint64(target.color.rgba()));
    map.insert(QStringLiteral("visible"), target.visible);
    return map;
}

} // namespace

DocumentSnapshot DocumentSnapshot::of(const SampleDocument &document)
{
    DocumentSnapshot snapshot;
    for (int i = 0; i < document.targetCount(); ++i) {
        snapshot.targets.push_back(document.targetAt(i));
        // As the bytes keep it (8-bit RGBA), so a snapshot equals its own round trip.
        snapshot.targets.back().color = QColor::fromRgba(document.targetAt(i).color.rgba());
    }
    snapshot.noTarget = document.noTarget();
    return snapshot;
}

DocumentSnapshot::EncodedTarget DocumentSnapshot::encode(const Mask &mask)
{
    const Rle rle = Rle::encode(mask);
    return EncodedTarget{rle.toString(), mask.width(), mask.height()};
}

QByteArray DocumentSnapshot::serialise(const SampleDocument &document, const std::vector<EncodedTarget> &encoded)
{
    QCborArray targets;
    for (int i = 0; i < document.targetCount(); ++i) {
        const DocumentTarget &target = document.targetAt(i);
        const bool have = std::size_t(i) < encoded.size() && encoded[std::size_t(i)].width > 0;
        targets.append(targetToCbor(target, have ? encoded[std::size_t(i)] : encode(target.target.mask)));
    }
    QCborMap map;
    map.insert(QStringLiteral("format"), kFormat);
    map.insert(QStringLiteral("noTarget"), document.noTarget());
    map.insert(QStringLiteral("targets"), targets);
    return map.toCborValue().toCbor();
}

QByteArray DocumentSnapshot::toBytes() const
{
    QCborArray list;
    for (const DocumentTarget &target : targets)
        list.append(targetToCbor(target, encode(target.target.mask)));
    QCborMap map;
    map.insert(QStringLiteral("format"), kFormat);
    map.insert(QStringLiteral("noTarget"), noTarget);
    map.insert(QStringLiteral("targets"), list);
    return map.toCborValue().toCbor();
}

Expected<DocumentSnapshot> DocumentSnapshot::fromBytes(const QByteArray &bytes, QSize imageSize)
{
    QCborParserError parseError;
    const QCborValue value = QCborValue::fromCbor(bytes, &parseError);
    if (parseError.error != QCborError::NoError || !value.isMap())
        return Error{QStringLiteral("journal entry is not a document snapshot")};
    const QCborMap map = value.toMap();
    if (map.value(QStringLiteral("format")).toInteger() != kFormat)
        return Error{QStringLiteral("journal entry has an unknown snapshot format")};
    DocumentSnapshot snapshot;
    snapshot.noTarget = map.value(QStringLiteral("noTarget")).toBool();
    for (const QCborValue &item : map.value(QStringLiteral("targets")).toArray()) {
        const QCborMap t = item.toMap();
        const int width = int(t.value(QStringLiteral("w")).toInteger());
        const int height = int(t.value(QStringLiteral("h")).toInteger());
        if (QSize(width, height) != imageSize)
            return Error{QStringLiteral("journal entry: a %1 x %2 mask on a %3 x %4 image")
                             .arg(width).arg(height).arg(imageSize.width()).arg(imageSize.height())};
        const Expected<Rle> rle = Rle::fromString(t.value(QStringLiteral("counts")).toByteArray(), height, width);
        if (!rle)
            return Error{QStringLiteral("journal entry: %1").arg(rle.error())};
        DocumentTarget target;
        target.target.mask = rle->decode();
        const QCborArray box = t.value(QStringLiteral("box")).toArray();
        if (box.size() == 4)
            target.target.box = QRectF(box.at(0).toDouble(), box.at(1).toDouble(), box.at(2).toDouble(), box.at(3).toDouble());
        target.target.label = t.value(QStringLiteral("label")).toString();
        target.target.description = t.value(QStringLiteral("description")).toString();
        target.target.ignore = t.value(QStringLiteral("ignore")).toBool();
        target.color = QColor::fromRgba(QRgb(t.value(QStringLiteral("color")).toInteger()));
        target.visible = t.value(QStringLiteral("visible")).toBool(true);
        snapshot.targets.push_back(std::move(target));
    }
    return snapshot;
}

bool DocumentSnapshot::applyTo(SampleDocument &document, const QString &text) const
{
    if (of(document) == *this)
        return false;
    QUndoStack *stack = document.undoStack();
    stack->beginMacro(text);
    for (int i = document.targetCount() - 1; i >= 0; --i)
        stack->push(new RemoveTargetCommand(&document, i, text));
    for (const DocumentTarget &target : targets)
        stack->push(new AddTargetCommand(&document, document.targetCount(), target, text));
    DocumentActions::setNoTarget(document, noTarget);
    stack->endMacro();
    return true;
}

} // namespace rs
