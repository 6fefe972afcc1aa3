#pragma once

#include "core/expected.h"

#include <QJsonArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace rs {

// One sentence of a ref (formats.md §6.1: {sent_id, sent, tokens, raw}).
struct ReferSentence
{
    qint64 sentId = 0;
    QString sent;
    QJsonArray tokens;
    QString raw;
    bool hasRaw = false;
};

// One ref of refs(<splitBy>).p / grefs(<splitBy>).json, checked and typed.
struct ReferRef
{
    qint64 index = 0;          // position in the file
    qint64 refId = 0;
    qint64 imageId = 0;
    QList<qint64> annIds;      // empty for a gRefCOCO no-target ref (ann_id [-1])
    QJsonValue annIdValue;     // ann_id as the file holds it (int or list)
    QJsonValue categoryIdValue;
    QString split;
    QString fileName;          // the ref's own file_name (refer: "ignore filename"), may be empty
    std::vector<ReferSentence> sentences;
};

// The refs list of the refer API (formats.md §6.1) or of gRefCOCO's grefer (§6.2), read whole (the
// files are tens of MB at most) and checked the way the loaders index it: ref_id and sent_id unique
// (refer keeps only the last of a repeated id), every sentence with sent_id, sent and tokens (refer
// indexes sentToTokens), ann_id an int (refer) or an int / list of ints with [-1] = no target
// (grefer).
class ReferRefs
{
public:
    // generalized: gRefCOCO's rules. A .p file is read with PickleReader, a .json file as JSON.
    static Expected<ReferRefs> read(const QString &path, bool generalized);

    const QString &path() const { return m_path; }
    const std::vector<ReferRef> &refs() const { return m_refs; }
    // Distinct ref splits in file order.
    const QStringList &splits() const { return m_splits; }
    // Python 2 byte strings that were not ASCII (see PickleReader).
    qint64 nonAsciiStrings() const { return m_nonAscii; }

    // Whether a ref of split refSplit is selected by `split` (empty: all). refer's getRefIds:
    // testA/testB/testC match by their last letter anywhere in the ref's split (so "testAB" counts
    // for both), testAB/testBC/testAC exactly, "test" every split containing "test", train/val
    // exactly, any other name is refused. grefer's getRefIds: exact names present in the file.
    static bool selects(const QString &split, const QString &refSplit, bool generalized);
    // Error when `split` is a name the loader refuses or selects no ref; the message lists the
    // splits present.
    Expected<bool> checkSplit(const QString &split, bool generalized) const;

private:
    QString m_path;
    std::vector<ReferRef> m_refs;
    QStringList m_splits;
    qint64 m_nonAscii = 0;
};

} // namespace rs
