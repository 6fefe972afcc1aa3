#include "gui/dashboard/dashboardwidget.h"

#include "core/agreementanalysis.h"
#include "core/protocolscorer.h"
#include "storage/agreementdata.h"
#include "storage/database.h"
#include "storage/projectlocation.h"
#include "storage/runevaluation.h"
#include "storage/runrepository.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPdfWriter>
#include <QPushButton>
#include <QToolTip>
#include <QtConcurrent/QtConcurrentRun>

#include <qcustomplot.h>

namespace rs {

namespace {

Expected<std::unique_ptr<Database>> openReadOnly(const QString &projectArgument)
{
    const Expected<ProjectLocation> location = ProjectLocation::parse(projectArgument);
    if (!location)
        return Error { location.error() };
    Database::Options options;
    options.mode = Database::Mode::ReadOnly;
    return Database::open(*location, options);
}

} // namespace

DashboardWidget::DashboardWidget(QWidget *parent)
    : QWidget(parent)
    , m_runBox(new QComboBox(this))
    , m_protocolBox(new QComboBox(this))
    , m_evaluateButton(new QPushButton(tr("&Evaluate"), this))
    , m_exportButton(new QPushButton(tr("E&xport…"), this))
    , m_status(new QLabel(this))
{
    m_protocolBox->addItems(ProtocolScorer::protocolNames());
    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Run"), this));
    controls->addWidget(m_runBox, 1);
    controls->addWidget(new QLabel(tr("Protocol"), this));
    controls->addWidget(m_protocolBox);
    controls->addWidget(m_evaluateButton);
    controls->addWidget(m_exportButton);
    auto *grid = new QGridLayout;
    for (int i = 0; i < 6; ++i) {
        auto *plot = new QCustomPlot(this);
        plot->setMinimumSize(280, 200);
        plot->setInteraction(QCP::iSelectPlottables, false);
        m_plots.push_back(plot);
        grid->addWidget(plot, i / 3, i % 3);
        connect(plot, &QCustomPlot::plottableClick, this, [this, plot](QCPAbstractPlottable *plottable, int index, QMouseEvent *) {
            const qint64 sample = sampleAt(plot, plottable, index);
            if (sample > 0)
                emit sampleActivated(sample);
        });
        connect(plot, &QCustomPlot::mouseMove, this, [this, plot](QMouseEvent *event) { showTooltip(plot, event); });
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(grid, 1);
    layout->addWidget(m_status);

    connect(m_evaluateButton, &QPushButton::clicked, this, &DashboardWidget::evaluate);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the dashboard"), QString(),
                                                          tr("PNG image (*.png);;PDF document (*.pdf)"));
        if (!path.isEmpty() && !exportTo(path))
            m_status->setText(tr("Could not write %1").arg(path));
    });
    connect(&m_watcher, &QFutureWatcher<Results>::finished, this, [this] { showResults(m_watcher.result()); });
}

DashboardWidget::~DashboardWidget()
{
    m_watcher.waitForFinished();
}

void DashboardWidget::setProject(const QString &projectArgument)
{
    m_project = projectArgument;
    m_runBox->clear();
    auto db = openReadOnly(projectArgument);
    if (!db) {
        m_status->setText(db.error());
        return;
    }
    const auto runs = RunRepository(**db).all();
    if (!runs) {
        m_status->setText(runs.error());
        return;
    }
    for (const ModelRun &run : *runs)
        m_runBox->addItem(run.name);
    m_status->setText(runs->empty() ? tr("No model run yet: reasonseg infer or import --format predictions adds one")
                                    : tr("%n run(s); press Evaluate", nullptr, int(runs->size())));
}

QStringList DashboardWidget::runs() const
{
    QStringList names;
    for (int i = 0; i < m_runBox->count(); ++i)
        names << m_runBox->itemText(i);
    return names;
}

void DashboardWidget::setCurrentRun(const QString &run)
{
    m_runBox->setCurrentText(run);
}

