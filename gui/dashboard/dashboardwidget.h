#pragma once

#include "core/agreementreport.h"
#include "core/evaluationreport.h"
#include "gui/dashboard/evaluationplots.h"

#include <QFutureWatcher>
#include <QWidget>

#include <vector>

class QComboBox;
class QCPAbstractPlottable;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace rs {

// The review dashboard: picks a model run and a benchmark protocol, evaluates every run of the
// project in the background (RunEvaluation, AgreementData) and shows six plots. Hovering a point
// names its sample; clicking it emits sampleActivated() so the window opens that sample.
class DashboardWidget : public QWidget
{
    Q_OBJECT

public:
    struct Results
    {
        QString error;                                  // empty on success
        QString run;                                    // the run the scatter plots show
        std::vector<EvaluationPlots::NamedReport> runs; // every run, by name
        std::vector<RaterAnswer> answers;
        AgreementReport agreement;
    };

    explicit DashboardWidget(QWidget *parent = nullptr);
    ~DashboardWidget() override;

    // The project (as `reasonseg` takes it: a path or a postgresql:// URL); lists its runs.
    void setProject(const QString &projectArgument);
    QStringList runs() const;
    void setCurrentRun(const QString &run);

    // Evaluates in the background; results arrive through showResults().
    void evaluate();
    bool isEvaluating() const { return m_watcher.isRunning(); }
    void showResults(const Results &results);
    // The dashboard as one PNG or PDF (by extension).
    bool exportTo(const QString &path);

    QCustomPlot *scatterPlot() const { return m_plots.at(0); }
    QCustomPlot *bucketPlot() const { return m_plots.at(1); }
    QCustomPlot *calibrationPlot() const { return m_plots.at(2); }
    QCustomPlot *histogramPlot() const { return m_plots.at(3); }
    QCustomPlot *agreementPlot() const { return m_plots.at(4); }
    QCustomPlot *throughputPlot() const { return m_plots.at(5); }

    // Evaluates the project synchronously (what evaluate() runs on a worker thread).
    static Results compute(const QString &projectArgument, const QString &run, const QString &protocol);

signals:
    void sampleActivated(qint64 sampleId);
    void evaluated();

private:
    qint64 sampleAt(QCustomPlot *plot, QCPAbstractPlottable *plottable, int dataIndex) const;
    void showTooltip(QCustomPlot *plot, QMouseEvent *event);

    QString m_project;
    QComboBox *m_runBox;
    QComboBox *m_protocolBox;
    QPushButton *m_evaluateButton;
    QPushButton *m_exportButton;
    QLabel *m_status;
    std::vector<QCustomPlot *> m_plots;
    std::vector<EvaluationPlots::PointSamples> m_scatterPoints;
    std::vector<EvaluationPlots::PointSamples> m_calibrationPoints;
    QFutureWatcher<Results> m_watcher;
};

} // namespace rs
