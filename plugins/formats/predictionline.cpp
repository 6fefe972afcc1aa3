#include "plugins/formats/predictionline.h"

#include "core/rle.h"
#include "plugins/formats/answerparser.h"
#include "plugins/formats/jsonfields.h"

#include <QJsonArray>
#include <QSet>

#include <climits>
#include <cmath>

namespace rs {

namespace {

const QString kSourceId = QStringLiteral("source_id");
const QString kSplit = QStringLiteral("split");
const QString kDataset = QStringLiteral("dataset");
const QString kChain = QStringLiteral("chain");
const QString kTokens = QStringLiteral("tokens");
const QString kSteps = QStringLiteral("steps");
const QString kRawResponse = QStringLiteral("raw_response");
const QString kParseFailed = QStringLiteral("parse_failed");
const QString kMasks = QStringLiteral("masks");
const QString kBoxes = QStringLiteral("boxes");
const QString kTimings = QStringLiteral("timings");
const QString kIntersection = QStringLiteral("intersection");
const QString kUnion = QStringLiteral("union");
const QString kBboxIou = QStringLiteral("bbox_iou");
const QString kResponse = QStringLiteral("response");
const QString kAnswerFormat = QStringLiteral("answer_format");
const QString kImageId = QStringLiteral("image_id");
const QString kAnnId = QStringLiteral("ann_id");
const QString kImgWidth = QStringLiteral("img_width");
const QString kImgHeight = QStringLiteral("img_height");

// Coordinates beyond this are no image's pixels; it also keeps x2 - x1 exact in a double.
constexpr double kMaxCoordinate = 1e9;

// "field[index]" style names in messages.
QString at(const QString &field, qsizetype index)
{
    return QStringLiteral("%1[%2]").arg(field).arg(index);
}

Expected<QString> idValue(const JsonFields &fields, const QString &key)
{
    const QJsonValue value = fields.object().value(key);
    if (value.isString() && !value.toString().isEmpty())
        return value.toString();
    if (const auto integer = JsonFields::toInteger(value))
        return QString::number(*integer);
    return fields.typeError(key, QStringLiteral("a non-empty string or an integer"));
}

// The first of keys that is present and not null.
Expected<QString> sourceIdOf(const JsonFields &fields, const QStringList &keys)
{
    for (const QString &key : keys)
        if (fields.has(key))
            return idValue(fields, key);
    QStringList quoted;
    for (const QString &key : keys)
        quoted << QLatin1Char('\'') + key + QLatin1Char('\'');
    return fields.error(QStringLiteral("no sample id: field %1 is missing").arg(quoted.join(QStringLiteral(" / "))));
}

Expected<double> finiteNumber(const QJsonValue &value, const QString &name, const JsonFields &fields)
{
    if (!value.isDouble() || !std::isfinite(value.toDouble()))
        return fields.error(QStringLiteral("%1 must be a number, not %2").arg(name, JsonFields::show(value)));
    return value.toDouble();
}

Expected<double> coordinate(const QJsonValue &value, const QString &name, const JsonFields &fields)
{
    auto number = finiteNumber(value, name, fields);
    if (number && std::fabs(*number) > kMaxCoordinate)
        return fields.error(QStringLiteral("%1 = %2 is not a pixel coordinate").arg(name, JsonFields::show(value)));
    return number;
}

// [x1, y1, x2, y2] → xywh (not reordered: a model's inverted box stays as written).
Expected<QRectF> boxFromCorners(const QJsonValue &value, const QString &name, const JsonFields &fields)
{
    const QJsonArray corners = value.toArray();
    if (!value.isArray() || corners.size() != 4)
        return fields.error(QStringLiteral("%1 must be [x1, y1, x2, y2], not %2").arg(name, JsonFields::show(value)));
    double c[4];
    for (int i = 0; i < 4; ++i) {
        auto number = coordinate(corners.at(i), at(name, i), fields);
        if (!number)
            return Error{number.error()};
        c[i] = *number;
    }
    return QRectF(c[0], c[1], c[2] - c[0], c[3] - c[1]);
}

QJsonArray cornersOf(const QRectF &box)
{
    return QJsonArray{box.x(), box.y(), box.x() + box.width(), box.y() + box.height()};
}

Expected<QList<QPointF>> pointsOf(const QJsonValue &value, const QString &name, const JsonFields &fields)
{
    if (!value.isArray())
        return fields.error(QStringLiteral("%1 must be a list of [x, y] pairs, not %2").arg(name, JsonFields::show(value)));
    QList<QPointF> points;
    const QJsonArray list = value.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QJsonArray pair = list.at(i).toArray();
        if (!list.at(i).isArray() || pair.size() != 2)
            return fields.error(QStringLiteral("%1 must be an [x, y] pair, not %2").arg(at(name, i), JsonFields::show(list.at(i))));
        auto x = coordinate(pair.at(0), at(name, i) + QStringLiteral("[0]"), fields);
        auto y = x ? coordinate(pair.at(1), at(name, i) + QStringLiteral("[1]"), fields) : x;
        if (!y)
            return Error{y.error()};
        points.append(QPointF(*x, *y));
    }
    return points;
}

QJsonArray pointsJson(const QList<QPointF> &points)
{
    QJsonArray list;
    for (const QPointF &point : points)
        list.append(QJsonArray{point.x(), point.y()});
    return list;
}

// The optional score/label/description/points of a target object.
Expected<bool> readTargetDetails(const JsonFields &target, RleTarget &into, const JsonFields &line, const QString &name)
{
    const JsonFields named(target.object(), line.where() + QStringLiteral(": ") + name);
    auto score = named.number(QStringLiteral("score"), 0.0);
    if (!score)
        return Error{score.error()};
    auto label = named.string(QStringLiteral("label"), QString());
    if (!label)
        return Error{label.error()};
    auto description = named.string(QStringLiteral("description"), QString());
    if (!description)
        return Error{description.error()};
    into.score = *score;
    into.label = *label;
    into.description = *description;
    if (target.has(QStringLiteral("points"))) {
        auto points = pointsOf(target.object().value(QStringLiteral("points")), name + QStringLiteral(".points"), line);
        if (!points)
            return Error{points.error()};
        into.points = *points;
    }
    return true;
}

void writeTargetDetails(const RleTarget &target, QJsonObject &json)
{
    if (target.score != 0.0)
        json.insert(QStringLiteral("score"), target.score);
    if (!target.label.isEmpty())
        json.insert(QStringLiteral("label"), target.label);
    if (!target.description.isEmpty())
        json.insert(QStringLiteral("description"), target.description);
    if (!target.points.isEmpty())
        json.insert(QStringLiteral("points"), pointsJson(target.points));
}

Expected<RleTarget> maskTarget(const QJsonValue &value, qsizetype index, const JsonFields &line)
{
    const QString name = at(kMasks, index);
    if (!value.isObject())
        return line.error(QStringLiteral("%1 must be an object {size, counts, ...}, not %2").arg(name, JsonFields::show(value)));
    const JsonFields mask(value.toObject(), line.where() + QStringLiteral(": ") + name);
    auto size = mask.array(QStringLiteral("size"));
    if (!size)
        return Error{size.error()};
    // -1: not an integer.
    const qint64 height = size->size() == 2 ? JsonFields::toInteger(size->at(0)).value_or(-1) : -1;
    const qint64 width = size->size() == 2 ? JsonFields::toInteger(size->at(1)).value_or(-1) : -1;
    if (height <= 0 || width <= 0 || height > INT_MAX || width > INT_MAX || !Rle::isValidSize(int(height), int(width)))
        return mask.error(QStringLiteral("field 'size' must be [height, width] of positive integers, not %1").arg(JsonFields::show(*size)));
    const QJsonValue countsValue = mask.object().value(QStringLiteral("counts"));
    if (countsValue.isArray())
        return mask.error(QStringLiteral("field 'counts' must be a compressed RLE string (COCO counts), not a list"));
    auto counts = mask.string(QStringLiteral("counts"));
    if (!counts)
        return Error{counts.error()};
    const QByteArray bytes = counts->toLatin1();
    if (QString::fromLatin1(bytes) != *counts)
        return mask.error(QStringLiteral("field 'counts' has a character outside ASCII"));
    auto rle = Rle::fromString(bytes, int(height), int(width));
    if (!rle)
        return mask.error(QStringLiteral("field 'counts' (size [%1, %2]): %3").arg(height).arg(width).arg(rle.error()));
    RleTarget target;
    target.counts = bytes;
    target.height = int(height);
    target.width = int(width);
    target.box = rle->bbox();
    if (mask.has(QStringLiteral("box"))) {
        auto box = boxFromCorners(mask.object().value(QStringLiteral("box")), name + QStringLiteral(".box"), line);
        if (!box)
            return Error{box.error()};
        target.box = *box;
    }
    auto details = readTargetDetails(mask, target, line, name);
    if (!details)
        return Error{details.error()};
    return target;
}

Expected<RleTarget> boxTarget(const QJsonValue &value, qsizetype index, const JsonFields &line)
{
    const QString name = at(kBoxes, index);
    RleTarget target;  // no counts, 0 x 0: hasMask() is false
    if (value.isArray()) {
        auto box = boxFromCorners(value, name, line);
        if (!box)
            return Error{box.error()};
        target.box = *box;
        return target;
    }
    if (!value.isObject())
        return line.error(QStringLiteral("%1 must be [x1, y1, x2, y2] or {box, points, ...}, not %2").arg(name, JsonFields::show(value)));
    const JsonFields object(value.toObject(), line.where() + QStringLiteral(": ") + name);
    if (!object.has(QStringLiteral("box")))
        return object.error(QStringLiteral("field 'box' is missing"));
    auto box = boxFromCorners(object.object().value(QStringLiteral("box")), name + QStringLiteral(".box"), line);
    if (!box)
        return Error{box.error()};
    target.box = *box;
    auto details = readTargetDetails(object, target, line, name);
    if (!details)
        return Error{details.error()};
    return target;
}

Expected<std::vector<ChainToken>> tokensOf(const QJsonArray &list, const JsonFields &line)
{
    std::vector<ChainToken> tokens;
    tokens.reserve(std::size_t(list.size()));
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString name = at(kTokens, i);
        if (!list.at(i).isObject())
            return line.error(QStringLiteral("%1 must be an object {text, logprob, ...}, not %2").arg(name, JsonFields::show(list.at(i))));
        const JsonFields token(list.at(i).toObject(), line.where() + QStringLiteral(": ") + name);
        auto text = token.string(QStringLiteral("text"));
        if (!text)
            return Error{text.error()};
        auto logProb = token.number(QStringLiteral("logprob"), 0.0);
        auto entropy = logProb ? token.number(QStringLiteral("entropy"), 0.0) : logProb;
        auto margin = entropy ? token.number(QStringLiteral("top2_margin"), 1.0) : entropy;
        if (!margin)
            return Error{margin.error()};
        if (*margin < 0.0 || *margin > 1.0)
            return token.error(QStringLiteral("field 'top2_margin' = %1 is not p1 - p2 in [0, 1]").arg(*margin));
        ChainToken chainToken;
        chainToken.text = *text;
        chainToken.logProb = float(*logProb);
        chainToken.entropy = float(*entropy);
        chainToken.top2Margin = float(*margin);
        if (token.has(QStringLiteral("id"))) {
            auto id = token.integer(QStringLiteral("id"));
            if (!id)
                return Error{id.error()};
            if (*id < 0 || *id > INT_MAX)
                return token.error(QStringLiteral("field 'id' = %1 is not a vocabulary id").arg(*id));
            chainToken.id = int(*id);
        }
        tokens.push_back(std::move(chainToken));
    }
    return tokens;
}

