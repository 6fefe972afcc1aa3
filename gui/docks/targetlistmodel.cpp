#include "gui/docks/targetlistmodel.h"

#include "core/documentactions.h"
#include "core/sampledocument.h"

#include <QPainter>
#include <QPixmap>

namespace rs {

namespace {

QPixmap swatch(const QColor &color)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setPen(QColor(0, 0, 0, 160));
    painter.setBrush(color);
    painter.drawRect(QRect(0, 0, 13, 13));
    return pixmap;
}

} // namespace

TargetListModel::TargetListModel(QObject *parent) : QAbstractTableModel(parent) {}

TargetListModel::~TargetListModel() = default;

SampleDocument *TargetListModel::document() const
{
    return m_document;
}

void TargetListModel::setDocument(SampleDocument *document)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    beginResetModel();
    m_document = document;
    endResetModel();
    if (!document)
        return;
    // Structural changes reset (a sample has a few dozen targets at most); property and mask changes
    // update their row.
    for (auto signal : {&SampleDocument::targetInserted, &SampleDocument::targetRemoved})
        m_connections << connect(document, signal, this, &TargetListModel::resetAll);
    m_connections << connect(document, &SampleDocument::targetMoved, this, &TargetListModel::resetAll);
    m_connections << connect(document, &SampleDocument::targetPropertiesChanged, this, [this](int row) {
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
    m_connections << connect(document, &SampleDocument::maskChanged, this, [this](int row) {
        emit dataChanged(index(row, AreaColumn), index(row, AreaColumn));
    });
    m_connections << connect(document, &QObject::destroyed, this, [this] { resetAll(); });
}

void TargetListModel::resetAll()
{
    beginResetModel();
    endResetModel();
}

int TargetListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_document ? 0 : m_document->targetCount();
}

int TargetListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TargetListModel::data(const QModelIndex &index, int role) const
{
    if (!m_document || !index.isValid() || index.row() >= m_document->targetCount())
        return QVariant();
    const DocumentTarget &target = m_document->targetAt(index.row());
    switch (index.column()) {
    case LabelColumn:
        if (role == Qt::DisplayRole)
            return target.target.label.isEmpty() ? tr("(target %1)").arg(index.row() + 1) : target.target.label;
        if (role == Qt::EditRole)
            return target.target.label;
        if (role == Qt::DecorationRole)
            return swatch(target.color);
        break;
    case DescriptionColumn:
        if (role == Qt::DisplayRole || role == Qt::EditRole || role == Qt::ToolTipRole)
            return target.target.description;
        break;
    case VisibleColumn:
        if (role == Qt::CheckStateRole)
            return target.visible ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole)
            return tr("Shown on the canvas");
        break;
    case IgnoreColumn:
        if (role == Qt::CheckStateRole)
            return target.target.ignore ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::ToolTipRole)
            return tr("An ignore region: the metrics leave these pixels out");
        break;
    case AreaColumn:
        if (role == Qt::DisplayRole)
            return QVariant::fromValue(target.target.mask.area());
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return QVariant();
}

bool TargetListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!m_document || !index.isValid())
        return false;
    const int row = index.row();
    switch (index.column()) {
    case LabelColumn:
        return role == Qt::EditRole && DocumentActions::setLabel(*m_document, row, value.toString().trimmed());
    case DescriptionColumn:
        return role == Qt::EditRole && DocumentActions::setDescription(*m_document, row, value.toString().trimmed());
    case VisibleColumn:
        return role == Qt::CheckStateRole
            && DocumentActions::setVisible(*m_document, row, value.toInt() == Qt::Checked);
    case IgnoreColumn:
        return role == Qt::CheckStateRole
            && DocumentActions::setIgnore(*m_document, row, value.toInt() == Qt::Checked);
    }
    return false;
}

Qt::ItemFlags TargetListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    switch (index.column()) {
    case LabelColumn:
    case DescriptionColumn:
        return flags | Qt::ItemIsEditable;
    case VisibleColumn:
    case IgnoreColumn:
        return flags | Qt::ItemIsUserCheckable;
    }
    return flags;
}

QVariant TargetListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LabelColumn:
        return tr("Target");
    case DescriptionColumn:
        return tr("Description");
    case VisibleColumn:
        return tr("Show");
    case IgnoreColumn:
        return tr("Ignore");
    case AreaColumn:
        return tr("Pixels");
    }
    return QVariant();
}

} // namespace rs
