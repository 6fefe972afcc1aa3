// The review dashboard on a real SQLite project with two model runs and two annotators' overlap
// answers: every plot holds the data the evaluation gave it, a click opens the sample, export works.
#include "../storage/storagetestdata.h"
#include "core/evaluationreport.h"
#include "gui/dashboard/dashboardwidget.h"
#include "storage/annotatorrepository.h"
#include "storage/assignmentrepository.h"
#include "storage/database.h"
#include "storage/independentannotationrepository.h"
#include "storage/proposalrepository.h"
#include "storage/runrepository.h"
#include "storage/samplerepository.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <qcustomplot.h>

using namespace rs;
using namespace rs::test;

namespace {

constexpr int kSamples = 12;

// Sample i: truth a 10 x 10 square; difficulty 1.5 + 0.7 i (easy, medium and hard); run r1 proposes
// for every sample (the square moved by i pixels), run r2 for the first six.
QString makeProject(const QString &dir)
{
    const QString path = dir + QStringLiteral("/dashboard.rsdb");
    auto db = Database::create(ProjectLocation::sqlite(path));
    if (!db)
        qFatal("%s", qPrintable(db.error()));
    ModelRun r1, r2;
    r1.name = QStringLiteral("r1");
    r2.name = QStringLiteral("r2");
    const qint64 run1 = *RunRepository(**db).add(r1), run2 = *RunRepository(**db).add(r2);
    for (int i = 0; i < kSamples; ++i) {
        SampleExtras extras;
        extras.extra.insert(QStringLiteral("difficulty"), QJsonObject { { "score", 1.5 + 0.7 * i } });
        const qint64 id = *SampleRepository(**db).add(makeSample(QStringLiteral("img/%1.jpg").arg(i), "val", QString::number(i)),
                                                     { rectTarget(QRect(10, 10, 10, 10)) }, extras);
        for (const qint64 run : { run1, run2 }) {
            if (run == run2 && i >= 6)
                continue;
            Proposal proposal;
            proposal.runId = run;
            proposal.sampleId = id;
            std::vector<ChainToken> tokens(std::size_t(5 + 3 * i));
            for (std::size_t t = 0; t < tokens.size(); ++t)
                tokens[t] = ChainToken { QStringLiteral("w"), 9, -0.2f, 0.3f, float(0.5 + 0.04 * i) };
            proposal.chain = ReasoningChain::fromTokens(tokens);
            proposal.targets = { rectTarget(QRect(10 + i, 10, 10, 10)) };
            if (const auto added = ProposalRepository(**db).add(proposal); !added)
                qFatal("%s", qPrintable(added.error()));
        }
    }
    AssignmentRepository::OverlapPlan plan;
    plan.annotators = { QStringLiteral("ann"), QStringLiteral("ben") };
    plan.share = 0.25;
    const auto assigned = AssignmentRepository(**db).assignOverlap(plan);
    const qint64 ann = **AnnotatorRepository(**db).findByName("ann");
    const qint64 ben = **AnnotatorRepository(**db).findByName("ben");
    const auto overlap = AssignmentRepository(**db).samplesOf(ann, AssignmentRepository::Kind::Overlap);
    for (const qint64 sample : *overlap) {
        for (const qint64 who : { ann, ben }) {
            IndependentAnnotation answer;
            answer.sampleId = sample;
            answer.annotatorId = who;
            answer.mask = Rle::encode(rectMask(QRect(10, 10, who == ann ? 10 : 8, 10)));
            answer.difficulty = who == ann ? 3.0 : 4.0;
            answer.secondsSpent = 60;
            if (const auto saved = IndependentAnnotationRepository(**db).save(answer, 0); !saved)
                qFatal("%s", qPrintable(saved.error()));
        }
    }
    Q_UNUSED(assigned)
    return path;
}

int pointCount(QCustomPlot *plot)
{
    int points = 0;
    for (int i = 0; i < plot->graphCount(); ++i)
        points += plot->graph(i)->dataCount();
    return points;
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void plotsHoldTheEvaluatedData();
    void clickingAPointOpensItsSample();
    void exportsPngAndPdf();
    void backgroundEvaluation();

private:
    QTemporaryDir m_dir;
    QString m_project;
    DashboardWidget *m_dashboard = nullptr;
};

void TestDashboard::initTestCase()
{
    m_project = makeProject(m_dir.path());
    m_dashboard = new DashboardWidget;
    m_dashboard->resize(1200, 700);
    m_dashboard->setProject(m_project);
    QCOMPARE(m_dashboard->runs(), QStringList({ "r1", "r2" }));
    m_dashboard->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dashboard));
    const DashboardWidget::Results results = DashboardWidget::compute(m_project, QStringLiteral("r1"), QStringLiteral("lisa"));
    QVERIFY2(results.error.isEmpty(), qPrintable(results.error));
    m_dashboard->showResults(results);
}

