#include "plugins/formats/answerparser.h"

#include "plugins/formats/orderedjson.h"

#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace rs {

namespace {

// The scripts' patterns. Python's str patterns are Unicode-aware, hence the option.
const QRegularExpression &thinkPattern()
{
    static const QRegularExpression pattern(QStringLiteral("<think>([^<]+)</think>"),
                                            QRegularExpression::UseUnicodePropertiesOption);
    return pattern;
}

const QRegularExpression &answerPattern()
{
    static const QRegularExpression pattern(QStringLiteral("<answer>\\s*(.*?)\\s*</answer>"),
                                            QRegularExpression::DotMatchesEverythingOption
                                                | QRegularExpression::UseUnicodePropertiesOption);
    return pattern;
}

const QRegularExpression &firstObjectPattern()
{
    static const QRegularExpression pattern(QStringLiteral("\\{[^}]+\\}"), QRegularExpression::UseUnicodePropertiesOption);
    return pattern;
}

QString thinkOf(const QString &response)
{
    const QRegularExpressionMatch match = thinkPattern().match(response);
    return match.hasMatch() ? match.captured(1) : QString();
}

// A double that must become a C int, the way Python's int()/round() results are used as pixels.
std::optional<int> toPixel(double value)
{
    if (!std::isfinite(value) || std::fabs(value) > double(std::numeric_limits<int>::max()))
        return std::nullopt;
    return int(value);
}

// Python's int() of a string: an integer literal, surrounding whitespace allowed.
std::optional<double> intOfString(const QString &text)
{
    static const QRegularExpression integer(QStringLiteral("^\\s*[+-]?[0-9]+\\s*$"));
    if (!integer.match(text).hasMatch())
        return std::nullopt;
    bool ok = false;
    const double number = text.trimmed().toDouble(&ok);
    return ok ? std::optional<double>(number) : std::nullopt;
}

// Python's int(x) for a value json.loads() produced: numbers truncate, booleans are 0/1, strings
// must be an integer literal. nullopt where Python raises.
std::optional<double> pythonInt(const OrderedJson &value)
{
    if (value.isNumeric()) {
        const double number = value.number();
        if (!std::isfinite(number))
            return std::nullopt;
        return std::trunc(number);
    }
    if (value.type() == OrderedJson::Type::String)
        return intOfString(value.string());
    return std::nullopt;
}

// Python's int(sequence[index]): a list's item or a string's character; nullopt where it raises.
std::optional<double> intAt(const OrderedJson &sequence, std::size_t index)
{
    if (sequence.type() == OrderedJson::Type::Array)
        return index < sequence.items().size() ? pythonInt(sequence.items()[index]) : std::nullopt;
    if (sequence.type() == OrderedJson::Type::String)
        return qsizetype(index) < sequence.string().size() ? intOfString(QString(sequence.string().at(qsizetype(index))))
                                                           : std::nullopt;
    return std::nullopt;
}

// Python's len(), or -1 where it raises.
qsizetype pythonLen(const OrderedJson &value)
{
    switch (value.type()) {
    case OrderedJson::Type::Array:
        return qsizetype(value.items().size());
    case OrderedJson::Type::String:
        return value.string().size();
    case OrderedJson::Type::Object:
        return qsizetype(value.members().size());
    default:
        return -1;
    }
}

// Seg-Zero: round(int(v) * factor), v = sequence[index].
std::optional<int> segZeroCoordinate(const OrderedJson &sequence, std::size_t index, double factor)
{
    const std::optional<double> integer = intAt(sequence, index);
    if (!integer)
        return std::nullopt;
    return toPixel(std::nearbyint(*integer * factor));  // round-half-even, as Python's round()
}

// VisionReasoner: int(v * factor + 0.5).
std::optional<int> visionReasonerCoordinate(const OrderedJson &value, double factor)
{
    if (!value.isNumeric())
        return std::nullopt;
    const double product = value.number() * factor;
    const double shifted = product + 0.5;
    if (!std::isfinite(shifted))
        return std::nullopt;
    return toPixel(std::trunc(shifted));
}

AnswerParser::Result failed(AnswerParser::Result result, const QString &why)
{
    result.ok = false;
    result.failure = why;
    result.objects.clear();
    return result;
}

QString shortText(const QString &text)
{
    constexpr int kMax = 60;
    QString oneLine = text;
    oneLine.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return oneLine.size() > kMax ? oneLine.left(kMax - 3) + QStringLiteral("...") : oneLine;
}

AnswerParser::Result parseSegZero(const QString &response, double xFactor, double yFactor)
{
    AnswerParser::Result result;
    result.style = AnswerParser::Style::SegZero;
    const QRegularExpressionMatch thinkMatch = thinkPattern().match(response);
    result.think = thinkMatch.hasMatch() ? thinkMatch.captured(1) : QString();

    const QRegularExpressionMatch match = firstObjectPattern().match(response);
    if (!match.hasMatch())
        return failed(result, QStringLiteral("no {...} answer in the response"));
    const QString body = match.captured(0);
    auto data = OrderedJson::parse(body);
    if (!data) {
        OrderedJson::Options literal;
        literal.pythonLiterals = true;
        data = OrderedJson::parse(body, literal);
        if (!data)
            return failed(result, QStringLiteral("the answer '%1' is not JSON: %2").arg(shortText(body), data.error()));
        result.singleQuoted = true;
    }

    const OrderedJson *bbox = nullptr;
    std::vector<const OrderedJson *> points;
    for (const auto &[key, value] : data->members()) {
        const QString lower = key.toLower();
        if (!bbox && lower.contains(QLatin1String("bbox")))
            bbox = &value;
        if (points.size() < 2 && lower.contains(QLatin1String("points")))
            points.push_back(&value);
    }
    if (!bbox || pythonLen(*bbox) != 4)
        return failed(result, QStringLiteral("no key containing 'bbox' with 4 values"));
    AnswerParser::Object object;
    std::optional<int> corners[4];
    for (int i = 0; i < 4; ++i) {
        corners[i] = segZeroCoordinate(*bbox, std::size_t(i), i % 2 == 0 ? xFactor : yFactor);
        if (!corners[i])
            return failed(result, QStringLiteral("bbox value %1 is not an integer Python can read").arg(i));
    }
    object.x1 = *corners[0];
    object.y1 = *corners[1];
    object.x2 = *corners[2];
    object.y2 = *corners[3];
    if (points.size() != 2)
        return failed(result, QStringLiteral("fewer than two keys containing 'points'"));
    for (const OrderedJson *point : points) {
        const std::optional<int> x = segZeroCoordinate(*point, 0, xFactor);
        const std::optional<int> y = segZeroCoordinate(*point, 1, yFactor);
        if (!x || !y)
            return failed(result, QStringLiteral("a point is not an [x, y] pair of integers Python can read"));
        object.points.append(QPoint(*x, *y));
    }
    // Seg-Zero's script returns think_text unconditionally: without a match it raises.
    if (!thinkMatch.hasMatch())
        return failed(result, QStringLiteral("no <think>...</think> text (Seg-Zero's script raises without it)"));
    result.objects.push_back(object);
    result.ok = true;
    return result;
}

AnswerParser::Result parseVisionReasoner(const QString &response, double xFactor, double yFactor)
{
    AnswerParser::Result result;
    result.style = AnswerParser::Style::VisionReasoner;
    result.think = thinkOf(response);
    const QRegularExpressionMatch match = answerPattern().match(response);
    if (!match.hasMatch())
        return failed(result, QStringLiteral("no <answer>...</answer> in the response"));
    const QString body = match.captured(1);
    const auto data = OrderedJson::parse(body);
    if (!data)
        return failed(result, QStringLiteral("the answer '%1' is not JSON: %2").arg(shortText(body), data.error()));

    // `for item in data`: a list gives its items; an empty dict or string gives nothing; anything
    // else raises.
    std::vector<OrderedJson> items;
    switch (data->type()) {
    case OrderedJson::Type::Array:
        items = data->items();
        break;
    case OrderedJson::Type::Object:
    case OrderedJson::Type::String:
        if (pythonLen(*data) != 0)
            return failed(result, QStringLiteral("the answer is not a list of objects"));
        break;
    default:
        return failed(result, QStringLiteral("the answer is not a list of objects"));
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        const OrderedJson &item = items[i];
        if (item.type() != OrderedJson::Type::Object)
            return failed(result, QStringLiteral("answer item %1 is not an object").arg(i));
        const OrderedJson *bbox = item.member(QStringLiteral("bbox_2d"));
        const OrderedJson *point = item.member(QStringLiteral("point_2d"));
        if (!bbox || !point)
            return failed(result, QStringLiteral("answer item %1 has no '%2'").arg(i).arg(bbox ? QStringLiteral("point_2d") : QStringLiteral("bbox_2d")));
        if (bbox->type() != OrderedJson::Type::Array || bbox->items().size() < 4)
            return failed(result, QStringLiteral("answer item %1: bbox_2d is not a list of 4 numbers").arg(i));
        if (point->type() != OrderedJson::Type::Array || point->items().size() < 2)
            return failed(result, QStringLiteral("answer item %1: point_2d is not an [x, y] pair").arg(i));
        std::optional<int> values[6];
        for (int k = 0; k < 4; ++k)
            values[k] = visionReasonerCoordinate(bbox->items()[std::size_t(k)], k % 2 == 0 ? xFactor : yFactor);
        values[4] = visionReasonerCoordinate(point->items()[0], xFactor);
        values[5] = visionReasonerCoordinate(point->items()[1], yFactor);
        for (const auto &value : values)
            if (!value)
                return failed(result, QStringLiteral("answer item %1: a coordinate is not a number").arg(i));
        AnswerParser::Object object;
        object.x1 = *values[0];
        object.y1 = *values[1];
        object.x2 = *values[2];
        object.y2 = *values[3];
        object.points.append(QPoint(*values[4], *values[5]));
        result.objects.push_back(object);
    }
    result.ok = true;
    return result;
}

} // namespace

AnswerParser::Style AnswerParser::detect(const QString &response)
{
    const QRegularExpressionMatch match = answerPattern().match(response);
    if (match.hasMatch() && match.captured(1).startsWith(QLatin1Char('[')))
        return Style::VisionReasoner;
    return Style::SegZero;
}

QString AnswerParser::styleName(Style style)
{
    return style == Style::SegZero ? QStringLiteral("seg-zero") : QStringLiteral("vision-reasoner");
}

std::optional<AnswerParser::Style> AnswerParser::styleFromName(const QString &name)
{
    if (name == QLatin1String("seg-zero"))
        return Style::SegZero;
    if (name == QLatin1String("vision-reasoner"))
        return Style::VisionReasoner;
    return std::nullopt;
}

AnswerParser::Result AnswerParser::parse(const QString &response, Style style, int imageWidth, int imageHeight)
{
    // Python: img_width / resize_size, a correctly rounded double division.
    const double xFactor = double(imageWidth) / double(kModelSize);
    const double yFactor = double(imageHeight) / double(kModelSize);
    return style == Style::SegZero ? parseSegZero(response, xFactor, yFactor)
                                   : parseVisionReasoner(response, xFactor, yFactor);
}

} // namespace rs
