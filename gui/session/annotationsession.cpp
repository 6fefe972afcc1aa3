#include "gui/session/annotationsession.h"

#include "core/documentactions.h"
#include "core/sampledocument.h"
#include "gui/canvas/imageloader.h"
#include "gui/queue/samplequeuemodel.h"
#include "gui/session/documentsnapshot.h"
#include "gui/session/proposalprefetcher.h"
#include "storage/annotationrepository.h"
#include "storage/annotatorrepository.h"
#include "storage/database.h"
#include "storage/imagerepository.h"
#include "storage/proposalrepository.h"
#include "storage/samplerepository.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

namespace rs {

namespace {

std::vector<Target> decodeTargets(const std::vector<RleTarget> &stored, QSize size, QString *error)
{
    std::vector<Target> targets;
    for (const RleTarget &t : stored) {
        Expected<Target> target = t.hasMask() ? t.toTarget() : Expected<Target>(Target{});
        if (!target) {
            *error = target.error();
            continue;
        }
        if (target->mask.size() != size)
            target->mask = Mask(size.width(), size.height());
        target->box = t.box;
        target->label = t.label;
        target->description = t.description;
        target->ignore = t.ignore;
        targets.push_back(std::move(*target));
    }
    return targets;
}

// The dataset's own difficulty as the import kept it (extra "difficulty": score, source, estimator).
std::optional<Difficulty> importedDifficulty(const SampleExtras &extras)
{
    const QJsonValue value = extras.extra.value(QStringLiteral("difficulty"));
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        Difficulty difficulty;
        difficulty.score = object.value(QStringLiteral("score")).toDouble(Difficulty::kDefaultScore);
        difficulty.source = object.value(QStringLiteral("source")).toString() == QLatin1String("human")
                              ? DifficultySource::Human
                              : DifficultySource::Model;
        difficulty.estimator = object.value(QStringLiteral("estimator")).toString();
        return difficulty;
    }
    if (extras.difficulty)
        return Difficulty{*extras.difficulty, DifficultySource::Model, extras.dataset};
    return std::nullopt;
}

} // namespace

AnnotationSession::AnnotationSession(QObject *parent)
    : QObject(parent)
    , m_queue(new SampleQueueModel(this))
    , m_prefetcher(new ProposalPrefetcher(this))
    , m_loader(new ImageLoader(this))
{
    // A new load() supersedes the previous one: only the open sample's image arrives.
    connect(m_loader, &ImageLoader::loaded, this, [this](const QImage &image) { onImageDecoded(image, QString()); });
    connect(m_loader, &ImageLoader::failed, this, [this](const QString &message) { onImageDecoded(QImage(), message); });
    connect(m_prefetcher, &ProposalPrefetcher::errorOccurred, this, &AnnotationSession::errorOccurred);
    connect(m_prefetcher, &ProposalPrefetcher::proposalStored, this, [this](qint64 sampleId, const Proposal &proposal) {
        if (sampleId == m_sample.id && m_document) {
            QString error;
            m_document->setProposal(decodeTargets(proposal.targets, m_document->imageSize(), &error));
        }
        m_queue->refresh();
        emit proposalArrived(sampleId);
    });
    connect(m_prefetcher, &ProposalPrefetcher::refineFinished, this, [this](qint64 sampleId, const Proposal &answer) {
        bool applied = false;
        if (sampleId == m_sample.id && m_document) {
            QString error;
            const QSize size = m_document->imageSize();
            Mask region(size.width(), size.height());
            for (const Target &t : decodeTargets(answer.targets, size, &error))
                region.unite(t.mask);
            if (!region.isEmpty()) {
                int index = m_document->currentTarget();
                QUndoStack *stack = m_document->undoStack();
                stack->beginMacro(tr("Model Refine"));
                if (index < 0)
                    index = DocumentActions::newTarget(*m_document);
                applied = DocumentActions::paint(*m_document, index, region, true, tr("Model Refine"));
                stack->endMacro();
            }
        }
        emit refineFinished(applied);
    });
    connect(m_prefetcher, &ProposalPrefetcher::refineFailed, this, [this](qint64, const QString &message) {
        emit errorOccurred(tr("Model refine: %1").arg(message));
        emit refineFinished(false);
    });
}

