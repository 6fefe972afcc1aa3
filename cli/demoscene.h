#pragma once

#include <QPolygonF>
#include <QString>
#include <QStringList>

#include <opencv2/core.hpp>

#include <vector>

namespace rs::cli {

// A synthetic scene for the demo: coloured shapes on a plain background, a question about them, and
// which shapes answer it. Everything follows from the seed.
struct DemoScene
{
    struct Shape
    {
        QPolygonF polygon;      // image pixels
        QString kind;           // "circle", "square", "triangle"
        QString colour;         // "red", "green", "blue", "yellow"
    };

    cv::Mat image;              // 8-bit BGR
    std::vector<Shape> shapes;
    QString question;
    std::vector<int> targets;   // indices into shapes
    int ignored = -1;           // a shape whose pixels the metrics leave out, or -1

    static DemoScene generate(unsigned seed, int width, int height);
};

} // namespace rs::cli
