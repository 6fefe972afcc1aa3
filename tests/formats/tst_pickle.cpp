// The pickle subset reader and writer of the refer formats: Python 2 fixtures, what python3
// writes at every protocol, what python3 reads back from us, and malformed or dangerous input.
#include "plugins/formats/picklereader.h"
#include "plugins/formats/picklewriter.h"
#include "tests/formats/formatfixtures.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <optional>

using namespace rs;
using namespace rs::test;

namespace {

// Runs /usr/bin/python3 -c code args...; returns stdout, or std::nullopt with stderr in *error.
std::optional<QByteArray> python(const QString &code, const QStringList &arguments = {}, QString *error = nullptr)
{
    QProcess process;
    process.start(QStringLiteral(RS_PYTHON3), QStringList{QStringLiteral("-c"), code} + arguments);
    const bool finished = process.waitForFinished(60000);
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("python3 failed: ") + QString::fromUtf8(process.readAllStandardError() + process.readAllStandardOutput());
        return std::nullopt;
    }
    return process.readAllStandardOutput();
}

// The object python3 pickles at each protocol: every kind the refs files hold, edge integers,
// shared and empty containers, non-ASCII text, and lists long enough to be batched.
const QString kPythonObject = QStringLiteral(R"(
import json, pickle, sys
shared = ['x', 'y']
obj = {
    'ints': [0, 1, 255, 256, 65535, 65536, -1, -256, 2**31 - 1, -2**31, 2**31, 2**53 + 1, 2**63 - 1, -2**63],
    'floats': [0.5, -2.25, 1e300, -1e-300, 3.0],
    'text': ['', 'plain', 'caf\u00e9 \u2192 \U0001F600', 'back\\slash\nnew line', '\x00\x1a\r'],
    'consts': [None, True, False],
    'tuple': (1, ('nested', 2), ()),
    'shared': [shared, shared, {'again': shared}],
    'empty': [[], {}],
    'long': list(range(2500)),
    'wide': {'k%04d' % i: i for i in range(1200)},
}
if sys.argv[1] == 'json':
    sys.stdout.write(json.dumps(obj))
else:
    sys.stdout.buffer.write(pickle.dumps(obj, protocol=int(sys.argv[1])))
)");

// Python side of the writer check: loads the pickle with the default arguments and compares it,
// types included (1 == 1.0 == True in Python), with the JSON file written by the test.
const QString kPythonCompare = QStringLiteral(R"(
import json, pickle, sys
with open(sys.argv[1], 'rb') as f:
    got = pickle.load(f)
with open(sys.argv[2], 'rb') as f:
    want = json.load(f)
def same(a, b, where):
    if type(a) is not type(b):
        raise SystemExit('%s: %r (%s) != %r (%s)' % (where, a, type(a).__name__, b, type(b).__name__))
    if isinstance(a, list):
        if len(a) != len(b):
            raise SystemExit('%s: length %d != %d' % (where, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, '%s[%d]' % (where, i))
    elif isinstance(a, dict):
        if sorted(a) != sorted(b):
            raise SystemExit('%s: keys differ' % where)
        for k in a:
            same(a[k], b[k], '%s[%r]' % (where, k))
    elif a != b:
        raise SystemExit('%s: %r != %r' % (where, a, b))
same(got, want, 'root')
print('python reads the same %d top-level items' % len(got))
)");

QJsonValue writerSample()
{
    QJsonObject object;
    QJsonArray ints;
    for (qint64 v : {qint64(0), qint64(255), qint64(256), qint64(65535), qint64(65536), qint64(-1), qint64(-129),
                     qint64(2147483647), qint64(-2147483647 - 1), qint64(2147483648LL), qint64(9007199254740993LL),
                     std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()})
        ints.append(QJsonValue(v));
    object.insert(QStringLiteral("ints"), ints);
    object.insert(QStringLiteral("floats"), QJsonArray{0.5, -2.25, 1e300, -1e-300, 0.1});
    object.insert(QStringLiteral("text"), QJsonArray{QString(), QStringLiteral("café → 😀"), QStringLiteral("line\nbreak \"q\" \\")});
    object.insert(QStringLiteral("consts"), QJsonArray{QJsonValue::Null, true, false});
    QJsonArray longList;
    for (int i = 0; i < 2500; ++i)
        longList.append(QStringLiteral("item %1").arg(i));
    object.insert(QStringLiteral("long"), longList);
    QJsonObject wide;
    for (int i = 0; i < 1500; ++i)
        wide.insert(QStringLiteral("k%1").arg(i, 4, 10, QLatin1Char('0')), i);
    object.insert(QStringLiteral("wide"), wide);
    object.insert(QStringLiteral("nested"), QJsonObject{{QStringLiteral("empty list"), QJsonArray()},
                                                        {QStringLiteral("empty dict"), QJsonObject()},
                                                        {QStringLiteral("deep"), QJsonArray{QJsonArray{QJsonArray{1}}}}});
    return object;
}

} // namespace

