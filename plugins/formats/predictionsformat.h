#pragma once

#include "core/datasetformat.h"

namespace rs {

// Model outputs for samples already in the project (formats.md §2.3, §3.2, §3.4, §10.1 item 8,
// §10.3 "Model runs"). Imports hand each output to RecordSink::addPrediction() keyed by
// extras.dataset, sample.split and sample.sourceId, with record.proposal set; nothing else of the
// record is filled. docs/formats.md "Predictions" has the schema with examples.
//
// Our JSONL (predictions.jsonl, one object per line, UTF-8):
//   source_id     string or integer, required: the sample's source id
//   split, dataset  strings, optional (split defaults to --split)
//   chain         string: the reasoning text          } either or both; with tokens the chain is
//   tokens        [{text, logprob, entropy,           } the tokens joined by single spaces, and a
//                   top2_margin, id}]                  } given "chain" must equal that text
//   steps         [[first, end], ...]: the chain's steps when they are not the sentence split
//   raw_response  string: the model's whole output;  parse_failed  bool (default false)
//   masks         [{size: [h, w], counts: COCO compressed RLE string, score, label, description,
//                   box: [x1, y1, x2, y2] (default: the mask's bbox), points: [[x, y], ...]}]
//   boxes         targets without a mask (a box and prompt points before SAM made the mask):
//                 [x1, y1, x2, y2] or {box: [x1, y1, x2, y2], points, score, label, description}
//   timings       {preprocess_ms, first_token_ms, decode_ms, mask_ms, tokens_per_second}
//   intersection, union  integers: I and U the model's own evaluation reported; bbox_iou 0 or 1
// Targets are the masks in order, then the boxes. Keys not listed are ignored and named in the
// report's notes. Export writes this form: sorted keys, one line per record with a proposal,
// defaults left out, so exporting twice gives the same bytes.
//
// PredictionLine turns one line into a record and back. Also read:
//  - a reasoning model's raw answer, one per line: {source_id | ann_id | image_id, response,
//    img_width, img_height, answer_format?: "seg-zero" | "vision-reasoner", split?, dataset?,
//    timings?}. AnswerParser reads it as the benchmark's script does (style detected when not
//    given); the targets are its boxes with their points and no mask (hasMask() is false), the
//    chain is the <think> text, raw_response the response. An answer the script would count as a
//    failure is kept with parse_failed = true and no target (the metrics then count I = 0,
//    U = |GT|).
//  - Seg-Zero / VisionReasoner evaluation output (output_*.json: a JSON list of {image_id, ann_id,
//    think, intersection, union[, bbox_iou]}): chain = think, reportedOverlap = (I, U),
//    reportedBoxHit = bbox_iou. No masks were kept by those scripts.
// The source id of those two is ann_id when given, else image_id: in the benchmarks' HF test sets
// ann_id names the query, and for ReasonSeg both are the JSON file's stem (formats.md §3.3).
//
// SRC: a .jsonl file, a .json list, or a folder (its output_*.json in name order, as
// calculate_iou.py globs them, then its *.jsonl). Every malformed line is an Error
// "FILE:LINE: ..." naming the field and value; two outputs for one sample are an Error.
class PredictionsFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("predictions"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;

    static constexpr const char *kFileName = "predictions.jsonl";
};

} // namespace rs
