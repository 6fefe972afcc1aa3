#include "gui/session/conflictdialog.h"

#include "core/sampledocument.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace rs {

namespace {

QString describe(const Annotation &annotation)
{
    qsizetype pixels = 0;
    for (const Target &t : annotation.targets)
        pixels += t.mask.area();
    QString text = QObject::tr("%n target(s)", nullptr, int(annotation.targets.size()))
                 + QObject::tr(", %1 pixels").arg(pixels);
    if (annotation.noTarget)
        text += QObject::tr(", marked \"no target\"");
    return text;
}

qsizetype differingPixels(const std::vector<Target> &a, const std::vector<Target> &b)
{
    const Target *any = !a.empty() ? &a.front() : (!b.empty() ? &b.front() : nullptr);
    if (!any)
        return 0;
    Mask unionA(any->mask.width(), any->mask.height());
    Mask unionB = unionA;
    for (const Target &t : a)
        if (t.mask.size() == unionA.size())
            unionA.unite(t.mask);
    for (const Target &t : b)
        if (t.mask.size() == unionB.size())
            unionB.unite(t.mask);
    return unionA.united(unionB).area() - unionA.intersectionArea(unionB);
}

} // namespace

QImage ConflictDialog::render(const QImage &image, const std::vector<Target> &targets, QSize imageSize, QSize size)
{
    QImage canvas(imageSize, QImage::Format_ARGB32_Premultiplied);
    canvas.fill(QColor(60, 60, 60));
    QPainter painter(&canvas);
    if (!image.isNull())
        painter.drawImage(QRect(QPoint(), imageSize), image);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const Mask &mask = targets[i].mask;
        if (mask.size() != imageSize)
            continue;
        const QColor color = SampleDocument::colorFor(int(i));
        QImage overlay(imageSize, QImage::Format_ARGB32_Premultiplied);
        overlay.fill(Qt::transparent);
        const QRgb fill = qPremultiply(qRgba(color.red(), color.green(), color.blue(), 150));
        const QColor dark = color.darker(170);
        const QRgb edge = qRgba(dark.red(), dark.green(), dark.blue(), 255);
        const int w = mask.width();
        const int h = mask.height();
        for (int y = 0; y < h; ++y) {
            const std::uint8_t *in = mask.scanLine(y);
            const std::uint8_t *above = y > 0 ? mask.scanLine(y - 1) : nullptr;
            const std::uint8_t *below = y + 1 < h ? mask.scanLine(y + 1) : nullptr;
            auto *out = reinterpret_cast<QRgb *>(overlay.scanLine(y));
            for (int x = 0; x < w; ++x) {
                if (!in[x])
                    continue;
                // Boundary pixels (a 4-neighbour outside the mask) are drawn opaque: an outline.
                const bool boundary = x == 0 || x + 1 == w || !in[x - 1] || !in[x + 1] || !above || !below
                                   || !above[x] || !below[x];
                out[x] = boundary ? edge : fill;
            }
        }
        painter.drawImage(0, 0, overlay);
    }
    painter.end();
    return canvas.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

ConflictDialog::ConflictDialog(const SaveConflict &conflict, const QImage &image, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Someone else saved this sample"));
    auto *layout = new QVBoxLayout(this);
    const std::vector<Target> theirTargets = conflict.theirs ? conflict.theirs->targets : std::vector<Target>();
    auto *intro = new QLabel(
        tr("<b>%1</b> saved version %2 of sample %3 while you were editing version %4. Nothing of yours "
           "has been written. The two versions differ in %5 pixels.")
            .arg(conflict.theirAnnotator.toHtmlEscaped())
            .arg(conflict.theirVersion)
            .arg(conflict.sampleId)
            .arg(conflict.mineBasedOn)
            .arg(differingPixels(conflict.mine.targets, theirTargets)),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    QSize imageSize = image.size();
    if (imageSize.isEmpty() && !conflict.mine.targets.empty())
        imageSize = conflict.mine.targets.front().mask.size();
    if (imageSize.isEmpty() && !theirTargets.empty())
        imageSize = theirTargets.front().mask.size();
    auto *grid = new QGridLayout;
    const QSize thumb(360, 270);
    auto addSide = [&](int column, const QString &title, const QString &details, const std::vector<Target> &targets) {
        auto *heading = new QLabel(QStringLiteral("<b>%1</b><br>%2").arg(title.toHtmlEscaped(), details.toHtmlEscaped()), this);
        heading->setWordWrap(true);
        grid->addWidget(heading, 0, column);
        auto *picture = new QLabel(this);
        if (!imageSize.isEmpty())
            picture->setPixmap(QPixmap::fromImage(render(image, targets, imageSize, thumb)));
        picture->setMinimumSize(thumb);
        picture->setAlignment(Qt::AlignCenter);
        grid->addWidget(picture, 1, column);
    };
    addSide(0, tr("Mine (unsaved)"), describe(conflict.mine), conflict.mine.targets);
    QString theirDetails = tr("version %1 by %2").arg(conflict.theirVersion).arg(conflict.theirAnnotator);
    if (conflict.theirs) {
        theirDetails += QStringLiteral(", ") + conflict.theirs->savedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm"));
        theirDetails += QStringLiteral(" — ") + describe(*conflict.theirs);
    }
    addSide(1, tr("Theirs (saved)"), theirDetails, theirTargets);
    layout->addLayout(grid);

    auto *buttons = new QDialogButtonBox(this);
    m_keep = buttons->addButton(tr("Keep mine as a new version based on theirs"), QDialogButtonBox::AcceptRole);
    m_discard = buttons->addButton(tr("Discard mine"), QDialogButtonBox::DestructiveRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_keep, &QPushButton::clicked, this, [this] { done(KeepMine); });
    connect(m_discard, &QPushButton::clicked, this, [this] { done(DiscardMine); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace rs
