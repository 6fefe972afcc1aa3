#pragma once

#include <QDockWidget>
#include <QPointer>

class QLabel;
class QSpinBox;
class QTableView;

namespace rs {

class SampleDocument;
class TargetActions;
class TargetListModel;

// The targets of the open sample: colour swatch, label and description (editable in place),
// visibility and ignore check boxes — every edit an undo step through DocumentActions — and buttons
// for the TargetActions (new, delete, move, merge, split, fill holes, remove small components,
// add/subtract/intersect, accept proposal). The selected row is the document's current target.
class TargetsDock : public QDockWidget
{
    Q_OBJECT

public:
    TargetsDock(TargetActions *actions, QWidget *parent = nullptr);
    ~TargetsDock() override;

    void setDocument(SampleDocument *document);
    QTableView *view() const { return m_view; }
    TargetListModel *model() const { return m_model; }
    QList<int> selectedRows() const;

private:
    void showCurrent();
    void updateSummary();

    QPointer<TargetActions> m_actions;
    TargetListModel *m_model;
    QTableView *m_view;
    QSpinBox *m_minArea;
    QLabel *m_summary;
    QPointer<SampleDocument> m_document;
    QList<QMetaObject::Connection> m_connections;
    bool m_syncing = false;
};

} // namespace rs
