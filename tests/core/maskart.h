#pragma once

#include "core/mask.h"

#include <QStringList>

// Masks written as text in tests: rows of '.' (0) and '#' (1), e.g. {"..#", "###"}.
namespace rs::test {

inline Mask fromArt(const QStringList &rows)
{
    Mask mask(rows.isEmpty() ? 0 : int(rows.first().size()), int(rows.size()));
    for (int y = 0; y < rows.size(); ++y)
        for (int x = 0; x < rows[y].size(); ++x)
            mask.set(x, y, rows[y][x] == QLatin1Char('#'));
    return mask;
}

inline QStringList toArt(const Mask &mask)
{
    QStringList rows;
    for (int y = 0; y < mask.height(); ++y) {
        QString row;
        for (int x = 0; x < mask.width(); ++x)
            row += mask.at(x, y) ? QLatin1Char('#') : QLatin1Char('.');
        rows << row;
    }
    return rows;
}

} // namespace rs::test
