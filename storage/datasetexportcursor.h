#pragma once

#include "core/datasetrecord.h"
#include "core/expected.h"
#include "core/recordsource.h"
#include "core/sample.h"

#include <QSqlQuery>
#include <QString>

#include <deque>
#include <map>
#include <optional>

namespace rs {

class Database;

// The project's samples as export records, in id order, read in batches (an export of a million
// samples holds one batch). Each record carries the current truth: the latest annotation's targets,
// difficulty and reference chains when the sample has been annotated, else what was imported.
// With a run name, only samples that run proposed for are listed, each with its proposal.
class DatasetExportCursor final : public RecordSource
{
public:
    struct Filter
    {
        QString split;
        std::optional<SampleStatus> status;
        QString run;  // model run name; empty: all samples, no proposals
        // Which truth records carry: the latest annotation else the import (Current), only what was
        // imported (Imported), or only annotated samples with their latest annotation (Annotated).
        enum class Truth { Current, Imported, Annotated };
        Truth truth = Truth::Current;
    };

    // Error when the run does not exist or the project cannot be read.
    static Expected<std::unique_ptr<DatasetExportCursor>> open(Database &db, const Filter &filter);

    qint64 count() const override { return m_count; }
    Expected<std::optional<DatasetRecord>> next() override;

    // A short digest that changes whenever samples, annotations or proposals change: exports of the
    // same revision are identical, and the manifest says which revision it holds.
    static Expected<QString> projectRevision(Database &db);

private:
    DatasetExportCursor(Database &db, Filter filter) : m_db(db), m_filter(std::move(filter)) {}
    QString whereClause() const;
    void bindFilter(QSqlQuery &query) const;
    // The latest annotation of a sample, as the batch read it.
    struct AnnotationRow
    {
        qint64 id = 0;
        int version = 0;
        bool noTarget = false;
        QString referenceShort;
        QString referenceLong;
        std::optional<Difficulty> difficulty;
    };

    Expected<bool> fetchBatch();
    // Reads the targets, annotations and proposals of the batch's samples in a few statements.
    Expected<bool> loadDetails(qint64 firstId, qint64 lastId);
    Expected<bool> complete(DatasetRecord &record, int annotationVersion);
    void applyAnnotation(DatasetRecord &record, const AnnotationRow &row, std::vector<RleTarget> targets) const;

    Database &m_db;
    Filter m_filter;
    qint64 m_runId = 0;
    qint64 m_count = 0;
    qint64 m_lastId = 0;
    bool m_exhausted = false;
    QString m_imageRoot;
    std::deque<std::pair<DatasetRecord, int>> m_batch;  // record, annotation version
    std::map<qint64, std::vector<RleTarget>> m_sampleTargets;      // by sample id
    std::map<qint64, AnnotationRow> m_annotations;                 // by sample id
    std::map<qint64, std::vector<RleTarget>> m_annotationTargets;  // by annotation id
    std::map<qint64, Proposal> m_proposals;                        // by sample id
};

} // namespace rs
