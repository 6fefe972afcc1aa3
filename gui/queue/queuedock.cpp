#include "gui/queue/queuedock.h"

#include "core/review.h"
#include "gui/queue/samplequeuemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace rs {

namespace {

QComboBox *combo(QWidget *parent, const QList<std::pair<QString, QVariant>> &items)
{
    auto *box = new QComboBox(parent);
    for (const auto &[text, value] : items)
        box->addItem(text, value);
    return box;
}

} // namespace

QueueDock::QueueDock(SampleQueueModel *model, QWidget *parent)
    : QDockWidget(tr("Queue"), parent), m_model(model)
{
    setObjectName(QStringLiteral("queueDock"));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *filters = new QGridLayout;
    m_split = combo(content, {{tr("All splits"), QVariant()}});
    m_status = combo(content, {{tr("Any status"), QVariant()}});
    for (SampleStatus status : {SampleStatus::New, SampleStatus::InProgress, SampleStatus::Submitted,
                                SampleStatus::Accepted, SampleStatus::Rejected})
        m_status->addItem(sampleStatusName(status), int(status));
    m_difficulty = combo(content, {{tr("Any difficulty"), QVariant()}});
    for (DifficultyBucket bucket : {DifficultyBucket::Easy, DifficultyBucket::Medium, DifficultyBucket::Hard})
        m_difficulty->addItem(difficultyBucketName(bucket), int(bucket));
    m_proposal = combo(content, {{tr("With or without proposal"), QVariant()},
                                 {tr("Has a proposal"), true},
                                 {tr("No proposal"), false}});
    m_review = combo(content, {{tr("Reviewed or not"), QVariant()},
                               {tr("Not reviewed"), int(SampleFilter::Review::Unreviewed)},
                               {tr("Accepted"), int(SampleFilter::Review::Accepted)},
                               {tr("Rejected"), int(SampleFilter::Review::Rejected)},
                               {tr("Sent back"), int(SampleFilter::Review::SentBack)}});
    m_failureTag = combo(content, {{tr("Any failure tag"), QVariant()}});
    for (const QString &tag : reviewFailureTags())
        m_failureTag->addItem(tag, tag);
    m_run = combo(content, {{tr("Keys of the latest proposal"), QVariant()}});
    m_run->setToolTip(tr("Review a run: uncertainty, IoU against the current truth, chain length and the length "
                         "budget are that run's, and only samples it answered are listed"));
    m_overBudget = new QCheckBox(tr("Over length budget"), content);
    m_overBudget->setToolTip(tr("The chain is longer than PixelThink's budget for the sample's difficulty (overthinking)"));
    m_mine = new QCheckBox(tr("Assigned to me"), content);
    m_mine->setToolTip(tr("Samples whose current annotation you saved"));
    m_mine->setEnabled(false);
    m_sortKey = combo(content, {{tr("Sort by id"), int(SampleSortKey::Id)},
                                {tr("Sort by uncertainty"), int(SampleSortKey::Uncertainty)},
                                {tr("Sort by proposal IoU"), int(SampleSortKey::ProposalIou)},
                                {tr("Sort by chain length"), int(SampleSortKey::ChainLength)},
                                {tr("Sort by difficulty"), int(SampleSortKey::Difficulty)},
                                {tr("Sort by annotator disagreement"), int(SampleSortKey::Disagreement)}});
    m_descending = new QToolButton(content);
    m_descending->setCheckable(true);
    m_descending->setText(QStringLiteral("↓"));
    m_descending->setToolTip(tr("Descending order"));
    filters->addWidget(m_split, 0, 0);
    filters->addWidget(m_status, 0, 1);
    filters->addWidget(m_difficulty, 1, 0);
    filters->addWidget(m_proposal, 1, 1);
    filters->addWidget(m_review, 2, 0);
    filters->addWidget(m_failureTag, 2, 1);
    filters->addWidget(m_mine, 3, 0);
    filters->addWidget(m_overBudget, 3, 1);
    auto *sortRow = new QHBoxLayout;
    sortRow->addWidget(m_sortKey, 1);
    sortRow->addWidget(m_descending);
    filters->addWidget(m_run, 4, 0, 1, 2);
    filters->addLayout(sortRow, 5, 0, 1, 2);
    layout->addLayout(filters);

    m_view = new QTableView(content);
    m_view->setObjectName(QStringLiteral("queueView"));
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setCornerButtonEnabled(false);
    // Fixed row heights and no content measuring: the view never asks for rows it does not show.
    QHeaderView *rows = m_view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    rows->hide();
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setStretchLastSection(false);
    columns->setSectionsClickable(true);
    columns->setSortIndicatorShown(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_view->setColumnWidth(SampleQueueModel::IdColumn, digit * 7);
    m_view->setColumnWidth(SampleQueueModel::SplitColumn, digit * 5);
    m_view->setColumnWidth(SampleQueueModel::StatusColumn, digit * 10);
    m_view->setColumnWidth(SampleQueueModel::QueryColumn, digit * 30);
    for (int c : {SampleQueueModel::DifficultyColumn, SampleQueueModel::UncertaintyColumn, SampleQueueModel::IouColumn,
                  SampleQueueModel::ChainLengthColumn})
        m_view->setColumnWidth(c, digit * 9);
    layout->addWidget(m_view, 1);
    m_count = new QLabel(content);
    layout->addWidget(m_count);
    setWidget(content);

    connect(m_run, &QComboBox::currentIndexChanged, this, [this] {
        emit reviewRunChanged(m_run->currentIndex() > 0 ? m_run->currentData().toLongLong() : 0);
    });
    for (QComboBox *box : {m_split, m_status, m_difficulty, m_proposal, m_review, m_failureTag, m_run})
        connect(box, &QComboBox::currentIndexChanged, this, &QueueDock::applyFilter);
    connect(m_mine, &QCheckBox::toggled, this, &QueueDock::applyFilter);
    connect(m_overBudget, &QCheckBox::toggled, this, &QueueDock::applyFilter);
    connect(m_sortKey, &QComboBox::currentIndexChanged, this, &QueueDock::applySort);
    connect(m_descending, &QToolButton::toggled, this, &QueueDock::applySort);
    connect(columns, &QHeaderView::sectionClicked, this, [this](int column) {
        const std::optional<SampleSortKey> key = SampleQueueModel::sortKeyOf(column);
        if (!key)
            return showSort();
        const SampleSort current = m_model->sortOrder();
        m_model->setSortOrder(SampleSort{*key, current.key == *key ? !current.descending : false});
    });
    connect(model, &SampleQueueModel::sortOrderChanged, this, &QueueDock::showSort);
    connect(model, &SampleQueueModel::modelReset, this, &QueueDock::updateCount);
    connect(model, &SampleQueueModel::rowsRemoved, this, &QueueDock::updateCount);
    connect(model, &SampleQueueModel::rowsInserted, this, &QueueDock::updateCount);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit sampleActivated(m_model->sampleIdAt(index.row()), index.row());
    });
    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex &index) {
        emit sampleActivated(m_model->sampleIdAt(index.row()), index.row());
    });
    showSort();
    updateCount();
}

