#include "cli/checkcommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/progressbar.h"
#include "cli/projectargument.h"
#include "storage/projectcheck.h"

namespace rs::cli {

int CheckCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), {QStringLiteral("PROJECT")},
                     {{QStringLiteral("no-hash"), QString(), QStringLiteral("do not re-hash the images (existence and size only)")}});
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    auto db = ProjectArgument::open(line.positional().at(0), Database::Mode::ReadOnly);
    if (!db) {
        printError(db.error());
        return 1;
    }
    ProgressBar progress(QStringLiteral("check"));
    ProjectCheck::Options options;
    options.hashes = !line.isSet(QStringLiteral("no-hash"));
    options.progress = &progress;
    auto result = ProjectCheck::run(**db, options);
    progress.finish();
    if (!result) {
        printError(result.error());
        return 1;
    }
    for (const QString &problem : result->problems)
        printLine(problem);
    printLine(QStringLiteral("checked %1 images, %2 samples, %3 masks: %4")
                  .arg(result->imagesChecked)
                  .arg(result->samplesChecked)
                  .arg(result->targetsChecked)
                  .arg(result->problems.isEmpty() ? QStringLiteral("no problems")
                                                  : QStringLiteral("%1 problems").arg(result->problems.size())));
    return result->problems.isEmpty() ? 0 : 1;
}

} // namespace rs::cli
