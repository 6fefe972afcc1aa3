#include "gui/dashboard/evaluationplots.h"

#include "core/breakdownkeys.h"
#include "core/difficultyestimate.h"
#include "core/rankcorrelation.h"

#include <qcustomplot.h>

#include <cmath>
#include <map>

namespace rs {

namespace {

const QStringList kBuckets { QStringLiteral("easy"), QStringLiteral("medium"), QStringLiteral("hard"),
                             QStringLiteral("unrated") };

void reset(QCustomPlot *plot, const QString &title)
{
    plot->clearPlottables();
    plot->clearItems();
    plot->legend->setVisible(false);
    if (plot->plotLayout()->rowCount() == 1) {
        plot->plotLayout()->insertRow(0);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(plot->font().family(), 10, QFont::Bold)));
    } else if (auto *text = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0))) {
        text->setText(title);
    }
    for (QCPAxis *axis : { plot->xAxis, plot->yAxis }) {
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        axis->setLabel(QString());
        axis->setVisible(true);
    }
    plot->xAxis->grid()->setVisible(true);
    plot->yAxis->grid()->setVisible(true);
}

// A plot without data: no axes, one line saying why and what fills it.
void showEmpty(QCustomPlot *plot, const QString &text)
{
    for (QCPAxis *axis : { plot->xAxis, plot->yAxis }) {
        axis->setVisible(false);
        axis->grid()->setVisible(false);
    }
    auto *label = new QCPItemText(plot);
    label->position->setType(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(0.5, 0.5);
    label->setText(text);
    label->setColor(QColor(110, 110, 110));
}

double metricValue(const EvaluationGroup &group, const QString &name)
{
    for (const MetricValue &metric : group.metrics) {
        if (metric.name == name)
            return metric.value;
    }
    return std::nan("");
}

} // namespace

QColor EvaluationPlots::bucketColor(const QString &bucket)
{
    if (bucket == QLatin1String("easy"))
        return QColor(46, 139, 87);
    if (bucket == QLatin1String("medium"))
        return QColor(230, 159, 0);
    if (bucket == QLatin1String("hard"))
        return QColor(204, 51, 51);
    return QColor(128, 128, 128);
}

std::vector<EvaluationPlots::PointSamples> EvaluationPlots::iouVsLength(QCustomPlot *plot, const EvaluationReport &report)
{
    reset(plot, QStringLiteral("IoU vs reasoning length (%1)").arg(report.protocol));
    std::vector<PointSamples> points;
    double maxTokens = 1.0;
    for (const QString &bucket : kBuckets) {
        PointSamples series;
        QVector<double> x, y;
        for (const SampleScore &sample : report.samples) {
            const QString key = sample.difficulty ? BreakdownKeys::difficulty(*sample.difficulty) : QStringLiteral("unrated");
            if (key != bucket || std::isnan(sample.iou))
                continue;
            x << sample.tokens;
            y << sample.iou;
            series.sampleIds.push_back(sample.sampleId);
            maxTokens = std::max(maxTokens, double(sample.tokens));
        }
        if (x.isEmpty())
            continue;
        series.graph = plot->addGraph();
        series.graph->setName(bucket);
        series.graph->setLineStyle(QCPGraph::lsNone);
        series.graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, bucketColor(bucket), 6));
        series.graph->setData(x, y, true);
        points.push_back(std::move(series));
    }
    plot->xAxis->setLabel(QStringLiteral("reasoning tokens"));
    plot->yAxis->setLabel(QStringLiteral("IoU"));
    plot->xAxis->setRange(0, maxTokens * 1.05);
    plot->yAxis->setRange(-0.02, 1.05);
    plot->legend->setVisible(!points.empty());
    plot->replot();
    return points;
}