bool AnnotationSession::refineWithBox(const QRectF &box)
{
    if (!m_document || m_image.isNull())
        return false;
    return m_prefetcher->refine(m_sample.id, m_image, m_sample.query(), box);
}

AnnotationSession::~AnnotationSession()
{
    closeProject();
}

Expected<bool> AnnotationSession::openProject(const QString &project, const QString &annotator)
{
    closeProject();
    Expected<ProjectLocation> location = ProjectLocation::parse(project);
    if (!location)
        return Error{location.error()};
    if (location->backend == Backend::Sqlite) {
        if (!QFileInfo::exists(location->path))
            return Error{tr("%1: no such project file").arg(project)};
        location->path = QFileInfo(location->path).absoluteFilePath();
    }
    Expected<std::unique_ptr<Database>> db = Database::open(*location);
    if (!db)
        return Error{db.error()};
    Expected<QString> root = ImageRepository(**db).imageRoot();
    if (!root)
        return Error{root.error()};
    Expected<std::unique_ptr<SessionJournal>> journal = SessionJournal::open(*location);
    if (!journal)
        return Error{journal.error()};

    m_db = std::move(*db);
    m_location = *location;
    m_projectArgument = location->backend == Backend::Sqlite ? location->path : project;
    m_imageRoot = *root;
    if (QDir::isRelativePath(m_imageRoot) && location->backend == Backend::Sqlite)
        m_imageRoot = QFileInfo(location->path).dir().absoluteFilePath(m_imageRoot);
    m_journal = std::move(*journal);
    connect(m_journal.get(), &SessionJournal::failed, this, [this](const QString &message) {
        emit errorOccurred(tr("Journal: %1").arg(message));
    });
    if (Expected<bool> named = setAnnotator(annotator); !named)
        emit errorOccurred(named.error());
    m_queue->setDatabase(m_db.get());
    m_prefetcher->setProject(m_db.get(), m_imageRoot);
    emit projectOpened();
    return true;
}

void AnnotationSession::closeProject()
{
    if (!m_db)
        return;
    setDocument(nullptr);
    m_sample = Sample();
    m_row = -1;
    m_conflict.reset();
    m_image = QImage();
    m_imageLoading = false;
    m_loader->cancel();
    m_prefetcher->setProject(nullptr, QString());
    m_queue->setDatabase(nullptr);
    m_journal.reset();
    m_db.reset();
    m_projectArgument.clear();
    m_annotatorId = 0;
    emit projectClosed();
}

QString AnnotationSession::projectName() const
{
    return m_db ? m_location.displayName() : QString();
}

Expected<bool> AnnotationSession::setAnnotator(const QString &annotator)
{
    m_annotatorName = annotator.trimmed().isEmpty() ? qEnvironmentVariable("USER", QStringLiteral("annotator"))
                                                    : annotator.trimmed();
    m_annotatorId = 0;
    if (!m_db)
        return true;
    AnnotatorRepository annotators(*m_db);
    if (m_db->isReadOnly()) {
        Expected<std::optional<qint64>> found = annotators.findByName(m_annotatorName);
        if (found && *found)
            m_annotatorId = **found;
        return true;
    }
    Expected<qint64> id = annotators.ensure(m_annotatorName);
    if (!id)
        return Error{id.error()};
    m_annotatorId = *id;
    return true;
}

QStringList AnnotationSession::splits() const
{
    if (!m_db)
        return {};
    Expected<QStringList> splits = SampleRepository(*m_db).splits();
    return splits ? *splits : QStringList();
}

bool AnnotationSession::isModified() const
{
    return m_document && !m_document->undoStack()->isClean();
}

Expected<bool> AnnotationSession::openRow(int row)
{
    const qint64 id = m_queue->sampleIdAt(row);
    if (id == 0)
        return Error{tr("the queue has no row %1").arg(row + 1)};
    return openSample(id, row);
}

