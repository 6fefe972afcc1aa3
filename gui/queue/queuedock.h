#pragma once

#include <QDockWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;
class QToolButton;

namespace rs {

class SampleQueueModel;

// The sample queue: a virtualised table over SampleQueueModel (fixed row height, no measuring of
// contents, so a million rows scroll like a hundred) with the filter and sort controls. Activating
// a row (click, Enter on the list, double click) asks for that sample.
class QueueDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit QueueDock(SampleQueueModel *model, QWidget *parent = nullptr);

    // The values the split filter offers ("all" is always first).
    void setSplits(const QStringList &splits);
    // Who "assigned to me" means; nullopt disables that filter.
    void setAnnotatorId(std::optional<qint64> annotatorId);
    // The model runs review mode can follow (name, run id); the first entry is "latest proposal".
    void setRuns(const QList<std::pair<QString, qint64>> &runs);
    // Shows the sample at `row` as the current one (no activation signal).
    void setCurrentRow(int row);

    QTableView *view() const { return m_view; }
    QComboBox *splitFilter() const { return m_split; }
    QComboBox *statusFilter() const { return m_status; }
    QComboBox *difficultyFilter() const { return m_difficulty; }
    QComboBox *proposalFilter() const { return m_proposal; }
    QComboBox *reviewFilter() const { return m_review; }
    QComboBox *failureTagFilter() const { return m_failureTag; }
    QComboBox *runFilter() const { return m_run; }
    QCheckBox *mineFilter() const { return m_mine; }
    QComboBox *sortKey() const { return m_sortKey; }
    QToolButton *sortDescending() const { return m_descending; }

signals:
    void sampleActivated(qint64 sampleId, int row);
    // The run whose proposals the queue's keys now follow (0: the latest proposal).
    void reviewRunChanged(qint64 runId);

private:
    void applyFilter();
    void applySort();
    void showSort();
    void updateCount();

    SampleQueueModel *m_model;
    QTableView *m_view;
    QComboBox *m_split;
    QComboBox *m_status;
    QComboBox *m_difficulty;
    QComboBox *m_proposal;
    QComboBox *m_review;
    QComboBox *m_failureTag;
    QComboBox *m_run;
    QCheckBox *m_overBudget;
    QCheckBox *m_mine;
    QComboBox *m_sortKey;
    QToolButton *m_descending;
    QLabel *m_count;
    std::optional<qint64> m_annotatorId;
    bool m_updating = false;
};

} // namespace rs
