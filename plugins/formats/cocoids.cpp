#include "plugins/formats/cocoids.h"

#include "plugins/formats/jsonfields.h"

#include <QCryptographicHash>
#include <QFileInfo>

namespace rs {

bool CocoIds::isCoco(const DatasetRecord &record)
{
    return record.extras.dataset == QLatin1String(kDataset)
        && JsonFields::toInteger(record.extras.extra.value(QStringLiteral("image")).toObject().value(QStringLiteral("id")))
        && JsonFields::toInteger(record.extras.extra.value(QStringLiteral("category")).toObject().value(QStringLiteral("id")));
}

qint64 CocoIds::imageId(const DatasetRecord &record)
{
    if (isCoco(record))
        return *JsonFields::toInteger(record.extras.extra.value(QStringLiteral("image")).toObject().value(QStringLiteral("id")));
    return record.sample.id;
}

QJsonObject CocoIds::imageObject(const DatasetRecord &record)
{
    if (isCoco(record))
        return record.extras.extra.value(QStringLiteral("image")).toObject();
    const QString relative = record.sample.image.relativePath;
    QJsonObject image;
    image.insert(QStringLiteral("id"), record.sample.id);
    image.insert(QStringLiteral("file_name"), relative.isEmpty() ? QFileInfo(record.imageFile).fileName() : relative);
    image.insert(QStringLiteral("height"), record.sample.image.size.height());
    image.insert(QStringLiteral("width"), record.sample.image.size.width());
    return image;
}

QJsonObject CocoIds::sampleCategory(const DatasetRecord &record)
{
    return isCoco(record) ? record.extras.extra.value(QStringLiteral("category")).toObject() : QJsonObject();
}

qint64 CocoIds::categoryId(const DatasetRecord &record, const QString &label)
{
    const QJsonObject category = sampleCategory(record);
    if (!category.isEmpty() && (label.isEmpty() || label == category.value(QStringLiteral("name")).toString()))
        return *JsonFields::toInteger(category.value(QStringLiteral("id")));
    return labelId(label.isEmpty() ? QStringLiteral("object") : label);
}

qint64 CocoIds::labelId(const QString &label)
{
    const QByteArray digest = QCryptographicHash::hash(label.toUtf8(), QCryptographicHash::Sha1);
    quint32 bits = 0;
    for (int i = 0; i < 4; ++i)
        bits = (bits << 8) | quint8(digest.at(i));
    return kLabelIdBase + qint64(bits & 0x7fffffffu) % (qint64(0x7fffffff) - kLabelIdBase);
}

} // namespace rs