Expected<ReasoningChain> chainOf(const JsonFields &line)
{
    auto text = line.string(kChain, QString());
    if (!text)
        return Error{text.error()};
    ReasoningChain chain;
    if (line.has(kTokens)) {
        auto list = line.array(kTokens);
        if (!list)
            return Error{list.error()};
        auto tokens = tokensOf(*list, line);
        if (!tokens)
            return Error{tokens.error()};
        chain = ReasoningChain::fromTokens(std::move(*tokens));
        if (line.has(kChain) && *text != chain.text())
            return line.error(QStringLiteral("field 'chain' is not the tokens' text joined by single spaces "
                                             "(give the tokens alone, and the original output as raw_response)"));
    } else {
        chain = ReasoningChain::fromText(*text);
    }
    if (line.has(kSteps)) {
        auto list = line.array(kSteps);
        if (!list)
            return Error{list.error()};
        std::vector<ChainStep> steps;
        for (qsizetype i = 0; i < list->size(); ++i) {
            const QJsonArray pair = list->at(i).toArray();
            const qint64 first = pair.size() == 2 ? JsonFields::toInteger(pair.at(0)).value_or(-1) : -1;
            const qint64 end = pair.size() == 2 ? JsonFields::toInteger(pair.at(1)).value_or(-1) : -1;
            if (first < 0 || end < 0 || end > INT_MAX)
                return line.error(QStringLiteral("%1 must be a [first, end] pair of token indices, not %2").arg(at(kSteps, i), JsonFields::show(list->at(i))));
            steps.push_back({int(first), int(end)});
        }
        if (!chain.setSteps(std::move(steps)))
            return line.error(QStringLiteral("field 'steps' is not a split of the chain's %1 tokens into ordered, non-empty ranges").arg(chain.tokenCount()));
    }
    return chain;
}

