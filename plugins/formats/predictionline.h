#pragma once

#include "core/datasetrecord.h"
#include "core/expected.h"

#include <QJsonObject>
#include <QStringList>

namespace rs {

// One model output as a line of predictions.jsonl and back (the schema is PredictionsFormat's), plus
// the two foreign forms read into the same record: a raw Seg-Zero/VisionReasoner answer line and an
// element of their output_*.json. The record carries only the keys (extras.dataset, sample.split,
// sample.sourceId) and record.proposal.
class PredictionLine
{
public:
    // What reading one line found besides the record, for the import report.
    struct Info
    {
        bool fromResponse = false;  // a raw model answer parsed with AnswerParser
        bool singleQuoted = false;  // ... that only a Python literal reading accepted
        QStringList unreadKeys;
    };

    // One line of our JSONL, or a raw-answer line (it has "response"); `where` ("FILE:LINE") starts
    // every error, which names the field and the value.
    static Expected<DatasetRecord> fromJson(const QJsonObject &line, const QString &where, const QString &defaultSplit,
                                            Info *info = nullptr);
    // One element of an output_*.json list.
    static Expected<DatasetRecord> fromEvalOutput(const QJsonObject &entry, const QString &where, const QString &split);
    // The line of a record with a proposal: sorted keys, defaults left out. Error without a proposal
    // or a source id.
    static Expected<QJsonObject> toJson(const DatasetRecord &record);
};

} // namespace rs
