// Evaluator and ProtocolScorer: which counts each benchmark protocol reads, its edge cases, the
// breakdown keys, and the reasoning-length figures, against hand-computed values.
#include "core/evaluationjson.h"
#include "core/evaluator.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace rs;

namespace {

// A sample whose LISA counts (ignore removed) differ from the ignore-as-foreground ones, so a test
// sees which a protocol read.
EvaluationSample sample(qint64 id, OverlapCounts lisa, OverlapCounts plain, OverlapCounts withIgnore)
{
    EvaluationSample s;
    s.sampleId = id;
    s.overlap.imageSize = QSize(100, 100);
    s.overlap.lisa = lisa;
    s.overlap.plain = plain;
    s.overlap.ignoreAsForeground = withIgnore;
    s.overlap.truthArea = plain.unionArea > 0 ? 40 : 0;
    s.overlap.truthAreaWithIgnore = 60;
    s.overlap.truthEmpty = s.overlap.truthArea == 0;
    s.overlap.predictedMask = true;
    s.truthTargetCount = s.overlap.truthEmpty ? 0 : 1;
    s.truthNoTarget = s.overlap.truthEmpty;
    return s;
}

double metric(const EvaluationGroup &group, const QString &name)
{
    for (const MetricValue &value : group.metrics) {
        if (value.name == name)
            return value.value;
    }
    return std::nan("");
}

} // namespace

class TestEvaluator : public QObject
{
    Q_OBJECT

private slots:
    void protocolNames();
    void lisaReadsIgnoreRemovedCounts();
    void segZeroSkipsEmptyAndPenalisesUnparsable_data();
    void segZeroSkipsEmptyAndPenalisesUnparsable();
    void gresNoTargetCases();
    void nextChatFailedAndRec();
    void boxOnlyProposalsUseReportedCounts();
    void breakdownKeys_data();
    void breakdownKeys();
    void lengthBudgetAndOverthinking();
    void jsonNamesEveryFigure();
};

void TestEvaluator::protocolNames()
{
    QCOMPARE(ProtocolScorer::protocolNames(),
             QStringList({ "lisa", "seg-zero", "visionreasoner", "gres", "next-chat" }));
    for (const QString &name : ProtocolScorer::protocolNames())
        QCOMPARE(ProtocolScorer::create(*ProtocolScorer::protocolFromName(name))->name(), name);
    QVERIFY(!ProtocolScorer::protocolFromName(QStringLiteral("LISA")));
    QCOMPARE(Evaluator::breakdownFromName(QStringLiteral("is_sentence")), Evaluator::Breakdown::QueryLength);
    QVERIFY(!Evaluator::breakdownFromName(QStringLiteral("sentence")));
}

void TestEvaluator::lisaReadsIgnoreRemovedCounts()
{
    Evaluator evaluator(ProtocolScorer::Protocol::Lisa);
    evaluator.add(sample(1, { 50, 100 }, { 50, 110 }, { 50, 120 }));
    evaluator.add(sample(2, { 0, 0 }, { 0, 0 }, { 0, 0 }));  // empty on empty: 1
    const EvaluationReport report = evaluator.report();
    QCOMPARE(report.protocol, QStringLiteral("lisa"));
    // float32: 50 / (100 + 1e-5) = 0.49999994; (0.49999994 + 1) / (2 + 1e-5) = 0.7499962.
    QCOMPARE(float(metric(report.overall, "gIoU")), (0.49999994f + 1.0f) / 2.00001f);
    QCOMPARE(metric(report.overall, "cIoU"), double(50.0f / (100.0f + 1e-10f)));
    QCOMPARE(report.samples.at(0).iou, double(50.0f / (100.0f + 1e-5f)));
    QCOMPARE(report.samples.at(1).iou, 1.0);
}

void TestEvaluator::segZeroSkipsEmptyAndPenalisesUnparsable_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<double>("gIoU");
    QTest::addColumn<double>("cIoU");
    QTest::addColumn<qint64>("samples");
    // Samples: 50/120 (ignore as foreground), empty∧empty, unparsable with |truth ∪ ignore| = 60.
    // Seg-Zero skips the empty one: mean(50/120, 0) ; VisionReasoner scores it 0: mean(50/120, 0, 0).
    QTest::newRow("seg-zero") << "seg-zero" << (50.0 / 120.0) / 2 << 50.0 / 180.0 << qint64(2);
    QTest::newRow("visionreasoner") << "visionreasoner" << (50.0 / 120.0) / 3 << 50.0 / 180.0 << qint64(3);
}

