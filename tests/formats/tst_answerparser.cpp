// AnswerParser: Seg-Zero / VisionReasoner answers read as their evaluation scripts read them
// (formats.md §3.2, §3.4), checked row by row and against a Python re-implementation of the scripts'
// parsing that uses Python's own re, json.loads, int() and round().
#include "plugins/formats/answerparser.h"
#include "plugins/formats/orderedjson.h"
#include "tests/formats/formatfixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::test;

namespace {

struct Case
{
    const char *name;
    QString response;
    const char *style;   // "auto", "seg-zero", "vision-reasoner"
    int width;
    int height;
    bool ok;
    const char *objects;  // "[x1,y1,x2,y2|px,py;px,py]..." when ok
    QString think;
    const char *failure;  // substring of the failure when not ok
    bool singleQuoted;
};

const QString kSegZeroAnswer = QStringLiteral(R"({"bbox": [10,100,200,210], "points_1": [30,110], "points_2": [35,180]})");
const QString kThink = QStringLiteral("<think>The cup on the left holds the tea.</think>");

std::vector<Case> cases()
{
    const QString think = QStringLiteral("The cup on the left holds the tea.");
    return {
        // Seg-Zero: the first {[^}]+} anywhere, keys by substring, round(int(v) * W/840).
        {"sz well-formed", kThink + QStringLiteral("<answer>") + kSegZeroAnswer + QStringLiteral("</answer>"), "auto", 840, 840, true,
         "[10,100,200,210|30,110;35,180]", think, "", false},
        {"sz single quotes (the prompt's example)",
         kThink + QStringLiteral("<answer>{'bbox': [10,100,200,210], 'points_1': [30,110], 'points_2': [35,180]}</answer>"), "auto",
         840, 840, true, "[10,100,200,210|30,110;35,180]", think, "", true},
        {"sz python literal with trailing comma", kThink + QStringLiteral("{'bbox': [1,2,3,4], 'points_1': [1,1], 'points_2': [2,2],}"),
         "seg-zero", 840, 840, true, "[1,2,3,4|1,1;2,2]", think, "", true},
        {"sz missing points", kThink + QStringLiteral(R"(<answer>{"bbox": [1,2,3,4], "points_1": [1,1]}</answer>)"), "auto", 840,
         840, false, "", think, "fewer than two keys containing 'points'", false},
        {"sz missing bbox", kThink + QStringLiteral(R"(<answer>{"box": [1,2,3,4], "points_1": [1,1], "points_2": [2,2]}</answer>)"),
         "auto", 840, 840, false, "", think, "no key containing 'bbox' with 4 values", false},
        {"sz bbox of 5 values", kThink + QStringLiteral(R"({"bbox": [1,2,3,4,5], "points_1": [1,1], "points_2": [2,2]})"), "auto",
         840, 840, false, "", think, "no key containing 'bbox' with 4 values", false},
        {"sz extra text around", QStringLiteral("Sure! ") + kThink + QStringLiteral(" Here it is: <answer>") + kSegZeroAnswer
                                     + QStringLiteral("</answer> Hope this helps."),
         "auto", 840, 840, true, "[10,100,200,210|30,110;35,180]", think, "", false},
        {"sz nested braces cut at the first }",
         kThink + QStringLiteral(R"(<answer>{"bbox": [1,2,3,4], "meta": {"a": 1}, "points_1": [1,1], "points_2": [2,2]}</answer>)"),
         "auto", 840, 840, false, "", think, "is not JSON", false},
        {"sz no answer tag is fine", kThink + kSegZeroAnswer, "auto", 840, 840, true, "[10,100,200,210|30,110;35,180]", think, "", false},
        {"sz no think fails", QStringLiteral("<answer>") + kSegZeroAnswer + QStringLiteral("</answer>"), "auto", 840, 840, false, "",
         QString(), "no <think>", false},
        {"sz empty think fails", QStringLiteral("<think></think>") + kSegZeroAnswer, "auto", 840, 840, false, "", QString(),
         "no <think>", false},
        {"sz no braces at all", kThink + QStringLiteral("<answer>the cup</answer>"), "auto", 840, 840, false, "", think,
         "no {...} answer", false},
        {"sz empty list is no object", kThink + QStringLiteral("<answer>[]</answer>"), "seg-zero", 840, 840, false, "", think,
         "no {...} answer", false},
        {"sz 840 rescale", kThink + QStringLiteral(R"({"bbox": [420, 420, 839, 839], "points_1": [101, 333], "points_2": [1, 1]})"),
         "auto", 1000, 750, true, "[500,375,999,749|120,297;1,1]", think, "", false},
        {"sz round half to even", kThink + QStringLiteral(R"({"bbox": [5, 3, 7, 1], "points_1": [1, 1], "points_2": [3, 5]})"), "auto",
         420, 1260, true, "[2,4,4,2|0,2;2,8]", think, "", false},
        {"sz negative coordinates", kThink + QStringLiteral(R"({"bbox": [-3, -10, 5, 5], "points_1": [-1, 0], "points_2": [3, 5]})"),
         "auto", 1260, 1260, true, "[-4,-15,8,8|-2,0;4,8]", think, "", false},
        {"sz floats truncated by int()",
         kThink + QStringLiteral(R"({"bbox": [10.9, 20.5, 30.99, -40.7], "points_1": [1.9, 1.1], "points_2": [2, 2]})"), "auto", 840,
         840, true, "[10,20,30,-40|1,1;2,2]", think, "", false},
        {"sz key order as written",
         kThink + QStringLiteral(R"({"points_2": [35, 180], "points_1": [30, 110], "bbox_2d": [1, 2, 3, 4]})"), "auto", 840, 840,
         true, "[1,2,3,4|35,180;30,110]", think, "", false},
        {"sz int() of digit strings and true",
         kThink + QStringLiteral(R"({"bbox": ["10", " 20", 30, true], "points_1": [1, 1], "points_2": [2, 2]})"), "auto", 840, 840,
         true, "[10,20,30,1|1,1;2,2]", think, "", false},
        {"sz null coordinate fails", kThink + QStringLiteral(R"({"bbox": [1, null, 3, 4], "points_1": [1, 1], "points_2": [2, 2]})"),
         "auto", 840, 840, false, "", think, "bbox value 1", false},
        {"sz NaN fails", kThink + QStringLiteral(R"({"bbox": [NaN, 2, 3, 4], "points_1": [1, 1], "points_2": [2, 2]})"), "auto", 840,
         840, false, "", think, "bbox value 0", false},
        {"sz think regex stops at <", QStringLiteral("<think>a < b</think><think>second</think>") + kSegZeroAnswer, "auto", 840, 840,
         true, "[10,100,200,210|30,110;35,180]", QStringLiteral("second"), "", false},
        // VisionReasoner: <answer>\s*(.*?)\s*</answer> + strict json.loads, int(v * W/840 + 0.5).
        {"vr two objects",
         QStringLiteral("<think>Two red cars.</think><answer>[{\"bbox_2d\": [10,20,30,40], \"point_2d\": [15,25]}, "
                        "{\"bbox_2d\": [50,60,70,80], \"point_2d\": [55,65]}]</answer>"),
         "auto", 840, 840, true, "[10,20,30,40|15,25][50,60,70,80|55,65]", QStringLiteral("Two red cars."), "", false},
        {"vr empty list", QStringLiteral("<think>Nothing matches.</think><answer>[]</answer>"), "auto", 840, 840, true, "",
         QStringLiteral("Nothing matches."), "", false},
        {"vr empty dict iterates nothing", QStringLiteral("<answer>{}</answer>"), "vision-reasoner", 840, 840, true, "", QString(), "",
         false},
        {"vr whitespace and newlines inside the tags",
         QStringLiteral("<answer>\n  [{\"bbox_2d\": [1,2,3,4],\n \"point_2d\": [2,3]}]  \n</answer>"), "auto", 840, 840, true,
         "[1,2,3,4|2,3]", QString(), "", false},
        {"vr no answer tag", QStringLiteral("[{\"bbox_2d\": [1,2,3,4], \"point_2d\": [2,3]}]"), "vision-reasoner", 840, 840, false, "",
         QString(), "no <answer>", false},
        {"vr single quotes are not JSON", QStringLiteral("<answer>[{'bbox_2d': [1,2,3,4], 'point_2d': [2,3]}]</answer>"),
         "vision-reasoner", 840, 840, false, "", QString(), "is not JSON", false},
        {"vr missing point_2d", QStringLiteral("<answer>[{\"bbox_2d\": [1,2,3,4]}]</answer>"), "auto", 840, 840, false, "", QString(),
         "has no 'point_2d'", false},
        {"vr item is a list", QStringLiteral("<answer>[[1,2,3,4]]</answer>"), "auto", 840, 840, false, "", QString(),
         "is not an object", false},
        {"vr answer is text", QStringLiteral("<answer>\"the cup\"</answer>"), "vision-reasoner", 840, 840, false, "", QString(),
         "not a list", false},
        {"vr trailing comma is not JSON", QStringLiteral("<answer>[{\"bbox_2d\": [1,2,3,4], \"point_2d\": [2,3]},]</answer>"),
         "vision-reasoner", 840, 840, false, "", QString(), "is not JSON", false},
        {"vr rounding int(v*f+0.5)", QStringLiteral("<answer>[{\"bbox_2d\": [5,3,7,1], \"point_2d\": [1,1]}]</answer>"), "auto", 420,
         1260, true, "[3,5,4,2|1,2]", QString(), "", false},
        {"vr negative coordinates truncate toward zero", QStringLiteral("<answer>[{\"bbox_2d\": [-10,-3,4,4], \"point_2d\": [-1,0]}]</answer>"),
         "auto", 1260, 1260, true, "[-14,-4,6,6|-1,0]", QString(), "", false},
        {"vr 840 rescale", QStringLiteral("<answer>[{\"bbox_2d\": [420, 420, 839, 839], \"point_2d\": [101, 333]}]</answer>"), "auto",
         1000, 750, true, "[500,375,999,749|120,297]", QString(), "", false},
        {"vr extra bbox values ignored", QStringLiteral("<answer>[{\"bbox_2d\": [1,2,3,4,5], \"point_2d\": [2,3,9]}]</answer>"), "auto",
         840, 840, true, "[1,2,3,4|2,3]", QString(), "", false},
        {"vr duplicate key keeps the last value",
         QStringLiteral("<answer>[{\"bbox_2d\": [9,9,9,9], \"point_2d\": [2,3], \"bbox_2d\": [1,2,3,4]}]</answer>"), "auto", 840, 840,
         true, "[1,2,3,4|2,3]", QString(), "", false},
        {"vr unicode escape and exponent", QStringLiteral("<think>caf\\u00e9</think><answer>[{\"bbox_2d\": [1e1,2,3.0,4], \"point_2d\": [2,3]}]</answer>"),
         "auto", 840, 840, true, "[10,2,3,4|2,3]", QStringLiteral("caf\\u00e9"), "", false},
    };
}

QString describe(const AnswerParser::Result &result)
{
    QString text;
    for (const AnswerParser::Object &object : result.objects) {
        QStringList points;
        for (const QPoint &point : object.points)
            points << QStringLiteral("%1,%2").arg(point.x()).arg(point.y());
        text += QStringLiteral("[%1,%2,%3,%4|%5]").arg(object.x1).arg(object.y1).arg(object.x2).arg(object.y2).arg(points.join(QLatin1Char(';')));
    }
    return text;
}

AnswerParser::Result parseCase(const Case &c)
{
    const QString style = QString::fromLatin1(c.style);
    if (style == QLatin1String("auto"))
        return AnswerParser::parse(c.response, c.width, c.height);
    return AnswerParser::parse(c.response, *AnswerParser::styleFromName(style), c.width, c.height);
}

} // namespace