void EvaluationPlots::giouByBucket(QCustomPlot *plot, const std::vector<NamedReport> &runs)
{
    const QString protocol = runs.empty() ? QString() : runs.front().report.protocol;
    reset(plot, QStringLiteral("gIoU by difficulty (%1)").arg(protocol));
    auto *group = new QCPBarsGroup(plot);
    const QStringList buckets = kBuckets.mid(0, 3);
    double top = 0.0;
    int index = 0;
    for (const NamedReport &run : runs) {
        auto *bars = new QCPBars(plot->xAxis, plot->yAxis);
        bars->setName(run.run);
        bars->setBarsGroup(group);
        bars->setWidth(0.8 / double(std::max<std::size_t>(1, runs.size())));
        bars->setBrush(QColor::fromHsv((index * 137 + 200) % 360, 140, 210));
        bars->setPen(QColor::fromHsv((index++ * 137 + 200) % 360, 200, 140));
        for (int b = 0; b < buckets.size(); ++b) {
            for (const EvaluationGroup &g : run.report.groups) {
                const double value = metricValue(g, QStringLiteral("gIoU"));
                if (g.key == buckets[b] && !std::isnan(value)) {
                    bars->addData(b + 1, value);
                    top = std::max(top, value);
                }
            }
        }
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int b = 0; b < buckets.size(); ++b)
        ticker->addTick(b + 1, buckets[b]);
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setRange(0.4, buckets.size() + 0.6);
    plot->yAxis->setRange(0, top > 1.0 ? top * 1.1 : 1.0);
    plot->xAxis->setLabel(QStringLiteral("difficulty bucket"));
    plot->yAxis->setLabel(QStringLiteral("gIoU"));
    plot->legend->setVisible(runs.size() > 1);
    plot->replot();
}

std::optional<double> EvaluationPlots::calibration(QCustomPlot *plot, const EvaluationReport &report,
                                                   std::vector<PointSamples> *points)
{
    PointSamples series;
    QVector<double> x, y;
    std::vector<double> us, ds;
    for (const SampleScore &sample : report.samples) {
        if (!sample.uncertainty || !sample.difficulty)
            continue;
        x << *sample.uncertainty;
        y << *sample.difficulty;
        us.push_back(*sample.uncertainty);
        ds.push_back(*sample.difficulty);
        series.sampleIds.push_back(sample.sampleId);
    }
    const std::optional<double> rho = RankCorrelation::spearman(us, ds);
    reset(plot, rho ? QStringLiteral("Calibration: uncertainty vs difficulty, Spearman ρ = %1").arg(*rho, 0, 'f', 3)
                    : QStringLiteral("Calibration: uncertainty vs difficulty (no rated sample with token statistics)"));
    if (!x.isEmpty()) {
        series.graph = plot->addGraph();
        series.graph->setName(QStringLiteral("samples"));
        series.graph->setLineStyle(QCPGraph::lsNone);
        series.graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(31, 119, 180), 6));
        series.graph->setData(x, y, true);
        if (points)
            points->push_back(std::move(series));
    }
    plot->xAxis->setLabel(QStringLiteral("sequence uncertainty U (PixelThink)"));
    plot->yAxis->setLabel(QStringLiteral("difficulty (1-10)"));
    plot->xAxis->setRange(0, std::max(0.05, us.empty() ? 1.0 : *std::max_element(us.begin(), us.end()) * 1.1));
    plot->yAxis->setRange(0.5, 10.5);
    plot->replot();
    return rho;
}

