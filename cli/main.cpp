#include "cli/command.h"
#include "cli/console.h"
#include "cli/checkcommand.h"
#include "cli/democommand.h"
#include "cli/evalcommand.h"
#include "cli/assigncommand.h"
#include "cli/agreementcommand.h"
#include "cli/exportcommand.h"
#include "cli/importcommand.h"
#include "cli/infercommand.h"
#include "cli/initcommand.h"
#include "cli/statscommand.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <cstring>

#include <unistd.h>

#include <memory>
#include <vector>

using namespace rs::cli;

namespace {

std::vector<std::unique_ptr<Command>> allCommands()
{
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<InitCommand>());
    commands.push_back(std::make_unique<ImportCommand>());
    commands.push_back(std::make_unique<ExportCommand>());
    commands.push_back(std::make_unique<InferCommand>());
    commands.push_back(std::make_unique<EvalCommand>());
    commands.push_back(std::make_unique<AssignCommand>());
    commands.push_back(std::make_unique<AgreementCommand>());
    commands.push_back(std::make_unique<StatsCommand>());
    commands.push_back(std::make_unique<CheckCommand>());
    commands.push_back(std::make_unique<DemoCommand>());
    return commands;
}

void printUsage(const std::vector<std::unique_ptr<Command>> &commands)
{
    printLine(QStringLiteral("Usage: reasonseg <command> [arguments]\n\nCommands:"));
    for (const auto &command : commands)
        printLine(QStringLiteral("  %1\n      %2").arg(command->synopsis(), command->summary()));
    printLine(QStringLiteral("\n  --help      this text\n  --version   the program's version"));
}

// `eval --report` draws its plots with QCustomPlot, a widget: that needs a QApplication, offscreen
// when there is no display. Every other command stays a QCoreApplication.
bool needsWidgets(int argc, char *argv[])
{
    if (argc < 2 || std::strcmp(argv[1], "eval") != 0)
        return false;
    for (int i = 2; i < argc; ++i) {
        if (std::strcmp(argv[i], "--report") == 0)
            return true;
    }
    return false;
}

std::unique_ptr<QCoreApplication> makeApplication(int &argc, char *argv[])
{
    if (!needsWidgets(argc, argv))
        return std::make_unique<QCoreApplication>(argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY")
        && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {  // else Qt warns on stderr and makes one itself
        const QByteArray runtime = QDir::tempPath().toUtf8() + "/reasonseg-runtime-" + QByteArray::number(getuid());
        QDir().mkpath(QString::fromUtf8(runtime));
        QFile::setPermissions(QString::fromUtf8(runtime), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", runtime);
    }
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace

int main(int argc, char *argv[])
{
    const std::unique_ptr<QCoreApplication> app = makeApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("reasonseg"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RS_VERSION));

    const auto commands = allCommands();
    QStringList arguments = QCoreApplication::arguments().mid(1);
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help")
        || arguments.first() == QLatin1String("-h") || arguments.first() == QLatin1String("help")) {
        printUsage(commands);
        return arguments.isEmpty() ? 2 : 0;
    }
    if (arguments.first() == QLatin1String("--version")) {
        printLine(QStringLiteral("reasonseg %1").arg(QCoreApplication::applicationVersion()));
        return 0;
    }
    const QString name = arguments.takeFirst();
    for (const auto &command : commands)
        if (command->name() == name)
            return command->run(arguments);
    printError(QStringLiteral("unknown command '%1' (see reasonseg --help)").arg(name));
    return 2;
}
