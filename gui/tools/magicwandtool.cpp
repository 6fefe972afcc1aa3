#include "gui/tools/magicwandtool.h"

#include "core/magicwand.h"
#include "core/sampledocument.h"
#include "gui/tools/targetedit.h"

#include <QKeyEvent>
#include <QtConcurrent>

#include <cmath>

namespace rs {

MagicWandTool::MagicWandTool(QObject *parent)
    : AbstractTool(QStringLiteral("magicwand"), tr("Magic Wand"), QKeySequence(Qt::Key_W), parent)
{
}

void MagicWandTool::setTolerance(int tolerance)
{
    tolerance = std::clamp(tolerance, 0, 255);
    if (tolerance == m_tolerance)
        return;
    m_tolerance = tolerance;
    emit toleranceChanged(tolerance);
    emit statusMessage(tr("Magic wand tolerance: %1").arg(tolerance));
}

void MagicWandTool::activate(const ToolContext &context)
{
    if (m_watcher && (context.document != this->context().document || context.image.cacheKey() != this->context().image.cacheKey())) {
        // The running fill belongs to another sample: its result is dropped.
        m_watcher->disconnect(this);
        connect(m_watcher, &QFutureWatcherBase::finished, m_watcher, &QObject::deleteLater);
        m_watcher = nullptr;
        emit busyChanged(false);
    }
    AbstractTool::activate(context);
}

void MagicWandTool::mousePressed(const ToolMouseEvent &event)
{
    if (event.button != Qt::LeftButton || !context().document)
        return;
    const QImage image = context().image;
    if (image.isNull()) {
        emit statusMessage(tr("The image is still loading"));
        return;
    }
    const QPoint seed(int(std::floor(event.position.x())), int(std::floor(event.position.y())));
    if (!image.rect().contains(seed))
        return;
    if (isBusy()) {
        emit statusMessage(tr("The magic wand is still running"));
        return;
    }
    const bool subtract = event.modifiers & Qt::ShiftModifier;
    if (subtract && context().document->currentTarget() < 0) {
        emit statusMessage(tr("Select a target to remove the region from"));
        return;
    }
    auto *watcher = new QFutureWatcher<Result>(this);
    m_watcher = watcher;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, subtract] {
        watcher->deleteLater();
        if (watcher != m_watcher)
            return;
        m_watcher = nullptr;
        emit busyChanged(false);
        apply(watcher->result(), subtract);
    });
    watcher->setFuture(QtConcurrent::run([image, seed, tolerance = m_tolerance] {
        Result result;
        result.mask = MagicWand::select(image, seed, tolerance);
        result.bounds = result.mask.boundingRect();
        return result;
    }));
    emit busyChanged(true);
}

void MagicWandTool::apply(const Result &result, bool subtract)
{
    SampleDocument *document = context().document;
    if (!document || result.bounds.isNull() || result.mask.size() != document->imageSize())
        return;
    TargetEdit edit;
    if (!edit.begin(document, subtract ? tr("Magic Wand Cut") : tr("Magic Wand"), !subtract) || edit.ensureTarget() < 0) {
        emit statusMessage(tr("Select a target to remove the region from"));
        return;
    }
    Mask &mask = edit.mask();
    const QRect &area = result.bounds;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const std::uint8_t *region = result.mask.scanLine(y);
        std::uint8_t *row = mask.scanLine(y);
        for (int x = area.left(); x <= area.right(); ++x)
            row[x] = subtract ? (row[x] & ~region[x] & 1) : (row[x] | region[x]);
    }
    edit.painted(area);
    edit.commit();
}

bool MagicWandTool::keyPressed(QKeyEvent *event)
{
    if (event->key() == Qt::Key_BracketLeft) {
        setTolerance(m_tolerance - kToleranceStep);
        return true;
    }
    if (event->key() == Qt::Key_BracketRight) {
        setTolerance(m_tolerance + kToleranceStep);
        return true;
    }
    return false;
}

} // namespace rs
