// reasonseg-studio: the annotation workstation. Everything but this file is in rs_gui.
#include "gui/window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

namespace {

void describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral("ReasonSeg Studio: annotate reasoning-segmentation samples"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PROJECT"),
                                 QStringLiteral("a project: PATH.rsdb or postgresql://USER@HOST[:PORT]/DATABASE[?schema=NAME]"),
                                 QStringLiteral("[PROJECT]"));
    parser.addOption({QStringLiteral("model"), QStringLiteral("load the model package in DIR (proposals are prefetched)"),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("device"), QStringLiteral("where the model runs: auto, cpu or cuda (default auto)"),
                      QStringLiteral("DEVICE"), QStringLiteral("auto")});
}

void name(QCoreApplication &app)
{
    app.setOrganizationName(QStringLiteral("ReasonSeg"));
    app.setApplicationName(QStringLiteral("ReasonSeg Studio"));
    app.setApplicationVersion(QStringLiteral(RS_VERSION));
}

} // namespace

int main(int argc, char *argv[])
{
    // --help and --version work without a display.
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version") {
            QCoreApplication core(argc, argv);
            name(core);
            QCommandLineParser parser;
            describe(parser);
            parser.process(core);  // prints and exits
        }
    }
    QApplication app(argc, argv);
    name(app);
    QCommandLineParser parser;
    describe(parser);
    parser.process(app);
    const QStringList projects = parser.positionalArguments();
    if (projects.size() > 1) {
        std::fprintf(stderr, "reasonseg-studio: one PROJECT expected, got %lld\n", static_cast<long long>(projects.size()));
        return 2;
    }
    rs::MainWindow window;
    window.show();
    if (parser.isSet(QStringLiteral("model")))
        window.loadModel(parser.value(QStringLiteral("model")), parser.value(QStringLiteral("device")));
    if (!projects.isEmpty())
        QTimer::singleShot(0, &window, [&window, project = projects.first()] { window.openProject(project); });
    return app.exec();
}