void TestEvaluator::segZeroSkipsEmptyAndPenalisesUnparsable()
{
    QFETCH(QString, protocol);
    QFETCH(double, gIoU);
    QFETCH(double, cIoU);
    QFETCH(qint64, samples);
    Evaluator evaluator(*ProtocolScorer::protocolFromName(protocol));
    evaluator.add(sample(1, { 50, 100 }, { 50, 110 }, { 50, 120 }));
    evaluator.add(sample(2, { 0, 0 }, { 0, 0 }, { 0, 0 }));
    EvaluationSample unparsable = sample(3, { 0, 0 }, { 0, 0 }, { 0, 0 });
    unparsable.parseFailed = true;
    evaluator.add(unparsable);
    const EvaluationReport report = evaluator.report();
    QCOMPARE(report.protocol, protocol);
    QCOMPARE(metric(report.overall, "gIoU"), gIoU);
    QCOMPARE(metric(report.overall, "cIoU"), cIoU);
    QCOMPARE(qint64(metric(report.overall, "samples")), samples);
    QCOMPARE(metric(report.overall, "unparsable"), 1.0);
    QCOMPARE(std::isnan(report.samples.at(1).iou), protocol == QLatin1String("seg-zero"));
}

void TestEvaluator::gresNoTargetCases()
{
    Evaluator evaluator(ProtocolScorer::Protocol::Gres);
    EvaluationSample tp = sample(1, {}, { 0, 0 }, {}), fn = sample(2, {}, { 0, 30 }, {});
    tp.predictedNoTarget = true;                    // no target, answered no target: IoU 1
    fn.truthNoTarget = true;                        // no target, answered with a 30-pixel mask: IoU 0
    EvaluationSample fp = sample(3, {}, { 20, 50 }, {}), tn = sample(4, {}, { 40, 50 }, {});
    fp.predictedNoTarget = true;                    // target, answered none: I := 0
    evaluator.add(tp);
    evaluator.add(fn);
    evaluator.add(fp);
    evaluator.add(tn);
    const EvaluationReport report = evaluator.report();
    QCOMPARE(metric(report.overall, "gIoU"), 100.0 * (1.0 + 0.0 + 0.0 + 0.8) / 4);
    // ΣI = 40 (TN), ΣU = 30 (FN's predicted area) + 50 (FP) + 50 (TN).
    QCOMPARE(metric(report.overall, "cIoU"), 40.0 * 100 / 130.0);
    QCOMPARE(metric(report.overall, "N_acc"), 0.5);
    QCOMPARE(metric(report.overall, "T_acc"), 0.5);
    QCOMPARE(metric(report.overall, "Pr@0.8"), 50.0);  // TN at 0.8 of the two targeted samples
    QCOMPARE(report.samples.at(0).iou, 1.0);
    QCOMPARE(report.samples.at(2).iou, 0.0);
}

void TestEvaluator::nextChatFailedAndRec()
{
    Evaluator evaluator(ProtocolScorer::Protocol::NextChat);
    EvaluationSample hit = sample(1, {}, { 30, 60 }, {});
    hit.overlap.truthBox = BoxXyxy { 10, 10, 50, 50 };
    hit.overlap.predictedBoxes = { BoxXyxy { 12, 12, 50, 50 }, BoxXyxy { 0, 0, 1, 1 } };  // the first box counts
    EvaluationSample miss = sample(2, {}, { 0, 70 }, {});
    miss.overlap.truthBox = BoxXyxy { 10, 10, 50, 50 };
    miss.overlap.predictedBoxes = { BoxXyxy { 60, 60, 90, 90 } };
    evaluator.add(hit);
    evaluator.add(miss);
    const EvaluationReport report = evaluator.report();
    QCOMPARE(metric(report.overall, "cIoU"), 30.0 / 130.0);
    QCOMPARE(metric(report.overall, "failed"), 1.0);
    QCOMPARE(metric(report.overall, "Acc@0.5"), 0.5);
    QCOMPARE(metric(report.overall, "box_samples"), 2.0);
    QCOMPARE(metric(report.overall, "samples"), 2.0);
}

void TestEvaluator::boxOnlyProposalsUseReportedCounts()
{
    Evaluator evaluator(ProtocolScorer::Protocol::SegZero);
    EvaluationSample boxOnly = sample(1, { 0, 40 }, { 0, 40 }, { 0, 60 });
    boxOnly.overlap.predictedMask = false;
    boxOnly.reportedOverlap = OverlapCounts { 0, 0 };  // the script recorded U == 0: scores 0, not skipped
    evaluator.add(boxOnly);
    EvaluationSample reported = sample(2, { 0, 40 }, { 0, 40 }, { 0, 60 });
    reported.overlap.predictedMask = false;
    reported.reportedOverlap = OverlapCounts { 30, 40 };
    evaluator.add(reported);
    const EvaluationReport report = evaluator.report();
    QCOMPARE(metric(report.overall, "gIoU"), 0.75 / 2);
    QCOMPARE(metric(report.overall, "skipped"), 0.0);
    QCOMPARE(report.scoredFromReportedOverlap, qint64(2));
    QVERIFY(report.notes.join(QString()).contains(QStringLiteral("2 box-only proposal(s)")));
}

void TestEvaluator::breakdownKeys_data()
{
    QTest::addColumn<QString>("by");
    QTest::addColumn<QStringList>("keys");
    QTest::newRow("difficulty") << "difficulty" << QStringList({ "easy", "hard", "unrated" });
    QTest::newRow("is_sentence") << "is_sentence" << QStringList({ "long", "short" });
    QTest::newRow("targets") << "targets" << QStringList({ "1", "3" });
    QTest::newRow("split") << "split" << QStringList({ "test", "val" });
}

