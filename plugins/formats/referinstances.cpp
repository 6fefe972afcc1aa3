#include "plugins/formats/referinstances.h"

#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonstream.h"

#include <QFileInfo>
#include <QJsonArray>

namespace rs {

namespace {

Expected<QJsonObject> element(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return Error{QStringLiteral("%1: must be an object, not %2").arg(where, JsonFields::show(value))};
    return value.toObject();
}

} // namespace

Expected<ReferInstances> ReferInstances::read(const QString &path, const QSet<qint64> &imageIds, const QSet<qint64> &annIds)
{
    ReferInstances result;
    result.m_path = path;
    const QString name = QFileInfo(path).fileName();
    auto stream = JsonStream::open(path);
    if (!stream)
        return Error{stream.error()};
    auto keys = (*stream)->memberKeys();
    if (!keys)
        return Error{keys.error()};
    for (const char *key : {"images", "annotations", "categories"})
        if (!keys->contains(QLatin1String(key)))
            return Error{QStringLiteral("%1: member '%2' is missing (refer reads images, annotations and categories)").arg(path, QLatin1String(key))};

    auto categories = (*stream)->member(QStringLiteral("categories"));
    if (!categories)
        return Error{categories.error()};
    if (!categories->isArray())
        return Error{QStringLiteral("%1: member 'categories' must be a list, not %2").arg(path, JsonFields::show(*categories))};
    const QJsonArray categoryList = categories->toArray();
    for (qsizetype i = 0; i < categoryList.size(); ++i) {
        const QString where = QStringLiteral("%1 categories[%2]").arg(name).arg(i);
        auto object = element(categoryList.at(i), where);
        if (!object)
            return Error{object.error()};
        const JsonFields fields(*object, where);
        auto id = fields.integer(QStringLiteral("id"));
        if (!id)
            return Error{id.error()};
        auto categoryName = fields.string(QStringLiteral("name"));
        if (!categoryName)
            return Error{categoryName.error()};
        if (result.m_categories.contains(*id))
            return fields.error(QStringLiteral("category id %1 appears twice").arg(*id));
        result.m_categories.insert(*id, *categoryName);
    }

    auto images = (*stream)->forEachInMember(QStringLiteral("images"), [&](qint64 index, const QJsonValue &value) -> Expected<bool> {
        const QString where = QStringLiteral("%1 images[%2]").arg(name).arg(index);
        auto object = element(value, where);
        if (!object)
            return Error{object.error()};
        const JsonFields fields(*object, where);
        auto id = fields.integer(QStringLiteral("id"));
        if (!id)
            return Error{id.error()};
        if (!imageIds.contains(*id))
            return true;
        if (result.m_images.contains(*id))
            return fields.error(QStringLiteral("image id %1 appears twice").arg(*id));
        Image image;
        image.object = *object;
        auto fileName = fields.string(QStringLiteral("file_name"));
        if (!fileName)
            return Error{fileName.error()};
        auto height = fields.integer(QStringLiteral("height"));
        if (!height)
            return Error{height.error()};
        auto width = fields.integer(QStringLiteral("width"));
        if (!width)
            return Error{width.error()};
        if (*height <= 0 || *width <= 0 || *height > 100000 || *width > 100000)
            return fields.error(QStringLiteral("image size %1x%2 is not a usable size").arg(*width).arg(*height));
        image.fileName = *fileName;
        image.height = int(*height);
        image.width = int(*width);
        result.m_images.insert(*id, image);
        return true;
    });
    if (!images)
        return Error{images.error()};

    auto annotations = (*stream)->forEachInMember(QStringLiteral("annotations"), [&](qint64 index, const QJsonValue &value) -> Expected<bool> {
        const QString where = QStringLiteral("%1 annotations[%2]").arg(name).arg(index);
        auto object = element(value, where);
        if (!object)
            return Error{object.error()};
        const JsonFields fields(*object, where);
        auto id = fields.integer(QStringLiteral("id"));
        if (!id)
            return Error{id.error()};
        if (!annIds.contains(*id))
            return true;
        const JsonFields named(*object, QStringLiteral("%1 (ann id %2)").arg(where).arg(*id));
        if (result.m_annotations.contains(*id))
            return named.error(QStringLiteral("ann id %1 appears twice").arg(*id));
        Annotation annotation;
        annotation.object = *object;
        auto imageId = named.integer(QStringLiteral("image_id"));
        if (!imageId)
            return Error{imageId.error()};
        auto categoryId = named.integer(QStringLiteral("category_id"));
        if (!categoryId)
            return Error{categoryId.error()};
        if (!object->contains(QStringLiteral("segmentation")))
            return named.error(QStringLiteral("field 'segmentation' is missing"));
        // iscrowd is 0/1 in COCO; Python reads any truthy value as crowd.
        const QJsonValue crowd = object->value(QStringLiteral("iscrowd"));
        if (!crowd.isUndefined() && !crowd.isNull() && !crowd.isBool() && !JsonFields::toInteger(crowd))
            return named.typeError(QStringLiteral("iscrowd"), QStringLiteral("0 or 1"));
        annotation.crowd = crowd.isBool() ? crowd.toBool() : crowd.toInteger(0) != 0;
        annotation.imageId = *imageId;
        annotation.categoryId = *categoryId;
        result.m_annotations.insert(*id, annotation);
        return true;
    });
    if (!annotations)
        return Error{annotations.error()};
    return result;
}

} // namespace rs
