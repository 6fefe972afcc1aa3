#pragma once

#include <QCryptographicHash>
#include <QFile>
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

// SHA-256 of a file's bytes (empty when it cannot be read): "the project is unchanged".
inline QByteArray fileDigest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

// A real project at `path`: the bundled model's held-out set (240 samples) imported as split "val".
inline CliRun makeHeldOutProject(const QString &path)
{
    const CliRun init = runCli({QStringLiteral("init"), path});
    if (init.exitCode != 0)
        return init;
    return runCli({QStringLiteral("import"), path, QStringLiteral("--format"), QStringLiteral("reasonseg-diff"),
                   QStringLiteral("--split"), QStringLiteral("val"), QStringLiteral(RS_SOURCE_DIR "/models/shapes/heldout")});
}

} // namespace rs::test
