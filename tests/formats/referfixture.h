#pragma once

#include "core/mask.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSize>
#include <QString>

namespace rs::test {

// A small refer-layout dataset for the refcoco and grefcoco tests: refs, instances.json (with
// polygons, parts, compressed RLE lists, crowd RLEs and float vertices) and the images, written as
// <root>/<dataset>/<refs file> + instances.json and <root>/<image folder>/<file_name>.
struct ReferFixture
{
    QJsonArray refs;
    QJsonObject instances;
    QList<QPair<QString, QSize>> images;  // file name, size: the image files to write

    // refcoco: 7 sentences in 5 refs (splits train, testA, testB, val, testAB) on two images.
    static ReferFixture refcoco();
    // grefcoco: a two-target ref, a no-target ref, a bare-int ref and one with a crowd annotation.
    static ReferFixture grefcoco();

    // The pickle python3 writes for refs (protocol 2), or an empty array with *error set.
    static QByteArray pythonPickle(const QJsonValue &value, QString *error);

    // Writes everything; refsName ending in ".p" is pickled by python3, else written as JSON.
    // Returns an error message, empty on success.
    QString write(const QString &root, const QString &dataset, const QString &refsName, const QString &imageFolder) const;

    // The mask of an annotation's polygons as pycocotools rasterises them.
    static Mask polygonMask(const QJsonArray &polygons, int width, int height);

    QJsonObject annotation(qint64 id) const;
    void setAnnotation(qint64 id, const QJsonObject &annotation);
};

} // namespace rs::test
