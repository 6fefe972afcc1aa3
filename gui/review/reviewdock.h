#pragma once

#include "core/review.h"
#include "core/target.h"

#include <QDockWidget>
#include <QMap>

#include <vector>

class QCheckBox;
class QLineEdit;
class QListWidget;
class QSplitter;
class QTableWidget;

namespace rs {

class AnnotationSession;

// Review mode for the open sample: every model run's proposal against the current truth (IoU, pixels
// added and removed, boundary distance, tokens, uncertainty), their chains side by side, and the
// verdict — accept / reject / send back with a reason and failure-mode tags, one key each — stored as a
// review of the current annotation version. Selecting a run shows its masks as the canvas's proposal
// layer (overlay and diff view).
class ReviewDock : public QDockWidget
{
    Q_OBJECT

public:
    enum Column { RunColumn, IouColumn, AddedColumn, RemovedColumn, BoundaryColumn, TokensColumn, UncertaintyColumn,
                  ColumnCount };

    explicit ReviewDock(AnnotationSession *session, QWidget *parent = nullptr);

    // Re-reads the open sample's proposals and reviews.
    void refresh();
    // The project's model runs (name, id), for the queue's review-run choice.
    QList<std::pair<QString, qint64>> projectRuns() const;
    // The run under review: its row is selected (and its masks shown) whenever a sample opens; 0: none.
    void setReviewRun(qint64 runId);
    // Stores a review with the reason and checked tags; false (and message()) when it was refused.
    bool review(ReviewVerdict verdict);

    QTableWidget *runTable() const { return m_runs; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QCheckBox *tagBox(const QString &tag) const { return m_tags.value(tag); }
    QListWidget *history() const { return m_history; }
    int chainCount() const;

signals:
    void message(const QString &text, int timeoutMs);
    void reviewed(qint64 sampleId);

private:
    struct RunProposal
    {
        qint64 proposalId = 0;
        qint64 runId = 0;
        QString run;
        std::vector<Target> targets;
    };
    void showRun(int row);

    AnnotationSession *m_session;
    QTableWidget *m_runs;
    QSplitter *m_chains;
    QLineEdit *m_reason;
    QMap<QString, QCheckBox *> m_tags;
    QListWidget *m_history;
    std::vector<RunProposal> m_proposals;
    qint64 m_reviewRun = 0;
};

} // namespace rs
