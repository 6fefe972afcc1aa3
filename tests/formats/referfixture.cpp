#include "tests/formats/referfixture.h"

#include "core/rle.h"
#include "tests/formats/formatfixtures.h"

#include <QDir>
#include <QJsonDocument>
#include <QPolygonF>
#include <QProcess>

namespace rs::test {

namespace {

QJsonObject makeImage(qint64 id, const QString &fileName, int width, int height)
{
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("file_name"), fileName},
                       {QStringLiteral("width"), width}, {QStringLiteral("height"), height}};
}

QJsonObject makeAnnotation(qint64 id, qint64 imageId, qint64 categoryId, const QJsonValue &segmentation, int crowd = 0)
{
    return QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("image_id"), imageId}, {QStringLiteral("category_id"), categoryId},
                       {QStringLiteral("segmentation"), segmentation}, {QStringLiteral("iscrowd"), crowd},
                       {QStringLiteral("bbox"), QJsonArray{0, 0, 1, 1}}, {QStringLiteral("area"), 1}};
}

QJsonObject makeSentence(qint64 id, const QString &sent, const QString &raw)
{
    QJsonArray tokens;
    for (const QString &word : sent.split(QLatin1Char(' ')))
        tokens.append(word);
    return QJsonObject{{QStringLiteral("sent_id"), id}, {QStringLiteral("sent"), sent}, {QStringLiteral("raw"), raw}, {QStringLiteral("tokens"), tokens}};
}

QJsonObject makeRef(qint64 refId, const QJsonValue &annId, qint64 imageId, const QJsonValue &categoryId, const QString &split,
                const QJsonArray &sentences)
{
    QJsonArray sentIds;
    for (const QJsonValue &s : sentences)
        sentIds.append(s.toObject().value(QStringLiteral("sent_id")));
    return QJsonObject{{QStringLiteral("ref_id"), refId}, {QStringLiteral("ann_id"), annId}, {QStringLiteral("image_id"), imageId},
                       {QStringLiteral("category_id"), categoryId}, {QStringLiteral("split"), split},
                       {QStringLiteral("file_name"), QStringLiteral("COCO_train2014_%1_%2.jpg").arg(imageId, 12, 10, QLatin1Char('0')).arg(annId.toInteger())},
                       {QStringLiteral("sent_ids"), sentIds}, {QStringLiteral("sentences"), sentences}};
}

QString cocoName(qint64 id)
{
    return QStringLiteral("COCO_train2014_%1.jpg").arg(id, 12, 10, QLatin1Char('0'));
}

// An L-shaped blob on the 32x24 image, as a compressed RLE list (the form refer and LISA decode).
QJsonArray blobRleList()
{
    Mask blob(32, 24);
    blob.fillRect(QRect(4, 3, 12, 5), true);
    blob.fillRect(QRect(4, 8, 4, 10), true);
    return QJsonArray{QJsonObject{{QStringLiteral("size"), QJsonArray{24, 32}},
                                  {QStringLiteral("counts"), QString::fromLatin1(Rle::encode(blob).toString())}}};
}

QJsonObject crowdRle(int width, int height)
{
    Mask crowd(width, height);
    crowd.fillRect(QRect(1, height - 6, width - 2, 5), true);
    QJsonArray counts;
    const Rle rle = Rle::encode(crowd);
    for (std::uint32_t run : rle.counts())
        counts.append(qint64(run));
    return QJsonObject{{QStringLiteral("size"), QJsonArray{height, width}}, {QStringLiteral("counts"), counts}};
}

QJsonArray categories()
{
    return QJsonArray{QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("name"), QStringLiteral("person")}},
                      QJsonObject{{QStringLiteral("id"), 3}, {QStringLiteral("name"), QStringLiteral("car")}},
                      QJsonObject{{QStringLiteral("id"), 5}, {QStringLiteral("name"), QStringLiteral("dog")}},
                      QJsonObject{{QStringLiteral("id"), 7}, {QStringLiteral("name"), QStringLiteral("unused")}}};
}

} // namespace

ReferFixture ReferFixture::refcoco()
{
    ReferFixture f;
    f.images = {{cocoName(11), QSize(40, 30)}, {cocoName(12), QSize(32, 24)}};
    f.instances.insert(QStringLiteral("images"), QJsonArray{makeImage(11, cocoName(11), 40, 30), makeImage(12, cocoName(12), 32, 24),
                                                            makeImage(13, cocoName(13), 50, 50)});
    f.instances.insert(QStringLiteral("categories"), categories());
    f.instances.insert(QStringLiteral("annotations"),
                       QJsonArray{makeAnnotation(101, 11, 1, QJsonArray{QJsonArray{2, 2, 12, 2, 12, 12, 2, 12}}),
                                  makeAnnotation(102, 11, 3, QJsonArray{QJsonArray{20, 5, 30, 5, 30, 15, 20, 15}, QJsonArray{22, 18, 28, 18, 25, 25}}),
                                  makeAnnotation(103, 12, 5, blobRleList()),
                                  makeAnnotation(104, 12, 1, crowdRle(32, 24), 1),
                                  makeAnnotation(105, 11, 5, QJsonArray{QJsonArray{30.5, 20.25, 38.75, 21, 35, 28.5}}),
                                  makeAnnotation(106, 13, 1, QStringLiteral("not read: no ref uses it"))});
    f.refs = QJsonArray{
        makeRef(0, 101, 11, 1, QStringLiteral("train"),
            QJsonArray{makeSentence(0, QStringLiteral("man on the left"), QStringLiteral("Man on the left!")),
                       makeSentence(1, QStringLiteral("left guy"), QStringLiteral("left guy"))}),
        makeRef(1, 102, 11, 3, QStringLiteral("testA"), QJsonArray{makeSentence(2, QStringLiteral("red car"), QStringLiteral("Red car"))}),
        makeRef(2, 103, 12, 5, QStringLiteral("testB"), QJsonArray{makeSentence(3, QStringLiteral("dog"), QStringLiteral("dog"))}),
        makeRef(3, 105, 11, 5, QStringLiteral("val"),
            QJsonArray{makeSentence(4, QStringLiteral("small triangle thing"), QStringLiteral("small triangle thing")),
                       makeSentence(5, QStringLiteral("the pointy one"), QStringLiteral("the pointy one"))}),
        makeRef(4, 103, 12, 5, QStringLiteral("testAB"), QJsonArray{makeSentence(6, QStringLiteral("brown dog"), QStringLiteral("brown dog"))}),
    };
    return f;
}

