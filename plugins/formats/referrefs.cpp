#include "plugins/formats/referrefs.h"

#include "plugins/formats/jsonfields.h"
#include "plugins/formats/jsonfile.h"
#include "plugins/formats/picklereader.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonObject>

namespace rs {

namespace {

const QStringList kReferSplitNames = {QStringLiteral("train"),  QStringLiteral("val"),    QStringLiteral("test"),
                                      QStringLiteral("testA"),  QStringLiteral("testB"),  QStringLiteral("testC"),
                                      QStringLiteral("testAB"), QStringLiteral("testBC"), QStringLiteral("testAC")};

// ann_id / category_id of gRefCOCO: an int or a non-empty list of ints.
Expected<QList<qint64>> intOrIntList(const JsonFields &fields, const QString &key)
{
    const QJsonValue value = fields.object().value(key);
    if (!fields.object().contains(key))
        return fields.error(QStringLiteral("field '%1' is missing").arg(key));
    if (const auto single = JsonFields::toInteger(value))
        return QList<qint64>{*single};
    if (!value.isArray() || value.toArray().isEmpty())
        return fields.typeError(key, QStringLiteral("an integer or a non-empty list of integers"));
    QList<qint64> ids;
    for (const QJsonValue &item : value.toArray()) {
        const auto id = JsonFields::toInteger(item);
        if (!id)
            return fields.typeError(key, QStringLiteral("an integer or a non-empty list of integers"));
        ids << *id;
    }
    return ids;
}

Expected<ReferSentence> readSentence(const QJsonValue &value, const QString &where)
{
    if (!value.isObject())
        return Error{QStringLiteral("%1: must be an object {sent_id, sent, tokens, raw}, not %2").arg(where, JsonFields::show(value))};
    const JsonFields fields(value.toObject(), where);
    ReferSentence sentence;
    auto sentId = fields.integer(QStringLiteral("sent_id"));
    if (!sentId)
        return Error{sentId.error()};
    auto sent = fields.string(QStringLiteral("sent"));
    if (!sent)
        return Error{sent.error()};
    auto tokens = fields.array(QStringLiteral("tokens"));
    if (!tokens)
        return Error{tokens.error()};
    for (const QJsonValue &token : *tokens)
        if (!token.isString())
            return fields.error(QStringLiteral("field 'tokens' must be a list of strings, found %1").arg(JsonFields::show(token)));
    sentence.sentId = *sentId;
    sentence.sent = *sent;
    sentence.tokens = *tokens;
    if (fields.has(QStringLiteral("raw"))) {
        auto raw = fields.string(QStringLiteral("raw"));
        if (!raw)
            return Error{raw.error()};
        sentence.raw = *raw;
        sentence.hasRaw = true;
    }
    return sentence;
}

Expected<ReferRef> readRef(const QJsonValue &value, qint64 index, const QString &where, bool generalized)
{
    if (!value.isObject())
        return Error{QStringLiteral("%1: must be a dict, not %2").arg(where, JsonFields::show(value))};
    const JsonFields fields(value.toObject(), where);
    ReferRef ref;
    ref.index = index;
    auto refId = fields.integer(QStringLiteral("ref_id"));
    if (!refId)
        return Error{refId.error()};
    ref.refId = *refId;
    const JsonFields named(fields.object(), QStringLiteral("%1 (ref_id %2)").arg(where).arg(ref.refId));
    auto imageId = named.integer(QStringLiteral("image_id"));
    if (!imageId)
        return Error{imageId.error()};
    ref.imageId = *imageId;
    auto split = named.string(QStringLiteral("split"));
    if (!split)
        return Error{split.error()};
    ref.split = *split;
    ref.annIdValue = named.object().value(QStringLiteral("ann_id"));
    ref.categoryIdValue = named.object().value(QStringLiteral("category_id"));
    if (generalized) {
        auto annIds = intOrIntList(named, QStringLiteral("ann_id"));
        if (!annIds)
            return Error{annIds.error()};
        // grefer: ann_id == [-1] (or a bare -1, which _toList makes [-1]) is a no-target expression.
        if (annIds->contains(-1)) {
            if (annIds->size() != 1)
                return named.error(QStringLiteral("field 'ann_id' mixes -1 (no target) with ann ids: %1").arg(JsonFields::show(ref.annIdValue)));
        } else {
            ref.annIds = *annIds;
        }
        auto categories = intOrIntList(named, QStringLiteral("category_id"));  // grefer indexes catToRefs by it
        if (!categories)
            return Error{categories.error()};
    } else {
        auto annId = named.integer(QStringLiteral("ann_id"));
        if (!annId)
            return Error{annId.error()};
        ref.annIds = {*annId};
        auto category = named.integer(QStringLiteral("category_id"));
        if (!category)
            return Error{category.error()};
    }
    auto fileName = named.string(QStringLiteral("file_name"), QString());
    if (!fileName)
        return Error{fileName.error()};
    ref.fileName = *fileName;
    auto sentences = named.array(QStringLiteral("sentences"));
    if (!sentences)
        return Error{sentences.error()};
    for (qsizetype s = 0; s < sentences->size(); ++s) {
        auto sentence = readSentence(sentences->at(s), QStringLiteral("%1 (ref_id %2) sentence %3").arg(where).arg(ref.refId).arg(s));
        if (!sentence)
            return Error{sentence.error()};
        ref.sentences.push_back(std::move(*sentence));
    }
    return ref;
}

} // namespace

Expected<ReferRefs> ReferRefs::read(const QString &path, bool generalized)
{
    ReferRefs result;
    result.m_path = path;
    const QString name = QFileInfo(path).fileName();
    QJsonValue top;
    if (path.endsWith(QStringLiteral(".json"))) {
        auto doc = JsonFile::read(path);
        if (!doc)
            return Error{doc.error()};
        top = doc->isArray() ? QJsonValue(doc->array()) : QJsonValue(doc->object());
    } else {
        PickleReader::Stats stats;
        auto value = PickleReader::readFile(path, &stats);
        if (!value)
            return Error{value.error()};
        top = *value;
        result.m_nonAscii = stats.nonAsciiByteStrings;
    }
    if (!top.isArray())
        return Error{QStringLiteral("%1: must be a list of refs, not %2").arg(path, JsonFields::show(top))};
    const QJsonArray refs = top.toArray();
    top = QJsonValue();

    QHash<qint64, qint64> refIndex;
    QHash<qint64, qint64> sentRef;
    result.m_refs.reserve(std::size_t(refs.size()));
    for (qsizetype i = 0; i < refs.size(); ++i) {
        const QString where = QStringLiteral("%1 ref %2").arg(name).arg(i);
        auto ref = readRef(refs.at(i), i, where, generalized);
        if (!ref)
            return Error{ref.error()};
        const auto seen = refIndex.constFind(ref->refId);
        if (seen != refIndex.constEnd())
            return Error{QStringLiteral("%1: ref_id %2 repeats ref %3's (refer indexes refs by ref_id and keeps only one)")
                             .arg(where)
                             .arg(ref->refId)
                             .arg(*seen)};
        refIndex.insert(ref->refId, i);
        for (const ReferSentence &sentence : ref->sentences) {
            const auto other = sentRef.constFind(sentence.sentId);
            if (other != sentRef.constEnd())
                return Error{QStringLiteral("%1 (ref_id %2): sent_id %3 repeats a sentence of ref %4 (refer indexes sentences by sent_id)")
                                 .arg(where)
                                 .arg(ref->refId)
                                 .arg(sentence.sentId)
                                 .arg(*other)};
            sentRef.insert(sentence.sentId, i);
        }
        if (!result.m_splits.contains(ref->split))
            result.m_splits << ref->split;
        result.m_refs.push_back(std::move(*ref));
    }
    return result;
}

bool ReferRefs::selects(const QString &split, const QString &refSplit, bool generalized)
{
    if (split.isEmpty())
        return true;
    if (generalized)
        return refSplit == split;
    if (split == QLatin1String("testA") || split == QLatin1String("testB") || split == QLatin1String("testC"))
        return refSplit.contains(split.back());
    if (split == QLatin1String("test"))
        return refSplit.contains(QLatin1String("test"));
    return refSplit == split;  // train, val, testAB, testBC, testAC
}

Expected<bool> ReferRefs::checkSplit(const QString &split, bool generalized) const
{
    if (split.isEmpty())
        return true;
    const QString present = m_splits.isEmpty() ? QStringLiteral("none") : m_splits.join(QStringLiteral(", "));
    if (generalized && !m_splits.contains(split))
        return Error{QStringLiteral("%1: no split '%2' (grefer accepts only the splits present: %3)").arg(m_path, split, present)};
    if (!generalized && !kReferSplitNames.contains(split))
        return Error{QStringLiteral("%1: no split '%2' (refer's getRefIds knows %3; splits present: %4)")
                         .arg(m_path, split, kReferSplitNames.join(QStringLiteral(", ")), present)};
    for (const ReferRef &ref : m_refs)
        if (selects(split, ref.split, generalized))
            return true;
    return Error{QStringLiteral("%1: split '%2' selects no refs (splits present: %3)").arg(m_path, split, present)};
}

} // namespace rs