class TestAnswerParser : public QObject
{
    Q_OBJECT

private slots:
    void parsesLikeTheEvaluationScripts_data();
    void parsesLikeTheEvaluationScripts();
    void detectsTheStyle();
    void orderedJsonFollowsJsonLoads_data();
    void orderedJsonFollowsJsonLoads();
    void pythonReferenceAgrees();
};

void TestAnswerParser::parsesLikeTheEvaluationScripts_data()
{
    QTest::addColumn<int>("index");
    const std::vector<Case> all = cases();
    for (std::size_t i = 0; i < all.size(); ++i)
        QTest::newRow(all[i].name) << int(i);
}

void TestAnswerParser::parsesLikeTheEvaluationScripts()
{
    QFETCH(int, index);
    const Case c = cases()[std::size_t(index)];
    const AnswerParser::Result result = parseCase(c);
    QCOMPARE(result.ok, c.ok);
    QCOMPARE(result.singleQuoted, c.singleQuoted);
    QCOMPARE(result.think, c.think);
    if (c.ok) {
        QCOMPARE(describe(result), QString::fromLatin1(c.objects));
        QVERIFY(result.failure.isEmpty());
    } else {
        QVERIFY(result.objects.empty());
        QVERIFY2(result.failure.contains(QString::fromLatin1(c.failure)), qPrintable(result.failure));
        QVERIFY(!result.failure.contains(QLatin1Char('\n')));
    }
}

