#include "cli/initcommand.h"

#include "cli/commandline.h"
#include "cli/console.h"
#include "cli/projectargument.h"
#include "storage/database.h"
#include "storage/imagerepository.h"

#include <QDir>
#include <QFileInfo>

namespace rs::cli {

int InitCommand::run(const QStringList &arguments)
{
    CommandLine line(name(), {QStringLiteral("PROJECT")},
                     {{QStringLiteral("images"), QStringLiteral("DIR"), QStringLiteral("the folder image paths are relative to")}});
    if (const auto exit = line.parseOrExit(arguments))
        return *exit;
    const QString project = line.positional().at(0);
    auto location = ProjectArgument::parse(project);
    if (!location) {
        printError(location.error());
        return 1;
    }
    QString images;
    if (line.isSet(QStringLiteral("images"))) {
        const QFileInfo info(line.value(QStringLiteral("images")));
        if (!info.isDir()) {
            printError(QStringLiteral("%1: no such folder (--images)").arg(line.value(QStringLiteral("images"))));
            return 1;
        }
        images = QDir::cleanPath(info.absoluteFilePath());
    }
    if (location->backend == Backend::Sqlite && QFileInfo::exists(location->path)) {
        printError(QStringLiteral("%1: already exists (init never overwrites a project)").arg(project));
        return 1;
    }
    auto db = Database::create(*location);
    if (!db) {
        printError(db.error());
        return 1;
    }
    if (!images.isEmpty()) {
        auto set = ImageRepository(**db).setImageRoot(images);
        if (!set) {
            printError(set.error());
            return 1;
        }
    }
    printLine(QStringLiteral("created %1 (schema %2)%3")
                  .arg(location->displayName())
                  .arg((*db)->schemaVersion())
                  .arg(images.isEmpty() ? QString() : QStringLiteral(", images in ") + images));
    return 0;
}

} // namespace rs::cli
