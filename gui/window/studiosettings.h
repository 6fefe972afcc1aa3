#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rs {

// The workstation's preferences in QSettings (organisation "ReasonSeg", application "ReasonSeg
// Studio"): who annotates, which model and device, how many samples to prefetch, recent projects and
// the window layout. Tool shortcuts live under "shortcuts/<tool id>", written by ToolManager.
// Value type: read() loads, write() stores.
struct StudioSettings
{
    static constexpr int kMaxRecent = 8;

    QString annotator;
    QString modelPath;
    QString device = QStringLiteral("auto");
    int prefetchCount = 3;
    QStringList recentProjects;
    QByteArray windowGeometry;
    QByteArray windowState;

    static StudioSettings read();
    void write() const;
    // Puts `project` first in the recent list.
    void addRecent(const QString &project);
    static QString defaultAnnotator();
};

} // namespace rs