void TestDashboard::plotsHoldTheEvaluatedData()
{
    // 12 samples over three buckets: easy (d < 3.5: 3), medium (3.5–5: 2), hard (7).
    QCOMPARE(m_dashboard->scatterPlot()->graphCount(), 3);
    QCOMPARE(pointCount(m_dashboard->scatterPlot()), kSamples);
    QCOMPARE(m_dashboard->scatterPlot()->graph(0)->dataCount(), 3);
    // Two runs, one bar group each, one bar per bucket the run has.
    QCOMPARE(m_dashboard->bucketPlot()->plottableCount(), 2);
    auto *r2 = qobject_cast<QCPBars *>(m_dashboard->bucketPlot()->plottable(1));
    QVERIFY(r2);
    QCOMPARE(r2->name(), QStringLiteral("r2"));
    QCOMPARE(r2->dataCount(), 3);  // samples 0-5: difficulty 1.5-5.0 spans all three buckets
    QCOMPARE(pointCount(m_dashboard->calibrationPlot()), kSamples);
    // Difficulty histogram: the run's samples + ann + ben + the model's estimate.
    QCOMPARE(m_dashboard->histogramPlot()->plottableCount(), 4);
    auto *map = qobject_cast<QCPColorMap *>(m_dashboard->agreementPlot()->plottable(0));
    QVERIFY(map);
    QCOMPARE(map->data()->keySize(), 2);
    QCOMPARE(map->data()->cell(0, 1), 0.8);  // ann's 10 x 10 against ben's 8 x 10
    auto *speed = qobject_cast<QCPBars *>(m_dashboard->throughputPlot()->plottable(0));
    QCOMPARE(speed->dataCount(), 2);
    QCOMPARE(speed->data()->at(0)->value, 60.0);  // one answer a minute
}

void TestDashboard::clickingAPointOpensItsSample()
{
    QSignalSpy activated(m_dashboard, &DashboardWidget::sampleActivated);
    QCustomPlot *plot = m_dashboard->scatterPlot();
    QCPGraph *easy = plot->graph(0);
    const auto point = easy->data()->at(0);  // sample 1: 5 tokens, IoU 1 (a float32 hair under)
    const QPoint pixel(int(plot->xAxis->coordToPixel(point->key)), int(plot->yAxis->coordToPixel(point->value)));
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, pixel);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toLongLong(), qint64(1));
}

void TestDashboard::exportsPngAndPdf()
{
    const QString png = m_dir.filePath("dashboard.png"), pdf = m_dir.filePath("dashboard.pdf");
    QVERIFY(m_dashboard->exportTo(png));
    QVERIFY(m_dashboard->exportTo(pdf));
    QCOMPARE(QImage(png).size(), m_dashboard->size());
    QVERIFY(QFileInfo(pdf).size() > 1000);
    // docs/images/dashboard.png: RS_SCREENSHOT_DIR=docs/images RS_SCREENSHOT_PROJECT=<a project with run
    // "shapes", e.g. models/shapes/heldout imported and inferred> tst_dashboard
    const QByteArray dir = qgetenv("RS_SCREENSHOT_DIR"), project = qgetenv("RS_SCREENSHOT_PROJECT");
    if (!dir.isEmpty() && !project.isEmpty()) {
        DashboardWidget shot;
        shot.resize(1500, 820);
        shot.setProject(QString::fromLocal8Bit(project));
        shot.setCurrentRun(QStringLiteral("shapes"));
        shot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&shot));
        shot.showResults(DashboardWidget::compute(QString::fromLocal8Bit(project), QStringLiteral("shapes"), QStringLiteral("lisa")));
        QVERIFY(shot.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/dashboard.png")));
    }
}

void TestDashboard::backgroundEvaluation()
{
    DashboardWidget dashboard;
    dashboard.setProject(m_project);
    dashboard.setCurrentRun(QStringLiteral("r2"));
    QSignalSpy done(&dashboard, &DashboardWidget::evaluated);
    dashboard.evaluate();
    QVERIFY(dashboard.isEvaluating() || done.count() == 1);
    QVERIFY(done.wait(20000) || done.count() == 1);
    QCOMPARE(pointCount(dashboard.scatterPlot()), 6);
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
