#pragma once

#include "core/datasetformat.h"

#include <QString>

namespace rs {

// PixelLM's MUSE (formats.md §4.1, §4.2, §10.1 item 4): muse_{train,val,test_less,test_many}.json, each a
// JSON list of per-image records {file_name | coco_url, height, width, ann_list, questions, answers,
// text_answers?}; answers[k] lists the instance dicts (segmentation, bbox, category_id, category_name,
// rephrased_name) that questions[k] refers to.
//
// Import: SRC is one such file (split = its "muse_<split>" suffix, or --split) or a folder holding
// them (--split picks one). One sample per (record, question k), targets in answers[k] order, each mask
// read as frPyObjects + decode reads it (CocoSegmentation; no full-size mask is decoded). sourceId is
// "<file stem>:<record id>:<k>" when the record has an integer "id" (LVIS/COCO image id) not seen
// before in the file, else "<file stem>:#<record index>:<k>". Images: <images>/train2014/<file_name>,
// or <images>/{train2017|val2017}/<basename of coco_url>, as the loader finds them; <images> is
// --image-dir, else the first of <SRC folder>/refer_seg/images/mscoco/images (the code's layout:
// ./dataset/muse_*.json next to ./dataset/refer_seg) and <SRC folder>/../refer_seg/images/mscoco/images
// (the README's dataset/muse/ layout) that exists.
// What the loaders skip is reported in ImportReport::rejected, not imported: records with an empty
// ann_list (both loaders `return self[0]`), records without questions, and in the train split a
// question whose text answer has a '{seg}' count different from its targets or that Python's
// str.format(seg=...) cannot format (the training loader then drops the whole record, `return
// self[0]`; we drop only that question, so that an export of the rest is a record the loader reads).
// The val/test loader never reads text answers, so there such questions are kept and counted in the
// notes.
// Known loader quirk, not reproduced: the loader sums the decoded parts of a segmentation, so pixels
// where two parts overlap get value 2, which LISA's histc-based metric (§1.4) leaves out of the
// target; our targets are the union.
//
// Export: muse_<split>.json, streamed. Consecutive samples of one source record are grouped back into
// one record (questions, answers, text_answers in sample order; the record's other fields and its
// ann_list as imported). Unedited answers are written back as imported; edited targets keep the
// original instance dict when the mask is unchanged, else get segmentation = uncompressed RLE
// {counts: [...], size: [h, w]} (lossless, and the only RLE form frPyObjects reads). Text answers keep
// exactly one '{seg}' per target: the imported text when its count still matches, else a generated
// "<description> {seg}, ... and <description> {seg}." (replacements are warnings). Images are
// referenced, not copied (the notes say where the loader expects them).
class MuseFormat : public DatasetFormat
{
public:
    QString name() const override { return QStringLiteral("muse"); }
    QString summary() const override;
    Expected<ImportReport> read(const ImportOptions &options, RecordSink &sink) const override;
    Expected<ExportReport> write(RecordSource &source, const ExportOptions &options) const override;

    // Python's text.count('{seg}').
    static int segCount(const QString &text);
    // Whether Python's text.format(seg=...) succeeds: every brace is doubled or part of a {seg} field.
    static bool formatsWithSeg(const QString &text);
    // The text answer written when none fits: "<d1> {seg}, <d2> {seg} and <d3> {seg}." (braces in the
    // descriptions become parentheses, so that the text has exactly one '{seg}' per target and formats).
    static QString generatedTextAnswer(const QStringList &descriptions);

    static constexpr const char *kDataset = "MUSE";
};

} // namespace rs