class TestPickle : public QObject
{
    Q_OBJECT

private slots:
    void readsPython2Fixtures_data();
    void readsPython2Fixtures();
    void readsWhatPython3Writes_data();
    void readsWhatPython3Writes();
    void memoReferencesShareLists();
    void python3ReadsWhatWeWrite();
    void writerBytesAreGoldenAndStable();
    void malformed_data();
    void malformed();
};

void TestPickle::readsPython2Fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("protocol");
    QTest::newRow("protocol 0") << QStringLiteral("py2_refs_protocol0.p") << 0;
    QTest::newRow("protocol 2") << QStringLiteral("py2_refs_protocol2.p") << 2;
}

void TestPickle::readsPython2Fixtures()
{
    QFETCH(QString, file);
    QFETCH(int, protocol);
    PickleReader::Stats stats;
    auto value = PickleReader::readFile(QStringLiteral(RS_TEST_DATA_DIR "/pickle/") + file, &stats);
    QVERIFY2(value, qPrintable(value.error()));
    QFile expectedFile(QStringLiteral(RS_TEST_DATA_DIR "/pickle/py2_refs_expected.json"));
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    const QJsonArray expected = QJsonDocument::fromJson(expectedFile.readAll()).array();
    QCOMPARE(value->toArray(), expected);
    QCOMPARE(stats.protocol, protocol);
    QCOMPARE(stats.nonAsciiByteStrings, qint64(2));

    // Values that a lossy reader would get wrong, checked one by one.
    const QJsonObject second = value->toArray().at(1).toObject();
    QCOMPARE(second.value(QStringLiteral("ann_id")).toInteger(), qint64(1) << 40);
    QCOMPARE(second.value(QStringLiteral("big_negative")).toInteger(), -(qint64(1) << 62));
    QCOMPARE(second.value(QStringLiteral("int32_edge")).toInteger(), -(qint64(1) << 31));
    QCOMPARE(second.value(QStringLiteral("image_id")).toInteger(), qint64(-7));
    QCOMPARE(second.value(QStringLiteral("utf8_bytes")).toString(), QStringLiteral("café"));
    QCOMPARE(second.value(QStringLiteral("latin1_bytes")).toString(), QStringLiteral("été"));
    QCOMPARE(second.value(QStringLiteral("flags")).toArray(), (QJsonArray{true, false}));
    QCOMPARE(second.value(QStringLiteral("escapes")).toString(), QStringLiteral("tab\there \"q\" 's' back\\slash\n"));
    QVERIFY(second.value(QStringLiteral("missing")).isNull());
    QCOMPARE(second.value(QStringLiteral("again")).toString(), QStringLiteral("shared text"));
    const QJsonObject sentence = value->toArray().at(0).toObject().value(QStringLiteral("sentences")).toArray().at(1).toObject();
    QCOMPARE(sentence.value(QStringLiteral("sent")).toString(), QStringLiteral("café sign → left"));
}

