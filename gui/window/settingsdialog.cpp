#include "gui/window/settingsdialog.h"

#include "gui/tools/abstracttool.h"
#include "gui/tools/toolmanager.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace rs {

SettingsDialog::SettingsDialog(const StudioSettings &settings, ToolManager *tools, QWidget *parent)
    : QDialog(parent), m_settings(settings), m_tools(tools)
{
    setWindowTitle(tr("Settings"));
    auto *layout = new QVBoxLayout(this);

    auto *general = new QGroupBox(tr("Annotation"), this);
    auto *form = new QFormLayout(general);
    m_annotator = new QLineEdit(settings.annotator, general);
    m_annotator->setPlaceholderText(StudioSettings::defaultAnnotator());
    form->addRow(tr("Annotator name"), m_annotator);
    layout->addWidget(general);

    auto *model = new QGroupBox(tr("Model"), this);
    auto *modelForm = new QFormLayout(model);
    auto *pathRow = new QHBoxLayout;
    m_model = new QLineEdit(settings.modelPath, model);
    m_model->setPlaceholderText(tr("model package folder (model.json); empty: no model"));
    auto *browse = new QPushButton(tr("Browse…"), model);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model package"), m_model->text());
        if (!dir.isEmpty())
            m_model->setText(dir);
    });
    pathRow->addWidget(m_model, 1);
    pathRow->addWidget(browse);
    modelForm->addRow(tr("Package"), pathRow);
    m_device = new QComboBox(model);
    m_device->setEditable(true);
    m_device->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    m_device->setCurrentText(settings.device);
    modelForm->addRow(tr("Device"), m_device);
    m_prefetch = new QSpinBox(model);
    m_prefetch->setRange(0, 32);
    m_prefetch->setValue(settings.prefetchCount);
    m_prefetch->setToolTip(tr("How many samples after the open one get their proposal in advance"));
    modelForm->addRow(tr("Prefetch next samples"), m_prefetch);
    layout->addWidget(model);

    auto *keys = new QGroupBox(tr("Tool shortcuts"), this);
    auto *keyForm = new QFormLayout(keys);
    if (tools) {
        for (AbstractTool *tool : tools->tools()) {
            auto *edit = new QKeySequenceEdit(tools->shortcut(tool->id()), keys);
            edit->setObjectName(QStringLiteral("shortcut_") + tool->id());
            m_shortcuts.insert(tool->id(), edit);
            keyForm->addRow(tool->name(), edit);
        }
        auto *reset = new QPushButton(tr("Restore defaults"), keys);
        connect(reset, &QPushButton::clicked, this, [this] {
            for (AbstractTool *tool : m_tools->tools())
                m_shortcuts.value(tool->id())->setKeySequence(tool->defaultShortcut());
        });
        keyForm->addRow(QString(), reset);
    } else {
        keyForm->addRow(new QLabel(tr("No tools loaded"), keys));
    }
    layout->addWidget(keys);

    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(box, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    layout->addWidget(box);
}

StudioSettings SettingsDialog::settings() const
{
    StudioSettings s = m_settings;
    s.annotator = m_annotator->text().trimmed().isEmpty() ? StudioSettings::defaultAnnotator() : m_annotator->text().trimmed();
    s.modelPath = m_model->text().trimmed();
    s.device = m_device->currentText().trimmed().isEmpty() ? QStringLiteral("auto") : m_device->currentText().trimmed();
    s.prefetchCount = m_prefetch->value();
    return s;
}

void SettingsDialog::accept()
{
    if (m_tools) {
        for (auto it = m_shortcuts.cbegin(); it != m_shortcuts.cend(); ++it) {
            const QKeySequence sequence = it.value()->keySequence();
            if (sequence != m_tools->shortcut(it.key()))
                m_tools->setShortcut(it.key(), sequence);
        }
    }
    QDialog::accept();
}

} // namespace rs