Expected<bool> AnnotationSession::reloadSample()
{
    const qint64 id = m_sample.id;
    const int row = m_row;
    m_sample.id = 0;
    return openSample(id, row);
}

Expected<bool> AnnotationSession::openSample(qint64 sampleId, int row)
{
    if (!m_db)
        return Error{tr("no project is open")};
    if (sampleId == m_sample.id && m_document) {
        if (row >= 0)
            m_row = row;
        return true;
    }
    Expected<Sample> sample = SampleRepository(*m_db).get(sampleId);
    if (!sample)
        return Error{sample.error()};
    Expected<SampleDocument *> document = loadDocument(*sample);
    if (!document)
        return Error{document.error()};
    m_sample = *sample;
    m_row = row >= 0 ? row : m_queue->cachedRowOf(sampleId);
    m_conflict.reset();
    setDocument(*document);
    m_editTime.start();
    emit sampleOpened(sampleId, m_row);
    startImageLoad();
    return true;
}

Expected<SampleDocument *> AnnotationSession::loadDocument(const Sample &sample)
{
    SampleRepository samples(*m_db);
    Expected<std::optional<Annotation>> current = AnnotationRepository(*m_db).current(sample.id);
    if (!current)
        return Error{current.error()};
    Expected<SampleExtras> extras = samples.extras(sample.id);
    if (!extras)
        return Error{extras.error()};
    std::vector<Target> targets;
    QString decodeError;
    QSize size = sample.image.size;
    if (*current) {
        targets = (*current)->targets;
    } else {
        Expected<std::vector<RleTarget>> imported = samples.targets(sample.id);
        if (!imported)
            return Error{imported.error()};
        if (!size.isValid() && !imported->empty())
            size = QSize(imported->front().width, imported->front().height);
        targets = decodeTargets(*imported, size, &decodeError);
    }
    if (!size.isValid() && !targets.empty())
        size = targets.front().mask.size();
    if (!size.isValid() || size.isEmpty())
        return Error{tr("sample %1: the image size is not known (run reasonseg check)").arg(sample.id)};
    Expected<std::optional<Proposal>> proposal = ProposalRepository(*m_db).latest(sample.id);
    if (!proposal)
        return Error{proposal.error()};

    auto *document = new SampleDocument(size);
    // The stored state is the document's starting point, not an edit: no undo step.
    for (Target &target : targets) {
        if (target.mask.size() != size)
            target.mask = Mask(size.width(), size.height());
        DocumentTarget shown;
        shown.target = target;
        shown.color = SampleDocument::colorFor(document->nextColorSerial());
        document->insertTarget(document->targetCount(), std::move(shown));
    }
    document->setNoTarget(*current ? (*current)->noTarget : extras->noTarget);
    if (*proposal)
        document->setProposal(decodeTargets((*proposal)->targets, size, &decodeError));
    document->setCurrentTarget(document->targetCount() > 0 ? 0 : -1);
    document->undoStack()->setClean();
    if (!decodeError.isEmpty())
        emit errorOccurred(tr("sample %1: %2").arg(sample.id).arg(decodeError));

    m_baseAnnotation = *current;
    m_baseVersion = *current ? (*current)->version : 0;
    m_baseTargets = targets;
    m_importedDifficulty = importedDifficulty(*extras);
    return document;
}

void AnnotationSession::setDocument(SampleDocument *document)
{
    SampleDocument *previous = m_document;
    if (m_journal)
        m_journal->watch(document, m_sample.id, m_baseVersion);
    m_document = document;
    if (document) {
        document->setParent(this);
        connect(document->undoStack(), &QUndoStack::cleanChanged, this,
                [this](bool clean) { emit modifiedChanged(!clean); });
    }
    emit documentChanged(document);
    emit modifiedChanged(isModified());
    if (previous)
        previous->deleteLater();
}

void AnnotationSession::startImageLoad()
{
    m_image = QImage();
    m_imageLoading = true;
    m_loader->load(QDir(m_imageRoot).absoluteFilePath(m_sample.image.relativePath));
}

