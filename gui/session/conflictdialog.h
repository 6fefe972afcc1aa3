#pragma once

#include "gui/session/saveconflict.h"

#include <QDialog>
#include <QImage>

class QPushButton;

namespace rs {

// Shows both sides of a SaveConflict — my edits and the version someone else saved meanwhile — as
// the image with each version's masks, with who saved what, and lets the annotator choose: keep
// mine as a new version based on theirs, or discard mine. Cancel decides nothing (the edits stay,
// unsaved, in the journal).
class ConflictDialog : public QDialog
{
    Q_OBJECT

public:
    enum Choice { KeepMine = 1, DiscardMine = 2 };  // exec() results besides Rejected

    ConflictDialog(const SaveConflict &conflict, const QImage &image, QWidget *parent = nullptr);

    QPushButton *keepMineButton() const { return m_keep; }
    QPushButton *discardMineButton() const { return m_discard; }

    // The image with `targets` drawn over it, scaled to fit `size`.
    static QImage render(const QImage &image, const std::vector<Target> &targets, QSize imageSize, QSize size);

private:
    QPushButton *m_keep;
    QPushButton *m_discard;
};

} // namespace rs
