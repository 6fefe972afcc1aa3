#include "cli/demoscene.h"

#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <numbers>
#include <random>

namespace rs::cli {

namespace {

struct Colour
{
    const char *name;
    cv::Scalar bgr;
};

constexpr std::array<const char *, 3> kKinds{"circle", "square", "triangle"};
const std::array<Colour, 4> kColours{{
    {"red", cv::Scalar(40, 40, 220)},
    {"green", cv::Scalar(60, 180, 60)},
    {"blue", cv::Scalar(210, 90, 30)},
    {"yellow", cv::Scalar(40, 210, 230)},
}};

QPolygonF regularPolygon(QPointF centre, double radius, int corners, double rotation)
{
    QPolygonF polygon;
    for (int i = 0; i < corners; ++i) {
        const double a = rotation + 2.0 * std::numbers::pi * i / corners;
        polygon << centre + QPointF(radius * std::cos(a), radius * std::sin(a));
    }
    return polygon;
}

std::vector<cv::Point> toCvPoints(const QPolygonF &polygon)
{
    std::vector<cv::Point> points;
    for (const QPointF &p : polygon)
        points.emplace_back(int(std::lround(p.x())), int(std::lround(p.y())));
    return points;
}

} // namespace

DemoScene DemoScene::generate(unsigned seed, int width, int height)
{
    std::mt19937 rng(seed);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };

    DemoScene scene;
    scene.image = cv::Mat(height, width, CV_8UC3, cv::Scalar(235, 235, 235));
    const int count = 3 + int(rng() % 4);
    for (int i = 0; i < count; ++i) {
        Shape shape;
        shape.kind = QString::fromLatin1(kKinds[rng() % kKinds.size()]);
        const Colour &colour = kColours[rng() % kColours.size()];
        shape.colour = QString::fromLatin1(colour.name);
        const double radius = uniform(0.06, 0.16) * std::min(width, height);
        const QPointF centre(uniform(radius, width - radius), uniform(radius, height - radius));
        if (shape.kind == QLatin1String("circle"))
            shape.polygon = regularPolygon(centre, radius, 40, 0.0);
        else if (shape.kind == QLatin1String("square"))
            shape.polygon = regularPolygon(centre, radius, 4, uniform(0.0, std::numbers::pi / 2));
        else
            shape.polygon = regularPolygon(centre, radius, 3, uniform(0.0, 2 * std::numbers::pi));
        const std::vector<std::vector<cv::Point>> contour{toCvPoints(shape.polygon)};
        cv::fillPoly(scene.image, contour, colour.bgr, cv::LINE_AA);
        scene.shapes.push_back(shape);
    }

    // The question: all shapes of one colour (the colour of a random shape, so it has an answer).
    const QString colour = scene.shapes[rng() % scene.shapes.size()].colour;
    scene.question = QStringLiteral("segment every %1 shape").arg(colour);
    for (int i = 0; i < int(scene.shapes.size()); ++i)
        if (scene.shapes[std::size_t(i)].colour == colour)
            scene.targets.push_back(i);
    // Every third scene marks one non-target shape as "ignore", like ReasonSeg's ignore regions.
    if (seed % 3 == 0) {
        for (int i = 0; i < int(scene.shapes.size()); ++i) {
            if (scene.shapes[std::size_t(i)].colour != colour) {
                scene.ignored = i;
                break;
            }
        }
    }
    return scene;
}

} // namespace rs::cli