Expected<ProposalTimings> timingsOf(const JsonFields &line)
{
    ProposalTimings timings;
    if (!line.has(kTimings))
        return timings;
    auto object = line.object(kTimings);
    if (!object)
        return Error{object.error()};
    const JsonFields fields(*object, line.where() + QStringLiteral(": timings"));
    const std::pair<const char *, double *> known[] = {
        {"preprocess_ms", &timings.preprocessMs}, {"first_token_ms", &timings.firstTokenMs},
        {"decode_ms", &timings.decodeMs},         {"mask_ms", &timings.maskMs},
        {"tokens_per_second", &timings.tokensPerSecond},
    };
    for (const auto &[key, into] : known) {
        auto value = fields.number(QString::fromLatin1(key), 0.0);
        if (!value)
            return Error{value.error()};
        if (*value < 0.0)
            return fields.error(QStringLiteral("field '%1' = %2 is negative").arg(QString::fromLatin1(key)).arg(*value));
        *into = *value;
    }
    for (const QString &key : object->keys()) {
        bool isKnown = false;
        for (const auto &[name, into] : known)
            isKnown = isKnown || key == QLatin1String(name);
        if (!isKnown)
            return fields.error(QStringLiteral("unknown field '%1' (known: preprocess_ms, first_token_ms, decode_ms, mask_ms, tokens_per_second)").arg(key));
    }
    return timings;
}

