#include "storage/projectimportsink.h"

#include "storage/database.h"
#include "storage/imagerepository.h"
#include "storage/runrepository.h"
#include "storage/samplebulkwriter.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QSqlQuery>

namespace rs {

namespace {

QString sourceName(DifficultySource source)
{
    return source == DifficultySource::Human ? QStringLiteral("human") : QStringLiteral("model");
}

void noteAmbiguity(QHash<QString, qint64> &index, const QString &key, qint64 id)
{
    auto found = index.find(key);
    if (found == index.end())
        index.insert(key, id);
    else if (*found != id)
        *found = -1;
}

} // namespace

ProjectImportSink::ProjectImportSink(Database &db, Options options) : m_db(db), m_options(std::move(options)) {}

ProjectImportSink::~ProjectImportSink() = default;

QString ProjectImportSink::key(const QString &dataset, const QString &split, const QString &sourceId)
{
    return dataset + QChar(0x1f) + split + QChar(0x1f) + sourceId;
}

Expected<bool> ProjectImportSink::loadExistingKeys()
{
    QSqlQuery query = m_db.prepare(QStringLiteral("SELECT id, dataset, split, source_id FROM sample"));
    query.setForwardOnly(true);
    if (!query.exec())
        return m_db.error(query, QStringLiteral("reading the project's samples"));
    while (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        const QString split = query.value(2).toString();
        const QString sourceId = query.value(3).toString();
        m_ids.insert(key(query.value(1).toString(), split, sourceId), id);
        noteAmbiguity(m_bySource, split + QChar(0x1f) + sourceId, id);
        noteAmbiguity(m_bySource, QChar(0x1f) + sourceId, id);
    }
    return true;
}

Expected<bool> ProjectImportSink::begin()
{
    ImageRepository images(m_db);
    auto root = images.imageRoot();
    if (!root)
        return Error{root.error()};
    m_imageRoot = *root;
    m_writer = std::make_unique<SampleBulkWriter>(m_db);
    auto begun = m_writer->begin();
    if (!begun)
        return begun;
    if (m_imageRoot.isEmpty() && !m_options.defaultImageRoot.isEmpty()) {
        m_imageRoot = QDir::cleanPath(QDir(m_options.defaultImageRoot).absolutePath());
        auto set = images.setImageRoot(m_imageRoot);
        if (!set)
            return set;
    }
    if (!m_options.run.name.isEmpty()) {
        RunRepository runs(m_db);
        auto existing = runs.findByName(m_options.run.name);
        if (!existing)
            return Error{existing.error()};
        if (*existing)
            return Error{QStringLiteral("a model run named '%1' already exists in the project").arg(m_options.run.name)};
    }
    return loadExistingKeys();
}

Expected<bool> ProjectImportSink::addSample(DatasetRecord record)
{
    if (!m_writer)
        return Error{QStringLiteral("import: addSample() before begin()")};
    Sample &sample = record.sample;
    if (sample.sourceId.isEmpty())
        return Error{QStringLiteral("%1: a sample has no source id").arg(record.imageFile)};
    const QString sampleKey = key(record.extras.dataset, sample.split, sample.sourceId);
    if (m_ids.contains(sampleKey))
        return Error{QStringLiteral("duplicate sample '%1' (dataset %2, split %3): it is already in the project or earlier in this import")
                         .arg(sample.sourceId, record.extras.dataset.isEmpty() ? QStringLiteral("-") : record.extras.dataset,
                              sample.split.isEmpty() ? QStringLiteral("-") : sample.split)};
    if (!record.imageFile.isEmpty()) {
        const QString absolute = QDir::cleanPath(QFileInfo(record.imageFile).absoluteFilePath());
        if (m_imageRoot.isEmpty()) {
            m_imageRoot = QFileInfo(absolute).absolutePath();
            auto set = ImageRepository(m_db).setImageRoot(m_imageRoot);
            if (!set)
                return set;
        }
        sample.image.relativePath = QDir(m_imageRoot).relativeFilePath(absolute);
    }
    if (sample.image.relativePath.isEmpty())
        return Error{QStringLiteral("sample '%1': no image").arg(sample.sourceId)};
    for (const RleTarget &target : record.targets)
        if (sample.image.size.isValid() && (target.width != sample.image.size.width() || target.height != sample.image.size.height()))
            return Error{QStringLiteral("sample '%1': a %2x%3 mask on the %4x%5 image %6")
                             .arg(sample.sourceId)
                             .arg(target.width)
                             .arg(target.height)
                             .arg(sample.image.size.width())
                             .arg(sample.image.size.height())
                             .arg(record.imageFile)};
    if (record.difficulty) {
        if (!record.difficulty->isValid())
            return Error{QStringLiteral("sample '%1': difficulty %2 is outside 1–10").arg(sample.sourceId).arg(record.difficulty->score)};
        record.extras.difficulty = record.difficulty->score;
        record.extras.extra.insert(QStringLiteral("difficulty"),
                                   QJsonObject{{QStringLiteral("score"), record.difficulty->score},
                                               {QStringLiteral("source"), sourceName(record.difficulty->source)},
                                               {QStringLiteral("estimator"), record.difficulty->estimator}});
    }
    if (!record.referenceShort.isEmpty())
        record.extras.extra.insert(QStringLiteral("reference_short"), record.referenceShort);
    if (!record.referenceLong.isEmpty())
        record.extras.extra.insert(QStringLiteral("reference_long"), record.referenceLong);
    auto id = m_writer->add(sample, record.targets, record.extras);
    if (!id)
        return Error{id.error()};
    m_ids.insert(sampleKey, *id);
    noteAmbiguity(m_bySource, sample.split + QChar(0x1f) + sample.sourceId, *id);
    noteAmbiguity(m_bySource, QChar(0x1f) + sample.sourceId, *id);
    ++m_samples;
    return true;
}

Expected<qint64> ProjectImportSink::sampleFor(const DatasetRecord &record)
{
    const QString &sourceId = record.sample.sourceId;
    if (!record.extras.dataset.isEmpty()) {
        const qint64 id = m_ids.value(key(record.extras.dataset, record.sample.split, sourceId), 0);
        if (id > 0)
            return id;
    }
    const qint64 id = m_bySource.value(record.sample.split + QChar(0x1f) + sourceId, 0);
    if (id > 0)
        return id;
    if (id < 0)
        return Error{QStringLiteral("prediction for '%1': several samples have that id; give the dataset and split").arg(sourceId)};
    if (record.sample.split.isEmpty())
        return Error{QStringLiteral("prediction for '%1': no sample of the project has that id").arg(sourceId)};
    return Error{QStringLiteral("prediction for '%1': no sample of split '%2' has that id").arg(sourceId, record.sample.split)};
}

Expected<bool> ProjectImportSink::addPrediction(DatasetRecord record)
{
    if (!m_writer)
        return Error{QStringLiteral("import: addPrediction() before begin()")};
    if (m_runId == 0) {
        if (m_options.run.name.isEmpty())
            return Error{QStringLiteral("predictions need a model run name (--run NAME)")};
        auto id = RunRepository(m_db).add(m_options.run);
        if (!id)
            return Error{id.error()};
        m_runId = *id;
    }
    if (!record.proposal)
        return Error{QStringLiteral("prediction for '%1' holds no model output").arg(record.sample.sourceId)};
    // Split-less predictions match on the source id alone.
    if (record.sample.split.isEmpty() && record.extras.dataset.isEmpty()) {
        const qint64 id = m_bySource.value(QChar(0x1f) + record.sample.sourceId, 0);
        if (id < 0)
            return Error{QStringLiteral("prediction for '%1': several samples have that id; give the split").arg(record.sample.sourceId)};
        if (id == 0)
            return Error{QStringLiteral("prediction for '%1': no sample of the project has that id").arg(record.sample.sourceId)};
        record.proposal->sampleId = id;
    } else {
        auto id = sampleFor(record);
        if (!id)
            return Error{id.error()};
        record.proposal->sampleId = *id;
    }
    if (m_predicted.contains(record.proposal->sampleId))
        return Error{QStringLiteral("two predictions for sample '%1' in one run").arg(record.sample.sourceId)};
    m_predicted.insert(record.proposal->sampleId);
    record.proposal->runId = m_runId;
    auto added = m_writer->addProposal(*record.proposal);
    if (!added)
        return Error{added.error()};
    ++m_predictions;
    return true;
}

Expected<bool> ProjectImportSink::commit()
{
    if (!m_writer)
        return Error{QStringLiteral("import: commit() before begin()")};
    auto committed = m_writer->commit();
    m_writer.reset();
    return committed;
}

} // namespace rs
