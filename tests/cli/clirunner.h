#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace rs::test {

// One run of the reasonseg binary (RS_CLI_PATH) as a user or a script runs it.
struct CliRun
{
    int exitCode = -1;  // -1: it crashed or did not finish
    QString out;
    QString err;
};

inline CliRun runCli(const QStringList &arguments, int timeoutMs = 300000)
{
    QProcess process;
    process.start(QStringLiteral(RS_CLI_PATH), arguments);
    if (!process.waitForFinished(timeoutMs))
        return {};
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

} // namespace rs::test