void TestPickle::readsWhatPython3Writes_data()
{
    QTest::addColumn<int>("protocol");
    for (int protocol = 0; protocol <= 5; ++protocol)
        QTest::newRow(qPrintable(QStringLiteral("protocol %1").arg(protocol))) << protocol;
}

void TestPickle::readsWhatPython3Writes()
{
    QFETCH(int, protocol);
    QString error;
    const auto bytes = python(kPythonObject, {QString::number(protocol)}, &error);
    QVERIFY2(bytes, qPrintable(error));
    const auto json = python(kPythonObject, {QStringLiteral("json")}, &error);
    QVERIFY2(json, qPrintable(error));
    const QJsonObject expected = QJsonDocument::fromJson(*json).object();
    QVERIFY(!expected.isEmpty());
    PickleReader::Stats stats;
    auto value = PickleReader::read(*bytes, QStringLiteral("python.p"), &stats);
    QVERIFY2(value, qPrintable(value.error()));
    QCOMPARE(stats.protocol, protocol < 2 ? 0 : protocol);
    const QJsonObject object = value->toObject();
    QCOMPARE(object.keys(), expected.keys());
    for (const QString &key : expected.keys())
        QVERIFY2(object.value(key) == expected.value(key), qPrintable(key));
    // The integer extremes survive exactly (a double would round them).
    const QJsonArray ints = object.value(QStringLiteral("ints")).toArray();
    QCOMPARE(ints.at(11).toInteger(), (qint64(1) << 53) + 1);
    QCOMPARE(ints.at(12).toInteger(), std::numeric_limits<qint64>::max());
    QCOMPARE(ints.at(13).toInteger(), std::numeric_limits<qint64>::min());
    QCOMPARE(object.value(QStringLiteral("text")).toArray().at(2).toString(), QStringLiteral("café → 😀"));
    QCOMPARE(object.value(QStringLiteral("long")).toArray().size(), 2500);
    QCOMPARE(object.value(QStringLiteral("wide")).toObject().size(), 1200);
}

void TestPickle::memoReferencesShareLists()
{
    // outer = [a, a] with a memoised while empty; a.append(7) happens after both references:
    // EMPTY_LIST MARK EMPTY_LIST BINPUT 1 BINGET 1 APPENDS BINGET 1 BININT1 7 APPEND POP STOP.
    const QByteArray bytes("\x80\x02](]q\x01h\x01" "eh\x01K\x07" "a0.", 17);
    auto value = PickleReader::read(bytes, QStringLiteral("shared.p"));
    QVERIFY2(value, qPrintable(value.error()));
    QCOMPARE(value->toArray(), (QJsonArray{QJsonArray{7}, QJsonArray{7}}));
    // Python agrees.
    QString error;
    const auto fromPython = python(QStringLiteral("import pickle, json, sys; print(json.dumps(pickle.loads(bytes.fromhex(sys.argv[1]))))"),
                                   {QString::fromLatin1(bytes.toHex())}, &error);
    QVERIFY2(fromPython, qPrintable(error));
    QCOMPARE(QJsonDocument::fromJson(*fromPython).array(), value->toArray());

    // A far-off memo index (hand-made pickles only) works without a memo of that size:
    // BININT1 5, LONG_BINPUT 0xfffffff0, POP, LONG_BINGET 0xfffffff0, STOP.
    auto far = PickleReader::read(QByteArray("\x80\x02K\x05r\xf0\xff\xff\xff" "0j\xf0\xff\xff\xff.", 16), QStringLiteral("far.p"));
    QVERIFY2(far, qPrintable(far.error()));
    QCOMPARE(far->toInteger(), 5);
}

