#include "gui/canvas/maskoverlay.h"

#include "core/sampledocument.h"
#include "gui/canvas/imagepyramid.h"
#include "gui/canvas/maskoutline.h"
#include "gui/canvas/viewport.h"

#include <QPainter>

#include <algorithm>
#include <cstring>

namespace rs {

namespace {

constexpr int kTile = ImagePyramid::kTileSize;
constexpr int kOutlineAlpha = 235;

// x * a / 255 per channel of a 32-bit pixel (Qt's BYTE_MUL).
inline quint32 byteMul(quint32 x, quint32 a)
{
    quint32 t = (x & 0x00ff00ff) * a;
    t = (t + ((t >> 8) & 0x00ff00ff) + 0x00800080) >> 8;
    t &= 0x00ff00ff;
    x = ((x >> 8) & 0x00ff00ff) * a;
    x = x + ((x >> 8) & 0x00ff00ff) + 0x00800080;
    x &= 0xff00ff00;
    return x | t;
}

quint64 tileKey(int level, int column, int row)
{
    return (quint64(level) << 48) | (quint64(quint32(column)) << 24) | quint64(quint32(row));
}

// The level pixels that show the image pixels of `rect`, grown by one for outlines.
QRect toLevel(const QRect &rect, int level)
{
    return QRect(QPoint((rect.left() >> level) - 1, (rect.top() >> level) - 1),
                 QPoint((rect.right() >> level) + 1, (rect.bottom() >> level) + 1));
}

QRect toImage(const QRect &levelRect, int level)
{
    return QRect(levelRect.x() << level, levelRect.y() << level, levelRect.width() << level, levelRect.height() << level);
}

int alpha(double opacity)
{
    return std::clamp(int(opacity * 255.0 + 0.5), 0, 255);
}

} // namespace

// One layer as drawn into a tile.
struct MaskOverlay::Paint
{
    const Mask *mask = nullptr;
    const MaskPyramid *pyramid = nullptr;
    quint32 color = 0;    // opaque 0xffRRGGBB
    int fillAlpha = 0;    // at full coverage; 0: no fill
    bool stripes = false; // fill only on diagonal stripes
    bool outline = false;
    bool dashed = false;  // outline drawn every other run of 4 pixels