ReferFixture ReferFixture::grefcoco()
{
    ReferFixture f;
    f.images = {{cocoName(11), QSize(40, 30)}, {cocoName(12), QSize(32, 24)}};
    f.instances.insert(QStringLiteral("images"), QJsonArray{makeImage(11, cocoName(11), 40, 30), makeImage(12, cocoName(12), 32, 24)});
    f.instances.insert(QStringLiteral("categories"), categories());
    f.instances.insert(QStringLiteral("annotations"),
                       QJsonArray{makeAnnotation(201, 11, 1, QJsonArray{QJsonArray{2, 2, 12, 2, 12, 12, 2, 12}}),
                                  makeAnnotation(202, 11, 1, QJsonArray{QJsonArray{20, 5, 30, 5, 30, 15, 20, 15}}),
                                  makeAnnotation(203, 11, 3, crowdRle(40, 30), 1),
                                  makeAnnotation(204, 12, 5, blobRleList())});
    f.refs = QJsonArray{
        makeRef(10, QJsonArray{201, 202}, 11, QJsonArray{1, 1}, QStringLiteral("train"),
            QJsonArray{makeSentence(100, QStringLiteral("two people"), QStringLiteral("Two people")),
                       makeSentence(101, QStringLiteral("both persons"), QStringLiteral("both persons"))}),
        makeRef(11, QJsonArray{-1}, 11, QJsonArray{-1}, QStringLiteral("val"), QJsonArray{makeSentence(102, QStringLiteral("the giraffe"), QStringLiteral("the giraffe"))}),
        makeRef(12, 204, 12, 5, QStringLiteral("testA"), QJsonArray{makeSentence(103, QStringLiteral("dog"), QStringLiteral("dog"))}),
        makeRef(13, QJsonArray{201, 203}, 11, QJsonArray{1, 3}, QStringLiteral("testB"),
            QJsonArray{makeSentence(104, QStringLiteral("person and crowd cars"), QStringLiteral("person and crowd cars"))}),
    };
    return f;
}

QByteArray ReferFixture::pythonPickle(const QJsonValue &value, QString *error)
{
    QProcess process;
    process.start(QStringLiteral(RS_PYTHON3),
                  {QStringLiteral("-c"), QStringLiteral("import json, pickle, sys; sys.stdout.buffer.write(pickle.dumps(json.load(sys.stdin), protocol=2))")});
    const QByteArray json = value.isArray() ? QJsonDocument(value.toArray()).toJson() : QJsonDocument(value.toObject()).toJson();
    process.write(json);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000) || process.exitCode() != 0) {
        *error = QStringLiteral("python3 failed: ") + QString::fromUtf8(process.readAllStandardError());
        return QByteArray();
    }
    return process.readAllStandardOutput();
}

QString ReferFixture::write(const QString &root, const QString &dataset, const QString &refsName, const QString &imageFolder) const
{
    const QString folder = root + QLatin1Char('/') + dataset;
    if (refsName.endsWith(QStringLiteral(".p"))) {
        QString error;
        const QByteArray bytes = pythonPickle(refs, &error);
        if (bytes.isEmpty())
            return error;
        writeFile(folder + QLatin1Char('/') + refsName, bytes);
    } else {
        writeFile(folder + QLatin1Char('/') + refsName, QJsonDocument(refs).toJson());
    }
    writeFile(folder + QStringLiteral("/instances.json"), QJsonDocument(instances).toJson());
    for (int i = 0; i < images.size(); ++i)
        writeTestJpeg(root + QLatin1Char('/') + imageFolder + QLatin1Char('/') + images[i].first, images[i].second.width(),
                      images[i].second.height(), i);
    return QString();
}

Mask ReferFixture::polygonMask(const QJsonArray &polygons, int width, int height)
{
    QList<QPolygonF> list;
    for (const QJsonValue &polygon : polygons) {
        const QJsonArray xy = polygon.toArray();
        QPolygonF points;
        for (qsizetype i = 0; i + 1 < xy.size(); i += 2)
            points << QPointF(xy.at(i).toDouble(), xy.at(i + 1).toDouble());
        list << points;
    }
    auto rle = Rle::fromPolygons(list, height, width);
    return rle ? rle->decode() : Mask();
}

QJsonObject ReferFixture::annotation(qint64 id) const
{
    for (const QJsonValue &value : instances.value(QStringLiteral("annotations")).toArray())
        if (value.toObject().value(QStringLiteral("id")).toInteger() == id)
            return value.toObject();
    return QJsonObject();
}

void ReferFixture::setAnnotation(qint64 id, const QJsonObject &replacement)
{
    QJsonArray annotations = instances.value(QStringLiteral("annotations")).toArray();
    for (qsizetype i = 0; i < annotations.size(); ++i)
        if (annotations.at(i).toObject().value(QStringLiteral("id")).toInteger() == id)
            annotations.replace(i, replacement);
    instances.insert(QStringLiteral("annotations"), annotations);
}

} // namespace rs::test
