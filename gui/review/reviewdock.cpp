#include "gui/review/reviewdock.h"

#include "core/maskdiff.h"
#include "core/sampledocument.h"
#include "gui/session/annotationsession.h"
#include "storage/annotatorrepository.h"
#include "storage/proposalrepository.h"
#include "storage/reviewrepository.h"
#include "storage/runrepository.h"

#include <QAction>
#include <QCheckBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace rs {

namespace {

Mask unionOf(const std::vector<Target> &targets, QSize size)
{
    Mask mask(size.width(), size.height());
    for (const Target &target : targets) {
        if (!target.ignore && target.mask.size() == size)
            mask.unite(target.mask);
    }
    return mask;
}

QTableWidgetItem *numberItem(double value, int decimals)
{
    auto *item = new QTableWidgetItem(std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("–"));
    item->setData(Qt::UserRole, value);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

ReviewDock::ReviewDock(AnnotationSession *session, QWidget *parent)
    : QDockWidget(tr("Review"), parent)
    , m_session(session)
    , m_runs(new QTableWidget(0, ColumnCount, this))
    , m_chains(new QSplitter(Qt::Horizontal, this))
    , m_reason(new QLineEdit(this))
    , m_history(new QListWidget(this))
{
    setObjectName(QStringLiteral("reviewDock"));
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    m_runs->setHorizontalHeaderLabels({ tr("Run"), tr("IoU"), tr("Added"), tr("Removed"), tr("Boundary px"), tr("Tokens"),
                                        tr("U") });
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runs->verticalHeader()->hide();
    m_runs->horizontalHeader()->setStretchLastSection(true);
    m_runs->setToolTip(tr("Each run's proposal against the current truth; select one to show it on the canvas"));
    layout->addWidget(m_runs, 1);
    m_chains->setChildrenCollapsible(false);
    layout->addWidget(m_chains, 2);

    m_reason->setPlaceholderText(tr("Reason (what is wrong, what to fix)"));
    layout->addWidget(m_reason);
    auto *tags = new QGridLayout;
    int index = 0;
    for (const QString &tag : reviewFailureTags()) {
        auto *box = new QCheckBox(QString(tag).replace(QLatin1Char('_'), QLatin1Char(' ')), this);
        box->setToolTip(tr("Failure mode tag '%1' (Alt+Shift+%2)").arg(tag).arg(index + 1));
        auto *toggle = new QAction(this);
        toggle->setShortcut(QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key(Qt::Key_1 + index)));
        toggle->setShortcutContext(Qt::WindowShortcut);
        connect(toggle, &QAction::triggered, box, &QCheckBox::toggle);
        addAction(toggle);
        m_tags.insert(tag, box);
        tags->addWidget(box, index / 2, index % 2);
        ++index;
    }
    layout->addLayout(tags);
    auto *buttons = new QHBoxLayout;
    const struct
    {
        ReviewVerdict verdict;
        QString text;
        Qt::Key key;
    } verdicts[] = { { ReviewVerdict::Accept, tr("Accept"), Qt::Key_1 },
                     { ReviewVerdict::Reject, tr("Reject"), Qt::Key_2 },
                     { ReviewVerdict::Fix, tr("Send back"), Qt::Key_3 } };
    for (const auto &v : verdicts) {
        auto *action = new QAction(v.text, this);
        action->setShortcut(QKeySequence(Qt::ALT | v.key));
        action->setShortcutContext(Qt::WindowShortcut);
        action->setObjectName(QStringLiteral("review_") + reviewVerdictName(v.verdict));
        connect(action, &QAction::triggered, this, [this, verdict = v.verdict] { review(verdict); });
        addAction(action);
        auto *button = new QPushButton(QStringLiteral("%1 (%2)").arg(v.text, action->shortcut().toString(QKeySequence::NativeText)), this);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        buttons->addWidget(button);
    }
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("Reviews of this sample"), this));
    m_history->setMaximumHeight(90);
    layout->addWidget(m_history);
    setWidget(content);

    connect(m_runs, &QTableWidget::currentCellChanged, this, [this](int row) { showRun(row); });
    connect(m_session, &AnnotationSession::sampleOpened, this, [this] { refresh(); });
    connect(m_session, &AnnotationSession::proposalArrived, this, [this](qint64 sampleId) {
        if (sampleId == m_session->sampleId())
            refresh();
    });
    connect(m_session, &AnnotationSession::saved, this, [this] { refresh(); });
}

int ReviewDock::chainCount() const
{
    return m_chains->count();
}