QJsonObject timingsJson(const ProposalTimings &timings)
{
    QJsonObject json;
    const std::pair<const char *, double> values[] = {
        {"preprocess_ms", timings.preprocessMs}, {"first_token_ms", timings.firstTokenMs},
        {"decode_ms", timings.decodeMs},         {"mask_ms", timings.maskMs},
        {"tokens_per_second", timings.tokensPerSecond},
    };
    for (const auto &[key, value] : values)
        if (value != 0.0)
            json.insert(QString::fromLatin1(key), value);
    return json;
}

// intersection/union (both or neither) and bbox_iou.
Expected<bool> readReported(const JsonFields &fields, Proposal &proposal, bool required)
{
    if (required || fields.has(kIntersection) || fields.has(kUnion)) {
        auto intersection = fields.integer(kIntersection);
        auto unionArea = intersection ? fields.integer(kUnion) : intersection;
        if (!unionArea)
            return Error{unionArea.error()};
        if (*intersection < 0 || *intersection > *unionArea)
            return fields.error(QStringLiteral("intersection %1 and union %2 are not 0 <= I <= U").arg(*intersection).arg(*unionArea));
        proposal.reportedOverlap = OverlapCounts{*intersection, *unionArea};
    }
    if (fields.has(kBboxIou)) {
        auto hit = fields.number(kBboxIou);
        if (!hit)
            return Error{hit.error()};
        if (*hit != 0.0 && *hit != 1.0)
            return fields.error(QStringLiteral("field 'bbox_iou' must be 0 or 1 (a predicted box with IoU > 0.5), not %1").arg(*hit));
        proposal.reportedBoxHit = *hit == 1.0;
    }
    return true;
}