void TestAnswerParser::detectsTheStyle()
{
    QCOMPARE(AnswerParser::detect(QStringLiteral("<answer> [{\"bbox_2d\": [1,2,3,4]}]</answer>")), AnswerParser::Style::VisionReasoner);
    QCOMPARE(AnswerParser::detect(QStringLiteral("<answer>{'bbox': [1,2,3,4]}</answer>")), AnswerParser::Style::SegZero);
    QCOMPARE(AnswerParser::detect(QStringLiteral("no tags at all")), AnswerParser::Style::SegZero);
    QCOMPARE(AnswerParser::styleFromName(QStringLiteral("vision-reasoner")), std::optional(AnswerParser::Style::VisionReasoner));
    QCOMPARE(AnswerParser::styleFromName(QStringLiteral("lisa")), std::nullopt);
    QCOMPARE(AnswerParser::styleName(AnswerParser::Style::SegZero), QStringLiteral("seg-zero"));
}

void TestAnswerParser::orderedJsonFollowsJsonLoads_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("literal");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("keys");

    QTest::newRow("order kept") << QStringLiteral(R"({"b": 1, "a": 2, "c": 3})") << false << true << QStringLiteral("b,a,c");
    QTest::newRow("duplicate keeps first position") << QStringLiteral(R"({"b": 1, "a": 2, "b": 3})") << false << true << QStringLiteral("b,a");
    QTest::newRow("leading zero") << QStringLiteral(R"({"a": 01})") << false << false << QString();
    QTest::newRow("1. is not a number") << QStringLiteral(R"({"a": 1.})") << false << false << QString();
    QTest::newRow("NaN and Infinity") << QStringLiteral(R"({"a": NaN, "b": -Infinity})") << false << true << QStringLiteral("a,b");
    QTest::newRow("single quotes strict") << QStringLiteral("{'a': 1}") << false << false << QString();
    QTest::newRow("single quotes literal") << QStringLiteral("{'a': 1, 'b': True, 'c': None}") << true << true << QStringLiteral("a,b,c");
    QTest::newRow("trailing comma strict") << QStringLiteral(R"({"a": 1,})") << false << false << QString();
    QTest::newRow("control character in string") << QStringLiteral("{\"a\": \"x\ty\"}") << false << false << QString();
    QTest::newRow("extra data") << QStringLiteral(R"({"a": 1} x)") << false << false << QString();
    QTest::newRow("bad escape") << QStringLiteral(R"({"a": "\q"})") << false << false << QString();
    QTest::newRow("bad unicode escape") << QStringLiteral(R"({"a": "\u12g4"})") << false << false << QString();
}

