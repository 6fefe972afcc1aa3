// JsonStream / JsonListWriter: element-by-element reading of big JSON files and the errors it gives.
#include "plugins/formats/jsonstream.h"
#include "tests/formats/formatfixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

class TestJsonStream : public QObject
{
    Q_OBJECT

private slots:
    void list_data();
    void list();
    void member_data();
    void member();
    void writerRoundTrip();
};

void TestJsonStream::list_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("elements");  // the elements re-serialised compactly, joined by '|'; or the error
    QTest::addColumn<bool>("ok");
    QTest::newRow("objects") << QByteArray("[{\"a\": 1}, {\"b\": [2, 3]}]") << QByteArray("{\"a\":1}|{\"b\":[2,3]}") << true;
    QTest::newRow("brackets inside strings") << QByteArray(R"([{"t": "a ] } [ { \" b"}, "x]"])") << QByteArray(R"({"t":"a ] } [ { \" b"}|"x]")") << true;
    QTest::newRow("escaped backslash before quote") << QByteArray(R"(["a\\", "b"])") << QByteArray(R"("a\\"|"b")") << true;
    QTest::newRow("scalars and whitespace") << QByteArray(" \n[ 1 ,\n true , null , -2.5e3 ]\n") << QByteArray("1|true|null|-2500") << true;
    QTest::newRow("empty") << QByteArray("[ ]") << QByteArray() << true;
    QTest::newRow("not a list") << QByteArray("{\"a\": 1}") << QByteArray("the file must hold a JSON list") << false;
    QTest::newRow("truncated object") << QByteArray("[{\"a\": 1}, {\"b\": ") << QByteArray(":1:12: invalid JSON: this value is never closed") << false;
    QTest::newRow("truncated list") << QByteArray("[{\"a\": 1}") << QByteArray("expected ',' or ']' after list element 0 (truncated file?)") << false;
    QTest::newRow("missing comma") << QByteArray("[1\n 2]") << QByteArray(":2:2: invalid JSON: expected ',' or ']' after list element 0") << false;
    QTest::newRow("bad element") << QByteArray("[{\"a\": tru}]") << QByteArray(":1:") << false;
}

void TestJsonStream::list()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, elements);
    QFETCH(bool, ok);
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/list.json");
    writeFile(path, json);
    auto stream = JsonStream::open(path);
    QVERIFY(stream);
    QList<QByteArray> seen;
    auto walked = (*stream)->forEachInList([&](qint64 index, const QJsonValue &element) -> Expected<bool> {
        if (index != seen.size())
            return Error{QStringLiteral("index out of order")};
        QByteArray text = QJsonDocument(QJsonArray{element}).toJson(QJsonDocument::Compact);
        seen << text.mid(1, text.size() - 2);
        return true;
    });
    QCOMPARE(bool(walked), ok);
    if (ok) {
        QCOMPARE(seen.join('|'), elements);
    } else {
        QVERIFY2(walked.error().contains(QString::fromUtf8(elements)), qPrintable(walked.error()));
        QVERIFY(walked.error().startsWith(path));
    }
}

void TestJsonStream::member_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("count");  // elements of "annotations"; -1: an error
    QTest::addColumn<QString>("error");
    QTest::newRow("between other members") << QByteArray(R"({"images": [{"id": "]"}], "annotations": [{"id": 1}, {"id": 2}], "x": {}})") << 2 << QString();
    QTest::newRow("absent") << QByteArray(R"({"images": []})") << 0 << QString();
    QTest::newRow("not a list") << QByteArray(R"({"annotations": {"id": 1}})") << -1 << QStringLiteral("member 'annotations' must be a list");
    QTest::newRow("top level list") << QByteArray("[]") << -1 << QStringLiteral("the file must hold a JSON object");
    QTest::newRow("truncated before") << QByteArray(R"({"images": [{"id": 1})") << -1 << QStringLiteral("never closed");
}

void TestJsonStream::member()
{
    QFETCH(QByteArray, json);
    QFETCH(int, count);
    QFETCH(QString, error);
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/doc.json");
    writeFile(path, json);
    auto stream = JsonStream::open(path);
    QVERIFY(stream);
    int seen = 0;
    auto walked = (*stream)->forEachInMember(QStringLiteral("annotations"), [&](qint64, const QJsonValue &element) -> Expected<bool> {
        if (element.toObject().value(QStringLiteral("id")).toInt() != seen + 1)
            return Error{QStringLiteral("element %1 out of order").arg(seen)};
        ++seen;
        return true;
    });
    if (count < 0) {
        QVERIFY(!walked);
        QVERIFY2(walked.error().contains(error), qPrintable(walked.error()));
    } else {
        QVERIFY2(walked, qPrintable(walked.error()));
        QCOMPARE(seen, count);
    }
    if (count == 2) {
        auto images = (*stream)->member(QStringLiteral("images"));
        QVERIFY(images);
        QCOMPARE(images->toArray().first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("]"));
        QCOMPARE(*(*stream)->memberKeys(), QStringList({QStringLiteral("images"), QStringLiteral("annotations"), QStringLiteral("x")}));
    }
}

void TestJsonStream::writerRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/out.json");
    JsonListWriter writer(path);
    QVERIFY(writer.open());
    QVERIFY(!QFile::exists(path));  // nothing until finish()
    QVERIFY(writer.append(QJsonObject{{QStringLiteral("b"), 1}, {QStringLiteral("a"), QStringLiteral("x")}}));
    QVERIFY(writer.append(QJsonValue(2.5)));
    QVERIFY(writer.finish());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("[\n{\"a\":\"x\",\"b\":1},\n2.5\n]\n"));
}

QTEST_GUILESS_MAIN(TestJsonStream)
#include "tst_jsonstream.moc"
