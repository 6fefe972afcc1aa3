#include "cli/progressbar.h"

#include <cstdio>
#include <unistd.h>

namespace rs::cli {

namespace {

QString clock(qint64 seconds)
{
    return seconds >= 3600 ? QStringLiteral("%1:%2:%3")
                                 .arg(seconds / 3600)
                                 .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                                 .arg(seconds % 60, 2, 10, QLatin1Char('0'))
                           : QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ProgressBar::ProgressBar(QString label) : m_label(std::move(label)), m_enabled(isTerminal())
{
    m_clock.start();
}

ProgressBar::~ProgressBar()
{
    finish();
}

bool ProgressBar::isTerminal()
{
    return ::isatty(::fileno(stderr)) != 0;
}

void ProgressBar::setTotal(qint64 total)
{
    m_total = total;
    draw(true);
}

void ProgressBar::advance(qint64 done)
{
    m_done += done;
    draw(false);
}

void ProgressBar::draw(bool force)
{
    if (!m_enabled)
        return;
    std::lock_guard lock(m_drawing);
    const qint64 now = m_clock.elapsed();
    if (!force && now - m_lastDrawMs < 100)
        return;
    m_lastDrawMs = now;
    const qint64 total = m_total;
    const qint64 done = m_done;
    QString line;
    if (total > 0) {
        constexpr int kWidth = 30;
        const double fraction = qBound(0.0, double(done) / double(total), 1.0);
        const int filled = int(fraction * kWidth);
        QString eta = QStringLiteral("--:--");
        if (done > 0 && fraction < 1.0)
            eta = clock(qint64(double(now) / 1000.0 * (1.0 - fraction) / fraction));
        line = QStringLiteral("%1 [%2%3] %4% %5/%6 ETA %7")
                   .arg(m_label, QString(filled, QLatin1Char('#')), QString(kWidth - filled, QLatin1Char('.')))
                   .arg(int(fraction * 100.0), 3)
                   .arg(done)
                   .arg(total)
                   .arg(eta);
    } else {
        line = QStringLiteral("%1 %2 done, %3").arg(m_label).arg(done).arg(clock(now / 1000));
    }
    std::fprintf(stderr, "\r%s\033[K", qPrintable(line));
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish()
{
    std::lock_guard lock(m_drawing);
    if (m_drawn) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        m_drawn = false;
    }
}

} // namespace rs::cli
