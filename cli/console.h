#pragma once

#include <QString>

namespace rs::cli {

// Writing to the terminal: results to stdout, the one-line error to stderr.
void printLine(const QString &line);
void printError(const QString &line);

} // namespace rs::cli
