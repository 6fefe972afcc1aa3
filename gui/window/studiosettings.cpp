#include "gui/window/studiosettings.h"

#include <QSettings>

namespace rs {

QString StudioSettings::defaultAnnotator()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("annotator") : user;
}

StudioSettings StudioSettings::read()
{
    QSettings settings;
    StudioSettings s;
    s.annotator = settings.value(QStringLiteral("annotator/name"), defaultAnnotator()).toString();
    s.modelPath = settings.value(QStringLiteral("model/path")).toString();
    s.device = settings.value(QStringLiteral("model/device"), QStringLiteral("auto")).toString();
    s.prefetchCount = settings.value(QStringLiteral("model/prefetch"), 3).toInt();
    s.recentProjects = settings.value(QStringLiteral("projects/recent")).toStringList();
    s.windowGeometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
    s.windowState = settings.value(QStringLiteral("window/state")).toByteArray();
    return s;
}

void StudioSettings::write() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("annotator/name"), annotator);
    settings.setValue(QStringLiteral("model/path"), modelPath);
    settings.setValue(QStringLiteral("model/device"), device);
    settings.setValue(QStringLiteral("model/prefetch"), prefetchCount);
    settings.setValue(QStringLiteral("projects/recent"), recentProjects);
    settings.setValue(QStringLiteral("window/geometry"), windowGeometry);
    settings.setValue(QStringLiteral("window/state"), windowState);
}

void StudioSettings::addRecent(const QString &project)
{
    recentProjects.removeAll(project);
    recentProjects.prepend(project);
    while (recentProjects.size() > kMaxRecent)
        recentProjects.removeLast();
}

} // namespace rs
