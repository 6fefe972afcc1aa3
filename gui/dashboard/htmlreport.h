#pragma once

#include "core/evaluationreport.h"
#include "core/expected.h"

#include <QString>
#include <QStringList>

namespace rs {

// `reasonseg eval --report DIR`: index.html with the run's metrics per group, the reasoning and grade
// summaries and the protocol notes, plus the dashboard's evaluation plots as PNG files drawn by the
// same code (EvaluationPlots). Needs a QApplication (QCustomPlot is a widget; offscreen is fine).
class HtmlReport
{
public:
    // Returns the files written (index.html first). Error names the file that could not be written.
    static Expected<QStringList> write(const QString &directory, const EvaluationReport &report, const QString &run,
                                       const QString &against);
};

} // namespace rs