DashboardWidget::Results DashboardWidget::compute(const QString &projectArgument, const QString &run,
                                                  const QString &protocol)
{
    Results results;
    results.run = run;
    auto db = openReadOnly(projectArgument);
    if (!db) {
        results.error = db.error();
        return results;
    }
    const auto runs = RunRepository(**db).all();
    if (!runs) {
        results.error = runs.error();
        return results;
    }
    for (const ModelRun &each : *runs) {
        RunEvaluation::Options options;
        options.run = each.name;
        options.protocol = ProtocolScorer::protocolFromName(protocol).value_or(ProtocolScorer::Protocol::Lisa);
        options.breakdown = Evaluator::Breakdown::Difficulty;
        Expected<EvaluationReport> report = RunEvaluation::evaluate(**db, options);
        if (!report) {
            if (each.name == run) {
                results.error = report.error();
                return results;
            }
            continue;  // a run without proposals yet
        }
        results.runs.push_back({ each.name, std::move(*report) });
    }
    const auto data = AgreementData::read(**db);
    if (!data) {
        results.error = data.error();
        return results;
    }
    results.answers = data->answers;
    results.agreement = AgreementAnalysis::compute(data->answers, data->gold);
    return results;
}

void DashboardWidget::evaluate()
{
    if (m_project.isEmpty() || m_watcher.isRunning())
        return;
    m_status->setText(tr("Evaluating %1…").arg(m_runBox->currentText()));
    m_evaluateButton->setEnabled(false);
    m_watcher.setFuture(QtConcurrent::run(&DashboardWidget::compute, m_project, m_runBox->currentText(),
                                          m_protocolBox->currentText()));
}

void DashboardWidget::showResults(const Results &results)
{
    m_evaluateButton->setEnabled(true);
    if (!results.error.isEmpty()) {
        m_status->setText(results.error);
        emit evaluated();
        return;
    }
    const EvaluationReport *current = nullptr;
    for (const auto &named : results.runs) {
        if (named.run == results.run)
            current = &named.report;
    }
    const EvaluationReport empty;
    const EvaluationReport &report = current ? *current : empty;
    m_scatterPoints = EvaluationPlots::iouVsLength(scatterPlot(), report);
    EvaluationPlots::giouByBucket(bucketPlot(), results.runs);
    m_calibrationPoints.clear();
    EvaluationPlots::calibration(calibrationPlot(), report, &m_calibrationPoints);
    EvaluationPlots::difficultyHistogram(histogramPlot(), report, results.answers);
    EvaluationPlots::agreementMatrix(agreementPlot(), results.agreement);
    EvaluationPlots::throughput(throughputPlot(), results.agreement);
    m_status->setText(current ? tr("%1: %2 samples, protocol %3; click a point to open its sample")
                                    .arg(results.run).arg(report.samples.size()).arg(report.protocol)
                              : tr("Run %1 has no proposal to evaluate").arg(results.run));
    emit evaluated();
}

qint64 DashboardWidget::sampleAt(QCustomPlot *plot, QCPAbstractPlottable *plottable, int dataIndex) const
{
    const auto &series = plot == scatterPlot() ? m_scatterPoints : m_calibrationPoints;
    for (const EvaluationPlots::PointSamples &points : series) {
        if (points.graph == plottable && dataIndex >= 0 && std::size_t(dataIndex) < points.sampleIds.size())
            return points.sampleIds[std::size_t(dataIndex)];
    }
    return 0;
}

void DashboardWidget::showTooltip(QCustomPlot *plot, QMouseEvent *event)
{
    if (plot != scatterPlot() && plot != calibrationPlot())
        return;
    int index = -1;
    QCPAbstractPlottable *plottable = plot->plottableAt(event->pos(), false, &index);
    if (!plottable || index < 0) {
        QToolTip::hideText();
        return;
    }
    const qint64 sample = sampleAt(plot, plottable, index);
    auto *graph = qobject_cast<QCPGraph *>(plottable);
    if (sample <= 0 || !graph)
        return;
    const auto point = graph->data()->at(index);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("sample %1\n%2 %3, %4 %5").arg(sample).arg(plot->xAxis->label()).arg(point->key, 0, 'g', 4)
                           .arg(plot->yAxis->label()).arg(point->value, 0, 'g', 4),
                       plot);
}

bool DashboardWidget::exportTo(const QString &path)
{
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) {
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageOrientation(QPageLayout::Landscape);
        QPainter painter(&writer);
        if (!painter.isActive())
            return false;
        const QPixmap pixmap = grab();
        const QRect page = painter.viewport();
        const QSize scaled = pixmap.size().scaled(page.size(), Qt::KeepAspectRatio);
        painter.drawPixmap(QRect(page.topLeft(), scaled), pixmap);
        return true;
    }
    return grab().save(path);
}

} // namespace rs
