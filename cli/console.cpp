#include "cli/console.h"

#include <cstdio>

namespace rs::cli {

void printLine(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
}

void printError(const QString &line)
{
    std::fflush(stdout);
    std::fputs(qPrintable(QStringLiteral("reasonseg: ") + line + QLatin1Char('\n')), stderr);
}

} // namespace rs::cli