Expected<bool> readKeys(const JsonFields &fields, DatasetRecord &record, const QString &defaultSplit)
{
    auto split = fields.string(kSplit, defaultSplit);
    if (!split)
        return Error{split.error()};
    auto dataset = fields.string(kDataset, QString());
    if (!dataset)
        return Error{dataset.error()};
    record.sample.split = *split;
    record.extras.dataset = *dataset;
    return true;
}

QStringList unreadKeys(const QJsonObject &object, const QSet<QString> &known)
{
    QStringList unread;
    for (const QString &key : object.keys())
        if (!known.contains(key))
            unread << key;
    return unread;
}

Expected<DatasetRecord> recordFromResponse(const JsonFields &line, const QString &defaultSplit, PredictionLine::Info *info)
{
    for (const QString &key : {kChain, kTokens, kSteps, kRawResponse, kParseFailed, kMasks, kBoxes, kIntersection, kUnion})
        if (line.object().contains(key))
            return line.error(QStringLiteral("field '%1' cannot go with 'response' (a raw answer is parsed; "
                                             "give raw_response and masks/boxes instead)").arg(key));
    DatasetRecord record;
    auto id = sourceIdOf(line, {kSourceId, kAnnId, kImageId});
    if (!id)
        return Error{id.error()};
    record.sample.sourceId = *id;
    auto keys = readKeys(line, record, defaultSplit);
    if (!keys)
        return Error{keys.error()};
    auto response = line.string(kResponse);
    if (!response)
        return Error{response.error()};
    auto width = line.integer(kImgWidth);
    auto height = width ? line.integer(kImgHeight) : width;
    if (!height)
        return Error{height.error()};
    if (*width <= 0 || *height <= 0 || *width > INT_MAX || *height > INT_MAX)
        return line.error(QStringLiteral("img_width x img_height = %1 x %2 is not an image size").arg(*width).arg(*height));
    AnswerParser::Style style = AnswerParser::detect(*response);
    if (line.has(kAnswerFormat)) {
        auto name = line.string(kAnswerFormat);
        if (!name)
            return Error{name.error()};
        const auto named = AnswerParser::styleFromName(*name);
        if (!named)
            return line.error(QStringLiteral("field 'answer_format' must be \"seg-zero\" or \"vision-reasoner\", not \"%1\"").arg(*name));
        style = *named;
    }
    auto timings = timingsOf(line);
    if (!timings)
        return Error{timings.error()};

    const AnswerParser::Result parsed = AnswerParser::parse(*response, style, int(*width), int(*height));
    Proposal proposal;
    proposal.chain = ReasoningChain::fromText(parsed.think);
    proposal.rawResponse = *response;
    proposal.parseFailed = !parsed.ok;
    proposal.timings = *timings;
    for (const AnswerParser::Object &object : parsed.objects) {
        RleTarget target;
        target.box = QRectF(object.x1, object.y1, double(object.x2) - object.x1, double(object.y2) - object.y1);
        for (const QPoint &point : object.points)
            target.points.append(QPointF(point));
        proposal.targets.push_back(std::move(target));
    }
    record.proposal = std::move(proposal);
    if (info) {
        info->fromResponse = true;
        info->singleQuoted = parsed.singleQuoted;
        info->unreadKeys = unreadKeys(line.object(), {kSourceId, kAnnId, kImageId, kSplit, kDataset, kResponse, kImgWidth,
                                                      kImgHeight, kAnswerFormat, kTimings});
    }
    return record;
}

} // namespace