void AnnotationSession::onImageDecoded(const QImage &image, const QString &error)
{
    m_imageLoading = false;
    m_image = image;
    if (m_image.isNull())
        emit imageFailed(error);
    else
        emit imageLoaded(m_image);
    m_prefetcher->setVisible(m_sample.id, m_image, nextSamples(m_prefetchCount));
}

QList<qint64> AnnotationSession::nextSamples(int count) const
{
    QList<qint64> next;
    const int start = m_row >= 0 ? m_row + 1 : 0;
    for (int row = start; row < m_queue->rowCount() && next.size() < count; ++row) {
        const qint64 id = m_queue->sampleIdAt(row);
        if (id != 0 && id != m_sample.id)
            next << id;
    }
    return next;
}

Annotation AnnotationSession::annotationToSave(bool submitted) const
{
    Annotation annotation;
    if (m_baseAnnotation) {
        annotation = *m_baseAnnotation;
    } else if (m_importedDifficulty && m_importedDifficulty->isValid()) {
        // Keep the dataset's difficulty (and who estimated it) as the sample's until someone rates it.
        annotation.difficulty = m_importedDifficulty;
    }
    annotation.sampleId = m_sample.id;
    annotation.annotatorId = m_annotatorId;
    annotation.submitted = submitted;
    annotation.targets = m_document->targets();
    for (std::size_t i = 0; i < annotation.targets.size(); ++i) {
        Target &target = annotation.targets[i];
        const bool edited = i >= m_baseTargets.size() || m_baseTargets[i].mask != target.mask;
        if (edited || target.box.isEmpty())
            target.box = target.boxFromMask();
    }
    annotation.noTarget = m_document->noTarget();
    for (StepAnnotation &step : annotation.steps)
        step.targetIndexes.removeIf([&](int index) { return index >= int(annotation.targets.size()); });
    annotation.secondsSpent = double(m_editTime.elapsed()) / 1000.0;
    return annotation;
}

AnnotationSession::SaveOutcome AnnotationSession::submit()
{
    if (!m_document || !m_db)
        return SaveOutcome::Failed;
    return save(annotationToSave(true), m_baseVersion, true);
}

AnnotationSession::SaveOutcome AnnotationSession::saveDraft()
{
    if (!m_document || !m_db)
        return SaveOutcome::Failed;
    return save(annotationToSave(false), m_baseVersion, false);
}

AnnotationSession::SaveOutcome AnnotationSession::save(const Annotation &annotation, int basedOn, bool submit)
{
    AnnotationRepository annotations(*m_db);
    Expected<SaveResult> result = annotations.save(annotation, basedOn);
    if (!result) {
        emit errorOccurred(result.error());
        return SaveOutcome::Failed;
    }
    if (result->isConflict()) {
        SaveConflict conflict;
        conflict.sampleId = annotation.sampleId;
        conflict.mine = annotation;
        conflict.mineBasedOn = basedOn;
        conflict.theirVersion = result->version;
        conflict.submit = submit;
        Expected<std::optional<Annotation>> theirs = annotations.current(annotation.sampleId);
        if (theirs)
            conflict.theirs = *theirs;
        Expected<QString> name = AnnotatorRepository(*m_db).name(result->currentAnnotatorId);
        conflict.theirAnnotator = name ? *name : tr("annotator %1").arg(result->currentAnnotatorId);
        m_conflict = conflict;
        emit conflictDetected(conflict);
        return SaveOutcome::Conflict;
    }
    afterSaved(annotation, result->version, submit);
    return SaveOutcome::Saved;
}