    const std::uint8_t *row(int level, int y) const { return level == 0 ? mask->scanLine(y) : pyramid->row(level, y); }
};

MaskOverlay::MaskOverlay(QObject *parent) : QObject(parent) {}

MaskOverlay::~MaskOverlay() = default;

void MaskOverlay::setDocument(SampleDocument *document)
{
    if (m_document == document)
        return;
    if (m_document)
        m_document->disconnect(this);
    m_document = document;
    if (document) {
        connect(document, &SampleDocument::maskChanged, this, &MaskOverlay::onMaskChanged);
        auto reset = [this] {
            resetLayers();
            emit changed(QRect());
        };
        connect(document, &SampleDocument::targetInserted, this, [this](int index) {
            m_targets.insert(m_targets.begin() + index, Layer());
            m_diffValid = false;
            invalidateAll();
        });
        connect(document, &SampleDocument::targetRemoved, this, [this](int index) {
            m_targets.erase(m_targets.begin() + index);
            m_diffValid = false;
            invalidateAll();
        });
        connect(document, &SampleDocument::targetMoved, this, [this](int from, int to) {
            Layer moved = std::move(m_targets[std::size_t(from)]);
            m_targets.erase(m_targets.begin() + from);
            m_targets.insert(m_targets.begin() + to, std::move(moved));
            invalidateAll();
        });
        connect(document, &SampleDocument::targetPropertiesChanged, this, [this] {
            m_diffValid = false;  // the ignore flag changes what the annotation holds
            invalidateAll();
        });
        connect(document, &SampleDocument::currentTargetChanged, this, &MaskOverlay::invalidateAll);
        connect(document, &SampleDocument::proposalChanged, this, reset);
        connect(document, &QObject::destroyed, this, [this] { setDocument(nullptr); });
    }
    resetLayers();
    m_tiles.clear();
    emit changed(QRect());
}

void MaskOverlay::resetLayers()
{
    m_targets.clear();
    m_targets.resize(std::size_t(m_document ? m_document->targetCount() : 0));
    m_proposal.clear();
    m_proposal.resize(m_document ? m_document->proposal().size() : 0);
    m_diffValid = false;
    m_addedMask = Mask();
    m_removedMask = Mask();
    m_proposalUnion = Mask();
    invalidateAll();
}

void MaskOverlay::setShowProposal(bool show)
{
    if (m_showProposal == show)
        return;
    m_showProposal = show;
    invalidateAll();
}

void MaskOverlay::setShowOutlines(bool show)
{
    if (m_showOutlines == show)
        return;
    m_showOutlines = show;
    invalidateAll();
}

void MaskOverlay::setDiffView(bool diff)
{
    if (m_diffView == diff)
        return;
    m_diffView = diff;
    if (!diff) {
        // The diff masks cost two image-sized masks: only kept while shown.
        m_diffValid = false;
        m_addedMask = Mask();
        m_removedMask = Mask();
        m_proposalUnion = Mask();
    }
    invalidateAll();
}

void MaskOverlay::setPixelOutlines(bool pixelOutlines)
{
    if (m_pixelOutlines == pixelOutlines)
        return;
    m_pixelOutlines = pixelOutlines;
    if (m_showOutlines)
        invalidateAll();
}

void MaskOverlay::paintOutlines(QPainter &painter, const Viewport &viewport, const QRect &imageArea)
{
    if (!m_document || !m_showOutlines)
        return;
    const QSize size = imageSize();
    const double zoom = viewport.zoom();
    const QPointF shift = -viewport.origin() * zoom;
    auto draw = [&](Layer &layer, const Mask &mask, const QColor &color, bool dashed) {
        if (mask.size() != size)
            return;
        ensureLayer(layer, mask);
        const QRect area = imageArea.intersected(layer.bounds);
        if (area.isEmpty())
            return;
        QList<QLineF> lines = MaskOutline::edges(mask, area);
        for (QLineF &line : lines)
            line = QLineF(line.p1() * zoom + shift, line.p2() * zoom + shift);
        painter.setPen(QPen(QColor(0, 0, 0, 150), 3.0, Qt::SolidLine, Qt::SquareCap));
        painter.drawLines(lines);
        QPen pen(color, 1.5, dashed ? Qt::DashLine : Qt::SolidLine, Qt::SquareCap);
        painter.setPen(pen);
        painter.drawLines(lines);
    };
    painter.save();
    painter.resetTransform();
    painter.setRenderHint(QPainter::Antialiasing, false);
    if (m_showProposal)
        for (std::size_t i = 0; i < m_proposal.size(); ++i)
            draw(m_proposal[i], m_document->proposal()[i].mask, proposalColor(), true);
    for (int i = 0; i < m_document->targetCount(); ++i) {
        const DocumentTarget &target = m_document->targetAt(i);
        if (target.visible)
            draw(m_targets[std::size_t(i)], target.target.mask, target.color, false);
    }
    painter.restore();
}

void MaskOverlay::setFillOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (qFuzzyCompare(opacity, m_fillOpacity))
        return;
    m_fillOpacity = opacity;
    invalidateAll();
}

QSize MaskOverlay::imageSize() const
{
    return m_document ? m_document->imageSize() : QSize();
}

int MaskOverlay::levelCount() const
{
    return ImagePyramid::levelCountFor(imageSize());
}

QRect MaskOverlay::tileRect(int level, int column, int row) const
{
    const QSize size = ImagePyramid::levelSizeFor(imageSize(), level);
    return QRect(column * kTile, row * kTile, kTile, kTile).intersected(QRect(QPoint(0, 0), size));
}

void MaskOverlay::onMaskChanged(int index, const QRect &rect)
{
    if (!m_document || index < 0 || index >= int(m_targets.size()))
        return;
    Layer &layer = m_targets[std::size_t(index)];
    const Mask &mask = m_document->targetAt(index).target.mask;
    layer.pyramid.update(mask, rect);
    if (layer.boundsValid)
        layer.bounds |= rect;
    if (m_diffValid)
        updateDiff(rect);
    invalidate(rect);
    emit changed(rect);
}

void MaskOverlay::invalidate(const QRect &imageRect)
{
    for (auto &[key, tile] : m_tiles) {
        const int level = int(key >> 48);
        const QRect area = toLevel(imageRect, level).intersected(
            tileRect(level, int((key >> 24) & 0xffffff), int(key & 0xffffff)));
        if (!area.isEmpty())
            tile.dirty += area;
    }
}