void TestAnswerParser::orderedJsonFollowsJsonLoads()
{
    QFETCH(QString, text);
    QFETCH(bool, literal);
    QFETCH(bool, valid);
    QFETCH(QString, keys);
    OrderedJson::Options options;
    options.pythonLiterals = literal;
    const auto parsed = OrderedJson::parse(text, options);
    QCOMPARE(bool(parsed), valid);
    if (!valid) {
        QVERIFY(parsed.error().contains(QStringLiteral("offset")));
        return;
    }
    QStringList found;
    for (const auto &[key, value] : parsed->members())
        found << key;
    QCOMPARE(found.join(QLatin1Char(',')), keys);
}

void TestAnswerParser::pythonReferenceAgrees()
{
    QTemporaryDir dir;
    QByteArray lines;
    for (const Case &c : cases()) {
        const AnswerParser::Result result = parseCase(c);
        QJsonArray objects;
        for (const AnswerParser::Object &object : result.objects) {
            QJsonArray points;
            for (const QPoint &point : object.points)
                points.append(QJsonArray{point.x(), point.y()});
            objects.append(QJsonArray{object.x1, object.y1, object.x2, object.y2, points});
        }
        QJsonObject cpp{{QStringLiteral("ok"), result.ok},
                        {QStringLiteral("objects"), objects},
                        {QStringLiteral("think"), result.think},
                        {QStringLiteral("single_quoted"), result.singleQuoted}};
        QJsonObject line{{QStringLiteral("name"), QString::fromLatin1(c.name)},
                         {QStringLiteral("response"), c.response},
                         {QStringLiteral("style"), AnswerParser::styleName(result.style)},
                         {QStringLiteral("width"), c.width},
                         {QStringLiteral("height"), c.height},
                         {QStringLiteral("cpp"), cpp}};
        lines += QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    }
    writeFile(dir.path() + QStringLiteral("/cases.jsonl"), lines);
    QString output;
    const int code = runReferenceChecker(QStringLiteral("check_predictions.py"), {QStringLiteral("answers"), dir.path() + QStringLiteral("/cases.jsonl")}, &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("%1 answers match").arg(cases().size())), qPrintable(output));
}

QTEST_GUILESS_MAIN(TestAnswerParser)
#include "tst_answerparser.moc"
