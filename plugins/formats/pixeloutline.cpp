#include "plugins/formats/pixeloutline.h"

#include <QPoint>

#include <array>
#include <unordered_map>
#include <vector>

namespace rs {

namespace {

// A unit step along a pixel edge, with the foreground on its right (y points down): each
// foreground pixel's exposed sides run clockwise around it.
struct Edge
{
    QPoint from;
    QPoint step;
};

} // namespace

QList<QList<int>> PixelOutline::outerFlat(const Mask &mask)
{
    QList<QList<int>> polygons;
    const int width = mask.width();
    const int height = mask.height();
    auto inside = [&](int x, int y) { return x >= 0 && y >= 0 && x < width && y < height && mask.at(x, y); };
    auto key = [&](const QPoint &p) { return qint64(p.y()) * (width + 1) + p.x(); };

    std::vector<Edge> edges;
    std::unordered_map<qint64, std::array<int, 2>> leaving;  // vertex -> up to two edges starting there
    auto add = [&](QPoint from, QPoint step) {
        const int index = int(edges.size());
        edges.push_back({from, step});
        auto [slot, fresh] = leaving.try_emplace(key(from), std::array<int, 2>{-1, -1});
        slot->second[slot->second[0] < 0 ? 0 : 1] = index;
    };
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            if (!mask.at(x, y))
                continue;
            if (!inside(x, y - 1))
                add(QPoint(x, y), QPoint(1, 0));
            if (!inside(x + 1, y))
                add(QPoint(x + 1, y), QPoint(0, 1));
            if (!inside(x, y + 1))
                add(QPoint(x + 1, y + 1), QPoint(-1, 0));
            if (!inside(x - 1, y))
                add(QPoint(x, y + 1), QPoint(0, -1));
        }
    }

    // Where two foreground pixels touch only at a corner, the vertex has two leaving edges: turning
    // right keeps to the pixel just passed, so diagonal neighbours get separate outlines.
    auto next = [&](const Edge &edge) {
        const std::array<int, 2> &options = leaving.at(key(edge.from + edge.step));
        if (options[1] < 0)
            return options[0];
        const QPoint right(-edge.step.y(), edge.step.x());
        return edges[std::size_t(options[0])].step == right ? options[0] : options[1];
    };

    std::vector<char> used(edges.size(), 0);
    for (std::size_t first = 0; first < edges.size(); ++first) {
        if (used[first])
            continue;
        std::vector<QPoint> corners;
        int current = int(first);
        do {
            used[std::size_t(current)] = 1;
            const Edge &edge = edges[std::size_t(current)];
            const int following = next(edge);
            if (edges[std::size_t(following)].step != edge.step)
                corners.push_back(edge.from + edge.step);
            current = following;
        } while (current != int(first));
        // Twice the signed area: positive for an outer boundary, negative for a hole's.
        qint64 area2 = 0;
        for (std::size_t i = 0; i < corners.size(); ++i) {
            const QPoint &a = corners[i];
            const QPoint &b = corners[(i + 1) % corners.size()];
            area2 += qint64(a.x()) * b.y() - qint64(b.x()) * a.y();
        }
        if (area2 <= 0)
            continue;
        // Start at the outline's top-left corner, for a stable vertex order.
        std::size_t start = 0;
        for (std::size_t i = 1; i < corners.size(); ++i)
            if (corners[i].y() < corners[start].y() || (corners[i].y() == corners[start].y() && corners[i].x() < corners[start].x()))
                start = i;
        QList<int> flat;
        flat.reserve(qsizetype(corners.size()) * 2);
        for (std::size_t i = 0; i < corners.size(); ++i) {
            const QPoint &p = corners[(start + i) % corners.size()];
            flat << p.x() << p.y();
        }
        polygons << flat;
    }
    return polygons;
}

} // namespace rs
