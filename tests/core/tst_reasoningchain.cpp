#include "core/reasoningchain.h"

#include <QTest>

using namespace rs;

namespace {

ChainToken token(const QString &text, float margin, float entropy = 0.f)
{
    ChainToken t;
    t.text = text;
    t.top2Margin = margin;
    t.entropy = entropy;
    return t;
}

} // namespace

class TstReasoningChain : public QObject
{
    Q_OBJECT

private slots:
    void sentenceSteps_data();
    void sentenceSteps();
    void uncertainty_data();
    void uncertainty();
    void setSteps_data();
    void setSteps();
    void stepOfToken();
};

void TstReasoningChain::sentenceSteps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("tokens");
    QTest::addColumn<int>("words");
    QTest::addColumn<QStringList>("steps");
    QTest::newRow("empty") << QString() << 0 << 0 << QStringList();
    QTest::newRow("one sentence") << "the red circle ." << 4 << 4 << QStringList{"the red circle ."};
    QTest::newRow("two sentences, tail")
        << "find circles. two are red! segment [SEG]" << 7 << 7
        << QStringList{"find circles.", "two are red!", "segment [SEG]"};
    QTest::newRow("think tag closes a step")
        << "<think> look left </think> [SEG]" << 5 << 5 << QStringList{"<think> look left </think>", "[SEG]"};
    QTest::newRow("extra whitespace") << "  a \n b\t? c " << 4 << 4 << QStringList{"a b ?", "c"};
}

void TstReasoningChain::sentenceSteps()
{
    QFETCH(QString, text);
    QFETCH(int, tokens);
    QFETCH(int, words);
    QFETCH(QStringList, steps);
    const ReasoningChain chain = ReasoningChain::fromText(text);
    QCOMPARE(chain.tokenCount(), tokens);
    QCOMPARE(chain.wordCount(), words);
    QStringList actual;
    for (int i = 0; i < int(chain.steps().size()); ++i)
        actual << chain.stepText(i);
    QCOMPARE(actual, steps);
}

void TstReasoningChain::uncertainty_data()
{
    QTest::addColumn<QList<float>>("margins");
    QTest::addColumn<double>("expectedU");
    QTest::newRow("no tokens") << QList<float>{} << 0.0;
    QTest::newRow("all certain") << QList<float>{1.f, 1.f} << 0.0;
    // u = 1 - (p1 - p2): 0.5 and 0.25 -> (0.5 + 0.75) / 2
    QTest::newRow("mixed") << QList<float>{0.5f, 0.25f} << 0.625;
    // a margin of 0 is a coin toss: u = 1
    QTest::newRow("tie") << QList<float>{0.f} << 1.0;
    // out-of-range margins are clamped to [0, 1] like PixelThink's clamp
    QTest::newRow("clamped") << QList<float>{-0.5f, 1.5f} << 0.5;
}

void TstReasoningChain::uncertainty()
{
    QFETCH(QList<float>, margins);
    QFETCH(double, expectedU);
    std::vector<ChainToken> tokens;
    for (float m : margins)
        tokens.push_back(token(QStringLiteral("w"), m, 2.f * m));
    const ReasoningChain chain = ReasoningChain::fromTokens(tokens);
    QCOMPARE(chain.sequenceUncertainty(), expectedU);
}

void TstReasoningChain::setSteps_data()
{
    QTest::addColumn<QList<int>>("bounds"); // pairs first,end
    QTest::addColumn<bool>("accepted");
    QTest::newRow("merge all") << QList<int>{0, 6} << true;
    QTest::newRow("split") << QList<int>{0, 1, 1, 3, 3, 6} << true;
    QTest::newRow("gaps allowed") << QList<int>{0, 2, 4, 6} << true;
    QTest::newRow("overlap") << QList<int>{0, 3, 2, 6} << false;
    QTest::newRow("empty step") << QList<int>{0, 0} << false;
    QTest::newRow("past the end") << QList<int>{0, 7} << false;
    QTest::newRow("negative") << QList<int>{-1, 2} << false;
}

void TstReasoningChain::setSteps()
{
    QFETCH(QList<int>, bounds);
    QFETCH(bool, accepted);
    ReasoningChain chain = ReasoningChain::fromText(QStringLiteral("a b. c d e. f"));
    const std::vector<ChainStep> before = chain.steps();
    std::vector<ChainStep> steps;
    for (int i = 0; i + 1 < bounds.size(); i += 2)
        steps.push_back({bounds[i], bounds[i + 1]});
    QCOMPARE(chain.setSteps(steps), accepted);
    QCOMPARE(chain.steps(), accepted ? steps : before);
}

void TstReasoningChain::stepOfToken()
{
    const ReasoningChain chain = ReasoningChain::fromText(QStringLiteral("a b. c d e. f"));
    QCOMPARE(chain.steps().size(), std::size_t(3));
    QCOMPARE(chain.stepOfToken(0), 0);
    QCOMPARE(chain.stepOfToken(1), 0);
    QCOMPARE(chain.stepOfToken(2), 1);
    QCOMPARE(chain.stepOfToken(4), 1);
    QCOMPARE(chain.stepOfToken(5), 2);
    QCOMPARE(chain.stepOfToken(6), -1);
}

QTEST_APPLESS_MAIN(TstReasoningChain)
#include "tst_reasoningchain.moc"
