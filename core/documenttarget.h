#pragma once

#include "core/target.h"

#include <QColor>

namespace rs {

// A target as the editor holds it: the target plus how it is shown.
struct DocumentTarget
{
    Target target;
    QColor color;
    bool visible = true;

    bool operator==(const DocumentTarget &) const = default;
};

} // namespace rs