void TestEvaluator::breakdownKeys()
{
    QFETCH(QString, by);
    QFETCH(QStringList, keys);
    Evaluator evaluator(ProtocolScorer::Protocol::Lisa, *Evaluator::breakdownFromName(by));
    EvaluationSample a = sample(1, { 10, 20 }, { 10, 20 }, { 10, 20 }), b = a, c = a;
    a.difficulty = 2.0, b.difficulty = 7.5;          // c: unrated
    a.isSentence = true;
    a.truthTargetCount = 3;
    a.split = QStringLiteral("val"), b.split = QStringLiteral("test"), c.split = QStringLiteral("val");
    for (const EvaluationSample &s : { a, b, c })
        evaluator.add(s);
    const EvaluationReport report = evaluator.report();
    QCOMPARE(report.breakdown, by);
    QStringList found;
    qint64 total = 0;
    for (const EvaluationGroup &group : report.groups) {
        found << group.key;
        total += group.samples;
    }
    QCOMPARE(found, keys);
    QCOMPARE(total, qint64(3));
    QCOMPARE(report.overall.samples, qint64(3));
}

void TestEvaluator::lengthBudgetAndOverthinking()
{
    Evaluator evaluator(ProtocolScorer::Protocol::Lisa);
    EvaluationSample easy = sample(1, { 10, 20 }, {}, {});  // budget 96, 100 words: over by 4
    easy.difficulty = 2.0;
    easy.words = 100, easy.tokens = 120, easy.characters = 500;
    easy.uncertainty = 0.2;
    EvaluationSample hard = sample(2, { 20, 20 }, {}, {});  // budget 256 + 25 * 0.4 = 266
    hard.difficulty = 6.0;
    hard.words = 100, hard.tokens = 80, hard.characters = 300;
    hard.uncertainty = 0.4;
    EvaluationSample medium = sample(3, { 0, 20 }, {}, {});  // no budget; no token statistics
    medium.difficulty = 4.0;
    medium.words = 400, medium.tokens = 400, medium.characters = 2000;
    for (const EvaluationSample &s : { easy, hard, medium })
        evaluator.add(s);
    const EvaluationReport report = evaluator.report();
    const ReasoningSummary &r = report.reasoning;
    QCOMPARE(r.meanTokens, 200.0);
    QCOMPARE(r.meanWords, 200.0);
    QCOMPARE(r.meanCharacters, 2800.0 / 3);
    QCOMPARE(r.samplesWithTokenStats, qint64(2));
    QCOMPARE(r.meanUncertainty, 0.3);
    QCOMPARE(r.budgeted, qint64(2));
    QCOMPARE(r.overthinking, qint64(1));
    QCOMPARE(r.meanLengthScore, (1.0 - 4.0 / 500 + 1.0 + 1.0) / 3);
    QCOMPARE(*report.samples.at(1).budget, 266.0);
    QVERIFY(!report.samples.at(2).budget);
    QVERIFY(report.samples.at(0).overthinking);
    QCOMPARE(r.buckets.size(), std::size_t(3));
    QCOMPARE(r.buckets.at(0).name, QStringLiteral("easy"));
    QCOMPARE(r.buckets.at(0).meanTokens, 120.0);
    QCOMPARE(r.buckets.at(2).overthinking, qint64(0));
    const double meanIoU = (double(10.0f / (20.0f + 1e-5f)) + double(20.0f / (20.0f + 1e-5f)) + 0.0) / 3;
    QCOMPARE(r.iouPerHundredTokens, meanIoU / 200.0 * 100.0);
}

void TestEvaluator::jsonNamesEveryFigure()
{
    Evaluator evaluator(ProtocolScorer::Protocol::Gres, Evaluator::Breakdown::Split);
    EvaluationSample s = sample(7, {}, { 5, 10 }, {});
    s.split = QStringLiteral("val");
    evaluator.add(s);
    GradeSummary grades;
    grades.steps = 4, grades.correct = 3, grades.useful = 1;
    evaluator.setGrades(grades);
    const QJsonObject json = EvaluationJson::toJson(evaluator.report(), true);
    QCOMPARE(json.value("protocol").toString(), QStringLiteral("gres"));
    QCOMPARE(json.value("by").toString(), QStringLiteral("split"));
    QCOMPARE(json.value("overall").toObject().value("metrics").toObject().value("gIoU").toDouble(), 50.0);
    QCOMPARE(json.value("units").toObject().value("gIoU").toString(), QStringLiteral("percent"));
    // ReLA's N_acc is 0 when the split has no no-target expression.
    QCOMPARE(json.value("overall").toObject().value("metrics").toObject().value("N_acc").toDouble(-1), 0.0);
    QCOMPARE(json.value("groups").toObject().value("val").toObject().value("samples").toInt(), 1);
    QCOMPARE(json.value("grades").toObject().value("step_accuracy_ours").toDouble(), 0.75);
    QCOMPARE(json.value("samples").toArray().at(0).toObject().value("sample_id").toInt(), 7);
}

QTEST_APPLESS_MAIN(TestEvaluator)
#include "tst_evaluator.moc"
