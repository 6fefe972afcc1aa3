#pragma once

#include "core/expected.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace rs {

// The parts of a refer dataset's instances.json (formats.md §6.1: COCO-style images, annotations,
// categories) that the selected refs use. The file can be large: "images" and "annotations" are
// streamed (JsonStream) and only the wanted entries are kept, as the objects the file holds.
class ReferInstances
{
public:
    struct Image
    {
        QJsonObject object;  // as in the file
        QString fileName;
        int height = 0;
        int width = 0;
    };
    struct Annotation
    {
        QJsonObject object;  // as in the file
        qint64 imageId = 0;
        qint64 categoryId = 0;
        bool crowd = false;
    };

    // Errors name the file, the list and the element index: "instances.json annotations[12]: ...".
    // refer reads all three members, so each must be present.
    static Expected<ReferInstances> read(const QString &path, const QSet<qint64> &imageIds, const QSet<qint64> &annIds);

    const QString &path() const { return m_path; }
    const QHash<qint64, Image> &images() const { return m_images; }
    const QHash<qint64, Annotation> &annotations() const { return m_annotations; }
    const QHash<qint64, QString> &categories() const { return m_categories; }

private:
    QString m_path;
    QHash<qint64, Image> m_images;
    QHash<qint64, Annotation> m_annotations;
    QHash<qint64, QString> m_categories;
};

} // namespace rs