Expected<DatasetRecord> PredictionLine::fromJson(const QJsonObject &object, const QString &where,
                                                          const QString &defaultSplit, Info *info)
{
    const JsonFields line(object, where);
    if (object.contains(kResponse))
        return recordFromResponse(line, defaultSplit, info);

    DatasetRecord record;
    auto id = sourceIdOf(line, {kSourceId});
    if (!id)
        return Error{id.error()};
    record.sample.sourceId = *id;
    auto keys = readKeys(line, record, defaultSplit);
    if (!keys)
        return Error{keys.error()};

    Proposal proposal;
    auto chain = chainOf(line);
    if (!chain)
        return Error{chain.error()};
    proposal.chain = std::move(*chain);
    auto raw = line.string(kRawResponse, QString());
    if (!raw)
        return Error{raw.error()};
    proposal.rawResponse = *raw;
    auto failedParse = line.boolean(kParseFailed, false);
    if (!failedParse)
        return Error{failedParse.error()};
    proposal.parseFailed = *failedParse;

    if (line.has(kMasks)) {
        auto masks = line.array(kMasks);
        if (!masks)
            return Error{masks.error()};
        for (qsizetype i = 0; i < masks->size(); ++i) {
            auto target = maskTarget(masks->at(i), i, line);
            if (!target)
                return Error{target.error()};
            // One line is one image: every mask has its size.
            if (!proposal.targets.empty()
                && (target->height != proposal.targets.front().height || target->width != proposal.targets.front().width))
                return line.error(QStringLiteral("masks[%1].size [%2, %3] differs from masks[0].size [%4, %5] (one line is one image)")
                                      .arg(i)
                                      .arg(target->height)
                                      .arg(target->width)
                                      .arg(proposal.targets.front().height)
                                      .arg(proposal.targets.front().width));
            proposal.targets.push_back(std::move(*target));
        }
    }
    if (line.has(kBoxes)) {
        auto boxes = line.array(kBoxes);
        if (!boxes)
            return Error{boxes.error()};
        for (qsizetype i = 0; i < boxes->size(); ++i) {
            auto target = boxTarget(boxes->at(i), i, line);
            if (!target)
                return Error{target.error()};
            proposal.targets.push_back(std::move(*target));
        }
    }
    auto timings = timingsOf(line);
    if (!timings)
        return Error{timings.error()};
    proposal.timings = *timings;
    auto reported = readReported(line, proposal, false);
    if (!reported)
        return Error{reported.error()};
    record.proposal = std::move(proposal);
    if (info)
        info->unreadKeys = unreadKeys(object, {kSourceId, kSplit, kDataset, kChain, kTokens, kSteps, kRawResponse, kParseFailed,
                                               kMasks, kBoxes, kTimings, kIntersection, kUnion, kBboxIou});
    return record;
}

Expected<DatasetRecord> PredictionLine::fromEvalOutput(const QJsonObject &entry, const QString &where, const QString &split)
{
    const JsonFields fields(entry, where);
    DatasetRecord record;
    auto id = sourceIdOf(fields, {kAnnId, kImageId});
    if (!id)
        return Error{id.error()};
    record.sample.sourceId = *id;
    record.sample.split = split;
    auto think = fields.string(QStringLiteral("think"), QString());
    if (!think)
        return Error{think.error()};
    Proposal proposal;
    proposal.chain = ReasoningChain::fromText(*think);
    auto reported = readReported(fields, proposal, true);
    if (!reported)
        return Error{reported.error()};
    record.proposal = std::move(proposal);
    return record;
}