void MaskOverlay::invalidateAll()
{
    for (auto &[key, tile] : m_tiles)
        tile.dirty = QRegion(tileRect(int(key >> 48), int((key >> 24) & 0xffffff), int(key & 0xffffff)));
    emit changed(QRect());
}

void MaskOverlay::ensureLayer(Layer &layer, const Mask &mask)
{
    if (!layer.boundsValid) {
        layer.bounds = mask.boundingRect();
        layer.boundsValid = true;
    }
}

const Mask &MaskOverlay::addedMask()
{
    ensureDiff();
    return m_addedMask;
}

const Mask &MaskOverlay::removedMask()
{
    ensureDiff();
    return m_removedMask;
}

void MaskOverlay::ensureDiff()
{
    if (m_diffValid || !m_document)
        return;
    const QSize size = imageSize();
    m_proposalUnion = Mask(size.width(), size.height());
    for (const Target &proposed : m_document->proposal())
        if (proposed.mask.size() == size)
            m_proposalUnion.unite(proposed.mask);
    Mask annotation(size.width(), size.height());
    for (int i = 0; i < m_document->targetCount(); ++i)
        if (!m_document->targetAt(i).target.ignore)
            annotation.unite(m_document->targetAt(i).target.mask);
    m_addedMask = annotation.subtracted(m_proposalUnion);
    m_removedMask = m_proposalUnion.subtracted(annotation);
    m_added = Layer();
    m_removed = Layer();
    m_diffValid = true;
}

void MaskOverlay::updateDiff(const QRect &rect)
{
    const QRect area = rect.intersected(QRect(QPoint(0, 0), imageSize()));
    if (area.isEmpty())
        return;
    std::vector<const Mask *> annotation;
    for (int i = 0; i < m_document->targetCount(); ++i)
        if (!m_document->targetAt(i).target.ignore)
            annotation.push_back(&m_document->targetAt(i).target.mask);
    for (int y = area.top(); y <= area.bottom(); ++y) {
        const std::uint8_t *proposed = m_proposalUnion.scanLine(y);
        std::uint8_t *added = m_addedMask.scanLine(y);
        std::uint8_t *removed = m_removedMask.scanLine(y);
        for (int x = area.left(); x <= area.right(); ++x) {
            std::uint8_t annotated = 0;
            for (const Mask *mask : annotation)
                annotated |= mask->scanLine(y)[x];
            added[x] = annotated & ~proposed[x] & 1;
            removed[x] = proposed[x] & ~annotated & 1;
        }
    }
    for (auto [layer, mask] : {std::pair{&m_added, &m_addedMask}, std::pair{&m_removed, &m_removedMask}}) {
        layer->pyramid.update(*mask, area);
        if (layer->boundsValid)
            layer->bounds |= area;
    }
}

std::vector<MaskOverlay::Paint> MaskOverlay::paintsFor(int level, const QRect &imageRect)
{
    std::vector<Paint> paints;
    if (!m_document)
        return paints;
    const QSize size = imageSize();
    auto add = [&](Layer &layer, const Mask &mask, Paint paint) {
        if (mask.size() != size)
            return;
        ensureLayer(layer, mask);
        if (!layer.bounds.intersects(imageRect))
            return;
        if (level > 0)
            layer.pyramid.ensure(mask);
        paint.mask = &mask;
        paint.pyramid = &layer.pyramid;
        paints.push_back(paint);
    };
    const int fill = alpha(m_fillOpacity);
    const int currentFill = alpha(std::min(1.0, m_fillOpacity * 1.4));
    if (m_showProposal) {
        for (std::size_t i = 0; i < m_proposal.size(); ++i) {
            Paint paint;
            paint.color = proposalColor().rgb();
            paint.fillAlpha = m_diffView ? 0 : fill * 3 / 4;
            paint.stripes = true;
            paint.outline = m_showOutlines && m_pixelOutlines;
            paint.dashed = true;
            add(m_proposal[i], m_document->proposal()[i].mask, paint);
        }
    }
    if (m_diffView) {
        ensureDiff();
        add(m_removed, m_removedMask, Paint{nullptr, nullptr, removedColor().rgb(), alpha(0.6), false, false, false});
        add(m_added, m_addedMask, Paint{nullptr, nullptr, addedColor().rgb(), alpha(0.6), false, false, false});
    }
    for (int i = 0; i < m_document->targetCount(); ++i) {
        const DocumentTarget &target = m_document->targetAt(i);
        if (!target.visible)
            continue;
        Paint paint;
        paint.color = target.color.rgb();
        paint.fillAlpha = m_diffView ? 0 : (i == m_document->currentTarget() ? currentFill : fill);
        paint.stripes = target.target.ignore;
        paint.outline = m_showOutlines && m_pixelOutlines;
        if (paint.fillAlpha == 0 && !paint.outline)
            continue;
        add(m_targets[std::size_t(i)], target.target.mask, paint);
    }
    return paints;
}