void TestPickle::python3ReadsWhatWeWrite()
{
    QTemporaryDir dir;
    const QJsonValue sample = writerSample();
    const QString picklePath = dir.filePath(QStringLiteral("ours.p"));
    const QString jsonPath = dir.filePath(QStringLiteral("want.json"));
    QVERIFY(PickleWriter::writeFile(picklePath, sample));
    writeFile(jsonPath, QJsonDocument(sample.toObject()).toJson());
    QString error;
    const auto output = python(kPythonCompare, {picklePath, jsonPath}, &error);
    QVERIFY2(output, qPrintable(error));
    QVERIFY2(output->contains("python reads the same 7 top-level items"), output->constData());

    // And our reader reads it back unchanged.
    PickleReader::Stats stats;
    auto back = PickleReader::readFile(picklePath, &stats);
    QVERIFY2(back, qPrintable(back.error()));
    QCOMPARE(stats.protocol, 2);
    QCOMPARE(back->toObject(), sample.toObject());
    QCOMPARE(back->toObject().value(QStringLiteral("ints")).toArray().at(11).toInteger(), std::numeric_limits<qint64>::max());
}

void TestPickle::writerBytesAreGoldenAndStable()
{
    const QJsonObject object{{QStringLiteral("b"), QJsonValue::Null},
                             {QStringLiteral("a"), QJsonArray{1, -1, 300, 70000, QJsonValue(qint64(1) << 40), 0.5, true}}};
    // Keys sorted; BININT1 1, BININT -1, BININT2 300, BININT 70000, LONG1 (6 bytes) 2^40, BINFLOAT 0.5.
    const QByteArray golden = QByteArray::fromHex("8002" "7d28"
                                                  "5801000000" "61" "5d28" "4b01" "4affffffff" "4d2c01" "4a70110100"
                                                  "8a06000000000001" "473fe0000000000000" "88" "65"
                                                  "5801000000" "62" "4e" "75" "2e");
    QCOMPARE(PickleWriter::encode(object).toHex(), golden.toHex());
    QCOMPARE(PickleWriter::encode(writerSample()), PickleWriter::encode(writerSample()));
}

