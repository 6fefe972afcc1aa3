#pragma once

// What the canvas tests share: a canvas hosted as the window hosts it (document, tools, active tool
// followed), synthetic images, and expected results computed with the core painters.
#include "core/maskpainter.h"
#include "core/rle.h"
#include "core/sampledocument.h"
#include "gui/canvas/canvaswidget.h"
#include "gui/tools/brushtool.h"
#include "gui/tools/toolmanager.h"

#include <QPainter>
#include <QRandomGenerator>
#include <QStringList>
#include <QTest>

namespace canvastest {

using rs::BrushTool;
using rs::CanvasWidget;
using rs::DocumentTarget;
using rs::Mask;
using rs::MaskPainter;
using rs::Rle;
using rs::SampleDocument;
using rs::ToolManager;

inline const QSize kImageSize(200, 150);
inline const QSize kWidgetSize(400, 300);  // fit → zoom 2, origin (0, 0): widget (x, y) = image (x/2, y/2)

inline QImage uniformImage(QColor color = QColor(128, 128, 128))
{
    QImage image(kImageSize, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

// The canvas as the window hosts it: a document, the tools, the active tool followed.
struct Fixture
{
    explicit Fixture(const QImage &image = uniformImage()) : document(image.size())
    {
        canvas.resize(kWidgetSize);
        canvas.setDocument(&document);
        canvas.setImage(image);
        QObject::connect(&tools, &ToolManager::activeToolChanged, &canvas, &CanvasWidget::setTool);
        canvas.setTool(tools.activeTool());
        canvas.show();
        (void)QTest::qWaitForWindowExposed(&canvas);
        canvas.fitToWindow();
    }
    QPointF imageAt(QPoint widget) const { return canvas.viewport().toImage(QPointF(widget)); }
    QPoint widgetAt(QPointF image) const { return canvas.viewport().toWidget(image).toPoint(); }
    int steps() { return document.undoStack()->count(); }
    const Mask &mask(int index = 0) const { return document.targetAt(index).target.mask; }

    void drag(QPoint from, const QList<QPoint> &via, QPoint to, Qt::KeyboardModifiers modifiers = {}, Qt::MouseButton button = Qt::LeftButton)
    {
        QTest::mousePress(&canvas, button, modifiers, from);
        for (const QPoint &p : via)
            QTest::mouseMove(&canvas, p);
        QTest::mouseMove(&canvas, to);
        QTest::mouseRelease(&canvas, button, modifiers, to);
    }

    SampleDocument document;
    CanvasWidget canvas;
    ToolManager tools;
};

inline Mask emptyMask()
{
    return Mask(kImageSize.width(), kImageSize.height());
}

inline Mask rectMask(const QRect &rect)
{
    Mask mask = emptyMask();
    mask.fillRect(rect, true);
    return mask;
}

// The document's content as comparable values (masks as COCO RLE strings).
inline QStringList snapshot(const SampleDocument &document)
{
    QStringList s;
    for (int i = 0; i < document.targetCount(); ++i) {
        const DocumentTarget &t = document.targetAt(i);
        s << QStringLiteral("%1|%2|%3|%4").arg(t.target.label, t.color.name()).arg(t.visible)
                 .arg(QString::fromLatin1(Rle::encode(t.target.mask).toString()));
    }
    return s;
}

// What the brush paints for a stroke through `points` (image coordinates, before snapping).
inline void expectedStroke(Mask &mask, const BrushTool &brush, const QList<QPointF> &points, bool value)
{
    QPointF last = brush.snap(points.first());
    MaskPainter::segment(mask, last, last, brush.radius(), value);
    for (const QPointF &p : points) {
        const QPointF snapped = brush.snap(p);
        if (snapped != last)
            MaskPainter::segment(mask, last, snapped, brush.radius(), value);
        last = snapped;
    }
}

inline quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (char c : data) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    QByteArray chunk;
    const quint32 length = quint32(data.size());
    chunk.append(char(length >> 24)).append(char(length >> 16)).append(char(length >> 8)).append(char(length));
    const QByteArray body = type + data;
    chunk.append(body);
    const quint32 crc = crc32(body);
    chunk.append(char(crc >> 24)).append(char(crc >> 16)).append(char(crc >> 8)).append(char(crc));
    return chunk;
}

// A tiny PNG file whose header claims width × height pixels (a decompression bomb's shape).
inline QByteArray bombPng(quint32 width, quint32 height)
{
    QByteArray ihdr;
    for (quint32 v : {width, height})
        ihdr.append(char(v >> 24)).append(char(v >> 16)).append(char(v >> 8)).append(char(v));
    ihdr.append(char(8)).append(char(2)).append(char(0)).append(char(0)).append(char(0));
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", QByteArray::fromHex("78da636000000001000100"))
        + pngChunk("IEND", QByteArray());
}

// Grey noise with a smooth orange ellipse: what GrabCut should separate.
inline QImage objectImage(QRect *ellipse)
{
    QImage image(kImageSize, QImage::Format_RGB32);
    QRandomGenerator random(3);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const int v = 90 + int(random.bounded(40));
            image.setPixel(x, y, qRgb(v, v, v + 20));
        }
    *ellipse = QRect(70, 50, 60, 44);
    QPainter painter(&image);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(235, 120, 30));
    painter.drawEllipse(*ellipse);
    return image;
}

// Vertical bands of grey 100 | 110 | 130 | 200, each 50 pixels wide.
inline QImage bandImage()
{
    QImage image(kImageSize, QImage::Format_RGB32);
    const int values[] = {100, 110, 130, 200};
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y, qRgb(values[x / 50], values[x / 50], values[x / 50]));
    return image;
}

} // namespace canvastest
