// Child process of tst_annotationsession's crash test: opens PROJECT as annotator "crash", opens
// the queue's row ROW, makes the scripted edits (every step goes to the journal), prints the targets
// and "READY", then waits to be killed with SIGKILL.
#include "gui/session/annotationsession.h"
#include "scriptededits.h"

#include <QGuiApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: annotation_crash_child PROJECT ROW\n");
        return 2;
    }
    rs::AnnotationSession session;
    const rs::Expected<bool> opened = session.openProject(args[1], QStringLiteral("crash"));
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error()));
        return 1;
    }
    const rs::Expected<bool> sample = session.openRow(args[2].toInt());
    if (!sample) {
        std::fprintf(stderr, "%s\n", qPrintable(sample.error()));
        return 1;
    }
    rs::test::applyScriptedEdits(*session.document());
    std::printf("SAMPLE %lld\n", static_cast<long long>(session.sampleId()));
    for (const QString &line : rs::test::describeTargets(*session.document()))
        std::printf("TARGET %s\n", qPrintable(line));
    std::printf("READY\n");
    std::fflush(stdout);
    return app.exec();  // until SIGKILL
}
