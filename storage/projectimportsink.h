#pragma once

#include "core/expected.h"
#include "core/proposal.h"
#include "core/recordsink.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <memory>

namespace rs {

class Database;
class SampleBulkWriter;

// Puts an import into a project in one transaction: samples with their targets (and the dataset's
// difficulty and reference chains), or a model run's predictions matched to the project's samples
// by (dataset, split, source id). Nothing is visible until commit(); destroying the sink without
// commit() leaves the project as it was.
//
// Image paths are stored relative to the project's image root; a project without one takes
// `defaultImageRoot` (the import's image folder) as its root.
class ProjectImportSink final : public RecordSink
{
public:
    struct Options
    {
        QString defaultImageRoot;
        ModelRun run;  // predictions: the run they belong to (name required, created by the import)
    };

    ProjectImportSink(Database &db, Options options);
    ~ProjectImportSink() override;

    Expected<bool> begin();
    Expected<bool> addSample(DatasetRecord record) override;
    Expected<bool> addPrediction(DatasetRecord record) override;
    Expected<bool> commit();

    qint64 samples() const { return m_samples; }
    qint64 predictions() const { return m_predictions; }
    const QString &imageRoot() const { return m_imageRoot; }

private:
    static QString key(const QString &dataset, const QString &split, const QString &sourceId);
    Expected<bool> loadExistingKeys();
    Expected<qint64> sampleFor(const DatasetRecord &record);

    Database &m_db;
    Options m_options;
    std::unique_ptr<SampleBulkWriter> m_writer;
    QString m_imageRoot;
    QHash<QString, qint64> m_ids;      // key → sample id, existing and added
    QHash<QString, qint64> m_bySource; // "split|sourceId" and "|sourceId" → id; -1 when ambiguous
    QSet<qint64> m_predicted;          // samples that got a prediction in this import
    qint64 m_runId = 0;
    qint64 m_samples = 0;
    qint64 m_predictions = 0;
};

} // namespace rs