void EvaluationPlots::difficultyHistogram(QCustomPlot *plot, const EvaluationReport &report,
                                          const std::vector<RaterAnswer> &answers)
{
    reset(plot, QStringLiteral("Difficulty: samples, annotators, model estimate"));
    std::map<QString, QVector<double>> counts;  // series → 10 bins
    auto add = [&](const QString &series, double difficulty) {
        auto &bins = counts[series];
        bins.resize(10);
        bins[std::clamp(int(std::floor(difficulty)) - 1, 0, 9)] += 1;
    };
    for (const SampleScore &sample : report.samples) {
        if (sample.difficulty)
            add(QStringLiteral("samples of the run"), *sample.difficulty);
    }
    for (const RaterAnswer &answer : answers) {
        if (answer.difficulty)
            add(answer.annotator, *answer.difficulty);
    }
    // The model's own estimate from its chain (the project's fit when it has 20 ratings, else the default).
    std::vector<DifficultyEstimate::Observation> observations;
    for (const SampleScore &sample : report.samples) {
        if (sample.difficulty && sample.uncertainty)
            observations.push_back({ sample.tokens, *sample.uncertainty, *sample.difficulty });
    }
    const DifficultyEstimate mapping = DifficultyEstimate::forProject(observations);
    for (const SampleScore &sample : report.samples) {
        if (sample.uncertainty)
            add(QStringLiteral("model estimate"), mapping.estimate(sample.tokens, *sample.uncertainty));
    }
    auto *group = new QCPBarsGroup(plot);
    double top = 1.0;
    int index = 0;
    for (const auto &[series, bins] : counts) {
        auto *bars = new QCPBars(plot->xAxis, plot->yAxis);
        bars->setName(series);
        bars->setBarsGroup(group);
        bars->setWidth(0.8 / double(counts.size()));
        bars->setBrush(QColor::fromHsv((index * 97 + 200) % 360, 120, 220));
        bars->setPen(QColor::fromHsv((index++ * 97 + 200) % 360, 200, 140));
        for (int b = 0; b < 10; ++b) {
            bars->addData(b + 1, bins[b]);
            top = std::max(top, bins[b]);
        }
    }
    plot->xAxis->setLabel(QStringLiteral("difficulty"));
    plot->yAxis->setLabel(QStringLiteral("samples"));
    plot->xAxis->setRange(0.4, 10.6);
    plot->yAxis->setRange(0, top * 1.1);
    plot->legend->setVisible(counts.size() > 1);
    plot->replot();
}

void EvaluationPlots::agreementMatrix(QCustomPlot *plot, const AgreementReport &agreement)
{
    reset(plot, QStringLiteral("Mask IoU between annotators (overlap samples)"));
    const int n = int(agreement.annotators.size());
    if (n >= 2) {
        auto *map = new QCPColorMap(plot->xAxis, plot->yAxis);
        map->data()->setSize(n, n);
        map->data()->setRange(QCPRange(0, n - 1), QCPRange(0, n - 1));
        for (int a = 0; a < n; ++a) {
            for (int b = 0; b < n; ++b) {
                const double value = agreement.maskIoU.at(std::size_t(a)).at(std::size_t(b));
                map->data()->setCell(a, b, std::isnan(value) ? 0.0 : value);
                auto *label = new QCPItemText(plot);
                label->position->setCoords(a, b);
                label->setText(std::isnan(value) ? QStringLiteral("–") : QString::number(value, 'f', 2));
            }
        }
        map->setGradient(QCPColorGradient::gpCold);
        map->setDataRange(QCPRange(0, 1));
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        for (int a = 0; a < n; ++a)
            ticker->addTick(a, agreement.annotators[a]);
        plot->xAxis->setTicker(ticker);
        plot->yAxis->setTicker(ticker);
        plot->xAxis->setRange(-0.5, n - 0.5);
        plot->yAxis->setRange(-0.5, n - 0.5);
    }
    if (n < 2)
        showEmpty(plot, QStringLiteral("No sample has independent answers of two annotators yet\n"
                                       "(reasonseg assign gives a share to several)"));
    plot->replot();
}

void EvaluationPlots::throughput(QCustomPlot *plot, const AgreementReport &agreement)
{
    reset(plot, QStringLiteral("Throughput: samples per hour (measured time)"));
    auto *bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setBrush(QColor(31, 119, 180));
    bars->setPen(QColor(20, 80, 130));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double top = 1.0;
    for (std::size_t a = 0; a < agreement.perAnnotator.size(); ++a) {
        const AgreementReport::Annotator &annotator = agreement.perAnnotator[a];
        ticker->addTick(double(a + 1), annotator.name);
        if (!std::isnan(annotator.samplesPerHour)) {
            bars->addData(double(a + 1), annotator.samplesPerHour);
            top = std::max(top, annotator.samplesPerHour);
        }
    }
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setRange(0.4, double(agreement.perAnnotator.size()) + 0.6);
    plot->yAxis->setRange(0, top * 1.1);
    plot->yAxis->setLabel(QStringLiteral("samples / hour"));
    if (bars->dataCount() == 0)
        showEmpty(plot, QStringLiteral("No annotator time measured yet"));
    plot->replot();
}

} // namespace rs
