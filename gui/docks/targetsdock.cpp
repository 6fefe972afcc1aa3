#include "gui/docks/targetsdock.h"

#include "core/sampledocument.h"
#include "gui/docks/targetactions.h"
#include "gui/docks/targetlistmodel.h"

#include <QAction>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace rs {

namespace {

QToolButton *button(QAction *action, const QString &text, QWidget *parent)
{
    action->setIconText(text);  // what tool buttons show; menus keep the long text
    auto *b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return b;
}

} // namespace

TargetsDock::TargetsDock(TargetActions *actions, QWidget *parent)
    : QDockWidget(tr("Targets"), parent), m_actions(actions), m_model(new TargetListModel(this))
{
    setObjectName(QStringLiteral("targetsDock"));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);

    m_view = new QTableView(content);
    m_view->setObjectName(QStringLiteral("targetsView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(TargetListModel::LabelColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(TargetListModel::DescriptionColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(TargetListModel::VisibleColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(TargetListModel::IgnoreColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(TargetListModel::AreaColumn, QHeaderView::ResizeToContents);
    m_view->setColumnWidth(TargetListModel::LabelColumn, fontMetrics().horizontalAdvance(QLatin1Char('m')) * 11);
    layout->addWidget(m_view, 1);

    auto *buttons = new QGridLayout;
    buttons->setSpacing(2);
    const QList<std::pair<QAction *, QString>> grid = {
        {actions->newTarget(), tr("New")},         {actions->deleteTarget(), tr("Delete")},
        {actions->moveUp(), tr("Up")},             {actions->moveDown(), tr("Down")},
        {actions->merge(), tr("Merge")},           {actions->split(), tr("Split")},
        {actions->fillHoles(), tr("Fill holes")},  {actions->removeSmall(), tr("Remove small")},
        {actions->add(), tr("Add ∪")},             {actions->subtract(), tr("Subtract −")},
        {actions->intersect(), tr("Intersect ∩")}, {actions->acceptProposal(), tr("Accept proposal")},
    };
    for (int i = 0; i < grid.size(); ++i)
        buttons->addWidget(button(grid[i].first, grid[i].second, content), i / 4, i % 4);
    layout->addLayout(buttons);

    auto *options = new QHBoxLayout;
    options->addWidget(new QLabel(tr("Small components below"), content));
    m_minArea = new QSpinBox(content);
    m_minArea->setRange(1, 1'000'000);
    m_minArea->setSuffix(tr(" px"));
    m_minArea->setValue(actions->minComponentArea());
    connect(m_minArea, &QSpinBox::valueChanged, actions, &TargetActions::setMinComponentArea);
    options->addWidget(m_minArea);
    options->addStretch(1);
    actions->noTarget()->setIconText(tr("No target"));
    auto *noTarget = new QToolButton(content);
    noTarget->setDefaultAction(actions->noTarget());
    options->addWidget(noTarget);
    layout->addLayout(options);
    m_summary = new QLabel(content);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    setWidget(content);

    actions->setSelectionProvider([this] { return selectedRows(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!m_syncing && m_document && current.isValid())
                    m_document->setCurrentTarget(current.row());
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, actions, &TargetActions::updateEnabled);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TargetsDock::showCurrent);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TargetsDock::updateSummary);
    updateSummary();
}

TargetsDock::~TargetsDock()
{
    if (m_actions)
        m_actions->setSelectionProvider(nullptr);
}

void TargetsDock::setDocument(SampleDocument *document)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_document = document;
    m_model->setDocument(document);
    if (document) {
        m_connections << connect(document, &SampleDocument::currentTargetChanged, this, &TargetsDock::showCurrent);
        m_connections << connect(document, &SampleDocument::proposalChanged, this, &TargetsDock::updateSummary);
        m_connections << connect(document, &SampleDocument::noTargetChanged, this, &TargetsDock::updateSummary);
    }
    showCurrent();
    updateSummary();
}

QList<int> TargetsDock::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void TargetsDock::showCurrent()
{
    m_syncing = true;
    const int current = m_document ? m_document->currentTarget() : -1;
    if (current >= 0 && current < m_model->rowCount()) {
        const QModelIndex index = m_model->index(current, TargetListModel::LabelColumn);
        if (!m_view->selectionModel()->isRowSelected(current, QModelIndex())
            || m_view->selectionModel()->currentIndex().row() != current)
            m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    } else {
        m_view->selectionModel()->clear();
    }
    m_syncing = false;
    m_actions->updateEnabled();
}

void TargetsDock::updateSummary()
{
    if (!m_document) {
        m_summary->setText(tr("No sample open."));
        return;
    }
    QString text = tr("%n target(s)", nullptr, m_document->targetCount());
    if (!m_document->proposal().empty())
        text += tr(" · the model proposes %n", nullptr, int(m_document->proposal().size()));
    if (m_document->noTarget())
        text += tr(" · marked: no target in the image");
    m_summary->setText(text);
}

} // namespace rs