void QueueDock::setSplits(const QStringList &splits)
{
    const QSignalBlocker blocker(m_split);
    const QString current = m_split->currentData().toString();
    while (m_split->count() > 1)
        m_split->removeItem(1);
    for (const QString &split : splits)
        m_split->addItem(split.isEmpty() ? tr("(no split)") : split, split);
    m_split->setCurrentIndex(qMax(0, m_split->findData(current)));
}

void QueueDock::setRuns(const QList<std::pair<QString, qint64>> &runs)
{
    const QSignalBlocker blocker(m_run);
    const QVariant current = m_run->currentData();
    while (m_run->count() > 1)
        m_run->removeItem(1);
    for (const auto &[name, id] : runs)
        m_run->addItem(tr("Run %1").arg(name), id);
    const int index = current.isValid() ? m_run->findData(current) : 0;
    m_run->setCurrentIndex(qMax(0, index));
    if (current.isValid() && index < 0) {
        applyFilter();
        emit reviewRunChanged(0);
    }
}

void QueueDock::setAnnotatorId(std::optional<qint64> annotatorId)
{
    m_annotatorId = annotatorId;
    m_mine->setEnabled(annotatorId.has_value());
    if (!annotatorId)
        m_mine->setChecked(false);
}

void QueueDock::setCurrentRow(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_view->clearSelection();
        return;
    }
    const QModelIndex index = m_model->index(row, SampleQueueModel::IdColumn);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

void QueueDock::applyFilter()
{
    if (m_updating)
        return;
    SampleFilter filter;
    if (m_split->currentIndex() > 0)
        filter.split = m_split->currentData().toString();
    if (m_status->currentIndex() > 0)
        filter.status = SampleStatus(m_status->currentData().toInt());
    if (m_difficulty->currentIndex() > 0)
        filter.difficulty = DifficultyBucket(m_difficulty->currentData().toInt());
    if (m_proposal->currentIndex() > 0)
        filter.hasProposal = m_proposal->currentData().toBool();
    if (m_review->currentIndex() > 0)
        filter.review = SampleFilter::Review(m_review->currentData().toInt());
    if (m_failureTag->currentIndex() > 0)
        filter.failureTag = m_failureTag->currentData().toString();
    filter.overBudget = m_overBudget->isChecked();
    if (m_run->currentIndex() > 0)
        filter.runId = m_run->currentData().toLongLong();
    if (m_mine->isChecked() && m_annotatorId)
        filter.annotatorId = m_annotatorId;
    m_model->setFilter(filter);
}

void QueueDock::applySort()
{
    if (m_updating)
        return;
    m_model->setSortOrder(SampleSort{SampleSortKey(m_sortKey->currentData().toInt()), m_descending->isChecked()});
}

void QueueDock::showSort()
{
    m_updating = true;
    const SampleSort sort = m_model->sortOrder();
    m_sortKey->setCurrentIndex(qMax(0, m_sortKey->findData(int(sort.key))));
    m_descending->setChecked(sort.descending);
    m_view->horizontalHeader()->setSortIndicator(SampleQueueModel::columnOf(sort.key),
                                                 sort.descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    m_updating = false;
}

void QueueDock::updateCount()
{
    m_count->setText(tr("%Ln sample(s)", nullptr, m_model->rowCount()));
}

} // namespace rs