void TestPickle::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");

    auto bytes = [](const char *data, int size) { return QByteArray(data, size); };
    QTest::newRow("truncated argument") << bytes("\x80\x02](K", 5) << QStringLiteral("byte 4: the file ends inside BININT1 (truncated?)");
    QTest::newRow("truncated string") << bytes("\x80\x02X\x64\x00\x00\x00" "abc", 10)
                                      << QStringLiteral("byte 2: the file ends inside BINUNICODE (truncated?)");
    QTest::newRow("no STOP") << bytes("\x80\x02]", 3) << QStringLiteral("byte 3: the file ends before STOP (truncated?)");
    QTest::newRow("empty file") << QByteArray() << QStringLiteral("byte 0: the file ends before STOP");
    QTest::newRow("unknown opcode") << bytes("\x80\x02\xff.", 4) << QStringLiteral("byte 2: unknown opcode 0xff");
    QTest::newRow("GLOBAL refused") << bytes("\x80\x02" "cos\nsystem\n" "q\x00.", 16)
                                    << QStringLiteral("byte 2: opcode GLOBAL is refused: it imports or calls Python code");
    QTest::newRow("STACK_GLOBAL refused") << bytes("\x80\x04\x8c\x02os\x8c\x06system\x93.", 16)
                                          << QStringLiteral("byte 14: opcode STACK_GLOBAL is refused");
    QTest::newRow("REDUCE refused") << bytes("\x80\x02N)R.", 6) << QStringLiteral("byte 4: opcode REDUCE is refused");
    QTest::newRow("BUILD refused") << bytes("\x80\x02}}b.", 6) << QStringLiteral("byte 4: opcode BUILD is refused");
    QTest::newRow("INST refused") << bytes("(ios\nsystem\n.", 13) << QStringLiteral("byte 1: opcode INST is refused");
    QTest::newRow("memo index out of range") << bytes("\x80\x02h\x05.", 5)
                                             << QStringLiteral("byte 2: BINGET refers to memo index 5, which was never stored");
    QTest::newRow("long memo index out of range") << bytes("\x80\x02]q\x00j\x00\x01\x00\x00.", 11)
                                                  << QStringLiteral("byte 5: LONG_BINGET refers to memo index 256");
    QTest::newRow("text memo index out of range") << bytes("(lp0\ng1\n.", 9) << QStringLiteral("byte 5: GET refers to memo index 1");
    QTest::newRow("stack underflow") << bytes("\x80\x02K\x01" "a.", 6)
                                     << QStringLiteral("byte 4: APPEND needs 2 value(s) on the stack, found 1 (stack underflow)");
    QTest::newRow("stack underflow at STOP") << bytes("\x80\x02.", 3) << QStringLiteral("byte 2: STOP needs 1 value(s) on the stack, found 0");
    QTest::newRow("underflow below a MARK") << bytes("\x80\x02](\x85.", 6) << QStringLiteral("byte 4: TUPLE1 needs 1 value(s) on the stack, found 0");
    QTest::newRow("no MARK") << bytes("\x80\x02}u.", 5) << QStringLiteral("byte 3: SETITEMS needs a MARK, and there is none");
    QTest::newRow("APPEND to a dict") << bytes("\x80\x02}K\x01" "a.", 7) << QStringLiteral("byte 5: APPEND applies to a dict, not a list");
    QTest::newRow("non-string key") << bytes("\x80\x02}K\x01K\x02s.", 9)
                                    << QStringLiteral("byte 7: SETITEM: a dict key is an int (1), not a string");
    QTest::newRow("odd SETITEMS") << bytes("\x80\x02}(K\x01u.", 8) << QStringLiteral("byte 6: SETITEMS has an odd number of values (1)");
    QTest::newRow("bytes unsupported") << bytes("\x80\x03" "C\x01" "a.", 6)
                                       << QStringLiteral("byte 2: opcode SHORT_BINBYTES is not supported");
    QTest::newRow("invalid UTF-8") << bytes("\x80\x02X\x01\x00\x00\x00\xff.", 9) << QStringLiteral("byte 2: BINUNICODE holds invalid UTF-8");
    QTest::newRow("integer beyond 64 bits") << bytes("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x80\x00.", 14)
                                            << QStringLiteral("byte 2: LONG1: an integer that does not fit in 64 bits");
    QTest::newRow("text integer beyond 64 bits") << bytes("I99999999999999999999\n.", 23)
                                                 << QStringLiteral("byte 0: INT argument '99999999999999999999' is not a 64-bit integer");
    QTest::newRow("list contains itself") << bytes("\x80\x02]q\x00h\x00" "a.", 9) << QStringLiteral("the pickled object contains itself");
    QTest::newRow("unsupported protocol") << bytes("\x80\x06N.", 4) << QStringLiteral("byte 0: unsupported pickle protocol 6");
    QTest::newRow("unquoted STRING") << bytes("Sabc\n.", 6) << QStringLiteral("byte 0: the STRING argument must be quoted");
    QTest::newRow("bad \\x escape") << bytes("S'a\\xZZ'\n.", 10) << QStringLiteral("byte 0: the STRING argument has an invalid escape");
}

void TestPickle::malformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    auto value = PickleReader::read(bytes, QStringLiteral("test.p"));
    QVERIFY(!value);
    QVERIFY2(value.error().startsWith(QStringLiteral("test.p: ")), qPrintable(value.error()));
    QVERIFY2(value.error().contains(expected), qPrintable(value.error()));
    QVERIFY2(!value.error().contains(QLatin1Char('\n')), "errors are one line");
}

QTEST_GUILESS_MAIN(TestPickle)
#include "tst_pickle.moc"