Expected<QJsonObject> PredictionLine::toJson(const DatasetRecord &record)
{
    if (!record.proposal)
        return Error{QStringLiteral("sample '%1' has no proposal").arg(record.sample.sourceId)};
    if (record.sample.sourceId.isEmpty())
        return Error{QStringLiteral("sample %1 has no source id; predictions are keyed by it").arg(record.sample.id)};
    const Proposal &proposal = *record.proposal;
    QJsonObject line;
    line.insert(kSourceId, record.sample.sourceId);
    if (!record.sample.split.isEmpty())
        line.insert(kSplit, record.sample.split);
    if (!record.extras.dataset.isEmpty())
        line.insert(kDataset, record.extras.dataset);

    const ReasoningChain &chain = proposal.chain;
    if (!chain.text().isEmpty())
        line.insert(kChain, chain.text());
    // Tokens only when they say more than the text's words (imported text has no statistics).
    const ReasoningChain fromText = ReasoningChain::fromText(chain.text());
    const bool withTokens = chain.tokens() != fromText.tokens();
    if (withTokens) {
        if (ReasoningChain::fromTokens(chain.tokens()).text() != chain.text())
            return Error{QStringLiteral("sample '%1': the chain's text is not its tokens joined by spaces").arg(record.sample.sourceId)};
        QJsonArray tokens;
        for (const ChainToken &token : chain.tokens()) {
            QJsonObject json;
            json.insert(QStringLiteral("text"), token.text);
            json.insert(QStringLiteral("logprob"), double(token.logProb));
            json.insert(QStringLiteral("entropy"), double(token.entropy));
            json.insert(QStringLiteral("top2_margin"), double(token.top2Margin));
            if (token.id >= 0)
                json.insert(QStringLiteral("id"), token.id);
            tokens.append(json);
        }
        line.insert(kTokens, tokens);
    }
    // A copy: the steps of a temporary chain die with it (ASan: stack-use-after-scope).
    const std::vector<ChainStep> defaultSteps = withTokens ? ReasoningChain::fromTokens(chain.tokens()).steps() : fromText.steps();
    if (chain.steps() != defaultSteps) {
        QJsonArray steps;
        for (const ChainStep &step : chain.steps())
            steps.append(QJsonArray{step.first, step.end});
        line.insert(kSteps, steps);
    }
    if (!proposal.rawResponse.isEmpty())
        line.insert(kRawResponse, proposal.rawResponse);
    if (proposal.parseFailed)
        line.insert(kParseFailed, true);

    QJsonArray masks;
    QJsonArray boxes;
    for (std::size_t i = 0; i < proposal.targets.size(); ++i) {
        const RleTarget &target = proposal.targets[i];
        if (!target.hasMask()) {
            if (target.points.isEmpty() && target.score == 0.0 && target.label.isEmpty() && target.description.isEmpty()) {
                boxes.append(cornersOf(target.box));
            } else {
                QJsonObject json;
                json.insert(QStringLiteral("box"), cornersOf(target.box));
                writeTargetDetails(target, json);
                boxes.append(json);
            }
            continue;
        }
        auto rle = target.rle();
        if (!rle)
            return Error{QStringLiteral("sample '%1' target %2: %3").arg(record.sample.sourceId).arg(i).arg(rle.error())};
        QJsonObject json;
        json.insert(QStringLiteral("size"), QJsonArray{target.height, target.width});
        json.insert(QStringLiteral("counts"), QString::fromLatin1(target.counts));
        if (target.box != rle->bbox())
            json.insert(QStringLiteral("box"), cornersOf(target.box));
        writeTargetDetails(target, json);
        masks.append(json);
    }
    if (!masks.isEmpty())
        line.insert(kMasks, masks);
    if (!boxes.isEmpty())
        line.insert(kBoxes, boxes);
    const QJsonObject timings = timingsJson(proposal.timings);
    if (!timings.isEmpty())
        line.insert(kTimings, timings);
    if (proposal.reportedOverlap) {
        line.insert(kIntersection, proposal.reportedOverlap->intersection);
        line.insert(kUnion, proposal.reportedOverlap->unionArea);
    }
    if (proposal.reportedBoxHit)
        line.insert(kBboxIou, *proposal.reportedBoxHit ? 1 : 0);
    return line;
}

} // namespace rs
