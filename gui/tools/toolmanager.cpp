#include "gui/tools/toolmanager.h"

#include "gui/tools/brushtool.h"
#include "gui/tools/grabcuttool.h"
#include "gui/tools/magicwandtool.h"
#include "gui/tools/modelrefinetool.h"
#include "gui/tools/polygontool.h"
#include "gui/tools/rectangletool.h"

#include <QAction>
#include <QActionGroup>
#include <QSettings>

namespace rs {

ToolManager::ToolManager(QObject *parent)
    : QObject(parent),
      m_group(new QActionGroup(this)),
      m_brush(new BrushTool(BrushTool::Mode::Paint, this)),
      m_eraser(new BrushTool(BrushTool::Mode::Erase, this)),
      m_polygon(new PolygonTool(this)),
      m_rectangle(new RectangleTool(this)),
      m_grabCut(new GrabCutTool(this)),
      m_magicWand(new MagicWandTool(this)),
      m_modelRefine(new ModelRefineTool(this))
{
    m_group->setExclusive(true);
    for (AbstractTool *tool : {static_cast<AbstractTool *>(m_brush), static_cast<AbstractTool *>(m_eraser),
                               static_cast<AbstractTool *>(m_polygon), static_cast<AbstractTool *>(m_rectangle),
                               static_cast<AbstractTool *>(m_grabCut), static_cast<AbstractTool *>(m_magicWand),
                               static_cast<AbstractTool *>(m_modelRefine)})
        addTool(tool);
    reloadShortcuts();
    setActiveTool(m_brush);
}

ToolManager::~ToolManager() = default;

void ToolManager::addTool(AbstractTool *tool)
{
    m_tools << tool;
    auto *action = new QAction(tool->name(), this);
    action->setObjectName(QStringLiteral("tool_") + tool->id());
    action->setCheckable(true);
    action->setData(tool->id());
    m_group->addAction(action);
    m_actions << action;
    connect(action, &QAction::triggered, this, [this, tool] { setActiveTool(tool); });
    connect(tool, &AbstractTool::statusMessage, this, &ToolManager::statusMessage);
}

AbstractTool *ToolManager::tool(const QString &id) const
{
    for (AbstractTool *tool : m_tools)
        if (tool->id() == id)
            return tool;
    return nullptr;
}

QList<QAction *> ToolManager::actions() const
{
    return m_actions;
}

QAction *ToolManager::action(const QString &id) const
{
    for (QAction *action : m_actions)
        if (action->data().toString() == id)
            return action;
    return nullptr;
}

void ToolManager::setActiveTool(AbstractTool *tool)
{
    if (tool == m_active || (tool && !m_tools.contains(tool)))
        return;
    m_active = tool;
    if (tool)
        action(tool->id())->setChecked(true);
    emit activeToolChanged(tool);
}

bool ToolManager::setActiveTool(const QString &id)
{
    AbstractTool *found = tool(id);
    if (!found)
        return false;
    setActiveTool(found);
    return true;
}

QKeySequence ToolManager::shortcut(const QString &id) const
{
    QAction *a = action(id);
    return a ? a->shortcut() : QKeySequence();
}

void ToolManager::setShortcut(const QString &id, const QKeySequence &shortcut)
{
    QAction *a = action(id);
    if (!a)
        return;
    QSettings().setValue(settingsKey(id), shortcut.toString(QKeySequence::PortableText));
    a->setShortcut(shortcut);
}

void ToolManager::resetShortcuts()
{
    QSettings settings;
    for (AbstractTool *tool : m_tools)
        settings.remove(settingsKey(tool->id()));
    reloadShortcuts();
}

void ToolManager::reloadShortcuts()
{
    QSettings settings;
    for (AbstractTool *tool : m_tools) {
        const QVariant stored = settings.value(settingsKey(tool->id()));
        const QKeySequence shortcut = stored.isValid() ? QKeySequence(stored.toString(), QKeySequence::PortableText)
                                                       : tool->defaultShortcut();
        QAction *a = action(tool->id());
        a->setShortcut(shortcut);
        a->setToolTip(shortcut.isEmpty() ? tool->name()
                                         : tr("%1 (%2)").arg(tool->name(), shortcut.toString(QKeySequence::NativeText)));
    }
}

} // namespace rs