QImage MaskOverlay::tile(int level, int column, int row)
{
    const QRect rect = tileRect(level, column, row);
    const quint64 key = tileKey(level, column, row);
    if (rect.isEmpty() || !m_document)
        return QImage();
    const std::vector<Paint> paints = paintsFor(level, toImage(rect, level));
    if (paints.empty()) {
        m_tiles.erase(key);
        return QImage();
    }
    auto found = m_tiles.find(key);
    if (found == m_tiles.end()) {
        evict();
        Tile fresh;
        fresh.image = QImage(rect.size(), QImage::Format_ARGB32_Premultiplied);
        fresh.dirty = QRegion(rect);
        found = m_tiles.emplace(key, std::move(fresh)).first;
    }
    Tile &tile = found->second;
    tile.used = ++m_clock;
    for (const QRect &area : tile.dirty)
        render(tile, rect, area.intersected(rect), level, paints);
    tile.dirty = QRegion();
    return tile.image;
}

void MaskOverlay::render(Tile &tile, const QRect &tileRect, const QRect &area, int level, const std::vector<Paint> &paints)
{
    if (area.isEmpty())
        return;
    m_renderedPixels += qint64(area.width()) * area.height();
    const QSize levelSize = ImagePyramid::levelSizeFor(imageSize(), level);
    const int mul = level == 0 ? 255 : 1;  // level 0 holds 0/1, higher levels 0..255
    const int right = levelSize.width() - 1;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        auto *dst = reinterpret_cast<quint32 *>(tile.image.scanLine(y - tileRect.y())) - tileRect.x();
        std::fill(dst + area.left(), dst + area.right() + 1, 0u);
        for (const Paint &paint : paints) {
            const std::uint8_t *cur = paint.row(level, y);
            const std::uint8_t *prev = y > 0 ? paint.row(level, y - 1) : nullptr;
            const std::uint8_t *next = y + 1 < levelSize.height() ? paint.row(level, y + 1) : nullptr;
            for (int x = area.left(); x <= area.right(); ++x) {
                const int c = cur[x] * mul;
                if (c == 0) {
                    // Skip empty stretches eight pixels at a time (most of a tile, for most layers).
                    while (x + 8 <= area.right()) {
                        std::uint64_t eight;
                        std::memcpy(&eight, cur + x + 1, 8);
                        if (eight != 0)
                            break;
                        x += 8;
                    }
                    continue;
                }
                quint32 a = 0;
                if (paint.outline && c >= 128
                    && (x == 0 || x == right || !prev || !next || cur[x - 1] * mul < 128 || cur[x + 1] * mul < 128
                        || prev[x] * mul < 128 || next[x] * mul < 128)
                    && (!paint.dashed || (((x + y) >> 2) & 1) == 0)) {
                    a = kOutlineAlpha;
                } else if (paint.fillAlpha && (!paint.stripes || (((x + y) >> 2) & 1) == 0)) {
                    a = quint32(paint.fillAlpha * c + 127) / 255;
                }
                if (a == 0)
                    continue;
                dst[x] = byteMul(paint.color, a) + byteMul(dst[x], 255 - a);
            }
        }
    }
}

void MaskOverlay::evict()
{
    while (int(m_tiles.size()) >= kMaxCachedTiles) {
        auto oldest = std::min_element(m_tiles.begin(), m_tiles.end(),
                                       [](const auto &a, const auto &b) { return a.second.used < b.second.used; });
        m_tiles.erase(oldest);
    }
}

} // namespace rs
