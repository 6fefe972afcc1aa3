#pragma once

#include <QAbstractTableModel>
#include <QPointer>

namespace rs {

class SampleDocument;

// The document's targets as a table: colour swatch and label, description, visible, ignore. Edits
// go through DocumentActions (one undo step each); the model follows the document's signals.
//
// Thread: GUI thread. The document is not owned.
class TargetListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { LabelColumn, DescriptionColumn, VisibleColumn, IgnoreColumn, AreaColumn, ColumnCount };

    explicit TargetListModel(QObject *parent = nullptr);
    ~TargetListModel() override;

    void setDocument(SampleDocument *document);
    SampleDocument *document() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void resetAll();

    QPointer<SampleDocument> m_document;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace rs
