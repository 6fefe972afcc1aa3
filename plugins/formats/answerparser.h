#pragma once

#include <QList>
#include <QPoint>
#include <QString>

#include <optional>
#include <vector>

namespace rs {

// Reads the boxes, points and thinking text out of a decoupled reasoning model's answer exactly as
// the benchmark's own evaluation script does, including which answers it counts as failures
// (formats.md §3.1, §3.2, §3.4; `Seg-Zero: evaluation_scripts/evaluation.py`,
// `evaluation_visionreasoner.py` at 42a3345). Coordinates are predicted on the 840 x 840 resized
// image and scaled back by (W / 840, H / 840).
//
// Seg-Zero (one object): the first match of `{[^}]+}` anywhere in the response is json.loads()-ed;
// the first key containing "bbox" must hold 4 values and the first two keys containing "points"
// [x, y] pairs; each coordinate becomes round(int(v) * factor) (int() truncates, round() is
// Python's half-to-even). `<think>([^<]+)</think>` must match: Seg-Zero's script raises (and scores
// the sample I = 0, U = |GT|) when any of these is missing. One deliberate leniency: an answer
// that is valid only as a Python literal ('single quotes', as the prompt's own example is written)
// is read, and the result says so (singleQuoted) because Seg-Zero's json.loads() would reject it.
//
// VisionReasoner (several objects): `<answer>\s*(.*?)\s*</answer>` (dot matches newlines) is
// json.loads()-ed strictly and iterated like Python does; each item's bbox_2d[0..3] and
// point_2d[0..1] become int(v * factor + 0.5). An empty list is a valid answer with no object.
// The thinking text is optional. No <answer>, invalid JSON or a missing key is a failure.
//
// Where Python would go on with values we cannot hold (a coordinate beyond ±2^31 after scaling, an
// integer beyond 2^53), the answer is a failure here; that needs a model gone far wrong.
class AnswerParser
{
public:
    enum class Style { SegZero, VisionReasoner };

    static constexpr int kModelSize = 840;  // `resize_size` of both evaluation scripts

    // One located object in image pixels: the box [x1, y1, x2, y2] as the model wrote it (not
    // reordered) and its prompt points (two for Seg-Zero, one for VisionReasoner).
    struct Object
    {
        int x1 = 0;
        int y1 = 0;
        int x2 = 0;
        int y2 = 0;
        QList<QPoint> points;

        bool operator==(const Object &) const = default;
    };

    struct Result
    {
        Style style = Style::SegZero;
        bool ok = false;         // false: the benchmark's script counts the sample as I = 0, U = |GT|
        QString failure;         // why not ok: one line
        QString think;           // what the script's think regex captured ("" when it did not match)
        std::vector<Object> objects;
        bool singleQuoted = false;  // Seg-Zero only: read as a Python literal, not as JSON
    };

    // The style a response is written in: VisionReasoner when its <answer> body is a JSON list
    // (starts with '['), else Seg-Zero.
    static Style detect(const QString &response);
    static QString styleName(Style style);  // "seg-zero", "vision-reasoner"
    static std::optional<Style> styleFromName(const QString &name);

    // imageWidth/imageHeight: the original image (img_width, img_height of the benchmark's data).
    static Result parse(const QString &response, Style style, int imageWidth, int imageHeight);
    static Result parse(const QString &response, int imageWidth, int imageHeight)
    {
        return parse(response, detect(response), imageWidth, imageHeight);
    }
};

} // namespace rs
