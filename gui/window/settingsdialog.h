#pragma once

#include "gui/window/studiosettings.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QKeySequenceEdit;
class QLineEdit;
class QSpinBox;

namespace rs {

class ToolManager;

// The preferences: annotator name, model package and device, prefetch count, and the tools'
// keyboard shortcuts (ToolManager's actions; applied and stored by ToolManager on accept).
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(const StudioSettings &settings, ToolManager *tools, QWidget *parent = nullptr);

    // The edited settings (valid after accept).
    StudioSettings settings() const;
    QLineEdit *annotatorEdit() const { return m_annotator; }
    QLineEdit *modelEdit() const { return m_model; }
    QSpinBox *prefetchEdit() const { return m_prefetch; }
    QKeySequenceEdit *shortcutEdit(const QString &toolId) const { return m_shortcuts.value(toolId); }

    void accept() override;

private:
    StudioSettings m_settings;
    ToolManager *m_tools;
    QLineEdit *m_annotator;
    QLineEdit *m_model;
    QComboBox *m_device;
    QSpinBox *m_prefetch;
    QHash<QString, QKeySequenceEdit *> m_shortcuts;
};

} // namespace rs