void ReviewDock::refresh()
{
    m_runs->setRowCount(0);
    m_proposals.clear();
    m_history->clear();
    while (m_chains->count() > 0)
        delete m_chains->widget(0);
    Database *db = m_session->database();
    SampleDocument *document = m_session->document();
    if (!db || !document || m_session->sampleId() == 0)
        return;
    const qint64 sampleId = m_session->sampleId();
    const auto proposals = ProposalRepository(*db).forSample(sampleId);
    if (!proposals) {
        emit message(proposals.error(), 8000);
        return;
    }
    const QSize size = document->imageSize();
    const Mask truth = unionOf(document->targets(), size);
    for (const Proposal &proposal : *proposals) {
        const auto run = RunRepository(*db).get(proposal.runId);
        RunProposal entry;
        entry.proposalId = proposal.id;
        entry.runId = proposal.runId;
        entry.run = run ? run->name : QString::number(proposal.runId);
        for (const RleTarget &stored : proposal.targets) {
            if (const auto target = stored.toTarget())
                entry.targets.push_back(*target);
        }
        const auto diff = MaskDiff::compare(truth, unionOf(entry.targets, size));
        const int row = m_runs->rowCount();
        m_runs->insertRow(row);
        m_runs->setItem(row, RunColumn, new QTableWidgetItem(entry.run));
        m_runs->setItem(row, IouColumn, numberItem(diff ? diff->iou : NAN, 3));
        m_runs->setItem(row, AddedColumn, numberItem(diff ? double(diff->added) : NAN, 0));
        m_runs->setItem(row, RemovedColumn, numberItem(diff ? double(diff->removed) : NAN, 0));
        m_runs->setItem(row, BoundaryColumn, numberItem(diff ? diff->meanBoundaryDistance : NAN, 1));
        m_runs->setItem(row, TokensColumn, numberItem(proposal.chain.tokenCount(), 0));
        m_runs->setItem(row, UncertaintyColumn, numberItem(proposal.chain.sequenceUncertainty(), 3));
        auto *chain = new QPlainTextEdit(m_chains);
        chain->setReadOnly(true);
        chain->setPlainText(QStringLiteral("%1\n\n%2").arg(entry.run, proposal.chain.text()));
        m_chains->addWidget(chain);
        m_proposals.push_back(std::move(entry));
    }
    m_runs->resizeColumnsToContents();
    for (std::size_t row = 0; row < m_proposals.size(); ++row) {
        if (m_reviewRun != 0 && m_proposals[row].runId == m_reviewRun)
            m_runs->setCurrentCell(int(row), RunColumn);
    }
    const auto reviews = ReviewRepository(*db).forSample(sampleId);
    if (reviews) {
        for (const Review &r : *reviews) {
            const auto who = AnnotatorRepository(*db).name(r.reviewerId);
            m_history->addItem(QStringLiteral("%1 · %2 · v%3%4%5")
                                   .arg(reviewVerdictName(r.verdict), who ? *who : QString::number(r.reviewerId))
                                   .arg(r.annotationVersion)
                                   .arg(r.reason.isEmpty() ? QString() : QStringLiteral(" · ") + r.reason,
                                        r.failureTags.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(r.failureTags.join(QLatin1String(", ")))));
        }
    }
}

QList<std::pair<QString, qint64>> ReviewDock::projectRuns() const
{
    QList<std::pair<QString, qint64>> runs;
    Database *db = m_session->database();
    if (!db)
        return runs;
    const auto all = RunRepository(*db).all();
    if (all) {
        for (const ModelRun &run : *all)
            runs.append({ run.name, run.id });
    }
    return runs;
}

void ReviewDock::setReviewRun(qint64 runId)
{
    m_reviewRun = runId;
    refresh();
}

void ReviewDock::showRun(int row)
{
    SampleDocument *document = m_session->document();
    if (!document || row < 0 || std::size_t(row) >= m_proposals.size())
        return;
    document->setProposal(m_proposals[std::size_t(row)].targets);
}

bool ReviewDock::review(ReviewVerdict verdict)
{
    Database *db = m_session->database();
    if (!db || m_session->sampleId() == 0)
        return false;
    Review r;
    r.sampleId = m_session->sampleId();
    r.annotationVersion = m_session->baseVersion();
    const int row = m_runs->currentRow();
    r.proposalId = row >= 0 && std::size_t(row) < m_proposals.size() ? m_proposals[std::size_t(row)].proposalId : 0;
    r.reviewerId = m_session->annotatorId();
    r.verdict = verdict;
    r.reason = m_reason->text().trimmed();
    for (auto it = m_tags.cbegin(); it != m_tags.cend(); ++it) {
        if (it.value()->isChecked())
            r.failureTags << it.key();
    }
    const auto added = ReviewRepository(*db).add(r);
    if (!added) {
        emit message(added.error(), 8000);
        return false;
    }
    m_reason->clear();
    for (QCheckBox *box : std::as_const(m_tags))
        box->setChecked(false);
    emit message(tr("Review saved: %1").arg(reviewVerdictName(verdict)), 3000);
    emit reviewed(r.sampleId);
    refresh();
    return true;
}

} // namespace rs
