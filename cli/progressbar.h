#pragma once

#include "core/progress.h"

#include <QElapsedTimer>
#include <QString>

#include <atomic>
#include <mutex>

namespace rs::cli {

// Progress of long work on the terminal: "import  [#######.......]  48%  12034/25000  ETA 0:14" on
// stderr, redrawn at most ten times a second. Silent when stderr is not a terminal (scripts, CI,
// pipes), so that logs hold only the result lines. Thread-safe: readers advance it from workers.
class ProgressBar final : public rs::Progress
{
public:
    explicit ProgressBar(QString label);
    ~ProgressBar() override;

    void setTotal(qint64 total) override;
    void advance(qint64 done = 1) override;
    // Clears the bar's line (before the result is printed).
    void finish();

    static bool isTerminal();

private:
    void draw(bool force);

    QString m_label;
    bool m_enabled;
    std::atomic<qint64> m_total{0};
    std::atomic<qint64> m_done{0};
    std::mutex m_drawing;
    QElapsedTimer m_clock;
    qint64 m_lastDrawMs = -1000;
    bool m_drawn = false;
};

} // namespace rs::cli
