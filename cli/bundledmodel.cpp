#include "cli/bundledmodel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace rs::cli {

QString bundledModelDir()
{
    const QString installed =
        QDir::cleanPath(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/reasonseg/models/shapes"));
    if (QFileInfo::exists(installed + QStringLiteral("/model.json")))
        return installed;
    return QStringLiteral(RS_MODEL_DIR);
}

} // namespace rs::cli