void AnnotationSession::afterSaved(const Annotation &annotation, int version, bool submit)
{
    const qint64 sampleId = annotation.sampleId;
    m_conflict.reset();
    m_baseAnnotation = annotation;
    m_baseAnnotation->version = version;
    m_baseVersion = version;
    m_baseTargets = annotation.targets;
    if (m_journal) {
        if (Expected<bool> marked = m_journal->markCommitted(sampleId); !marked)
            emit errorOccurred(tr("Journal: %1").arg(marked.error()));
        m_journal->setBaseVersion(version);
    }
    m_document->undoStack()->setClean();
    m_editTime.start();

    // The sample after this one, looked up before the queue changes (a status filter may drop this one).
    qint64 nextId = 0;
    if (submit)
        nextId = m_row >= 0 ? m_queue->sampleIdAt(m_row + 1) : m_queue->sampleIdAt(0);
    if (nextId == sampleId)
        nextId = 0;
    const int row = m_row;
    m_queue->refresh();
    if (row >= 0 && m_queue->sampleIdAt(row) != sampleId)
        m_row = -1;  // it left the filtered queue
    emit saved(sampleId, version, submit);
    if (!submit)
        return;
    int nextRow = -1;
    for (int candidate : {row, row + 1})
        if (candidate >= 0 && m_queue->sampleIdAt(candidate) == nextId)
            nextRow = candidate;
    advance(nextId, nextRow);
}

void AnnotationSession::advance(qint64 nextId, int nextRow)
{
    if (nextId == 0) {
        emit queueFinished();
        return;
    }
    Expected<bool> opened = openSample(nextId, nextRow);
    if (!opened)
        emit errorOccurred(opened.error());
}

AnnotationSession::SaveOutcome AnnotationSession::resolveConflict(ConflictChoice choice)
{
    if (!m_conflict || !m_db)
        return SaveOutcome::Failed;
    const SaveConflict conflict = *m_conflict;
    if (choice == ConflictChoice::KeepMine)
        return save(conflict.mine, conflict.theirVersion, conflict.submit);
    m_conflict.reset();
    discardChanges();
    return SaveOutcome::Saved;
}

void AnnotationSession::discardChanges()
{
    if (!m_db || m_sample.id == 0)
        return;
    discardRecoverableEdits(m_sample.id);
    Expected<bool> reloaded = reloadSample();
    if (!reloaded)
        emit errorOccurred(reloaded.error());
}

std::vector<RecoverableEdit> AnnotationSession::recoverableEdits() const
{
    if (!m_journal)
        return {};
    Expected<std::vector<RecoverableEdit>> edits = m_journal->recoverable();
    return edits ? *edits : std::vector<RecoverableEdit>();
}

std::optional<RecoverableEdit> AnnotationSession::recoverableEditFor(qint64 sampleId) const
{
    for (const RecoverableEdit &edit : recoverableEdits())
        if (edit.sampleId == sampleId)
            return edit;
    return std::nullopt;
}

Expected<bool> AnnotationSession::restoreEdits(const RecoverableEdit &edit)
{
    if (!m_db)
        return Error{tr("no project is open")};
    if (edit.sampleId != m_sample.id || isModified()) {
        m_sample.id = 0;  // reload even when it is the open sample
        Expected<bool> opened = openSample(edit.sampleId);
        if (!opened)
            return opened;
    }
    Expected<DocumentSnapshot> snapshot = DocumentSnapshot::fromBytes(edit.snapshot, m_document->imageSize());
    if (!snapshot)
        return Error{snapshot.error()};
    // Saves are based on the version the edits were made on: a newer one is then a conflict.
    m_baseVersion = edit.baseVersion;
    if (m_journal)
        m_journal->setBaseVersion(edit.baseVersion);
    snapshot->applyTo(*m_document, tr("Restore Unsaved Edits"));
    return true;
}

void AnnotationSession::discardRecoverableEdits()
{
    if (!m_journal)
        return;
    for (const RecoverableEdit &edit : recoverableEdits())
        discardRecoverableEdits(edit.sampleId);
    m_journal->compact();
}

void AnnotationSession::discardRecoverableEdits(qint64 sampleId)
{
    if (!m_journal)
        return;
    if (Expected<bool> marked = m_journal->markCommitted(sampleId); !marked)
        emit errorOccurred(tr("Journal: %1").arg(marked.error()));
}

void AnnotationSession::setPrefetchCount(int count)
{
    m_prefetchCount = qBound(0, count, 64);
    m_prefetcher->setPrefetchCount(m_prefetchCount);
}

void AnnotationSession::loadModel(const QString &packageDirectory, const QString &device)
{
    m_prefetcher->loadModel(packageDirectory, device);
}

} // namespace rs
