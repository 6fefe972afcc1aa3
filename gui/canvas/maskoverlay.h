#pragma once

#include "core/mask.h"
#include "gui/canvas/maskpyramid.h"

#include <QColor>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QRegion>

#include <unordered_map>
#include <vector>

class QPainter;

namespace rs {

class SampleDocument;
class Viewport;

// What the canvas draws over the image: every visible target as a translucent fill in its colour
// with an outline, the model's proposal as a striped layer with a dashed outline, and the diff view
// (pixels the annotation adds to the proposal in one colour, pixels it removes in another, in place
// of the fills). Rendered in ImagePyramid's tiles and levels from MaskPyramids, so a zoomed-out view
// costs what the screen shows; cached tiles are redrawn only inside the rectangles that
// SampleDocument::maskChanged reports.
//
// Tile images are ARGB32_Premultiplied; a level pixel's fill alpha is the layer's alpha times the
// share of its block that is set; outline pixels are the set pixels (share ≥ 1/2) with an unset
// 4-neighbour or at the image border.
//
// Thread: GUI thread. The document is not owned.
class MaskOverlay : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxCachedTiles = 320;  // 80 MB at most

    explicit MaskOverlay(QObject *parent = nullptr);
    ~MaskOverlay() override;

    void setDocument(SampleDocument *document);
    SampleDocument *document() const { return m_document; }

    bool showProposal() const { return m_showProposal; }
    void setShowProposal(bool show);
    bool showOutlines() const { return m_showOutlines; }
    void setShowOutlines(bool show);
    bool diffView() const { return m_diffView; }
    void setDiffView(bool diff);
    // Outlines drawn into the tiles as boundary pixels (on), or left to paintOutlines() (off: the
    // canvas zoomed in so far that boundary pixels would hide the image under them).
    bool pixelOutlines() const { return m_pixelOutlines; }
    void setPixelOutlines(bool pixelOutlines);
    // Draws the outlines of `imageArea` as lines along pixel edges (widget coordinates).
    void paintOutlines(QPainter &painter, const Viewport &viewport, const QRect &imageArea);
    // Fill opacity of the targets, 0..1 (the selected target is drawn a little stronger).
    double fillOpacity() const { return m_fillOpacity; }
    void setFillOpacity(double opacity);

    QSize imageSize() const;
    int levelCount() const;
    // Tile (column, row) of `level`, in that level's pixels (ImagePyramid's grid).
    QRect tileRect(int level, int column, int row) const;
    // The overlay of one tile, first drawn or brought up to date (only its dirty parts are drawn
    // again); a null image when nothing is shown there.
    QImage tile(int level, int column, int row);

    static QColor proposalColor() { return QColor(255, 214, 0); }
    static QColor addedColor() { return QColor(40, 220, 90); }
    static QColor removedColor() { return QColor(240, 50, 90); }

    // The diff view's masks: pixels of the annotation (targets not marked ignore) that the
    // proposal lacks, and pixels of the proposal the annotation lacks. Computed on first use.
    const Mask &addedMask();
    const Mask &removedMask();

    // Level pixels drawn since construction, and tiles cached (tests and the benchmark).
    qint64 renderedPixels() const { return m_renderedPixels; }
    int cachedTiles() const { return int(m_tiles.size()); }

signals:
    // The overlay changed inside `imageRect` (image pixels); a null rect means everywhere.
    void changed(const QRect &imageRect);

private:
    struct Layer
    {
        MaskPyramid pyramid;
        QRect bounds;  // holds every set pixel (may be larger); valid when boundsValid
        bool boundsValid = false;
    };
    struct Tile
    {
        QImage image;
        QRegion dirty;  // level pixels
        quint64 used = 0;
    };
    struct Paint;

    void onMaskChanged(int index, const QRect &rect);
    void resetLayers();
    void invalidate(const QRect &imageRect);
    void invalidateAll();
    void ensureLayer(Layer &layer, const Mask &mask);
    void ensureDiff();
    void updateDiff(const QRect &rect);
    std::vector<Paint> paintsFor(int level, const QRect &imageRect);
    void render(Tile &tile, const QRect &tileRect, const QRect &area, int level, const std::vector<Paint> &paints);
    void evict();

    QPointer<SampleDocument> m_document;
    std::vector<Layer> m_targets;
    std::vector<Layer> m_proposal;
    Layer m_added;
    Layer m_removed;
    Mask m_addedMask;
    Mask m_removedMask;
    Mask m_proposalUnion;
    bool m_diffValid = false;

    std::unordered_map<quint64, Tile> m_tiles;
    quint64 m_clock = 0;
    qint64 m_renderedPixels = 0;

    bool m_showProposal = true;
    bool m_showOutlines = true;
    bool m_pixelOutlines = true;
    bool m_diffView = false;
    double m_fillOpacity = 0.4;
};

} // namespace rs
